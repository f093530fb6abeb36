/**
 * Several processes (docs/running.md#several-processes: "Every process started with the same two URLs serves every board; a
 * client may reconnect to any of them, and a token issued by one is accepted by all … Per board,
 * the session's `rev` grows across all processes; what one process acknowledged is visible through
 * every other within a second"), against real Atelier processes (child processes, started as
 * production starts them) sharing one real PostgreSQL database and one real Redis, with stock
 * y-websocket providers and socket.io clients spread over them.
 *
 * The session plane (votes, rev, presence) is in cluster-sessions.test.ts; failures (a process
 * SIGKILLed, Redis restarted or dropping messages) in cluster-failures.test.ts.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createTokenSigner } from '../../server/auth/tokens';
import { addCard, readQuestions } from '../../shared/board';
import type { SessionView } from '../../shared/session/state';
import { clusterEnv, nth, startProcesses, useCluster } from '../helpers/cluster';
import { cardIds } from '../helpers/busy-workshop';
import { sleep, waitFor } from '../helpers/expect';
import { startServerProcess, stopServerProcesses } from '../helpers/server-process';
import { seededRandom } from '../helpers/random';
import { describeWithRedis } from '../helpers/redis';
import { createBoard, joinBoard } from '../helpers/server';
import type { ProviderClient } from '../helpers/sync-clients';
import { boardSummary, GoalWriter, workshop } from '../helpers/workshop';

/** A document's state vector as sorted pairs (equal state vectors: the same updates seen). */
function stateVector(doc: Y.Doc): Array<[number, number]> {
  return [...Y.decodeStateVector(Y.encodeStateVector(doc)).entries()].sort(([a], [b]) => a - b);
}

describe('configuration of several processes', () => {
  afterEach(async () => {
    await stopServerProcesses();
  });

  it('[running#several-processes] REDIS_URL without DATABASE_URL: the process refuses to start and says DATABASE_URL is needed', async () => {
    const started = startServerProcess({ env: { REDIS_URL: 'redis://127.0.0.1:1' } });
    const error = await started.then(
      () => null,
      (reason: unknown) => reason,
    );
    expect(error, 'the process started without DATABASE_URL').toBeInstanceOf(Error);
    const message = (error as Error).message;
    expect(message).toMatch(/exited \(2\) before it started/);
    expect(message).toContain('DATABASE_URL');
  });
});

