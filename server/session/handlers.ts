/**
 * What each client event does (docs/session.md#requests), and who may send it. `handleRequest`
 * checks the sender's role, validates the payload against its schema in shared/session/events.ts,
 * applies the lock (docs/session.md#lock), then runs the event's handler. A handler throws an
 * `AppError` to refuse (nothing changes), and returns what its event's acknowledgement carries
 * besides `ok: true` (`ClientReplies` in shared/session/events.ts: for most events, nothing).
 * State changes go through the request's `commit`: stored before acknowledged.
 */
import { AppError } from '../../shared/errors';
import {
  ClientPayload,
  type ClientEventName,
  type ClientPayloadOf,
  type NoReply,
  type ReplyOf,
} from '../../shared/session/events';
import { checkMayAnswer, pulseOpenedAt, showPulseResults, withPulseAnswer } from '../../shared/session/pulse';
import { nextTimer } from '../../shared/session/timer';
import { withReady } from '../../shared/session/readyfocus';
import { castVote, changeVoting, setAgreed } from '../../shared/session/voting';
import { parseInput } from '../../shared/validate';
import type { ParticipantRecord } from '../storage/store';
import { runCheckin, runCheckinRecord } from './checkins';
import { ANSWER_HANDLERS } from './answers';
import { CONSENT_HANDLERS } from './consent';
import type { SessionRoom } from './room';
import type { SessionState } from './state';

/** Changes the meeting's state: `mutate` gets the latest stored state and may throw to refuse. */
type Commit = <T>(mutate: (draft: SessionState) => T) => Promise<T>;

/** One request as its handler sees it. */
interface Request<E extends ClientEventName> {
  /** The meeting, whose state changes only through `commit` (which applies the lock). */
  room: Omit<SessionRoom, 'commit'>;
  actor: ParticipantRecord;
  payload: ClientPayloadOf<E>;
  commit: Commit;
}

/**
 * Who may send an event. An event participants may send must say what the lock does to it
 * (docs/session.md#lock): `refused` (their request changes nothing and is answered `locked`) or
 * `allowed`. Facilitators are never refused by the lock.
 */
type Senders =
  | { /** Refused with `not_facilitator` for anyone else. */ facilitatorOnly: true }
  | { facilitatorOnly: false; whileLocked: 'refused' | 'allowed' };

export type Handler<E extends ClientEventName> = Senders & {
  run(request: Request<E>): Promise<ReplyOf<E>> | ReplyOf<E>;
};

/** What a handler returns when its acknowledgement carries nothing but `ok: true`. */
const NO_REPLY: NoReply = {};

