/**
 * The sync endpoint (docs/sync.md#connecting) with stock y-websocket providers and raw sockets against a real
 * server: convergence, access, durability, restarts, unloading, limits and garbage.
 */
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { addCard, readCards, readQuestions, updateCard } from '../../shared/board';
import { CLOSE, MAX_SYNC_FRAME_BYTES } from '../../shared/sync';
import { seededRandom } from '../helpers/random';
import { firstQuestion, sleep, syncRoundTrip, waitFor } from '../helpers/expect';
import { useServer, useServerPerTest } from '../helpers/fixtures';
import { createBoard, joinBoard, type TestServer } from '../helpers/server';
import { updateFrame, type ProviderClient } from '../helpers/sync-clients';
import { storedDoc } from '../helpers/facilitation';

const AUTHOR = 'author-0001';

function cardTexts(client: ProviderClient): string[] {
  return readCards(client.doc)
    .map((card) => card.text)
    .sort();
}

describe('sync endpoint', () => {
  const server = useServer();
  const clients = server.sync;

  describe('convergence', () => {
    it('[sync#document-layout] delivers the template questions to a stock provider on its first sync', async () => {
      const board = await createBoard(server, { title: 'Kickoff', locale: 'fr' });
      const client = await clients.syncedProvider(server, board.id);
      const discover = readQuestions(client.doc, 'discover');
      expect(discover).toHaveLength(6);
      expect(discover[0]?.text).toBe('Quel est notre public cible ?');
      expect(readQuestions(client.doc, 'day-to-day')).toHaveLength(3);
      expect(client.doc.getMap('meta').get('title')).toBe('Kickoff');
    });

    it('[product#working-together][sync#connecting] three providers converge on edits made on each of them', async () => {
      const board = await createBoard(server);
      const [a, b, c] = await Promise.all([
        clients.syncedProvider(server, board.id),
        clients.syncedProvider(server, board.id),
        clients.syncedProvider(server, board.id),
      ]);
      const questionId = firstQuestion(a);
      addCard(a.doc, { questionId, text: 'from a', authorId: AUTHOR });
      addCard(b.doc, { questionId, text: 'from b', authorId: AUTHOR });
      const fromC = addCard(c.doc, { questionId, text: 'from c', authorId: AUTHOR });
      for (const client of [a, b, c] as ProviderClient[]) {
        await waitFor(() => cardTexts(client).length === 3, 5_000, 'three cards everywhere');
        expect(cardTexts(client)).toEqual(['from a', 'from b', 'from c']);
      }
      updateCard(a.doc, fromC, 'from c, edited by a');
      await waitFor(() => cardTexts(c).includes('from c, edited by a'), 5_000, 'the edit');
      await waitFor(() => cardTexts(b).includes('from c, edited by a'), 5_000, 'the edit');
    });

    it('[product#working-together][sync#offline] merges edits made while disconnected once the provider reconnects', async () => {
      const board = await createBoard(server);
      const online = await clients.syncedProvider(server, board.id);
      const offline = await clients.syncedProvider(server, board.id);
      offline.provider.disconnect();
      const questionId = firstQuestion(offline);
      addCard(offline.doc, { questionId, text: 'written offline', authorId: AUTHOR });
      addCard(online.doc, { questionId, text: 'written online', authorId: AUTHOR });
      // The offline provider has no socket, so it sent nothing; the online one's query, answered on
      // its own ordered socket, shows what the server holds and relays now.
      expect(offline.provider.ws).toBeNull();
      await syncRoundTrip(online);
      expect(cardTexts(online)).toEqual(['written online']);
      offline.provider.connect();
      await waitFor(
        () => cardTexts(online).length === 2 && cardTexts(offline).length === 2,
        5_000,
        'the merge',
      );
      expect(cardTexts(online)).toEqual(['written offline', 'written online']);
    });

    it('[sync#presence] relays awareness from one provider to the others', async () => {
      const board = await createBoard(server);
      const a = await clients.syncedProvider(server, board.id);
      const b = await clients.syncedProvider(server, board.id);
      a.provider.awareness.setLocalStateField('user', { name: 'Camille' });
      await waitFor(
        () =>
          (b.provider.awareness.getStates().get(a.doc.clientID) as { user?: { name?: string } } | undefined)
            ?.user?.name === 'Camille',
        5_000,
        'awareness to reach b',
      );
      // A provider that connects later is told who is already there.
      const c = await clients.syncedProvider(server, board.id);
      await waitFor(
        () => c.provider.awareness.getStates().has(a.doc.clientID),
        5_000,
        'awareness to reach c',
      );
    });

    it('[sync#presence] drops the awareness of a client whose connection dies, for everyone still there', async () => {
      const board = await createBoard(server);
      const a = await clients.syncedProvider(server, board.id);
      const b = await clients.syncedProvider(server, board.id);
      a.provider.awareness.setLocalStateField('user', { name: 'Camille' });
      await waitFor(
        () => b.provider.awareness.getStates().has(a.doc.clientID),
        5_000,
        'awareness to reach b',
      );
      // The laptop lid closes: no goodbye message, the socket just dies (and a stays away).
      a.provider.shouldConnect = false;
      (a.provider.ws as unknown as WebSocket).terminate();
      await waitFor(() => !b.provider.awareness.getStates().has(a.doc.clientID), 5_000, 'a to vanish at b');
    });

    it('[product#architecture] keeps a sync socket open past 1.5 s (engine.io leaves upgrades it does not own alone)', async () => {
      const board = await createBoard(server);
      const raw = clients.raw(server, `/sync/${board.id}`);
      await raw.opened;
      const a = await clients.syncedProvider(server, board.id);
      const b = await clients.syncedProvider(server, board.id);
      let disconnects = 0;
      for (const { provider } of [a, b]) {
        provider.on('status', ({ status }: { status: string }) => {
          if (status === 'disconnected') disconnects += 1;
        });
      }
      // Time itself is the point: engine.io destroys upgrades it does not own after 1 s.
      await sleep(1_600);
      expect(raw.ws.readyState).toBe(WebSocket.OPEN);
      expect(a.provider.wsconnected && b.provider.wsconnected).toBe(true);
      const framesBefore = raw.frames.length;
      addCard(a.doc, { questionId: firstQuestion(a), text: 'after 1.6 s', authorId: AUTHOR });
      await waitFor(() => cardTexts(b).includes('after 1.6 s'), 5_000, 'the late edit');
      expect(disconnects).toBe(0);
      // The raw socket, open since before the providers, receives the edit's broadcast too.
      await waitFor(() => raw.frames.length > framesBefore, 5_000, 'the broadcast at the raw socket');
      expect(raw.ws.readyState).toBe(WebSocket.OPEN);
    });
  });

  describe('access', () => {
    it('[sync#close-codes] refuses an unknown board id with close code 4404, and does not create it', async () => {
      const unknown = 'NoSuchBoardAAAAAAAAAAA';
      const raw = clients.raw(server, `/sync/${unknown}`);
      expect((await raw.closed).code).toBe(CLOSE.unknownBoard);
      expect(await server.running.store.getBoard(unknown)).toBeNull();
      expect(server.running.docs.isLoaded(unknown)).toBe(false);
    });

    it('[sync#close-codes] refuses ids that are not board ids with 4404', async () => {
      for (const id of ['__proto__', 'short', 'x'.repeat(300), '..%2F..%2Fetc']) {
        const raw = clients.raw(server, `/sync/${id}`);
        expect((await raw.closed).code, id).toBe(CLOSE.unknownBoard);
      }
    });

    it('[sync#connecting] refuses WebSocket upgrades on paths other than /sync/ and /socket.io/', async () => {
      const ws = new WebSocket(`${server.wsUrl}/elsewhere`);
      const status = await new Promise<number>((resolve) => {
        ws.on('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
        ws.on('error', () => resolve(-1));
      });
      ws.terminate();
      expect(status).toBe(404);
    });

    it('[sync#close-codes] a stock provider stops on 4404 and reports why', async () => {
      const client = clients.provider(server, 'NoSuchBoardBBBBBBBBBBB');
      const closed = new Promise<{ code: number }>((resolve) => client.provider.once('closed', resolve));
      expect((await closed).code).toBe(CLOSE.unknownBoard);
      expect(client.provider.shouldConnect).toBe(false);
    });

    it('[sync#close-codes] refuses a bad token with close code 4401', async () => {
      const board = await createBoard(server);
      for (const token of ['nonsense', 'a.b', '', 'x'.repeat(2_000)]) {
        const raw = clients.raw(server, `/sync/${board.id}?token=${encodeURIComponent(token)}`);
        expect((await raw.closed).code, token.slice(0, 20)).toBe(CLOSE.badToken);
      }
    });

    it('[sync#close-codes] refuses a genuine token of another board with 4401', async () => {
      const board = await createBoard(server);
      const other = await createBoard(server);
      const joined = await joinBoard(server, other.id, 'Camille');
      const raw = clients.raw(server, `/sync/${board.id}?token=${encodeURIComponent(joined.token)}`);
      expect((await raw.closed).code).toBe(CLOSE.badToken);
    });

    it('[sync#connecting] refuses a token whose signature was tampered with', async () => {
      const board = await createBoard(server);
      const { token } = await joinBoard(server, board.id, 'Camille');
      const [payload, signature] = token.split('.') as [string, string];
      const flipped = `${payload}.${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`;
      const raw = clients.raw(server, `/sync/${board.id}?token=${encodeURIComponent(flipped)}`);
      expect((await raw.closed).code).toBe(CLOSE.badToken);
    });

    it('[sync#connecting] accepts a valid join token and syncs with it, participant or facilitator', async () => {
      const board = await createBoard(server);
      const participant = await joinBoard(server, board.id, 'Camille');
      const facilitator = await joinBoard(server, board.id, 'Lead', board.facilitatorKey);
      const a = await clients.syncedProvider(server, board.id, { token: participant.token });
      const b = await clients.syncedProvider(server, board.id, { token: facilitator.token });
      addCard(a.doc, {
        questionId: firstQuestion(a),
        text: 'with a token',
        authorId: participant.participantId,
      });
      await waitFor(() => cardTexts(b).includes('with a token'), 5_000, 'the edit');
    });
  });

  describe('durability', () => {
    it('[errors#durability] stores an edit before broadcasting it: once a peer has it, the store has it', async () => {
      const board = await createBoard(server);
      const a = await clients.syncedProvider(server, board.id);
      const b = await clients.syncedProvider(server, board.id);
      const questionId = firstQuestion(a);
      for (let i = 0; i < 5; i++) {
        const text = `durable ${i}`;
        const id = addCard(a.doc, { questionId, text, authorId: AUTHOR });
        await waitFor(() => cardTexts(b).includes(text), 5_000, `card ${i} at b`);
        // No waiting here: the broadcast b received was sent after the write (a debounced or
        // deferred save, as some Yjs servers do, fails this).
        const stored = await storedDoc(server, board.id);
        expect(readCards(stored).find((card) => card.id === id)?.text).toBe(text);
      }
    });

    it('[sync#connecting] unloads a board all clients left, and loads it again with its content on the next connection', async () => {
      const board = await createBoard(server);
      const a = await clients.syncedProvider(server, board.id);
      addCard(a.doc, { questionId: firstQuestion(a), text: 'kept while unloaded', authorId: AUTHOR });
      await waitFor(
        async () => readCards(await storedDoc(server, board.id)).length === 1,
        5_000,
        'the card stored',
      );
      expect(server.running.docs.isLoaded(board.id)).toBe(true);
      await clients.closeAll();
      await waitFor(() => !server.running.docs.isLoaded(board.id), 5_000, 'the board to unload');

      const b = await clients.syncedProvider(server, board.id);
      expect(server.running.docs.isLoaded(board.id)).toBe(true);
      await waitFor(() => cardTexts(b).includes('kept while unloaded'), 5_000, 'the card after reload');
      expect(readQuestions(b.doc)).toHaveLength(9);
    });
  });

  describe('limits and garbage', () => {
    it('[errors#frames] closes a connection that sends a frame over 1 MiB with 1009; another client on the board keeps syncing', async () => {
      const board = await createBoard(server);
      const a = await clients.syncedProvider(server, board.id);
      const b = await clients.syncedProvider(server, board.id);
      const raw = clients.raw(server, `/sync/${board.id}`);
      await raw.opened;
      raw.ws.send(new Uint8Array(MAX_SYNC_FRAME_BYTES + 1));
      expect((await raw.closed).code).toBe(CLOSE.frameTooLarge);

      addCard(a.doc, { questionId: firstQuestion(a), text: 'still here', authorId: AUTHOR });
      await waitFor(() => cardTexts(b).includes('still here'), 5_000, 'the edit after the big frame');
      expect(a.provider.wsconnected && b.provider.wsconnected).toBe(true);
    });

    it('[errors#frames] accepts a frame just under 1 MiB (a large paste: a hundred long cards at once) and syncs it', async () => {
      const board = await createBoard(server);
      const a = await clients.syncedProvider(server, board.id);
      const b = await clients.syncedProvider(server, board.id);
      a.doc.transact(() => {
        for (let i = 0; i < 100; i++) {
          a.doc
            .getMap('cards')
            .set(`large-paste-${String(i).padStart(3, '0')}`, new Y.Map([['text', 'x'.repeat(9_000)]]));
        }
      });
      await waitFor(() => b.doc.getMap('cards').size === 100, 5_000, 'the large update');
      expect(a.provider.wsconnected).toBe(true);
    });

    it('[errors#frames] closes a connection that sends garbage with 1007; the board, other boards and the server keep working', async () => {
      const board = await createBoard(server);
      const other = await createBoard(server);
      const a = await clients.syncedProvider(server, board.id);
      const b = await clients.syncedProvider(server, board.id);
      const elsewhere = await clients.syncedProvider(server, other.id);
      const random = seededRandom(4_2_2023);

      const garbage: Uint8Array[] = [
        random.bytes(64),
        Uint8Array.of(200, ...random.bytes(31)),
        Uint8Array.of(0, 9, 1, 2),
        Uint8Array.of(0, 0, 100, 1),
        Uint8Array.of(1, 50, 1, 2, 3),
        updateFrame(random.bytes(80)),
        updateFrame(random.bytes(200)),
      ];
      for (const frame of garbage) {
        const raw = clients.raw(server, `/sync/${board.id}`);
        await raw.opened;
        raw.ws.send(frame);
        expect((await raw.closed).code).toBe(CLOSE.badMessage);
      }

      addCard(a.doc, { questionId: firstQuestion(a), text: 'after the garbage', authorId: AUTHOR });
      await waitFor(() => cardTexts(b).includes('after the garbage'), 5_000, 'the board to keep syncing');
      const late = await clients.syncedProvider(server, other.id);
      addCard(late.doc, { questionId: firstQuestion(late), text: 'other board', authorId: AUTHOR });
      await waitFor(
        () => cardTexts(elsewhere).includes('other board'),
        5_000,
        'the other board to keep syncing',
      );
      const health = await fetch(`${server.url}/api/health`);
      expect(await health.json()).toEqual({ ok: true });
      expect(readCards(await storedDoc(server, board.id)).map((card) => card.text)).toEqual([
        'after the garbage',
      ]);
    });
  });
});

describe('sync endpoint across restarts', () => {
  const servers = useServerPerTest();
  const clients = servers.sync;
  let server: TestServer;

  it('[errors#durability][running#starting] keeps all content across a restart, and providers reconnect by themselves and keep syncing', async () => {
    server = await servers.start();
    const board = await createBoard(server);
    const a = await clients.syncedProvider(server, board.id);
    const b = await clients.syncedProvider(server, board.id);
    const questionId = firstQuestion(a);
    addCard(a.doc, { questionId, text: 'before the restart', authorId: AUTHOR });
    await waitFor(() => cardTexts(b).includes('before the restart'), 5_000, 'the first card');

    await server.restart();

    await waitFor(() => a.provider.synced && b.provider.synced, 10_000, 'both providers to resync');
    addCard(b.doc, { questionId, text: 'after the restart', authorId: AUTHOR });
    await waitFor(() => cardTexts(a).includes('after the restart'), 10_000, 'the edit after the restart');
    const fresh = await clients.syncedProvider(server, board.id);
    await waitFor(() => cardTexts(fresh).length === 2, 5_000, 'a new client to see both cards');
    expect(cardTexts(fresh)).toEqual(['after the restart', 'before the restart']);
    expect(readQuestions(fresh.doc)).toHaveLength(9);
  });

  it('[sync#connecting] compacts the stored document after COMPACT_AFTER_UPDATES updates, and keeps everything across a restart', async () => {
    server = await servers.start({ env: { COMPACT_AFTER_UPDATES: '5' } });
    const board = await createBoard(server);
    const a = await clients.syncedProvider(server, board.id);
    const b = await clients.syncedProvider(server, board.id);
    const questionId = firstQuestion(a);
    for (let i = 0; i < 30; i++) {
      addCard(a.doc, { questionId, text: `card ${String(i).padStart(2, '0')}`, authorId: AUTHOR });
      await waitFor(() => cardTexts(b).length === i + 1, 5_000, `card ${i} at b`);
    }
    await waitFor(
      async () => (await server.running.store.loadDoc(board.id)).updates.length < 5,
      5_000,
      'the stored updates to be compacted',
    );
    const stored = await server.running.store.loadDoc(board.id);
    const fromSnapshot = new Y.Doc();
    Y.applyUpdate(fromSnapshot, stored.snapshot as Uint8Array);
    expect(readCards(fromSnapshot).length).toBeGreaterThanOrEqual(25);
    expect(readCards(await storedDoc(server, board.id))).toHaveLength(30);

    await clients.closeAll();
    await server.restart();
    const fresh = await clients.syncedProvider(server, board.id);
    await waitFor(() => cardTexts(fresh).length === 30, 5_000, 'all 30 cards after the restart');
    expect(cardTexts(fresh)[29]).toBe('card 29');
    expect(readQuestions(fresh.doc)).toHaveLength(9);
  });
});
