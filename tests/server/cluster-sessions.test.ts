/**
 * The session plane across several processes (docs/running.md#several-processes: "Per board, the session's `rev` grows
 * across all processes; what one process acknowledged is visible through every other within a
 * second; a participant whose process died shows offline within 30 s"; docs/session.md#presence: the server is the
 * single authority, votes within budget and cap), against real Atelier processes (child processes)
 * sharing one real PostgreSQL database and one real Redis, with socket.io clients spread over them.
 */
import { expect, it } from 'vitest';
import {
  PRESENCE_EXPIRY_CHECK_MS,
  PRESENCE_HEARTBEAT_MS,
  PRESENCE_TRUST_MS,
} from '../../server/cluster/presence';
import { RELOAD_EVERY_MS } from '../../server/cluster/session-relay';
import type { SessionState } from '../../server/session/state';
import type { Joined } from '../../shared/api';
import { addCard, readQuestions } from '../../shared/board';
import type { Ack } from '../../shared/session/events';
import type { SessionView } from '../../shared/session/state';
import {
  goalsOn,
  nth,
  online,
  readDatabaseBoard,
  startProcesses,
  useCluster,
  votesText,
} from '../helpers/cluster';
import { sleep, waitFor } from '../helpers/expect';
import { describeWithRedis } from '../helpers/redis';
import { createBoard, joinBoard } from '../helpers/server';
import type { SessionClient } from '../helpers/session-clients';
import { GoalWriter, workshop } from '../helpers/workshop';

/** The `rev` of every `session` event a connection received never goes back (docs/session.md#broadcasts). */
function expectRevOnlyGrows(client: SessionClient, name: string): void {
  const revs = client.sessions.map((view) => view.rev);
  const backwards = revs.findIndex((rev, i) => i > 0 && rev < (revs[i - 1] as number));
  expect(backwards, `${name}: rev went back at event ${backwards} of ${revs.join(', ')}`).toBe(-1);
}

/** The decisions of a session view that every client must agree on. */
function decisions(view: SessionView): object {
  return { phase: view.phase, voting: view.voting, agreed: view.agreed, locked: view.locked };
}