describeWithRedis('several processes on one PostgreSQL and one Redis', () => {
  const { sync, sessions, services } = useCluster();

  it(
    '[sync#presence][running#several-processes] stock providers on three processes converge on concurrent edits, each card everywhere once, and awareness reaches the other processes',
    { timeout: 60_000 },
    async () => {
      // Each process also compacts the board every few updates while the others append to it.
      const processes = await startProcesses(3, await services(), { COMPACT_AFTER_UPDATES: '5' });
      const { board } = await workshop(nth(processes, 0), 0);
      // Two stock providers on each process.
      const clients: ProviderClient[] = await Promise.all(
        [0, 0, 1, 1, 2, 2].map((i) => sync.syncedProvider(nth(processes, i), board.id)),
      );
      const first = nth(clients, 0);
      const initial = cardIds(first);
      const questions = readQuestions(first.doc).map((question) => question.id);
      expect(questions.length).toBeGreaterThan(0);
      for (const client of clients) expect(cardIds(client)).toEqual(initial);

      // Everyone adds cards at once, in small bursts.
      const random = seededRandom(11);
      const created: string[] = [];
      await Promise.all(
        clients.map(async (client, i) => {
          for (let n = 0; n < 15; n++) {
            created.push(
              addCard(client.doc, {
                questionId: questions[random.below(questions.length)] as string,
                text: `client ${i + 1}, card ${n + 1}`,
                authorId: '',
              }),
            );
            if (n % 3 === 2) await sleep(10 + random.below(40));
          }
        }),
      );
      const expected = [...initial, ...created].sort();
      await waitFor(
        () => clients.every((client) => cardIds(client).join() === expected.join()),
        15_000,
        'every client on every process to hold every card',
      );
      const content = first.doc.getMap('cards').toJSON();
      for (const [i, client] of clients.entries()) {
        expect(stateVector(client.doc), `client ${i + 1}'s document`).toEqual(stateVector(first.doc));
        expect(client.doc.getMap('cards').toJSON(), `client ${i + 1}'s cards`).toEqual(content);
      }
      // A new provider on any process gets the same document.
      const fresh = await sync.syncedProvider(nth(processes, 2), board.id);
      expect(cardIds(fresh)).toEqual(expected);

      // Awareness (presence, cursors) set on process 1 reaches the clients of processes 2 and 3…
      const speaker = first;
      speaker.provider.awareness.setLocalStateField('user', { name: 'Ana on process 1' });
      const nameSeenBy = (client: ProviderClient): unknown =>
        (client.provider.awareness.getStates().get(speaker.doc.clientID) as { user?: { name?: string } })
          ?.user?.name;
      await waitFor(
        () => clients.slice(2).every((client) => nameSeenBy(client) === 'Ana on process 1'),
        10_000,
        'the awareness of a client of process 1 on processes 2 and 3',
      );
      // …and so does its departure.
      speaker.provider.disconnect();
      await waitFor(
        () =>
          clients
            .slice(2)
            .every((client) => !client.provider.awareness.getStates().has(speaker.doc.clientID)),
        10_000,
        'the departure of a client of process 1 on processes 2 and 3',
      );
    },
  );

  it('[http#join-a-board][sync#connecting][session#connecting][running#several-processes] a board created on one process is found on the other, and a token joined on either is accepted by both planes of both', async () => {
    const [a, b] = await startProcesses(2, await services());
    if (!a || !b) throw new Error('two processes');
    const created = await createBoard(a, { title: 'Kickoff on A', locale: 'en' });

    // The board is there on B.
    const summary = await boardSummary(b, created.id);
    expect(summary).toMatchObject({ id: created.id, title: 'Kickoff on A', participants: 0 });

    // Joined on A (the facilitator) and on B (a participant; a co-facilitator, whose key B checks).
    const lead = await joinBoard(a, created.id, 'Lead', created.facilitatorKey);
    const member = await joinBoard(b, created.id, 'Bea');
    const coLead = await joinBoard(b, created.id, 'Co-lead', created.facilitatorKey);
    expect([lead.role, member.role, coLead.role]).toEqual(['facilitator', 'participant', 'facilitator']);

    // A's token on B, B's tokens on A: the sync endpoint opens with them…
    const leadSync = await sync.syncedProvider(b, created.id, { token: lead.token });
    const memberSync = await sync.syncedProvider(a, created.id, { token: member.token });
    expect(leadSync.provider.wsconnected && memberSync.provider.wsconnected).toBe(true);
    expect(readQuestions(leadSync.doc).length, "the template's questions, on B").toBeGreaterThan(0);
    // …and socket.io accepts them, with the role the token carries.
    const leadOnB = await sessions.connect(b, { boardId: created.id, token: lead.token });
    const memberOnA = await sessions.connect(a, { boardId: created.id, token: member.token });
    const coLeadOnA = await sessions.connect(a, { boardId: created.id, token: coLead.token });
    expect(leadOnB.latest().tallies, 'a facilitator sees the tallies').not.toBeNull();
    expect(coLeadOnA.latest().tallies, 'so does a co-facilitator').not.toBeNull();
    expect(memberOnA.latest().tallies, 'a participant does not').toBeNull();
    const names = (view: SessionView): string[] => view.participants.map((p) => p.name).sort();
    await leadOnB.waitForSession(
      (view) => names(view).join() === 'Bea,Co-lead,Lead',
      'everyone joined on either process listed on B',
    );
    // A facilitator joined on B acts through A.
    expect(await coLeadOnA.request('phase', { phase: 'goals' })).toEqual({ ok: true });
    await leadOnB.waitForSession((view) => view.phase === 'goals', 'the phase set through A, on B');

    // The processes share one signing secret, and only that one: a token for the same participant
    // signed with another secret is refused by both.
    const forged = createTokenSigner(randomBytes(32)).sign({
      boardId: created.id,
      participantId: member.participantId,
    });
    for (const server of [a, b]) {
      expect(await sessions.connectError(server, { boardId: created.id, token: forged })).toBe('bad_token');
      const raw = sync.raw(server, `/sync/${created.id}?token=${encodeURIComponent(forged)}`);
      expect((await raw.closed).code).toBe(4401);
    }
  });

  it(
    '[sync#document-layout][session#votes][running#several-processes] a process started after the edits catches up: its clients see every card, vote and decision, and its edits reach the others',
    { timeout: 60_000 },
    async () => {
      const svc = await services();
      const [a] = await startProcesses(1, svc);
      if (!a) throw new Error('one process');
      const w = await workshop(a, 2);
      const boardId = w.board.id;
      const writer = await GoalWriter.open(a, sync, boardId, w.facilitator);
      const goals = await writer.add([{ title: 'Grow our audience' }, { title: 'Measure social ROI' }]);
      const lead = await sessions.connect(a, { boardId, token: w.facilitator.token });
      const members = await Promise.all(
        w.participants.map((p) => sessions.connect(a, { boardId, token: p.token })),
      );
      const editors = await Promise.all(
        w.participants.map((p) => sync.syncedProvider(a, boardId, { token: p.token })),
      );
      const initial = cardIds(writer.client);
      const questions = readQuestions(writer.client.doc).map((q) => q.id);
      const created: string[] = [];
      for (const [i, editor] of editors.entries()) {
        for (let n = 0; n < 10; n++) {
          created.push(
            addCard(editor.doc, {
              questionId: questions[n % questions.length] as string,
              text: `early ${i}.${n}`,
              authorId: '',
            }),
          );
        }
      }
      expect(await lead.request('voting', { open: true, votesPerPerson: 5, maxPerItem: 3 })).toEqual({
        ok: true,
      });
      for (const member of members) await member.waitForSession((v) => v.voting.open, 'voting open');
      for (const member of members) {
        expect(await member.request('vote', { goalId: goals[0], delta: 1 })).toMatchObject({ ok: true });
        expect(await member.request('vote', { goalId: goals[1], delta: 1 })).toMatchObject({ ok: true });
      }
      expect(await lead.request('phase', { phase: 'prioritise' })).toEqual({ ok: true });
      const expected = [...initial, ...created].sort();
      await waitFor(
        () => [writer.client, ...editors].every((e) => cardIds(e).join() === expected.join()),
        10_000,
        'the early cards on A',
      );
      await waitFor(() => lead.latest().voting.votesCast === 4, 5_000, 'the early votes on A');

      // A second process, started now.
      const late = await startServerProcess({ env: clusterEnv(svc) });
      const fresh = await sync.syncedProvider(late, boardId);
      expect(cardIds(fresh)).toEqual(expected);
      expect(fresh.doc.getMap('cards').toJSON()).toEqual(writer.client.doc.getMap('cards').toJSON());
      const leadOnLate = await sessions.connect(late, { boardId, token: w.facilitator.token });
      expect(leadOnLate.latest()).toMatchObject({
        phase: 'prioritise',
        voting: { open: true, votesCast: 4, voters: 2 },
        tallies: { [goals[0] as string]: 2, [goals[1] as string]: 2 },
      });
      expect(
        leadOnLate
          .latest()
          .participants.map((p) => p.name)
          .sort(),
      ).toEqual(['Lead', 'Member 1', 'Member 2']);

      // And it is a full member of the cluster: what happens on it reaches A.
      const card = addCard(fresh.doc, {
        questionId: questions[0] as string,
        text: 'from the late process',
        authorId: '',
      });
      await waitFor(
        () => [writer.client, ...editors].every((e) => e.doc.getMap('cards').has(card)),
        10_000,
        'a card written on the late process, on A',
      );
      expect(await leadOnLate.request('phase', { phase: 'agree' })).toEqual({ ok: true });
      await waitFor(
        () => [lead, ...members].every((c) => c.latest().phase === 'agree'),
        10_000,
        'a phase set on the late process, on A',
      );
    },
  );
});
