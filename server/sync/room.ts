/**
 * One board document in memory and the peers editing it. Knows the y-websocket protocol and the
 * store, nothing of HTTP, WebSocket libraries or socket.io: a peer is anything that can `send`
 * a frame and `close`. Nor does it know of other processes: an extension (server/cluster/) hears
 * of what it stores through hooks, and hands it what the others stored.
 *
 * Incoming frames are queued and handled in batches ("flushes"). A flush applies every queued
 * frame to the document, appends what changed to the store as one merged update, and only then
 * sends anything: the broadcast of the merged update, answers to sync requests and the changed
 * awareness states. So nothing leaves the server before it is durable, a burst of edits costs one
 * write and one frame per peer, and awareness from many peers goes out as one frame.
 *
 * Nothing a peer sends reaches the document unchecked (docs/sync.md, "What the server accepts"):
 * each update passes the guard (guard.ts) and the board's limits — bytes and structs, counting
 * what waits — and content whose dependencies are missing waits outside the document
 * (pending.ts). Presence entries belong to whoever introduced them (awareness.ts). Should Yjs still
 * fail on something, the room stops at once and keeps the last good stored state.
 */
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { convertTexts } from '../../shared/board/text';
import type { AnswerRights } from '../../shared/session/readyfocus';
import type { Role } from '../../shared/session/state';
import { CLOSE } from '../../shared/sync';
import { TokenBucket } from '../lib/rate-limit';
import type { Store, StoredDoc } from '../storage/store';
import { hideAnonymousEditing, namesAnonymousAuthor, type AnonymousQuestions } from './anonymous';
import { MAX_AWARENESS_IDS_PER_OWNER, ownAwareness } from './awareness';
import { answerRightsRefusal } from './answer-rights';
import { Compaction } from './compaction';
import { flushWaitMs, processLoad } from './pacing';
import { checkUpdate, needsMet, sanitizeStored, type DocRules } from './guard';
import { MAX_PENDING_PER_SENDER, overtaken, PendingUpdates, type PendingUpdate } from './pending';
import {
  decodeMessage,
  encodeAwareness,
  encodeSyncAnswer,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeUpdate,
} from './protocol';

export interface SyncPeer {
  /** Who is connected, when the connection carried a token. */
  readonly participantId: string | null;
  /** A connection without a token has participant rights (docs/sync.md#connecting). */
  readonly role: Role;
  send(frame: Uint8Array): void;
  close(code: number, reason: string): void;
}

/**
 * Whether a peer may change a board's document now (docs/sync.md#lock `lock`). The sync plane does not know
 * the lock: the composition root (server/main.ts) asks the meeting.
 */
export type EditPolicy = (boardId: string, peer: SyncPeer) => boolean;

/**
 * What an extension (server/cluster/doc-relay.ts: other processes on the same store) is told by a
 * room, and may answer. A room alone has none: every hook is optional.
 */
export interface DocRoomExtension {
  /** A batch of changes was stored (it goes to this room's peers now). */
  stored?(update: Uint8Array): void;
  /** This room's peers changed presence entries: the encoded awareness update of those entries. */
  awarenessChangedHere?(update: Uint8Array): void;
  /**
   * Before a compaction: the sequence number through which stored updates may be folded into the
   * snapshot (every update up to it must be in the document by then). Without it: the last update
   * this room stored, since alone everything stored is its own.
   */
  compactThrough?(): Promise<number>;
  /** The room takes no more news (it is closing, or broken). */
  stopped?(): void;
}

export interface RoomOptions {
  /** Snapshot the document after this many stored updates. */
  compactAfterUpdates: number;
  /** A document this large accepts no new content (close 4413). */
  maxDocBytes: number;
  /**
   * A document with this many structs accepts no new content (close 4413): what it costs in memory
   * follows its structs, not its bytes.
   */
  maxDocItems: number;
  /** What an update must respect to reach the document (guard.ts). */
  rules: DocRules;
  /**
   * The longest wait between two flushes of one board. The wait grows with the number of peers
   * and with how busy the process is, up to this (pacing.ts): a small board flushes almost at
   * once, a crowded one on a busy server batches, so the frames a board sends stay bounded however
   * many edit at once.
   */
  flushIntervalMs: number;
  /** The shortest time between two awareness broadcasts of one board (presence, cursors). */
  awarenessIntervalMs: number;
  /** Who may change the document now (default: every peer). */
  mayEdit?: EditPolicy;
  /** The board's answer rights (docs/sync.md#answer-rights; default: everyone may change every answer). */
  answerRights?: (boardId: string) => AnswerRights;
  /** The board's anonymous questions (anonymous.ts; default: none). */
  anonymousQuestions?: AnonymousQuestions;
  log: (message: string, error?: unknown) => void;
  /** Whether a storing error means the disk (or the database) is full. */
  isStorageFull?: (error: unknown) => boolean;
}

/** The origin of the server's own conversion of an older board's texts (docs/sync.md#text-fields). */
const CONVERSION = Symbol('text conversion');

/** The origin of a clean stored snapshot applied after the room answered from it (stored already). */
const LOADED = Symbol('stored snapshot');

