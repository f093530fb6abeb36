/**
 * The store for several processes (docs/running.md#several-processes): PostgreSQL at `DATABASE_URL`, through a `pg` pool.
 * Same data model as the SQLite store; what it guarantees when many processes share the database:
 *
 * - Start-up: the schema is created or migrated in one transaction under an advisory lock, so
 *   processes starting together do it once; a database from a newer Atelier is refused.
 * - Documents: updates are appended, never merged into the snapshot per edit. A board's appends
 *   are serialised by a lock on its row, so their sequence numbers are committed in order: whoever
 *   sees update N also sees every earlier one of that board, and `loadDocSince(lastSeq)` never
 *   skips an update that committed late. Each read is one statement, so one consistent view.
 * - `compactDoc` replaces the snapshot only with a newer one (higher through_seq) and drops only
 *   updates up to its own through_seq, in one transaction: racing compactions lose nothing.
 * - `updateSession` runs under a row lock (`SELECT … FOR UPDATE`): one change per board at a time,
 *   across every connection and process; a `change` that throws rolls everything back.
 * - The token secret is created once (`INSERT … ON CONFLICT DO NOTHING`, then read), so every
 *   process signs with the same one.
 * Every promise that resolves means the transaction committed.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { StartupError } from '../lib/startup-error';
import { isStorageFull, storageFullReporter, translateStoreErrors, type StoreLog } from './full';
import type { BoardRecord, ObserverKeyRecord, ParticipantRecord, Store, StoredDoc } from './store';

const SCHEMA_VERSION = 4;
const SECRET_BYTES = 32;
const TOKEN_SECRET = 'token';

const MIGRATIONS: Record<number, string> = {
  1: `
    CREATE TABLE boards (
      id TEXT PRIMARY KEY,
      title TEXT NOT NULL,
      locale TEXT NOT NULL,
      template TEXT NOT NULL,
      created_at BIGINT NOT NULL,
      facilitator_key_hash BYTEA NOT NULL
    );
    CREATE TABLE doc_snapshots (
      board_id TEXT PRIMARY KEY REFERENCES boards(id) ON DELETE CASCADE,
      state BYTEA NOT NULL,
      through_seq BIGINT NOT NULL
    );
    -- One sequence for all boards; its default cache of 1 keeps it growing in call order.
    CREATE TABLE doc_updates (
      seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      board_id TEXT NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
      data BYTEA NOT NULL
    );
    CREATE INDEX doc_updates_by_board ON doc_updates (board_id, seq);
    CREATE TABLE participants (
      board_id TEXT NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
      id TEXT NOT NULL,
      name TEXT NOT NULL,
      role TEXT NOT NULL,
      created_at BIGINT NOT NULL,
      PRIMARY KEY (board_id, id)
    );
    -- JSON as text, exactly as written (JSONB would reorder keys and refuse \\u0000).
    CREATE TABLE sessions (
      board_id TEXT PRIMARY KEY REFERENCES boards(id) ON DELETE CASCADE,
      state TEXT NOT NULL
    );
    CREATE TABLE secrets (
      name TEXT PRIMARY KEY,
      value BYTEA NOT NULL
    );
  `,
  // Snapshots written from now on were checked by the update guard; older ones are checked once.
  2: `ALTER TABLE doc_snapshots ADD COLUMN checked BOOLEAN NOT NULL DEFAULT false;`,
  // Read-only observer links (docs/security.md#observer-links): hashed keys, kept once revoked so
  // that a revoked link says so (410) rather than "unknown".
  3: `
    CREATE TABLE observer_keys (
      board_id TEXT NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
      key_hash BYTEA NOT NULL PRIMARY KEY,
      created_at BIGINT NOT NULL,
      revoked_at BIGINT
    );
    CREATE INDEX observer_keys_by_board ON observer_keys (board_id) WHERE revoked_at IS NULL;
  `,
  // Snapshots that are the document exactly as a load leaves it (StoredDoc.clean): joiners may get
  // them before they are applied. Older ones are not known to be.
  4: `ALTER TABLE doc_snapshots ADD COLUMN clean BOOLEAN NOT NULL DEFAULT false;`,
};

export interface PostgresStoreOptions {
  /** A `postgres://` URL (DATABASE_URL). */
  url: string;
  /** Connections in the pool (default 10). */
  maxConnections?: number;
  /** Told about a pooled connection that failed while idle (default: console.error). */
  onError?: (error: Error) => void;
  /** Where a full database (SQLSTATE 53100, disk_full) is reported (default: the console). */
  log?: StoreLog;
}

