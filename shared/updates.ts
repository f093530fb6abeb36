/**
 * Yjs updates as lists of structs (docs/sync.md, "Frames"): written back in the v1 format after
 * some were replaced (the server cleaning a stored document) or split into several updates that
 * each fit in a frame (a client sending a large offline backlog). Runs on both sides.
 */
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';

export type Struct = Y.Item | Y.GC | Y.Skip;

/** Deleted ranges per client, as `Y.decodeUpdate` gives them. */
export type DeleteRanges = ReadonlyMap<number, ReadonlyArray<{ clock: number; len: number }>>;

/**
 * Encodes `structs` (each client's in clock order, contiguous, as decoded) and `deletes` as one
 * v1 update; `replace` may swap a struct for another of the same id and length.
 */
export function encodeStructs(
  structs: readonly Struct[],
  deletes: DeleteRanges = new Map(),
  replace: (struct: Struct) => Struct = (struct) => struct,
): Uint8Array {
  const encoder = new Y.UpdateEncoderV1();
  const byClient = new Map<number, Struct[]>();
  for (const struct of structs) {
    const list = byClient.get(struct.id.client);
    if (list) list.push(struct);
    else byClient.set(struct.id.client, [struct]);
  }
  encoding.writeVarUint(encoder.restEncoder, byClient.size);
  for (const [client, list] of [...byClient].sort((a, b) => b[0] - a[0])) {
    encoding.writeVarUint(encoder.restEncoder, list.length);
    encoder.writeClient(client);
    encoding.writeVarUint(encoder.restEncoder, (list[0] as Struct).id.clock);
    for (const struct of list) replace(struct).write(encoder, 0);
  }
  const clients = [...deletes].filter(([, ranges]) => ranges.length > 0).sort((a, b) => b[0] - a[0]);
  encoding.writeVarUint(encoder.restEncoder, clients.length);
  for (const [client, ranges] of clients) {
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

/** The encoded size of one struct, roughly (its own bytes, without the client header). */
function structBytes(struct: Struct): number {
  const encoder = new Y.UpdateEncoderV1();
  struct.write(encoder, 0);
  return encoder.toUint8Array().length;
}

/**
 * Splits an update into updates of at most about `maxBytes` each, in order: each client's
 * structs stay in clock order (a client's run may continue in the next part) and the deletes
 * come last. Applied in order — or in any order, by a receiver that keeps what waits — they make
 * the same document as the whole. An update that fits is returned as it is; a single struct
 * larger than `maxBytes` becomes a part of its own.
 */
export function splitUpdate(update: Uint8Array, maxBytes: number): Uint8Array[] {
  if (update.length <= maxBytes) return [update];
  const { structs, ds } = Y.decodeUpdate(update);
  const parts: Uint8Array[] = [];
  let current: Struct[] = [];
  let size = 0;
  const HEADER_BYTES = 16; // a client's section header, at most
  for (const struct of structs) {
    const bytes = structBytes(struct) + HEADER_BYTES;
    if (current.length > 0 && size + bytes > maxBytes) {
      parts.push(encodeStructs(current));
      current = [];
      size = 0;
    }
    current.push(struct);
    size += bytes;
  }
  const deletes = encodeStructs([], ds.clients);
  if (current.length > 0 && size + deletes.length <= maxBytes) parts.push(encodeStructs(current, ds.clients));
  else {
    if (current.length > 0) parts.push(encodeStructs(current));
    parts.push(deletes);
  }
  return parts;
}
