/**
 * The default store: one SQLite file in DATA_DIR (better-sqlite3). Writes are synchronous inside
 * the call, so a promise that resolves means the row is in the database file's write-ahead log:
 * a killed process loses nothing that was acknowledged.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { StartupError, systemReason } from '../lib/startup-error';
import { storageFullReporter, translateStoreErrors, type StoreLog } from './full';
import { checkIntegrityInBackground, openDatabaseFile } from './sqlite-file';
import type { BoardRecord, ObserverKeyRecord, ParticipantRecord, Store, StoredDoc } from './store';

const SCHEMA_VERSION = 3;
const SECRET_FILE = 'secret.key';
const SECRET_BYTES = 32;

const MIGRATIONS: Record<number, string> = {
  1: `
    CREATE TABLE boards (
      id TEXT PRIMARY KEY,
      title TEXT NOT NULL,
      locale TEXT NOT NULL,
      template TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      facilitator_key_hash BLOB NOT NULL
    );
    CREATE TABLE doc_snapshots (
      board_id TEXT PRIMARY KEY REFERENCES boards(id) ON DELETE CASCADE,
      state BLOB NOT NULL,
      through_seq INTEGER NOT NULL
    );
    CREATE TABLE doc_updates (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      board_id TEXT NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
      data BLOB NOT NULL
    );
    CREATE INDEX doc_updates_by_board ON doc_updates (board_id, seq);
    CREATE TABLE participants (
      board_id TEXT NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
      id TEXT NOT NULL,
      name TEXT NOT NULL,
      role TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      PRIMARY KEY (board_id, id)
    ) WITHOUT ROWID;
    CREATE TABLE sessions (
      board_id TEXT PRIMARY KEY REFERENCES boards(id) ON DELETE CASCADE,
      state TEXT NOT NULL
    );
  `,
  // Snapshots written from now on were checked by the update guard; older ones are checked once.
  2: `ALTER TABLE doc_snapshots ADD COLUMN checked INTEGER NOT NULL DEFAULT 0;`,
  // Read-only observer links (docs/security.md#observer-links): hashed keys, kept once revoked so
  // that a revoked link says so (410) rather than "unknown".
  3: `
    CREATE TABLE observer_keys (
      board_id TEXT NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
      key_hash BLOB NOT NULL PRIMARY KEY,
      created_at INTEGER NOT NULL,
      revoked_at INTEGER
    );
    CREATE INDEX observer_keys_by_board ON observer_keys (board_id) WHERE revoked_at IS NULL;
  `,
};

export interface SqliteStoreOptions {
  dataDir: string;
  /** `FULL` also survives power loss, at an fsync per commit; `NORMAL` survives a killed process. */
  synchronous?: 'NORMAL' | 'FULL';
  /**
   * A ceiling on the database's size, in bytes (SQLITE_MAX_BYTES; null or absent: only the disk's).
   * Beyond it SQLite refuses to grow the file exactly as on a full disk (SQLITE_FULL).
   */
  maxBytes?: number | null;
  /** Where a full store is reported (default: the console). */
  log?: StoreLog;
}

export interface SqliteStore extends Store {
  /**
   * Moves the size ceiling (null: none but the disk's), on the open database. A ceiling below the
   * current size holds the database at its current size.
   */
  setMaxBytes(bytes: number | null): void;
}

interface BoardRow {
  id: string;
  title: string;
  locale: BoardRecord['locale'];
  template: BoardRecord['template'];
  created_at: number;
  facilitator_key_hash: Buffer;
}

interface ParticipantRow {
  board_id: string;
  id: string;
  name: string;
  role: ParticipantRecord['role'];
  created_at: number;
}

interface ObserverKeyRow {
  board_id: string;
  key_hash: Buffer;
  created_at: number;
  revoked_at: number | null;
}

function toObserverKey(row: ObserverKeyRow): ObserverKeyRecord {
  return {
    boardId: row.board_id,
    keyHash: new Uint8Array(row.key_hash),
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
  };
}

function migrate(db: Database.Database, path: string): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > SCHEMA_VERSION) {
    throw new StartupError(`${path} is from a newer Atelier (schema ${current}): upgrade Atelier.`);
  }
  for (let version = current + 1; version <= SCHEMA_VERSION; version++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[version] as string);
      db.pragma(`user_version = ${version}`);
    })();
  }
}

function toBoard(row: BoardRow): BoardRecord {
  return {
    id: row.id,
    title: row.title,
    locale: row.locale,
    template: row.template,
    createdAt: row.created_at,
    facilitatorKeyHash: new Uint8Array(row.facilitator_key_hash),
  };
}

function toParticipant(row: ParticipantRow): ParticipantRecord {
  return {
    boardId: row.board_id,
    id: row.id,
    name: row.name,
    role: row.role,
    createdAt: row.created_at,
  };
}

