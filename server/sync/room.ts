/**
 * One board document in memory and the peers editing it. Knows the y-websocket protocol and the
 * store, nothing of HTTP, WebSocket libraries or socket.io: a peer is anything that can `send`
 * a frame and `close`.
 *
 * Incoming frames are queued and handled in batches ("flushes"). A flush applies every queued
 * frame to the document, appends what changed to the store as one merged update, and only then
 * sends anything: the broadcast of the merged update, answers to sync requests and the changed
 * awareness states. So nothing leaves the server before it is durable, a burst of edits costs one
 * write and one frame per peer, and awareness from many peers goes out as one frame.
 */
import * as decoding from 'lib0/decoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import type { Role } from '../../shared/session/state';
import { CLOSE } from '../../shared/sync';
import { TokenBucket } from '../lib/rate-limit';
import type { Store, StoredDoc } from '../storage/store';
import { channel, type Bus } from '../cluster/bus';
import { decodeMessage, encodeAwareness, encodeSyncStep1, encodeSyncStep2, encodeUpdate } from './protocol';

export interface SyncPeer {
  /** Who is connected, when the connection carried a token. */
  readonly participantId: string | null;
  /** A connection without a token has participant rights (SPEC §5). */
  readonly role: Role;
  send(frame: Uint8Array): void;
  close(code: number, reason: string): void;
}

export interface RoomOptions {
  /** Snapshot the document after this many stored updates. */
  compactAfterUpdates: number;
  /** A document this large accepts no new content (SPEC §5: close 4413). */
  maxDocBytes: number;
  /**
   * The longest wait between two flushes of one board. The wait grows with the number of peers
   * (FLUSH_MS_PER_PEER each) up to this: a small board flushes almost at once, a crowded one
   * batches, so the frames a board sends stay bounded however many edit at once.
   */
  flushIntervalMs: number;
  /** The shortest time between two awareness broadcasts of one board (presence, cursors). */
  awarenessIntervalMs: number;
  /** Several processes: the bus to share updates and awareness with the others (null: alone). */
  bus: Bus | null;
  /** Several processes: how often a board re-reads what others stored (a message may be lost). */
  catchUpMs: number;
  log: (message: string, error?: unknown) => void;
}

/** Whether an awareness update has any entry newer than what the room holds (else a no-op echo). */
function carriesNewAwareness(awareness: awarenessProtocol.Awareness, update: Uint8Array): boolean {
  const decoder = decoding.createDecoder(update);
  const count = decoding.readVarUint(decoder);
  for (let i = 0; i < count; i++) {
    const clientId = decoding.readVarUint(decoder);
    const clock = decoding.readVarUint(decoder);
    decoding.readVarString(decoder);
    const known = awareness.meta.get(clientId);
    if (!known || known.clock < clock) return true;
  }
  return false;
}

/** The origin of what another process stored (already durable: broadcast, never stored again). */
const REMOTE = Symbol('another process');
/** Bus message kinds on a board's document channel. */
const BUS = { update: 0, awareness: 1 } as const;

/** A content update from someone who may not edit now (the board is locked). */
class LockedError extends Error {}
/** A content update to a document already at its size limit. */
class DocTooLargeError extends Error {}

/** See `RoomOptions.flushIntervalMs`: 100 peers wait 5 ms between flushes, 400 or more 20 ms. */
const FLUSH_MS_PER_PEER = 0.05;

/** Awareness is cursors and presence: a few updates a second per peer is plenty; more is dropped. */
const AWARENESS_LIMIT = { burst: 20, perSecond: 10 };

export class DocRoom {
  readonly boardId: string;
  readonly doc: Y.Doc;
  readonly awareness: awarenessProtocol.Awareness;
  /** Set by the registry: called once if storing fails and the room can no longer be used. */
  onBroken: (() => void) | undefined;
  /** Whether a peer may change the document now; the session plane sets it (the board's lock). */
  mayEdit: (peer: SyncPeer) => boolean = () => true;

