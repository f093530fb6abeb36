/**
 * The sync plane under the attacks that once broke it, each written as the attack it now stops
 * (docs/security.md): anyone holding a board's link, with a raw WebSocket and hand-written Yjs
 * updates. Where a crash or a dead board was the outcome, the server runs in a child process and
 * is restarted, so that what was stored is what is checked.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import * as encoding from 'lib0/encoding';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import * as Y from 'yjs';
import { addCard, addQuestion, readCards, readQuestions, ROOT } from '../../shared/board';
import { CLOSE } from '../../shared/sync';
import { splitUpdate } from '../../shared/updates';
import { encodeAwareness, encodeSyncStep1, encodeUpdate } from '../../server/sync/protocol';
import { openSqliteStore } from '../../server/storage/sqlite';
import { firstQuestion, sleep, waitFor } from '../helpers/expect';
import { useClients, useServerPerTest } from '../helpers/fixtures';
import { rawHttp } from '../helpers/hostile';
import {
  deepMapChain,
  deleteRange,
  hostileClient,
  manyEmptyCards,
  orphanUpdate,
} from '../helpers/hostile-updates';
import { startServerProcess, stopServerProcesses, type ServerProcess } from '../helpers/server-process';
import { guardConnections, tcpCeiling } from '../../server/lib/client-address';
import { createBoard, joinBoard, type TestServer } from '../helpers/server';
import { presenceName, type ProviderClient, type SyncClients } from '../helpers/sync-clients';

const AUTHOR = 'author-0001';

const cardTexts = (client: ProviderClient): string[] => readCards(client.doc).map((card) => card.text);

/** Sends `frames` on a fresh raw connection and resolves with its close code. */
async function sendRaw(
  sync: SyncClients,
  server: { wsUrl: string },
  boardId: string,
  frames: Uint8Array[],
  headers: Record<string, string> = {},
): Promise<number> {
  const raw = sync.raw(server, `/sync/${boardId}`, headers);
  await raw.opened;
  for (const frame of frames) raw.ws.send(frame);
  return (await raw.closed).code;
}

async function storedDoc(dataDir: string, boardId: string): Promise<Y.Doc> {
  const store = openSqliteStore({ dataDir });
  try {
    const stored = await store.loadDoc(boardId);
    const doc = new Y.Doc();
    for (const update of [stored.snapshot, ...stored.updates]) if (update) Y.applyUpdate(doc, update);
    return doc;
  } finally {
    await store.close();
  }
}

