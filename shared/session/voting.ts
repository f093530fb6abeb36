/**
 * The dot-voting rules (SPEC §1, §6), as pure functions over the session state the server holds.
 * Each function either applies a request to a draft state or throws the `AppError` that refuses
 * it, changing nothing. Votes on a goal that no longer exists are kept (an undo may bring the goal
 * back) but count for nothing: not in tallies, not against a budget.
 */
import { AppError } from '../errors';
import type { VotingSettings } from './state';

export const MAX_VOTES_PER_PERSON = 100;
export const MAX_VOTES_PER_ITEM = 100;

export type Votes = Record<string, Record<string, number>>;
export type GoalExists = (goalId: string) => boolean;

export interface VotingState {
  voting: VotingSettings;
  votes: Votes;
  agreed: string[];
}

export interface VotingChange {
  open?: boolean;
  revealed?: boolean;
  votesPerPerson?: number;
  maxPerItem?: number;
  reset?: true;
}

/** One person's votes on goals that exist. */
export function votesOf(votes: Votes, participantId: string, exists: GoalExists): Record<string, number> {
  const mine: Record<string, number> = {};
  for (const [goalId, count] of Object.entries(votes[participantId] ?? {})) {
    if (count > 0 && exists(goalId)) mine[goalId] = count;
  }
  return mine;
}

function total(counts: Record<string, number>): number {
  let sum = 0;
  for (const count of Object.values(counts)) sum += count;
  return sum;
}

/** Adds (`delta` 1) or takes back (`delta` -1) one vote; returns the voter's votes after it. */
export function castVote(
  state: VotingState,
  participantId: string,
  goalId: string,
  delta: 1 | -1,
  exists: GoalExists,
): Record<string, number> {
  if (!state.voting.open) throw new AppError('voting_closed', 'Voting is not open.');
  if (!exists(goalId)) throw new AppError('unknown_goal', 'There is no such goal on this board.');
  const mine = votesOf(state.votes, participantId, exists);
  const onGoal = mine[goalId] ?? 0;
  if (delta === 1) {
    if (total(mine) >= state.voting.votesPerPerson) {
      throw new AppError('budget_spent', `You have used all ${state.voting.votesPerPerson} of your votes.`);
    }
    if (onGoal >= state.voting.maxPerItem) {
      throw new AppError('item_cap', `At most ${state.voting.maxPerItem} votes may go to one goal.`);
    }
  } else if (onGoal <= 0) {
    throw new AppError('below_zero', 'You have no vote on this goal to take back.');
  }
  const next = onGoal + delta;
  const held = { ...(state.votes[participantId] ?? {}) };
  if (next > 0) held[goalId] = next;
  else delete held[goalId];
  state.votes[participantId] = held;
  return votesOf(state.votes, participantId, exists);
}

/** Applies a facilitator's change of the voting settings; `reset` clears every vote first. */
export function changeVoting(state: VotingState, change: VotingChange, exists: GoalExists): void {
  if (change.reset) {
    state.votes = {};
    state.voting.revealed = false;
  }
  const votesPerPerson = change.votesPerPerson ?? state.voting.votesPerPerson;
  const maxPerItem = change.maxPerItem ?? state.voting.maxPerItem;
  // Only a change of the limits is checked against the votes held: opening, closing or revealing
  // must always work, even when a restored goal left someone above a limit.
  const limitsChange = change.votesPerPerson !== undefined || change.maxPerItem !== undefined;
  for (const participantId of limitsChange ? Object.keys(state.votes) : []) {
    const mine = votesOf(state.votes, participantId, exists);
    if (change.votesPerPerson !== undefined && total(mine) > votesPerPerson) {
      throw new AppError(
        'votes_exceed_budget',
        `Someone already holds more than ${votesPerPerson} votes: reset the votes first.`,
      );
    }
    if (change.maxPerItem !== undefined && Object.values(mine).some((count) => count > maxPerItem)) {
      throw new AppError(
        'votes_exceed_cap',
        `A goal already holds more than ${maxPerItem} votes from one person: reset the votes first.`,
      );
    }
  }
  state.voting = {
    open: change.open ?? state.voting.open,
    revealed: change.revealed ?? state.voting.revealed,
    votesPerPerson,
    maxPerItem,
  };
}

export interface Tally {
  /** Votes per existing goal (goals with none are absent). */
  tallies: Record<string, number>;
  /** People holding at least one vote. */
  voters: number;
  /** Votes held, in all. */
  votesCast: number;
}

export function tallyVotes(votes: Votes, exists: GoalExists): Tally {
  const tallies: Record<string, number> = {};
  let voters = 0;
  let votesCast = 0;
  for (const participantId of Object.keys(votes)) {
    const mine = votesOf(votes, participantId, exists);
    const held = total(mine);
    if (held === 0) continue;
    voters += 1;
    votesCast += held;
    for (const [goalId, count] of Object.entries(mine)) tallies[goalId] = (tallies[goalId] ?? 0) + count;
  }
  return { tallies, voters, votesCast };
}

/** Marks a goal agreed or not; only an existing goal can be agreed. */
export function setAgreed(state: VotingState, goalId: string, agreed: boolean, exists: GoalExists): void {
  const others = state.agreed.filter((id) => id !== goalId);
  if (agreed) {
    if (!exists(goalId)) throw new AppError('unknown_goal', 'There is no such goal on this board.');
    state.agreed = [...others, goalId];
  } else {
    state.agreed = others;
  }
}
