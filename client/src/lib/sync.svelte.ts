/**
 * The board document's connection (docs/sync.md#connecting): a stock y-websocket provider with the join token,
 * a copy in IndexedDB (so edits made offline survive a reload), and what the connection indicator
 * needs — its status and how many of my changes wait to sync.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { online } from 'svelte/reactivity/window';
import { IndexeddbPersistence } from 'y-indexeddb';
import { messageSync, WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { isLoaded } from '../../../shared/board/read';
import { CLOSE, MAX_SYNC_FRAME_BYTES, TERMINAL_CLOSE_CODES } from '../../../shared/sync';
import { splitUpdate } from '../../../shared/updates';
import { isLocalOrigin } from './undo';
import { reconnectDelay, STORAGE_FULL_BACKOFF } from './reconnect';
import { storage, type Stored } from './storage';

/** Failed connection attempts in a row after which the page says it is offline. */
const OFFLINE_AFTER_FAILED_ATTEMPTS = 3;
/** Sync steps of the y-websocket protocol (y-protocols/sync). */
const SYNC_STEP1 = 0;
const SYNC_STEP2 = 1;
const SYNC_UPDATE = 2;
/** A connection that stays open this long after a full disk means my edits were stored. */
const STORED_AFTER_MS = 5_000;
/** Parts of a large sync answer stay this far under the server's frame limit. */
const ANSWER_PART_BYTES = MAX_SYNC_FRAME_BYTES - 64 * 1024;

/** What the browser says of its network, reactively where something renders it. */
function browserOnline(): boolean {
  return online.current ?? navigator.onLine;
}

export type SyncStatus = 'connecting' | 'connected' | 'reconnecting' | 'offline' | 'paused';
export type SyncFailure = 'unknown_board' | 'bad_token' | 'too_large' | 'refused' | 'unreadable';

export class SyncConnection {
  readonly doc = new Y.Doc();
  readonly #provider: WebsocketProvider;
  readonly #local: IndexeddbPersistence | null;
  readonly #unsyncedKept: Stored<number>;
  /** The copy kept in this browser has been read (the board shows before the server answers). */
  #localLoaded = $state(false);
  #connected = $state(false);
  #synced = $state(false);
  #everSynced = $state(false);
  #unsynced = $state(0);
  #failure = $state<SyncFailure | null>(null);
  /** The server closed us for editing while the board is locked (4423): wait for the lock to lift. */
  #pausedByLock = $state(false);
  /** Connection attempts that ended without a sync since the last one that did. */
  #failedAttempts = $state(0);
  #reconnectAttempts = 0;
  /** The server's disk is full (4507): edits stay here, and reconnects are spaced further apart. */
  #storageFull = $state(false);
  #storageFullAttempts = 0;
  #reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  #destroyed = false;
  readonly #cleanups: Array<() => void> = [];

