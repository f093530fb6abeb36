/**
 * What each client event does (docs/session.md#requests). A handler receives a payload already validated against
 * its schema in shared/session/events.ts and an actor whose role is known; it throws an
 * `AppError` to refuse (nothing changes), and returns what its event's acknowledgement carries
 * besides `ok: true` (`ClientReplies` in shared/session/events.ts: for most events, nothing).
 * State changes go through `room.commit`: stored before acknowledged.
 */
import type { ClientEventName, ClientPayloadOf, NoReply, ReplyOf } from '../../shared/session/events';
import { checkMayAnswer, pulseOpenedAt, showPulseResults, withPulseAnswer } from '../../shared/session/pulse';
import { nextTimer } from '../../shared/session/timer';
import { castVote, changeVoting, setAgreed } from '../../shared/session/voting';
import type { ParticipantRecord } from '../storage/store';
import type { SessionRoom } from './room';

interface Handler<E extends ClientEventName> {
  /** Refused with `not_facilitator` for anyone else. */
  facilitatorOnly: boolean;
  run(
    room: SessionRoom,
    actor: ParticipantRecord,
    payload: ClientPayloadOf<E>,
  ): Promise<ReplyOf<E>> | ReplyOf<E>;
}

/** What a handler returns when its acknowledgement carries nothing but `ok: true`. */
const NO_REPLY: NoReply = {};

export const HANDLERS: { [E in ClientEventName]: Handler<E> } = {
  vote: {
    facilitatorOnly: false,
    async run(room, actor, { goalId, delta }) {
      const myVotes = await room.commit((state) => castVote(state, actor.id, goalId, delta, room.goalExists));
      return { myVotes };
    },
  },
  voting: {
    facilitatorOnly: true,
    async run(room, _actor, change) {
      await room.commit((state) => changeVoting(state, change, room.goalIds()));
      return NO_REPLY;
    },
  },
  agree: {
    facilitatorOnly: true,
    async run(room, _actor, { goalId, agreed }) {
      await room.commit((state) => setAgreed(state, goalId, agreed, room.goalExists));
      return NO_REPLY;
    },
  },
  phase: {
    facilitatorOnly: true,
    async run(room, _actor, { phase }) {
      await room.commit((state) => {
        state.phase = phase;
        state.pulseOpenedAt = pulseOpenedAt(state.pulseOpenedAt, phase, Date.now());
      });
      return NO_REPLY;
    },
  },
  timer: {
    facilitatorOnly: true,
    async run(room, _actor, request) {
      await room.commit((state) => {
        state.timer = nextTimer(state.timer, request, Date.now());
      });
      return NO_REPLY;
    },
  },
  lock: {
    facilitatorOnly: true,
    async run(room, _actor, { locked }) {
      await room.commit((state) => {
        state.locked = locked;
      });
      return NO_REPLY;
    },
  },
  pulse: {
    facilitatorOnly: false,
    async run(room, actor, { score, help }) {
      const key = room.pulseKey(actor.id);
      await room.commit((state) => {
        checkMayAnswer(state.pulseOpenedAt, actor);
        state.pulse = withPulseAnswer(state.pulse, { key, score, help });
      });
      return NO_REPLY;
    },
  },
  pulseResults: {
    facilitatorOnly: true,
    async run(room, _actor, { shown }) {
      await room.commit((state) => {
        state.pulseResults = showPulseResults(room.countedPulse(state), state.pulseResults, shown);
      });
      return NO_REPLY;
    },
  },
  removeParticipant: {
    facilitatorOnly: true,
    async run(room, actor, { participantId }) {
      await room.remove(participantId, actor.id);
      return NO_REPLY;
    },
  },
  reaction: {
    facilitatorOnly: false,
    run(room, actor, { emoji }) {
      room.react({ emoji, participantId: actor.id });
      return NO_REPLY;
    },
  },
};
