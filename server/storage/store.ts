/**
 * The storage port: everything the server keeps. One interface, several stores (SQLite now,
 * PostgreSQL for several processes later); every store passes the contract suite in
 * tests/server/storage/contract.ts. Methods are async so that a networked store fits.
 */
import type { Locale, TemplateId } from '../../shared/board/layout';
import type { Role } from '../../shared/session/state';

export interface BoardRecord {
  id: string;
  title: string;
  locale: Locale;
  template: TemplateId;
  createdAt: number;
  /** SHA-256 of the facilitator key; the key itself is never stored. */
  facilitatorKeyHash: Uint8Array;
}

export interface ParticipantRecord {
  boardId: string;
  id: string;
  name: string;
  role: Role;
  createdAt: number;
}

/** A board's observer key (docs/security.md#observer-links): only its hash is kept. */
export interface ObserverKeyRecord {
  boardId: string;
  /** SHA-256 of the key; the key itself is never stored. */
  keyHash: Uint8Array;
  createdAt: number;
  /** When the facilitator revoked it (or replaced it with a new one); null while it works. */
  revokedAt: number | null;
}

/** A board document as stored: the latest snapshot and the updates appended after it. */
export interface StoredDoc {
  snapshot: Uint8Array | null;
  updates: Uint8Array[];
  /** The sequence number of the last update, to pass to `compactDoc`. */
  lastSeq: number;
  /**
   * Whether the snapshot was written by a version that checks every update before storing it
   * (server/sync/guard.ts), so that it loads without being checked again: true for snapshots
   * written by `createBoard` and `compactDoc`, false for those stored before (they are checked,
   * and cleaned, when loaded) and when there is no snapshot.
   */
  checked: boolean;
  /**
   * Whether the snapshot is also the document exactly as a load would leave it — no plain-string
   * text field to convert (docs/sync.md#text-fields), nothing waiting for missing content — as its
   * writer said (`clean` of `createBoard` and `compactDoc`): joiners may then get it before it is
   * applied (docs/sync.md#cold-boards). False or absent: not known to be.
   */
  clean?: boolean;
}

export interface Store {
  /**
   * Creates the board with its initial document state and its first participants (an imported
   * board's people, docs/export.md#importing-a-board-file), atomically: all of it or nothing.
   * `clean`: the state is the document as a load would leave it (see `StoredDoc.clean`).
   */
  createBoard(
    board: BoardRecord,
    initialState: Uint8Array,
    participants?: readonly ParticipantRecord[],
    clean?: boolean,
  ): Promise<void>;
  getBoard(id: string): Promise<BoardRecord | null>;

  /** Durably appends document updates (in order); resolves with the last one's sequence number. */
  appendUpdates(boardId: string, updates: readonly Uint8Array[]): Promise<number>;
  loadDoc(boardId: string): Promise<StoredDoc>;
  /**
   * What was stored after `afterSeq`: the updates with a higher sequence number, in order — and
   * the snapshot too when a compaction has folded updates past `afterSeq` into it (then only the
   * updates after the snapshot follow). `lastSeq` is the highest sequence number this covers.
   * How a process that missed a broadcast (or started late) catches up.
   */
  loadDocSince(boardId: string, afterSeq: number): Promise<StoredDoc>;
  /**
   * Replaces the snapshot with `state`, which contains every update up to `throughSeq`, and drops
   * those updates. A snapshot older than the stored one is ignored, so racing compactions are safe.
   * `clean`: the state is the document as a load would leave it (see `StoredDoc.clean`).
   */
  compactDoc(boardId: string, state: Uint8Array, throughSeq: number, clean?: boolean): Promise<void>;

  addParticipant(participant: ParticipantRecord): Promise<void>;
  getParticipant(boardId: string, id: string): Promise<ParticipantRecord | null>;
  listParticipants(boardId: string): Promise<ParticipantRecord[]>;

  /** The session plane's persisted state (JSON-compatible), or null for a board never saved. */
  loadSession(boardId: string): Promise<unknown>;
  saveSession(boardId: string, state: unknown): Promise<void>;
  /**
   * Reads the board's session state (null if never saved), lets `change` compute the next one and
   * stores it, atomically: no other change of this board's session, from any process, runs in
   * between (the single authority of docs/session.md#session-plane across processes). If `change` throws, nothing is
   * stored and the error comes back.
   */
  updateSession<S, T>(
    boardId: string,
    change: (saved: unknown) => { state: S; result: T },
  ): Promise<{ state: S; result: T }>;

  /**
   * Stores a new observer key for the board and revokes (at `key.createdAt`) any it had, atomically:
   * a board has at most one working observer key (docs/http.md#observer-link).
   */
  replaceObserverKey(key: { boardId: string; keyHash: Uint8Array; createdAt: number }): Promise<void>;
  /** Revokes the board's working observer key, if any; resolves with whether there was one. */
  revokeObserverKey(boardId: string, revokedAt: number): Promise<boolean>;
  /** The observer key with this hash, revoked or not; null if none has it. */
  findObserverKey(keyHash: Uint8Array): Promise<ObserverKeyRecord | null>;

  /** The secret that signs tokens: made once, on first use, then always the same. */
  tokenSecret(): Promise<Uint8Array>;

  close(): Promise<void>;
}
