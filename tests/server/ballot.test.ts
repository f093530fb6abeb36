/**
 * The ballot against a real server, tested as the attacks it stops. With nothing but the
 * participant link, an attacker edits the board document — makes a goal unreadable (its title a
 * number), deletes a goal and adds an identical copy, then restores it — and watches what the
 * session plane shows: before the ballot, `votesCast` and `voters` dropped by the goal's votes,
 * which is its tally before the reveal. And the votes on deleted goals piled up without bound in
 * the stored state. Real socket.io clients, real y-websocket providers, a real SQLite file.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { Joined } from '../../shared/api';
import { addGoal, deleteGoal, ROOT, type GoalFields } from '../../shared/board';
import type { Ack } from '../../shared/session/events';
import type { SessionView } from '../../shared/session/state';
import { MAX_BALLOT_GOALS } from '../../shared/session/voting';
import { openSqliteStore } from '../../server/storage/sqlite';
import { OK, refused, waitFor } from '../helpers/expect';
import { useServer, useServerPerTest } from '../helpers/fixtures';
import { tempDir, type TestServer } from '../helpers/server';
import type { SessionClient } from '../helpers/session-clients';
import type { ProviderClient } from '../helpers/sync-clients';
import { boardSummary, GoalWriter, workshop, type Workshop } from '../helpers/workshop';

const GOALS: Array<Partial<GoalFields> & { title: string }> = [
  { title: 'Grow our audience', metric: 'Followers', target: '5,000' },
  { title: 'Increase brand awareness', metric: 'Share of voice', target: '15%' },
  { title: 'Measure social ROI', metric: 'Attributed leads', target: '40 a month' },
  { title: 'Know our target audience' },
];

/** Everything a participant can read of the vote before the reveal. */
function seen(view: SessionView): Pick<SessionView, 'voting' | 'tallies' | 'myVotes'> {
  return { voting: view.voting, tallies: view.tallies, myVotes: view.myVotes };
}

function ackedVotes(ack: Ack): Record<string, number> {
  expect(ack).toEqual({ ok: true, myVotes: expect.any(Object) });
  return (ack as { ok: true; myVotes: Record<string, number> }).myVotes;
}

interface Room extends Workshop {
  goals: string[];
  lead: SessionClient;
  /** Ana, Ben and Clo: honest voters. */
  voters: SessionClient[];
  /** Mallory: a participant with her own copy of the document. */
  mallory: SessionClient;
  malloryDoc: ProviderClient;
}

