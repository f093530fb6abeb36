/**
 * Dot voting and agreement on the session plane (docs/product.md#phases, docs/session.md#votes, docs/errors.md#bad-input-and-faults) against a real server: a
 * facilitator and three participants as real socket.io clients, goals written into the board's
 * document through a real y-websocket provider.
 */
import { describe, expect, it } from 'vitest';
import type { Joined } from '../../shared/api';
import * as Y from 'yjs';
import { deleteGoal, ROOT } from '../../shared/board';
import type { Ack } from '../../shared/session/events';
import type { SessionView } from '../../shared/session/state';
import { OK, refused, waitFor } from '../helpers/expect';
import { useServer, useServerPerTest } from '../helpers/fixtures';
import { joinBoard, type TestServer } from '../helpers/server';
import type { SessionClient } from '../helpers/session-clients';
import { boardSummary, GoalWriter, workshop, type Workshop } from '../helpers/workshop';

type MyVotes = Record<string, number>;

const total = (votes: MyVotes): number => Object.values(votes).reduce((sum, n) => sum + n, 0);

/** The `myVotes` a successful vote acknowledgement carries. */
/**
 * The voting view while it is open with the default budget (5 votes a person, 3 per goal) and no
 * result shown: the ballot is the goals on the board when voting opened, in any order.
 */
function openOnDefaults(goals: string[], voters: number, votesCast: number) {
  return {
    open: true,
    revealed: false,
    votesPerPerson: 5,
    maxPerItem: 3,
    ballot: expect.arrayContaining(goals),
    voters,
    votesCast,
  };
}

function ackedVotes(ack: Ack): MyVotes {
  expect(ack).toEqual({ ok: true, myVotes: expect.any(Object) });
  return (ack as { ok: true; myVotes: MyVotes }).myVotes;
}

/** The session state as the server stored it (docs/errors.md#durability: acknowledged means on disk). */
interface StoredSession {
  voting: { open: boolean; revealed: boolean; votesPerPerson: number; maxPerItem: number };
  votes: Record<string, MyVotes>;
  agreed: string[];
  phase: string;
}

const GOALS = [
  { title: 'Grow our audience', metric: 'Followers', target: '5,000' },
  { title: 'Increase brand awareness', metric: 'Share of voice', target: '15%' },
  { title: 'Measure social ROI', metric: 'Attributed leads', target: '40 a month' },
  { title: 'Know our target audience' },
];

interface Room extends Workshop {
  writer: GoalWriter;
  goals: string[];
  lead: SessionClient;
  members: SessionClient[];
  everyone: SessionClient[];
}

