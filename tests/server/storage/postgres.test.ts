/**
 * The PostgreSQL store: the storage contract, plus what several processes sharing one database
 * need (docs/running.md#several-processes). Each "process" here is its own store with its own connection pool on the same
 * database, which is what two Atelier processes started with the same DATABASE_URL are.
 */
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { openPostgresStore } from '../../../server/storage/postgres';
import { AppError } from '../../../shared/errors';
import type { Store, StoredDoc } from '../../../server/storage/store';
import { addCard, addQuestion, readCards, writeTemplate } from '../../../shared/board';
import { usePostgres } from '../../helpers/postgres';
import { boardRecord, describeStoreContract, participantRecord, type OpenedStore } from './contract';

const postgres = usePostgres();

/** A store on a new, empty database; `cleanup` closes it and drops the database. */
async function openFresh(): Promise<OpenedStore & { url: string }> {
  const url = await postgres().createDatabase();
  let current: Store = await openPostgresStore({ url });
  return {
    url,
    store: current,
    async reopen() {
      await current.close();
      current = await openPostgresStore({ url });
      return current;
    },
    async cleanup() {
      await current.close();
      await postgres().dropDatabase(url);
    },
  };
}

describeStoreContract('PostgreSQL', openFresh);

/** Runs one statement on the database at `url` through a connection of its own. */
async function sql<Row extends pg.QueryResultRow>(
  url: string,
  text: string,
  values: unknown[] = [],
): Promise<Row[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<Row>(text, values)).rows;
  } finally {
    await client.end();
  }
}

const plain = (data: Uint8Array | null): number[] | null => (data === null ? null : Array.from(data));

function applyStored(doc: Y.Doc, stored: StoredDoc): Y.Doc {
  for (const update of [stored.snapshot, ...stored.updates]) if (update) Y.applyUpdate(doc, update);
  return doc;
}

/** What a test's `updateSession` counts. */
const increment = (saved: unknown) => {
  const count = ((saved as { count: number } | null)?.count ?? 0) + 1;
  return { state: { count }, result: count };
};

/** A Yjs board document as a process holds it: edits become updates that it appends to its store. */
class Editor {
  readonly doc: Y.Doc;
  private readonly pending: Uint8Array[] = [];

  constructor(
    readonly store: Store,
    readonly boardId: string,
    stored: StoredDoc,
    private readonly questionId: string,
  ) {
    this.doc = applyStored(new Y.Doc(), stored);
    this.doc.on('update', (update: Uint8Array) => this.pending.push(update));
  }

  /** Adds a card and appends the resulting update; resolves with its sequence number. */
  async addCard(text: string): Promise<number> {
    addCard(this.doc, { questionId: this.questionId, text, authorId: 'author-0001' });
    return this.store.appendUpdates(this.boardId, this.pending.splice(0));
  }
}

