/**
 * What collaborative text costs (docs/quality.md#the-client-on-a-big-board): 2,000 cards written
 * with a `Y.Text` each, as the client writes them, against the same cards with plain-string texts,
 * as older boards and stock clients hold them. Measured in this process with Yjs: the document's
 * bytes per card, the time to encode it whole, to load it into a fresh document, to read every
 * card's text (what the page does once loaded), and the heap a loaded document holds.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import * as Y from 'yjs';
import { readCards } from '../../shared/board/read';
import { newId } from '../../shared/ids';
import { median } from '../lib/stats';
import { writeCards } from './cold';

export interface LayoutCost {
  bytesPerCard: number;
  encodeMs: number;
  loadMs: number;
  readMs: number;
  heapBytesPerCard: number;
}

export interface TextCostResult {
  cards: number;
  samples: number;
  collaborative: LayoutCost;
  plain: LayoutCost;
}

/** The collector, callable from here without starting Node with --expose-gc. */
function collector(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

function timed(run: () => void, samples: number): number {
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const started = performance.now();
    run();
    times.push(performance.now() - started);
  }
  return median(times) ?? 0;
}

function measureLayout(cards: number, samples: number, plainText: boolean, gc: () => void): LayoutCost {
  const doc = new Y.Doc();
  writeCards(doc, cards, newId(), newId(), 1000, plainText);
  const update = Y.encodeStateAsUpdate(doc);
  const load = (): Y.Doc => {
    const loaded = new Y.Doc();
    Y.applyUpdate(loaded, update);
    return loaded;
  };
  const encodeMs = timed(() => void Y.encodeStateAsUpdate(doc), samples);
  const loadMs = timed(() => void load(), samples);
  const loaded = load();
  const readMs = timed(() => void readCards(loaded), samples);
  // Heap: several loaded copies held at once, each read once (as a page reads it), after a full collection.
  const copies = 5;
  gc();
  const before = process.memoryUsage().heapUsed;
  const held = Array.from({ length: copies }, () => {
    const copy = load();
    readCards(copy);
    return copy;
  });
  gc();
  const heap = (process.memoryUsage().heapUsed - before) / copies;
  held.length = 0;
  return {
    bytesPerCard: update.byteLength / cards,
    encodeMs,
    loadMs,
    readMs,
    heapBytesPerCard: heap / cards,
  };
}

export function measureTextCost(cards = 2000, samples = 7): TextCostResult {
  const gc = collector();
  // Once each first, so that neither layout pays for the code's first run.
  measureLayout(cards, 1, false, gc);
  measureLayout(cards, 1, true, gc);
  return {
    cards,
    samples,
    collaborative: measureLayout(cards, samples, false, gc),
    plain: measureLayout(cards, samples, true, gc),
  };
}
