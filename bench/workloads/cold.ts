/**
 * W3 cold load: a board of C cards in Atelier's layout (`cards`: Y.Map of Y.Map {id, questionId,
 * text, authorId, createdAt}, the text a Y.Text as Atelier's client writes it — docs/sync.md#text-fields)
 * written through a provider; then the time for a fresh provider to
 * finish its first sync. Atelier: after a restart, so the board is loaded from SQLite (cold), in a
 * server that has been running and unloaded the board once nobody used it (unloaded: the board
 * comes from SQLite, the process's code is warm — the usual case on a server hosting many
 * workshops), and also while the writer is still connected (warm, in memory). The peers keep
 * documents in memory only while someone is connected, so for them only the warm figure exists.
 */
import * as Y from 'yjs';
import { newId } from '../../shared/ids';
import { sampleProcess } from '../lib/proc';
import { median } from '../lib/stats';
import { createBoard, openProbe, RunningServer, sleep, waitFor, type Target } from '../lib/targets';

export interface ColdResult {
  cards: number;
  /** Bytes of the whole document as one update. */
  docBytes: number;
  warmMs: number | null;
  coldMs: number | null;
  /** Atelier: the board unloaded by a running server (nobody on it for UNLOAD_AFTER_MS), then opened. */
  unloadedMs: number | null;
  /** CPU the server spent on each first sync (from /proc): less swayed by a busy machine. */
  warmCpuMs: number | null;
  coldCpuMs: number | null;
  unloadedCpuMs: number | null;
  /** Atelier: bytes of its SQLite files after a clean stop. */
  storedBytes: number | null;
  samples: number;
}

export function writeCards(
  doc: Y.Doc,
  count: number,
  questionId: string,
  authorId: string,
  batch = 1000,
  /** Plain-string texts, as older boards and stock clients hold them (converted on a board's load). */
  plainText = false,
): void {
  const cards = doc.getMap<Y.Map<unknown>>('cards');
  const now = Date.now();
  for (let start = 0; start < count; start += batch) {
    doc.transact(() => {
      for (let i = start; i < Math.min(count, start + batch); i++) {
        const id = newId();
        const card = new Y.Map<unknown>();
        card.set('id', id);
        card.set('questionId', questionId);
        const text = `Answer number ${i}: heads of marketing in mid-size B2B companies`;
        card.set('text', plainText ? text : new Y.Text(text));
        card.set('authorId', authorId);
        card.set('createdAt', now + i);
        cards.set(id, card);
      }
    });
  }
}

/** Time from a new provider to its first sync with every card present. */
export async function timeFirstSync(server: RunningServer, board: string, cards: number): Promise<number> {
  const started = performance.now();
  const probe = openProbe(server, board, { echoAwareness: false });
  try {
    await waitFor(
      () => probe.synced && probe.doc.getMap('cards').size === cards,
      60_000,
      'a fresh provider to sync',
    );
    return performance.now() - started;
  } finally {
    probe.destroy();
  }
}

/** Atelier unloads a board this long after its last connection closed (short here, to measure it). */
const UNLOAD_AFTER_MS = 500;

export async function runCold(target: Target, cards: number, samples: number): Promise<ColdResult> {
  const server = await RunningServer.start(target, {
    env: target.id === 'atelier' ? { UNLOAD_AFTER_MS: String(UNLOAD_AFTER_MS) } : {},
  });
  try {
    const board = await createBoard(server);
    const writer = openProbe(server, board.id, { echoAwareness: false });
    await waitFor(() => writer.synced, 15_000, 'the writer to sync');
    writeCards(writer.doc, cards, newId(), newId());
    const docBytes = Y.encodeStateAsUpdate(writer.doc).byteLength;
    // Stored (Atelier) or held (peers) once another provider sees every card: not timed.
    await timeFirstSync(server, board.id, cards);
    const cpuMs = async (run: () => Promise<number>): Promise<[number, number]> => {
      const before = sampleProcess(server.pid).cpuSeconds;
      const ms = await run();
      return [ms, (sampleProcess(server.pid).cpuSeconds - before) * 1000];
    };
    const warm: number[] = [];
    const warmCpu: number[] = [];
    for (let i = 0; i < samples; i++) {
      const [ms, cpu] = await cpuMs(() => timeFirstSync(server, board.id, cards));
      warm.push(ms);
      warmCpu.push(cpu);
    }
    writer.destroy();

    let coldMs: number | null = null;
    const coldCpu: number[] = [];
    const unloaded: number[] = [];
    const unloadedCpu: number[] = [];
    let storedBytes: number | null = null;
    if (target.id === 'atelier') {
      const cold: number[] = [];
      for (let i = 0; i < samples; i++) {
        // A clean stop stores and compacts; the next start loads the board from SQLite on demand.
        await server.restart('SIGTERM');
        storedBytes = server.storedBytes();
        const [ms, cpu] = await cpuMs(() => timeFirstSync(server, board.id, cards));
        cold.push(ms);
        coldCpu.push(cpu);
      }
      coldMs = median(cold);
      // The process has now served the board: let it unload (nobody connected), then open it again.
      for (let i = 0; i < samples; i++) {
        await sleep(UNLOAD_AFTER_MS + 1_000);
        const [ms, cpu] = await cpuMs(() => timeFirstSync(server, board.id, cards));
        unloaded.push(ms);
        unloadedCpu.push(cpu);
      }
    }
    return {
      cards,
      docBytes,
      warmMs: median(warm),
      coldMs,
      unloadedMs: unloaded.length > 0 ? median(unloaded) : null,
      warmCpuMs: median(warmCpu),
      coldCpuMs: median(coldCpu),
      unloadedCpuMs: unloadedCpu.length > 0 ? median(unloadedCpu) : null,
      storedBytes,
      samples,
    };
  } finally {
    await server.stop();
  }
}
