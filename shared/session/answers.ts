/**
 * Private and anonymous answers (docs/session.md#private-and-anonymous-answers): the modes a
 * facilitator gives a question, the answers the server holds until the reveal, and the requests
 * that write them. Pure rules over the session state; the server's handlers apply them.
 */
import * as v from 'valibot';
import { LIMIT } from '../board/layout';
import { isId } from '../ids';

/** How a question takes answers. Absent from `questionModes`: named, on the board at once. */
export interface QuestionMode {
  /** Answers are held by the server and shown only to their author until the reveal. */
  private: boolean;
  /** Answers carry no author anywhere (document, presence, exports). */
  anonymous: boolean;
}

/** An answer the server holds while its question is private. Never sent to anyone but its author. */
export interface HeldAnswer {
  id: string;
  questionId: string;
  text: string;
  /** A keyed hash of the author (server/auth/keys.ts `answerKeyOf`): who may edit it. */
  owner: string;
  /** The author's participant id, written on the card at the reveal; '' when anonymous. */
  authorId: string;
  createdAt: number;
}

/** What its author sees of a held answer (`myAnswers`). */
export interface MyAnswer {
  id: string;
  questionId: string;
  text: string;
}

/** The view's part about answers: modes, counts, and my own held answers. */
export interface AnswersView {
  /** Question id → its mode, for questions that are private or anonymous. */
  questionModes: Record<string, QuestionMode>;
  /** Private question id → how many answers are held for it. */
  heldCounts: Record<string, number>;
  /** This person's held answers, in the order written. */
  myAnswers: MyAnswer[];
  /**
   * Ids of the cards the server wrote on the board for this person (revealed or anonymous
   * answers): theirs to edit and delete through the server, which keeps their name off the edit.
   */
  myBoardAnswers: string[];
}

/** Answers held on one board at most (every question together). */
export const MAX_HELD_ANSWERS = 2_000;
/**
 * Cards the server wrote for people that a board remembers at most (those still on the board):
 * the server's own writes skip the sync plane's size checks, so this bounds what `answer` adds.
 */
export const MAX_BOARD_ANSWERS = 5_000;

const Id = (what: string) =>
  v.pipe(
    v.string(`${what} must be text`),
    v.check((id: string) => isId(id), `${what} is not an id`),
  );
const AnswerText = v.pipe(
  v.string('text must be text'),
  v.trim(),
  v.minLength(1, 'text cannot be empty'),
  v.maxLength(LIMIT.text, `text is limited to ${LIMIT.text} characters`),
);

export const ANSWER_PAYLOADS = {
  questionMode: v.pipe(
    v.object({
      questionId: Id('questionId'),
      private: v.optional(v.boolean('private must be true or false')),
      anonymous: v.optional(v.boolean('anonymous must be true or false')),
    }),
    v.check((change) => change.private !== undefined || change.anonymous !== undefined, 'nothing to change'),
  ),
  answer: v.object({ questionId: Id('questionId'), text: AnswerText }),
  answerEdit: v.object({ answerId: Id('answerId'), text: AnswerText }),
  answerDelete: v.object({ answerId: Id('answerId') }),
} as const;

/** What the answer requests' acknowledgements carry besides `ok: true`. */
export interface AnswerReplies {
  questionMode: Record<never, never>;
  answer: { answerId: string };
  answerEdit: Record<never, never>;
  answerDelete: Record<never, never>;
}

export function modeOf(modes: Readonly<Record<string, QuestionMode>>, questionId: string): QuestionMode {
  return (
    (Object.hasOwn(modes, questionId) ? modes[questionId] : undefined) ?? { private: false, anonymous: false }
  );
}

/** The modes with one question's changed; a question back to named and public leaves the map. */
export function withMode(
  modes: Readonly<Record<string, QuestionMode>>,
  questionId: string,
  change: { private?: boolean; anonymous?: boolean },
): Record<string, QuestionMode> {
  const current = modeOf(modes, questionId);
  const next = {
    private: change.private ?? current.private,
    anonymous: change.anonymous ?? current.anonymous,
  };
  const result = { ...modes };
  if (next.private || next.anonymous) result[questionId] = next;
  else delete result[questionId];
  return result;
}

/** The part of the view every person shares: modes and counts (never a held text). */
export function sharedAnswersView(
  modes: Readonly<Record<string, QuestionMode>>,
  held: readonly HeldAnswer[],
  questionExists: (questionId: string) => boolean,
): Omit<AnswersView, 'myAnswers' | 'myBoardAnswers'> {
  const questionModes: Record<string, QuestionMode> = {};
  const heldCounts: Record<string, number> = {};
  for (const [questionId, mode] of Object.entries(modes)) {
    if (!questionExists(questionId)) continue;
    questionModes[questionId] = { ...mode };
    if (mode.private) heldCounts[questionId] = 0;
  }
  for (const answer of held) {
    const count = Object.hasOwn(heldCounts, answer.questionId) ? heldCounts[answer.questionId] : undefined;
    if (count !== undefined) heldCounts[answer.questionId] = count + 1;
  }
  return { questionModes, heldCounts };
}

/** The ids of the answers on the board that the person whose key is `owner` wrote. */
export function myBoardAnswers(owners: Readonly<Record<string, string>>, owner: string | null): string[] {
  if (owner === null) return [];
  return Object.keys(owners).filter((answerId) => owners[answerId] === owner);
}

/** The held answers of the person whose key is `owner`. */
export function myHeldAnswers(held: readonly HeldAnswer[], owner: string | null): MyAnswer[] {
  if (owner === null) return [];
  return held
    .filter((answer) => answer.owner === owner)
    .map(({ id, questionId, text }) => ({ id, questionId, text }));
}
