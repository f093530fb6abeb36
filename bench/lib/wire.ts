/**
 * The y-websocket wire format, written by hand for the lightweight clients (no Y.Doc per client):
 *
 *   [varuint 0 sync][varuint 0 step1 | 1 step2 | 2 update][varUint8Array payload]
 *   [varuint 1 awareness][varUint8Array awareness update]
 *
 * Hocuspocus speaks the same messages, each prefixed with the document name (varString) and after
 * an authentication message (`[name][2 auth][0 token][varString token]`); its replies to a
 * client's step 1 come as type 4 ("sync reply").
 *
 * Edits carry their id in the text they write (`#BX#` + 8 base-36 digits), so a receiver finds
 * the ids in any update frame, merged or not, with a byte search and no Yjs decoding.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';

export type Dialect = 'y-websocket' | 'hocuspocus';

export const MSG = { sync: 0, awareness: 1, auth: 2, queryAwareness: 3, syncReply: 4 } as const;
export const STEP = { step1: 0, step2: 1, update: 2 } as const;

export const MARKER = Buffer.from('#BX#');
const ID_DIGITS = 8;
/** What each edit writes after its id, about the size of a short answer card. */
export const FILLER = 'an answer card being edited by a participant';

export function markerText(id: number, filler: string): string {
  return `#BX#${id.toString(36).padStart(ID_DIGITS, '0')} ${filler}`;
}

/** Calls `found` with every edit id written in `frame` (from `from` on). */
export function scanEditIds(frame: Buffer, from: number, found: (id: number) => void): void {
  let at = frame.indexOf(MARKER, from);
  while (at !== -1) {
    const start = at + MARKER.length;
    const id = parseInt(frame.toString('latin1', start, start + ID_DIGITS), 36);
    if (Number.isFinite(id)) found(id);
    at = frame.indexOf(MARKER, start + ID_DIGITS);
  }
}

export class Framer {
  readonly dialect: Dialect;
  readonly #prefix: Uint8Array;

  constructor(dialect: Dialect, documentName: string) {
    this.dialect = dialect;
    const encoder = encoding.createEncoder();
    if (dialect === 'hocuspocus') encoding.writeVarString(encoder, documentName);
    this.#prefix = encoding.toUint8Array(encoder);
  }

  #frame(write: (encoder: encoding.Encoder) => void): Uint8Array {
    const encoder = encoding.createEncoder();
    encoding.writeUint8Array(encoder, this.#prefix);
    write(encoder);
    return encoding.toUint8Array(encoder);
  }

  /** Hocuspocus only: the first message, which opens the document (any token is accepted). */
  auth(token: string): Uint8Array {
    return this.#frame((encoder) => {
      encoding.writeVarUint(encoder, MSG.auth);
      encoding.writeVarUint(encoder, 0);
      encoding.writeVarString(encoder, token);
    });
  }

  sync(step: number, payload: Uint8Array): Uint8Array {
    return this.#frame((encoder) => {
      encoding.writeVarUint(encoder, MSG.sync);
      encoding.writeVarUint(encoder, step);
      encoding.writeVarUint8Array(encoder, payload);
    });
  }

  awareness(update: Uint8Array): Uint8Array {
    return this.#frame((encoder) => {
      encoding.writeVarUint(encoder, MSG.awareness);
      encoding.writeVarUint8Array(encoder, update);
    });
  }

  /** Where the message starts (after the document name), its type and, for sync, its step. */
  head(frame: Uint8Array): { type: number; step: number; offset: number } {
    const decoder = decoding.createDecoder(frame);
    if (this.dialect === 'hocuspocus') decoding.readVarString(decoder);
    const type = decoding.readVarUint(decoder);
    const step = type === MSG.sync || type === MSG.syncReply ? decoding.readVarUint(decoder) : -1;
    return { type, step, offset: decoder.pos };
  }
}

/** An empty document's update and state vector: what a client with no edits sends in step 2/1. */
export const EMPTY_UPDATE = Y.encodeStateAsUpdate(new Y.Doc());
export const EMPTY_STATE_VECTOR = Y.encodeStateVector(new Y.Doc());

/** One awareness update for one client: [1 entry][clientID][clock][JSON state]. */
export function awarenessUpdate(clientId: number, clock: number, state: string): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 1);
  encoding.writeVarUint(encoder, clientId);
  encoding.writeVarUint(encoder, clock);
  encoding.writeVarString(encoder, state);
  return encoding.toUint8Array(encoder);
}

/**
 * The root map the bench edits. Atelier refuses roots its board layout does not have (an unknown
 * root closes the sender with 4422), so the edits go to `cards`, as keys of its own that the
 * board's readers skip; the peers take any root.
 */
export const BENCH_ROOT = 'cards';

/**
 * A client's edits, prebuilt with a real Y.Doc before the measurement: edit k sets
 * `cards[c<clientId>]` to a text carrying id `firstId + k` (each edit replaces the previous one).
 */
export function prebuildEdits(clientId: number, count: number, firstId: number): Uint8Array[] {
  const doc = new Y.Doc();
  doc.clientID = clientId;
  const updates: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => updates.push(update));
  const map = doc.getMap<string>(BENCH_ROOT);
  for (let k = 0; k < count; k++) {
    map.set(`c${clientId}`, markerText(firstId + k, FILLER));
  }
  doc.destroy();
  return updates;
}
