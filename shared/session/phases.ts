/** The workshop's phases, in order (docs/product.md#phases). */
export const PHASES = ['discover', 'day-to-day', 'goals', 'prioritise', 'agree', 'wrap-up'] as const;
export type Phase = (typeof PHASES)[number];
