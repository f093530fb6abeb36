/**
 * The dot-voting rules (docs/product.md#phases, docs/session.md#votes), as pure functions over the session state the server holds.
 * Each function either applies a request to a draft state or throws the `AppError` that refuses
 * it, changing nothing.
 *
 * What is counted never depends on the board document, which anyone with the link can edit: if
 * it did, deleting a goal (or making it unreadable) and watching `votesCast` drop would tell a
 * participant its tally before the reveal. So the goals open for voting — the ballot — are fixed
 * when voting opens, and every vote held on a ballot goal counts, against the voter's budget and
 * in `voters`/`votesCast`, whatever the document does meanwhile. A goal that vanishes keeps its
 * votes (an undo may bring it back); only its tally is not shown while it is gone.
 */
import { AppError } from '../errors';
import type { VotingSettings } from './state';

export const MAX_VOTES_PER_PERSON = 100;
export const MAX_VOTES_PER_ITEM = 100;
/** Goals one ballot may hold: far more than a workshop ranks, and a bound on the stored state. */
export const MAX_BALLOT_GOALS = 200;

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

/** One person's votes (every goal they hold a vote on, the vanished ones included). */
export function votesOf(votes: Votes, participantId: string): Record<string, number> {
  const mine: Record<string, number> = {};
  for (const [goalId, count] of Object.entries(votes[participantId] ?? {})) {
    if (count > 0) mine[goalId] = count;
  }
  return mine;
}

function total(counts: Record<string, number>): number {
  let sum = 0;
  for (const count of Object.values(counts)) sum += count;
  return sum;
}

/**
 * Adds (`delta` 1) or takes back (`delta` -1) one vote; returns the voter's votes after it. A new
 * vote needs a ballot goal that exists now; a vote can be taken back from any ballot goal.
 */
export function castVote(
  state: VotingState,
  participantId: string,
  goalId: string,
  delta: 1 | -1,
  exists: GoalExists,
): Record<string, number> {
  if (!state.voting.open) throw new AppError('voting_closed', 'Voting is not open.');
  if (!state.voting.ballot.includes(goalId)) {
    if (exists(goalId)) {
      throw new AppError(
        'not_on_ballot',
        'This goal was added after voting opened: the facilitator can reopen voting to include it.',
      );
    }
    throw new AppError('unknown_goal', 'There is no such goal on this board.');
  }
  const mine = votesOf(state.votes, participantId);
  const onGoal = mine[goalId] ?? 0;
  if (delta === 1) {
    if (!exists(goalId)) throw new AppError('unknown_goal', 'There is no such goal on this board.');
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
  if (Object.keys(held).length > 0) state.votes[participantId] = held;
  else delete state.votes[participantId];
  return votesOf(state.votes, participantId);
}

/**
 * Applies a facilitator's change of the voting settings. `reset` clears every vote and the
 * ballot first. Opening (again, even while open) adds the goals that exist now, `goals`, to the
 * ballot, and so does a reset that leaves voting open; nothing else changes the ballot.
 */
export function changeVoting(state: VotingState, change: VotingChange, goals: readonly string[]): void {
  const votes = change.reset ? {} : state.votes;
  const votesPerPerson = change.votesPerPerson ?? state.voting.votesPerPerson;
  const maxPerItem = change.maxPerItem ?? state.voting.maxPerItem;
  // Only a change of the limits is checked against the votes held: opening, closing or revealing
  // must always work, even when someone is above a limit.
  const limitsChange = change.votesPerPerson !== undefined || change.maxPerItem !== undefined;
  for (const participantId of limitsChange ? Object.keys(votes) : []) {
    const mine = votesOf(votes, participantId);
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
  const open = change.open ?? state.voting.open;
  let ballot = change.reset ? [] : state.voting.ballot;
  if (open && (change.open === true || change.reset)) {
    const added = goals.filter((goalId) => !ballot.includes(goalId));
    if (added.length > 0 && ballot.length + added.length > MAX_BALLOT_GOALS) {
      throw new AppError(
        'ballot_full',
        `A vote holds at most ${MAX_BALLOT_GOALS} goals, and this one would hold ${ballot.length + added.length}: delete some goals, or reset the votes to start a new vote.`,
      );
    }
    ballot = [...ballot, ...added];
  }
  state.votes = votes;
  state.voting = {
    open,
    revealed: change.reset ? (change.revealed ?? false) : (change.revealed ?? state.voting.revealed),
    votesPerPerson,
    maxPerItem,
    ballot,
  };
}

export interface Tally {
  /** Votes per goal that exists now (goals with none are absent, vanished ones too). */
  tallies: Record<string, number>;
  /** People holding at least one vote. */
  voters: number;
  /** Votes held, in all, whatever became of their goals. */
  votesCast: number;
}

export function tallyVotes(votes: Votes, exists: GoalExists): Tally {
  const tallies: Record<string, number> = {};
  let voters = 0;
  let votesCast = 0;
  for (const participantId of Object.keys(votes)) {
    const mine = votesOf(votes, participantId);
    const held = total(mine);
    if (held === 0) continue;
    voters += 1;
    votesCast += held;
    for (const [goalId, count] of Object.entries(mine)) {
      if (exists(goalId)) tallies[goalId] = (tallies[goalId] ?? 0) + count;
    }
  }
  return { tallies, voters, votesCast };
}

/**
 * The ballot of a session stored before ballots existed: every goal that holds a vote (so that
 * those votes can still be taken back), and, if voting is open, the goals that exist now.
 */
export function legacyBallot(votes: Votes, open: boolean, goals: readonly string[]): string[] {
  const ballot = new Set<string>();
  for (const mine of Object.values(votes)) {
    for (const [goalId, count] of Object.entries(mine)) if (count > 0) ballot.add(goalId);
  }
  if (open) for (const goalId of goals) ballot.add(goalId);
  return [...ballot];
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
