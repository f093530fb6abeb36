/**
 * Yjs updates an attacker can write by hand (docs/sync.md, "What the server accepts"): each is a
 * valid y-websocket payload that a stock Yjs would integrate, built struct by struct so that tests
 * and the bench can send exactly the shapes the server must refuse or bound.
 */
import * as Y from 'yjs';
import { ROOT } from '../../shared/board/layout';
import { encodeStructs } from '../../shared/updates';

/** Encodes `structs` and the deleted ranges `deletes` as one update. */
export function encodeUpdate(
  structs: ReadonlyArray<Y.Item | Y.GC>,
  deletes: ReadonlyArray<{ client: number; clock: number; len: number }> = [],
): Uint8Array {
  const ranges = new Map<number, Array<{ clock: number; len: number }>>();
  for (const { client, clock, len } of deletes)
    ranges.set(client, [...(ranges.get(client) ?? []), { clock, len }]);
  const ordered = [...structs].sort((a, b) => a.id.client - b.id.client || a.id.clock - b.id.clock);
  return encodeStructs(ordered, ranges);
}

/** A client id unlikely to meet a real one. */
export function hostileClient(seed = 0): number {
  return 1_000_000_000 + seed;
}

/**
 * A `Y.Map` chain `depth` levels deep under `cards`, all from one client, in one update of about
 * 10 bytes a level: the shape that overflows Yjs's recursive delete when its top is deleted.
 */
export function deepMapChain(depth: number, client = hostileClient(1), key = 'deep-chain-01'): Uint8Array {
  const items: Y.Item[] = [];
  for (let level = 0; level < depth; level++) {
    const parent = level === 0 ? ROOT.cards : Y.createID(client, level - 1);
    items.push(
      new Y.Item(
        Y.createID(client, level),
        null,
        null,
        null,
        null,
        parent as unknown as Y.ID,
        level === 0 ? key : 'child',
        new Y.ContentType(new Y.Map()),
      ),
    );
  }
  return encodeUpdate(items);
}

/** A delete of `len` clocks of `client` from `clock` (e.g. the top of a chain, or a future range). */
export function deleteRange(client: number, clock: number, len = 1): Uint8Array {
  return encodeUpdate([], [{ client, clock, len }]);
}

/**
 * `count` writes of a few keys of one map, each from its own client with no origin: small on the
 * wire, each its own struct in memory, and all competing for the same keys (Yjs scans every
 * earlier one to place each).
 */
export function competingMapWrites(
  parent: Y.ID | string,
  count: number,
  options: { keys?: number; firstClient?: number } = {},
): Uint8Array {
  const keys = options.keys ?? 50;
  const first = options.firstClient ?? hostileClient(10_000);
  const items: Y.Item[] = [];
  for (let i = 0; i < count; i++) {
    items.push(
      new Y.Item(
        Y.createID(first + i, 0),
        null,
        null,
        null,
        null,
        parent as unknown as Y.ID,
        `k${i % keys}`,
        new Y.ContentAny([true]),
      ),
    );
  }
  return encodeUpdate(items);
}

/** `count` new card maps, each from its own client: unmergeable structs, each a type in memory. */
export function manyEmptyCards(count: number, firstClient = hostileClient(500_000)): Uint8Array {
  const items: Y.Item[] = [];
  for (let i = 0; i < count; i++) {
    items.push(
      new Y.Item(
        Y.createID(firstClient + i, 0),
        null,
        null,
        null,
        null,
        ROOT.cards as unknown as Y.ID,
        `card-${String(i).padStart(8, '0')}`,
        new Y.ContentType(new Y.Map()),
      ),
    );
  }
  return encodeUpdate(items);
}

/** A struct whose origin (`missing`) the document has never seen: it can never integrate. */
export function orphanUpdate(missing: Y.ID, client = hostileClient(2), text = 'waiting forever'): Uint8Array {
  return encodeUpdate([
    new Y.Item(Y.createID(client, 0), null, missing, null, null, null, null, new Y.ContentAny([text])),
  ]);
}
