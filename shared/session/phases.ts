/** The workshop's phases, in order (SPEC §1). */
export const PHASES = ['discover', 'day-to-day', 'goals', 'prioritise', 'agree', 'wrap-up'] as const;
export type Phase = (typeof PHASES)[number];
