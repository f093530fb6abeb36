/**
 * The board on the room's shared screen: the document read over a stock y-websocket provider with
 * no token (nothing is ever written, nothing kept in this browser), and the meeting over a stage
 * connection (docs/session.md#stage-connections), which sees what a participant sees and is nobody.
 */
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { BoardState } from './board.svelte';
import { CLOSE } from '../../../shared/sync';
import { SessionConnection, type ObserverAccess } from './session.svelte';

export class StageState {
  readonly doc = new Y.Doc();
  readonly board: BoardState;
  readonly session: SessionConnection;
  readonly #provider: WebsocketProvider;
  #synced = $state(false);
  /** docs/sync.md#observers: the observer link was revoked (4410) or refused an edit (4405). */
  #observerClosed = $state(false);

  /**
   * `token`: a member's, for a page that shows what this member may see (the summary page); an
   * observer link's key for an observer's page (docs/security.md#observer-links).
   */
  constructor(boardId: string, token: string | null | ObserverAccess = null) {
    const origin = location.origin.replace(/^http/, 'ws');
    const observer = typeof token === 'object' && token !== null ? token.observer : null;
    this.#provider = new WebsocketProvider(`${origin}/sync`, boardId, this.doc, {
      params: observer === null ? {} : { observer },
    });
    this.#provider.on('connection-close', (event) => {
      if (event?.code !== CLOSE.observerRevoked && event?.code !== CLOSE.observerReadOnly) return;
      // Final (docs/sync.md#close-codes): no reconnect loop.
      this.#observerClosed = true;
      this.#provider.shouldConnect = false;
    });
    // A screen is not someone editing: it says nothing of itself to the others.
    this.#provider.awareness.setLocalState(null);
    this.#provider.on('sync', (synced: boolean) => {
      if (synced) this.#synced = true;
    });
    // The stage writes nothing, so it has nothing to undo: any section will do.
    this.board = new BoardState(this.doc, { section: () => 'discover' });
    this.session = new SessionConnection(boardId, token);
  }

  /** The observer link no longer opens the board: stop and say so. */
  get observerRevoked(): boolean {
    return this.#observerClosed || this.session.failure === 'observer_revoked';
  }

  /** The board's content has arrived once. */
  get loaded(): boolean {
    return this.#synced;
  }

  destroy(): void {
    this.session.destroy();
    this.board.destroy();
    this.#provider.destroy();
    this.doc.destroy();
  }
}
