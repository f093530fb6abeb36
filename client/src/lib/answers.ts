/**
 * What a question lane needs of private and anonymous answers (docs/session.md#private-and-anonymous-answers):
 * the modes, counts and my held answers from the session view, and the requests, each reported
 * like any other (a refusal shows as a notice).
 */
import type { Ack } from '../../../shared/session/events';
import { modeOf, type MyAnswer, type QuestionMode } from '../../../shared/session/answers';
import type { SessionConnection } from './session.svelte';

/** The part of the session connection answers use. */
type AnswerRequests = Pick<SessionConnection, 'view' | 'request'>;

export interface AnswerTools {
  modeOf: (questionId: string) => QuestionMode;
  heldCount: (questionId: string) => number;
  mine: (questionId: string) => MyAnswer[];
  /** Whether the server wrote this card for me (then I edit and delete it through the server). */
  isMine: (cardId: string) => boolean;
  setMode: (questionId: string, change: { private?: boolean; anonymous?: boolean }) => void;
  answer: (questionId: string, text: string) => void;
  edit: (answerId: string, text: string) => void;
  remove: (answerId: string) => void;
}

const NONE: MyAnswer[] = [];

export function answerTools(session: AnswerRequests, report: (ack: Ack) => unknown): AnswerTools {
  const send = (ack: Promise<Ack>): void => void ack.then(report);
  return {
    modeOf: (questionId) => modeOf(session.view?.questionModes ?? {}, questionId),
    heldCount: (questionId) => session.view?.heldCounts[questionId] ?? 0,
    mine: (questionId) => {
      const mine = session.view?.myAnswers.filter((answer) => answer.questionId === questionId);
      return mine && mine.length > 0 ? mine : NONE;
    },
    isMine: (cardId) => session.view?.myBoardAnswers.includes(cardId) ?? false,
    setMode: (questionId, change) => send(session.request('questionMode', { questionId, ...change })),
    answer: (questionId, text) => send(session.request('answer', { questionId, text })),
    edit: (answerId, text) => send(session.request('answerEdit', { answerId, text })),
    remove: (answerId) => send(session.request('answerDelete', { answerId })),
  };
}
