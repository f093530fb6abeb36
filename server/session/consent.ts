/**
 * The requests of consent rounds (docs/session.md#consent-rounds). The answers live in the
 * session state, which only the server reads; the view shows each person their own answer and
 * everyone a count, until the round closes and its result is recorded with the goal.
 */
import { AppError } from '../../shared/errors';
import { newId } from '../../shared/ids';
import { closeRound, completeAfterLeaving, everyoneAnswered, openRound } from '../../shared/session/consent';
import type { Handler } from './handlers';
import type { SessionRoom } from './room';

type ConsentEvent = 'consent' | 'consentAnswer';

const nameIn = (room: Omit<SessionRoom, 'commit'>) => (id: string) => room.participant(id)?.name ?? '';

export const CONSENT_HANDLERS: { [E in ConsentEvent]: Handler<E> } = {
  consent: {
    facilitatorOnly: true,
    async run({ room, payload, commit }) {
      if (payload.action === 'start') {
        const { goalId, named } = payload;
        if (!room.goalExists(goalId))
          throw new AppError('unknown_goal', 'There is no such goal on this board.');
        const roundId = newId();
        await commit((state) => {
          // A round whose goal was deleted since is simply replaced: nobody could close it otherwise.
          if (state.consentRound && room.goalExists(state.consentRound.goalId)) {
            throw new AppError('consent_open', 'A consent round is open already: close it first.');
          }
          state.consentRound = { roundId, goalId, named, openedAt: Date.now(), answers: {} };
        });
        return { roundId };
      }
      const { roundId } = payload;
      await commit((state) => {
        openRound(state, roundId);
        closeRound(state, nameIn(room), Date.now());
      });
      return { roundId };
    },
  },
  consentAnswer: {
    facilitatorOnly: false,
    whileLocked: 'refused',
    async run({ room, actor, payload: { roundId, answer, text }, commit }) {
      await commit((state) => {
        const round = openRound(state, roundId);
        round.answers[actor.id] = { answer, text: answer === 'yes' ? '' : text };
        // docs/session.md#consent-rounds: the last awaited answer closes the round.
        if (everyoneAnswered(round, room.awaitedForConsent())) closeRound(state, nameIn(room), Date.now());
      });
      return {};
    },
  },
};

/**
 * How long a participant may be gone (a page reloading, a network blip) before a round stops
 * waiting for them. Units: ms.
 */
export const CONSENT_OFFLINE_GRACE_MS = 2_000;

/**
 * docs/session.md#consent-rounds: someone who had not answered went offline or was removed; if
 * everyone still online has answered, the round closes as on a last answer. Checked again inside
 * the commit, on the latest stored state: another process may have closed it meanwhile.
 */
export async function closeConsentIfOthersAnswered(
  room: SessionRoom,
  inGrace: readonly string[] = [],
): Promise<void> {
  // Someone offline for less than CONSENT_OFFLINE_GRACE_MS is still awaited.
  const awaited = (): string[] => [...new Set([...room.awaitedForConsent(), ...inGrace])];
  const round = room.state.consentRound;
  if (!round || !completeAfterLeaving(round, awaited())) return;
  await room.commit((state) => {
    const latest = state.consentRound;
    if (latest?.roundId !== round.roundId) return;
    if (completeAfterLeaving(latest, awaited())) closeRound(state, nameIn(room), Date.now());
  });
}
