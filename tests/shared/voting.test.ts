/**
 * The dot-voting rules (shared/session/voting, docs/product.md#phases, docs/session.md#votes) as pure functions: a request either
 * changes the state or is refused with its error code and changes nothing. What is counted never
 * follows the board document: the ballot is fixed when voting opens.
 */
import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors';
import { DEFAULT_MAX_PER_ITEM, DEFAULT_VOTES_PER_PERSON } from '../../shared/session/state';
import {
  castVote,
  changeVoting,
  legacyBallot,
  MAX_BALLOT_GOALS,
  setAgreed,
  tallyVotes,
  votesOf,
  type GoalExists,
  type VotingState,
} from '../../shared/session/voting';
import { thrown } from '../helpers/expect';

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

/**
 * A fresh session with the default settings (5 votes a person, 3 on one goal), voting opened on
 * the goals G1…G4 (whichever of them a test's board then has).
 */
function openVoting(overrides: Partial<VotingState['voting']> = {}): VotingState {
  return {
    voting: {
      open: true,
      revealed: false,
      votesPerPerson: DEFAULT_VOTES_PER_PERSON,
      maxPerItem: DEFAULT_MAX_PER_ITEM,
      ballot: [G1, G2, G3, G4],
      ...overrides,
    },
    votes: {},
    agreed: [],
  };
}

