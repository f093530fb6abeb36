/**
 * The dot-voting rules (shared/session/voting, SPEC §1, §6) as pure functions: a request either
 * changes the state or is refused with its error code and changes nothing.
 */
import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors';
import { DEFAULT_MAX_PER_ITEM, DEFAULT_VOTES_PER_PERSON } from '../../shared/session/state';
import {
  castVote,
  changeVoting,
  setAgreed,
  tallyVotes,
  votesOf,
  type GoalExists,
  type VotingState,
} from '../../shared/session/voting';

const ANA = 'participant-ana';
const BEN = 'participant-ben';
const CLO = 'participant-clo';
const G1 = 'goal-00000001';
const G2 = 'goal-00000002';
const G3 = 'goal-00000003';
const G4 = 'goal-00000004';

/** Which goals exist: a set the test can change, as people add and delete goals on the board. */
function board(...ids: string[]): { goals: Set<string>; exists: GoalExists } {
  const goals = new Set(ids);
  return { goals, exists: (id) => goals.has(id) };
}

/** A fresh session with the default settings (5 votes a person, 3 on one goal), voting open. */
function openVoting(overrides: Partial<VotingState['voting']> = {}): VotingState {
  return {
    voting: {
      open: true,
      revealed: false,
      votesPerPerson: DEFAULT_VOTES_PER_PERSON,
      maxPerItem: DEFAULT_MAX_PER_ITEM,
      ...overrides,
    },
    votes: {},
    agreed: [],
  };
}

/** The error a function throws (fails the test when it throws nothing). */
function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

/** Asserts that `run` is refused with `code` and leaves `state` exactly as it was. */
function expectRefused(state: VotingState, run: () => unknown, code: string): void {
  const before = structuredClone(state);
  const error = thrown(run);
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(code);
  expect((error as AppError).message.length).toBeGreaterThan(0);
  expect(state).toEqual(before);
}

/** Casts `count` votes (+1 each) for one person on one goal. */
function castMany(state: VotingState, who: string, goalId: string, count: number, exists: GoalExists): void {
  for (let i = 0; i < count; i++) castVote(state, who, goalId, 1, exists);
}

