/**
 * W2 many boards: boards of P participants added in steps; each participant makes one edit and
 * one awareness update, then everyone idles. On Atelier each participant is what a real client
 * is on both planes: joined over HTTP (docs/session.md#connecting), its sync connection carries
 * the token, and it holds a socket.io session connection too; the peers have no session plane.
 * At each step, after a settle: a full collection in the server (the preloaded memory hook),
 * heap + external, then the median of several RSS samples. The figure per board is the slope of
 * the least-squares line through the steps (heap: with the idle baseline as the first point; RSS:
 * the loaded steps only), so that what the allocator keeps from one step to the next does not
 * land on a single reading.
 */
import type { Socket } from 'socket.io-client';
import { connectClients, EditTracker, LightClient } from '../lib/loadgen';
import { sampleProcess } from '../lib/proc';
import { median } from '../lib/stats';
import {
  connectSession,
  createBoard,
  joinBoard,
  openProbe,
  RunningServer,
  sleep,
  waitFor,
  type Joined,
  type Target,
} from '../lib/targets';
import { Framer, BENCH_ROOT } from '../lib/wire';

export interface BoardsStep {
  boards: number;
  heapBytes: number;
  rssBytes: number;
}

export interface BoardsResult {
  boards: number;
  perBoard: number;
  /** Whether each participant also held a socket.io session connection (Atelier only). */
  sessionPlane: boolean;
  steps: BoardsStep[];
  baselineRssBytes: number;
  loadedRssBytes: number;
  /** RSS growth per board and per client (slope over the steps). */
  bytesPerBoard: number;
  bytesPerClient: number;
  /** After a full collection in the server: JS heap + external (ArrayBuffers…), slope. */
  baselineHeapBytes: number;
  loadedHeapBytes: number;
  heapPerBoard: number;
  heapPerClient: number;
  /** After every client left and (Atelier) the boards were unloaded: heap + external. */
  leftHeapBytes: number;
  verified: boolean;
  verifyNote: string;
}

const UNLOAD_AFTER_MS = 1_000;
const RSS_SAMPLES = 5;

