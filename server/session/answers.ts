/**
 * The requests of private and anonymous answers (docs/session.md#private-and-anonymous-answers).
 * Held answers live in the session state, which only the server reads: the view gives each
 * person their own (`myAnswers`) and everyone a count. The server writes answers on the board
 * itself — at the reveal, or at once for an anonymous question — so that an anonymous card never
 * passed through anyone's connection with a name on it.
 */
import { hasQuestion, placeAnswers, questionOfCard } from '../../shared/board/answers';
import { deleteCard, updateCard } from '../../shared/board/commands';
import { AppError } from '../../shared/errors';
import { newId } from '../../shared/ids';
import {
  MAX_BOARD_ANSWERS,
  MAX_HELD_ANSWERS,
  modeOf,
  withMode,
  type HeldAnswer,
} from '../../shared/session/answers';
import type { Handler } from './handlers';
import type { SessionRoom } from './room';
import type { SessionState } from './state';

/** The origin of the server's own writes of answers (the sync plane stores and relays them). */
export const SERVER_ANSWERS = Symbol('answers written by the server');

type AnswerEvent = 'questionMode' | 'answer' | 'answerEdit' | 'answerDelete';

function checkQuestion(room: Omit<SessionRoom, 'commit'>, questionId: string): void {
  if (!hasQuestion(room.doc, questionId)) {
    throw new AppError('not_found', 'There is no such question on this board.');
  }
}

/** Writes the held answers of `questionId` on the board, in the order written, and lets them go. */
function reveal(room: Omit<SessionRoom, 'commit'>, state: SessionState, questionId: string): void {
  const anonymous = modeOf(state.questionModes, questionId).anonymous;
  const revealed: HeldAnswer[] = [];
  const kept: HeldAnswer[] = [];
  for (const answer of state.heldAnswers) (answer.questionId === questionId ? revealed : kept).push(answer);
  // Cards without an order key read in creation time: strictly increasing keeps the order written.
  let createdAt = 0;
  placeAnswers(
    room.doc,
    revealed.map((answer) => {
      createdAt = Math.max(answer.createdAt, createdAt + 1);
      return {
        id: answer.id,
        questionId,
        text: answer.text,
        // Written anonymously stays anonymous, whatever the mode became since.
        authorId: anonymous ? '' : answer.authorId,
        createdAt,
      };
    }),
    SERVER_ANSWERS,
  );
  state.heldAnswers = kept;
  for (const answer of revealed) state.answerOwners[answer.id] = answer.owner;
}

/** Forgets answers deleted from the board when the board remembers too many; refuses beyond. */
function makeRoomForAnswer(room: Omit<SessionRoom, 'commit'>, state: SessionState): void {
  if (Object.keys(state.answerOwners).length < MAX_BOARD_ANSWERS) return;
  for (const answerId of Object.keys(state.answerOwners)) {
    if (questionOfCard(room.doc, answerId) === null) delete state.answerOwners[answerId];
  }
  if (Object.keys(state.answerOwners).length >= MAX_BOARD_ANSWERS) {
    throw new AppError('too_large', `A board takes at most ${MAX_BOARD_ANSWERS} answers written this way.`);
  }
}

/** Finds what `owner` may change: a held answer of theirs, or a card of theirs on the board. */
function ownedBy(state: SessionState, answerId: string, owner: string): HeldAnswer | 'board' {
  const held = state.heldAnswers.find((answer) => answer.id === answerId && answer.owner === owner);
  if (held) return held;
  if (Object.hasOwn(state.answerOwners, answerId) && state.answerOwners[answerId] === owner) return 'board';
  throw new AppError('not_found', 'You have no such answer.');
}

export const ANSWER_HANDLERS: { [E in AnswerEvent]: Handler<E> } = {
  questionMode: {
    facilitatorOnly: true,
    async run({ room, payload: { questionId, ...change }, commit }) {
      checkQuestion(room, questionId);
      await commit((state) => {
        const before = modeOf(state.questionModes, questionId);
        // Turning private off is the reveal: held answers go on the board (in this mode).
        state.questionModes = withMode(state.questionModes, questionId, { anonymous: change.anonymous });
        if (before.private && change.private === false) reveal(room, state, questionId);
        state.questionModes = withMode(state.questionModes, questionId, change);
      });
      return {};
    },
  },
  answer: {
    facilitatorOnly: false,
    whileLocked: 'refused',
    async run({ room, actor, payload: { questionId, text }, commit }) {
      checkQuestion(room, questionId);
      await room.refuseIfDocFull();
      const id = newId();
      const owner = room.answerKey(actor.id);
      const createdAt = Date.now();
      const onBoard = await commit((state) => {
        const mode = modeOf(state.questionModes, questionId);
        const authorId = mode.anonymous ? '' : actor.id;
        if (!mode.private) {
          makeRoomForAnswer(room, state);
          state.answerOwners[id] = owner;
          return { id, questionId, text, authorId, createdAt };
        }
        if (state.heldAnswers.length >= MAX_HELD_ANSWERS) {
          throw new AppError('too_large', `A board holds at most ${MAX_HELD_ANSWERS} private answers.`);
        }
        state.heldAnswers.push({ id, questionId, text, owner, authorId, createdAt });
        return null;
      });
      if (onBoard) placeAnswers(room.doc, [onBoard], SERVER_ANSWERS);
      return { answerId: id };
    },
  },
  answerEdit: {
    facilitatorOnly: false,
    whileLocked: 'refused',
    async run({ room, actor, payload: { answerId, text }, commit }) {
      const owner = room.answerKey(actor.id);
      const where = await commit((state) => {
        const found = ownedBy(state, answerId, owner);
        if (found === 'board') return 'board';
        found.text = text;
        return 'held';
      });
      if (where === 'board') {
        if (questionOfCard(room.doc, answerId) === null)
          throw new AppError('not_found', 'This answer was deleted.');
        await room.refuseIfDocFull();
        updateCard(room.doc, answerId, text, SERVER_ANSWERS);
      }
      return {};
    },
  },
  answerDelete: {
    facilitatorOnly: false,
    whileLocked: 'refused',
    async run({ room, actor, payload: { answerId }, commit }) {
      const owner = room.answerKey(actor.id);
      const where = await commit((state) => {
        const found = ownedBy(state, answerId, owner);
        if (found === 'board') delete state.answerOwners[answerId];
        else state.heldAnswers = state.heldAnswers.filter((answer) => answer !== found);
        return found === 'board' ? 'board' : 'held';
      });
      if (where === 'board') deleteCard(room.doc, answerId, SERVER_ANSWERS);
      return {};
    },
  },
};
