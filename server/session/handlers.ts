/**
 * What each client event does (SPEC §6). A handler receives a payload already validated against
 * its schema in shared/session/events.ts and an actor whose role is known; it throws an
 * `AppError` to refuse (nothing changes), and whatever it returns is added to the `{ok: true}`
 * acknowledgement. State changes go through `room.commit`: stored before acknowledged.
 */
import type { ClientEventName, ClientPayloadOf } from '../../shared/session/events';
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
  ): Promise<object | void> | object | void;
}

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
    },
  },
  agree: {
    facilitatorOnly: true,
    async run(room, _actor, { goalId, agreed }) {
      await room.commit((state) => setAgreed(state, goalId, agreed, room.goalExists));
    },
  },
  phase: {
    facilitatorOnly: true,
    async run(room, _actor, { phase }) {
      await room.commit((state) => {
        state.phase = phase;
        state.pulseOpenedAt = pulseOpenedAt(state.pulseOpenedAt, phase, Date.now());
      });
    },
  },
  timer: {
    facilitatorOnly: true,
    async run(room, _actor, request) {
      await room.commit((state) => {
        state.timer = nextTimer(state.timer, request, Date.now());
      });
    },
  },
  lock: {
    facilitatorOnly: true,
    async run(room, _actor, { locked }) {
      await room.commit((state) => {
        state.locked = locked;
      });
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
    },
  },
  pulseResults: {
    facilitatorOnly: true,
    async run(room, _actor, { shown }) {
      await room.commit((state) => {
        state.pulseResults = showPulseResults(room.countedPulse(state), state.pulseResults, shown);
      });
    },
  },
  removeParticipant: {
    facilitatorOnly: true,
    async run(room, actor, { participantId }) {
      await room.remove(participantId, actor.id);
    },
  },
  reaction: {
    facilitatorOnly: false,
    run(room, actor, { emoji }) {
      room.react({ emoji, participantId: actor.id });
    },
  },
};