describe('castVote', () => {
  it('[§6] adds one vote and returns the voter’s votes after it', () => {
    const { exists } = board(G1, G2);
    const state = openVoting();
    expect(castVote(state, ANA, G1, 1, exists)).toEqual({ [G1]: 1 });
    expect(castVote(state, ANA, G2, 1, exists)).toEqual({ [G1]: 1, [G2]: 1 });
    expect(castVote(state, ANA, G1, 1, exists)).toEqual({ [G1]: 2, [G2]: 1 });
    expect(votesOf(state.votes, ANA, exists)).toEqual({ [G1]: 2, [G2]: 1 });
    expect(votesOf(state.votes, BEN, exists)).toEqual({});
  });

  it('[§1][§6] refuses a vote beyond the budget (votesPerPerson) with budget_spent', () => {
    const { exists } = board(G1, G2, G3);
    const state = openVoting();
    castMany(state, ANA, G1, 3, exists);
    castMany(state, ANA, G2, 2, exists);
    expectRefused(state, () => castVote(state, ANA, G3, 1, exists), 'budget_spent');
    // Another person's budget is their own.
    expect(castVote(state, BEN, G3, 1, exists)).toEqual({ [G3]: 1 });
  });

  it('[§1][§6] refuses a fourth vote on one goal with item_cap (maxPerItem 3), while the budget remains', () => {
    const { exists } = board(G1, G2);
    const state = openVoting();
    castMany(state, ANA, G1, 3, exists);
    expectRefused(state, () => castVote(state, ANA, G1, 1, exists), 'item_cap');
    expect(castVote(state, ANA, G2, 1, exists)).toEqual({ [G1]: 3, [G2]: 1 });
  });

  it('[§6] follows the settings in force: a budget of 2 and a cap of 1', () => {
    const { exists } = board(G1, G2, G3);
    const state = openVoting({ votesPerPerson: 2, maxPerItem: 1 });
    castVote(state, ANA, G1, 1, exists);
    expectRefused(state, () => castVote(state, ANA, G1, 1, exists), 'item_cap');
    castVote(state, ANA, G2, 1, exists);
    expectRefused(state, () => castVote(state, ANA, G3, 1, exists), 'budget_spent');
  });

  it('[§6] takes a vote back (-1), which frees the budget again', () => {
    const { exists } = board(G1, G2);
    const state = openVoting();
    castMany(state, ANA, G1, 3, exists);
    castMany(state, ANA, G2, 2, exists);
    expect(castVote(state, ANA, G1, -1, exists)).toEqual({ [G1]: 2, [G2]: 2 });
    expect(castVote(state, ANA, G2, 1, exists)).toEqual({ [G1]: 2, [G2]: 3 });
    expect(castVote(state, ANA, G2, -1, exists)).toEqual({ [G1]: 2, [G2]: 2 });
    castVote(state, ANA, G2, -1, exists);
    expect(castVote(state, ANA, G2, -1, exists)).toEqual({ [G1]: 2 });
  });

  it('[§6] refuses to take back a vote one does not hold with below_zero', () => {
    const { exists } = board(G1, G2);
    const state = openVoting();
    expectRefused(state, () => castVote(state, ANA, G1, -1, exists), 'below_zero');
    castVote(state, BEN, G1, 1, exists);
    // Someone else's vote on the goal is not Ana's to take back.
    expectRefused(state, () => castVote(state, ANA, G1, -1, exists), 'below_zero');
    castVote(state, ANA, G1, 1, exists);
    castVote(state, ANA, G1, -1, exists);
    expectRefused(state, () => castVote(state, ANA, G1, -1, exists), 'below_zero');
    expect(tallyVotes(state.votes, exists).tallies).toEqual({ [G1]: 1 });
  });

  it('[§6] refuses any vote, +1 or -1, while voting is closed with voting_closed', () => {
    const { exists } = board(G1);
    const state = openVoting();
    castVote(state, ANA, G1, 1, exists);
    state.voting.open = false;
    expectRefused(state, () => castVote(state, ANA, G1, 1, exists), 'voting_closed');
    expectRefused(state, () => castVote(state, ANA, G1, -1, exists), 'voting_closed');
    const closedFromTheStart = openVoting({ open: false });
    expectRefused(
      closedFromTheStart,
      () => castVote(closedFromTheStart, BEN, G1, 1, exists),
      'voting_closed',
    );
  });

  it('[§6] refuses a vote on a goal that does not exist with unknown_goal', () => {
    const { exists } = board(G1);
    const state = openVoting();
    expectRefused(state, () => castVote(state, ANA, G2, 1, exists), 'unknown_goal');
    expectRefused(state, () => castVote(state, ANA, '__proto__', 1, exists), 'unknown_goal');
    expect(Object.getPrototypeOf(state.votes)).toBe(Object.prototype);
  });
});

describe('votes on deleted goals', () => {
  it('[§6][§7] count for nothing once the goal is deleted: not in tallies, not in myVotes, not in votesCast', () => {
    const { goals, exists } = board(G1, G2);
    const state = openVoting();
    castMany(state, ANA, G1, 2, exists);
    castVote(state, ANA, G2, 1, exists);
    castMany(state, BEN, G1, 3, exists);
    goals.delete(G1);
    expect(votesOf(state.votes, ANA, exists)).toEqual({ [G2]: 1 });
    expect(votesOf(state.votes, BEN, exists)).toEqual({});
    expect(tallyVotes(state.votes, exists)).toEqual({ tallies: { [G2]: 1 }, voters: 1, votesCast: 1 });
  });

  it('[§6] free the budget they used: the voter can spend those votes on other goals', () => {
    const { goals, exists } = board(G1, G2, G3);
    const state = openVoting();
    castMany(state, ANA, G1, 3, exists);
    castMany(state, ANA, G2, 2, exists);
    expectRefused(state, () => castVote(state, ANA, G3, 1, exists), 'budget_spent');
    goals.delete(G1);
    castMany(state, ANA, G3, 3, exists);
    expect(votesOf(state.votes, ANA, exists)).toEqual({ [G2]: 2, [G3]: 3 });
    expectRefused(state, () => castVote(state, ANA, G2, 1, exists), 'budget_spent');
  });

  it('[§6] cannot be voted on or taken back while the goal is gone (unknown_goal)', () => {
    const { goals, exists } = board(G1);
    const state = openVoting();
    castVote(state, ANA, G1, 1, exists);
    goals.delete(G1);
    expectRefused(state, () => castVote(state, ANA, G1, -1, exists), 'unknown_goal');
    expectRefused(state, () => castVote(state, ANA, G1, 1, exists), 'unknown_goal');
  });

  it('[§6] come back when the goal exists again (an undo of the deletion)', () => {
    const { goals, exists } = board(G1, G2);
    const state = openVoting();
    castMany(state, ANA, G1, 2, exists);
    castMany(state, BEN, G1, 1, exists);
    castVote(state, BEN, G2, 1, exists);
    goals.delete(G1);
    expect(tallyVotes(state.votes, exists)).toEqual({ tallies: { [G2]: 1 }, voters: 1, votesCast: 1 });
    goals.add(G1);
    expect(votesOf(state.votes, ANA, exists)).toEqual({ [G1]: 2 });
    expect(tallyVotes(state.votes, exists)).toEqual({
      tallies: { [G1]: 3, [G2]: 1 },
      voters: 2,
      votesCast: 4,
    });
  });
});