export const HANDLERS: { [E in ClientEventName]: Handler<E> } = {
  vote: {
    facilitatorOnly: false,
    whileLocked: 'refused',
    async run({ room, actor, payload: { goalId, delta }, commit }) {
      const myVotes = await commit((state) => castVote(state, actor.id, goalId, delta, room.goalExists));
      return { myVotes };
    },
  },
  voting: {
    facilitatorOnly: true,
    async run({ room, payload: change, commit }) {
      await commit((state) => changeVoting(state, change, room.goalIds()));
      return NO_REPLY;
    },
  },
  agree: {
    facilitatorOnly: true,
    async run({ room, payload: { goalId, agreed }, commit }) {
      await commit((state) => setAgreed(state, goalId, agreed, room.goalExists));
      return NO_REPLY;
    },
  },
  phase: {
    facilitatorOnly: true,
    async run({ payload: { phase }, commit }) {
      await commit((state) => {
        state.phase = phase;
        // docs/session.md#ready: the marks belong to the phase they were made in.
        if (state.readyPhase !== phase) {
          state.ready = [];
          state.readyPhase = phase;
        }
        state.pulseOpenedAt = pulseOpenedAt(state.pulseOpenedAt, phase, Date.now());
      });
      return NO_REPLY;
    },
  },
  timer: {
    facilitatorOnly: true,
    async run({ payload: request, commit }) {
      await commit((state) => {
        state.timer = nextTimer(state.timer, request, Date.now());
      });
      return NO_REPLY;
    },
  },
  lock: {
    facilitatorOnly: true,
    async run({ payload: { locked }, commit }) {
      await commit((state) => {
        state.locked = locked;
      });
      return NO_REPLY;
    },
  },
  pulse: {
    facilitatorOnly: false,
    whileLocked: 'refused',
    async run({ room, actor, payload: { score, help }, commit }) {
      const key = room.pulseKey(actor.id);
      await commit((state) => {
        checkMayAnswer(state.pulseOpenedAt, actor);
        state.pulse = withPulseAnswer(state.pulse, { key, score, help });
      });
      return NO_REPLY;
    },
  },
  pulseResults: {
    facilitatorOnly: true,
    async run({ room, payload: { shown }, commit }) {
      await commit((state) => {
        state.pulseResults = showPulseResults(room.countedPulse(state), state.pulseResults, shown);
      });
      return NO_REPLY;
    },
  },
  removeParticipant: {
    facilitatorOnly: true,
    async run({ room, actor, payload: { participantId } }) {
      await room.remove(participantId, actor.id);
      return NO_REPLY;
    },
  },
  reaction: {
    facilitatorOnly: false,
    // A reaction changes nothing stored: the room may still cheer while the board is locked.
    whileLocked: 'allowed',
    run({ room, actor, payload: { emoji } }) {
      room.react({ emoji, participantId: actor.id });
      return NO_REPLY;
    },
  },
  checkin: { facilitatorOnly: true, run: ({ room, payload }) => runCheckin(room, payload) },
  checkinRecord: {
    facilitatorOnly: false,
    whileLocked: 'refused',
    async run({ room, actor, payload }) {
      await runCheckinRecord(room, actor, payload);
      return NO_REPLY;
    },
  },
  ready: {
    facilitatorOnly: false,
    // Saying one is done is not content (docs/session.md#ready): allowed while locked.
    whileLocked: 'allowed',
    async run({ actor, payload: { done }, commit }) {
      await commit((state) => withReady(state, actor.id, done));
      return NO_REPLY;
    },
  },
  focus: {
    facilitatorOnly: true,
    async run({ payload: { target }, commit }) {
      await commit((state) => {
        state.focus = target;
      });
      return NO_REPLY;
    },
  },
  answerRights: {
    facilitatorOnly: true,
    async run({ payload: { rights }, commit }) {
      await commit((state) => {
        state.answerRights = rights;
      });
      return NO_REPLY;
    },
  },
  ...ANSWER_HANDLERS,
  ...CONSENT_HANDLERS,
};

/** Refuses a participant's change while the board is locked (docs/session.md#lock). */
function refuseWhileLocked(state: Readonly<SessionState>): void {
  if (state.locked) throw new AppError('locked', 'The board is locked: the facilitator has paused changes.');
}

/**
 * Runs one request from `actor` (docs/session.md#requests): refused with `not_facilitator` when
 * the event is the facilitator's, with `bad_request` when its payload fails its schema, with
 * `locked` when its event declares so and the board is locked, else handled.
 */
export function handleRequest<E extends ClientEventName>(
  room: SessionRoom,
  actor: ParticipantRecord,
  name: E,
  input: unknown,
): Promise<ReplyOf<E>> | ReplyOf<E> {
  const handler: Handler<E> = HANDLERS[name];
  if (handler.facilitatorOnly && actor.role !== 'facilitator') {
    throw new AppError('not_facilitator', 'Only a facilitator can do this.');
  }
  const payload = parseInput(ClientPayload[name], input);
  const locks = !handler.facilitatorOnly && handler.whileLocked === 'refused' && actor.role !== 'facilitator';
  // The lock is read from the very state the change is made to: the latest stored, whichever
  // process locked the board, so that no request slips through between a lock and its broadcast.
  const commit: Commit = locks
    ? (mutate) =>
        room.commit((draft) => {
          refuseWhileLocked(draft);
          return mutate(draft);
        })
    : (mutate) => room.commit(mutate);
  return handler.run({ room, actor, payload, commit });
}
