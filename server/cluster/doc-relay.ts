/**
 * Board documents across processes (docs/running.md#several-processes), as an extension of each DocRoom (server/sync/room.ts):
 * what a room stores and what its peers' presence becomes go out on the bus; what the others say
 * comes in. Pub/sub may drop a message, so a room also re-reads what was stored since its cursor,
 * every `catchUpMs`: a lost update shows at the latest one interval later.
 *
 * The room knows none of this: it calls its hooks and takes what is given to it (`applyStored`,
 * `applyRemoteAwareness`).
 */
import * as Y from 'yjs';
import type { Store } from '../storage/store';
import type { DocRoom, DocRoomExtension } from '../sync/room';
import { channel, type Bus } from './bus';
import { decodeDocMessage, encodeDocMessage, type DocMessage } from './messages';

/** How often a board re-reads what the others stored (the default of CATCH_UP_MS). */
export const CATCH_UP_MS = 2_000;

export interface DocRelayOptions {
  /** How often a board re-reads what the others stored (a message may be lost). */
  catchUpMs?: number;
  log: (message: string, error?: unknown) => void;
}

/** The extension to give each DocRoom as it loads (`DocRoomsOptions.extend`). */
export function relayDocs(
  bus: Bus,
  store: Store,
  options: DocRelayOptions,
): (room: DocRoom) => DocRoomExtension {
  return (room) => new DocRelay(room, bus, store, options);
}

/** One board's document, shared with the other processes. */
export class DocRelay implements DocRoomExtension {
  readonly #room: DocRoom;
  readonly #bus: Bus;
  readonly #store: Store;
  readonly #catchUpMs: number;
  readonly #log: DocRelayOptions['log'];
  /**
   * Every stored update up to this sequence number is in the document. Only reading the store
   * moves it: our own appends do not prove that the others' earlier ones reached us.
   */
  #cursor: number;
  /**
   * The cursor at the previous compaction. Compactions here fold only up to it: the others'
   * cursors are seconds behind ours, and they catch up from the updates kept instead of
   * downloading the whole snapshot each time one process compacts.
   */
  #compactedCursor: number;
  readonly #unsubscribe: () => void;
  #timer: NodeJS.Timeout | null = null;
  #stopped = false;

  constructor(room: DocRoom, bus: Bus, store: Store, options: DocRelayOptions) {
    this.#room = room;
    this.#bus = bus;
    this.#store = store;
    this.#catchUpMs = options.catchUpMs ?? CATCH_UP_MS;
    this.#log = options.log;
    this.#cursor = room.lastSeq;
    this.#compactedCursor = room.lastSeq;
    this.#unsubscribe = bus.subscribe(channel.doc(room.boardId), (kind, payload) => {
      const read = decodeDocMessage(kind, payload);
      if (read.ok) this.#heard(read.message);
      else
        this.#log(`board ${room.boardId}: dropped a malformed message from another process (${read.reason})`);
    });
    this.#scheduleCatchUp();
  }

  stored(update: Uint8Array): void {
    // Stored first, then told (a message the bus drops, `catchUp` finds).
    this.#publish({ type: 'update', update });
  }

  awarenessChangedHere(update: Uint8Array): void {
    this.#publish({ type: 'awareness', update });
  }

  async compactThrough(): Promise<number> {
    // Updates the others stored may not have reached us yet: read them first, so that the
    // snapshot holds every update it lets the store drop.
    await this.catchUp();
    const through = this.#compactedCursor;
    this.#compactedCursor = this.#cursor;
    return through;
  }

  stopped(): void {
    this.#stopped = true;
    this.#unsubscribe();
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }

  /**
   * Reads what was stored since the cursor (by any process) and applies it: a message the bus
   * dropped is found here, at the latest one catch-up interval later.
   */
  async catchUp(): Promise<void> {
    const room = this.#room;
    if (room.closed) return;
    try {
      const since = await this.#store.loadDocSince(room.boardId, this.#cursor);
      if (room.closed) return;
      // A snapshot (another process compacted past our cursor) is mostly known already: only
      // what we lack is applied — parsing is far cheaper than integrating a whole board again.
      const snapshot = since.snapshot && Y.diffUpdate(since.snapshot, Y.encodeStateVector(room.doc));
      for (const update of [snapshot, ...since.updates]) if (update && !room.applyStored(update)) return;
      this.#cursor = Math.max(this.#cursor, since.lastSeq);
    } catch (error) {
      this.#log(`board ${room.boardId}: catching up from the store failed`, error);
    }
  }

  #heard(message: DocMessage): void {
    try {
      if (message.type === 'update') this.#room.applyStored(message.update);
      else this.#room.applyRemoteAwareness(message.update);
    } catch (error) {
      this.#log(`board ${this.#room.boardId}: skipped an unreadable message from another process`, error);
    }
  }

  #publish(message: DocMessage): void {
    this.#bus.publish(channel.doc(this.#room.boardId), ...encodeDocMessage(message));
  }

  #scheduleCatchUp(): void {
    this.#timer = setTimeout(() => {
      void this.catchUp().finally(() => {
        if (!this.#stopped && !this.#room.closed) this.#scheduleCatchUp();
      });
    }, this.#catchUpMs);
  }
}