describe('attacks on the sync plane, in a child process', () => {
  const { sessions, sync } = useClients({
    afterClients: async () => {
      await stopServerProcesses();
      server = undefined;
    },
  });
  let server: ServerProcess | undefined;

  it('a 3,000-deep Y.Map chain and the delete of its top no longer kill a board: refused, and the board lives on through a restart', async () => {
    server = await startServerProcess();
    const board = await createBoard(server);
    const lead = await joinBoard(server, board.id, 'Lead', board.facilitatorKey);
    const a = await sync.syncedProvider(server, board.id);
    const b = await sync.syncedProvider(server, board.id);
    const chainClient = hostileClient(31);

    expect(await sendRaw(sync, server, board.id, [encodeUpdate(deepMapChain(3_000, chainClient))])).toBe(
      CLOSE.refused,
    );
    expect(await sendRaw(sync, server, board.id, [encodeUpdate(deleteRange(chainClient, 0, 1))])).toBe(
      CLOSE.resync,
    );

    // The document still emits, stores and relays edits.
    addCard(a.doc, { questionId: firstQuestion(a), text: 'after the attack', authorId: AUTHOR });
    await waitFor(() => cardTexts(b).includes('after the attack'), 5_000, 'the edit at B');

    // A clean stop snapshots the board; it loads again on every plane.
    await sync.closeAll();
    await server.kill('SIGTERM');
    await server.restart();
    expect((await rawHttp(server, 'GET', `/api/boards/${board.id}`)).status).toBe(200);
    expect((await rawHttp(server, 'GET', `/api/boards/${board.id}/export?status=all`)).status).toBe(200);
    const late = await sync.syncedProvider(server, board.id);
    expect(cardTexts(late)).toContain('after the attack');
    await sessions.connect(server, { boardId: board.id, token: lead.token });
  });

  it('a board stored by an older server with a deep chain, its delete and a planted future delete loads again, honest content whole', async () => {
    server = await startServerProcess();
    const board = await createBoard(server);
    const writer = await sync.syncedProvider(server, board.id);
    addCard(writer.doc, { questionId: firstQuestion(writer), text: 'kept', authorId: AUTHOR });
    await waitFor(async () =>
      cardTexts(await sync.syncedProvider(server as ServerProcess, board.id)).includes('kept'),
    );
    const victim = writer.doc.clientID;
    const future = Y.getState(writer.doc.store, victim) + 1;
    await sync.closeAll();
    await server.kill('SIGTERM');

    // What the unguarded server stored: the attack as ordinary appended updates.
    const store = openSqliteStore({ dataDir: server.dataDir });
    const chainClient = hostileClient(32);
    await store.appendUpdates(board.id, [
      deepMapChain(3_000, chainClient),
      deleteRange(chainClient, 0, 1),
      deleteRange(victim, future, 1_000),
    ]);
    await store.close();

    await server.restart();
    expect((await rawHttp(server, 'GET', `/api/boards/${board.id}/export`)).status).toBe(200);
    await server.waitForOutput(/left out \d+ stored (items|updates) that break the board's rules/);
    const reader = await sync.syncedProvider(server, board.id);
    expect(cardTexts(reader)).toEqual(['kept']);
    // The planted delete was dropped at load: the same client's new content survives a restart.
    const again = await sync.syncedProvider(server, board.id, { doc: writer.doc });
    addCard(again.doc, {
      questionId: firstQuestion(again),
      text: 'written after the plant',
      authorId: AUTHOR,
    });
    await waitFor(() => cardTexts(reader).includes('written after the plant'), 5_000, 'the new card');
    await sync.closeAll();
    await server.kill('SIGTERM');
    expect(
      readCards(await storedDoc(server.dataDir, board.id))
        .map((card) => card.text)
        .sort(),
    ).toEqual(['kept', 'written after the plant']);
  });

  it('a participant cannot plant a delete of the facilitator’s future content before a lock', async () => {
    server = await startServerProcess();
    const board = await createBoard(server);
    const lead = await joinBoard(server, board.id, 'Lead', board.facilitatorKey);
    const facilitator = await sync.syncedProvider(server, board.id, { token: lead.token });
    const reader = await sync.syncedProvider(server, board.id);
    const clientId = facilitator.doc.clientID;
    const next = Y.getState(facilitator.doc.store, clientId);

    expect(await sendRaw(sync, server, board.id, [encodeUpdate(deleteRange(clientId, next, 10_000))])).toBe(
      CLOSE.resync,
    );
    const session = await sessions.connect(server, { boardId: board.id, token: lead.token });
    expect(await session.request('lock', { locked: true })).toEqual({ ok: true });
    addQuestion(facilitator.doc, { text: 'Asked during the lock', section: 'discover' });
    await waitFor(
      () => readQuestions(reader.doc).some((q) => q.text === 'Asked during the lock'),
      5_000,
      'the question at the reader',
    );
    await sync.closeAll();
    await sessions.closeAll();
    await server.kill('SIGTERM');
    await server.restart();
    const late = await sync.syncedProvider(server, board.id);
    expect(readQuestions(late.doc).map((q) => q.text)).toContain('Asked during the lock');
  });

  it('updates whose dependencies never arrive wait outside the document: never sent to joiners, never stored, bounded per sender', async () => {
    server = await startServerProcess();
    const board = await createBoard(server);
    const honest = await sync.syncedProvider(server, board.id);
    // 1.6 MiB of content that can never integrate, from several connections.
    const filler = 'w'.repeat(8_000);
    const closes = await Promise.all(
      Array.from({ length: 4 }, (_, lane) =>
        sendRaw(
          sync,
          server as ServerProcess,
          board.id,
          Array.from({ length: 65 }, (_, i) =>
            encodeUpdate(
              orphanUpdate(
                Y.createID(hostileClient(900 + lane), 10 + i),
                hostileClient(40 + lane * 100 + i),
                filler,
              ),
            ),
          ),
        ),
      ),
    );
    // Sixty-four may wait per sender; the sixty-fifth makes it resync.
    expect(new Set(closes)).toEqual(new Set([CLOSE.resync]));

    // A joiner gets the board without any of it, in a small answer.
    const joiner = sync.raw(server, `/sync/${board.id}`);
    await joiner.opened;
    joiner.ws.send(encodeSyncStep1(new Y.Doc()));
    await waitFor(() => joiner.frames.some((frame) => frame[0] === 0 && frame[1] === 1), 5_000, 'the answer');
    const answer = joiner.frames.find((frame) => frame[0] === 0 && frame[1] === 1) as Uint8Array;
    expect(answer.length).toBeLessThan(64 * 1024);

    // Honest clients reconnect and sync as before (their answers carry nothing of it).
    honest.provider.disconnect();
    honest.provider.connect();
    await waitFor(() => honest.provider.synced, 5_000, 'the reconnect');
    addCard(honest.doc, { questionId: firstQuestion(honest), text: 'still syncing', authorId: AUTHOR });
    const other = await sync.syncedProvider(server, board.id);
    await waitFor(() => cardTexts(other).includes('still syncing'), 5_000, 'the honest edit');
    await sync.closeAll();
    await server.kill('SIGTERM');
    const stored = await storedDoc(server.dataDir, board.id);
    expect(stored.store.pendingStructs).toBeNull();
    expect(JSON.stringify(stored.toJSON())).not.toContain('wwww');
  });

  it('an honest client’s 2,500-card offline backlog gets through, from a stock provider (one large frame) or in parts', async () => {
    server = await startServerProcess();
    const board = await createBoard(server);
    const reader = await sync.syncedProvider(server, board.id);
    const plane = await sync.syncedProvider(server, board.id);
    const questionId = firstQuestion(plane);
    plane.provider.disconnect();
    for (let i = 0; i < 2_500; i++) {
      addCard(plane.doc, {
        questionId,
        text: `Typed on a plane, card ${i}: ${'z'.repeat(450)}`,
        authorId: AUTHOR,
      });
    }
    expect(Y.encodeStateAsUpdate(plane.doc, Y.encodeStateVector(reader.doc)).length).toBeGreaterThan(
      1024 * 1024,
    );
    plane.provider.connect();
    await waitFor(() => readCards(reader.doc).length === 2_500, 20_000, 'the backlog at the reader');

    // The same size of backlog split as Atelier's client sends it.
    const offline = new Y.Doc();
    Y.applyUpdate(offline, Y.encodeStateAsUpdate(reader.doc));
    for (let i = 0; i < 2_500; i++) {
      addCard(offline, { questionId, text: `Second plane, card ${i}: ${'q'.repeat(450)}`, authorId: AUTHOR });
    }
    const parts = splitUpdate(Y.encodeStateAsUpdate(offline, Y.encodeStateVector(reader.doc)), 960 * 1024);
    expect(parts.length).toBeGreaterThan(1);
    const raw = sync.raw(server, `/sync/${board.id}`);
    await raw.opened;
    for (const part of parts) raw.ws.send(encodeUpdate(part));
    await waitFor(() => readCards(reader.doc).length === 5_000, 20_000, 'the split backlog at the reader');
  });

  it('one address cannot fill the server with boards: loads past its share are refused with 1013, the server stays up, another address still opens a board', async () => {
    server = await startServerProcess({
      env: { BOARD_MEMORY_MB: '64', MAX_DOC_ITEMS: '20000', TRUST_PROXY: '1', UNLOAD_AFTER_MS: '100' },
    });
    const boards = await Promise.all(Array.from({ length: 6 }, () => createBoard(server as ServerProcess)));
    for (const [index, board] of boards.entries()) {
      const headers = { 'x-forwarded-for': `10.0.0.${index + 1}` };
      const raw = sync.raw(server, `/sync/${board.id}`, headers);
      await raw.opened;
      raw.ws.send(encodeUpdate(manyEmptyCards(19_000, hostileClient(100_000 * (index + 1)))));
      // The server has it once it answers a query after it (frames are handled in order).
      raw.ws.send(encodeSyncStep1(new Y.Doc()));
      await waitFor(
        () => raw.frames.some((f) => f[0] === 0 && f[1] === 1 && f.length > 100_000),
        10_000,
        'the stored cards',
      );
      raw.ws.close();
    }
    await sync.closeAll();
    await sleep(1_000); // time for every board to unload (UNLOAD_AFTER_MS is 100 here); the child process exposes no signal of it

    const attacker = { 'x-forwarded-for': '203.0.113.7' };
    const opened = await Promise.all(
      boards.map(async (board) => {
        const raw = sync.raw(server as ServerProcess, `/sync/${board.id}`, attacker);
        await raw.opened;
        const outcome = await Promise.race([
          raw.closed.then(({ code }) => code),
          waitFor(() => raw.frames.length > 0, 10_000, 'a first frame').then(() => 'open' as const),
        ]);
        return outcome;
      }),
    );
    expect(opened.filter((outcome) => outcome === 'open').length).toBeGreaterThanOrEqual(1);
    expect(opened.filter((outcome) => outcome === CLOSE.tryAgainLater).length).toBeGreaterThanOrEqual(3);
    expect((await rawHttp(server, 'GET', '/api/health')).status).toBe(200);
    expect(server.alive).toBe(true);

    // Someone else opens a board the attacker did not get.
    const refused = boards[opened.findIndex((outcome) => outcome === CLOSE.tryAgainLater)];
    const honest = sync.raw(server, `/sync/${refused?.id ?? ''}`, { 'x-forwarded-for': '198.51.100.20' });
    await honest.opened;
    await waitFor(() => honest.frames.length > 0, 10_000, 'the board for another address');
    expect(server.output).not.toMatch(/heap out of memory|FATAL/);
  });
});

/**
 * A sync connection that sends a sync step 1 and then never reads: a plain TCP socket doing the
 * WebSocket handshake by hand, paused for good once upgraded (a WebSocket library would resume it).
 */
async function neverReading(server: { url: string }, boardId: string): Promise<Socket> {
  const { port } = new URL(server.url);
  const socket = connect(Number(port), '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.once('connect', () => resolve());
  });
  socket.write(
    `GET /sync/${boardId} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
  );
  await new Promise<void>((resolve) => socket.once('data', () => resolve()));
  socket.pause();
  const payload = encodeSyncStep1(new Y.Doc());
  const mask = randomBytes(4);
  const header = Buffer.from([0x82, 0x80 | payload.length]);
  socket.write(
    Buffer.concat([header, mask, Buffer.from(payload.map((byte, i) => byte ^ (mask[i % 4] as number)))]),
  );
  return socket;
}

describe('attacks on the sync plane, in process', () => {
  const servers = useServerPerTest();
  const { sync } = servers;
  const stalled: Socket[] = [];
  let server: TestServer | undefined;

  // Runs before the fixture's cleanup (after hooks run in reverse order).
  afterEach(() => {
    for (const socket of stalled.splice(0)) socket.destroy();
    server = undefined;
  });

  it(
    'connections that never read are dropped once they fall behind (4408 queued, the socket closed soon after); readers keep up',
    { timeout: 90_000 },
    async () => {
      server = await servers.start({ env: { MAX_DOC_BYTES: String(128 * 1024 * 1024) } });
      const board = await createBoard(server);
      const writer = await sync.syncedProvider(server, board.id);
      const reader = await sync.syncedProvider(server, board.id);
      const questionId = firstQuestion(writer);
      // Long cards (9,000 characters, as a document may hold them): about 1 MB a hundred.
      const addCards = (count: number, tag: string): void =>
        writer.doc.transact(() => {
          for (let i = 0; i < count; i++) {
            writer.doc.getMap(ROOT.cards).set(
              `${tag}-${i}`.padEnd(8, '-'),
              new Y.Map<unknown>([
                ['questionId', questionId],
                ['text', `${tag} ${i} ${'p'.repeat(9_000)}`],
              ]),
            );
          }
        });
      addCards(400, 'start');
      await waitFor(() => readCards(reader.doc).length === 400, 10_000, 'the big board at the reader');

      // Thirty connections ask for the whole board and never read a byte.
      for (let i = 0; i < 30; i++) stalled.push(await neverReading(server, board.id));
      const peers = (): Promise<number> =>
        server?.running.docs.read(board.id, (room) => room.peerCount) ?? Promise.resolve(0);
      await waitFor(async () => (await peers()) === 32, 5_000, 'every connection in the room');

      // Edits keep coming (about 1 MB a round); the stalled ones fall behind and are closed.
      let expected = 400;
      for (let round = 0; round < 60 && (await peers()) > 2; round++) {
        addCards(100, `r${round}`);
        expected += 100;
        await waitFor(() => readCards(reader.doc).length === expected, 10_000, `round ${round}`);
      }
      expect(await peers()).toBe(2);
      expect(reader.provider.wsconnected && writer.provider.wsconnected).toBe(true);
      expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
    },
  );

  it('idle TCP sockets count from their accept: past the ceiling the next one is closed at once, and the slots come back when they go', async () => {
    server = await servers.start({ env: { MAX_CONNECTIONS_PER_IP: '4' } });
    const { port } = new URL(server.url);
    const ceiling = tcpCeiling(4);
    const open = async (): Promise<{ socket: Socket; closed: Promise<void> }> => {
      const socket = connect(Number(port), '127.0.0.1');
      const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
      socket.on('error', () => undefined);
      await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
      return { socket, closed };
    };
    const idle = [];
    for (let i = 0; i < ceiling; i++) idle.push(await open());
    stalled.push(...idle.map(({ socket }) => socket));
    const over = await open();
    await over.closed; // closed by the server without a byte sent
    await expect(fetch(`${server.url}/api/health`)).rejects.toThrow();
    for (const { socket } of idle) socket.destroy();
    await waitFor(
      async () => (await fetch(`${server?.url}/api/health`).catch(() => null))?.status === 200,
      5_000,
      'a free slot',
    );
  });

  it('a TCP connection that sends no request is dropped once idle; one that upgraded stays', async () => {
    const plain = createServer((_request, response) => response.end('ok'));
    const wss = new WebSocketServer({ noServer: true });
    plain.on('upgrade', (request, socket, head) => wss.handleUpgrade(request, socket, head, () => undefined));
    guardConnections(plain, 8, 300);
    await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
    const { port } = plain.address() as AddressInfo;
    try {
      const idle = connect(port, '127.0.0.1');
      stalled.push(idle);
      const idleClosed = new Promise<void>((resolve) => idle.once('close', () => resolve()));
      const upgraded = new WebSocket(`ws://127.0.0.1:${port}/`);
      await new Promise<void>((resolve) => upgraded.once('open', () => resolve()));
      await idleClosed;
      // Time is the point: twice the 300 ms idle limit that closed the other connection.
      await sleep(600);
      expect(upgraded.readyState).toBe(WebSocket.OPEN);
      upgraded.terminate();
    } finally {
      wss.close();
      plain.closeAllConnections();
      await new Promise((resolve) => plain.close(resolve));
    }
  });

  it('presence belongs to whoever introduced it: another connection cannot overwrite or blank it, and a 40,000-state frame changes nothing', async () => {
    server = await servers.start();
    const board = await createBoard(server);
    const alice = await sync.syncedProvider(server, board.id);
    const watcher = await sync.syncedProvider(server, board.id);
    alice.provider.awareness.setLocalStateField('user', { name: 'Alice' });
    const aliceId = alice.doc.clientID;
    await waitFor(
      () => presenceName(watcher.provider.awareness.getStates().get(aliceId)) === 'Alice',
      5_000,
      'Alice',
    );

    /** A hand-written awareness frame: [count, (clientId, clock, state JSON)*]. */
    const forged = (entries: Array<[number, number, string]>): Uint8Array => {
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, entries.length);
      for (const [clientId, clock, state] of entries) {
        encoding.writeVarUint(encoder, clientId);
        encoding.writeVarUint(encoder, clock);
        encoding.writeVarString(encoder, state);
      }
      return encodeAwareness(encoding.toUint8Array(encoder));
    };
    const mallory = sync.raw(server, `/sync/${board.id}`);
    await mallory.opened;
    mallory.ws.send(forged([[aliceId, 1_000_000, '{"user":{"name":"Mallory"}}']]));
    mallory.ws.send(forged([[aliceId, 1_000_001, 'null']]));
    mallory.ws.send(forged(Array.from({ length: 40_000 }, (_, i) => [hostileClient(i), 1, '{"bot":1}'])));
    // A mark that the server has handled the frames above (they are handled in order).
    mallory.ws.send(forged([[hostileClient(77), 1, '{"user":{"name":"Mallory herself"}}']]));
    await waitFor(
      () =>
        [...watcher.provider.awareness.getStates().values()].some(
          (state) => presenceName(state) === 'Mallory herself',
        ),
      5_000,
      'Mallory’s own presence',
    );
    expect(presenceName(watcher.provider.awareness.getStates().get(aliceId))).toBe('Alice');
    const states = [...watcher.provider.awareness.getStates().values()];
    expect(states.filter((state) => state.bot === 1)).toEqual([]);
    expect(mallory.ws.readyState).toBe(WebSocket.OPEN);
  });
});
