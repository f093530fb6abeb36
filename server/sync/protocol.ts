/**
 * The y-websocket wire protocol, as this server speaks it. Every frame starts with a varuint
 * message type; sync frames then carry a varuint sync step and a length-prefixed payload.
 *
 *   [0=sync][0=step1][state vector]    peer asks for what it lacks   → we answer step2
 *   [0=sync][1=step2][update]          answer to our step1           → apply
 *   [0=sync][2=update][update]         live edit                     → apply
 *   [1=awareness][awareness update]    presence, cursors             → apply, relay
 *   [3=query awareness]                peer asks for every state     → we answer awareness
 *
 * Unlike y-protocols' readers, a frame that cannot be read throws here instead of being logged
 * and dropped, so the room can close the connection that sent it.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';

export const MESSAGE = { sync: 0, awareness: 1, auth: 2, queryAwareness: 3 } as const;
export const SYNC = { step1: 0, step2: 1, update: 2 } as const;

export type Incoming =
  | { kind: 'sync-step1'; stateVector: Uint8Array }
  | { kind: 'update'; update: Uint8Array }
  | { kind: 'awareness'; update: Uint8Array }
  | { kind: 'query-awareness' };

/** Decodes one frame; throws on anything that is not a well-formed message of a known type. */
export function decodeMessage(frame: Uint8Array): Incoming {
  const decoder = decoding.createDecoder(frame);
  const type = decoding.readVarUint(decoder);
  let message: Incoming;
  if (type === MESSAGE.sync) {
    const step = decoding.readVarUint(decoder);
    const payload = decoding.readVarUint8Array(decoder);
    if (step === SYNC.step1) message = { kind: 'sync-step1', stateVector: payload };
    else if (step === SYNC.step2 || step === SYNC.update) message = { kind: 'update', update: payload };
    else throw new Error(`unknown sync step ${step}`);
  } else if (type === MESSAGE.awareness) {
    message = { kind: 'awareness', update: decoding.readVarUint8Array(decoder) };
  } else if (type === MESSAGE.queryAwareness) {
    message = { kind: 'query-awareness' };
  } else {
    throw new Error(`unknown message type ${type}`);
  }
  if (decoding.hasContent(decoder)) throw new Error('trailing bytes after the message');
  return message;
}

function frame(write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  write(encoder);
  return encoding.toUint8Array(encoder);
}

export function encodeSyncStep1(doc: Y.Doc): Uint8Array {
  return frame((encoder) => {
    encoding.writeVarUint(encoder, MESSAGE.sync);
    encoding.writeVarUint(encoder, SYNC.step1);
    encoding.writeVarUint8Array(encoder, Y.encodeStateVector(doc));
  });
}

export function encodeSyncStep2(doc: Y.Doc, stateVector: Uint8Array): Uint8Array {
  return frame((encoder) => {
    encoding.writeVarUint(encoder, MESSAGE.sync);
    encoding.writeVarUint(encoder, SYNC.step2);
    encoding.writeVarUint8Array(encoder, Y.encodeStateAsUpdate(doc, stateVector));
  });
}

/** A sync answer carrying `update` as it is (e.g. a stored snapshot that is the whole document). */
export function encodeSyncAnswer(update: Uint8Array): Uint8Array {
  return frame((encoder) => {
    encoding.writeVarUint(encoder, MESSAGE.sync);
    encoding.writeVarUint(encoder, SYNC.step2);
    encoding.writeVarUint8Array(encoder, update);
  });
}

export function encodeUpdate(update: Uint8Array): Uint8Array {
  return frame((encoder) => {
    encoding.writeVarUint(encoder, MESSAGE.sync);
    encoding.writeVarUint(encoder, SYNC.update);
    encoding.writeVarUint8Array(encoder, update);
  });
}

export function encodeAwareness(update: Uint8Array): Uint8Array {
  return frame((encoder) => {
    encoding.writeVarUint(encoder, MESSAGE.awareness);
    encoding.writeVarUint8Array(encoder, update);
  });
}
