/**
 * Updates that wait for content the board does not have yet (docs/sync.md, "What the server
 * accepts"). Yjs would keep such content inside the document — uncounted, sent to every joiner,
 * stored with every snapshot, and able to strike later. Here it waits outside the document, per
 * sender, counted against the board's limits, for at most `PENDING_TTL_MS`; it is checked again
 * by the guard, and meets the lock and the size rules, only when what it needs has arrived.
 *
 * A sender's honest reasons to wait are short: a live edit that overtook its own offline backlog,
 * or one chunk of a split backlog before the next. Nothing else is ever kept.
 */
import * as Y from 'yjs';
import type { ClockRange, Need } from './guard';

/** How long an update may wait for what it needs. */
export const PENDING_TTL_MS = 10_000;
/** Updates one sender may have waiting at once (a split offline backlog is a few dozen chunks). */
export const MAX_PENDING_PER_SENDER = 64;

export interface PendingUpdate<P> {
  readonly sender: P;
  readonly update: Uint8Array;
  readonly structs: number;
  readonly needs: readonly Need[];
  /** Per client, the clocks this update brings (what a later delete of the sender may name). */
  readonly brings: ReadonlyMap<number, ClockRange>;
  /** Per client of `brings`, where the document stood when the update arrived. */
  readonly statesAtArrival: ReadonlyMap<number, number>;
  readonly arrivedAt: number;
}

export class PendingUpdates<P> {
  #entries: Array<PendingUpdate<P>> = [];
  #bytes = 0;
  #structs = 0;

  get size(): number {
    return this.#entries.length;
  }
  /** Bytes waiting, counted against the board's size limit. */
  get bytes(): number {
    return this.#bytes;
  }
  /** Structs waiting, counted against the board's item limit. */
  get structs(): number {
    return this.#structs;
  }

  countOf(sender: P): number {
    let count = 0;
    for (const entry of this.#entries) if (entry.sender === sender) count += 1;
    return count;
  }

  /** Per client, the end of what `sender` has waiting (deletes of it may wait too). */
  coversOf(sender: P): Map<number, number> {
    const covers = new Map<number, number>();
    for (const entry of this.#entries) {
      if (entry.sender !== sender) continue;
      for (const [client, { end }] of entry.brings)
        covers.set(client, Math.max(end, covers.get(client) ?? 0));
    }
    return covers;
  }

  add(doc: Y.Doc, entry: Omit<PendingUpdate<P>, 'statesAtArrival' | 'arrivedAt'>, now = Date.now()): void {
    const statesAtArrival = new Map<number, number>();
    for (const client of entry.brings.keys()) statesAtArrival.set(client, Y.getState(doc.store, client));
    this.#entries.push({ ...entry, statesAtArrival, arrivedAt: now });
    this.#bytes += entry.update.length;
    this.#structs += entry.structs;
  }

  /** Removes and returns the entries of `sender` (it left, or was closed). */
  dropSender(sender: P): Array<PendingUpdate<P>> {
    return this.#take((entry) => entry.sender === sender);
  }

  /** Removes and returns the entries that waited too long. */
  takeExpired(now = Date.now()): Array<PendingUpdate<P>> {
    return this.#take((entry) => now - entry.arrivedAt > PENDING_TTL_MS);
  }

  /** Removes and returns the entries whose needs are all in the document now. */
  takeReady(isReady: (entry: PendingUpdate<P>) => boolean): Array<PendingUpdate<P>> {
    return this.#take(isReady);
  }

  /** When the oldest entry expires (null: nothing waits). */
  get nextExpiry(): number | null {
    const oldest = this.#entries[0];
    return oldest ? oldest.arrivedAt + PENDING_TTL_MS : null;
  }

  clear(): void {
    this.#take(() => true);
  }

  #take(match: (entry: PendingUpdate<P>) => boolean): Array<PendingUpdate<P>> {
    const taken: Array<PendingUpdate<P>> = [];
    const kept: Array<PendingUpdate<P>> = [];
    for (const entry of this.#entries) (match(entry) ? taken : kept).push(entry);
    if (taken.length === 0) return taken;
    this.#entries = kept;
    for (const entry of taken) {
      this.#bytes -= entry.update.length;
      this.#structs -= entry.structs;
    }
    return taken;
  }
}

/**
 * Whether someone else delivered content of a client this update brings since it arrived: the
 * update's own structs would then be skipped by Yjs while its deletes still apply, so it must not
 * be integrated as it is. (Its sender resyncs instead.)
 */
export function overtaken<P>(doc: Y.Doc, entry: PendingUpdate<P>): boolean {
  for (const [client, before] of entry.statesAtArrival) {
    const start = entry.brings.get(client)?.start ?? before;
    if (Y.getState(doc.store, client) > Math.max(before, start)) return true;
  }
  return false;
}