  readonly #store: Store;
  readonly #options: RoomOptions;
  /** Each peer with the awareness client ids it controls (removed when it leaves). */
  readonly #peers = new Map<SyncPeer, Set<number>>();
  readonly #awarenessBudget = new Map<SyncPeer, TokenBucket>();
  /** Peers closed for a frame we refused: what they sent after it is not applied. */
  readonly #refused = new WeakSet<SyncPeer>();
  /** An upper bound of the document's encoded size: stored bytes since the last exact measure. */
  #docBytes: number;
  #inbox: Array<{ peer: SyncPeer; frame: Uint8Array }> = [];
  /** Document changes not yet stored, whatever made them here. */
  #unstored: Uint8Array[] = [];
  /** Changes another process stored: to send to our peers, not to store. */
  #fromElsewhere: Uint8Array[] = [];
  #awarenessChanged = new Set<number>();
  /** Awareness changed here (by our peers), which the other processes must hear of. */
  #awarenessChangedHere = new Set<number>();
  /**
   * Every stored update up to this sequence number is in the document (what a compaction may
   * fold away). Alone, our own appends move it; with other processes, only reading the store.
   */
  #cursor: number;
  #stopListening: (() => void) | null = null;
  #catchUpTimer: NodeJS.Timeout | null = null;
  /** The cursor at the previous compaction (several processes compact one step behind). */
  #compactedCursor: number;
  #flushScheduled = false;
  #lastFlushAt = 0;
  #lastAwarenessAt = 0;
  #awarenessTimer: NodeJS.Timeout | null = null;
  /** The flush under way; what arrives meanwhile waits for the next one (see `#runFlush`). */
  #flushing: Promise<void> | null = null;
  #inFlush = false;
  #lastSeq: number;
  #updatesSinceSnapshot: number;
  #compacting = false;
  #closed = false;

  constructor(boardId: string, store: Store, stored: StoredDoc, options: RoomOptions) {
    this.boardId = boardId;
    this.#store = store;
    this.#options = options;
    this.#lastSeq = stored.lastSeq;
    this.#cursor = stored.lastSeq;
    this.#compactedCursor = stored.lastSeq;
    this.#updatesSinceSnapshot = stored.updates.length;
    this.#docBytes = (stored.snapshot?.length ?? 0) + stored.updates.reduce((sum, u) => sum + u.length, 0);

    this.doc = new Y.Doc();
    this.doc.transact(() => {
      for (const update of [stored.snapshot, ...stored.updates]) {
        if (!update) continue;
        try {
          Y.applyUpdate(this.doc, update);
        } catch (error) {
          options.log(`board ${boardId}: skipped a stored update that cannot be read`, error);
        }
      }
    });
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      (origin === REMOTE ? this.#fromElsewhere : this.#unstored).push(update);
      this.#scheduleFlush();
    });