const NO_QUESTIONS: ReadonlySet<string> = new Set();

/** The origin of what another process stored (already durable: broadcast, never stored again). */
const REMOTE = Symbol('another process');

/** A content update from someone who may not edit now (the board is locked). */
class LockedError extends Error {}
/** A content update to a document already at its size limit. */
class DocTooLargeError extends Error {}
/** An update that breaks the board's rules (guard.ts): refused for good. */
class RefusedError extends Error {}
/** An update that cannot be integrated as it is (it waited too long, or was overtaken): resync. */
class ResyncError extends Error {}
/** Yjs failed while integrating: the document can no longer be trusted. */
class BrokenDocError extends Error {}

/** The error that closes a peer whose update the guard refused, with the code that says why. */
function refusal(verdict: { reason: string; unseen?: true; unreadable?: true }): Error {
  if (verdict.unreadable) return new Error(verdict.reason);
  return verdict.unseen ? new ResyncError(verdict.reason) : new RefusedError(verdict.reason);
}

/**
 * The largest answer made for one joiner alone; beyond, joiners get the shared encoding of the
 * whole document (one copy per version, however many ask).
 */
const OWN_ANSWER_MAX_BYTES = 64 * 1024;

/**
 * A clean snapshot at least this large is answered from before it is applied (smaller ones apply
 * in well under a millisecond: they are applied at once, as any other).
 */
const ANSWER_BEFORE_APPLY_MIN_BYTES = 64 * 1024;

/**
 * The longest a clean snapshot waits, unapplied, for the sync requests of the connections opening
 * it (docs/sync.md#cold-boards): a client sends its request as soon as it is connected, so this
 * only bounds one that does not.
 */
const ANSWER_BEFORE_APPLY_WAIT_MS = 1_000;

/** Awareness is cursors and presence: a few updates a second per peer is plenty; more is dropped. */
const AWARENESS_LIMIT = { burst: 20, perSecond: 10 };

const NO_IDS: readonly number[] = [];

/**
 * What a room keeps for one peer, in one small object (a board may hold hundreds of peers): the
 * awareness client ids it controls (removed when it leaves; usually one, so a plain array rather
 * than a set) and its awareness budget.
 */
class PeerState extends TokenBucket {
  ids: readonly number[] = NO_IDS;

  constructor() {
    super(AWARENESS_LIMIT);
  }

  add(id: number): void {
    // A literal or concat is allocated to size; a spread or push would reserve room for 17.
    if (!this.ids.includes(id)) this.ids = this.ids.length === 0 ? [id] : this.ids.concat(id);
  }

  remove(id: number): void {
    if (this.ids.includes(id)) this.ids = this.ids.filter((owned) => owned !== id);
  }
}

export class DocRoom {
  readonly boardId: string;
  readonly #doc: Y.Doc;
  readonly awareness: awarenessProtocol.Awareness;
  /** Set by the registry: called once if storing fails and the room can no longer be used. */
  onBroken: (() => void) | undefined;

  readonly #store: Store;
  readonly #options: RoomOptions;
  /** Each peer with what the room keeps for it (its awareness ids and budget). */
  readonly #peers = new Map<SyncPeer, PeerState>();
  /** Who introduced each awareness client id: a participant id, or the connection itself. */
  readonly #awarenessOwners = new Map<number, unknown>();
  readonly #awarenessOwned = new Map<unknown, number>();
  readonly #pending = new PendingUpdates<SyncPeer>();
  #pendingTimer: NodeJS.Timeout | null = null;
  /** How many structs the document holds, at most (counted exactly when near the limit). */
  #docItems = 0;
  /**
   * The sync answer for a joiner that has nothing, shared until the document changes — held
   * weakly: while a connection still has it queued it is one copy for all, and once every
   * connection has sent it an idle board does not keep it.
   */
  #wholeState: WeakRef<Uint8Array> | null = null;
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
  /** Awareness changed here (by our peers), which an extension must hear of. */
  #awarenessChangedHere = new Set<number>();
  #extension: DocRoomExtension = {};
  readonly #compaction: Compaction;
  #flushScheduled = false;
  #lastFlushAt = 0;
  #lastAwarenessAt = 0;
  #awarenessTimer: NodeJS.Timeout | null = null;
  /** The flush under way; what arrives meanwhile waits for the next one (see `#runFlush`). */
  #flushing: Promise<void> | null = null;
  #inFlush = false;
  /** The last update stored (by this room, or before it loaded). */
  #lastSeq: number;
  #closed = false;
  /** The conversion of an older board's texts made at load, until it is stored. */
  #conversion: Uint8Array | null = null;
  /** Whether loading applied everything stored and left nothing out. */
  readonly #loadedExactly: boolean;
  /**
   * A clean stored snapshot (StoredDoc.clean) not applied yet: the first joiners are answered
   * from it, and it is applied right after, before anything needs the document (`doc`).
   */
  #unapplied: Uint8Array | null = null;
  /** Whether a joiner with a state vector was already answered by diffing the stored bytes. */
  #diffedUnapplied = false;
  /** Called once the document holds what was stored (see `afterApply`). */
  #onApplied: Array<() => void> = [];
  /** Connections opening the room whose sync request the unapplied snapshot waits to answer. */
  #expectedAnswers = 0;
  /** The stored snapshot broke Yjs when applied: the room stopped. */
  #failedToApply = false;

