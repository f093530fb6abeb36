/**
 * The board document's connection (SPEC §5): a stock y-websocket provider with the join token,
 * and what the connection indicator needs — its status and how many of my changes wait to sync.
 */
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { CLOSE, TERMINAL_CLOSE_CODES } from '../../../shared/sync';
import { LOCAL_ORIGIN } from './board.svelte';

export type SyncStatus = 'connecting' | 'connected' | 'reconnecting' | 'offline';
export type SyncFailure = 'unknown_board' | 'bad_token';

export class SyncConnection {
  readonly doc = new Y.Doc();
  readonly #provider: WebsocketProvider;
  #connected = $state(false);
  #synced = $state(false);
  #everSynced = $state(false);
  #browserOnline = $state(navigator.onLine);
  #unsynced = $state(0);
  #failure = $state<SyncFailure | null>(null);
  readonly #cleanups: Array<() => void> = [];

  constructor(boardId: string, token: string) {
    const origin = location.origin.replace(/^http/, 'ws');
    this.#provider = new WebsocketProvider(`${origin}/sync`, boardId, this.doc, {
      params: { token },
      // Reconnect quickly but not all at once after a server restart.
      maxBackoffTime: 2_500 + Math.floor(Math.random() * 1_500),
    });
    this.#provider.on('status', ({ status }) => {
      this.#connected = status === 'connected';
      if (!this.#connected) this.#synced = false;
    });
    this.#provider.on('sync', (synced: boolean) => {
      this.#synced = synced;
      if (synced) {
        this.#everSynced = true;
        // The reconnect sync exchanged everything I made meanwhile.
        this.#unsynced = 0;
      }
    });
    this.#provider.on('closed', ({ code }) => {
      if (code === CLOSE.unknownBoard) this.#failure = 'unknown_board';
      else if (TERMINAL_CLOSE_CODES.includes(code)) this.#failure = 'bad_token';
    });

    const countLocal = (_update: Uint8Array, origin: unknown): void => {
      if (origin === LOCAL_ORIGIN && !(this.#connected && this.#synced)) this.#unsynced += 1;
    };
    this.doc.on('update', countLocal);
    this.#cleanups.push(() => this.doc.off('update', countLocal));

    const online = (): void => void (this.#browserOnline = true);
    const offline = (): void => void (this.#browserOnline = false);
    addEventListener('online', online);
    addEventListener('offline', offline);
    this.#cleanups.push(() => {
      removeEventListener('online', online);
      removeEventListener('offline', offline);
    });
  }

  get status(): SyncStatus {
    if (this.#connected && this.#synced) return 'connected';
    if (!this.#browserOnline) return 'offline';
    return this.#everSynced ? 'reconnecting' : 'connecting';
  }

  /** Local changes made while not in sync with the server. */
  get unsynced(): number {
    return this.#unsynced;
  }

  /** Set when the server refused the connection for good (SPEC §5: the client stops and says why). */
  get failure(): SyncFailure | null {
    return this.#failure;
  }

  /** True once the board's content has arrived at least once. */
  get loaded(): boolean {
    return this.#everSynced;
  }

  destroy(): void {
    for (const cleanup of this.#cleanups) cleanup();
    this.#provider.destroy();
    this.doc.destroy();
  }
}