describe('PostgreSQL store, several processes on one database', () => {
  const cleanups: Array<() => Promise<void>> = [];
  const closeAll = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  };
  afterEach(closeAll);

  /** `count` stores (processes) started at once on the database at `url` (a new one by default). */
  async function processes(count: number, url?: string): Promise<{ url: string; stores: Store[] }> {
    const database = url ?? (await postgres().createDatabase());
    if (!url) cleanups.push(() => postgres().dropDatabase(database));
    const started = await Promise.allSettled(
      Array.from({ length: count }, () => openPostgresStore({ url: database })),
    );
    const stores = started.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
    cleanups.push(async () => {
      await Promise.all(stores.map((store) => store.close()));
    });
    for (const outcome of started) if (outcome.status === 'rejected') throw outcome.reason;
    return { url: database, stores };
  }

  /** A kickoff board created through `store`, and its question for cards. */
  async function kickoffBoard(store: Store): Promise<{ boardId: string; questionId: string }> {
    const doc = new Y.Doc();
    writeTemplate(doc, { title: 'Kickoff', locale: 'fr', template: 'social-kickoff', createdAt: 1 });
    const questionId = addQuestion(doc, { text: 'Qui est notre public ?', section: 'discover' });
    const board = boardRecord();
    await store.createBoard(board, Y.encodeStateAsUpdate(doc));
    return { boardId: board.id, questionId };
  }

  /** The stored snapshot's through_seq, read straight from the table. */
  async function throughSeq(url: string, boardId: string): Promise<number> {
    const rows = await sql<{ through_seq: string }>(
      url,
      'SELECT through_seq FROM doc_snapshots WHERE board_id = $1',
      [boardId],
    );
    return Number(rows[0]?.through_seq);
  }

  it('[running#several-processes] four processes starting at once on an empty database all start, and agree on the token secret', async () => {
    const { url, stores } = await processes(4);
    const secrets = await Promise.all(stores.map((store) => store.tokenSecret()));
    for (const secret of secrets) expect(plain(secret)).toEqual(plain(secrets[0] as Uint8Array));
    expect(secrets[0]?.length).toBe(32);
    expect(await sql(url, 'SELECT version FROM atelier_schema')).toEqual([{ version: 4 }]);

    // A fifth process started later finds the schema made and the same secret.
    const [later] = (await processes(1, url)).stores;
    expect(plain(await (later as Store).tokenSecret())).toEqual(plain(secrets[0] as Uint8Array));
  });

  it('[session#session-plane][running#several-processes] 200 concurrent session changes split across two processes give exactly 200 increments', async () => {
    const { stores } = await processes(2);
    const [a, b] = stores as [Store, Store];
    const board = boardRecord();
    await a.createBoard(board, new Uint8Array([0]));
    const outcomes = await Promise.all(
      Array.from({ length: 200 }, (_, i) => (i % 2 === 0 ? a : b).updateSession(board.id, increment)),
    );
    // Each change saw a different state: no two read the same count.
    const results = outcomes.map((outcome) => outcome.result).sort((x, y) => x - y);
    expect(results).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    expect(await a.loadSession(board.id)).toEqual({ count: 200 });
    expect(await b.loadSession(board.id)).toEqual({ count: 200 });
  });

  it('[session#session-plane][running#several-processes] a change that throws in one process neither stores anything nor blocks the other process', async () => {
    const { stores } = await processes(2);
    const [a, b] = stores as [Store, Store];
    const board = boardRecord();
    await a.createBoard(board, new Uint8Array([0]));
    const failures = Array.from({ length: 20 }, () =>
      a.updateSession(board.id, () => {
        throw new Error('votes_exceed_budget');
      }),
    );
    const successes = Array.from({ length: 20 }, () => b.updateSession(board.id, increment));
    const settled = await Promise.allSettled([...failures, ...successes]);
    expect(settled.slice(0, 20).every((outcome) => outcome.status === 'rejected')).toBe(true);
    expect(settled.slice(20).every((outcome) => outcome.status === 'fulfilled')).toBe(true);
    expect(await a.loadSession(board.id)).toEqual({ count: 20 });
  });

  it('[errors#durability][running#several-processes] concurrent appends from two processes all come back, in sequence order, and a third process catching up with loadDocSince misses none', async () => {
    const { stores } = await processes(3);
    const [a, b, reader] = stores as [Store, Store, Store];
    const board = boardRecord();
    await a.createBoard(board, new Uint8Array([0]));

    // A third process has loaded the board; it will poll for what is new, as one that missed broadcasts does.
    let cursor = (await reader.loadDoc(board.id)).lastSeq;

    // Four writers per process, each appending its own numbered updates one after another.
    const seqOf = new Map<string, number>();
    let writing = true;
    const writers = [a, b].flatMap((store, process) =>
      Array.from({ length: 4 }, async (_, writer) => {
        for (let i = 0; i < 25; i++) {
          const update = new Uint8Array([process, writer, i]);
          seqOf.set(update.join(','), await store.appendUpdates(board.id, [update]));
        }
      }),
    );

    const caughtUp: string[] = [];
    const poll = async () => {
      const since = await reader.loadDocSince(board.id, cursor);
      expect(since.snapshot).toBeNull();
      for (const update of since.updates) caughtUp.push(Array.from(update).join(','));
      cursor = since.lastSeq;
    };
    const polling = (async () => {
      while (writing) await poll();
      await poll(); // once more after the last append
    })();
    await Promise.all(writers);
    writing = false;
    await polling;

    const stored = (await b.loadDoc(board.id)).updates.map((update) => Array.from(update).join(','));
    expect(stored).toHaveLength(200);
    expect(new Set(stored).size).toBe(200);
    // Sequence order: the order each append's own sequence number gives.
    const bySeq = [...seqOf.entries()].sort((x, y) => x[1] - y[1]).map(([key]) => key);
    expect(stored).toEqual(bySeq);
    // Each writer's updates in the order it wrote them.
    for (const process of [0, 1]) {
      for (let writer = 0; writer < 4; writer++) {
        const own = stored.filter((key) => key.startsWith(`${process},${writer},`));
        expect(own).toEqual(Array.from({ length: 25 }, (_, i) => `${process},${writer},${i}`));
      }
    }
    expect(caughtUp).toEqual(stored);
  });

  it('[errors#durability][running#several-processes] an older compaction finishing after a newer one keeps the newer snapshot and every later update', async () => {
    const { url, stores } = await processes(2);
    const [a, b] = stores as [Store, Store];
    const { boardId, questionId } = await kickoffBoard(a);
    const editor = new Editor(a, boardId, await a.loadDoc(boardId), questionId);
    const states = new Map<number, { seq: number; state: Uint8Array }>();
    for (let i = 1; i <= 150; i++) {
      const seq = await editor.addCard(`Carte ${i}`);
      if (i === 100 || i === 120) states.set(i, { seq, state: Y.encodeStateAsUpdate(editor.doc) });
    }
    const older = states.get(100) as { seq: number; state: Uint8Array };
    const newer = states.get(120) as { seq: number; state: Uint8Array };

    await b.compactDoc(boardId, newer.state, newer.seq);
    await a.compactDoc(boardId, older.state, older.seq);

    expect(await throughSeq(url, boardId)).toBe(newer.seq);
    const stored = await a.loadDoc(boardId);
    expect(plain(stored.snapshot)).toEqual(plain(newer.state));
    expect(stored.updates).toHaveLength(30);
    const rebuilt = applyStored(new Y.Doc(), stored);
    expect(readCards(rebuilt)).toEqual(readCards(editor.doc));
    expect(readCards(rebuilt)).toHaveLength(150);
  });

  it('[errors#durability][running#several-processes] compactions racing each other and the appends of two processes never lose an update nor go back to an older snapshot', async () => {
    const { url, stores } = await processes(2);
    const [a, b] = stores as [Store, Store];
    const { boardId, questionId } = await kickoffBoard(a);
    // Three people editing through each process, each adding 40 cards.
    const editors = await Promise.all(
      [a, a, a, b, b, b].map(
        async (store) => new Editor(store, boardId, await store.loadDoc(boardId), questionId),
      ),
    );
    let editing = true;
    const edits = editors.map(async (editor, person) => {
      for (let i = 0; i < 40; i++) await editor.addCard(`Person ${person}, card ${i}`);
    });

    // Each process compacts what it loaded; the one that loaded first compacts last (older).
    const compacted: number[] = [];
    const compactions = (async () => {
      // At least three rounds, however fast the appends are (the race needs several).
      while (editing || compacted.length < 3) {
        const olderView = await a.loadDoc(boardId);
        const newerView = await b.loadDoc(boardId);
        await Promise.all([
          b.compactDoc(
            boardId,
            Y.encodeStateAsUpdate(applyStored(new Y.Doc(), newerView)),
            newerView.lastSeq,
          ),
          a.compactDoc(
            boardId,
            Y.encodeStateAsUpdate(applyStored(new Y.Doc(), olderView)),
            olderView.lastSeq,
          ),
        ]);
        await a.compactDoc(
          boardId,
          Y.encodeStateAsUpdate(applyStored(new Y.Doc(), olderView)),
          olderView.lastSeq,
        );
        compacted.push(await throughSeq(url, boardId));
      }
    })();
    await Promise.all(edits);
    editing = false;
    await compactions;

    expect(compacted.length).toBeGreaterThan(1);
    expect(compacted).toEqual([...compacted].sort((x, y) => x - y));
    const rebuilt = applyStored(new Y.Doc(), await b.loadDoc(boardId));
    const expected = new Y.Doc();
    for (const editor of editors) Y.applyUpdate(expected, Y.encodeStateAsUpdate(editor.doc));
    expect(readCards(rebuilt)).toHaveLength(240);
    expect(readCards(rebuilt)).toEqual(readCards(expected));
    expect(Y.encodeStateVector(rebuilt)).toEqual(Y.encodeStateVector(expected));
  });

  it('[running#several-processes] closing every process and starting again keeps boards, documents, participants, sessions and the secret', async () => {
    const { url, stores } = await processes(2);
    const [a, b] = stores as [Store, Store];
    const board = boardRecord();
    await a.createBoard(board, new Uint8Array([0]));
    await a.appendUpdates(board.id, [new Uint8Array([1])]);
    const through = await b.appendUpdates(board.id, [new Uint8Array([2])]);
    await b.compactDoc(board.id, new Uint8Array([0, 1, 2]), through);
    const lastSeq = await a.appendUpdates(board.id, [new Uint8Array([3])]);
    const camille = participantRecord(board.id, { name: 'Camille', role: 'facilitator' });
    await b.addParticipant(camille);
    await a.updateSession(board.id, increment);
    await b.updateSession(board.id, increment);
    const secret = plain(await a.tokenSecret());
    await Promise.all([a.close(), b.close()]);

    const [restarted] = (await processes(1, url)).stores as [Store];
    expect((await restarted.getBoard(board.id))?.title).toBe(board.title);
    const doc = await restarted.loadDoc(board.id);
    expect(plain(doc.snapshot)).toEqual([0, 1, 2]);
    expect(doc.updates.map(plain)).toEqual([[3]]);
    expect(doc.lastSeq).toBe(lastSeq);
    expect(await restarted.listParticipants(board.id)).toEqual([camille]);
    expect(await restarted.loadSession(board.id)).toEqual({ count: 2 });
    expect(plain(await restarted.tokenSecret())).toEqual(secret);
    expect(await restarted.appendUpdates(board.id, [new Uint8Array([4])])).toBeGreaterThan(lastSeq);
  });
});