/** The settings of a session whose voting has never been opened. */
const CLOSED = {
  open: false,
  revealed: false,
  votesPerPerson: DEFAULT_VOTES_PER_PERSON,
  maxPerItem: DEFAULT_MAX_PER_ITEM,
  ballot: [],
};

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
  it('[session#votes] adds one vote and returns the voter’s votes after it', () => {
    const { exists } = board(G1, G2);
    const state = openVoting();
    expect(castVote(state, ANA, G1, 1, exists)).toEqual({ [G1]: 1 });
    expect(castVote(state, ANA, G2, 1, exists)).toEqual({ [G1]: 1, [G2]: 1 });
    expect(castVote(state, ANA, G1, 1, exists)).toEqual({ [G1]: 2, [G2]: 1 });
    expect(votesOf(state.votes, ANA)).toEqual({ [G1]: 2, [G2]: 1 });
    expect(votesOf(state.votes, BEN)).toEqual({});
  });

  it('[product#phases][session#voting] refuses a vote beyond the budget (votesPerPerson) with budget_spent', () => {
    const { exists } = board(G1, G2, G3);
    const state = openVoting();
    castMany(state, ANA, G1, 3, exists);
    castMany(state, ANA, G2, 2, exists);
    expectRefused(state, () => castVote(state, ANA, G3, 1, exists), 'budget_spent');
    // Another person's budget is their own.
    expect(castVote(state, BEN, G3, 1, exists)).toEqual({ [G3]: 1 });
  });

  it('[product#phases][session#voting] refuses a fourth vote on one goal with item_cap (maxPerItem 3), while the budget remains', () => {
    const { exists } = board(G1, G2);
    const state = openVoting();
    castMany(state, ANA, G1, 3, exists);
    expectRefused(state, () => castVote(state, ANA, G1, 1, exists), 'item_cap');
    expect(castVote(state, ANA, G2, 1, exists)).toEqual({ [G1]: 3, [G2]: 1 });
  });

  it('[session#votes] follows the settings in force: a budget of 2 and a cap of 1', () => {
    const { exists } = board(G1, G2, G3);
    const state = openVoting({ votesPerPerson: 2, maxPerItem: 1 });
    castVote(state, ANA, G1, 1, exists);
    expectRefused(state, () => castVote(state, ANA, G1, 1, exists), 'item_cap');
    castVote(state, ANA, G2, 1, exists);
    expectRefused(state, () => castVote(state, ANA, G3, 1, exists), 'budget_spent');
  });

  it('[session#votes] takes a vote back (-1), which frees the budget again', () => {
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

  it('[session#votes] refuses to take back a vote one does not hold with below_zero', () => {
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

  it('[session#votes] refuses any vote, +1 or -1, while voting is closed with voting_closed', () => {
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

  it('[session#votes] refuses a vote on a goal that does not exist with unknown_goal', () => {
    const { exists } = board(G1);
    const state = openVoting();
    expectRefused(state, () => castVote(state, ANA, G2, 1, exists), 'unknown_goal');
    expectRefused(state, () => castVote(state, ANA, '__proto__', 1, exists), 'unknown_goal');
    expect(Object.getPrototypeOf(state.votes)).toBe(Object.prototype);
  });
});

describe('votes on deleted goals', () => {
  it('[session#votes][export#hidden-votes] stay cast when the goal is deleted: hidden from the tallies, still in myVotes, voters and votesCast', () => {
    const { goals, exists } = board(G1, G2);
    const state = openVoting();
    castMany(state, ANA, G1, 2, exists);
    castVote(state, ANA, G2, 1, exists);
    castMany(state, BEN, G1, 3, exists);
    const before = tallyVotes(state.votes, exists);
    goals.delete(G1);
    expect(votesOf(state.votes, ANA)).toEqual({ [G1]: 2, [G2]: 1 });
    expect(votesOf(state.votes, BEN)).toEqual({ [G1]: 3 });
    expect(tallyVotes(state.votes, exists)).toEqual({ tallies: { [G2]: 1 }, voters: 2, votesCast: 6 });
    // What everyone sees (voters, votesCast) does not move: it would tell them G1's tally.
    expect(tallyVotes(state.votes, exists)).toMatchObject({
      voters: before.voters,
      votesCast: before.votesCast,
    });
  });

  it('[session#votes] keep the budget they used: deleting a goal frees no vote', () => {
    const { goals, exists } = board(G1, G2, G3);
    const state = openVoting();
    castMany(state, ANA, G1, 3, exists);
    castMany(state, ANA, G2, 2, exists);
    goals.delete(G1);
    expectRefused(state, () => castVote(state, ANA, G3, 1, exists), 'budget_spent');
  });

  it('[session#votes] cannot get a new vote while the goal is gone (unknown_goal), but can be taken back, which frees them', () => {
    const { goals, exists } = board(G1, G2);
    const state = openVoting();
    castMany(state, ANA, G1, 2, exists);
    castMany(state, ANA, G2, 3, exists);
    goals.delete(G1);
    expectRefused(state, () => castVote(state, ANA, G1, 1, exists), 'unknown_goal');
    expectRefused(state, () => castVote(state, BEN, G1, -1, exists), 'below_zero');
    expect(castVote(state, ANA, G1, -1, exists)).toEqual({ [G1]: 1, [G2]: 3 });
    goals.add(G3);
    // G3 is not on this test's ballot unless it was there when voting opened; G4 was.
    goals.add(G4);
    expect(castVote(state, ANA, G4, 1, exists)).toEqual({ [G1]: 1, [G2]: 3, [G4]: 1 });
  });

  it('[session#votes] show again when the goal exists again (an undo of the deletion)', () => {
    const { goals, exists } = board(G1, G2);
    const state = openVoting();
    castMany(state, ANA, G1, 2, exists);
    castMany(state, BEN, G1, 1, exists);
    castVote(state, BEN, G2, 1, exists);
    goals.delete(G1);
    expect(tallyVotes(state.votes, exists)).toEqual({ tallies: { [G2]: 1 }, voters: 2, votesCast: 4 });
    goals.add(G1);
    expect(votesOf(state.votes, ANA)).toEqual({ [G1]: 2 });
    expect(tallyVotes(state.votes, exists)).toEqual({
      tallies: { [G1]: 3, [G2]: 1 },
      voters: 2,
      votesCast: 4,
    });
  });
});

describe('the ballot', () => {
  it('[session#voting] is the goals on the board when voting opens; a goal added later is refused with not_on_ballot until voting is reopened', () => {
    const { goals, exists } = board(G1, G2);
    const state: VotingState = { voting: { ...CLOSED }, votes: {}, agreed: [] };
    changeVoting(state, { open: true }, [...goals]);
    expect(state.voting.ballot).toEqual([G1, G2]);
    goals.add(G3);
    expectRefused(state, () => castVote(state, ANA, G3, 1, exists), 'not_on_ballot');
    expectRefused(state, () => castVote(state, ANA, G3, -1, exists), 'not_on_ballot');
    // Reopening (even while open) adds what exists now, and removes nothing.
    castVote(state, ANA, G1, 1, exists);
    goals.delete(G1);
    changeVoting(state, { open: true }, [...goals]);
    expect(state.voting.ballot).toEqual([G1, G2, G3]);
    expect(castVote(state, ANA, G3, 1, exists)).toEqual({ [G1]: 1, [G3]: 1 });
  });

  it('[session#voting] does not change when voting closes, is revealed or its limits change; only a reset empties it', () => {
    const { goals, exists } = board(G1, G2);
    const state: VotingState = { voting: { ...CLOSED }, votes: {}, agreed: [] };
    changeVoting(state, { open: true }, [...goals]);
    castVote(state, ANA, G1, 1, exists);
    goals.add(G3);
    for (const change of [{ open: false }, { revealed: true }, { votesPerPerson: 8 }, { maxPerItem: 2 }]) {
      changeVoting(state, change, [...goals]);
      expect(state.voting.ballot, JSON.stringify(change)).toEqual([G1, G2]);
    }
    changeVoting(state, { reset: true }, [...goals]);
    expect(state.voting.ballot).toEqual([]);
    expect(state.votes).toEqual({});
  });

  it('[session#voting] a reset that leaves voting open starts a new ballot from the goals that exist now', () => {
    const { goals, exists } = board(G1, G2);
    const state = openVoting({ ballot: [G1, G2] });
    castVote(state, ANA, G1, 1, exists);
    goals.delete(G1);
    goals.add(G3);
    changeVoting(state, { reset: true }, [...goals]);
    expect(state.voting.ballot).toEqual([G2, G3]);
    expect(castVote(state, ANA, G3, 1, exists)).toEqual({ [G3]: 1 });
  });

  it(`[errors#bad-input-and-faults] holds at most ${MAX_BALLOT_GOALS} goals: opening on more is refused with ballot_full, changing nothing`, () => {
    const many = Array.from({ length: MAX_BALLOT_GOALS + 1 }, (_, i) => `goal-${String(i).padStart(8, '0')}`);
    const state: VotingState = { voting: { ...CLOSED }, votes: {}, agreed: [] };
    expectRefused(state, () => changeVoting(state, { open: true }, many), 'ballot_full');
    changeVoting(state, { open: true }, many.slice(0, MAX_BALLOT_GOALS));
    expect(state.voting.ballot).toHaveLength(MAX_BALLOT_GOALS);
    // Full: reopening with one more goal is refused, reopening with nothing new is fine.
    expectRefused(state, () => changeVoting(state, { open: true }, many), 'ballot_full');
    changeVoting(state, { open: true }, many.slice(0, 10));
    expect(state.voting.ballot).toHaveLength(MAX_BALLOT_GOALS);
  });

  it('[session#voting] of a session stored before ballots: every goal holding a vote, and the goals on the board if voting is open', () => {
    const votes = { [ANA]: { [G1]: 2 }, [BEN]: { [G3]: 1, [G4]: 0 } };
    expect(legacyBallot(votes, false, [G1, G2]).sort()).toEqual([G1, G3]);
    expect(legacyBallot(votes, true, [G1, G2]).sort()).toEqual([G1, G2, G3]);
  });
});

describe('tallyVotes', () => {
  it('[session#votes][export#fields] sums votes per goal; voters counts people holding at least one vote, votesCast the votes held', () => {
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

  it('[session#votes] of nobody’s votes is empty, with no voters', () => {
    expect(tallyVotes({}, board(G1).exists)).toEqual({ tallies: {}, voters: 0, votesCast: 0 });
  });
});

describe('changeVoting', () => {
  it('[session#voting] opens, reveals, closes and changes the settings, each field on its own', () => {
    const goals = [G1];
    const state: VotingState = { voting: { ...CLOSED }, votes: {}, agreed: [] };
    const ballot = [G1];
    changeVoting(state, { open: true }, goals);
    expect(state.voting).toEqual({ open: true, revealed: false, votesPerPerson: 5, maxPerItem: 3, ballot });
    changeVoting(state, { revealed: true }, goals);
    expect(state.voting).toEqual({ open: true, revealed: true, votesPerPerson: 5, maxPerItem: 3, ballot });
    changeVoting(state, { votesPerPerson: 8, maxPerItem: 4 }, goals);
    expect(state.voting).toEqual({ open: true, revealed: true, votesPerPerson: 8, maxPerItem: 4, ballot });
    changeVoting(state, { open: false }, goals);
    expect(state.voting).toEqual({ open: false, revealed: true, votesPerPerson: 8, maxPerItem: 4, ballot });
  });

  it('[session#voting] reset clears every vote and hides the tallies again', () => {
    const { exists } = board(G1, G2);
    const state = openVoting({ revealed: true });
    castMany(state, ANA, G1, 2, exists);
    castMany(state, BEN, G2, 3, exists);
    changeVoting(state, { reset: true }, [G1, G2]);
    expect(state.votes).toEqual({});
    expect(state.voting.revealed).toBe(false);
    expect(state.voting.open).toBe(true);
    expect(tallyVotes(state.votes, exists)).toEqual({ tallies: {}, voters: 0, votesCast: 0 });
    expect(castVote(state, ANA, G1, 1, exists)).toEqual({ [G1]: 1 });
  });

  it('[session#voting] reset together with a smaller budget succeeds: the votes are cleared first', () => {
    const { exists } = board(G1, G2);
    const state = openVoting();
    castMany(state, ANA, G1, 3, exists);
    castMany(state, ANA, G2, 2, exists);
    changeVoting(state, { reset: true, votesPerPerson: 2, maxPerItem: 1 }, [G1, G2]);
    expect(state.votes).toEqual({});
    expect(state.voting).toEqual({
      open: true,
      revealed: false,
      votesPerPerson: 2,
      maxPerItem: 1,
      ballot: [G1, G2],
    });
  });

  it('[session#voting] refuses to lower votesPerPerson below what someone holds with votes_exceed_budget, changing nothing', () => {
    const { exists } = board(G1, G2);
    const state = openVoting();
    castMany(state, ANA, G1, 2, exists);
    castMany(state, ANA, G2, 2, exists);
    expectRefused(state, () => changeVoting(state, { votesPerPerson: 3 }, [G1, G2]), 'votes_exceed_budget');
    // Nothing else in the same request is applied either.
    expectRefused(
      state,
      () => changeVoting(state, { votesPerPerson: 3, open: false, revealed: true }, [G1, G2]),
      'votes_exceed_budget',
    );
    // Down to exactly what the biggest holder holds is fine.
    changeVoting(state, { votesPerPerson: 4 }, [G1, G2]);
    expect(state.voting.votesPerPerson).toBe(4);
    expectRefused(state, () => castVote(state, ANA, G1, 1, exists), 'budget_spent');
  });

  it('[session#voting] refuses to lower maxPerItem below a holding on one goal with votes_exceed_cap, changing nothing', () => {
    const { exists } = board(G1, G2);
    const state = openVoting();
    castMany(state, ANA, G1, 3, exists);
    castMany(state, BEN, G2, 1, exists);
    expectRefused(state, () => changeVoting(state, { maxPerItem: 2 }, [G1, G2]), 'votes_exceed_cap');
    expectRefused(
      state,
      () => changeVoting(state, { maxPerItem: 1, votesPerPerson: 10 }, [G1, G2]),
      'votes_exceed_cap',
    );
    changeVoting(state, { maxPerItem: 3, votesPerPerson: 10 }, [G1, G2]);
    expect(state.voting).toEqual({
      open: true,
      revealed: false,
      votesPerPerson: 10,
      maxPerItem: 3,
      ballot: [G1, G2, G3, G4],
    });
  });

  it('[session#votes] counts votes on deleted goals when checking a lower budget: they are still held', () => {
    const { goals, exists } = board(G1, G2);
    const state = openVoting();
    castMany(state, ANA, G1, 3, exists);
    castMany(state, ANA, G2, 1, exists);
    goals.delete(G1);
    expectRefused(state, () => changeVoting(state, { votesPerPerson: 1 }, [...goals]), 'votes_exceed_budget');
    expectRefused(state, () => changeVoting(state, { maxPerItem: 1 }, [...goals]), 'votes_exceed_cap');
  });

  it('[session#voting] can still reveal and close voting when someone holds more than the budget (a session stored by an older version)', () => {
    const { exists } = board(G1, G2, G3);
    const state = openVoting();
    state.votes = { [ANA]: { [G1]: 3, [G2]: 2, [G3]: 2 } };
    expect(tallyVotes(state.votes, exists).votesCast).toBe(7);
    expectRefused(state, () => castVote(state, ANA, G3, 1, exists), 'budget_spent');
    changeVoting(state, { revealed: true }, [G1, G2, G3]);
    changeVoting(state, { open: false }, [G1, G2, G3]);
    expect(state.voting).toMatchObject({ open: false, revealed: true, votesPerPerson: 5, maxPerItem: 3 });
    expect(castVote({ ...state, voting: { ...state.voting, open: true } }, ANA, G3, -1, exists)).toEqual({
      [G1]: 3,
      [G2]: 2,
      [G3]: 1,
    });
  });
});

describe('setAgreed', () => {
  it('[product#phases][session#agreement] marks an existing goal agreed, in the order the facilitator agreed them', () => {
    const { exists } = board(G1, G2);
    const state = openVoting();
    setAgreed(state, G2, true, exists);
    setAgreed(state, G1, true, exists);
    expect(state.agreed).toEqual([G2, G1]);
  });

  it('[session#agreement] refuses to agree a goal that does not exist with unknown_goal', () => {
    const { exists } = board(G1);
    const state = openVoting();
    setAgreed(state, G1, true, exists);
    expectRefused(state, () => setAgreed(state, G2, true, exists), 'unknown_goal');
    expectRefused(state, () => setAgreed(state, '__proto__', true, exists), 'unknown_goal');
  });

  it('[session#agreement] always allows un-agreeing, even a goal that is gone or was never agreed', () => {
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

  it('[session#agreement] never lists a goal twice, however often it is agreed', () => {
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
