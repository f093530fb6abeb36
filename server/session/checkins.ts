/**
 * The check-in requests (docs/session.md#check-ins): the server writes them into the board's
 * document itself (`SessionRoom.changeDoc`), the only writer of the `checkins` root
 * (docs/sync.md#check-ins).
 */
import { closeCheckin, recordCheckin, startCheckin } from '../../shared/board/checkins';
import { AppError } from '../../shared/errors';
import type { ClientPayloadOf } from '../../shared/session/events';
import type { ParticipantRecord } from '../storage/store';
import type { SessionRoom } from './room';

type Room = Omit<SessionRoom, 'commit'>;

/** `start` (closing any open one) or `close`; facilitators only (checked by the caller). */
export async function runCheckin(
  room: Room,
  payload: ClientPayloadOf<'checkin'>,
): Promise<{ checkinId: string }> {
  if (payload.action === 'start') {
    const checkinId = await room.changeDoc((doc, origin) =>
      startCheckin(doc, { date: payload.date, label: payload.label }, origin),
    );
    return { checkinId };
  }
  await room.changeDoc((doc, origin) => closeCheckin(doc, payload.checkinId, origin));
  return { checkinId: payload.checkinId };
}

/**
 * One goal's value in the open check-in, by anyone present: the goal must exist and be agreed
 * (`unknown_goal`), the check-in open (`checkin_closed`, `not_found`), the board unlocked for
 * participants (`locked`).
 */
export async function runCheckinRecord(
  room: Room,
  actor: ParticipantRecord,
  payload: ClientPayloadOf<'checkinRecord'>,
): Promise<void> {
  if (actor.role !== 'facilitator' && room.state.locked) {
    throw new AppError('locked', 'The board is locked: the facilitator has paused changes.');
  }
  if (!room.goalExists(payload.goalId) || !room.state.agreed.includes(payload.goalId)) {
    throw new AppError('unknown_goal', 'Check-ins record agreed goals only: there is no such agreed goal.');
  }
  await room.refuseIfDocFull();
  await room.changeDoc((doc, origin) => recordCheckin(doc, payload, actor.id, origin));
}