describe('tallyVotes', () => {
  it('[§6][§7] sums votes per goal; voters counts people holding at least one vote, votesCast the votes held', () => {
    const { exists } = board(G1, G2, G3, G4);
    const state = openVoting();
    castMany(state, ANA, G1, 3, exists);
    castMany(state, ANA, G2, 2, exists);
    castMany(state, BEN, G1, 1, exists);
    castMany(state, BEN, G3, 1, exists);
    castMany(state, CLO, G2, 1, exists);
    castVote(state, CLO, G2, -1, exists);
    expect(tallyVotes(state.votes, exists)).toEqual({
      tallies: { [G1]: 4, [G2]: 2, [G3]: 1 },
      voters: 2,
      votesCast: 7,
    });
  });

  it('[§6] of nobody’s votes is empty, with no voters', () => {
    expect(tallyVotes({}, board(G1).exists)).toEqual({ tallies: {}, voters: 0, votesCast: 0 });
  });
});

describe('changeVoting', () => {
  it('[§6] opens, reveals, closes and changes the settings, each field on its own', () => {
    const { exists } = board(G1);
    const state = openVoting({ open: false });
    changeVoting(state, { open: true }, exists);
    expect(state.voting).toEqual({ open: true, revealed: false, votesPerPerson: 5, maxPerItem: 3 });
    changeVoting(state, { revealed: true }, exists);
    expect(state.voting).toEqual({ open: true, revealed: true, votesPerPerson: 5, maxPerItem: 3 });
    changeVoting(state, { votesPerPerson: 8, maxPerItem: 4 }, exists);
    expect(state.voting).toEqual({ open: true, revealed: true, votesPerPerson: 8, maxPerItem: 4 });
    changeVoting(state, { open: false }, exists);
    expect(state.voting).toEqual({ open: false, revealed: true, votesPerPerson: 8, maxPerItem: 4 });
  });

  it('[§6] reset clears every vote and hides the tallies again', () => {
    const { exists } = board(G1, G2);
    const state = openVoting({ revealed: true });
    castMany(state, ANA, G1, 2, exists);
    castMany(state, BEN, G2, 3, exists);
    changeVoting(state, { reset: true }, exists);
    expect(state.votes).toEqual({});
    expect(state.voting.revealed).toBe(false);
    expect(state.voting.open).toBe(true);
    expect(tallyVotes(state.votes, exists)).toEqual({ tallies: {}, voters: 0, votesCast: 0 });
    expect(castVote(state, ANA, G1, 1, exists)).toEqual({ [G1]: 1 });
  });

  it('[§6] reset together with a smaller budget succeeds: the votes are cleared first', () => {
    const { exists } = board(G1, G2);
    const state = openVoting();
    castMany(state, ANA, G1, 3, exists);
    castMany(state, ANA, G2, 2, exists);
    changeVoting(state, { reset: true, votesPerPerson: 2, maxPerItem: 1 }, exists);
    expect(state.votes).toEqual({});
    expect(state.voting).toEqual({ open: true, revealed: false, votesPerPerson: 2, maxPerItem: 1 });
  });

  it('[§6] refuses to lower votesPerPerson below what someone holds with votes_exceed_budget, changing nothing', () => {
    const { exists } = board(G1, G2);
    const state = openVoting();
    castMany(state, ANA, G1, 2, exists);
    castMany(state, ANA, G2, 2, exists);
    expectRefused(state, () => changeVoting(state, { votesPerPerson: 3 }, exists), 'votes_exceed_budget');
    // Nothing else in the same request is applied either.
    expectRefused(
      state,
      () => changeVoting(state, { votesPerPerson: 3, open: false, revealed: true }, exists),
      'votes_exceed_budget',
    );
    // Down to exactly what the biggest holder holds is fine.
    changeVoting(state, { votesPerPerson: 4 }, exists);
    expect(state.voting.votesPerPerson).toBe(4);
    expectRefused(state, () => castVote(state, ANA, G1, 1, exists), 'budget_spent');
  });

  it('[§6] refuses to lower maxPerItem below a holding on one goal with votes_exceed_cap, changing nothing', () => {
    const { exists } = board(G1, G2);
    const state = openVoting();
    castMany(state, ANA, G1, 3, exists);
    castMany(state, BEN, G2, 1, exists);
    expectRefused(state, () => changeVoting(state, { maxPerItem: 2 }, exists), 'votes_exceed_cap');
    expectRefused(
      state,
      () => changeVoting(state, { maxPerItem: 1, votesPerPerson: 10 }, exists),
      'votes_exceed_cap',
    );
    changeVoting(state, { maxPerItem: 3, votesPerPerson: 10 }, exists);
    expect(state.voting).toEqual({ open: true, revealed: false, votesPerPerson: 10, maxPerItem: 3 });
  });

  it('[§6] ignores votes on deleted goals when checking a lower budget', () => {
    const { goals, exists } = board(G1, G2);
    const state = openVoting();
    castMany(state, ANA, G1, 3, exists);
    castMany(state, ANA, G2, 1, exists);
    goals.delete(G1);
    changeVoting(state, { votesPerPerson: 1, maxPerItem: 1 }, exists);
    expect(state.voting).toEqual({ open: true, revealed: false, votesPerPerson: 1, maxPerItem: 1 });
  });

  it('[§6] can still reveal and close voting when a restored goal leaves someone above the budget', () => {
    // Ana spends 3 votes on G1, G1 is deleted (freeing them), she spends them elsewhere, and an
    // undo brings G1 back: she now holds 7 of 5. Only *lowering* the budget is refused (SPEC §6);
    // the facilitator must still be able to reveal the tallies and close the vote.
    const { goals, exists } = board(G1, G2, G3);
    const state = openVoting();
    castMany(state, ANA, G1, 3, exists);
    castMany(state, ANA, G2, 2, exists);
    goals.delete(G1);
    castMany(state, ANA, G3, 2, exists);
    goals.add(G1);
    expect(tallyVotes(state.votes, exists).votesCast).toBe(7);
    changeVoting(state, { revealed: true }, exists);
    changeVoting(state, { open: false }, exists);
    expect(state.voting).toEqual({ open: false, revealed: true, votesPerPerson: 5, maxPerItem: 3 });
  });
});