interface BoardRow {
  id: string;
  title: string;
  locale: BoardRecord['locale'];
  template: BoardRecord['template'];
  created_at: string;
  facilitator_key_hash: Buffer;
}

interface ParticipantRow {
  board_id: string;
  id: string;
  name: string;
  role: ParticipantRecord['role'];
  created_at: string;
}

interface ObserverKeyRow {
  board_id: string;
  key_hash: Buffer;
  created_at: string;
  revoked_at: string | null;
}

/** A snapshot row (through_seq in `seq`) or an update row; BIGINTs arrive as strings. */
interface DocRow {
  is_snapshot: boolean;
  seq: string;
  data: Buffer;
  /** Snapshot rows: whether the guard checked what it holds (see StoredDoc.checked). */
  checked: boolean | null;
  /** Snapshot rows: whether it is clean (see StoredDoc.clean). */
  clean: boolean | null;
}

const bytes = (data: Buffer): Uint8Array => new Uint8Array(data);

function toBoard(row: BoardRow): BoardRecord {
  return {
    id: row.id,
    title: row.title,
    locale: row.locale,
    template: row.template,
    createdAt: Number(row.created_at),
    facilitatorKeyHash: bytes(row.facilitator_key_hash),
  };
}

function toParticipant(row: ParticipantRow): ParticipantRecord {
  return {
    boardId: row.board_id,
    id: row.id,
    name: row.name,
    role: row.role,
    createdAt: Number(row.created_at),
  };
}

function toObserverKey(row: ObserverKeyRow): ObserverKeyRecord {
  return {
    boardId: row.board_id,
    keyHash: bytes(row.key_hash),
    createdAt: Number(row.created_at),
    revokedAt: row.revoked_at === null ? null : Number(row.revoked_at),
  };
}

/** Runs `work` in a transaction on one pooled connection: COMMIT if it resolves, else ROLLBACK. */
async function transaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken = false;
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    // A connection that cannot even roll back is dropped rather than returned to the pool.
    await client.query('ROLLBACK').catch(() => (broken = true));
    throw error;
  } finally {
    client.release(broken);
  }
}

/**
 * A pool whose `end()` also waits until its connections have closed (pg's resolves before they
 * have), so that a closed store really holds no connection.
 */
function openPool(options: PostgresStoreOptions): { pool: pg.Pool; end: () => Promise<void> } {
  const pool = new pg.Pool({ connectionString: options.url, max: options.maxConnections ?? 10 });
  // Without a listener, an idle connection's failure (say, a database restart) would crash the process.
  pool.on(
    'error',
    options.onError ?? ((error) => console.error(`PostgreSQL connection failed: ${error.message}`)),
  );
  const connected = new Set<pg.PoolClient>();
  pool.on('connect', (client) => {
    connected.add(client);
    client.once('end', () => connected.delete(client));
  });
  return {
    pool,
    async end() {
      const closing = [...connected].map((client) => new Promise((resolve) => client.once('end', resolve)));
      await pool.end();
      await Promise.all(closing);
    },
  };
}

async function migrate(pool: pg.Pool): Promise<void> {
  await transaction(pool, async (client) => {
    // Held until COMMIT: a second process starting now waits here, then finds the schema made.
    await client.query(`SELECT pg_advisory_xact_lock(hashtext('atelier schema'))`);
    await client.query('CREATE TABLE IF NOT EXISTS atelier_schema (version INTEGER NOT NULL)');
    const { rows } = await client.query<{ version: number }>('SELECT version FROM atelier_schema');
    const current = rows[0]?.version ?? 0;
    if (current > SCHEMA_VERSION) {
      throw new Error(`it is from a newer Atelier (schema ${current}): upgrade Atelier`);
    }
    for (let version = current + 1; version <= SCHEMA_VERSION; version++) {
      await client.query(MIGRATIONS[version] as string);
    }
    if (rows.length === 0) {
      await client.query('INSERT INTO atelier_schema (version) VALUES ($1)', [SCHEMA_VERSION]);
    } else if (current < SCHEMA_VERSION) {
      await client.query('UPDATE atelier_schema SET version = $1', [SCHEMA_VERSION]);
    }
  });
}

