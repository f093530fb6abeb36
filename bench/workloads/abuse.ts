/**
 * Abuse (Atelier only): what the attacks of docs/security.md cost the server, measured.
 *
 * - Non-readers: a board of about `boardMiB` MiB; `joiners` connections each ask for the whole
 *   board; once with connections that read everything, once with raw TCP sockets that send their
 *   sync step 1 and never read a byte. Server RSS after a full collection, in both cases, beside
 *   the RSS with the board loaded and one reader. Joiners share one encoding of the board, so the
 *   non-readers should cost about what the readers cost.
 * - Amplification: boards built to cost the most heap per stored byte within the board's rules
 *   (unmergeable structs, each from its own client, up to MAX_DOC_ITEMS), loaded cold after a
 *   restart: heap per stored byte, and the time to the first sync answer.
 */
import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { ROOT } from '../../shared/board/layout';
import { encodeStructs } from '../../shared/updates';
import { createBoard, RunningServer, sleep, waitFor, type Target } from '../lib/targets';

export interface NonReaderResult {
  joiners: number;
  boardBytes: number;
  /** RSS with the board loaded and one reader. */
  baseRss: number;
  readersRss: number;
  nonReadersRss: number;
}

export interface AmplificationResult {
  shape: string;
  structs: number;
  storedBytes: number;
  /** Heap after a full collection with the board loaded, minus without it. */
  heapBytes: number;
  heapPerStoredByte: number;
  loadMs: number;
}

function syncFrame(step: number, payload: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 0);
  encoding.writeVarUint(encoder, step);
  encoding.writeVarUint8Array(encoder, payload);
  return encoding.toUint8Array(encoder);
}

const STEP1_EMPTY = syncFrame(0, new Uint8Array([0]));

/** Sends `updates` on one connection, then waits until a sync answer after them arrives. */
async function deliver(server: RunningServer, board: string, updates: Uint8Array[]): Promise<void> {
  const ws = new WebSocket(server.socketUrl(board));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  let closed: number | null = null;
  ws.once('close', (code: number) => (closed = code));
  let answered = false;
  ws.on('message', (data: Buffer) => {
    if (data[0] === 0 && data[1] === 1) answered = true;
  });
  for (const update of updates) ws.send(syncFrame(2, update));
  ws.send(STEP1_EMPTY); // answered once everything before it is handled
  await waitFor(() => answered || closed !== null, 120_000, 'the board to take the updates');
  ws.close();
  if (closed !== null && !answered) throw new Error(`the server closed the writer with ${String(closed)}`);
}

