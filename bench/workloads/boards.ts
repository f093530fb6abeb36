/**
 * W2 many boards: B boards × P lightweight participants, each of whom makes one edit and one
 * awareness update, then everyone idles. The server's resident memory, minus its own idle
 * baseline measured just before in the same process, divided per board and per client.
 */
import { connectClients, EditTracker, LightClient } from '../lib/loadgen';
import { sampleProcess } from '../lib/proc';
import { median } from '../lib/stats';
import { createBoard, openProbe, RunningServer, sleep, waitFor, type Target } from '../lib/targets';
import { Framer, BENCH_ROOT } from '../lib/wire';

export interface BoardsResult {
  boards: number;
  perBoard: number;
  baselineRssBytes: number;
  loadedRssBytes: number;
  /** RSS growth per board and per client. */
  bytesPerBoard: number;
  bytesPerClient: number;
  /** After a full collection in the server: JS heap + external (ArrayBuffers…) growth. */
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

async function rss(pid: number, samples: number, gapMs: number): Promise<number> {
  const values: number[] = [];
  for (let i = 0; i < samples; i++) {
    if (i > 0) await sleep(gapMs);
    values.push(sampleProcess(pid).rssBytes);
  }
  return median(values) ?? 0;
}

export async function runBoards(
  target: Target,
  boards: number,
  perBoard: number,
  settleMs: number,
): Promise<BoardsResult> {
  // Atelier unloads a board nobody uses after UNLOAD_AFTER_MS: short here, to measure memory
  // once everyone has left within the run.
  const server = await RunningServer.start(target, { env: { UNLOAD_AFTER_MS: String(UNLOAD_AFTER_MS) } });
  const clients: LightClient[] = [];
  try {
    await sleep(1500);
    const relay = !target.hasDocument;
    const tracker = new EditTracker((boards + 1) * perBoard);
    const connect = async (boardId: string, first: number): Promise<LightClient[]> => {
      const framer = new Framer(target.dialect, boardId);
      return connectClients(
        perBoard,
        (index) =>
          new LightClient({
            url: server.socketUrl(boardId),
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
    };

    // Boards are created before the baseline: creating one stores it (Atelier) or names it (the
    // peers), neither is memory a live board holds. A first board, used and left, warms every
    // server's code paths alike, so that compiled code is not counted as memory per board.
    const ids: string[] = [];
    for (let b = 0; b < boards; b++) ids.push((await createBoard(server)).id);
    const warm = await connect((await createBoard(server)).id, boards * perBoard);
    for (const client of warm) {
      client.prepare(1, client.index);
      client.sendEdit();
      client.sendAwareness();
    }
    await sleep(settleMs);
    await Promise.all(warm.map((c) => c.close()));
    await sleep(500);

    const baselineMemory = await server.memoryAfterGc();
    const baselineRssBytes = await rss(server.pid, 3, 300);
    for (const [b, id] of ids.entries()) clients.push(...(await connect(id, b * perBoard)));
    for (const client of clients) {
      client.prepare(1, client.index);
      client.sendEdit();
      client.sendAwareness();
    }
    await sleep(settleMs);
    const loadedMemory = await server.memoryAfterGc();
    const loadedRssBytes = await rss(server.pid, 3, 500);

    // A few boards must hold their participants' edits (not on the relay: it holds nothing).
    let verified = true;
    let verifyNote = relay ? 'relay: nothing to check on the server' : 'sampled boards hold every edit';
    if (!relay) {
      for (const b of [0, Math.floor(boards / 2), boards - 1]) {
        const probe = openProbe(server, ids[b] as string, { echoAwareness: false });
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
    await sleep(UNLOAD_AFTER_MS + 2_000);
    const leftMemory = await server.memoryAfterGc();

    const grown = loadedRssBytes - baselineRssBytes;
    const heap = (m: { heapUsed: number; external: number }) => m.heapUsed + m.external;
    const heapGrown = heap(loadedMemory) - heap(baselineMemory);
    return {
      baselineHeapBytes: heap(baselineMemory),
      loadedHeapBytes: heap(loadedMemory),
      heapPerBoard: heapGrown / boards,
      heapPerClient: heapGrown / (boards * perBoard),
      leftHeapBytes: heap(leftMemory),
      boards,
      perBoard,
      baselineRssBytes,
      loadedRssBytes,
      bytesPerBoard: grown / boards,
      bytesPerClient: grown / (boards * perBoard),
      verified,
      verifyNote,
    };
  } finally {
    await Promise.all(clients.map((c) => c.close()));
    await server.stop();
  }
}
