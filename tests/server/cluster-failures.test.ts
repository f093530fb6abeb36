/**
 * Several processes when something fails (docs/running.md#several-processes: "a client may reconnect to any of them … what
 * one process acknowledged is visible through every other within a second; a participant whose
 * process died shows offline within 30 s"; docs/errors.md#durability: nothing acknowledged is lost), against real
 * Atelier processes sharing one real PostgreSQL database and one real Redis:
 *
 * - a process SIGKILLed: its clients, behind a TCP proxy that fails over like the reverse proxy in
 *   deploy/, carry on on the other process, and nothing it acknowledged is missing from the
 *   database (its people showing offline elsewhere is in cluster-sessions.test.ts);
 * - Redis killed and started again, and Redis dropping messages: the processes never rely on
 *   delivery (documents catch up from the store, meetings reload from it), and Redis carries
 *   awareness and reactions again once it is back.
 */
import { expect, it } from 'vitest';
import { addCard, readQuestions } from '../../shared/board';
import type { Joined } from '../../shared/api';
import {
  goalsOn,
  readDatabaseBoard,
  startProcesses,
  TcpProxy,
  useCluster,
  votesText,
} from '../helpers/cluster';
import {
  cardIds,
  editLoop,
  held,
  possibleVotes,
  sumVotes,
  voteLoop,
  writeCard,
  type BusyWorkshop,
  type Member,
  type Votes,
} from '../helpers/busy-workshop';
import { sleep, waitFor } from '../helpers/expect';
import { seededRandom } from '../helpers/random';
import { describeWithRedis } from '../helpers/redis';
import type { ProviderClient } from '../helpers/sync-clients';
import { GoalWriter, workshop } from '../helpers/workshop';

type Server = { url: string; wsUrl: string };

