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

interface Layout {
  doc: Y.Doc;
  update: Uint8Array;
  encode: number[];
  load: number[];
  read: number[];
}

function load(update: Uint8Array): Y.Doc {
  const loaded = new Y.Doc();
  Y.applyUpdate(loaded, update);
  return loaded;
}

function time(run: () => void): number {
  const started = performance.now();
  run();
  return performance.now() - started;
}

function layout(cards: number, plainText: boolean): Layout {
  const doc = new Y.Doc();
  writeCards(doc, cards, newId(), newId(), 1000, plainText);
  const update = Y.encodeStateAsUpdate(doc);
  return { doc, update, encode: [], load: [], read: [] };
}

/** Heap held by a loaded and read copy, per card: several copies held at once, after a full collection. */
function heapPerCard(update: Uint8Array, cards: number, gc: () => void): number {
  const copies = 5;
  gc();
  const before = process.memoryUsage().heapUsed;
  const held = Array.from({ length: copies }, () => {
    const copy = load(update);
    readCards(copy);
    return copy;
  });
  gc();
  const heap = (process.memoryUsage().heapUsed - before) / copies;
  held.length = 0;
  return heap / cards;
}

function summary(of: Layout, cards: number, gc: () => void): LayoutCost {
  return {
    bytesPerCard: of.update.byteLength / cards,
    encodeMs: median(of.encode) ?? 0,
    loadMs: median(of.load) ?? 0,
    readMs: median(of.read) ?? 0,
    heapBytesPerCard: heapPerCard(of.update, cards, gc),
  };
}

export function measureTextCost(cards = 2000, samples = 11): TextCostResult {
  const gc = collector();
  const collaborative = layout(cards, false);
  const plain = layout(cards, true);
  // Interleaved, so that a busy moment of the machine falls on both layouts alike; the first
  // round warms the code up and is not counted.
  for (let round = 0; round <= samples; round++) {
    for (const of of round % 2 === 0 ? [collaborative, plain] : [plain, collaborative]) {
      const encode = time(() => void Y.encodeStateAsUpdate(of.doc));
      const loadMs = time(() => void load(of.update));
      const fresh = load(of.update);
      const read = time(() => void readCards(fresh));
      if (round === 0) continue;
      of.encode.push(encode);
      of.load.push(loadMs);
      of.read.push(read);
    }
  }
  return {
    cards,
    samples,
    collaborative: summary(collaborative, cards, gc),
    plain: summary(plain, cards, gc),
  };
}