describe('PostgreSQL store start-up', () => {
  it('refuses a database written by a newer Atelier', async () => {
    const { url, store, cleanup } = await openFresh();
    try {
      await store.close();
      await sql(url, 'UPDATE atelier_schema SET version = 99');
      await expect(openPostgresStore({ url })).rejects.toThrow(/newer Atelier/);
    } finally {
      await cleanup();
    }
  });

  it('[security#observer-links] upgrades a database of the previous version (schema 2): its boards stay, and they get observer keys', async () => {
    const { url, store, cleanup } = await openFresh();
    try {
      const board = boardRecord();
      await store.createBoard(board, new Uint8Array([0]));
      await store.close();
      await sql(url, 'DROP TABLE observer_keys');
      await sql(url, 'ALTER TABLE doc_snapshots DROP COLUMN clean');
      await sql(url, 'UPDATE atelier_schema SET version = 2');
      const upgraded = await openPostgresStore({ url });
      try {
        expect((await upgraded.getBoard(board.id))?.title).toBe(board.title);
        const keyHash = new Uint8Array(32).fill(9);
        await upgraded.replaceObserverKey({ boardId: board.id, keyHash, createdAt: 5 });
        expect((await upgraded.findObserverKey(keyHash))?.boardId).toBe(board.id);
        expect(await sql(url, 'SELECT version FROM atelier_schema')).toEqual([{ version: 4 }]);
      } finally {
        await upgraded.close();
      }
    } finally {
      await cleanup();
    }
  });

  it('[running#several-processes] fails at start, with PostgreSQL’s reason, when the database cannot be reached', async () => {
    const url = new URL(await postgres().createDatabase());
    await postgres().dropDatabase(url.href);
    await expect(openPostgresStore({ url: url.href })).rejects.toThrow(/does not exist/);
  });

  it('[running#several-processes] refuses a damaged token secret instead of quietly making a new one', async () => {
    const { url, store, cleanup } = await openFresh();
    try {
      await store.tokenSecret();
      await sql(url, `UPDATE secrets SET value = '\\x00'::bytea`);
      const other = await openPostgresStore({ url });
      await expect(other.tokenSecret()).rejects.toThrow(/secret/);
      await other.close();
    } finally {
      await cleanup();
    }
  });
});

