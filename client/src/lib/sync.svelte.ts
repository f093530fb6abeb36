/**
 * The board document's connection (SPEC §5): a stock y-websocket provider with the join token,
 * a copy in IndexedDB (so edits made offline survive a reload), and what the connection indicator
 * needs — its status and how many of my changes wait to sync.
 */
import { IndexeddbPersistence } from 'y-indexeddb';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { CLOSE, TERMINAL_CLOSE_CODES } from '../../../shared/sync';
import { LOCAL_ORIGIN } from './board.svelte';
import { reconnectDelay } from './reconnect';

/** Failed connection attempts in a row after which the page says it is offline. */
const OFFLINE_AFTER_FAILED_ATTEMPTS = 3;

export type SyncStatus = 'connecting' | 'connected' | 'reconnecting' | 'offline' | 'paused';
export type SyncFailure = 'unknown_board' | 'bad_token' | 'too_large';

export class SyncConnection {
  readonly doc = new Y.Doc();
  readonly #provider: WebsocketProvider;
  readonly #local: IndexeddbPersistence | null;
  readonly #unsyncedKey: string;
  /** The copy kept in this browser has been read (the board shows before the server answers). */
  #localLoaded = $state(false);
  #connected = $state(false);
  #synced = $state(false);
  #everSynced = $state(false);
  #browserOnline = $state(navigator.onLine);
  #unsynced = $state(0);
  #failure = $state<SyncFailure | null>(null);
  /** The server closed us for editing while the board is locked (4423): wait for the lock to lift. */
  #pausedByLock = $state(false);
  /** Connection attempts that ended without a sync since the last one that did. */
  #failedAttempts = $state(0);
  #reconnectAttempts = 0;
  #reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  #destroyed = false;
  readonly #cleanups: Array<() => void> = [];

  constructor(boardId: string, token: string) {
    this.#unsyncedKey = `atelier:unsynced:${boardId}`;
    this.#unsynced = Number(localStorage.getItem(this.#unsyncedKey) ?? 0) || 0;
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
      if (synced) {
        this.#everSynced = true;
        this.#failedAttempts = 0;
        this.#reconnectAttempts = 0;
        // The reconnect sync exchanged everything I made meanwhile.
        this.#setUnsynced(0);
      }
    });
    this.#provider.on('closed', ({ code }) => {
      if (code === CLOSE.locked) this.#pausedByLock = true;
      else if (code === CLOSE.docTooLarge) this.#failure = 'too_large';
      else if (code === CLOSE.unknownBoard) this.#failure = 'unknown_board';
      else if (TERMINAL_CLOSE_CODES.includes(code)) this.#failure = 'bad_token';
      else this.#reconnectLater();
    });

    const countLocal = (_update: Uint8Array, origin: unknown): void => {
      if (origin === LOCAL_ORIGIN && !(this.#connected && this.#synced))
        this.#setUnsynced(this.#unsynced + 1);
    };
    this.doc.on('update', countLocal);
    this.#cleanups.push(() => this.doc.off('update', countLocal));

    // The browser knows before the socket does (a socket can look open for a while on a dead
    // network): going offline drops the connection at once, coming back reconnects at once.
    const online = (): void => {
      this.#browserOnline = true;
      if (!this.#pausedByLock) this.#provider.connect();
    };
    const offline = (): void => {
      this.#browserOnline = false;
      this.#provider.disconnect();
    };
    addEventListener('online', online);
    addEventListener('offline', offline);
    this.#cleanups.push(() => {
      removeEventListener('online', online);
      removeEventListener('offline', offline);
    });
  }

  get status(): SyncStatus {
    if (!this.#browserOnline) return 'offline';
    if (this.#connected && this.#synced) return 'connected';
    if (this.#pausedByLock) return 'paused';
    // The browser may not know (a dead network, a server that is down): several failed attempts
    // in a row mean offline for the person in front of the screen.
    if (this.#failedAttempts >= OFFLINE_AFTER_FAILED_ATTEMPTS) return 'offline';
    return this.#everSynced ? 'reconnecting' : 'connecting';
  }

  #reconnectLater(): void {
    if (this.#reconnectTimer) return;
    const delay = reconnectDelay(this.#reconnectAttempts++);
    this.#reconnectTimer = setTimeout(() => {
      this.#reconnectTimer = null;
      if (this.#browserOnline && !this.#destroyed) this.#provider.connect();
    }, delay);
  }

  /** Kept in localStorage too, so a reload while offline still shows what waits. */
  #setUnsynced(count: number): void {
    this.#unsynced = count;
    if (count === 0) localStorage.removeItem(this.#unsyncedKey);
    else localStorage.setItem(this.#unsyncedKey, String(count));
  }

  /** Local changes made while not in sync with the server. */
  get unsynced(): number {
    return this.#unsynced;
  }

  /** Set when the server refused the connection for good (SPEC §5: the client stops and says why). */
  get failure(): SyncFailure | null {
    return this.#failure;
  }

  /** True once the board's content is here: from the server, or from this browser's copy. */
  get loaded(): boolean {
    return this.#everSynced || (this.#localLoaded && this.doc.getMap('meta').size > 0);
  }

  /** The lock lifted: reconnect, and the edits kept meanwhile merge (SPEC §5). */
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