  constructor(boardId: string, store: Store, stored: StoredDoc, options: RoomOptions) {
    this.boardId = boardId;
    this.#store = store;
    this.#options = options;
    this.#lastSeq = stored.lastSeq;
    // A document stored before the guard is snapshotted again once checked, when the room closes.
    // So is a snapshot not known to be clean, so that its next load may answer from its bytes.
    this.#compaction = new Compaction(
      boardId,
      store,
      options,
      stored.checked && (stored.clean === true || !stored.snapshot)
        ? stored.updates.length
        : stored.updates.length + 1,
    );
    this.#docBytes = (stored.snapshot?.length ?? 0) + stored.updates.reduce((sum, u) => sum + u.length, 0);

    if (
      stored.checked &&
      stored.clean === true &&
      stored.snapshot &&
      stored.snapshot.length >= ANSWER_BEFORE_APPLY_MIN_BYTES &&
      stored.updates.length === 0
    ) {
      // Nothing to check, convert or leave out: the document is the snapshot. The first joiners
      // are answered from its bytes (`answerEarly`), and it is applied right after them: on the
      // turn after their answers, on the first use of `doc`, or after ANSWER_BEFORE_APPLY_WAIT_MS,
      // whichever comes first (docs/sync.md#cold-boards).
      this.#doc = new Y.Doc();
      this.#unapplied = stored.snapshot;
      this.#loadedExactly = true;
      // Whoever opens the room this turn says so (`expectAnswer`): with nobody, apply next turn.
      setImmediate(() => {
        if (this.#expectedAnswers === 0) this.#applyStoredSnapshot();
      });
      setTimeout(() => this.#applyStoredSnapshot(), ANSWER_BEFORE_APPLY_WAIT_MS).unref();
    } else {
      const loaded = loadStoredDoc(boardId, stored, options);
      this.#doc = loaded.doc;
      this.#loadedExactly = loaded.exact;
      // Texts of an older board (or written by stock clients) become Y.Text before anyone syncs, so
      // that editors merge from the start (docs/sync.md#text-fields); stored by the first flush.
      const before = Y.encodeStateVector(this.#doc);
      if (convertTexts(this.#doc, CONVERSION) > 0) {
        this.#conversion = Y.encodeStateAsUpdate(this.#doc, before);
        this.#scheduleFlush();
      }
      this.#docItems = countItems(this.#doc);
    }
    // A checked snapshot with nothing after it is the whole document as loaded: the first joiners
    // get it as it was read, instead of the document encoded once more (held weakly, as below).
    if (
      stored.checked &&
      stored.snapshot &&
      stored.updates.length === 0 &&
      !this.#conversion &&
      this.#loadedExactly
    ) {
      this.#wholeState = new WeakRef(encodeSyncAnswer(stored.snapshot));
    }
    this.#doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === LOADED) return;
      this.#wholeState = null;
      (origin === REMOTE ? this.#fromElsewhere : this.#unstored).push(update);
      this.#scheduleFlush();
    });

    this.awareness = new awarenessProtocol.Awareness(this.#doc);
    this.awareness.setLocalState(null);
    this.awareness.on(
      'update',
      (change: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
        const controlled = this.#peers.get(origin as SyncPeer);
        if (controlled) {
          for (const id of change.added) controlled.add(id);
          for (const id of change.removed) controlled.remove(id);
        }
        for (const id of [...change.added, ...change.updated, ...change.removed]) {
          this.#awarenessChanged.add(id);
          if (origin !== REMOTE && this.#extension.awarenessChangedHere) this.#awarenessChangedHere.add(id);
        }
        this.#scheduleFlush();
      },
    );
  }

  /**
   * The board's document, holding everything stored. Reading it applies a snapshot the room was
   * still answering from, so whoever reads it (a peer's edit, presence, the lock's and answer
   * rights' checks, the meeting, HTTP readers) sees the whole board.
   */
  get doc(): Y.Doc {
    if (this.#unapplied) this.#applyStoredSnapshot();
    if (this.#failedToApply) throw new BrokenDocError('the stored snapshot breaks Yjs');
    return this.#doc;
  }

  /**
   * Runs `callback` once the document holds what was stored: now, or when it is applied — or when
   * the room stops before (see `closed`).
   */
  afterApply(callback: () => void): void {
    if (this.#unapplied) this.#onApplied.push(callback);
    else callback();
  }

  /** Resolves once the document holds what was stored (or the room stopped): see `afterApply`. */
  applied(): Promise<void> {
    return new Promise((resolve) => this.afterApply(resolve));
  }

  /**
   * A connection opening the room will send a sync request: the stored snapshot waits for it
   * (at most ANSWER_BEFORE_APPLY_WAIT_MS) before it is applied. Call the function returned once it
   * was answered, or joined, or closed.
   */
  expectAnswer(): () => void {
    if (!this.#unapplied) return () => undefined;
    this.#expectedAnswers += 1;
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.#expectedAnswers -= 1;
      // Next turn: the answer is on its way first.
      if (this.#expectedAnswers === 0) setImmediate(() => this.#applyStoredSnapshot());
    };
  }

  /**
   * The answer to a connection's sync request that arrives while the board is being opened for it
   * (before it joins): taken from the stored snapshot if the room still answers from it, else null
   * (the request waits, and is answered once the connection joins).
   */
  answerEarly(frame: Uint8Array): Uint8Array | null {
    const snapshot = this.#unapplied;
    if (!snapshot || this.#closed) return null;
    let message: ReturnType<typeof decodeMessage>;
    try {
      message = decodeMessage(frame);
    } catch {
      return null; // the room refuses it once the connection joins
    }
    if (message.kind !== 'sync-step1') return null;
    return this.#answerFromStored(snapshot, message.stateVector);
  }

  /** Applies a clean snapshot the room answered from (see `#unapplied`); once. */
  #applyStoredSnapshot(): void {
    const snapshot = this.#unapplied;
    if (!snapshot) return;
    this.#unapplied = null;
    if (this.#closed) return this.#appliedOrStopped();
    const doc = this.#doc;
    try {
      Y.applyUpdate(doc, snapshot, LOADED);
      if (doc._transactionCleanups.length > 0) throw new Error('Yjs left a transaction unfinished');
    } catch (error) {
      this.#failedToApply = true;
      this.#fail('the stored snapshot breaks Yjs', error);
      return this.#appliedOrStopped();
    }
    if (doc.store.pendingStructs || doc.store.pendingDs) {
      // Not clean after all: what was sent with it waits on every joiner's side, harmlessly.
      doc.store.pendingStructs = null;
      doc.store.pendingDs = null;
      this.#options.log(`board ${this.boardId}: left out stored content whose dependencies never arrived`);
    }
    this.#docItems = countItems(doc);
    // Clean means nothing to convert; should a store say so wrongly, the conversion goes out as
    // an edit (stored, and sent to whoever already has the snapshot).
    if (convertTexts(doc, CONVERSION) > 0) {
      this.#options.log(`board ${this.boardId}: a snapshot stored as clean held texts to convert`);
    }
    // Our state vector, which joiners so far have not had (see `join`).
    const step1 = encodeSyncStep1(doc);
    for (const peer of this.#peers.keys()) peer.send(step1);
    this.#appliedOrStopped();
  }

  #appliedOrStopped(): void {
    for (const callback of this.#onApplied.splice(0)) callback();
  }

  get peerCount(): number {
    return this.#peers.size;
  }

  #anonymousQuestions(): ReadonlySet<string> {
    return this.#options.anonymousQuestions?.(this.boardId) ?? NO_QUESTIONS;
  }

  /** Structs in the document (what its memory follows). */
  get itemCount(): number {
    return this.#docItems;
  }

  /** The sequence number of the last update stored, by this room or before it loaded. */
  get lastSeq(): number {
    return this.#lastSeq;
  }

  /** Whether the room was closed or broke (it takes nothing more). */
  get closed(): boolean {
    return this.#closed;
  }

  /** Adds what a room alone does not do (server/cluster/doc-relay.ts); once, right after loading. */
  extend(extension: DocRoomExtension): void {
    this.#extension = extension;
  }

  /**
   * What another process stored (already checked and durable there): applied and sent to our
   * peers, never stored again. Returns false when the room is closed, or when the update broke the
   * document (the room then stops, as for a failed store); throws only if it cannot be read.
   */
  applyStored(update: Uint8Array): boolean {
    if (this.#closed) return false;
    try {
      this.#apply(update, REMOTE);
      this.#docItems = countItems(this.#doc);
      return true;
    } catch (error) {
      if (!(error instanceof BrokenDocError)) throw error;
      this.#fail('applying what another process stored failed', error);
      return false;
    }
  }

  /** Presence entries another process's peers set: sent to our peers, never back. */
  applyRemoteAwareness(update: Uint8Array): void {
    if (this.#closed) return;
    awarenessProtocol.applyAwarenessUpdate(this.awareness, update, REMOTE);
  }

  join(peer: SyncPeer): void {
    this.#peers.set(peer, new PeerState());
    // Our state vector, so that the peer sends what we lack (edits it made offline); sent once the
    // stored snapshot is applied, if it is not yet (nothing is lacking before).
    if (!this.#unapplied) peer.send(encodeSyncStep1(this.#doc));
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
    // What it waited to deliver can only be completed by itself.
    this.#pending.dropSender(peer);
    const controlled = this.#peers.get(peer);
    if (!controlled) return;
    this.#peers.delete(peer);
    // Ids owned by the connection itself are free again; a participant's stay theirs.
    if (this.#awarenessOwned.delete(peer)) {
      for (const [id, owner] of this.#awarenessOwners) if (owner === peer) this.#awarenessOwners.delete(id);
    }
    if (controlled.ids.length > 0) {
      awarenessProtocol.removeAwarenessStates(this.awareness, [...controlled.ids], null);
    }
  }

  /** Closes the connections of a participant (removed from the board): their token is void. */
  disconnect(participantId: string, code: number, reason: string): void {
    for (const peer of [...this.#peers.keys()]) {
      if (peer.participantId !== participantId) continue;
      this.#refused.add(peer);
      this.leave(peer);
      peer.close(code, reason);
    }
  }

  /** Resolves once everything received so far is stored and sent. */
  /**
   * Whether the document holds as much as its limits allow (docs/security.md#the-boards-document):
   * what the server writes for someone's request (an answer, a check-in record) is refused then,
   * as a client's update would be. Counts structs exactly; bytes as stored so far.
   */
  isFull(): boolean {
    this.#docItems = countItems(this.doc);
    return this.#overLimits(0, 1);
  }

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
    this.#extension.stopped?.();
    if (this.#compaction.behind) await this.#compact();
    this.#closed = true;
    if (this.#awarenessTimer) clearTimeout(this.#awarenessTimer);
    if (this.#pendingTimer) clearTimeout(this.#pendingTimer);
    this.#pending.clear();
    this.awareness.destroy();
    this.#unapplied = null;
    this.#appliedOrStopped();
    this.#doc.destroy();
  }

  /**
   * At most one flush per `flushIntervalMs`: a quiet board flushes at once (next turn of the event
   * loop); a crowded one gathers everything that arrives meanwhile into the next flush, so N peers
   * editing cost one write and one frame per peer per interval, not per message.
   */
  #scheduleFlush(): void {
    if (this.#flushScheduled || this.#closed || this.#inFlush) return;
    this.#flushScheduled = true;
    const interval = flushWaitMs(this.#peers.size, processLoad.busy(), this.#options.flushIntervalMs);
    const wait = this.#lastFlushAt + interval - Date.now();
    if (wait <= 0) setImmediate(() => void this.#runFlush());
    else setTimeout(() => void this.#runFlush(), wait);
  }

  #runFlush(): Promise<void> {
    if (this.#flushing) return this.#flushing;
    this.#flushScheduled = false;
    this.#inFlush = true;
    this.#flushing = this.#flush()
      .catch((error: unknown) => this.#fail('storing an update failed', error))
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
        if (error instanceof BrokenDocError) {
          this.#fail('an update broke the document', error);
          return;
        }
        this.#refuse(peer, error);
      }
    }
    for (const expired of this.#pending.takeExpired()) {
      this.#refuse(expired.sender, new ResyncError('what it needs never arrived'));
    }
    if (this.#pending.size > 0) this.#wakeForExpiry();

    if (this.#conversion) await this.#storeConversion(this.#conversion);
    if (this.#closed) return;

    const updates = this.#unstored;
    this.#unstored = [];
    const outgoing: Uint8Array[] = [];
    if (updates.length > 0) {
      const merged = updates.length === 1 ? (updates[0] as Uint8Array) : Y.mergeUpdates(updates);
      this.#lastSeq = await this.#store.appendUpdates(this.boardId, [merged]);
      if (this.#closed) return;
      this.#compaction.counted();
      this.#docBytes += merged.length;
      outgoing.push(merged);
      // Stored first, then told to whoever extends the room (other processes).
      this.#extension.stored?.(merged);
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
    // The first joiners have their answer from the stored bytes: now the document.
    this.#applyStoredSnapshot();

    // Awareness (about four fifths of all traffic) goes out at most every awarenessIntervalMs:
    // changes gather meanwhile and leave as one frame per peer.
    if (this.#awarenessChanged.size > 0) {
      const wait = this.#lastAwarenessAt + this.#options.awarenessIntervalMs - Date.now();
      if (wait <= 0) {
        this.#lastAwarenessAt = Date.now();
        const changed = [...this.#awarenessChanged];
        this.#awarenessChanged.clear();
        this.#broadcast(encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed)));
        if (this.#awarenessChangedHere.size > 0) {
          const here = [...this.#awarenessChangedHere];
          this.#awarenessChangedHere.clear();
          this.#extension.awarenessChangedHere?.(
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
      case 'sync-step1': {
        // From the stored bytes, sent at once: they are durable, and nothing was applied since.
        const early = this.#unapplied && this.#answerFromStored(this.#unapplied, message.stateVector);
        if (early) peer.send(early);
        else replies.push([peer, this.#syncAnswer(message.stateVector)]);
        break;
      }
      case 'update':
        this.#offer(peer, message.update, present);
        break;
      case 'awareness': {
        // Only the sender's own entries, and only news, count against its budget; a flood of it
        // is dropped, not stored anywhere: the peer stays connected.
        const owner = peer.participantId ?? peer;
        const claimsLeft = MAX_AWARENESS_IDS_PER_OWNER - (this.#awarenessOwned.get(owner) ?? 0);
        const { update, claimed } = ownAwareness(
          this.awareness,
          message.update,
          owner,
          this.#awarenessOwners,
          claimsLeft,
          peer.participantId,
        );
        if (!update || this.#peers.get(peer)?.take() === false) break;
        for (const id of claimed) this.#awarenessOwners.set(id, owner);
        if (claimed.length > 0)
          this.#awarenessOwned.set(owner, (this.#awarenessOwned.get(owner) ?? 0) + claimed.length);
        awarenessProtocol.applyAwarenessUpdate(
          this.awareness,
          hideAnonymousEditing(this.doc, update, this.#anonymousQuestions()),
          peer,
        );
        break;
      }
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

  /**
   * What a joiner with `stateVector` lacks. Most joiners lack nearly everything: they share one
   * encoding of the whole document, so a hundred joiners (or a hundred that never read) cost one
   * copy, not a hundred. A reconnecting peer that lacks little gets its own small answer; an answer
   * made for one peer is never kept if it is large (whatever state vector it claims): the shared
   * one goes instead, since receiving what one already has changes nothing.
   */
  #syncAnswer(stateVector: Uint8Array): Uint8Array {
    const theirs = Y.decodeStateVector(stateVector);
    let ours = 0;
    let lacking = 0;
    for (const [client, structs] of this.doc.store.clients) {
      const last = structs[structs.length - 1];
      const end = last ? last.id.clock + last.length : 0;
      ours += end;
      lacking += Math.max(0, end - (theirs.get(client) ?? 0));
    }
    if (lacking * 2 < ours) {
      const answer = encodeSyncStep2(this.doc, stateVector);
      if (answer.length <= OWN_ANSWER_MAX_BYTES) return answer;
    }
    let whole = this.#wholeState?.deref();
    if (!whole) {
      whole = encodeSyncStep2(this.doc, new Uint8Array([0]));
      this.#wholeState = new WeakRef(whole);
    }
    return whole;
  }

  /**
   * What `#syncAnswer` would give, taken from the stored snapshot before it is applied: the shared
   * copy of it for a joiner that has nothing (or too little for an answer of its own), else what
   * it lacks, diffed from the bytes — for one joiner per load (diffing costs a good part of
   * applying); null for the next ones, answered once the document is applied.
   */
  #answerFromStored(snapshot: Uint8Array, stateVector: Uint8Array): Uint8Array | null {
    if (Y.decodeStateVector(stateVector).size > 0) {
      if (this.#diffedUnapplied) return null;
      this.#diffedUnapplied = true;
      const lacking = Y.diffUpdate(snapshot, stateVector);
      if (lacking.length <= OWN_ANSWER_MAX_BYTES) return encodeSyncAnswer(lacking);
    }
    let whole = this.#wholeState?.deref();
    if (!whole) {
      whole = encodeSyncAnswer(snapshot);
      this.#wholeState = new WeakRef(whole);
    }
    return whole;
  }

  /** An update from a peer: applied, kept waiting, or refused (closing that peer). */
  #offer(peer: SyncPeer, update: Uint8Array, present: boolean): void {
    const verdict = checkUpdate(this.doc, update, this.#options.rules, this.#pending.coversOf(peer));
    switch (verdict.kind) {
      case 'refuse':
        throw refusal(verdict);
      case 'wait':
        // Nobody is left to deliver what it waits for.
        if (!present) return;
        if (this.#pending.countOf(peer) >= MAX_PENDING_PER_SENDER) {
          throw new ResyncError('too many updates waiting for what they need');
        }
        if (this.#overLimits(update.length, verdict.structs)) throw new DocTooLargeError();
        this.#pending.add(this.doc, { sender: peer, update, ...verdict });
        this.#wakeForExpiry();
        return;
      case 'apply':
        this.#integrate(peer, update, verdict.structs);
        this.#integrateReady();
    }
  }

  /** Applies a checked update from `peer`, under the lock and the size rules. */
  #integrate(peer: SyncPeer, update: Uint8Array, structs: number): void {
    // While locked, a participant's update that would change anything closes its connection
    // (4423); its client keeps the edit and sends it again once the lock lifts. An update that
    // changes nothing (e.g. a reconnect's sync answer) is harmless and accepted.
    const mayEdit = this.#options.mayEdit?.(this.boardId, peer) ?? true;
    if (!mayEdit && this.#changesDoc(update)) throw new LockedError();
    const wrong = answerRightsRefusal(this.doc, update, peer, this.#options.answerRights?.(this.boardId));
    if (wrong) throw new RefusedError(wrong);
    const named = namesAnonymousAuthor(this.doc, update, this.#anonymousQuestions());
    if (named) throw new RefusedError(named);
    if (this.#overLimits(update.length, structs) && this.#changesDoc(update)) throw new DocTooLargeError();
    this.#apply(update, peer);
    this.#docItems += structs;
  }

  /** Integrates the waiting updates that can be now, each checked again as if it just arrived. */
  #integrateReady(): void {
    for (;;) {
      const ready = this.#pending.takeReady((entry) => needsMet(this.doc, entry.needs));
      if (ready.length === 0) return;
      for (const entry of ready) {
        if (this.#refused.has(entry.sender)) continue;
        try {
          this.#integrateWaiting(entry);
        } catch (error) {
          if (error instanceof BrokenDocError) throw error;
          this.#refuse(entry.sender, error);
        }
      }
    }
  }

  #integrateWaiting(entry: PendingUpdate<SyncPeer>): void {
    // Someone else delivered this client's content meanwhile: Yjs would skip the update's own
    // structs and still apply its deletes. Its sender resyncs instead.
    if (overtaken(this.doc, entry)) throw new ResyncError('its content arrived from elsewhere meanwhile');
    const verdict = checkUpdate(
      this.doc,
      entry.update,
      this.#options.rules,
      this.#pending.coversOf(entry.sender),
    );
    if (verdict.kind === 'refuse') throw refusal(verdict);
    if (verdict.kind === 'wait') {
      this.#pending.add(
        this.doc,
        { sender: entry.sender, update: entry.update, ...verdict },
        entry.arrivedAt,
      );
      return;
    }
    this.#integrate(entry.sender, entry.update, verdict.structs);
  }

  /**
   * Applies an update Yjs is expected to integrate whole. If Yjs throws, or leaves a transaction
   * unfinished (after which the document silently stops emitting updates), the document cannot
   * be trusted any more: BrokenDocError, and the room stops.
   */
  #apply(update: Uint8Array, origin: unknown): void {
    const unstored = this.#unstored.length;
    try {
      Y.applyUpdate(this.doc, update, origin);
    } catch (error) {
      this.#unstored.length = unstored;
      throw new BrokenDocError('Yjs failed on an update', { cause: error });
    }
    if (this.doc._transactionCleanups.length > 0) {
      this.#unstored.length = unstored;
      throw new BrokenDocError('Yjs left a transaction unfinished');
    }
    const store = this.doc.store;
    if ((store.pendingStructs || store.pendingDs) && origin !== REMOTE) {
      // The guard and Yjs disagree on what is complete: nothing may wait inside the document.
      store.pendingStructs = null;
      store.pendingDs = null;
      this.#options.log(`board ${this.boardId}: dropped content that Yjs kept waiting`);
    }
  }

  /**
   * Stores the conversion made at load. Everyone who syncs already has it (it was made before
   * anyone joined), so it is told only to other processes. On a full disk it stays in memory only:
   * the board can still be opened and read, and a later load converts again, to the same texts.
   */
  async #storeConversion(conversion: Uint8Array): Promise<void> {
    this.#conversion = null;
    try {
      this.#lastSeq = await this.#store.appendUpdates(this.boardId, [conversion]);
    } catch (error) {
      if (this.#options.isStorageFull?.(error) !== true) throw error;
      return;
    }
    if (this.#closed) return;
    this.#compaction.counted();
    this.#docBytes += conversion.length;
    this.#extension.stored?.(conversion);
  }

  /** Closes a peer whose update the room would not take, with the code that says why. */
  #refuse(peer: SyncPeer, error: unknown): void {
    if (this.#refused.has(peer)) return;
    this.#refused.add(peer);
    this.leave(peer);
    if (error instanceof LockedError) peer.close(CLOSE.locked, 'board locked');
    else if (error instanceof DocTooLargeError) peer.close(CLOSE.docTooLarge, 'board full');
    else if (error instanceof RefusedError) peer.close(CLOSE.refused, truncateReason(error.message));
    else if (error instanceof ResyncError) peer.close(CLOSE.resync, truncateReason(error.message));
    else {
      this.#options.log(`board ${this.boardId}: closed a peer that sent an unreadable frame`, error);
      peer.close(CLOSE.badMessage, 'unreadable message');
    }
  }

  /** Makes sure a flush runs when the oldest waiting update expires. */
  #wakeForExpiry(): void {
    const at = this.#pending.nextExpiry;
    if (at === null || this.#pendingTimer) return;
    this.#pendingTimer = setTimeout(
      () => {
        this.#pendingTimer = null;
        this.#scheduleFlush();
      },
      Math.max(0, at - Date.now()) + 1,
    );
    this.#pendingTimer.unref();
  }

  /**
   * Whether `bytes` and `structs` more (besides what waits) would take the document past its
   * limits. Counted exactly only when the running upper bounds say it might.
   */
  #overLimits(bytes: number, structs: number): boolean {
    const { maxDocBytes, maxDocItems } = this.#options;
    const waiting = this.#pending;
    if (this.#docBytes + waiting.bytes + bytes > maxDocBytes) {
      this.#docBytes = Y.encodeStateAsUpdate(this.doc).length;
      if (this.#docBytes + waiting.bytes + bytes > maxDocBytes) return true;
    }
    if (this.#docItems + waiting.structs + structs > maxDocItems) {
      this.#docItems = countItems(this.doc);
      if (this.#docItems + waiting.structs + structs > maxDocItems) return true;
    }
    return false;
  }

  /** Whether applying `update` would change the document (O(document): only on rare paths). */
  #changesDoc(update: Uint8Array): boolean {
    return !Y.snapshotContainsUpdate(Y.snapshot(this.doc), update);
  }

  #broadcast(frame: Uint8Array): void {
    for (const peer of this.#peers.keys()) peer.send(frame);
  }

  /**
   * Storing failed, or the document broke: what is in memory may be ahead of the disk, or wrong.
   * Every peer is disconnected (each keeps its edits and sends them again on reconnect) and the
   * room refuses further work; the registry then loads the board afresh from the store, which
   * holds the last good state. A full disk says so, so that clients wait longer before retrying.
   */
  #fail(what: string, error: unknown): void {
    if (this.#closed) return;
    // A full store reports itself, once a minute (server/storage/full.ts): no line per board.
    const full = this.#options.isStorageFull?.(error) === true;
    if (!full) this.#options.log(`board ${this.boardId}: ${what}; disconnecting its peers`, error);
    const [code, reason] = full
      ? [CLOSE.storageFull, 'storage full']
      : [CLOSE.serverError, 'storage failure'];
    for (const peer of [...this.#peers.keys()]) peer.close(code, reason);
    this.#peers.clear();
    this.#inbox = [];
    this.#unstored = [];
    this.#pending.clear();
    this.#closed = true;
    if (this.#awarenessTimer) clearTimeout(this.#awarenessTimer);
    if (this.#pendingTimer) clearTimeout(this.#pendingTimer);
    this.#extension.stopped?.();
    this.awareness.destroy();
    this.#unapplied = null;
    this.#appliedOrStopped();
    this.onBroken?.();
  }

  #maybeCompact(): void {
    if (!this.#compaction.due) return;
    // Off the hot path: after the sends of this flush have gone out.
    setTimeout(() => void this.#compact(), 0);
  }

  async #compact(): Promise<void> {
    if (this.#compaction.running || this.#flushing) return;
    // Alone, every update stored is this room's own, and in the document.
    const snapshot = await this.#compaction.run(
      this.doc,
      () => this.#extension.compactThrough?.() ?? this.#lastSeq,
    );
    if (!snapshot) return;
    this.#docBytes = snapshot.length;
    this.#docItems = countItems(this.doc);
  }
}

/** Structs in a document: what its memory follows. O(clients). */
export function countItems(doc: Y.Doc): number {
  let count = 0;
  for (const structs of doc.store.clients.values()) count += structs.length;
  return count;
}

/** Close reasons are limited to 123 bytes by the WebSocket protocol. */
function truncateReason(reason: string): string {
  return reason.length > 100 ? `${reason.slice(0, 99)}…` : reason;
}

/**
 * A stored document, loaded so that nothing in it can harm the server. A snapshot the guard checked
 * (`stored.checked`) is applied as it is, and the updates stored after it pass the guard again
 * (cheap: they are few, and small). Anything older is merged into one
 * update, cleaned of what breaks the rules (content stored before the rules existed, or by
 * another tool) and applied. Either way, anything still waiting for dependencies that will never
 * come is dropped. Throws when the document cannot be read or breaks Yjs.
 */
function loadStoredDoc(
  boardId: string,
  stored: StoredDoc,
  options: RoomOptions,
): { doc: Y.Doc; exact: boolean } {
  let exact = true;
  const parts = [stored.snapshot, ...stored.updates].filter((part): part is Uint8Array => part !== null);
  const doc = new Y.Doc();
  if (stored.checked) {
    // The snapshot as it is; the few updates after it through the guard, as they came.
    if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
    let refused = 0;
    for (const update of stored.updates) {
      const verdict = checkUpdate(doc, update, options.rules);
      if (verdict.kind === 'refuse') refused += 1;
      else Y.applyUpdate(doc, update);
    }
    if (refused > 0) {
      exact = false;
      options.log(`board ${boardId}: left out ${refused} stored updates that break the board's rules`);
    }
  } else if (parts.length > 0) {
    const { update, dropped } = sanitizeStored(mergeReadable(boardId, parts, options), options.rules);
    if (dropped > 0) {
      exact = false;
      options.log(`board ${boardId}: left out ${dropped} stored items that break the board's rules`);
    }
    Y.applyUpdate(doc, update);
  }
  if (doc._transactionCleanups.length > 0)
    throw new Error(`board ${boardId}: the stored document breaks Yjs`);
  if (doc.store.pendingStructs || doc.store.pendingDs) {
    exact = false;
    doc.store.pendingStructs = null;
    doc.store.pendingDs = null;
    options.log(`board ${boardId}: left out stored content whose dependencies never arrived`);
  }
  return { doc, exact };
}

/** The stored updates as one; one that cannot be read must not cost the rest. */
function mergeReadable(boardId: string, parts: readonly Uint8Array[], options: RoomOptions): Uint8Array {
  try {
    return parts.length === 1 ? (parts[0] as Uint8Array) : Y.mergeUpdates([...parts]);
  } catch {
    const readable = parts.filter((part) => {
      try {
        Y.decodeUpdate(part);
        return true;
      } catch {
        return false;
      }
    });
    options.log(`board ${boardId}: skipped stored updates that cannot be read`);
    return Y.mergeUpdates(readable);
  }
}
