/**
 * Consent rounds (docs/session.md#consent-rounds): before a goal is agreed, the facilitator asks
 * everyone "can you live with it?". Answers are held by the server with the session state, never
 * in the document, and nobody sees anyone else's answer before the round closes. What stays is
 * the result, per goal: counts, and the concerns and objections (named only if the facilitator
 * chose so before the round).
 */
import * as v from 'valibot';
import { AppError } from '../errors';
import { isId } from '../ids';

export const CONSENT_ANSWERS = ['yes', 'concern', 'objection'] as const;
export type ConsentAnswer = (typeof CONSENT_ANSWERS)[number];
export const CONSENT_TEXT_MAX = 500;

/** One person's answer, as the server holds it until the round closes. */
export interface HeldConsentAnswer {
  answer: ConsentAnswer;
  /** Empty for `yes`. */
  text: string;
}

/** The open round, as stored: answers by participant id (never shown before the close). */
export interface ConsentRound {
  roundId: string;
  goalId: string;
  named: boolean;
  openedAt: number;
  answers: Record<string, HeldConsentAnswer>;
}

export interface ConsentRemark {
  text: string;
  /** Only when the round was named. */
  name?: string;
}

/** A closed round's result, recorded with its goal. */
export interface ConsentResult {
  goalId: string;
  yes: number;
  concerns: ConsentRemark[];
  objections: ConsentRemark[];
  closedAt: number;
}

/** The `consent` field of the session view. */
export interface ConsentView {
  /** The open round, or null: how many answered, of how many, and this person's own answer. */
  open: {
    roundId: string;
    goalId: string;
    named: boolean;
    answered: number;
    of: number;
    myAnswer: HeldConsentAnswer | null;
  } | null;
  /** goal id → the result of its last closed round. */
  results: Record<string, ConsentResult>;
}

const Id = (what: string) =>
  v.pipe(
    v.string(`${what} must be text`),
    v.check((id: string) => isId(id), `${what} is not an id`),
  );

export const CONSENT_PAYLOADS = {
  /** docs/session.md#consent-rounds: the facilitator starts or closes a round. */
  consent: v.variant(
    'action',
    [
      v.object({
        action: v.literal('start'),
        goalId: Id('goalId'),
        named: v.boolean('named must be true or false'),
      }),
      v.object({ action: v.literal('close'), roundId: Id('roundId') }),
    ],
    'action must be start or close',
  ),
  /** docs/session.md#consent-rounds: anyone answers the open round (and may change their answer). */
  consentAnswer: v.pipe(
    v.object({
      roundId: Id('roundId'),
      answer: v.picklist(CONSENT_ANSWERS, 'answer must be yes, concern or objection'),
      text: v.optional(
        v.pipe(
          v.string('text must be text'),
          v.trim(),
          v.maxLength(CONSENT_TEXT_MAX, `text is limited to ${CONSENT_TEXT_MAX} characters`),
        ),
        '',
      ),
    }),
    v.forward(
      v.check(
        ({ answer, text }) => answer === 'yes' || text.length > 0,
        'text is needed with a concern or an objection',
      ),
      ['text'],
    ),
  ),
} as const;

export interface ConsentReplies {
  consent: { roundId: string };
  consentAnswer: Record<never, never>;
}

/** The state's consent fields. */
export interface ConsentState {
  consentRound: ConsentRound | null;
  consentResults: Record<string, ConsentResult>;
}

/** The open round `roundId`, or `consent_closed` (closed, or never opened). */
export function openRound(state: ConsentState, roundId: string): ConsentRound {
  const round = state.consentRound;
  if (!round || round.roundId !== roundId) {
    throw new AppError('consent_closed', 'This consent round is closed.');
  }
  return round;
}

/**
 * Closes the open round: its result replaces the goal's previous one, and the answers go. Names
 * are read now (`nameOf`) and only kept when the round was named.
 */
export function closeRound(state: ConsentState, nameOf: (id: string) => string, now: number): void {
  const round = state.consentRound;
  if (!round) return;
  const result: ConsentResult = { goalId: round.goalId, yes: 0, concerns: [], objections: [], closedAt: now };
  for (const [participantId, { answer, text }] of Object.entries(round.answers)) {
    if (answer === 'yes') {
      result.yes += 1;
      continue;
    }
    const remark: ConsentRemark = round.named ? { text, name: nameOf(participantId) } : { text };
    (answer === 'concern' ? result.concerns : result.objections).push(remark);
  }
  // Anonymous remarks are listed in an order that says nothing of who wrote them.
  if (!round.named) {
    result.concerns.sort((a, b) => a.text.localeCompare(b.text));
    result.objections.sort((a, b) => a.text.localeCompare(b.text));
  }
  state.consentResults = { ...state.consentResults, [round.goalId]: result };
  state.consentRound = null;
}

/**
 * What one person sees (`me`: their id, null for a stage): the open round without anyone's
 * answer but their own, and the results of goals that exist.
 */
export function consentView(
  state: ConsentState,
  me: string | null,
  waitingFor: readonly string[],
  goalExists: (id: string) => boolean,
): ConsentView {
  const round = state.consentRound;
  const results: Record<string, ConsentResult> = {};
  for (const [goalId, result] of Object.entries(state.consentResults)) {
    if (!goalExists(goalId)) continue;
    const copy = (list: ConsentRemark[]) => list.map((remark) => ({ ...remark }));
    results[goalId] = { ...result, concerns: copy(result.concerns), objections: copy(result.objections) };
  }
  if (!round) return { open: null, results };
  const answered = Object.keys(round.answers);
  const expected = new Set([...waitingFor, ...answered]);
  const mine = me !== null && Object.hasOwn(round.answers, me) ? round.answers[me] : undefined;
  return {
    open: {
      roundId: round.roundId,
      goalId: round.goalId,
      named: round.named,
      answered: answered.length,
      of: expected.size,
      myAnswer: mine ? { ...mine } : null,
    },
    results,
  };
}

/** A removed participant's answer in the open round goes with them (docs/session.md#consent-rounds). */
export function dropConsentAnswer(state: ConsentState, participantId: string): void {
  const round = state.consentRound;
  if (!round || !Object.hasOwn(round.answers, participantId)) return;
  const answers = { ...round.answers };
  delete answers[participantId];
  state.consentRound = { ...round, answers };
}

/**
 * Whether a round may close because someone left (docs/session.md#consent-rounds): somebody
 * answered, and every participant still online has. Nobody online and nobody answered keeps it open.
 */
export function completeAfterLeaving(round: ConsentRound, waitingFor: readonly string[]): boolean {
  return Object.keys(round.answers).length > 0 && waitingFor.every((id) => Object.hasOwn(round.answers, id));
}

/** Whether everyone awaited (the participants online) has answered. */
export function everyoneAnswered(round: ConsentRound, waitingFor: readonly string[]): boolean {
  return waitingFor.length > 0 && waitingFor.every((id) => Object.hasOwn(round.answers, id));
}