describe('the ballot: what is counted does not follow the document', () => {
  const server = useServer();
  const { sessions, sync } = server;

  /** A facilitator, three voters and Mallory connected; four goals; voting open on them. */
  async function room(change: Record<string, unknown> = {}): Promise<Room> {
    const w = await workshop(server, 4);
    const writer = await GoalWriter.open(server, sync, w.board.id, w.facilitator);
    const goals = await writer.add(GOALS);
    const connect = (joined: Joined) =>
      sessions.connect(server, { boardId: w.board.id, token: joined.token });
    const lead = await connect(w.facilitator);
    const [ana, ben, clo, mallory] = await Promise.all(w.participants.map(connect));
    const malloryDoc = await sync.syncedProvider(server, w.board.id, {
      token: (w.participants[3] as Joined).token,
    });
    await waitFor(() => malloryDoc.doc.getMap(ROOT.goals).size === goals.length, 5_000, 'her copy');
    expect(await lead.request('voting', { open: true, ...change })).toEqual(OK);
    for (const client of [lead, ana, ben, clo, mallory] as SessionClient[]) {
      await client.waitForSession((v) => v.voting.open, 'voting open');
    }
    return {
      ...w,
      goals,
      lead,
      voters: [ana, ben, clo] as SessionClient[],
      mallory: mallory as SessionClient,
      malloryDoc,
    };
  }

  /** Waits until the server's copy of the document holds `count` readable goals. */
  async function serverGoals(boardId: string, count: number): Promise<void> {
    await waitFor(async () => (await boardSummary(server, boardId)).goals === count, 5_000, `${count} goals`);
  }

  /** The voting part of the export anyone can fetch (no token: no tallies, but voters and votesCast). */
  async function exportedVoting(boardId: string): Promise<unknown> {
    const response = await fetch(`${server.url}/api/boards/${boardId}/export?status=all`);
    expect(response.status).toBe(200);
    return ((await response.json()) as { voting: unknown }).voting;
  }

  it('title → number, delete + identical copy, restore: a participant sees no change at all before the reveal, and budgets hold', async () => {
    const r = await room();
    const [g0, g1, g2, g3] = r.goals as [string, string, string, string];
    const [ana, ben, clo] = r.voters as [SessionClient, SessionClient, SessionClient];
    for (const goalId of [g0, g0, g0, g1, g1]) ackedVotes(await ana.request('vote', { goalId, delta: 1 }));
    for (const goalId of [g1, g2]) ackedVotes(await ben.request('vote', { goalId, delta: 1 }));
    ackedVotes(await clo.request('vote', { goalId: g0, delta: 1 }));
    ackedVotes(await r.mallory.request('vote', { goalId: g3, delta: 1 }));

    const baseline = seen(await r.mallory.waitForSession((v) => v.voting.votesCast === 9, 'nine votes'));
    expect(baseline.voting).toMatchObject({ voters: 4, votesCast: 9 });
    expect(baseline.tallies).toBeNull();
    const baselineExport = await exportedVoting(r.board.id);
    const eventsBefore = r.mallory.sessions.length;
    /** Mallory's view, a fresh connection of hers and the export all say what they said before. */
    const nothingMoved = async (step: string): Promise<void> => {
      expect(seen(r.mallory.latest()), step).toEqual(baseline);
      const fresh = await sessions.connect(server, {
        boardId: r.board.id,
        token: (r.participants[3] as Joined).token,
      });
      expect(seen(fresh.latest()), step).toEqual(baseline);
      fresh.socket.disconnect();
      expect(await exportedVoting(r.board.id), step).toEqual(baselineExport);
    };

    // 1. g0's title becomes a number: readers skip the goal, as if it were gone.
    const goals = r.malloryDoc.doc.getMap(ROOT.goals);
    const item = (id: string): Y.Map<unknown> => goals.get(id) as Y.Map<unknown>;
    const title = item(g0).get('title');
    item(g0).set('title', 42);
    await serverGoals(r.board.id, 3);
    await nothingMoved('title made a number');
    // Ana's three votes on it still count against her budget.
    expect(await ana.request('vote', { goalId: g2, delta: 1 })).toEqual(refused('budget_spent'));
    // The facilitator's tallies leave the unreadable goal out; the count of votes does not move.
    const leadView = (
      await sessions.connect(server, { boardId: r.board.id, token: r.facilitator.token })
    ).latest();
    expect(leadView.tallies).toEqual({ [g1]: 3, [g2]: 1, [g3]: 1 });
    expect(leadView.voting).toMatchObject({ voters: 4, votesCast: 9 });
    item(g0).set('title', title);
    await serverGoals(r.board.id, 4);
    await nothingMoved('title restored');

    // 2. g1 deleted and an identical copy added, then the copy deleted and g1 restored (an undo).
    const gesture = { gesture: 'delete goal' };
    const undo = new Y.UndoManager(goals, { trackedOrigins: new Set([gesture]) });
    deleteGoal(r.malloryDoc.doc, g1, gesture);
    const copy = addGoal(r.malloryDoc.doc, GOALS[1] as GoalFields, 'mallory');
    await waitFor(
      async () => {
        const summary = await boardSummary(server, r.board.id);
        return summary.goals === 4 && !(await exportedGoalIds(r.board.id)).includes(g1);
      },
      5_000,
      'the copy instead of g1',
    );
    await nothingMoved('deleted and copied');
    // The copy was not there when voting opened: no vote on it, and it says why.
    expect(await r.mallory.request('vote', { goalId: copy, delta: 1 })).toEqual(refused('not_on_ballot'));
    expect(await ben.request('vote', { goalId: copy, delta: 1 })).toEqual(refused('not_on_ballot'));
    deleteGoal(r.malloryDoc.doc, copy);
    undo.undo();
    undo.destroy();
    await waitFor(
      async () => (await exportedGoalIds(r.board.id)).includes(g1),
      5_000,
      'g1 restored on the server',
    );
    await nothingMoved('restored');

    // Not one session event Mallory received during the whole attack showed anything else.
    const during = r.mallory.sessions.slice(eventsBefore);
    expect(during.length).toBeGreaterThan(0);
    for (const view of during) expect(seen(view)).toEqual(baseline);

    // The reveal shows exactly what was cast, nothing lost on the way.
    expect(await r.lead.request('voting', { revealed: true })).toEqual(OK);
    const revealed = await r.mallory.waitForSession((v) => v.voting.revealed, 'revealed');
    expect(revealed.tallies).toEqual({ [g0]: 4, [g1]: 3, [g2]: 1, [g3]: 1 });
  });

  async function exportedGoalIds(boardId: string): Promise<string[]> {
    const response = await fetch(`${server.url}/api/boards/${boardId}/export?status=all`);
    return ((await response.json()) as { goals: Array<{ id: string }> }).goals.map((goal) => goal.id);
  }

  it('a goal added after voting opened is refused with not_on_ballot until the facilitator reopens voting, which adds it and removes nothing', async () => {
    const r = await room();
    const [g0] = r.goals as [string];
    const [ana] = r.voters as [SessionClient];
    ackedVotes(await ana.request('vote', { goalId: g0, delta: 1 }));
    const [late] = (await addGoalsAs(r, [{ title: 'Post three times a week' }])) as [string];
    expect(await ana.request('vote', { goalId: late, delta: 1 })).toEqual(refused('not_on_ballot'));
    const view = await ana.waitForSession((v) => v.voting.votesCast === 1);
    expect(view.voting.ballot).not.toContain(late);
    expect([...view.voting.ballot].sort()).toEqual([...r.goals].sort());

    // g0 deleted meanwhile: reopening keeps it on the ballot (with Ana's vote) and adds the new one.
    deleteGoal(r.malloryDoc.doc, g0);
    await serverGoals(r.board.id, 4);
    expect(await r.lead.request('voting', { open: true })).toEqual(OK);
    const reopened = await ana.waitForSession((v) => v.voting.ballot.includes(late), 'the new goal included');
    expect([...reopened.voting.ballot].sort()).toEqual([...r.goals, late].sort());
    expect(reopened.voting).toMatchObject({ voters: 1, votesCast: 1 });
    expect(ackedVotes(await ana.request('vote', { goalId: late, delta: 1 }))).toEqual({ [g0]: 1, [late]: 1 });
    // Her vote on the deleted goal can still be taken back.
    expect(ackedVotes(await ana.request('vote', { goalId: g0, delta: -1 }))).toEqual({ [late]: 1 });
  });

  /** Goals Mallory adds; resolves once the server reads them. */
  async function addGoalsAs(
    r: Room,
    fields: Array<Partial<GoalFields> & { title: string }>,
  ): Promise<string[]> {
    const before = (await boardSummary(server, r.board.id)).goals;
    const ids: string[] = [];
    r.malloryDoc.doc.transact(() => {
      for (const goal of fields) ids.push(addGoal(r.malloryDoc.doc, goal, 'mallory'));
    });
    await serverGoals(r.board.id, before + fields.length);
    return ids;
  }

  it('vote, delete the goal, vote on another, many times over: the stored state stays bounded by the budget', async () => {
    const r = await room();
    const extra = await addGoalsAs(
      r,
      Array.from({ length: 16 }, (_, i) => ({ title: `Ballot goal ${i + 1}` })),
    );
    expect(await r.lead.request('voting', { open: true })).toEqual(OK);
    const ballot = [...r.goals, ...extra];
    await r.mallory.waitForSession((v) => v.voting.ballot.length === ballot.length, 'the ballot of 20');
    const before = JSON.stringify(await server.running.store.loadSession(r.board.id)).length;

    // Three connections of hers, so that the flood is not simply cut short by the request rate.
    const token = (r.participants[3] as Joined).token;
    const tabs = [
      r.mallory,
      await sessions.connect(server, { boardId: r.board.id, token }),
      await sessions.connect(server, { boardId: r.board.id, token }),
    ];
    const accepted: string[] = [];
    const refusals = new Set<string>();
    let sent = 0;
    for (let cycle = 0; cycle < 60; cycle++) {
      // A ballot goal that still exists, if any; then a goal made up for the occasion.
      const target = ballot.find((id) => r.malloryDoc.doc.getMap(ROOT.goals).has(id));
      for (const goalId of [target, addGoal(r.malloryDoc.doc, { title: `Decoy ${cycle}` }, 'mallory')]) {
        if (goalId === undefined) continue;
        const ack = await (tabs[sent++ % tabs.length] as SessionClient).request('vote', { goalId, delta: 1 });
        if (ack.ok) accepted.push(goalId);
        else refusals.add(ack.error.code);
        deleteGoal(r.malloryDoc.doc, goalId);
      }
    }
    // Every vote counts against her budget: five got in, whatever she deleted.
    expect(accepted).toHaveLength(5);
    expect(refusals.has('budget_spent')).toBe(true);
    // A made-up goal is refused as not on the ballot (or unknown, before the server has it).
    for (const code of refusals) expect(['budget_spent', 'not_on_ballot', 'unknown_goal']).toContain(code);
    const stored = (await server.running.store.loadSession(r.board.id)) as {
      votes: Record<string, Record<string, number>>;
      voting: { ballot: string[] };
    };
    const held = Object.values(stored.votes).flatMap((mine) => Object.values(mine));
    expect(held.reduce((sum, n) => sum + n, 0)).toBe(5);
    expect(stored.voting.ballot).toHaveLength(20);
    // A few hundred bytes more than before, not thousands of entries.
    expect(JSON.stringify(stored).length - before).toBeLessThan(600);
    const view = await r.mallory.waitForSession((v) => v.voting.votesCast === 5, 'five votes');
    expect(view.voting).toMatchObject({ voters: 1, votesCast: 5 });
  });

  it(`holds at most ${MAX_BALLOT_GOALS} goals: reopening on more is refused with ballot_full, which says so, and changes nothing`, async () => {
    const r = await room();
    await addGoalsAs(
      r,
      Array.from({ length: MAX_BALLOT_GOALS - GOALS.length + 1 }, (_, i) => ({ title: `Goal ${i + 1}` })),
    );
    const before = await server.running.store.loadSession(r.board.id);
    const ack = await r.lead.request('voting', { open: true });
    expect(ack).toEqual(refused('ballot_full'));
    expect(!ack.ok && ack.error.message).toContain(String(MAX_BALLOT_GOALS));
    expect(await server.running.store.loadSession(r.board.id)).toEqual(before);
    // A reset starts a new ballot, from the goals on the board, and the cap holds there too.
    expect(await r.lead.request('voting', { reset: true })).toEqual(refused('ballot_full'));
    expect(await r.lead.request('voting', { open: false, reset: true })).toEqual(OK);
    expect(await r.lead.request('voting', { open: true })).toEqual(refused('ballot_full'));
  });
});

