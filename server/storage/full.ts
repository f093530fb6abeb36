/**
 * A store that cannot write because its disk, or its database's size limit, is full: SQLite says
 * SQLITE_FULL, PostgreSQL SQLSTATE 53100 (disk_full), the operating system ENOSPC. Each store turns
 * it into `AppError('storage_full')`, which clients can explain (HTTP 507, or an acknowledgement
 * with that code), and reports it in the log at most once a minute: a full disk refuses every
 * write, and a line per refusal would bury the one that matters.
 */
import { AppError } from '../../shared/errors';
import type { Store } from './store';

export type StoreLog = (message: string, error?: unknown) => void;

const FULL_CODES = new Set(['SQLITE_FULL', '53100', 'ENOSPC']);

/** How often a store still full says so again. */
export const STORAGE_FULL_REPORT_EVERY_MS = 60_000;

/**
 * Whether `error` means "no room left to store this": the storage_full `AppError` a store throws,
 * or the raw error of SQLite, PostgreSQL or the file system underneath. What waits for space
 * (e.g. the sync plane, which should back off rather than retry at once) asks this.
 */
export function isStorageFull(error: unknown): boolean {
  if (error instanceof AppError) return error.code === 'storage_full';
  if (typeof error !== 'object' || error === null || !('code' in error)) return false;
  return FULL_CODES.has(String(error.code));
}

export function storageFullError(): AppError {
  return new AppError(
    'storage_full',
    'The server has no room left to save anything new. What is already saved is safe and can still be read; try again once space has been freed on the server.',
  );
}

/**
 * Turns a full store's errors into `AppError('storage_full')` and tells the operator, naming
 * `where` (the database file or server), once per `everyMs` with how many writes were refused in
 * between. Any other error comes back unchanged.
 */
export function storageFullReporter(
  where: string,
  log: StoreLog,
  everyMs = STORAGE_FULL_REPORT_EVERY_MS,
): (error: unknown) => unknown {
  let reportedAt = -Infinity;
  let refused = 0;
  return (error) => {
    if (!isStorageFull(error) || error instanceof AppError) return error;
    refused += 1;
    const now = Date.now();
    if (now - reportedAt >= everyMs) {
      const since =
        now - reportedAt < 2 * everyMs ? ` (${refused} writes refused since the previous report)` : '';
      log(
        `storage full: ${where} has no room left; writes are refused (storage_full) until space is freed${since}`,
        error,
      );
      reportedAt = now;
      refused = 0;
    }
    return storageFullError();
  };
}

/** `store` with every error passed through `translate` (e.g. a `storageFullReporter`). */
export function translateStoreErrors(store: Store, translate: (error: unknown) => unknown): Store {
  const guard = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      throw translate(error);
    }
  };
  return {
    createBoard: (board, initialState, participants, clean) =>
      guard(() => store.createBoard(board, initialState, participants, clean)),
    getBoard: (id) => guard(() => store.getBoard(id)),
    appendUpdates: (boardId, updates) => guard(() => store.appendUpdates(boardId, updates)),
    loadDoc: (boardId) => guard(() => store.loadDoc(boardId)),
    loadDocSince: (boardId, afterSeq) => guard(() => store.loadDocSince(boardId, afterSeq)),
    compactDoc: (boardId, state, throughSeq, clean) =>
      guard(() => store.compactDoc(boardId, state, throughSeq, clean)),
    addParticipant: (participant) => guard(() => store.addParticipant(participant)),
    getParticipant: (boardId, id) => guard(() => store.getParticipant(boardId, id)),
    listParticipants: (boardId) => guard(() => store.listParticipants(boardId)),
    loadSession: (boardId) => guard(() => store.loadSession(boardId)),
    saveSession: (boardId, state) => guard(() => store.saveSession(boardId, state)),
    updateSession: (boardId, change) => guard(() => store.updateSession(boardId, change)),
    replaceObserverKey: (key) => guard(() => store.replaceObserverKey(key)),
    revokeObserverKey: (boardId, revokedAt) => guard(() => store.revokeObserverKey(boardId, revokedAt)),
    findObserverKey: (keyHash) => guard(() => store.findObserverKey(keyHash)),
    tokenSecret: () => guard(() => store.tokenSecret()),
    close: () => store.close(),
  };
}