/** Least-squares slope of y over x. */
export function slope(points: Array<[number, number]>): number {
  const n = points.length;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  let num = 0;
  let den = 0;
  for (const [x, y] of points) {
    num += (x - mx) * (y - my);
    den += (x - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

/** Heap + external after a forced collection, then, after a settle, the median of RSS samples. */
async function measure(server: RunningServer): Promise<{ heapBytes: number; rssBytes: number }> {
  const memory = await server.memoryAfterGc();
  await sleep(1_000);
  await server.memoryAfterGc();
  const values: number[] = [];
  for (let i = 0; i < RSS_SAMPLES; i++) {
    await sleep(300);
    values.push(sampleProcess(server.pid).rssBytes);
  }
  return { heapBytes: memory.heapUsed + memory.external, rssBytes: median(values) ?? 0 };
}

export async function runBoards(
  target: Target,
  boards: number,
  perBoard: number,
  settleMs: number,
  stepCount = 3,
): Promise<BoardsResult> {
  // Atelier unloads a board nobody uses after UNLOAD_AFTER_MS: short here, to measure memory
  // once everyone has left within the run. Each participant joins over HTTP, all from 127.0.0.1.
  const server = await RunningServer.start(target, {
    env: { UNLOAD_AFTER_MS: String(UNLOAD_AFTER_MS), MAX_JOINS_PER_ADDRESS: '100000' },
  });
  const clients: LightClient[] = [];
  const sockets: Socket[] = [];
  const sessionPlane = target.id === 'atelier';
  try {
    await sleep(1500);
    const relay = !target.hasDocument;
    const tracker = new EditTracker((boards + 1) * perBoard);
    const connect = async (boardId: string, first: number, facilitatorKey?: string) => {
      const framer = new Framer(target.dialect, boardId);
      const joined: Joined[] = [];
      if (sessionPlane) {
        for (let i = 0; i < perBoard; i++)
          joined.push(
            await joinBoard(server, boardId, `Member ${i + 1}`, i === 0 ? facilitatorKey : undefined),
          );
      }
      const light = await connectClients(
        perBoard,
        (index) =>
          new LightClient({
            url: sessionPlane
              ? `${server.socketUrl(boardId)}?token=${encodeURIComponent(joined[index]!.token)}`
              : server.socketUrl(boardId),
            framer,
            index: first + index,
            clientId: 200_000 + first + index,
            tracker,
            answersStep1: !relay || index === 0,
            sendsStep1: !relay,
          }),
        30_000,
        perBoard,
      );
      const session = sessionPlane
        ? await Promise.all(joined.map((j) => connectSession(server, boardId, j.token)))
        : [];
      return { light, session };
    };
    const act = (list: LightClient[]) => {
      for (const client of list) {
        client.prepare(1, client.index);
        client.sendEdit();
        client.sendAwareness();
      }
    };

    // Boards are created before the baseline: creating one stores it (Atelier) or names it (the
    // peers), neither is memory a live board holds. A first board, used and left, warms every
    // server's code paths alike, so that compiled code is not counted as memory per board.
    const ids: Array<{ id: string; facilitatorKey?: string }> = [];
    for (let b = 0; b < boards; b++) ids.push(await createBoard(server));
    const warmBoard = await createBoard(server);
    const warm = await connect(warmBoard.id, boards * perBoard, warmBoard.facilitatorKey);
    act(warm.light);
    await sleep(settleMs);
    await Promise.all(warm.light.map((c) => c.close()));
    for (const socket of warm.session) socket.disconnect();
    await sleep(UNLOAD_AFTER_MS + 1_000);

    const baseline = await measure(server);
    const steps: BoardsStep[] = [{ boards: 0, ...baseline }];
    let connected = 0;
    for (let s = 1; s <= stepCount; s++) {
      const upTo = Math.round((boards * s) / stepCount);
      const added: LightClient[] = [];
      for (; connected < upTo; connected++) {
        const board = ids[connected]!;
        const { light, session } = await connect(board.id, connected * perBoard, board.facilitatorKey);
        added.push(...light);
        sockets.push(...session);
      }
      clients.push(...added);
      act(added);
      await sleep(settleMs);
      steps.push({ boards: upTo, ...(await measure(server)) });
    }

    // A few boards must hold their participants' edits (not on the relay: it holds nothing).
    let verified = true;
    let verifyNote = relay ? 'relay: nothing to check on the server' : 'sampled boards hold every edit';
    if (!relay) {
      for (const b of [0, Math.floor(boards / 2), boards - 1]) {
        const probe = openProbe(server, ids[b]!.id, { echoAwareness: false });
        try {
          await waitFor(
            () => probe.synced && probe.doc.getMap(BENCH_ROOT).size === perBoard,
            15_000,
            'a board',
          );
        } catch {
          verified = false;
          verifyNote = `board ${b} holds ${probe.doc.getMap(BENCH_ROOT).size} of ${perBoard} edits`;
        } finally {
          probe.destroy();
        }
      }
    }
    // Everyone leaves: memory should come back near the baseline.
    await Promise.all(clients.splice(0).map((c) => c.close()));
    for (const socket of sockets.splice(0)) socket.disconnect();
    await sleep(UNLOAD_AFTER_MS + 2_000);
    const leftMemory = await server.memoryAfterGc();

    const heapPerBoard = slope(steps.map((p) => [p.boards, p.heapBytes]));
    // RSS: the loaded steps only. The idle reading comes right after the boards were created over
    // HTTP, whose pages the process has not all given back yet: it read above the first step.
    const rssPerBoard = slope(steps.slice(1).map((p) => [p.boards, p.rssBytes]));
    const last = steps.at(-1)!;
    return {
      boards,
      perBoard,
      sessionPlane,
      steps,
      baselineHeapBytes: baseline.heapBytes,
      loadedHeapBytes: last.heapBytes,
      heapPerBoard,
      heapPerClient: heapPerBoard / perBoard,
      leftHeapBytes: leftMemory.heapUsed + leftMemory.external,
      baselineRssBytes: baseline.rssBytes,
      loadedRssBytes: last.rssBytes,
      bytesPerBoard: rssPerBoard,
      bytesPerClient: rssPerBoard / perBoard,
      verified,
      verifyNote,
    };
  } finally {
    await Promise.all(clients.map((c) => c.close()));
    for (const socket of sockets) socket.disconnect();
    await server.stop();
  }
}
