/**
 * The team pulse (docs/product.md#team-pulse, docs/session.md#pulse): an anonymous check-in at wrap-up. Answers are kept by the server
 * under a key that does not name their author (so one answer per person can be replaced), and
 * only their aggregate is ever shown — and only once PULSE_MIN_ANSWERS people have answered.
 *
 * A live aggregate would not be anonymous: whoever watches it change as a colleague clicks
 * "send" learns that colleague's answer. So the results shown are a snapshot the facilitator
 * takes ("show results"), and a new snapshot needs PULSE_MIN_ANSWERS answers given or changed
 * since the last one: each change of what people see blends at least three answers.
 *
 * Joins are free, so three answers could be one person's under three names. The pulse therefore
 * opens at a defined moment — the first time the facilitator moves everyone to the wrap-up, where
 * the pulse is asked — and only participants who joined before that moment may answer: names
 * made up once the answers start coming in count for nothing. Facilitators never answer. What
 * remains, and the interface says so: someone who joined under several names beforehand can
 * still narrow down the others' answers.
 */
import { AppError } from '../errors';
import type { Phase } from './phases';
import type { Role } from './state';

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

/** What the session holds for the pulse, beside the answers themselves. */
export interface PulseResults {
  /** The results people see: a snapshot taken when the facilitator last showed them. */
  snapshot: PulseSummary | null;
  visible: boolean;
  /** The answers the snapshot was made of (kept under their anonymous keys, like the answers). */
  baseline: PulseAnswer[];
}

/** What everyone sees: the live count, and the shown snapshot's aggregate (or nulls). */
export interface PulseView extends PulseSummary {
  /** How many answers the shown results are made of (null while nothing is shown). */
  shownCount: number | null;
  /** People whose answer differs from the one in the results shown (new, changed or withdrawn). */
  changesSinceShown: number;
  /** When the pulse opened (server time, ms), or null while it has not. */
  openedAt: number | null;
  /** Whether the person this view is for may answer: a participant who joined before it opened. */
  mayAnswer: boolean;
}

/** The pulse opens the first time the meeting moves to the wrap-up, and stays open. */
export function pulseOpenedAt(openedAt: number | null, phase: Phase, now: number): number | null {
  return openedAt ?? (phase === 'wrap-up' ? now : null);
}

export interface PulseAnswerer {
  role: Role;
  /** When they joined (server time, ms). */
  createdAt: number;
}

/** Whether `who` may answer a pulse opened at `openedAt`. */
export function mayAnswerPulse(openedAt: number | null, who: PulseAnswerer): boolean {
  return who.role === 'participant' && openedAt !== null && who.createdAt < openedAt;
}

/** Refuses an answer from someone who may not give one, saying why. */
export function checkMayAnswer(openedAt: number | null, who: PulseAnswerer): void {
  // Facilitators lead the check-in: the pulse is the team's, and they are not counted in it.
  if (who.role !== 'participant')
    throw new AppError('not_participant', 'The team pulse is for participants.');
  if (openedAt === null) {
    throw new AppError(
      'pulse_not_open',
      'The team pulse opens when the facilitator moves everyone to the wrap-up.',
    );
  }
  if (!mayAnswerPulse(openedAt, who)) {
    throw new AppError(
      'pulse_joined_late',
      'You joined after the team pulse opened: only people who were here before it opened can answer, so that nobody can add answers under made-up names.',
    );
  }
}

/**
 * How many people's answers differ from the snapshot's: distinct people, compared with what the
 * snapshot holds — so re-sending, or changing and changing back, counts for nothing.
 */
export function changesSince(answers: readonly PulseAnswer[], baseline: readonly PulseAnswer[]): number {
  const before = new Map(baseline.map((answer) => [answer.key, answer]));
  let changed = 0;
  for (const answer of answers) {
    const kept = before.get(answer.key);
    if (!kept || kept.score !== answer.score || kept.help !== answer.help) changed += 1;
    before.delete(answer.key);
  }
  return changed + before.size;
}

/** The answers and results part of the view (the server adds when it opened and who may answer). */
export function pulseView(
  answers: readonly PulseAnswer[],
  results: PulseResults,
): Omit<PulseView, 'openedAt' | 'mayAnswer'> {
  const shown = results.visible ? results.snapshot : null;
  return {
    count: answers.length,
    average: shown?.average ?? null,
    helps: shown?.helps ?? null,
    distribution: shown?.distribution ?? null,
    shownCount: shown?.count ?? null,
    changesSinceShown: results.snapshot ? changesSince(answers, results.baseline) : answers.length,
  };
}

/**
 * Shows or hides the results. Showing takes a new snapshot when there is none yet (from
 * PULSE_MIN_ANSWERS answers) or when PULSE_MIN_ANSWERS people's answers differ from the last one;
 * otherwise it shows the last snapshot again (which reveals nothing new) — and refuses only when
 * that snapshot is already shown while some, but too few, answers changed.
 */
export function showPulseResults(
  answers: readonly PulseAnswer[],
  results: PulseResults,
  show: boolean,
): PulseResults {
  if (!show) return { ...results, visible: false };
  if (answers.length < PULSE_MIN_ANSWERS) {
    throw new AppError('pulse_too_few', `Results show once ${PULSE_MIN_ANSWERS} people have answered.`);
  }
  if (results.snapshot) {
    const changed = changesSince(answers, results.baseline);
    if (changed < PULSE_MIN_ANSWERS) {
      if (!results.visible || changed === 0) return { ...results, visible: true };
      throw new AppError(
        'pulse_too_few',
        `New results show once ${PULSE_MIN_ANSWERS} people have answered or changed their answer since the last ones.`,
      );
    }
  }
  return { snapshot: summarizePulse(answers), visible: true, baseline: [...answers] };
}

/** Records or replaces the answer under `key`; the list is kept in key order, not arrival order. */
export function withPulseAnswer(answers: readonly PulseAnswer[], answer: PulseAnswer): PulseAnswer[] {
  return [...answers.filter((existing) => existing.key !== answer.key), answer].sort((a, b) =>
    a.key < b.key ? -1 : a.key > b.key ? 1 : 0,
  );
}
