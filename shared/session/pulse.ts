/**
 * The team pulse (SPEC §2, §6): an anonymous check-in at wrap-up. Answers are kept by the server
 * under a key that does not name their author (so one answer per person can be replaced), and
 * only their aggregate is ever shown — and only once PULSE_MIN_ANSWERS people have answered.
 */
export const PULSE_MIN_ANSWERS = 3;
export const PULSE_HELP_MAX_LENGTH = 500;

export interface PulseAnswer {
  /** An opaque key (a keyed hash of the participant), never their id. */
  key: string;
  score: number;
  help: string;
}

export interface PulseSummary {
  count: number;
  /** Mean score to one decimal, or null below PULSE_MIN_ANSWERS answers. */
  average: number | null;
  /** Every non-empty "what would help", alphabetically (no order that hints at who), or null below the threshold. */
  helps: string[] | null;
  /** How many answers gave each score 1..5, or null below the threshold. */
  distribution: number[] | null;
}

export function summarizePulse(answers: readonly PulseAnswer[]): PulseSummary {
  const count = answers.length;
  if (count < PULSE_MIN_ANSWERS) return { count, average: null, helps: null, distribution: null };
  const total = answers.reduce((sum, answer) => sum + answer.score, 0);
  const distribution = [0, 0, 0, 0, 0];
  for (const answer of answers) distribution[answer.score - 1] = (distribution[answer.score - 1] ?? 0) + 1;
  return {
    count,
    average: Math.round((total / count) * 10) / 10,
    helps: answers
      .map((answer) => answer.help)
      .filter((help) => help !== '')
      .sort((a, b) => a.localeCompare(b)),
    distribution,
  };
}

/** Records or replaces the answer under `key`; the list is kept in key order, not arrival order. */
export function withPulseAnswer(answers: readonly PulseAnswer[], answer: PulseAnswer): PulseAnswer[] {
  return [...answers.filter((existing) => existing.key !== answer.key), answer].sort((a, b) =>
    a.key < b.key ? -1 : a.key > b.key ? 1 : 0,
  );
}
