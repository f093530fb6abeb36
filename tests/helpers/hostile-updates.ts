/**
 * Yjs updates an attacker can write by hand (docs/sync.md, "What the server accepts"): each is a
 * valid y-websocket payload that a stock Yjs would integrate, built struct by struct so that tests
 * and the bench can send exactly the shapes the server must refuse or bound.
 */
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { ROOT } from '../../shared/board/layout';

/** Encodes `structs` (each its own client section, or several per client in clock order) and `deletes`. */
export function encodeStructs(
  structs: ReadonlyArray<Y.Item | Y.GC>,
  deletes: ReadonlyArray<{ client: number; clock: number; len: number }> = [],
): Uint8Array {
  const encoder = new Y.UpdateEncoderV1();
  const byClient = new Map<number, Array<Y.Item | Y.GC>>();
  for (const struct of structs) {
    const list = byClient.get(struct.id.client) ?? [];
    list.push(struct);
    byClient.set(struct.id.client, list);
  }
  encoding.writeVarUint(encoder.restEncoder, byClient.size);
  for (const [client, list] of [...byClient].sort((a, b) => b[0] - a[0])) {
    list.sort((a, b) => a.id.clock - b.id.clock);
    encoding.writeVarUint(encoder.restEncoder, list.length);
    encoder.writeClient(client);
    encoding.writeVarUint(encoder.restEncoder, (list[0] as Y.Item).id.clock);
    for (const struct of list) struct.write(encoder, 0);
  }
  const byDeleteClient = new Map<number, Array<{ clock: number; len: number }>>();
  for (const { client, clock, len } of deletes) {
    const list = byDeleteClient.get(client) ?? [];
    list.push({ clock, len });
    byDeleteClient.set(client, list);
  }
  encoding.writeVarUint(encoder.restEncoder, byDeleteClient.size);
  for (const [client, ranges] of [...byDeleteClient].sort((a, b) => b[0] - a[0])) {
    encoder.resetDsCurVal();
    encoding.writeVarUint(encoder.restEncoder, client);
    encoding.writeVarUint(encoder.restEncoder, ranges.length);
    for (const { clock, len } of ranges) {
      encoder.writeDsClock(clock);
      encoder.writeDsLen(len);
    }
  }
  return encoder.toUint8Array();
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
  return encodeStructs(items);
}

/** A delete of `len` clocks of `client` from `clock` (e.g. the top of a chain, or a future range). */
export function deleteRange(client: number, clock: number, len = 1): Uint8Array {
  return encodeStructs([], [{ client, clock, len }]);
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
  return encodeStructs(items);
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
  return encodeStructs(items);
}

/** A struct whose origin (`missing`) the document has never seen: it can never integrate. */
export function orphanUpdate(missing: Y.ID, client = hostileClient(2), text = 'waiting forever'): Uint8Array {
  return encodeStructs([
    new Y.Item(Y.createID(client, 0), null, missing, null, null, null, null, new Y.ContentAny([text])),
  ]);
}