describe('dot voting and agreement', () => {
  const server = useServer();
  const { sessions, sync } = server;

  /** A facilitator and three participants connected, four goals on the board, voting closed. */
  async function room(): Promise<Room> {
    const w = await workshop(server, 3);
    const writer = await GoalWriter.open(server, sync, w.board.id, w.facilitator);
    const goals = await writer.add(GOALS);
    const connect = (joined: Joined) =>
      sessions.connect(server, { boardId: w.board.id, token: joined.token });
    const lead = await connect(w.facilitator);
    const members = await Promise.all(w.participants.map(connect));
    const everyone = [lead, ...members];
    for (const client of everyone) {
      await client.waitForSession((view) => view.participants.every((p) => p.online), 'everyone online');
    }
    return { ...w, writer, goals, lead, members, everyone };
  }

  async function stored(boardId: string): Promise<StoredSession> {
    return (await server.running.store.loadSession(boardId)) as StoredSession;
  }

  /** A fresh connection's first view: the server's current state for that person. */
  async function freshView(boardId: string, joined: Joined): Promise<SessionView> {
    const client = await sessions.connect(server, { boardId, token: joined.token });
    return client.sessions[0] as SessionView;
  }

  async function openVoting(r: Room, change: Record<string, unknown> = {}): Promise<void> {
    expect(await r.lead.request('voting', { open: true, ...change })).toEqual(OK);
  }

  const member = (r: Room, index: number): SessionClient => r.members[index] as SessionClient;
  const goal = (r: Room, index: number): string => r.goals[index] as string;

  describe('opening and closing', () => {
    it('[session#votes] refuses a vote while voting is closed with voting_closed, even in the prioritise phase', async () => {
      const r = await room();
      expect(await member(r, 0).request('vote', { goalId: goal(r, 0), delta: 1 })).toEqual(
        refused('voting_closed'),
      );
      expect(await r.lead.request('phase', { phase: 'prioritise' })).toEqual(OK);
      expect(await member(r, 0).request('vote', { goalId: goal(r, 0), delta: 1 })).toEqual(
        refused('voting_closed'),
      );
      expect(await r.lead.request('vote', { goalId: goal(r, 0), delta: 1 })).toEqual(
        refused('voting_closed'),
      );
      const view = await freshView(r.board.id, r.facilitator);
      expect(view.tallies).toEqual({});
      expect(view.voting).toMatchObject({ open: false, voters: 0, votesCast: 0 });
    });

    it('[product#phases][session#voting] the facilitator opens voting: everyone sees it open with 5 votes a person and 3 per goal', async () => {
      const r = await room();
      await openVoting(r);
      for (const client of r.everyone) {
        const view = await client.waitForSession((v) => v.voting.open, 'voting open');
        expect(view.voting).toEqual(openOnDefaults(r.goals, 0, 0));
        expect(view.voting.ballot).toHaveLength(r.goals.length);
        expect(view.myVotes).toEqual({});
      }
      // Voting being open is what matters, whatever the phase (still "discover" here).
      expect(r.lead.latest().phase).toBe('discover');
      expect(ackedVotes(await member(r, 0).request('vote', { goalId: goal(r, 0), delta: 1 }))).toEqual({
        [goal(r, 0)]: 1,
      });
    });

    it('[session#votes] closing voting stops votes (+1 and -1) and keeps those cast', async () => {
      const r = await room();
      await openVoting(r);
      ackedVotes(await member(r, 0).request('vote', { goalId: goal(r, 1), delta: 1 }));
      expect(await r.lead.request('voting', { open: false })).toEqual(OK);
      expect(await member(r, 0).request('vote', { goalId: goal(r, 1), delta: -1 })).toEqual(
        refused('voting_closed'),
      );
      expect(await member(r, 1).request('vote', { goalId: goal(r, 1), delta: 1 })).toEqual(
        refused('voting_closed'),
      );
      const view = await r.lead.waitForSession(
        (v) => !v.voting.open && v.voting.votesCast === 1,
        'voting closed after the vote',
      );
      expect(view.tallies).toEqual({ [goal(r, 1)]: 1 });
      expect(view.voting).toMatchObject({ voters: 1, votesCast: 1 });
    });
  });

  describe('budget and cap', () => {
    it('[product#phases][session#votes][quality#performance] concurrent bursts: each of three participants gets exactly 5 of 8 votes, never more than 3 on a goal, tallies exact', async () => {
      const r = await room();
      await openVoting(r);
      const [g0, g1, g2, g3] = r.goals as [string, string, string, string];
      // Eight +1 requests each, all in flight at once, spread so that 5 can always be placed.
      const plans = [
        [g0, g1, g0, g1, g0, g1, g0, g1],
        [g0, g1, g2, g3, g0, g1, g2, g3],
        [g2, g2, g2, g2, g3, g3, g3, g3],
      ];
      const bursts = plans.map((plan, index) =>
        Promise.all(plan.map((goalId) => member(r, index).request('vote', { goalId, delta: 1 }))),
      );
      const results = await Promise.all(bursts);

      // What each participant holds: the goals of their acknowledged requests.
      const held: MyVotes[] = results.map((acks, index) => {
        const mine: MyVotes = {};
        acks.forEach((ack, i) => {
          if (!ack.ok) {
            expect(['budget_spent', 'item_cap']).toContain(ack.error.code);
            return;
          }
          const goalId = plans[index]?.[i] as string;
          mine[goalId] = (mine[goalId] ?? 0) + 1;
        });
        return mine;
      });
      const expectedTallies: Record<string, number> = {};
      held.forEach((mine, index) => {
        expect(total(mine), `participant ${index + 1}: votes acknowledged`).toBe(5);
        expect(
          Math.max(...Object.values(mine)),
          `participant ${index + 1}: most on a goal`,
        ).toBeLessThanOrEqual(3);
        // The fullest myVotes among the acknowledgements is exactly what was acknowledged.
        const acked = (results[index] ?? []).filter((ack) => ack.ok).map(ackedVotes);
        expect(acked.find((votes) => total(votes) === 5)).toEqual(mine);
        for (const [goalId, count] of Object.entries(mine)) {
          expectedTallies[goalId] = (expectedTallies[goalId] ?? 0) + count;
        }
      });

      const final = await r.lead.waitForSession((v) => v.voting.votesCast === 15, 'fifteen votes');
      expect(final.tallies).toEqual(expectedTallies);
      expect(final.voting).toMatchObject({ voters: 3, votesCast: 15 });
      for (const [index, client] of r.members.entries()) {
        const view = await client.waitForSession((v) => v.voting.votesCast === 15, 'fifteen votes');
        expect(view.myVotes, `participant ${index + 1}`).toEqual(held[index]);
      }
      // Acknowledged means stored (docs/errors.md#durability).
      const saved = await stored(r.board.id);
      expect(r.participants.map((p) => saved.votes[p.participantId])).toEqual(held);
      // A sixth vote, now on its own, is still refused.
      expect(await member(r, 1).request('vote', { goalId: g3, delta: 1 })).toEqual(refused('budget_spent'));
    });

    it('[product#phases][session#votes] refuses a fourth vote on one goal with item_cap and a sixth vote with budget_spent', async () => {
      const r = await room();
      await openVoting(r);
      const voter = member(r, 0);
      for (let i = 1; i <= 3; i++) {
        expect(ackedVotes(await voter.request('vote', { goalId: goal(r, 0), delta: 1 }))).toEqual({
          [goal(r, 0)]: i,
        });
      }
      expect(await voter.request('vote', { goalId: goal(r, 0), delta: 1 })).toEqual(refused('item_cap'));
      ackedVotes(await voter.request('vote', { goalId: goal(r, 1), delta: 1 }));
      expect(ackedVotes(await voter.request('vote', { goalId: goal(r, 2), delta: 1 }))).toEqual({
        [goal(r, 0)]: 3,
        [goal(r, 1)]: 1,
        [goal(r, 2)]: 1,
      });
      expect(await voter.request('vote', { goalId: goal(r, 3), delta: 1 })).toEqual(refused('budget_spent'));
      const view = await voter.waitForSession((v) => v.voting.votesCast === 5, 'five votes');
      expect(view.myVotes).toEqual({ [goal(r, 0)]: 3, [goal(r, 1)]: 1, [goal(r, 2)]: 1 });
    });

    it('[session#votes] a vote acknowledgement carries the voter’s new myVotes, and the session event agrees', async () => {
      const r = await room();
      await openVoting(r);
      const voter = member(r, 2);
      expect(await voter.request('vote', { goalId: goal(r, 2), delta: 1 })).toEqual({
        ok: true,
        myVotes: { [goal(r, 2)]: 1 },
      });
      expect(await voter.request('vote', { goalId: goal(r, 3), delta: 1 })).toEqual({
        ok: true,
        myVotes: { [goal(r, 2)]: 1, [goal(r, 3)]: 1 },
      });
      await voter.waitForSession((v) => v.voting.votesCast === 2, 'two votes');
      expect(voter.latest().myVotes).toEqual({ [goal(r, 2)]: 1, [goal(r, 3)]: 1 });
      // Another person's myVotes are their own.
      await member(r, 0).waitForSession((v) => v.voting.votesCast === 2, 'two votes');
      expect(member(r, 0).latest().myVotes).toEqual({});
    });

    it('[session#votes] takes a vote back with -1, freeing it; below zero is refused', async () => {
      const r = await room();
      await openVoting(r, { votesPerPerson: 2 });
      const voter = member(r, 0);
      ackedVotes(await voter.request('vote', { goalId: goal(r, 0), delta: 1 }));
      ackedVotes(await voter.request('vote', { goalId: goal(r, 1), delta: 1 }));
      expect(await voter.request('vote', { goalId: goal(r, 2), delta: 1 })).toEqual(refused('budget_spent'));
      expect(ackedVotes(await voter.request('vote', { goalId: goal(r, 0), delta: -1 }))).toEqual({
        [goal(r, 1)]: 1,
      });
      expect(ackedVotes(await voter.request('vote', { goalId: goal(r, 2), delta: 1 }))).toEqual({
        [goal(r, 1)]: 1,
        [goal(r, 2)]: 1,
      });
      expect(await voter.request('vote', { goalId: goal(r, 0), delta: -1 })).toEqual(refused('below_zero'));
      // Someone else's vote is not theirs to take back.
      expect(await member(r, 1).request('vote', { goalId: goal(r, 1), delta: -1 })).toEqual(
        refused('below_zero'),
      );
      const view = await r.lead.waitForSession((v) => v.tallies?.[goal(r, 2)] === 1, 'the last vote');
      expect(view.tallies).toEqual({ [goal(r, 1)]: 1, [goal(r, 2)]: 1 });
    });

    it('[session#votes] follows new settings: a bigger budget allows more votes, a cap of 1 stops a second vote on a goal', async () => {
      const r = await room();
      await openVoting(r, { votesPerPerson: 1, maxPerItem: 1 });
      const voter = member(r, 0);
      ackedVotes(await voter.request('vote', { goalId: goal(r, 0), delta: 1 }));
      expect(await voter.request('vote', { goalId: goal(r, 1), delta: 1 })).toEqual(refused('budget_spent'));
      expect(await r.lead.request('voting', { votesPerPerson: 6 })).toEqual(OK);
      expect(await voter.request('vote', { goalId: goal(r, 0), delta: 1 })).toEqual(refused('item_cap'));
      ackedVotes(await voter.request('vote', { goalId: goal(r, 1), delta: 1 }));
      const view = await voter.waitForSession((v) => v.voting.votesPerPerson === 6, 'the new budget');
      expect(view.voting).toMatchObject({ votesPerPerson: 6, maxPerItem: 1 });
    });
  });

  describe('tallies', () => {
    it('[session#voting] are null for participants until revealed; the facilitator always sees them; everyone sees voters and votesCast', async () => {
      const r = await room();
      await openVoting(r);
      ackedVotes(await member(r, 0).request('vote', { goalId: goal(r, 0), delta: 1 }));
      ackedVotes(await member(r, 0).request('vote', { goalId: goal(r, 0), delta: 1 }));
      ackedVotes(await member(r, 1).request('vote', { goalId: goal(r, 1), delta: 1 }));

      const leadView = await r.lead.waitForSession((v) => v.voting.votesCast === 3, 'three votes');
      expect(leadView.tallies).toEqual({ [goal(r, 0)]: 2, [goal(r, 1)]: 1 });
      for (const client of r.members) {
        const view = await client.waitForSession((v) => v.voting.votesCast === 3, 'three votes');
        expect(view.voting).toMatchObject({ revealed: false, voters: 2, votesCast: 3 });
        expect(view.tallies).toBeNull();
        expect(client.sessions.every((v) => v.tallies === null)).toBe(true);
      }

      expect(await r.lead.request('voting', { revealed: true })).toEqual(OK);
      for (const client of r.everyone) {
        const view = await client.waitForSession((v) => v.voting.revealed, 'revealed');
        expect(view.tallies).toEqual({ [goal(r, 0)]: 2, [goal(r, 1)]: 1 });
      }

      expect(await r.lead.request('voting', { revealed: false })).toEqual(OK);
      for (const client of r.members) {
        const view = await client.waitForSession((v) => !v.voting.revealed, 'hidden again');
        expect(view.tallies).toBeNull();
      }
      expect((await r.lead.waitForSession((v) => !v.voting.revealed)).tallies).toEqual({
        [goal(r, 0)]: 2,
        [goal(r, 1)]: 1,
      });
    });

    it('[product#phases][session#votes] a co-facilitator sees the tallies too, and a participant connecting late does not', async () => {
      const r = await room();
      const coLead = await joinBoard(server, r.board.id, 'Co-lead', r.board.facilitatorKey);
      await openVoting(r);
      ackedVotes(await member(r, 2).request('vote', { goalId: goal(r, 3), delta: 1 }));
      expect((await freshView(r.board.id, coLead)).tallies).toEqual({ [goal(r, 3)]: 1 });
      const late = await freshView(r.board.id, r.participants[0] as Joined);
      expect(late.tallies).toBeNull();
      expect(late.voting).toMatchObject({ voters: 1, votesCast: 1 });
    });

    it('[session#voting] reset clears every vote, hides the tallies again, and frees everyone’s budget', async () => {
      const r = await room();
      await openVoting(r, { revealed: true });
      for (const [index, client] of r.members.entries()) {
        ackedVotes(await client.request('vote', { goalId: goal(r, index), delta: 1 }));
        ackedVotes(await client.request('vote', { goalId: goal(r, 3), delta: 1 }));
      }
      await member(r, 0).waitForSession((v) => v.voting.votesCast === 6, 'six votes');
      expect(await r.lead.request('voting', { reset: true })).toEqual(OK);
      for (const client of r.members) {
        const view = await client.waitForSession((v) => v.voting.votesCast === 0, 'votes cleared');
        expect(view.myVotes).toEqual({});
        expect(view.tallies).toBeNull();
        expect(view.voting).toMatchObject({ open: true, revealed: false, voters: 0 });
      }
      expect((await r.lead.waitForSession((v) => v.voting.votesCast === 0)).tallies).toEqual({});
      expect((await stored(r.board.id)).votes).toEqual({});
      for (let i = 0; i < 3; i++)
        ackedVotes(await member(r, 0).request('vote', { goalId: goal(r, 3), delta: 1 }));
    });
  });

  describe('settings refused', () => {
    it('[session#voting] refuses to lower votesPerPerson below what someone holds with votes_exceed_budget; nothing changes', async () => {
      const r = await room();
      await openVoting(r);
      for (const goalId of [goal(r, 0), goal(r, 1), goal(r, 2), goal(r, 2)]) {
        ackedVotes(await member(r, 0).request('vote', { goalId, delta: 1 }));
      }
      expect(await r.lead.request('voting', { votesPerPerson: 3 })).toEqual(refused('votes_exceed_budget'));
      expect(await r.lead.request('voting', { votesPerPerson: 3, revealed: true })).toEqual(
        refused('votes_exceed_budget'),
      );
      const view = await freshView(r.board.id, r.facilitator);
      expect(view.voting).toEqual(openOnDefaults(r.goals, 1, 4));
      expect((await stored(r.board.id)).voting.votesPerPerson).toBe(5);
      expect(await r.lead.request('voting', { votesPerPerson: 4 })).toEqual(OK);
      await r.lead.waitForSession((v) => v.voting.votesPerPerson === 4, 'budget 4');
      expect(await member(r, 0).request('vote', { goalId: goal(r, 3), delta: 1 })).toEqual(
        refused('budget_spent'),
      );
    });

    it('[session#voting] refuses to lower maxPerItem below a holding with votes_exceed_cap; nothing changes', async () => {
      const r = await room();
      await openVoting(r);
      for (let i = 0; i < 3; i++)
        ackedVotes(await member(r, 1).request('vote', { goalId: goal(r, 0), delta: 1 }));
      expect(await r.lead.request('voting', { maxPerItem: 2 })).toEqual(refused('votes_exceed_cap'));
      const view = await freshView(r.board.id, r.facilitator);
      expect(view.voting).toMatchObject({ maxPerItem: 3, votesCast: 3 });
      expect((await stored(r.board.id)).voting.maxPerItem).toBe(3);
    });
  });

  describe('facilitator only', () => {
    it('[session#votes] refuses voting, agree and phase from a participant with not_facilitator, and nothing changes', async () => {
      const r = await room();
      await openVoting(r);
      ackedVotes(await member(r, 0).request('vote', { goalId: goal(r, 0), delta: 1 }));
      const before = await stored(r.board.id);
      const attempts: Array<[string, unknown]> = [
        ['voting', { revealed: true }],
        ['voting', { open: false }],
        ['voting', { reset: true }],
        ['voting', { votesPerPerson: 50 }],
        ['agree', { goalId: goal(r, 0), agreed: true }],
        ['phase', { phase: 'wrap-up' }],
      ];
      for (const client of r.members) {
        for (const [event, payload] of attempts) {
          expect(await client.request(event, payload), `${event} ${JSON.stringify(payload)}`).toEqual(
            refused('not_facilitator'),
          );
        }
      }
      expect(await stored(r.board.id)).toEqual(before);
      const view = await freshView(r.board.id, r.participants[1] as Joined);
      expect(view).toMatchObject({
        phase: 'discover',
        agreed: [],
        tallies: null,
        voting: { open: true, revealed: false, votesPerPerson: 5, maxPerItem: 3, voters: 1, votesCast: 1 },
      });
      // A fence: a change the facilitator makes now reaches everyone, with nothing of the above.
      expect(await r.lead.request('phase', { phase: 'prioritise' })).toEqual(OK);
      for (const client of r.everyone) {
        const seen = await client.waitForSession((v) => v.phase === 'prioritise', 'the fence');
        expect(seen.voting).toMatchObject({ open: true, revealed: false, votesCast: 1 });
        expect(seen.agreed).toEqual([]);
        expect(client.sessions.some((v) => v.phase === 'wrap-up' || v.voting.revealed)).toBe(false);
      }
    });
  });

  describe('bad input', () => {
    it('[session#votes][errors#validation] answers malformed vote, voting and agree payloads with bad_request, and nothing changes', async () => {
      const r = await room();
      await openVoting(r);
      const before = await stored(r.board.id);
      const g = goal(r, 0);
      const attempts: Array<[SessionClient, string, unknown[]]> = [
        [member(r, 0), 'vote', [{ goalId: g, delta: 2 }]],
        [member(r, 0), 'vote', [{ goalId: g, delta: 0 }]],
        [member(r, 0), 'vote', [{ goalId: g, delta: '1' }]],
        [member(r, 0), 'vote', [{ goalId: g }]],
        [member(r, 0), 'vote', [{ delta: 1 }]],
        [member(r, 0), 'vote', [{ goalId: 42, delta: 1 }]],
        [member(r, 0), 'vote', [{ goalId: 'short', delta: 1 }]],
        [member(r, 0), 'vote', [{ goalId: 'x'.repeat(65), delta: 1 }]],
        [member(r, 0), 'vote', [null]],
        [member(r, 0), 'vote', [g]],
        [member(r, 0), 'vote', []],
        [r.lead, 'voting', [{ votesPerPerson: 0 }]],
        [r.lead, 'voting', [{ votesPerPerson: 1000 }]],
        [r.lead, 'voting', [{ votesPerPerson: '5' }]],
        [r.lead, 'voting', [{ votesPerPerson: 2.5 }]],
        [r.lead, 'voting', [{ maxPerItem: 0 }]],
        [r.lead, 'voting', [{ maxPerItem: -1 }]],
        [r.lead, 'voting', [{ open: 'yes' }]],
        [r.lead, 'voting', [{ revealed: 1 }]],
        [r.lead, 'voting', [{ reset: false }]],
        [r.lead, 'voting', [{}]],
        [r.lead, 'voting', [null]],
        [r.lead, 'voting', []],
        [r.lead, 'agree', [{ goalId: g, agreed: 'yes' }]],
        [r.lead, 'agree', [{ goalId: g }]],
        [r.lead, 'agree', [{ goalId: 'nope', agreed: true }]],
        [r.lead, 'agree', [[g, true]]],
      ];
      for (const [client, event, payload] of attempts) {
        expect(await client.request(event, ...payload), `${event} ${JSON.stringify(payload)}`).toEqual(
          refused('bad_request'),
        );
      }
      expect(await stored(r.board.id)).toEqual(before);
      for (const client of r.everyone) expect(client.socket.connected).toBe(true);
      const view = await freshView(r.board.id, r.facilitator);
      expect(view.voting).toEqual(openOnDefaults(r.goals, 0, 0));
      expect(view.agreed).toEqual([]);
      // The connections stay usable.
      ackedVotes(await member(r, 0).request('vote', { goalId: g, delta: 1 }));
    });

    it('[sync#document-layout][session#requests][errors#validation] refuses goal ids that could name an object’s own keys (__proto__, constructor…) with bad_request', async () => {
      const r = await room();
      await openVoting(r);
      const before = await stored(r.board.id);
      for (const goalId of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'prototype']) {
        expect(await member(r, 0).request('vote', { goalId, delta: 1 }), goalId).toEqual(
          refused('bad_request'),
        );
        expect(await r.lead.request('agree', { goalId, agreed: true }), goalId).toEqual(
          refused('bad_request'),
        );
        expect(await r.lead.request('agree', { goalId, agreed: false }), goalId).toEqual(
          refused('bad_request'),
        );
      }
      expect(await stored(r.board.id)).toEqual(before);
    });

    it('[session#votes] refuses a vote on, or agreement of, a goal that does not exist with unknown_goal', async () => {
      const r = await room();
      await openVoting(r);
      const missing = 'NoSuchGoal000000000000';
      expect(await member(r, 0).request('vote', { goalId: missing, delta: 1 })).toEqual(
        refused('unknown_goal'),
      );
      expect(await r.lead.request('agree', { goalId: missing, agreed: true })).toEqual(
        refused('unknown_goal'),
      );
      const view = await freshView(r.board.id, r.facilitator);
      expect(view.agreed).toEqual([]);
      expect(view.voting.votesCast).toBe(0);
    });
  });

  describe('agreement', () => {
    it('[product#phases][session#removing-someone] agree marks goals agreed for everyone; un-agreeing removes them; never twice', async () => {
      const r = await room();
      expect(await r.lead.request('agree', { goalId: goal(r, 2), agreed: true })).toEqual(OK);
      expect(await r.lead.request('agree', { goalId: goal(r, 0), agreed: true })).toEqual(OK);
      expect(await r.lead.request('agree', { goalId: goal(r, 0), agreed: true })).toEqual(OK);
      for (const client of r.everyone) {
        const view = await client.waitForSession((v) => v.agreed.length === 2, 'two agreed');
        expect([...view.agreed].sort()).toEqual([goal(r, 0), goal(r, 2)].sort());
      }
      expect(await r.lead.request('agree', { goalId: goal(r, 2), agreed: false })).toEqual(OK);
      // Un-agreeing a goal that was never agreed is harmless.
      expect(await r.lead.request('agree', { goalId: goal(r, 3), agreed: false })).toEqual(OK);
      for (const client of r.everyone) {
        const view = await client.waitForSession((v) => v.agreed.length === 1, 'one agreed');
        expect(view.agreed).toEqual([goal(r, 0)]);
      }
      expect((await stored(r.board.id)).agreed).toEqual([goal(r, 0)]);
    });

    it('[session#removing-someone][export#fields] deleting an agreed goal removes it from agreed and hides its tally, but its votes stay cast: budgets and votesCast do not move', async () => {
      const r = await room();
      await openVoting(r);
      const [g0, g1] = r.goals as [string, string];
      expect(await r.lead.request('agree', { goalId: g0, agreed: true })).toEqual(OK);
      expect(await r.lead.request('agree', { goalId: g1, agreed: true })).toEqual(OK);
      for (let i = 0; i < 3; i++) ackedVotes(await member(r, 0).request('vote', { goalId: g0, delta: 1 }));
      ackedVotes(await member(r, 0).request('vote', { goalId: g1, delta: 1 }));
      ackedVotes(await member(r, 0).request('vote', { goalId: goal(r, 2), delta: 1 }));
      ackedVotes(await member(r, 1).request('vote', { goalId: g0, delta: 1 }));
      await r.lead.waitForSession(
        (v) => v.voting.votesCast === 6 && v.agreed.length === 2,
        'votes and agreement',
      );

      // A participant deletes the goal in their own copy of the document.
      const other = await sync.syncedProvider(server, r.board.id, {
        token: (r.participants[2] as Joined).token,
      });
      await waitFor(() => other.doc.getMap('goals').has(g0), 5_000, 'the goal on the other provider');
      deleteGoal(other.doc, g0);

      for (const client of r.everyone) {
        const view = await client.waitForSession((v) => v.agreed.length === 1, 'the goal no longer agreed');
        expect(view.agreed).toEqual([g1]);
        // Counted as before: a deletion must not tell anyone how many votes the goal held.
        expect(view.voting).toMatchObject({ voters: 2, votesCast: 6 });
      }
      expect(r.lead.latest().tallies).toEqual({ [g1]: 1, [goal(r, 2)]: 1 });
      // Each voter still holds their votes on it, and they still count against the budget.
      expect(member(r, 0).latest().myVotes).toEqual({ [g0]: 3, [g1]: 1, [goal(r, 2)]: 1 });
      expect(member(r, 1).latest().myVotes).toEqual({ [g0]: 1 });
      expect(await member(r, 0).request('vote', { goalId: goal(r, 3), delta: 1 })).toEqual(
        refused('budget_spent'),
      );
      // No new vote on a goal that is gone; a vote on it can be taken back, which frees it.
      expect(await member(r, 1).request('vote', { goalId: g0, delta: 1 })).toEqual(refused('unknown_goal'));
      expect(ackedVotes(await member(r, 0).request('vote', { goalId: g0, delta: -1 }))).toEqual({
        [g0]: 2,
        [g1]: 1,
        [goal(r, 2)]: 1,
      });
      ackedVotes(await member(r, 0).request('vote', { goalId: goal(r, 3), delta: 1 }));
      expect(await r.lead.request('agree', { goalId: g0, agreed: true })).toEqual(refused('unknown_goal'));
    });

    it('[session#voting] an undone deletion shows the goal’s votes again, which never stopped counting; the facilitator can still reveal and close voting', async () => {
      const r = await room();
      await openVoting(r);
      const [g0, g1, g2] = r.goals as [string, string, string];
      const ana = member(r, 0);
      for (const goalId of [g0, g0, g0, g1, g1]) ackedVotes(await ana.request('vote', { goalId, delta: 1 }));

      // Someone deletes g0 in the browser, and undoes it (Yjs restores the same goal).
      const doc = r.writer.client.doc;
      const gesture = { gesture: 'delete goal' };
      const undo = new Y.UndoManager(doc.getMap(ROOT.goals), { trackedOrigins: new Set([gesture]) });
      deleteGoal(doc, g0, gesture);
      await waitFor(async () => (await boardSummary(server, r.board.id)).goals === 3, 5_000, 'the deletion');
      // Meanwhile Ana's votes on g0 still hold her budget.
      expect(await ana.request('vote', { goalId: g2, delta: 1 })).toEqual(refused('budget_spent'));
      undo.undo();
      await waitFor(async () => (await boardSummary(server, r.board.id)).goals === 4, 5_000, 'the undo');
      undo.destroy();

      const view = await r.lead.waitForSession((v) => v.tallies?.[g0] === 3, 'the votes back on g0');
      expect(view.tallies).toEqual({ [g0]: 3, [g1]: 2 });
      expect(view.voting).toMatchObject({ voters: 1, votesCast: 5 });
      // The facilitator must still be able to run the meeting: reveal, then close the vote.
      expect(await r.lead.request('voting', { revealed: true })).toEqual(OK);
      expect(await r.lead.request('voting', { open: false })).toEqual(OK);
      const closed = await ana.waitForSession(
        (v) => !v.voting.open && v.voting.revealed,
        'revealed and closed',
      );
      expect(closed.tallies).toEqual({ [g0]: 3, [g1]: 2 });
    });
  });
});