export function openSqliteStore(options: SqliteStoreOptions): SqliteStore {
  const path = join(options.dataDir, 'atelier.sqlite');
  const log = options.log ?? console.error;
  const db = openDatabaseFile(path, options.dataDir, (opened) => {
    opened.pragma('journal_mode = WAL');
    opened.pragma(`synchronous = ${options.synchronous ?? 'NORMAL'}`);
    opened.pragma('foreign_keys = ON');
    opened.pragma('busy_timeout = 5000');
    migrate(opened, path);
  });
  const stopCheck = checkIntegrityInBackground(path, log);

  const pageSize = db.pragma('page_size', { simple: true }) as number;
  const noCeiling = db.pragma('max_page_count', { simple: true }) as number;
  const setMaxBytes = (bytes: number | null): void => {
    const pages = bytes === null ? noCeiling : Math.max(1, Math.floor(bytes / pageSize));
    db.pragma(`max_page_count = ${pages}`);
  };
  if (options.maxBytes !== undefined && options.maxBytes !== null) setMaxBytes(options.maxBytes);

  const sql = {
    insertBoard: db.prepare(
      `INSERT INTO boards (id, title, locale, template, created_at, facilitator_key_hash)
       VALUES (@id, @title, @locale, @template, @createdAt, @facilitatorKeyHash)`,
    ),
    getBoard: db.prepare<[string], BoardRow>('SELECT * FROM boards WHERE id = ?'),
    getSnapshot: db.prepare<[string], { state: Buffer; through_seq: number; checked: number }>(
      'SELECT state, through_seq, checked FROM doc_snapshots WHERE board_id = ?',
    ),
    // `checked`: 0 unchecked, 1 checked by the guard, 2 checked and clean (StoredDoc.clean).
    upsertSnapshot: db.prepare(
      `INSERT INTO doc_snapshots (board_id, state, through_seq, checked) VALUES (?, ?, ?, ?)
       ON CONFLICT (board_id) DO UPDATE SET state = excluded.state, through_seq = excluded.through_seq, checked = excluded.checked
       WHERE excluded.through_seq > doc_snapshots.through_seq`,
    ),
    insertUpdate: db.prepare('INSERT INTO doc_updates (board_id, data) VALUES (?, ?)'),
    listUpdates: db.prepare<[string], { seq: number; data: Buffer }>(
      'SELECT seq, data FROM doc_updates WHERE board_id = ? ORDER BY seq',
    ),
    listUpdatesAfter: db.prepare<[string, number], { seq: number; data: Buffer }>(
      'SELECT seq, data FROM doc_updates WHERE board_id = ? AND seq > ? ORDER BY seq',
    ),
    deleteUpdates: db.prepare('DELETE FROM doc_updates WHERE board_id = ? AND seq <= ?'),
    insertParticipant: db.prepare(
      `INSERT INTO participants (board_id, id, name, role, created_at)
       VALUES (@boardId, @id, @name, @role, @createdAt)`,
    ),
    getParticipant: db.prepare<[string, string], ParticipantRow>(
      'SELECT * FROM participants WHERE board_id = ? AND id = ?',
    ),
    listParticipants: db.prepare<[string], ParticipantRow>(
      'SELECT * FROM participants WHERE board_id = ? ORDER BY created_at, id',
    ),
    getSession: db.prepare<[string], { state: string }>('SELECT state FROM sessions WHERE board_id = ?'),
    upsertSession: db.prepare(
      `INSERT INTO sessions (board_id, state) VALUES (?, ?)
       ON CONFLICT (board_id) DO UPDATE SET state = excluded.state`,
    ),
    revokeObserverKeys: db.prepare(
      'UPDATE observer_keys SET revoked_at = ? WHERE board_id = ? AND revoked_at IS NULL',
    ),
    insertObserverKey: db.prepare(
      'INSERT INTO observer_keys (board_id, key_hash, created_at, revoked_at) VALUES (?, ?, ?, NULL)',
    ),
    findObserverKey: db.prepare<[Buffer], ObserverKeyRow>('SELECT * FROM observer_keys WHERE key_hash = ?'),
  };

  const replaceObserverKey = db.transaction((boardId: string, keyHash: Uint8Array, createdAt: number) => {
    sql.revokeObserverKeys.run(createdAt, boardId);
    sql.insertObserverKey.run(boardId, Buffer.from(keyHash), createdAt);
  });

  const createBoard = db.transaction(
    (
      board: BoardRecord,
      initialState: Uint8Array,
      participants: readonly ParticipantRecord[],
      clean: boolean,
    ) => {
      sql.insertBoard.run({ ...board, facilitatorKeyHash: Buffer.from(board.facilitatorKeyHash) });
      sql.upsertSnapshot.run(board.id, Buffer.from(initialState), 0, clean ? 2 : 1);
      for (const participant of participants) sql.insertParticipant.run(participant);
    },
  );

  const appendUpdates = db.transaction((boardId: string, updates: readonly Uint8Array[]) => {
    let seq = 0;
    for (const update of updates) {
      seq = Number(sql.insertUpdate.run(boardId, Buffer.from(update)).lastInsertRowid);
    }
    return seq;
  });

  const loadDoc = db.transaction((boardId: string): StoredDoc => {
    const snapshot = sql.getSnapshot.get(boardId);
    const rows = sql.listUpdates.all(boardId);
    return {
      snapshot: snapshot ? new Uint8Array(snapshot.state) : null,
      updates: rows.map((row) => new Uint8Array(row.data)),
      lastSeq: rows.at(-1)?.seq ?? snapshot?.through_seq ?? 0,
      checked: snapshot !== undefined && snapshot.checked >= 1,
      clean: snapshot?.checked === 2,
    };
  });

  const loadDocSince = db.transaction((boardId: string, afterSeq: number): StoredDoc => {
    const snapshot = sql.getSnapshot.get(boardId);
    const folded = snapshot !== undefined && snapshot.through_seq > afterSeq;
    const from = folded ? snapshot.through_seq : afterSeq;
    const rows = sql.listUpdatesAfter.all(boardId, from);
    return {
      snapshot: folded ? new Uint8Array(snapshot.state) : null,
      updates: rows.map((row) => new Uint8Array(row.data)),
      lastSeq: rows.at(-1)?.seq ?? from,
      checked: folded && snapshot.checked >= 1,
      clean: folded && snapshot.checked === 2,
    };
  });

  const updateSession = db.transaction(
    (boardId: string, change: (saved: unknown) => { state: unknown; result: unknown }) => {
      const row = sql.getSession.get(boardId);
      const next = change(row ? (JSON.parse(row.state) as unknown) : null);
      sql.upsertSession.run(boardId, JSON.stringify(next.state));
      return next;
    },
  );

  const compactDoc = db.transaction(
    (boardId: string, state: Uint8Array, throughSeq: number, clean: boolean) => {
      sql.upsertSnapshot.run(boardId, Buffer.from(state), throughSeq, clean ? 2 : 1);
      sql.deleteUpdates.run(boardId, throughSeq);
    },
  );

  let secret: Uint8Array | null = null;

  const store: Store = {
    async createBoard(board, initialState, participants = [], clean = false) {
      createBoard(board, initialState, participants, clean);
    },
    async getBoard(id) {
      const row = sql.getBoard.get(id);
      return row ? toBoard(row) : null;
    },
    async appendUpdates(boardId, updates) {
      return appendUpdates(boardId, updates);
    },
    async loadDoc(boardId) {
      return loadDoc(boardId);
    },
    async loadDocSince(boardId, afterSeq) {
      return loadDocSince(boardId, afterSeq);
    },
    async compactDoc(boardId, state, throughSeq, clean = false) {
      compactDoc(boardId, state, throughSeq, clean);
    },
    async addParticipant(participant) {
      sql.insertParticipant.run(participant);
    },
    async getParticipant(boardId, id) {
      const row = sql.getParticipant.get(boardId, id);
      return row ? toParticipant(row) : null;
    },
    async listParticipants(boardId) {
      return sql.listParticipants.all(boardId).map(toParticipant);
    },
    async loadSession(boardId) {
      const row = sql.getSession.get(boardId);
      return row ? (JSON.parse(row.state) as unknown) : null;
    },
    async saveSession(boardId, state) {
      sql.upsertSession.run(boardId, JSON.stringify(state));
    },
    async updateSession<S, T>(boardId: string, change: (saved: unknown) => { state: S; result: T }) {
      // The transaction wrapper returns what `change` returned: its type is lost, not its value.
      return updateSession(boardId, change) as { state: S; result: T };
    },
    async replaceObserverKey({ boardId, keyHash, createdAt }) {
      replaceObserverKey(boardId, keyHash, createdAt);
    },
    async revokeObserverKey(boardId, revokedAt) {
      return sql.revokeObserverKeys.run(revokedAt, boardId).changes > 0;
    },
    async findObserverKey(keyHash) {
      const row = sql.findObserverKey.get(Buffer.from(keyHash));
      return row ? toObserverKey(row) : null;
    },
    async tokenSecret() {
      secret ??= readOrCreateSecret(join(options.dataDir, SECRET_FILE));
      return secret;
    },
    async close() {
      stopCheck();
      db.close();
    },
  };
  const full = storageFullReporter(path, log);
  return { ...translateStoreErrors(store, full), setMaxBytes };
}

/** The signing secret lives beside the database, readable by its owner only (mode 0600). */
function readOrCreateSecret(path: string): Uint8Array {
  let hex: string | null = null;
  try {
    hex = readFileSync(path, 'utf8').trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new StartupError(`cannot read the token secret ${path}: ${systemReason(error)}.`);
    }
  }
  if (hex !== null) {
    if (/^[0-9a-f]{64}$/.test(hex)) return new Uint8Array(Buffer.from(hex, 'hex'));
    // A new secret would sign people out of every board: that is for the operator to decide.
    throw new StartupError(
      `${path} is not a valid secret: remove it to make a new one (everyone then joins their boards again).`,
    );
  }
  const created = randomBytes(SECRET_BYTES);
  // `wx` fails if another process made the file meanwhile; then that one's secret is read.
  try {
    writeFileSync(path, created.toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
    chmodSync(path, 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return readOrCreateSecret(path);
    if ((error as NodeJS.ErrnoException).code === 'ENOSPC') throw error; // storage_full
    throw new StartupError(`cannot create the token secret ${path}: ${systemReason(error)}.`);
  }
  return new Uint8Array(created);
}
