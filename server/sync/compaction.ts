/**
 * When a board's stored updates are folded into one snapshot, and how. A room counts the updates
 * it appends; once `compactAfterUpdates` have piled up (and when the room closes), the document is
 * encoded whole and the store replaces every update up to a sequence number with it.
 *
 * Which sequence number is not this module's business: alone, everything stored is ours and in the
 * document; with other processes appending to the same store, an extension says (see
 * `DocRoomExtension.compactThrough` in room.ts).
 */
import * as Y from 'yjs';
import type { Store } from '../storage/store';
import { isClean } from './clean';

export interface CompactionOptions {
  /** Snapshot the document after this many stored updates. */
  compactAfterUpdates: number;
  log: (message: string, error?: unknown) => void;
}

export class Compaction {
  readonly #boardId: string;
  readonly #store: Store;
  readonly #options: CompactionOptions;
  #updatesSinceSnapshot: number;
  #running = false;

  /** `storedUpdates`: how many updates the store holds after the last snapshot. */
  constructor(boardId: string, store: Store, options: CompactionOptions, storedUpdates: number) {
    this.#boardId = boardId;
    this.#store = store;
    this.#options = options;
    this.#updatesSinceSnapshot = storedUpdates;
  }

  /** One more update appended since the last snapshot. */
  counted(): void {
    this.#updatesSinceSnapshot += 1;
  }

  /** Whether enough updates piled up for a compaction to start now. */
  get due(): boolean {
    return this.#updatesSinceSnapshot >= this.#options.compactAfterUpdates && !this.#running;
  }

  /** Whether anything was stored since the last snapshot (a closing room compacts then). */
  get behind(): boolean {
    return this.#updatesSinceSnapshot > 0;
  }

  get running(): boolean {
    return this.#running;
  }

  /**
   * Snapshots `doc` and lets the store drop the updates through `through()` (awaited first, so it
   * may bring the document up to date). Resolves with the snapshot, or null when one is already
   * under way or storing it failed (the updates are kept: nothing is lost, the next one retries).
   */
  async run(doc: Y.Doc, through: () => number | Promise<number>): Promise<Uint8Array | null> {
    if (this.#running) return null;
    this.#running = true;
    try {
      const throughSeq = await through();
      const count = this.#updatesSinceSnapshot;
      const snapshot = Y.encodeStateAsUpdate(doc);
      await this.#store.compactDoc(this.#boardId, snapshot, throughSeq, isClean(doc));
      this.#updatesSinceSnapshot -= count;
      return snapshot;
    } catch (error) {
      this.#options.log(`board ${this.#boardId}: compaction failed; updates kept`, error);
      return null;
    } finally {
      this.#running = false;
    }
  }
}