describeWithRedis('several processes, when a process or Redis fails', () => {
  const proxies: TcpProxy[] = [];
  const cluster = useCluster(async () => {
    await Promise.all(proxies.splice(0).map((proxy) => proxy.close()));
    // The next test gets a running Redis that serves everyone, whatever this one left behind.
    if (!cluster.redis.alive) await cluster.redis.start();
    await cluster.redis.cli('CLIENT', 'UNPAUSE');
  });
  const { sync, sessions, services } = cluster;

  /**
   * Two processes, a board made on A with two goals and open voting; the facilitator, a member on
   * A and a member on B, each connected on both planes, and the facilitator's view on B.
   */
  async function pair() {
    const svc = await services();
    // Both compact the board every few updates: catching up then reads the other's snapshots.
    const [a, b] = await startProcesses(2, svc, { COMPACT_AFTER_UPDATES: '5' });
    if (!a || !b) throw new Error('two processes');
    const w = await workshop(a, 2);
    const boardId = w.board.id;
    const [joinedA, joinedB] = w.participants as [Joined, Joined];
    const writer = await GoalWriter.open(a, sync, boardId, w.facilitator);
    const goals = await writer.add([{ title: 'Grow our audience' }, { title: 'Measure social ROI' }]);
    const lead = await sessions.connect(a, { boardId, token: w.facilitator.token });
    const leadOnB = await sessions.connect(b, { boardId, token: w.facilitator.token });
    const onA = {
      sync: await sync.syncedProvider(a, boardId, { token: joinedA.token }),
      session: await sessions.connect(a, { boardId, token: joinedA.token }),
    };
    const onB = {
      sync: await sync.syncedProvider(b, boardId, { token: joinedB.token }),
      session: await sessions.connect(b, { boardId, token: joinedB.token }),
    };
    await goalsOn(b, boardId, 2);
    expect(await lead.request('voting', { open: true, votesPerPerson: 20, maxPerItem: 20 })).toEqual({
      ok: true,
    });
    const everyone = [lead, leadOnB, onA.session, onB.session];
    await waitFor(() => everyone.every((c) => c.latest().voting.open), 10_000, 'voting open everywhere');
    const questions = readQuestions(writer.client.doc).map((q) => q.id);
    return { svc, a, b, boardId, goals, questions, writer, lead, leadOnB, onA, onB, everyone };
  }

  type Pair = Awaited<ReturnType<typeof pair>>;

  /** Adds `count` cards through `client`; returns their ids. */
  function cards(p: Pair, client: ProviderClient, count: number, text: string): string[] {
    return Array.from({ length: count }, (_, n) =>
      addCard(client.doc, {
        questionId: p.questions[n % p.questions.length] as string,
        text: `${text} ${n + 1}`,
        authorId: '',
      }),
    );
  }

  /**
   * Waits until `to` sees an awareness state set by `from` (a client of another process). Awareness
   * is stored nowhere: one published while a process is still reconnecting to Redis is simply
   * lost (the stock client says it again only every 15 s), so `from` says it again every half
   * second until it is heard.
   */
  async function heard(from: ProviderClient, to: ProviderClient, when: string): Promise<void> {
    const prefix = `${when}, from ${from.doc.clientID}`;
    const seen = (): string =>
      String(
        (to.provider.awareness.getStates().get(from.doc.clientID) as { user?: { name?: string } } | undefined)
          ?.user?.name,
      );
    let said = 0;
    await waitFor(
      async () => {
        if (seen().startsWith(prefix)) return true;
        from.provider.awareness.setLocalStateField('user', { name: `${prefix} #${++said}` });
        await sleep(500);
        return seen().startsWith(prefix);
      },
      20_000,
      `awareness ${when} from one process on the other`,
    );
  }

  /** Every session view shows the same decisions and tallies as the database. */
  async function sessionsAgree(p: Pair, what: string): Promise<void> {
    await waitFor(
      async () => {
        const first = p.lead.latest();
        const same =
          p.everyone.every(
            (c) => c.latest().phase === first.phase && c.latest().voting.open === first.voting.open,
          ) && votesText(p.leadOnB.latest().tallies) === votesText(first.tallies);
        if (!same) return false; // the database is read only once the views agree
        const truth = (await readDatabaseBoard(p.svc.databaseUrl, p.boardId)).session;
        return (
          truth?.phase === first.phase &&
          truth.voting.open === first.voting.open &&
          votesText(sumVotes(Object.values(truth.votes))) === votesText(first.tallies)
        );
      },
      10_000,
      what,
    );
  }

  it(
    '[errors#durability][running#several-processes] a process SIGKILLed mid-workshop: nothing it acknowledged is missing from the database, and its clients, failed over to the other process, carry on and converge',
    { timeout: 90_000 },
    async () => {
      const random = seededRandom(7);
      const svc = await services();
      // Both compact the board every few updates, while the other appends to it.
      const [a, b] = await startProcesses(2, svc, { COMPACT_AFTER_UPDATES: '5' });
      if (!a || !b) throw new Error('two processes');
      // B's clients reach it through a proxy, which sends them to A once B is gone.
      const proxy = await TcpProxy.start(b);
      proxies.push(proxy);
      const w = await workshop(a, 5);
      const boardId = w.board.id;
      const writer = await GoalWriter.open(a, sync, boardId, w.facilitator);
      const goals = await writer.add([
        { title: 'Grow our audience' },
        { title: 'Increase brand awareness' },
        { title: 'Measure social ROI' },
      ]);
      await goalsOn(b, boardId, 3);
      const received = new Set<string>();
      const member = async (
        name: string,
        joined: Joined,
        server: Server,
        client?: ProviderClient,
      ): Promise<Member> => {
        const syncClient = client ?? (await sync.syncedProvider(server, boardId, { token: joined.token }));
        // A card that arrives in a transaction of the provider came from a server.
        syncClient.doc.getMap('cards').observe((event) => {
          if (event.transaction.origin !== syncClient.provider) return;
          for (const [id, change] of event.changes.keys) if (change.action === 'add') received.add(id);
        });
        const session = await sessions.connect(server, { boardId, token: joined.token });
        const votes = { acked: {}, ackedCount: 0, takeBacks: 0, inDoubt: null, refused: [] };
        return { name, joined, sync: syncClient, session, created: [], votes, closeCodes: [] };
      };
      const lead = await member('Lead', w.facilitator, a, writer.client);
      const members: Member[] = [];
      for (const [i, joined] of w.participants.entries()) {
        members.push(await member(`Member ${i + 1}`, joined, i < 2 ? a : proxy));
      }
      const onB = members.slice(2);
      expect(
        await lead.session.request('voting', { open: true, votesPerPerson: 100, maxPerItem: 100 }),
      ).toEqual({
        ok: true,
      });
      for (const m of members) await m.session.waitForSession((view) => view.voting.open, 'voting open');
      const board: BusyWorkshop = {
        boardId,
        lead,
        members,
        everyone: [lead, ...members],
        goals,
        questions: readQuestions(writer.client.doc).map((q) => q.id),
        received,
        initialCards: cardIds(writer.client),
      };

      // Everyone edits and votes briskly on both processes; B dies at a moment chosen by the seed.
      let running = true;
      const isRunning = (): boolean => running;
      const loops = [
        ...board.everyone.map((m) => editLoop(board, m, seededRandom(random.below(2 ** 31)), isRunning)),
        ...members.map((m) => voteLoop(board, m, seededRandom(random.below(2 ** 31)), isRunning)),
      ];
      await sleep(1_000 + random.below(1_000));
      proxy.route(null); // B's clients reach nothing until the database has been checked
      expect(await b.kill('SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });
      running = false;
      await Promise.all(loops);
      await waitFor(
        () => onB.every((m) => !m.sync.provider.wsconnected && !m.session.socket.connected),
        10_000,
        "B's clients to notice that B is gone",
      );

      // What either process had sent out or acknowledged is in the database, without any help
      // from B's clients (they cannot reach anything now).
      const receivedNow = [...received];
      expect(receivedNow.length, 'cards received from the servers before the kill').toBeGreaterThan(10);
      expect(
        onB.reduce((sum, m) => sum + m.votes.ackedCount, 0),
        'votes B acknowledged before the kill',
      ).toBeGreaterThan(3);
      const stored = await readDatabaseBoard(svc.databaseUrl, boardId);
      const inDatabase = new Set(stored.doc.getMap('cards').keys());
      expect(
        receivedNow.filter((id) => !inDatabase.has(id)),
        'cards clients had received, missing from the database',
      ).toEqual([]);
      const storedVotes = new Map<string, Votes>();
      for (const m of members) {
        const votes = held(stored.session?.votes[m.joined.participantId] ?? {});
        storedVotes.set(m.name, votes);
        expect(possibleVotes(m.votes), `${m.name}'s votes in the database`).toContainEqual(votes);
      }
      // A serves all of it to a new client.
      const witness = await sync.syncedProvider(a, boardId);
      await waitFor(
        () => receivedNow.every((id) => witness.doc.getMap('cards').has(id)),
        10_000,
        'every card received before the kill, through a new provider on A',
      );

      // B's people write while disconnected; then the proxy sends them to A.
      const offline = onB.map((m) => writeCard(board, m, `${m.name}, while B was gone`, random));
      const eventsBefore = onB.map((m) => m.session.sessions.length);
      proxy.route(a);
      await waitFor(
        () =>
          onB.every(
            (m, i) =>
              m.sync.provider.wsconnected &&
              m.sync.provider.synced &&
              m.session.socket.connected &&
              m.session.sessions.length > (eventsBefore[i] as number),
          ),
        20_000,
        "B's clients to reconnect, through the proxy, to A by themselves",
      );
      expect(proxy.forwarded.get(a.port) ?? 0).toBeGreaterThanOrEqual(onB.length * 2);

      // They carry on: a card each, a vote each, acknowledged by A.
      for (const m of board.everyone) writeCard(board, m, `${m.name}, after the failover`, random);
      const goalId = goals[0] as string;
      for (const m of members) {
        const ack = await m.session.request('vote', { goalId, delta: 1 });
        expect(ack, `${m.name}'s vote after the failover`).toMatchObject({ ok: true });
        const votes = storedVotes.get(m.name) ?? {};
        storedVotes.set(m.name, { ...votes, [goalId]: (votes[goalId] ?? 0) + 1 });
      }

      // Every card anyone made, each once, everywhere; the votes exactly as stored plus the new one.
      const expected = [...board.initialCards, ...board.everyone.flatMap((m) => m.created)].sort();
      expect(new Set(expected).size).toBe(expected.length);
      const everyone = [witness, ...board.everyone.map((m) => m.sync)];
      await waitFor(
        () => everyone.every((client) => cardIds(client).join() === expected.join()),
        20_000,
        'every client and a new one on A to hold every card made',
      );
      for (const id of offline) expect(cardIds(witness)).toContain(id);
      for (const m of members) {
        await waitFor(
          () => votesText(m.session.latest().myVotes) === votesText(storedVotes.get(m.name)),
          10_000,
          `${m.name}'s votes after the failover`,
        );
      }
      await waitFor(
        () => votesText(lead.session.latest().tallies) === votesText(sumVotes([...storedVotes.values()])),
        10_000,
        'the tallies on A: every vote stored, plus the new ones',
      );
    },
  );

  it(
    '[sync#presence][session#reactions][running#several-processes] Redis killed and started again on its port: edits and votes still cross by the store meanwhile, and Redis carries awareness and reactions again after',
    { timeout: 90_000 },
    async () => {
      const p = await pair();
      // Before: Redis carries awareness from A to B.
      await heard(p.onA.sync, p.onB.sync, 'before the outage');

      await cluster.redis.kill();
      // Meanwhile, edits on A reach B, and B's reach A: by catching up from the store.
      const fromA = cards(p, p.onA.sync, 5, 'from A, Redis down');
      const fromB = cards(p, p.onB.sync, 5, 'from B, Redis down');
      await waitFor(
        () =>
          [...fromA, ...fromB].every(
            (id) => p.onA.sync.doc.getMap('cards').has(id) && p.onB.sync.doc.getMap('cards').has(id),
          ),
        15_000,
        'the edits made while Redis is down on both processes',
      );
      // Votes acknowledged by each process show on the other (reloaded from the store).
      expect(await p.onA.session.request('vote', { goalId: p.goals[0], delta: 1 })).toMatchObject({
        ok: true,
      });
      expect(await p.onB.session.request('vote', { goalId: p.goals[1], delta: 1 })).toMatchObject({
        ok: true,
      });
      expect(await p.lead.request('phase', { phase: 'prioritise' })).toEqual({ ok: true });
      await sessionsAgree(p, 'the votes and phase of both processes everywhere while Redis is down');

      await cluster.redis.start();
      // Once the processes are back on Redis, it carries what only it carries: awareness, both ways…
      await heard(p.onA.sync, p.onB.sync, 'after the restart');
      await heard(p.onB.sync, p.onA.sync, 'after the restart');
      // …and reactions.
      expect(await p.onA.session.request('reaction', { emoji: '🎉' })).toEqual({ ok: true });
      await waitFor(
        () => p.onB.session.reactions.some((r) => r.emoji === '🎉'),
        10_000,
        'a reaction from A on B after the restart',
      );
      // Edits and decisions keep flowing both ways, and everyone agrees.
      const after = [
        ...cards(p, p.onA.sync, 3, 'from A, after'),
        ...cards(p, p.onB.sync, 3, 'from B, after'),
      ];
      await waitFor(
        () =>
          cardIds(p.onA.sync).join() === cardIds(p.onB.sync).join() &&
          after.every((id) => cardIds(p.onA.sync).includes(id)),
        10_000,
        'the edits made after the restart on both processes',
      );
      expect(await p.onB.session.request('vote', { goalId: p.goals[0], delta: 1 })).toMatchObject({
        ok: true,
      });
      expect(await p.leadOnB.request('phase', { phase: 'agree' })).toEqual({ ok: true });
      await sessionsAgree(p, 'the votes and phase of both processes everywhere after the restart');
      expect(votesText(p.lead.latest().tallies)).toBe(
        votesText({ [p.goals[0] as string]: 2, [p.goals[1] as string]: 1 }),
      );
    },
  );

  it(
    '[sync#the-sync-endpoint][session#session-plane][running#several-processes] messages Redis holds back and then drops (CLIENT PAUSE, then the publishers cut off) leave no process diverged: B catches up from the store within seconds',
    { timeout: 90_000 },
    async () => {
      const p = await pair();
      const PAUSE_MS = 30_000;
      // Redis stops serving publishers: what A publishes now waits inside Redis, undelivered.
      await cluster.redis.cli('CLIENT', 'PAUSE', String(PAUSE_MS), 'WRITE');
      const pausedAt = Date.now();
      const fromA = cards(p, p.onA.sync, 10, 'from A, Redis paused');
      expect(await p.onA.session.request('vote', { goalId: p.goals[0], delta: 1 })).toMatchObject({
        ok: true,
      });
      expect(await p.lead.request('phase', { phase: 'prioritise' })).toEqual({ ok: true });
      // B has them anyway, from the store, while Redis still holds the messages back.
      await waitFor(
        () => fromA.every((id) => p.onB.sync.doc.getMap('cards').has(id)),
        15_000,
        'the cards written on A on B, Redis paused',
      );
      await sessionsAgree(p, 'the vote and phase acknowledged by A on B, Redis paused');
      expect(Date.now() - pausedAt, 'still within the pause').toBeLessThan(PAUSE_MS);

      // The held-back messages are dropped for good: their connections are cut before delivery.
      expect(
        await cluster.redis.cli('CLIENT', 'LIST', 'TYPE', 'normal'),
        'a PUBLISH held back by Redis',
      ).toMatch(/flags=b .*cmd=publish/);
      await cluster.redis.cli('CLIENT', 'KILL', 'TYPE', 'normal');
      await cluster.redis.cli('CLIENT', 'UNPAUSE');
      const more = cards(p, p.onA.sync, 5, 'from A, after the drop');
      expect(await p.onA.session.request('vote', { goalId: p.goals[1], delta: 1 })).toMatchObject({
        ok: true,
      });
      await waitFor(
        () =>
          cardIds(p.onB.sync).join() === cardIds(p.onA.sync).join() &&
          more.every((id) => cardIds(p.onB.sync).includes(id)),
        15_000,
        'both processes on the same document',
      );
      await sessionsAgree(p, 'both processes on the same session');
      const fresh = await sync.syncedProvider(p.b, p.boardId);
      expect(cardIds(fresh)).toEqual(cardIds(p.onA.sync));
      expect(fresh.doc.getMap('cards').toJSON()).toEqual(p.onA.sync.doc.getMap('cards').toJSON());
    },
  );
});
