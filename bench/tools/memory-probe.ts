/**
 * Where an idle board's memory goes, plane by plane: a fresh Atelier server; B boards of P
 * participants joined over HTTP; then only their sync connections, then their socket.io session
 * connections too. Heap + external after a forced collection at each stage, and with --snapshots
 * a heap snapshot at each stage (node's --heapsnapshot-signal), summarised by constructor.
 *   npx tsx bench/tools/memory-probe.ts [boards=20] [perBoard=10] [--snapshots]
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { connectClients, EditTracker, LightClient } from '../lib/loadgen';
import { sampleProcess } from '../lib/proc';
import { createBoard, joinBoard, RunningServer, sleep, TARGETS, type Joined } from '../lib/targets';
import { Framer } from '../lib/wire';

const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const boards = Number(args[0] ?? 20);
const perBoard = Number(args[1] ?? 10);
const snapshots = process.argv.includes('--snapshots');

const server = await RunningServer.start(TARGETS.atelier, {
  env: { MAX_JOINS_PER_ADDRESS: '100000' },
  nodeArgs: snapshots ? ['--heapsnapshot-signal=SIGUSR1'] : [],
});
const snapDir = server.dataDir ? join(server.dataDir, '..') : '.';
const light: LightClient[] = [];
const sockets: Socket[] = [];

async function stage(name: string): Promise<number> {
  await sleep(1500);
  const m = await server.memoryAfterGc();
  await sleep(500);
  const rss = sampleProcess(server.pid).rssBytes;
  const heap = m.heapUsed + m.external;
  console.log(`${name}: heap+ext ${(heap / 1024).toFixed(0)} KiB, rss ${(rss / 1024).toFixed(0)} KiB`);
  if (snapshots) {
    server.child.process.kill('SIGUSR1');
    await sleep(8000);
  }
  return heap;
}

try {
  const tracker = new EditTracker((boards + 1) * perBoard);
  const created: Array<{ id: string; facilitatorKey?: string }> = [];
  for (let b = 0; b <= boards; b++) created.push(await createBoard(server));
  const joined: Joined[][] = [];
  for (const board of created) {
    const list: Joined[] = [];
    for (let i = 0; i < perBoard; i++)
      list.push(await joinBoard(server, board.id, `M${i}`, i === 0 ? board.facilitatorKey : undefined));
    joined.push(list);
  }
  const syncAll = async (from: number, to: number) => {
    for (let b = from; b < to; b++) {
      const id = created[b]!.id;
      const framer = new Framer('y-websocket', id);
      const added = await connectClients(
        perBoard,
        (index) =>
          new LightClient({
            url: `${server.socketUrl(id)}?token=${joined[b]![index]!.token}`,
            framer,
            index: b * perBoard + index,
            clientId: 300_000 + b * perBoard + index,
            tracker,
            answersStep1: true,
            sendsStep1: true,
          }),
        30_000,
        perBoard,
      );
      for (const c of added) {
        c.prepare(1, c.index);
        c.sendEdit();
        c.sendAwareness();
      }
      light.push(...added);
    }
  };
  const sessionAll = async (from: number, to: number) => {
    for (let b = from; b < to; b++) {
      for (const j of joined[b]!) {
        const socket = io(server.httpUrl, {
          auth: { boardId: created[b]!.id, token: j.token },
          transports: ['websocket'],
          reconnection: false,
          forceNew: true,
        });
        await new Promise<void>((resolve, reject) => {
          socket.once('session', () => resolve());
          socket.once('connect_error', reject);
        });
        sockets.push(socket);
      }
    }
  };
  // Warm-up board (index `boards`): both planes, then left.
  await syncAll(boards, boards + 1);
  await sessionAll(boards, boards + 1);
  await sleep(1000);
  const h0 = await stage('baseline (warm board still open)');
  await syncAll(0, boards);
  const h1 = await stage(`+ sync ${boards}×${perBoard}`);
  await sessionAll(0, boards);
  const h2 = await stage(`+ socket.io ${boards}×${perBoard}`);
  console.log(
    `per board: sync plane (doc + sync conns + meeting) ${((h1 - h0) / boards / 1024).toFixed(1)} KiB, ` +
      `session connections ${((h2 - h1) / boards / 1024).toFixed(1)} KiB (${((h2 - h1) / boards / perBoard).toFixed(0)} B per socket)`,
  );
  if (snapshots) {
    const cwd = process.cwd();
    const files = readdirSync(cwd)
      .filter((f) => f.endsWith('.heapsnapshot'))
      .map((f) => join(cwd, f))
      .sort((a, b) => statSync(a).mtimeMs - statSync(b).mtimeMs);
    console.log('snapshots:', files.slice(-3).join(' '), snapDir);
  }
} finally {
  for (const c of light) await c.close();
  for (const s of sockets) s.disconnect();
  await server.stop();
}
void readFileSync;
