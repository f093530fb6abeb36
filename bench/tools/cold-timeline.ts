/**
 * Where a cold first sync's time goes: a board of N cards (W3's layout) written, the server
 * restarted (SIGTERM: it stores and compacts), then one raw WebSocket that sends an empty sync
 * step 1 as it opens. Prints the time to the socket open, to the server's sync step 1, to the
 * answer (sync step 2) fully received, and the client's apply of it; then the same on the warm
 * board (a second connection), and the server's CPU for each.
 *   npx tsx bench/tools/cold-timeline.ts [cards=2000] [rounds=3]
 */
import WebSocket from 'ws';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import { newId } from '../../shared/ids';
import { sampleProcess } from '../lib/proc';
import { createBoard, openProbe, RunningServer, TARGETS, waitFor } from '../lib/targets';
import { writeCards } from '../workloads/cold';

const cards = Number(process.argv[2] ?? 2000);
const rounds = Number(process.argv[3] ?? 3);

async function firstSync(server: RunningServer, board: string): Promise<string> {
  const cpu0 = sampleProcess(server.pid).cpuSeconds;
  const t0 = performance.now();
  const ws = new WebSocket(`${server.syncBase}/${board}`, { perMessageDeflate: false });
  const marks: string[] = [];
  const mark = (what: string) => marks.push(`${what} ${(performance.now() - t0).toFixed(0)}`);
  await new Promise<void>((resolve, reject) => {
    ws.on('open', () => {
      mark('open');
      ws.send(new Uint8Array([0, 0, 1, 0]));
    });
    ws.on('message', (data: Buffer) => {
      const bytes = new Uint8Array(data);
      if (bytes[0] !== 0) return;
      if (bytes[1] === 0) mark('server step1');
      if (bytes[1] === 1) {
        mark(`answer (${(bytes.length / 1024).toFixed(0)} KiB)`);
        const d = decoding.createDecoder(bytes);
        decoding.readVarUint(d);
        decoding.readVarUint(d);
        const doc = new Y.Doc();
        Y.applyUpdate(doc, decoding.readVarUint8Array(d));
        mark(`applied (${doc.getMap('cards').size} cards)`);
        ws.close();
        resolve();
      }
    });
    ws.on('error', reject);
  });
  return `${marks.join(', ')} ms; server CPU ${((sampleProcess(server.pid).cpuSeconds - cpu0) * 1000).toFixed(0)} ms`;
}

const server = await RunningServer.start(TARGETS.atelier);
try {
  const board = await createBoard(server);
  const writer = openProbe(server, board.id, { echoAwareness: false });
  await waitFor(() => writer.synced, 15_000, 'the writer');
  writeCards(writer.doc, cards, newId(), newId());
  await new Promise((r) => setTimeout(r, 2000));
  writer.destroy();
  for (let i = 0; i < rounds; i++) {
    await server.restart('SIGTERM');
    await new Promise((r) => setTimeout(r, 1000));
    console.log(`cold: ${await firstSync(server, board.id)}`);
    console.log(`warm: ${await firstSync(server, board.id)}`);
  }
} finally {
  await server.stop();
}