describe('setAgreed', () => {
  it('[§1][§6] marks an existing goal agreed, in the order the facilitator agreed them', () => {
    const { exists } = board(G1, G2);
    const state = openVoting();
    setAgreed(state, G2, true, exists);
    setAgreed(state, G1, true, exists);
    expect(state.agreed).toEqual([G2, G1]);
  });

  it('[§6] refuses to agree a goal that does not exist with unknown_goal', () => {
    const { exists } = board(G1);
    const state = openVoting();
    setAgreed(state, G1, true, exists);
    expectRefused(state, () => setAgreed(state, G2, true, exists), 'unknown_goal');
    expectRefused(state, () => setAgreed(state, '__proto__', true, exists), 'unknown_goal');
  });

  it('[§6] always allows un-agreeing, even a goal that is gone or was never agreed', () => {
    const { goals, exists } = board(G1, G2);
    const state = openVoting();
    setAgreed(state, G1, true, exists);
    setAgreed(state, G2, true, exists);
    goals.delete(G1);
    setAgreed(state, G1, false, exists);
    expect(state.agreed).toEqual([G2]);
    setAgreed(state, G3, false, exists);
    expect(state.agreed).toEqual([G2]);
    setAgreed(state, G2, false, exists);
    expect(state.agreed).toEqual([]);
  });

  it('[§6] never lists a goal twice, however often it is agreed', () => {
    const { exists } = board(G1, G2);
    const state = openVoting();
    setAgreed(state, G1, true, exists);
    setAgreed(state, G2, true, exists);
    setAgreed(state, G1, true, exists);
    setAgreed(state, G1, true, exists);
    expect([...state.agreed].sort()).toEqual([G1, G2]);
    expect(state.agreed).toHaveLength(2);
    setAgreed(state, G1, false, exists);
    expect(state.agreed).toEqual([G2]);
  });
});
