/**
 * Property-based tests of the update guard (server/sync/guard.ts; docs/sync.md "What the server
 * accepts"): random, hand-built and mutated Yjs updates — deep nesting, deletes past the state
 * vector, missing dependencies, every content kind, competing insertions. Whatever the guard lets
 * through, Yjs integrates whole: no exception, nothing left pending, no unfinished transaction, no
 * nesting past the bound, and the document keeps working (an edit still emits an update, and
 * deleting everything does not overflow).
 */
import fc from 'fast-check';
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../shared/board';
import { checkUpdate, DEFAULT_DOC_RULES, sanitizeStored } from '../../server/sync/guard';
import { deepArb, fresh, handBuiltArb, honestArb, mutatedArb } from '../helpers/update-arbitraries';

/** Generated cases per property: RUNS × 3 updates, RUNS / 10 deep chains, RUNS / 20 sequences. */
export const RUNS = 600;
const rules = DEFAULT_DOC_RULES;

function depthOf(type: Y.AbstractType<unknown>): number {
  let depth = 0;
  for (let item = type._item; item; item = (item.parent as Y.AbstractType<unknown>)._item) depth += 1;
  return depth;
}

/** What must hold for any update the guard judges; returns whether it was let through. */
function holds(update: Uint8Array): boolean {
  const doc = fresh();
  const verdict = checkUpdate(doc, update, rules);
  if (verdict.kind !== 'apply') return false;
  Y.applyUpdate(doc, update);
  expect(doc.store.pendingStructs).toBeNull();
  expect(doc.store.pendingDs).toBeNull();
  expect(doc._transactionCleanups).toHaveLength(0);
  for (const structs of doc.store.clients.values()) {
    for (const struct of structs) {
      if (struct instanceof Y.Item && struct.content instanceof Y.ContentType) {
        expect(depthOf(struct.content.type as Y.AbstractType<unknown>)).toBeLessThanOrEqual(rules.maxDepth);
      }
    }
  }
  let emitted = 0;
  doc.on('update', () => (emitted += 1));
  doc.getMap(ROOT.meta).set('title', 'still alive');
  expect(emitted).toBe(1);
  // Deleting everything walks every nested type: bounded depth, no overflow.
  doc.transact(() => {
    for (const root of Object.values(ROOT))
      for (const key of [...doc.getMap(root).keys()]) doc.getMap(root).delete(key);
  });
  expect(doc._transactionCleanups).toHaveLength(0);
  return true;
}

describe('update guard, property-based', () => {
  it(`hand-built updates (${RUNS} cases): whatever is let through integrates whole`, () => {
    let letThrough = 0;
    fc.assert(
      fc.property(handBuiltArb, (update) => {
        if (holds(update)) letThrough += 1;
      }),
      { numRuns: RUNS, seed: 20_261_204 },
    );
    // The property is about what passes: enough must pass for it to say something.
    expect(letThrough).toBeGreaterThan(RUNS / 10);
  });

  it(`honest edits (${RUNS} cases) are let through, and integrate whole`, () => {
    fc.assert(
      fc.property(honestArb, (update) => {
        expect(checkUpdate(fresh(), update, rules).kind).toBe('apply');
        holds(update);
      }),
      { numRuns: RUNS, seed: 20_261_205 },
    );
  });

  it(`mutated honest updates (${RUNS} cases): never a crash, whatever is let through integrates whole`, () => {
    fc.assert(
      fc.property(mutatedArb, (update) => void holds(update)),
      { numRuns: RUNS, seed: 20_261_206 },
    );
  });

  it(`sequences of updates on one board (${RUNS / 20} sequences of up to 60): the board keeps working, and what it stores judges as it was let in`, () => {
    const anyUpdate = fc.oneof(
      { arbitrary: handBuiltArb, weight: 4 },
      { arbitrary: mutatedArb, weight: 2 },
      { arbitrary: honestArb, weight: 2 },
      { arbitrary: deepArb, weight: 1 },
    );
    fc.assert(
      fc.property(fc.array(anyUpdate, { minLength: 10, maxLength: 60 }), (sequence) => {
        const doc = fresh();
        for (const update of sequence) {
          if (checkUpdate(doc, update, rules).kind !== 'apply') continue;
          Y.applyUpdate(doc, update);
          expect(doc.store.pendingStructs).toBeNull();
          expect(doc.store.pendingDs).toBeNull();
          expect(doc._transactionCleanups).toHaveLength(0);
        }
        // What was let in, stored and loaded again, breaks no rule: nothing to leave out.
        expect(sanitizeStored(Y.encodeStateAsUpdate(doc), rules).dropped).toBe(0);
      }),
      { numRuns: RUNS / 20, seed: 20_261_209 },
    );
  });

  it(`deep chains up to 3,000 levels, with and without the delete of their top (${RUNS / 10} cases)`, () => {
    fc.assert(
      fc.property(deepArb, (update) => {
        const verdict = checkUpdate(fresh(), update, rules);
        holds(update);
        return verdict.kind !== 'apply' || update.length < 200;
      }),
      { numRuns: RUNS / 10, seed: 20_261_207 },
    );
  });
});