/** Opens the pool and creates or migrates the schema; rejects (and closes) if that fails. */
export async function openPostgresStore(options: PostgresStoreOptions): Promise<Store> {
  const { host, pathname } = new URL(options.url);
  // Named without the credentials the URL may carry.
  const where = `the PostgreSQL database ${host}${pathname}`;
  const { pool, end } = openPool(options);
  try {
    await migrate(pool);
  } catch (error) {
    await end();
    if (isStorageFull(error)) throw new StartupError(`${where} has no space left: free some.`);
    const reason = error instanceof Error ? error.message : String(error);
    throw new StartupError(`cannot use ${where}: ${reason}. Check DATABASE_URL.`);
  }

  /**
   * The snapshot, when it is past `afterSeq`, then the updates past both, in one statement (one
   * consistent view, even while a compaction commits).
   */
  async function readDoc(boardId: string, afterSeq: number): Promise<StoredDoc> {
    const { rows } = await pool.query<DocRow>(
      `WITH snapshot AS (SELECT state, through_seq, checked, clean FROM doc_snapshots WHERE board_id = $1)
       SELECT true AS is_snapshot, through_seq AS seq, state AS data, checked, clean FROM snapshot WHERE through_seq > $2
       UNION ALL
       SELECT false, seq, data, NULL, NULL FROM doc_updates
       WHERE board_id = $1 AND seq > GREATEST($2, (SELECT through_seq FROM snapshot))
       ORDER BY is_snapshot DESC, seq`,
      [boardId, afterSeq],
    );
    const snapshot = rows[0]?.is_snapshot ? rows[0] : null;
    const updates = snapshot ? rows.slice(1) : rows;
    return {
      snapshot: snapshot ? bytes(snapshot.data) : null,
      updates: updates.map((row) => bytes(row.data)),
      lastSeq: Number(rows.at(-1)?.seq ?? afterSeq),
      checked: snapshot?.checked === true,
      clean: snapshot?.clean === true,
    };
  }

  let secret: Uint8Array | null = null;
  let closed = false;

  const store: Store = {
    async createBoard(board, initialState, participants = [], clean = false) {
      await transaction(pool, async (client) => {
        await client.query(
          `INSERT INTO boards (id, title, locale, template, created_at, facilitator_key_hash)
           VALUES ($1, $2, $3, $4, $5, $6)`,
          [board.id, board.title, board.locale, board.template, board.createdAt, board.facilitatorKeyHash],
        );
        await client.query(
          'INSERT INTO doc_snapshots (board_id, state, through_seq, checked, clean) VALUES ($1, $2, 0, true, $3)',
          [board.id, initialState, clean],
        );
        for (const participant of participants) {
          await client.query(
            'INSERT INTO participants (board_id, id, name, role, created_at) VALUES ($1, $2, $3, $4, $5)',
            [participant.boardId, participant.id, participant.name, participant.role, participant.createdAt],
          );
        }
      });
    },
    async getBoard(id) {
      const { rows } = await pool.query<BoardRow>('SELECT * FROM boards WHERE id = $1', [id]);
      return rows[0] ? toBoard(rows[0]) : null;
    },

    async appendUpdates(boardId, updates) {
      if (updates.length === 0) return 0;
      // Appends to one board queue on its row lock until the previous one commits (see the
      // header). One statement: the lock is held by the server for the statement alone, never
      // across round trips to a process that might be slow to send the next one.
      const { rows } = await pool.query<{ seq: string }>(
        `WITH board AS MATERIALIZED (SELECT id FROM boards WHERE id = $1 FOR NO KEY UPDATE)
         INSERT INTO doc_updates (board_id, data)
         SELECT board.id, batch.data
         FROM board, unnest($2::bytea[]) WITH ORDINALITY AS batch (data, position)
         ORDER BY batch.position
         RETURNING seq`,
        [boardId, [...updates]],
      );
      return rows.reduce((last, row) => Math.max(last, Number(row.seq)), 0);
    },
    async loadDoc(boardId) {
      // Every snapshot is past -1; with none, nothing is stored and the sequence is 0.
      const doc = await readDoc(boardId, -1);
      return { ...doc, lastSeq: Math.max(doc.lastSeq, 0) };
    },
    async loadDocSince(boardId, afterSeq) {
      return readDoc(boardId, afterSeq);
    },
    async compactDoc(boardId, state, throughSeq, clean = false) {
      await transaction(pool, async (client) => {
        // ON CONFLICT locks the row and compares with its latest version: a newer snapshot stays.
        await client.query(
          `INSERT INTO doc_snapshots (board_id, state, through_seq, checked, clean) VALUES ($1, $2, $3, true, $4)
           ON CONFLICT (board_id) DO UPDATE SET state = excluded.state, through_seq = excluded.through_seq, checked = true, clean = excluded.clean
           WHERE excluded.through_seq > doc_snapshots.through_seq`,
          [boardId, state, throughSeq, clean],
        );
        // Whichever snapshot is stored now covers at least throughSeq, never less.
        await client.query('DELETE FROM doc_updates WHERE board_id = $1 AND seq <= $2', [
          boardId,
          throughSeq,
        ]);
      });
    },

    async addParticipant(participant) {
      await pool.query(
        'INSERT INTO participants (board_id, id, name, role, created_at) VALUES ($1, $2, $3, $4, $5)',
        [participant.boardId, participant.id, participant.name, participant.role, participant.createdAt],
      );
    },
    async getParticipant(boardId, id) {
      const { rows } = await pool.query<ParticipantRow>(
        'SELECT * FROM participants WHERE board_id = $1 AND id = $2',
        [boardId, id],
      );
      return rows[0] ? toParticipant(rows[0]) : null;
    },
    async listParticipants(boardId) {
      // COLLATE "C": byte order, as SQLite sorts, whatever the database's locale.
      const { rows } = await pool.query<ParticipantRow>(
        'SELECT * FROM participants WHERE board_id = $1 ORDER BY created_at, id COLLATE "C"',
        [boardId],
      );
      return rows.map(toParticipant);
    },

    async loadSession(boardId) {
      const { rows } = await pool.query<{ state: string }>('SELECT state FROM sessions WHERE board_id = $1', [
        boardId,
      ]);
      return rows[0] ? (JSON.parse(rows[0].state) as unknown) : null;
    },
    async saveSession(boardId, state) {
      await pool.query(
        `INSERT INTO sessions (board_id, state) VALUES ($1, $2)
         ON CONFLICT (board_id) DO UPDATE SET state = excluded.state`,
        [boardId, JSON.stringify(state)],
      );
    },
    async updateSession<S, T>(boardId: string, change: (saved: unknown) => { state: S; result: T }) {
      return transaction(pool, async (client) => {
        // The row must exist to be locked; 'null' reads as never saved, and rolls back with the rest.
        await client.query(
          `INSERT INTO sessions (board_id, state) VALUES ($1, 'null') ON CONFLICT (board_id) DO NOTHING`,
          [boardId],
        );
        const { rows } = await client.query<{ state: string }>(
          'SELECT state FROM sessions WHERE board_id = $1 FOR UPDATE',
          [boardId],
        );
        const next = change(JSON.parse(rows[0]?.state ?? 'null') as unknown);
        await client.query('UPDATE sessions SET state = $2 WHERE board_id = $1', [
          boardId,
          JSON.stringify(next.state),
        ]);
        return next;
      });
    },

    async replaceObserverKey({ boardId, keyHash, createdAt }) {
      await transaction(pool, async (client) => {
        // Two replacements at once (two processes) queue here: one working key remains.
        await client.query('SELECT id FROM boards WHERE id = $1 FOR UPDATE', [boardId]);
        await client.query(
          'UPDATE observer_keys SET revoked_at = $2 WHERE board_id = $1 AND revoked_at IS NULL',
          [boardId, createdAt],
        );
        await client.query(
          'INSERT INTO observer_keys (board_id, key_hash, created_at, revoked_at) VALUES ($1, $2, $3, NULL)',
          [boardId, keyHash, createdAt],
        );
      });
    },
    async revokeObserverKey(boardId, revokedAt) {
      const { rowCount } = await pool.query(
        'UPDATE observer_keys SET revoked_at = $2 WHERE board_id = $1 AND revoked_at IS NULL',
        [boardId, revokedAt],
      );
      return (rowCount ?? 0) > 0;
    },
    async findObserverKey(keyHash) {
      const { rows } = await pool.query<ObserverKeyRow>('SELECT * FROM observer_keys WHERE key_hash = $1', [
        keyHash,
      ]);
      return rows[0] ? toObserverKey(rows[0]) : null;
    },

    async tokenSecret() {
      if (secret) return secret;
      // Two processes may both insert: the first wins, and both read the winner's secret.
      await pool.query('INSERT INTO secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [
        TOKEN_SECRET,
        randomBytes(SECRET_BYTES),
      ]);
      const { rows } = await pool.query<{ value: Buffer }>('SELECT value FROM secrets WHERE name = $1', [
        TOKEN_SECRET,
      ]);
      const stored = rows[0]?.value;
      if (!stored || stored.length !== SECRET_BYTES) {
        throw new StartupError(
          `the token secret in ${where} is damaged: delete its row (table secrets, name 'token') to make a new one (everyone then joins their boards again).`,
        );
      }
      secret = bytes(stored);
      return secret;
    },

    async close() {
      if (closed) return;
      closed = true;
      await end();
    },
  };
  const full = storageFullReporter(where, options.log ?? console.error);
  return translateStoreErrors(store, full);
}