/** A connection that asks for the whole board and never reads (a raw socket, paused for good). */
async function neverReading(server: RunningServer, board: string): Promise<Socket> {
  const socket = connect(server.port, '127.0.0.1');
  socket.on('error', () => undefined);
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  socket.write(
    `GET /sync/${board} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
  );
  await new Promise<void>((resolve) => socket.once('data', () => resolve()));
  socket.pause();
  const mask = randomBytes(4);
  const payload = Buffer.from(STEP1_EMPTY.map((byte, i) => byte ^ (mask[i % 4] as number)));
  socket.write(Buffer.concat([Buffer.from([0x82, 0x80 | STEP1_EMPTY.length]), mask, payload]));
  return socket;
}

/** A reader that takes the whole board and discards it. */
async function reading(server: RunningServer, board: string): Promise<WebSocket> {
  const ws = new WebSocket(server.socketUrl(board));
  let answered = false;
  ws.on('message', (data: Buffer) => {
    if (data[0] === 0 && data[1] === 1) answered = true;
  });
  await new Promise<void>((resolve) => ws.once('open', () => resolve()));
  ws.send(STEP1_EMPTY);
  await waitFor(() => answered, 120_000, 'a reader to get the board');
  return ws;
}

/** Cards of 9,000 characters (within the field limit), in updates under the frame limit. */
function bigBoardUpdates(bytes: number): Uint8Array[] {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => updates.push(update));
  const cards = doc.getMap(ROOT.cards);
  const count = Math.ceil(bytes / 9_100);
  for (let start = 0; start < count; start += 100) {
    doc.transact(() => {
      for (let i = start; i < Math.min(count, start + 100); i++) {
        cards.set(
          `bench-card-${String(i).padStart(6, '0')}`,
          new Y.Map<unknown>([['text', `${i} ${'b'.repeat(9_000)}`]]),
        );
      }
    });
  }
  return updates;
}

export async function runNonReaders(
  target: Target,
  joiners: number,
  boardMiB: number,
): Promise<NonReaderResult> {
  const server = await RunningServer.start(target, {
    env: { UNLOAD_AFTER_MS: '600000', MAX_CONNECTIONS_PER_IP: '1000000' },
  });
  const sockets: Array<Socket | WebSocket> = [];
  try {
    const board = (await createBoard(server)).id;
    const updates = bigBoardUpdates(boardMiB * 1024 * 1024);
    await deliver(server, board, updates);
    const boardBytes = updates.reduce((sum, update) => sum + update.length, 0);
    const keeper = await reading(server, board); // keeps the board loaded throughout
    await sleep(1_000);
    const baseRss = (await server.memoryAfterGc()).rss;

    for (let i = 0; i < joiners; i++) sockets.push(await reading(server, board));
    await sleep(2_000);
    const readersRss = (await server.memoryAfterGc()).rss;
    for (const socket of sockets.splice(0)) (socket as WebSocket).terminate();
    await sleep(3_000);

    for (let i = 0; i < joiners; i++) sockets.push(await neverReading(server, board));
    await sleep(5_000); // every answer queued, whatever the kernel took
    const nonReadersRss = (await server.memoryAfterGc()).rss;
    keeper.terminate();
    return { joiners, boardBytes, baseRss, readersRss, nonReadersRss };
  } finally {
    for (const socket of sockets) {
      if (socket instanceof WebSocket) socket.terminate();
      else socket.destroy();
    }
    await server.stop();
  }
}

/** Boards shaped to cost the most heap per stored byte within the rules, `structs` structs each. */
const SHAPES: Record<string, (structs: number) => Uint8Array[]> = {
  'empty card maps, one client each': (count) =>
    inFrames(
      count,
      (i) =>
        new Y.Item(
          Y.createID(2_000_000 + i, 0),
          null,
          null,
          null,
          null,
          ROOT.cards as unknown as Y.ID,
          `c${i.toString(36)}`,
          new Y.ContentType(new Y.Map()),
        ),
    ),
  'one-key values, one client each': (count) =>
    inFrames(
      count,
      (i) =>
        new Y.Item(
          Y.createID(2_000_000 + i, 0),
          null,
          null,
          null,
          null,
          ROOT.cards as unknown as Y.ID,
          `v${i.toString(36)}`,
          new Y.ContentAny([true]),
        ),
    ),
};

/** Builds `count` structs in updates of at most 900 KB. */
function inFrames(count: number, make: (i: number) => Y.Item): Uint8Array[] {
  const updates: Uint8Array[] = [];
  let batch: Y.Item[] = [];
  let size = 0;
  for (let i = 0; i < count; i++) {
    const item = make(i);
    batch.push(item);
    size += 16;
    if (size > 900_000) {
      updates.push(encodeStructs(batch));
      batch = [];
      size = 0;
    }
  }
  if (batch.length > 0) updates.push(encodeStructs(batch));
  return updates;
}

export async function runAmplification(target: Target, structs: number): Promise<AmplificationResult[]> {
  const results: AmplificationResult[] = [];
  for (const [shape, build] of Object.entries(SHAPES)) {
    const server = await RunningServer.start(target, { env: { UNLOAD_AFTER_MS: '600000' } });
    try {
      const board = (await createBoard(server)).id;
      const updates = build(structs);
      await deliver(server, board, updates);
      await server.restart('SIGTERM'); // stored and snapshotted; nothing loaded
      await sleep(500);
      const before = await server.memoryAfterGc();
      const started = performance.now();
      const ws = await reading(server, board);
      const loadMs = performance.now() - started;
      const after = await server.memoryAfterGc();
      ws.terminate();
      const storedBytes = updates.reduce((sum, update) => sum + update.length, 0);
      const heapBytes = after.heapUsed + after.external - before.heapUsed - before.external;
      results.push({
        shape,
        structs,
        storedBytes,
        heapBytes,
        heapPerStoredByte: heapBytes / Math.max(1, storedBytes),
        loadMs,
      });
    } finally {
      await server.stop();
    }
  }
  return results;
}