describe('dot voting across a restart', () => {
  const servers = useServerPerTest();
  const { sessions, sync } = servers;
  let server: TestServer;

  it('[session#votes][errors#durability] keeps votes, settings and agreement across a restart; clients reconnect and see the same state', async () => {
    server = await servers.start();
    const w = await workshop(server, 3);
    const writer = await GoalWriter.open(server, sync, w.board.id, w.facilitator);
    const [g0, g1, g2] = (await writer.add(GOALS.slice(0, 3))) as [string, string, string];
    const connect = (joined: Joined) =>
      sessions.connect(server, { boardId: w.board.id, token: joined.token });
    const lead = await connect(w.facilitator);
    const members = await Promise.all(w.participants.map(connect));
    const [ana, ben, clo] = members as [SessionClient, SessionClient, SessionClient];

    expect(await lead.request('voting', { open: true, votesPerPerson: 4, maxPerItem: 2 })).toEqual(OK);
    for (const goalId of [g0, g0, g1, g2]) ackedVotes(await ana.request('vote', { goalId, delta: 1 }));
    for (const goalId of [g1, g1]) ackedVotes(await ben.request('vote', { goalId, delta: 1 }));
    ackedVotes(await clo.request('vote', { goalId: g2, delta: 1 }));
    expect(await lead.request('voting', { revealed: true })).toEqual(OK);
    expect(await lead.request('agree', { goalId: g1, agreed: true })).toEqual(OK);
    expect(await lead.request('phase', { phase: 'agree' })).toEqual(OK);

    const expected = {
      phase: 'agree',
      voting: { open: true, revealed: true, votesPerPerson: 4, maxPerItem: 2, voters: 3, votesCast: 7 },
      tallies: { [g0]: 2, [g1]: 3, [g2]: 2 },
      agreed: [g1],
    };
    await lead.waitForSession((v) => v.phase === 'agree');
    expect(lead.latest()).toMatchObject(expected);

    await server.restart();

    // A new connection sees the same state at once.
    const fresh = await sessions.connect(server, {
      boardId: w.board.id,
      token: (w.participants[0] as Joined).token,
    });
    expect(fresh.latest()).toMatchObject({ ...expected, myVotes: { [g0]: 2, [g1]: 1, [g2]: 1 } });
    // The clients that were connected reconnect by themselves and see it too.
    for (const client of [lead, ...members]) {
      await waitFor(() => client.socket.connected, 10_000, 'a client to reconnect');
    }
    for (const client of [lead, ...members]) {
      await client.waitForSession(
        (v) => v.participants.filter((p) => p.online).length >= 4 && v.phase === 'agree',
        'everyone back online',
      );
      expect(client.latest()).toMatchObject(expected);
    }
    expect(ben.latest().myVotes).toEqual({ [g1]: 2 });
    // The budget and cap still hold: Ana has spent her 4, Ben may not put a third vote on g1.
    expect(await ana.request('vote', { goalId: g2, delta: 1 })).toEqual(refused('budget_spent'));
    expect(await ben.request('vote', { goalId: g1, delta: 1 })).toEqual(refused('item_cap'));
    expect(ackedVotes(await clo.request('vote', { goalId: g0, delta: 1 }))).toEqual({ [g0]: 1, [g2]: 1 });
  });
});