describeWithRedis('the session plane over several processes', () => {
  const { sync, sessions, services } = useCluster();

  it(
    '[session#votes][running#several-processes] concurrent vote bursts from participants on three processes: exactly the budget per person, never over the cap, the same exact tallies on every process; racing facilitators end in one state; rev only grows',
    { timeout: 60_000 },
    async () => {
      const svc = await services();
      const processes = await startProcesses(3, svc);
      const at = (i: number) => nth(processes, i % processes.length);
      const created = await createBoard(at(0));
      const boardId = created.id;

      // One facilitator on each process, each joined there.
      const leadsJoined = await Promise.all(
        processes.map((server, i) => joinBoard(server, boardId, `Lead ${i + 1}`, created.facilitatorKey)),
      );
      const leads: SessionClient[] = [];
      for (const [i, joined] of leadsJoined.entries()) {
        leads.push(await sessions.connect(at(i), { boardId, token: joined.token }));
      }
      const writer = await GoalWriter.open(at(0), sync, boardId, nth(leadsJoined, 0));
      const goals = await writer.add([
        { title: 'Grow our audience' },
        { title: 'Increase brand awareness' },
        { title: 'Measure social ROI' },
      ]);
      for (const server of processes) await goalsOn(server, boardId, 3);

      // Six participants, each joined on one process and connected to two of them.
      const PEOPLE = 6;
      const BUDGET = 5;
      const CAP = 3;
      const people: Array<{ name: string; sockets: SessionClient[] }> = [];
      for (let i = 0; i < PEOPLE; i++) {
        const joined = await joinBoard(at(i), boardId, `Member ${i + 1}`);
        people.push({
          name: `Member ${i + 1}`,
          sockets: [
            await sessions.connect(at(i), { boardId, token: joined.token }),
            await sessions.connect(at(i + 1), { boardId, token: joined.token }),
          ],
        });
      }
      expect(
        await nth(leads, 1).request('voting', {
          open: true,
          votesPerPerson: BUDGET,
          maxPerItem: CAP,
        }),
      ).toEqual({ ok: true });
      const everyone = [...leads, ...people.flatMap((p) => p.sockets)];
      await waitFor(
        () => everyone.every((c) => c.latest().voting.open && c.latest().voting.votesPerPerson === BUDGET),
        10_000,
        'voting open on every process',
      );

      const revBeforeVotes = everyone.map((c) => c.latest().rev);
      // Each person asks for 12 votes at once through both connections: 8 on one goal (over the
      // cap), 2 on each other goal; 72 requests in flight over three processes.
      const requests = people.map((person, i) => {
        const targets = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 2, 2].map((k) => goals[(i + k) % 3] as string);
        return Promise.all(
          targets.map(async (goalId, n) => {
            const socket = nth(person.sockets, n % 2);
            const ack = (await socket.request('vote', { goalId, delta: 1 })) as Ack<{
              myVotes?: Record<string, number>;
            }>;
            return { goalId, ack };
          }),
        );
      });
      const answers = await Promise.all(requests);

      const expectedTallies: Record<string, number> = {};
      for (const [i, person] of people.entries()) {
        const acked: Record<string, number> = {};
        const refusals: string[] = [];
        for (const { goalId, ack } of answers[i] ?? []) {
          if (ack.ok) acked[goalId] = (acked[goalId] ?? 0) + 1;
          else refusals.push(ack.error.code);
        }
        const total = Object.values(acked).reduce((sum, n) => sum + n, 0);
        expect(total, `${person.name}: votes acknowledged`).toBe(BUDGET);
        for (const [goalId, n] of Object.entries(acked)) {
          expect(n, `${person.name}: votes on ${goalId}`).toBeLessThanOrEqual(CAP);
          expectedTallies[goalId] = (expectedTallies[goalId] ?? 0) + n;
        }
        expect(
          refusals.filter((code) => code !== 'budget_spent' && code !== 'item_cap'),
          `${person.name}: refusals other than budget or cap`,
        ).toEqual([]);
        // Both connections (on two processes) end up showing exactly what was acknowledged.
        for (const [s, socket] of person.sockets.entries()) {
          await waitFor(
            () => votesText(socket.latest().myVotes) === votesText(acked),
            10_000,
            `${person.name}'s votes on connection ${s + 1}: ${JSON.stringify(acked)}`,
          );
        }
      }
      expect(Object.values(expectedTallies).reduce((sum, n) => sum + n, 0)).toBe(PEOPLE * BUDGET);
      for (const [i, client] of everyone.entries()) {
        expect(client.latest().rev, `connection ${i + 1}: rev after the votes`).toBeGreaterThan(
          revBeforeVotes[i] as number,
        );
      }
      // Every facilitator, whichever process serves it, sees the same exact tallies.
      await waitFor(
        () =>
          leads.every(
            (lead) =>
              votesText(lead.latest().tallies) === votesText(expectedTallies) &&
              lead.latest().voting.votesCast === PEOPLE * BUDGET &&
              lead.latest().voting.voters === PEOPLE,
          ),
        10_000,
        `the tallies ${JSON.stringify(expectedTallies)} on every process`,
      );
      const stored = await readDatabaseBoard(svc.databaseUrl, boardId);
      const storedTallies: Record<string, number> = {};
      for (const votes of Object.values(stored.session?.votes ?? {})) {
        for (const [goalId, n] of Object.entries(votes))
          storedTallies[goalId] = (storedTallies[goalId] ?? 0) + n;
      }
      expect(votesText(storedTallies), 'the tallies in the database').toBe(votesText(expectedTallies));

      // Three facilitators on three processes move the phase and open/close voting at once.
      const revBefore = everyone.map((c) => c.latest().rev);
      const phases = ['discover', 'goals', 'agree', 'wrap-up', 'day-to-day', 'prioritise'];
      const racing = leads.flatMap((lead, i) => [
        lead.request('phase', { phase: phases[i] }),
        lead.request('voting', { open: i % 2 === 0 }),
        lead.request('phase', { phase: phases[i + 3] }),
        lead.request('voting', { open: i % 2 === 1 }),
      ]);
      for (const ack of await Promise.all(racing)) expect(ack).toEqual({ ok: true });

      // One outcome, the same for every connection on every process and in the database.
      await waitFor(
        async () => {
          const views = everyone.map((c) => c.latest());
          const first = nth(views, 0);
          const same = views.every(
            (v) =>
              v.phase === first.phase &&
              v.voting.open === first.voting.open &&
              v.voting.votesCast === PEOPLE * BUDGET,
          );
          if (!same) return false; // the database is read only once the views agree
          const truth: SessionState | null = (await readDatabaseBoard(svc.databaseUrl, boardId)).session;
          return truth?.phase === first.phase && truth.voting.open === first.voting.open;
        },
        10_000,
        'every connection on every process to show the state in the database',
      );
      const final = decisions(nth(leads, 0).latest());
      for (const [i, client] of everyone.entries()) {
        expect(decisions(client.latest()), `connection ${i + 1}`).toEqual(final);
      }
      // A new connection on each process starts from that same state.
      for (const [i, server] of processes.entries()) {
        const fresh = await sessions.connect(server, {
          boardId,
          token: nth(leadsJoined, i).token,
        });
        expect(decisions(fresh.latest()), `a new connection on process ${i + 1}`).toEqual(final);
        expect(votesText(fresh.latest().tallies)).toBe(votesText(expectedTallies));
      }

      // rev: never back within a connection; higher after the changes on every process.
      for (const [i, client] of everyone.entries()) {
        expectRevOnlyGrows(client, `connection ${i + 1}`);
        expect(client.latest().rev, `connection ${i + 1}: rev after the changes`).toBeGreaterThan(
          revBefore[i] as number,
        );
      }
    },
  );

  it('[session#votes][running#several-processes] what one process acknowledged (a vote, a phase change) shows through the other within about a second, on connections that never reconnect', async () => {
    const [a, b] = await startProcesses(2, await services());
    if (!a || !b) throw new Error('two processes');
    const w = await workshop(a, 1);
    const boardId = w.board.id;
    const writer = await GoalWriter.open(a, sync, boardId, w.facilitator);
    const goals = await writer.add([{ title: 'Grow our audience' }, { title: 'Increase brand awareness' }]);
    const lead = await sessions.connect(a, { boardId, token: w.facilitator.token });
    const member = await sessions.connect(b, {
      boardId,
      token: nth(w.participants, 0).token,
    });
    await goalsOn(b, boardId, 2);
    expect(await lead.request('voting', { open: true })).toEqual({ ok: true });
    await member.waitForSession((view) => view.voting.open, 'voting open on B');

    const ids = [lead.socket.id, member.socket.id];
    let disconnects = 0;
    for (const client of [lead, member]) client.socket.on('disconnect', () => (disconnects += 1));
    const latencies: number[] = [];
    const seen = async (check: () => boolean, what: string): Promise<void> => {
      const since = Date.now();
      await waitFor(check, 2_000, what);
      latencies.push(Date.now() - since);
    };

    const phases = ['goals', 'prioritise', 'agree'] as const;
    for (const [step, phase] of phases.entries()) {
      // A vote acknowledged by B is in the tallies the facilitator on A sees…
      const goalId = goals[step % 2] as string;
      const before = lead.latest().tallies?.[goalId] ?? 0;
      expect(await member.request('vote', { goalId, delta: 1 })).toMatchObject({ ok: true });
      await seen(
        () => lead.latest().tallies?.[goalId] === before + 1,
        `vote ${step + 1} (acknowledged by B) on A`,
      );
      // …and a phase change acknowledged by A is the phase the participant on B sees.
      expect(await lead.request('phase', { phase })).toEqual({ ok: true });
      await seen(() => member.latest().phase === phase, `phase "${phase}" (acknowledged by A) on B`);
    }
    expect(disconnects, 'connections lost on the way').toBe(0);
    expect([lead.socket.id, member.socket.id], 'the same connections throughout').toEqual(ids);
    console.log(
      `[running#several-processes] acknowledged on one process, shown on the other after (ms): ${latencies.join(', ')}`,
    );
  });

  it('[http#join-a-board][session#presence][running#several-processes] someone who joins through a process where nobody is on the board is listed through the others within about a second, and acts at once, as who they are, through another', async () => {
    const [a, b] = await startProcesses(2, await services());
    if (!a || !b) throw new Error('two processes');
    const created = await createBoard(a);
    const boardId = created.id;
    const leadJoined = await joinBoard(a, boardId, 'Lead', created.facilitatorKey);
    // The meeting is live on A only; B has nothing of this board in memory.
    const lead = await sessions.connect(a, { boardId, token: leadJoined.token });
    const loadedAt = Date.now();
    /** Just after one of A's periodic reloads from the store (every RELOAD_EVERY_MS since it loaded
     * the board), so that only news from B can bring a join made now in time. */
    const afterReload = async (): Promise<void> => {
      const round = Math.max(0, Math.ceil((Date.now() - loadedAt - 300) / RELOAD_EVERY_MS));
      await sleep(Math.max(0, loadedAt + 300 + round * RELOAD_EVERY_MS - Date.now()));
    };

    // Bea joins through B: the facilitator on A sees her in the list.
    await afterReload();
    const bea = await joinBoard(b, boardId, 'Bea');
    const listed = await waitFor(
      () => lead.latest().participants.some((p) => p.id === bea.participantId),
      2_000,
      'Bea listed on A',
    ).then(
      () => true,
      () => false,
    );
    expect.soft(listed, 'Bea, whose join B acknowledged, listed on A within 2 s').toBe(true);

    // A co-facilitator joins through B, and their next connection lands on A (behind one address,
    // it may): A takes B's token and treats them as who they are, at once.
    await afterReload();
    const coLead = await joinBoard(b, boardId, 'Co-lead', created.facilitatorKey);
    const onA = await sessions.connect(a, { boardId, token: coLead.token });
    expect
      .soft(online(onA.latest(), coLead.participantId), 'the co-facilitator in their own first view')
      .toBe(true);
    expect.soft(onA.latest().tallies, 'the tallies, shown to a facilitator').not.toBeNull();
    expect
      .soft(await onA.request('phase', { phase: 'goals' }), "the co-facilitator's first request, through A")
      .toEqual({ ok: true });
  });

  it("[sync#lock][session#lock][running#several-processes] a lock set through one process is enforced by the other: a participant's edit there is refused (4423) until the unlock, then merges", async () => {
    const [a, b] = await startProcesses(2, await services());
    if (!a || !b) throw new Error('two processes');
    const w = await workshop(a, 1);
    const boardId = w.board.id;
    const member = w.participants[0] as Joined;
    const lead = await sessions.connect(a, { boardId, token: w.facilitator.token });
    const leadSync = await sync.syncedProvider(a, boardId, { token: w.facilitator.token });
    const memberSession = await sessions.connect(b, { boardId, token: member.token });
    const memberSync = await sync.syncedProvider(b, boardId, { token: member.token });
    const closeCodes: Array<number | undefined> = [];
    memberSync.provider.on('connection-close', (event: { code: number } | null) =>
      closeCodes.push(event?.code),
    );

    expect(await lead.request('lock', { locked: true })).toEqual({ ok: true });
    await memberSession.waitForSession((view) => view.locked, 'the lock set on A, on B');
    const questionId = readQuestions(leadSync.doc)[0]?.id as string;
    const card = addCard(memberSync.doc, { questionId, text: 'typed during the lock', authorId: '' });
    await waitFor(() => closeCodes.includes(4423), 5_000, 'B to refuse the edit with 4423');
    // A sentinel: the facilitator's edit through B, after the refused one. Had B taken the refused
    // edit, it would have stored and told it first: once the sentinel is on A, so would it be.
    const leadOnB = await sync.syncedProvider(b, boardId, { token: w.facilitator.token });
    const sentinel = addCard(leadOnB.doc, { questionId, text: 'after the refused edit', authorId: '' });
    await waitFor(() => leadSync.doc.getMap('cards').has(sentinel), 10_000, 'the sentinel (through B) on A');
    expect(leadSync.doc.getMap('cards').has(card), 'the edit refused by B, on A').toBe(false);

    expect(await lead.request('lock', { locked: false })).toEqual({ ok: true });
    // As Atelier's client does once its session (on B) shows the lock lifted: reconnect.
    await memberSession.waitForSession((view) => !view.locked, 'the unlock set on A, on B');
    memberSync.provider.connect();
    await waitFor(
      () => leadSync.doc.getMap('cards').has(card),
      10_000,
      'the edit kept by the client, merged once unlocked',
    );
  });

  it("[session#lock][running#several-processes] a lock acknowledged by one process refuses a participant's vote through another at once, whether or not that process has heard of it yet; the unlock lets it through at once", async () => {
    const svc = await services();
    const [a, b] = await startProcesses(2, svc);
    if (!a || !b) throw new Error('two processes');
    const w = await workshop(a, 1);
    const boardId = w.board.id;
    const writer = await GoalWriter.open(a, sync, boardId, w.facilitator);
    const goalId = nth(await writer.add([{ title: 'Grow our audience' }]), 0);
    const lead = await sessions.connect(a, { boardId, token: w.facilitator.token });
    const member = await sessions.connect(b, { boardId, token: nth(w.participants, 0).token });
    await goalsOn(b, boardId, 1);
    expect(await lead.request('voting', { open: true })).toEqual({ ok: true });
    await member.waitForSession((view) => view.voting.open, 'voting open on B');

    // No waiting for B to show the lock: B checks it on the state it would change, the stored one.
    expect(await lead.request('lock', { locked: true })).toEqual({ ok: true });
    const refusedVote = await member.request('vote', { goalId, delta: 1 });
    expect(refusedVote).toMatchObject({ ok: false, error: { code: 'locked' } });
    expect(await member.request('pulse', { score: 3 })).toMatchObject({
      ok: false,
      error: { code: 'locked' },
    });
    expect((await readDatabaseBoard(svc.databaseUrl, boardId)).session?.votes).toEqual({});

    expect(await lead.request('lock', { locked: false })).toEqual({ ok: true });
    expect(await member.request('vote', { goalId, delta: 1 })).toEqual({
      ok: true,
      myVotes: { [goalId]: 1 },
    });
    await waitFor(() => lead.latest().tallies?.[goalId] === 1, 5_000, 'the vote through B, on A');
  });

  it(
    '[session#presence][running#several-processes] a participant on a process that dies (SIGKILL) shows online, then offline within 30 s, for a client of another process',
    { timeout: 90_000 },
    async () => {
      const [a, b] = await startProcesses(2, await services());
      if (!a || !b) throw new Error('two processes');
      const w = await workshop(a, 2);
      const boardId = w.board.id;
      const [bea, ben] = w.participants as [Joined, Joined];
      // The first connection on A loads the meeting there, and Bea's loads it on B just after: B's
      // heartbeats (every PRESENCE_HEARTBEAT_MS) are counted from about now.
      const observer = await sessions.connect(a, { boardId, token: w.facilitator.token });
      const loadedAt = Date.now();
      await sessions.connect(b, { boardId, token: bea.token });
      await waitFor(
        () => online(observer.latest(), bea.participantId) === true,
        10_000,
        'Bea (on B) online on A',
      );

      // Whatever the moment of death, 30 s is the bound. A process says who is online on it on
      // every change and every PRESENCE_HEARTBEAT_MS; the others believe it for PRESENCE_TRUST_MS
      // and look for processes that fell silent every PRESENCE_EXPIRY_CHECK_MS. The hardest moment
      // is right after B speaks: here a new connection on B makes it say who is online on it, about
      // two thirds into one of its heartbeat rounds, and B dies at once.
      expect(PRESENCE_TRUST_MS + PRESENCE_EXPIRY_CHECK_MS, 'the bound the design promises').toBeLessThan(
        30_000,
      );
      const offset = Math.round(PRESENCE_HEARTBEAT_MS * 0.65);
      const rounds = Math.max(0, Math.ceil((Date.now() - loadedAt - offset) / PRESENCE_HEARTBEAT_MS));
      await sleep(Math.max(0, loadedAt + offset + rounds * PRESENCE_HEARTBEAT_MS - Date.now()));
      await sessions.connect(b, { boardId, token: ben.token });
      await waitFor(
        () => online(observer.latest(), ben.participantId) === true,
        10_000,
        'Ben (on B) online on A',
      );
      const killedAt = Date.now();
      expect(await b.kill('SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });

      await waitFor(
        () =>
          online(observer.latest(), bea.participantId) === false &&
          online(observer.latest(), ben.participantId) === false,
        40_000,
        'the people of the dead process offline on A',
      );
      const after = Date.now() - killedAt;
      console.log(
        `[running#several-processes] people of a SIGKILLed process shown offline elsewhere after ${after} ms`,
      );
      // 30 s, plus the broadcast interval and the polling of this test.
      expect(after, 'ms from the SIGKILL until they show offline on A').toBeLessThanOrEqual(30_500);
      expect(online(observer.latest(), w.facilitator.participantId)).toBe(true);
    },
  );
});