    this.awareness = new awarenessProtocol.Awareness(this.doc);
    this.awareness.setLocalState(null);
    this.awareness.on(
      'update',
      (change: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
        const controlled = this.#peers.get(origin as SyncPeer);
        for (const id of change.added) controlled?.add(id);
        for (const id of change.removed) controlled?.delete(id);
        for (const id of [...change.added, ...change.updated, ...change.removed]) {
          this.#awarenessChanged.add(id);
          if (origin !== REMOTE) this.#awarenessChangedHere.add(id);
        }
        this.#scheduleFlush();
      },
    );
  }

  get peerCount(): number {
    return this.#peers.size;
  }

  /** Several processes: hear what the others store and say, and catch up on what was missed. */
  listen(): void {
    const bus = this.#options.bus;
    if (!bus || this.#stopListening) return;
    this.#stopListening = bus.subscribe(channel.doc(this.boardId), (kind, payload) => {
      if (this.#closed) return;
      try {
        if (kind === BUS.update) {
          Y.applyUpdate(this.doc, payload, REMOTE);
        } else if (kind === BUS.awareness) {
          awarenessProtocol.applyAwarenessUpdate(this.awareness, payload, REMOTE);
        }
      } catch (error) {
        this.#options.log(`board ${this.boardId}: skipped an unreadable message from another process`, error);
      }
    });
    const tick = (): void => {
      this.#catchUpTimer = setTimeout(() => {
        void this.catchUp().finally(() => {
          if (!this.#closed) tick();
        });
      }, this.#options.catchUpMs);
    };
    tick();
  }

  /**
   * Reads what was stored since the cursor (by any process) and applies it: a message the bus
   * dropped is found here, at the latest one catch-up interval later.
   */
  async catchUp(): Promise<void> {
    if (this.#closed) return;
    try {
      const since = await this.#store.loadDocSince(this.boardId, this.#cursor);
      if (this.#closed) return;
      // A snapshot (another process compacted past our cursor) is mostly known already: only
      // what we lack is applied — parsing is far cheaper than integrating a whole board again.
      const snapshot = since.snapshot && Y.diffUpdate(since.snapshot, Y.encodeStateVector(this.doc));
      this.doc.transact(() => {
        for (const update of [snapshot, ...since.updates]) if (update) Y.applyUpdate(this.doc, update);
      }, REMOTE);
      this.#cursor = Math.max(this.#cursor, since.lastSeq);
    } catch (error) {
      this.#options.log(`board ${this.boardId}: catching up from the store failed`, error);
    }
  }

  join(peer: SyncPeer): void {
    this.#peers.set(peer, new Set());
    this.#awarenessBudget.set(peer, new TokenBucket(AWARENESS_LIMIT));
    // Our state vector, so that the peer sends what we lack (edits it made offline).
    peer.send(encodeSyncStep1(this.doc));
    const states = this.awareness.getStates();
    if (states.size > 0) {
      peer.send(encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, [...states.keys()])));
    }
  }

  receive(peer: SyncPeer, frame: Uint8Array): void {
    if (!this.#peers.has(peer)) return;
    this.#inbox.push({ peer, frame });
    this.#scheduleFlush();
  }

  leave(peer: SyncPeer): void {
    const controlled = this.#peers.get(peer);
    if (!controlled) return;
    this.#peers.delete(peer);
    this.#awarenessBudget.delete(peer);
    if (controlled.size > 0) {
      awarenessProtocol.removeAwarenessStates(this.awareness, [...controlled], null);
    }
  }

  /** Resolves once everything received so far is stored and sent. */
  async settle(): Promise<void> {
    while (this.#flushing || this.#flushScheduled) {
      await (this.#flushing ?? this.#runFlush());
    }
  }

  /** Stores what is pending, snapshots the document and frees it; peers are told to reconnect. */
  async close(): Promise<void> {
    if (this.#closed) return;
    for (const peer of [...this.#peers.keys()]) peer.close(CLOSE.goingAway, 'board unloaded');
    this.#peers.clear();
    await this.settle();
    this.#stopListening?.();
    this.#stopListening = null;
    if (this.#catchUpTimer) clearTimeout(this.#catchUpTimer);
    if (this.#updatesSinceSnapshot > 0) await this.#compact();
    this.#closed = true;
    if (this.#awarenessTimer) clearTimeout(this.#awarenessTimer);
    this.awareness.destroy();
    this.doc.destroy();
  }

  /**
   * At most one flush per `flushIntervalMs`: a quiet board flushes at once (next turn of the event
   * loop); a busy one gathers everything that arrives meanwhile into the next flush, so N peers
   * editing cost one write and one frame per peer per interval, not per message.
   */
  #scheduleFlush(): void {
    if (this.#flushScheduled || this.#closed || this.#inFlush) return;
    this.#flushScheduled = true;
    const interval = Math.min(this.#options.flushIntervalMs, this.#peers.size * FLUSH_MS_PER_PEER);
    const wait = this.#lastFlushAt + interval - Date.now();
    if (wait <= 0) setImmediate(() => void this.#runFlush());
    else setTimeout(() => void this.#runFlush(), wait);
  }

  #runFlush(): Promise<void> {
    if (this.#flushing) return this.#flushing;
    this.#flushScheduled = false;
    this.#inFlush = true;
    this.#flushing = this.#flush()
      .catch((error: unknown) => this.#fail(error))
      .finally(() => {
        this.#inFlush = false;
        this.#flushing = null;
        if (this.#inbox.length > 0 || this.#unstored.length > 0) this.#scheduleFlush();
        else this.#maybeCompact();
      });
    return this.#flushing;
  }

  async #flush(): Promise<void> {
    const startedAt = Date.now();
    const inbox = this.#inbox;
    this.#inbox = [];
    const replies: Array<[SyncPeer, Uint8Array]> = [];
    for (const { peer, frame } of inbox) {
      if (this.#refused.has(peer)) continue;
      // A peer may have left since its frames arrived: its edits are still stored and shared
      // (a tab closed right after typing loses nothing); only answers and presence are dropped.
      const present = this.#peers.has(peer);
      try {
        this.#handle(peer, frame, replies, present);
      } catch (error) {
        this.#refused.add(peer);
        this.leave(peer);
        if (error instanceof LockedError) {
          peer.close(CLOSE.locked, 'board locked');
        } else if (error instanceof DocTooLargeError) {
          peer.close(CLOSE.docTooLarge, 'board full');
        } else {
          this.#options.log(`board ${this.boardId}: closed a peer that sent an unreadable frame`, error);
          peer.close(CLOSE.badMessage, 'unreadable message');
        }
      }
    }

    const updates = this.#unstored;
    this.#unstored = [];
    const outgoing: Uint8Array[] = [];
    if (updates.length > 0) {
      const merged = updates.length === 1 ? (updates[0] as Uint8Array) : Y.mergeUpdates(updates);
      this.#lastSeq = await this.#store.appendUpdates(this.boardId, [merged]);
      if (!this.#options.bus) this.#cursor = this.#lastSeq;
      this.#updatesSinceSnapshot += 1;
      this.#docBytes += merged.length;
      outgoing.push(merged);
      // Stored first, then told to the other processes (a message the bus drops, `catchUp` finds).
      this.#options.bus?.publish(channel.doc(this.boardId), BUS.update, merged);
    }
    // What other processes stored is sent to our peers with ours, in the same frame.
    if (this.#fromElsewhere.length > 0) {
      outgoing.push(...this.#fromElsewhere);
      this.#fromElsewhere = [];
    }
    if (outgoing.length > 0) {
      // Only flushes that send document changes space the next one out: presence, which arrives
      // about four times as often and has its own pace below, must not hold edits back.
      this.#lastFlushAt = startedAt;
      this.#broadcast(
        encodeUpdate(outgoing.length === 1 ? (outgoing[0] as Uint8Array) : Y.mergeUpdates(outgoing)),
      );
    }
    for (const [peer, reply] of replies) if (this.#peers.has(peer)) peer.send(reply);

    // Awareness (about four fifths of all traffic) goes out at most every awarenessIntervalMs:
    // changes gather meanwhile and leave as one frame per peer.
    if (this.#awarenessChanged.size > 0) {
      const wait = this.#lastAwarenessAt + this.#options.awarenessIntervalMs - Date.now();
      if (wait <= 0) {
        this.#lastAwarenessAt = Date.now();
        const changed = [...this.#awarenessChanged];
        this.#awarenessChanged.clear();
        this.#broadcast(encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed)));
        if (this.#options.bus && this.#awarenessChangedHere.size > 0) {
          const here = [...this.#awarenessChangedHere];
          this.#awarenessChangedHere.clear();
          this.#options.bus.publish(
            channel.doc(this.boardId),
            BUS.awareness,
            awarenessProtocol.encodeAwarenessUpdate(this.awareness, here),
          );
        }
      } else if (!this.#awarenessTimer) {
        this.#awarenessTimer = setTimeout(() => {
          this.#awarenessTimer = null;
          this.#scheduleFlush();
        }, wait);
      }
    }
  }

  #handle(peer: SyncPeer, frame: Uint8Array, replies: Array<[SyncPeer, Uint8Array]>, present: boolean): void {
    const message = decodeMessage(frame);
    if (!present && message.kind !== 'update') return;
    switch (message.kind) {
      case 'sync-step1':
        replies.push([peer, encodeSyncStep2(this.doc, message.stateVector)]);
        break;
      case 'update':
        // While locked, a participant's update that would change anything closes its connection
        // (4423); its client keeps the edit and sends it again once the lock lifts. An update that
        // changes nothing (e.g. a reconnect's sync answer) is harmless and accepted.
        if (!this.mayEdit(peer) && this.#changesDoc(message.update)) throw new LockedError();
        if (this.#atSizeLimit() && this.#changesDoc(message.update)) throw new DocTooLargeError();
        Y.applyUpdate(this.doc, message.update, peer);
        break;
      case 'awareness':
        // Stock providers relay every awareness change they receive back to the server; those
        // echoes carry nothing new and cost nothing. Only news counts against the peer's budget,
        // and a flood of it is dropped, not stored anywhere: the peer stays connected.
        if (!carriesNewAwareness(this.awareness, message.update)) break;
        if (this.#awarenessBudget.get(peer)?.take() === false) break;
        awarenessProtocol.applyAwarenessUpdate(this.awareness, message.update, peer);
        break;
      case 'query-awareness': {
        const clients = [...this.awareness.getStates().keys()];
        replies.push([
          peer,
          encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, clients)),
        ]);
        break;
      }
    }
  }

  /** Whether applying `update` would change the document (O(document): only on rare paths). */
  #changesDoc(update: Uint8Array): boolean {
    return !Y.snapshotContainsUpdate(Y.snapshot(this.doc), update);
  }

  /** Whether the document is at its size limit; measured exactly only when the bound says so. */
  #atSizeLimit(): boolean {
    if (this.#docBytes < this.#options.maxDocBytes) return false;
    this.#docBytes = Y.encodeStateAsUpdate(this.doc).length;
    return this.#docBytes >= this.#options.maxDocBytes;
  }

  #broadcast(frame: Uint8Array): void {
    for (const peer of this.#peers.keys()) peer.send(frame);
  }

  /**
   * Storing failed: what is in memory may be ahead of the disk. Every peer is disconnected (each
   * keeps its edits and sends them again on reconnect) and the room refuses further work; the
   * registry then loads the board afresh from the store.
   */
  #fail(error: unknown): void {
    this.#options.log(`board ${this.boardId}: storing an update failed; disconnecting its peers`, error);
    for (const peer of [...this.#peers.keys()]) peer.close(CLOSE.serverError, 'storage failure');
    this.#peers.clear();
    this.#inbox = [];
    this.#unstored = [];
    this.#closed = true;
    if (this.#awarenessTimer) clearTimeout(this.#awarenessTimer);
    if (this.#catchUpTimer) clearTimeout(this.#catchUpTimer);
    this.#stopListening?.();
    this.awareness.destroy();
    this.onBroken?.();
  }

  #maybeCompact(): void {
    if (this.#updatesSinceSnapshot < this.#options.compactAfterUpdates || this.#compacting) return;
    // Off the hot path: after the sends of this flush have gone out.
    setTimeout(() => void this.#compact(), 0);
  }

  async #compact(): Promise<void> {
    if (this.#compacting || this.#flushing) return;
    this.#compacting = true;
    try {
      // With other processes, updates they stored may not have reached us yet: read them first,
      // so that the snapshot holds every update it lets the store drop (up to the cursor).
      if (this.#options.bus) await this.catchUp();
      // With other processes, the store keeps the updates since our previous compaction: their
      // cursors are seconds behind ours, and they catch up from those updates instead of
      // downloading the whole snapshot each time one process compacts.
      const throughSeq = this.#options.bus ? this.#compactedCursor : this.#cursor;
      this.#compactedCursor = this.#cursor;
      const count = this.#updatesSinceSnapshot;
      const snapshot = Y.encodeStateAsUpdate(this.doc);
      await this.#store.compactDoc(this.boardId, snapshot, throughSeq);
      this.#updatesSinceSnapshot -= count;
      this.#docBytes = snapshot.length;
    } catch (error) {
      this.#options.log(`board ${this.boardId}: compaction failed; updates kept`, error);
    } finally {
      this.#compacting = false;
    }
  }
}