describe('the ballot of a session stored before ballots', () => {
  const servers = useServerPerTest();
  const { sessions, sync } = servers;
  let server: TestServer | undefined;

  it('is, while voting is open, the goals on the board plus every goal holding a vote: votes keep counting and can be taken back', async () => {
    const dataDir = tempDir();
    server = await servers.start({ dataDir });
    const w = await workshop(server, 1);
    const writer = await GoalWriter.open(server, sync, w.board.id, w.facilitator);
    const [g0, g1, g2] = (await writer.add(GOALS.slice(0, 3))) as [string, string, string];
    await sync.closeAll();
    await server.close();

    // What an older Atelier stored: voting open, no ballot, votes on a goal deleted since.
    const ana = w.participants[0] as Joined;
    const gone = 'GoneGoal00000000000000';
    const store = openSqliteStore({ dataDir });
    const saved = (await store.loadSession(w.board.id)) as Record<string, unknown>;
    await store.saveSession(w.board.id, {
      ...saved,
      voting: { open: true, revealed: false, votesPerPerson: 5, maxPerItem: 3 },
      votes: { [ana.participantId]: { [g0]: 2, [gone]: 2 } },
    });
    await store.close();

    server = await servers.start({ dataDir });
    const client = await sessions.connect(server, { boardId: w.board.id, token: ana.token });
    const view = client.latest();
    expect([...view.voting.ballot].sort()).toEqual([g0, g1, g2, gone].sort());
    expect(view.voting).toMatchObject({ open: true, voters: 1, votesCast: 4 });
    expect(view.myVotes).toEqual({ [g0]: 2, [gone]: 2 });
    expect(ackedVotes(await client.request('vote', { goalId: g1, delta: 1 }))).toEqual({
      [g0]: 2,
      [g1]: 1,
      [gone]: 2,
    });
    expect(await client.request('vote', { goalId: g2, delta: 1 })).toEqual(refused('budget_spent'));
    expect(ackedVotes(await client.request('vote', { goalId: gone, delta: -1 }))).toEqual({
      [g0]: 2,
      [g1]: 1,
      [gone]: 1,
    });
    // Stored with its ballot from now on.
    const stored = (await server.running.store.loadSession(w.board.id)) as { voting: { ballot: string[] } };
    expect([...stored.voting.ballot].sort()).toEqual([g0, g1, g2, gone].sort());
  });
});
