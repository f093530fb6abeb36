/**
 * A facilitator removes someone from the meeting (a name made up to fill the board, a lost
 * device): what they decided goes with them — their votes and their pulse answer — and their id
 * is kept as removed, so that their tokens open nothing any more. What they wrote on the board
 * stays: it is the team's.
 */
import { AppError } from '../errors';
import type { PulseAnswer } from './pulse';
import type { Votes } from './voting';

export interface RemovalState {
  votes: Votes;
  pulse: PulseAnswer[];
  removed: string[];
}

/**
 * Removes `participantId` (whose pulse answer, if any, is under `pulseKey`). `byId` is who asks:
 * nobody removes themselves (their own device would be cut off with no one to let them back).
 */
export function removeParticipant(
  state: RemovalState,
  participantId: string,
  pulseKey: string,
  byId: string,
): void {
  if (participantId === byId) {
    throw new AppError('bad_request', 'You cannot remove yourself from the board.');
  }
  if (state.removed.includes(participantId)) {
    throw new AppError('not_found', 'This person has already been removed from the board.');
  }
  const votes = { ...state.votes };
  delete votes[participantId];
  state.votes = votes;
  state.pulse = state.pulse.filter((answer) => answer.key !== pulseKey);
  state.removed = [...state.removed, participantId];
}
