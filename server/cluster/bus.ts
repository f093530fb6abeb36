/**
 * The bus between Atelier processes (docs/running.md#several-processes): what one process stores and decides reaches the
 * others. One process alone has no bus (`null`): nothing is published, nothing is awaited.
 *
 * A message is `[sender process id][kind][payload]`; a process ignores its own messages (Redis
 * delivers them to every subscriber, the sender's too). Pub/sub may drop a message: receivers
 * never rely on it alone — documents catch up from the store, sessions reload from it.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

export interface Bus {
  /** This process, as other processes see it. */
  readonly processId: string;
  publish(channel: string, kind: number, payload: Uint8Array): void;
  /** Calls `handler` with messages from other processes; returns the unsubscribe. */
  subscribe(
    channel: string,
    handler: (kind: number, payload: Uint8Array, sender: string) => void,
  ): () => void;
  close(): Promise<void>;
}

export function encodeBusMessage(processId: string, kind: number, payload: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarString(encoder, processId);
  encoding.writeVarUint(encoder, kind);
  encoding.writeUint8Array(encoder, payload);
  return encoding.toUint8Array(encoder);
}

export function decodeBusMessage(message: Uint8Array): { sender: string; kind: number; payload: Uint8Array } {
  const decoder = decoding.createDecoder(message);
  const sender = decoding.readVarString(decoder);
  const kind = decoding.readVarUint(decoder);
  return { sender, kind, payload: decoding.readTailAsUint8Array(decoder) };
}

/** Channel names, one per board and plane. */
export const channel = {
  doc: (boardId: string) => `atelier:doc:${boardId}`,
  session: (boardId: string) => `atelier:session:${boardId}`,
};
