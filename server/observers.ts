/**
 * Read-only observer links (docs/security.md#observer-links): a facilitator makes one for a
 * stakeholder who watches the board, the stage and the summary live and changes nothing.
 *
 * The key is 256 random bits, stored hashed (auth/keys.ts). A board has at most one working key:
 * a new one revokes the previous. Revoking closes, at once, every observer connection of the
 * board this process holds (sync and socket.io), through the connections tracked here.
 */
import { AppError } from '../shared/errors';
import { isId } from '../shared/ids';
import type { Locale } from '../shared/board/layout';
import { hashKey, newFacilitatorKey } from './auth/keys';
import type { TokenSigner } from './auth/tokens';
import type { Store } from './storage/store';

/** A key is 32 bytes in base64url: 43 characters. Anything else is not one of ours. */
const OBSERVER_KEY = /^[A-Za-z0-9_-]{43}$/;

/** The observer page's address for a key (docs/http.md#observer-link). */
export function observerUrl(origin: string, key: string): string {
  return `${origin.replace(/\/$/, '')}/o/${key}`;
}

/** What an observer's client needs to open the board. */
export interface ObservedBoard {
  boardId: string;
  title: string;
  locale: Locale;
}

/** An open observer connection, as revocation sees it. */
export interface ObserverConnection {
  /** Closes the connection for good: its link was revoked. */
  revoked(): void;
}

export class Observers {
  readonly #store: Store;
  readonly #tokens: TokenSigner;
  readonly #now: () => number;
  /** Open observer connections in this process, by board. */
  readonly #open = new Map<string, Set<ObserverConnection>>();
  /** How many times each board's observer connections were closed here (revoked or replaced). */
  readonly #closings = new Map<string, number>();

  constructor(store: Store, tokens: TokenSigner, now: () => number = Date.now) {
    this.#store = store;
    this.#tokens = tokens;
    this.#now = now;
  }

  /** Makes the board's observer key, revoking (and disconnecting) the previous one. */
  async create(boardId: string, token: string | null, origin: string): Promise<{ key: string; url: string }> {
    await this.#checkFacilitator(boardId, token);
    const key = newFacilitatorKey();
    await this.#store.replaceObserverKey({ boardId, keyHash: hashKey(key), createdAt: this.#now() });
    this.#disconnect(boardId);
    return { key, url: observerUrl(origin, key) };
  }

  /** Revokes the board's observer key (if any) and closes every observer connection at once. */
  async revoke(boardId: string, token: string | null): Promise<void> {
    await this.#checkFacilitator(boardId, token);
    await this.#store.revokeObserverKey(boardId, this.#now());
    this.#disconnect(boardId);
  }

  /**
   * The board a working key opens. An unknown key (or anything that is not a key) is `not_found`,
   * a revoked one `observer_revoked`.
   */
  async resolve(key: unknown): Promise<ObservedBoard> {
    const record =
      typeof key === 'string' && OBSERVER_KEY.test(key)
        ? await this.#store.findObserverKey(hashKey(key))
        : null;
    const board = record ? await this.#store.getBoard(record.boardId) : null;
    if (!record || !board) throw new AppError('not_found', 'This observer link is not valid.');
    if (record.revokedAt !== null) {
      throw new AppError('observer_revoked', 'This observer link was revoked by a facilitator.');
    }
    return { boardId: board.id, title: board.title, locale: board.locale };
  }

  /**
   * A mark to pass to `track`: a connection checked before a revocation that lands while it opens
   * (its board loading) is closed as soon as it is tracked, never left open.
   */
  mark(boardId: string): number {
    return this.#closings.get(boardId) ?? 0;
  }

  /**
   * Counts an open observer connection of the board, checked at `mark`; the function returned
   * forgets it. Revoked since the mark, it is closed at once.
   */
  track(boardId: string, mark: number, connection: ObserverConnection): () => void {
    if (this.mark(boardId) !== mark) {
      connection.revoked();
      return () => undefined;
    }
    let open = this.#open.get(boardId);
    if (!open) this.#open.set(boardId, (open = new Set()));
    open.add(connection);
    return () => {
      open.delete(connection);
      if (open.size === 0 && this.#open.get(boardId) === open) this.#open.delete(boardId);
    };
  }

  #disconnect(boardId: string): void {
    this.#closings.set(boardId, this.mark(boardId) + 1);
    const open = this.#open.get(boardId);
    if (!open) return;
    this.#open.delete(boardId);
    for (const connection of open) connection.revoked();
  }

  /** A facilitator's token for this board, or the error saying what is wrong with it. */
  async #checkFacilitator(boardId: string, token: string | null): Promise<void> {
    if (!isId(boardId) || !(await this.#store.getBoard(boardId))) {
      throw new AppError('unknown_board', 'There is no board at this address.');
    }
    const claims = token === null ? null : this.#tokens.verify(token);
    const asker =
      claims && claims.boardId === boardId
        ? await this.#store.getParticipant(boardId, claims.participantId)
        : null;
    if (!asker) throw new AppError('bad_token', 'Send a facilitator token for this board.');
    if (asker.role !== 'facilitator') {
      throw new AppError('not_facilitator', 'Only a facilitator can manage the observer link.');
    }
  }
}
