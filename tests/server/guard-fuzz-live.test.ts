/**
 * The update guard against a live server in a child process (docs/sync.md, "What the server
 * accepts"): generated hostile updates — hand-built, mutated, deep chains — poured onto one board
 * over raw connections, while two honest people edit another board. The server never crashes, the
 * attacked board still works afterwards, and the other board's edits keep arriving about as fast
 * as before (median within 2× of the quiet median, or 10 ms above it: loopback jitter).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addCard, readCards, readQuestions } from '../../shared/board';
import { encodeSyncStep1, encodeUpdate } from '../../server/sync/protocol';
import { waitFor } from '../helpers/expect';
import { useClients } from '../helpers/fixtures';
import { rawHttp } from '../helpers/hostile';
import { startServerProcess, stopServerProcesses } from '../helpers/server-process';
import { createBoard } from '../helpers/server';
import type { ProviderClient } from '../helpers/sync-clients';
import { deepArb, FUZZ_BOARD, handBuiltArb, honestArb, mutatedArb } from '../helpers/update-arbitraries';

/** Generated updates sent to the attacked board. */
export const LIVE_CASES = 400;
const LANES = 4;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** One honest edit on `from`, timed until `to` shows it. */
async function roundTrip(
  from: ProviderClient,
  to: ProviderClient,
  questionId: string,
  n: number,
): Promise<number> {
  const text = `probe ${n}`;
  const started = performance.now();
  addCard(from.doc, { questionId, text, authorId: 'author-0001' });
  await waitFor(() => readCards(to.doc).some((card) => card.text === text), 10_000, text);
  return performance.now() - started;
}

describe('the update guard on a live server', () => {
  const { sync } = useClients({ afterClients: stopServerProcesses });

  it(
    `${LIVE_CASES} generated hostile updates: no crash, the attacked board still works, another board’s edits as fast as before`,
    { timeout: 120_000 },
    async () => {
      const server = await startServerProcess();
      const target = await createBoard(server);
      const other = await createBoard(server);
      // The attacked board holds the generators' board, so that generated ids name real structs.
      const seed = sync.raw(server, `/sync/${target.id}`);
      await seed.opened;
      seed.ws.send(encodeUpdate(FUZZ_BOARD));
      seed.ws.send(encodeSyncStep1(new Y.Doc()));
      await waitFor(
        () => seed.frames.some((f) => f[0] === 0 && f[1] === 1 && f.length > 1_000),
        5_000,
        'the seed',
      );

      const a = await sync.syncedProvider(server, other.id);
      const b = await sync.syncedProvider(server, other.id);
      const questionId = (readQuestions(a.doc)[0] ?? { id: '' }).id;
      const quiet: number[] = [];
      for (let n = 0; n < 25; n++) quiet.push(await roundTrip(a, b, questionId, n));

      const updates = fc.sample(
        fc.oneof(
          { arbitrary: handBuiltArb, weight: 4 },
          { arbitrary: mutatedArb, weight: 3 },
          { arbitrary: honestArb, weight: 1 },
          { arbitrary: deepArb, weight: 1 },
        ),
        { numRuns: LIVE_CASES, seed: 20_261_208 },
      );
      let attacking = true;
      const outcomes = new Map<number, number>();
      // Each update on a connection of its own (a refused one closes its connection), four at a time.
      const send = async (update: Uint8Array): Promise<void> => {
        const raw = sync.raw(server, `/sync/${target.id}`);
        await raw.opened;
        raw.ws.send(encodeUpdate(update));
        // Answered once the update was handled, unless it closed the connection.
        raw.ws.send(encodeSyncStep1(new Y.Doc()));
        const outcome = await Promise.race([
          raw.closed.then(({ code }) => code),
          waitFor(() => raw.frames.some((f) => f[0] === 0 && f[1] === 1), 10_000, 'an answer').then(() => 0),
        ]);
        outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
        raw.ws.terminate();
      };
      const attack = (async () => {
        for (let start = 0; start < updates.length; start += LANES) {
          await Promise.all(updates.slice(start, start + LANES).map(send));
        }
        attacking = false;
      })();
      const during: number[] = [];
      for (let n = 100; attacking; n++) during.push(await roundTrip(a, b, questionId, n));
      await attack;

      expect(server.alive).toBe(true);
      expect((await rawHttp(server, 'GET', '/api/health')).status).toBe(200);
      // Every update was judged: taken (0), or refused with a reason the protocol defines.
      expect([...outcomes.values()].reduce((sum, count) => sum + count, 0)).toBe(LIVE_CASES);
      expect([...outcomes.keys()].filter((code) => ![0, 1007, 4409, 4413, 4422].includes(code))).toEqual([]);
      expect(outcomes.get(0)).toBeGreaterThan(LIVE_CASES / 10);
      expect(server.output).not.toMatch(/broke the document|RangeError|Maximum call stack/);

      // The attacked board still stores and relays edits, and loads afresh.
      const x1 = await sync.syncedProvider(server, target.id);
      const x2 = await sync.syncedProvider(server, target.id);
      const targetQuestion = (readQuestions(x1.doc)[0] ?? { id: '' }).id;
      expect(await roundTrip(x1, x2, targetQuestion, 0)).toBeLessThan(10_000);

      expect(during.length).toBeGreaterThan(5);
      const before = median(quiet);
      expect(median(during)).toBeLessThanOrEqual(Math.max(2 * before, before + 10));
    },
  );
});