  constructor(boardId: string, token: string) {
    this.#unsyncedKept = storage.unsynced(boardId);
    this.#unsynced = this.#unsyncedKept.get();
    // Private windows and some browsers have no IndexedDB: the board then lives on the server only.
    this.#local =
      typeof indexedDB === 'undefined' ? null : new IndexeddbPersistence(`atelier:${boardId}`, this.doc);
    void this.#local?.whenSynced.then(() => (this.#localLoaded = true));
    const origin = location.origin.replace(/^http/, 'ws');
    this.#provider = new WebsocketProvider(`${origin}/sync`, boardId, this.doc, {
      params: { token },
      // Every close by the server comes to the 'closed' handler below, which decides: stop and
      // say why, wait for the lock to lift, or reconnect after a jittered delay (reconnect.ts)
      // so that a room of clients does not come back in the same instant after a restart.
      shouldReconnect: () => false,
    });
    this.#answerInParts();
    this.#provider.on('status', ({ status }) => {
      this.#connected = status === 'connected';
      if (!this.#connected) this.#synced = false;
    });
    this.#provider.on('connection-close', () => {
      if (!this.#synced) this.#failedAttempts += 1;
    });
    this.#provider.on('connection-error', () => {
      if (!this.#connected) this.#failedAttempts += 1;
    });
    this.#provider.on('sync', (synced: boolean) => {
      this.#synced = synced;
      if (!synced) return;
      this.#everSynced = true;
      this.#failedAttempts = 0;
      this.#reconnectAttempts = 0;
      if (!this.#storageFull) {
        // The reconnect sync exchanged everything I made meanwhile.
        this.#setUnsynced(0);
        return;
      }
      // After a full disk, what I sent is stored only if the server keeps the connection open.
      setTimeout(() => {
        if (!this.#connected || !this.#synced) return;
        this.#storageFull = false;
        this.#storageFullAttempts = 0;
        this.#setUnsynced(0);
      }, STORED_AFTER_MS);
    });
    this.#provider.on('closed', ({ code }) => {
      if (code === CLOSE.locked) this.#pausedByLock = true;
      else if (code === CLOSE.docTooLarge) this.#failure = 'too_large';
      else if (code === CLOSE.unknownBoard) this.#failure = 'unknown_board';
      else if (code === CLOSE.refused) this.#failure = 'refused';
      else if (code === CLOSE.boardUnreadable) this.#failure = 'unreadable';
      else if (TERMINAL_CLOSE_CODES.includes(code)) this.#failure = 'bad_token';
      else if (code === CLOSE.storageFull) {
        this.#storageFull = true;
        this.#reconnectLater(reconnectDelay(this.#storageFullAttempts++, Math.random, STORAGE_FULL_BACKOFF));
      } else this.#reconnectLater();
    });

    const countLocal = (_update: Uint8Array, origin: unknown): void => {
      if (isLocalOrigin(origin) && !(this.#connected && this.#synced)) this.#setUnsynced(this.#unsynced + 1);
    };
    this.doc.on('update', countLocal);
    this.#cleanups.push(() => this.doc.off('update', countLocal));

    // The browser knows before the socket does (a socket can look open for a while on a dead
    // network): going offline drops the connection at once, coming back reconnects at once.
    // (What the page shows reads `online` from svelte/reactivity/window, a createSubscriber
    // source over the same events: these listeners act, whether or not anything is on screen.)
    const cameOnline = (): void => {
      if (!this.#pausedByLock) this.#provider.connect();
    };
    const wentOffline = (): void => {
      this.#provider.disconnect();
    };
    addEventListener('online', cameOnline);
    addEventListener('offline', wentOffline);
    this.#cleanups.push(() => {
      removeEventListener('online', cameOnline);
      removeEventListener('offline', wentOffline);
    });
  }

  get status(): SyncStatus {
    if (!browserOnline()) return 'offline';
    if (this.#connected && this.#synced) return 'connected';
    if (this.#pausedByLock) return 'paused';
    // The browser may not know (a dead network, a server that is down): several failed attempts
    // in a row mean offline for the person in front of the screen.
    if (this.#failedAttempts >= OFFLINE_AFTER_FAILED_ATTEMPTS) return 'offline';
    return this.#everSynced ? 'reconnecting' : 'connecting';
  }

  /**
   * The server asks for what this browser has that it lacks (sync step 1). The stock provider
   * answers in one frame, which for a large offline backlog can pass the server's frame limit:
   * here a large answer goes as several updates, each under the limit, in order.
   */
  #answerInParts(): void {
    const provider = this.#provider;
    const answer = provider.messageHandlers[messageSync];
    if (!answer) return;
    provider.messageHandlers[messageSync] = (encoder, decoder, _self, emitSynced, messageType) => {
      const start = decoder.pos;
      if (decoding.readVarUint(decoder) !== SYNC_STEP1) {
        decoder.pos = start;
        answer(encoder, decoder, provider, emitSynced, messageType);
        return;
      }
      const update = Y.encodeStateAsUpdate(provider.doc, decoding.readVarUint8Array(decoder));
      const parts = splitUpdate(update, ANSWER_PART_BYTES);
      parts.forEach((part, index) => {
        const frame = encoding.createEncoder();
        encoding.writeVarUint(frame, messageSync);
        encoding.writeVarUint(frame, index === 0 && parts.length === 1 ? SYNC_STEP2 : SYNC_UPDATE);
        encoding.writeVarUint8Array(frame, part);
        provider.ws?.send(encoding.toUint8Array(frame));
      });
      // The provider sends what the handler wrote into `encoder`: nothing, here.
    };
  }

  #reconnectLater(delay = reconnectDelay(this.#reconnectAttempts++)): void {
    if (this.#reconnectTimer) return;
    this.#reconnectTimer = setTimeout(() => {
      this.#reconnectTimer = null;
      if (browserOnline() && !this.#destroyed) this.#provider.connect();
    }, delay);
  }

  /** Kept in this browser too, so a reload while offline still shows what waits. */
  #setUnsynced(count: number): void {
    this.#unsynced = count;
    if (count === 0) this.#unsyncedKept.remove();
    else this.#unsyncedKept.set(count);
  }

  /** Presence on this board's connection (docs/sync.md#presence): who edits which text. */
  get awareness(): WebsocketProvider['awareness'] {
    return this.#provider.awareness;
  }

  /** The server's disk is full: edits are kept in this browser until there is space again. */
  get storageFull(): boolean {
    return this.#storageFull;
  }

  /** Local changes made while not in sync with the server. */
  get unsynced(): number {
    return this.#unsynced;
  }

  /** Set when the server refused the connection for good (docs/sync.md#close-codes: the client stops and says why). */
  get failure(): SyncFailure | null {
    return this.#failure;
  }

  /** True once the board's content is here: from the server, or from this browser's copy. */
  get loaded(): boolean {
    return this.#everSynced || (this.#localLoaded && isLoaded(this.doc));
  }

  /** The lock lifted: reconnect, and the edits kept meanwhile merge (docs/sync.md#lock). */
  resumeAfterLock(): void {
    if (!this.#pausedByLock) return;
    this.#pausedByLock = false;
    this.#provider.connect();
  }

  destroy(): void {
    this.#destroyed = true;
    if (this.#reconnectTimer) clearTimeout(this.#reconnectTimer);
    for (const cleanup of this.#cleanups) cleanup();
    this.#provider.destroy();
    void this.#local?.destroy();
    this.doc.destroy();
  }
}