describe('PostgreSQL store on a full disk', () => {
  it('a write PostgreSQL refuses with disk_full (SQLSTATE 53100) is storage_full, changes nothing, is logged once with the database, and writes resume when it has room', async () => {
    const url = await postgres().createDatabase();
    const logged: string[] = [];
    const store = await openPostgresStore({ url, log: (message) => logged.push(message) });
    try {
      const board = boardRecord();
      await store.createBoard(board, new Uint8Array([1]));
      await store.updateSession(board.id, increment);
      // Filling a real disk is not something a test can do to a shared machine: PostgreSQL itself
      // raises the error it raises when it cannot extend a file, with its SQLSTATE.
      await sql(
        url,
        `CREATE FUNCTION no_room() RETURNS trigger LANGUAGE plpgsql AS $$
         BEGIN RAISE EXCEPTION 'could not extend file: No space left on device' USING ERRCODE = 'disk_full'; END $$`,
      );
      await sql(
        url,
        'CREATE TRIGGER no_room BEFORE INSERT OR UPDATE ON doc_updates FOR EACH ROW EXECUTE FUNCTION no_room()',
      );
      await sql(
        url,
        'CREATE TRIGGER no_room BEFORE INSERT OR UPDATE ON sessions FOR EACH ROW EXECUTE FUNCTION no_room()',
      );

      for (let i = 0; i < 5; i++) {
        const appended = store.appendUpdates(board.id, [new Uint8Array([2])]);
        await expect(appended).rejects.toBeInstanceOf(AppError);
        await expect(appended).rejects.toMatchObject({ code: 'storage_full' });
        await expect(store.updateSession(board.id, increment)).rejects.toMatchObject({
          code: 'storage_full',
        });
      }
      expect(await store.loadSession(board.id)).toEqual({ count: 1 });
      expect((await store.loadDoc(board.id)).updates).toEqual([]);
      const { host, pathname } = new URL(url);
      expect(logged).toEqual([
        `storage full: the PostgreSQL database ${host}${pathname} has no room left; writes are refused (storage_full) until space is freed`,
      ]);

      await sql(url, 'DROP TRIGGER no_room ON doc_updates');
      await sql(url, 'DROP TRIGGER no_room ON sessions');
      expect(await store.appendUpdates(board.id, [new Uint8Array([2])])).toBeGreaterThan(0);
      expect((await store.updateSession(board.id, increment)).result).toBe(2);
    } finally {
      await store.close();
      await postgres().dropDatabase(url);
    }
  });
});
