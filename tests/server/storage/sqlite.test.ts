/** The SQLite store: the storage contract, plus what only a file on disk can promise. */
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { openSqliteStore } from '../../../server/storage/sqlite';
import type { Store } from '../../../server/storage/store';
import {
  addCard,
  addQuestion,
  readCards,
  readHats,
  readMeta,
  readQuestions,
  updateCard,
  writeTemplate,
} from '../../../shared/board';
import { tempDir } from '../../helpers/server';
import { boardRecord, describeStoreContract, type OpenedStore } from './contract';

/** A SQLite store in a fresh temporary directory. */
async function openTemp(dataDir = tempDir('atelier-sqlite-')): Promise<OpenedStore & { dataDir: string }> {
  let current: Store = openSqliteStore({ dataDir });
  return {
    dataDir,
    store: current,
    async reopen() {
      await current.close();
      current = openSqliteStore({ dataDir });
      return current;
    },
    async cleanup() {
      await current.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

describeStoreContract('SQLite', () => openTemp());

describe('SQLite store specifics', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  async function opened(dataDir?: string): Promise<OpenedStore & { dataDir: string }> {
    const result = await openTemp(dataDir);
    cleanups.push(result.cleanup);
    return result;
  }

  it('[running#environment] creates DATA_DIR when it does not exist', async () => {
    const parent = tempDir('atelier-sqlite-parent-');
    cleanups.push(async () => rmSync(parent, { recursive: true, force: true }));
    const dataDir = join(parent, 'nested', 'data');
    const { store } = await opened(dataDir);
    const board = boardRecord();
    await store.createBoard(board, new Uint8Array([1]));
    expect(existsSync(dataDir)).toBe(true);
    expect((await store.getBoard(board.id))?.id).toBe(board.id);
  });

  it('[running#environment] keeps the token secret in DATA_DIR, readable by its owner only (mode 0600)', async () => {
    const { store, dataDir } = await opened();
    const secret = await store.tokenSecret();
    const path = join(dataDir, 'secret.key');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readFileSync(path, 'utf8').trim()).toBe(Buffer.from(secret).toString('hex'));
  });

  it('[running#running] refuses a damaged secret file instead of quietly making a new secret', async () => {
    const { store, dataDir } = await opened();
    writeFileSync(join(dataDir, 'secret.key'), 'not a secret\n', { mode: 0o600 });
    await expect(store.tokenSecret()).rejects.toThrow(/secret/);
  });

  it('refuses to open a database written by a newer Atelier', async () => {
    const { store, dataDir } = await opened();
    await store.close();
    const db = new Database(join(dataDir, 'atelier.sqlite'));
    db.pragma('user_version = 99');
    db.close();
    expect(() => openSqliteStore({ dataDir })).toThrow(/newer Atelier/);
  });

  it('upgrades a database from before the update guard: its snapshots are unchecked (checked when loaded), new ones checked', async () => {
    const { store, dataDir } = await opened();
    const board = boardRecord();
    await store.createBoard(board, Y.encodeStateAsUpdate(new Y.Doc()));
    await store.close();
    // As the previous version left it: schema 1, no mark on snapshots.
    const db = new Database(join(dataDir, 'atelier.sqlite'));
    db.exec('ALTER TABLE doc_snapshots DROP COLUMN checked');
    db.exec('DROP TABLE observer_keys');
    db.pragma('user_version = 1');
    db.close();
    const upgraded = openSqliteStore({ dataDir });
    try {
      expect((await upgraded.loadDoc(board.id)).checked).toBe(false);
      const last = await upgraded.appendUpdates(board.id, [Y.encodeStateAsUpdate(new Y.Doc())]);
      expect((await upgraded.loadDoc(board.id)).checked).toBe(false);
      await upgraded.compactDoc(board.id, Y.encodeStateAsUpdate(new Y.Doc()), last);
      expect((await upgraded.loadDoc(board.id)).checked).toBe(true);
    } finally {
      await upgraded.close();
    }
  });

  it('[security#observer-links] upgrades a database of the previous version (schema 2): its boards stay, and they get observer keys', async () => {
    const { store, dataDir } = await opened();
    const board = boardRecord();
    await store.createBoard(board, Y.encodeStateAsUpdate(new Y.Doc()));
    await store.close();
    // As the previous version left it: schema 2, no observer keys.
    const db = new Database(join(dataDir, 'atelier.sqlite'));
    db.exec('DROP TABLE observer_keys');
    db.pragma('user_version = 2');
    db.close();
    const upgraded = openSqliteStore({ dataDir });
    try {
      expect((await upgraded.getBoard(board.id))?.title).toBe(board.title);
      const keyHash = new Uint8Array(32).fill(9);
      await upgraded.replaceObserverKey({ boardId: board.id, keyHash, createdAt: 5 });
      expect((await upgraded.findObserverKey(keyHash))?.boardId).toBe(board.id);
    } finally {
      await upgraded.close();
    }
    const reopened = new Database(join(dataDir, 'atelier.sqlite'));
    expect(reopened.pragma('user_version', { simple: true })).toBe(3);
    reopened.close();
  });

  it('[errors#document-content] rebuilds from loadDoc, after a reopen, a Yjs document equal to the one that was edited', async () => {
    const { store, reopen } = await opened();
    const original = new Y.Doc();
    writeTemplate(original, {
      title: 'Kickoff',
      locale: 'fr',
      template: 'social-kickoff',
      createdAt: 1_780_000_000_000,
    });
    const board = boardRecord();
    await store.createBoard(board, Y.encodeStateAsUpdate(original));

    // Every edit is stored as an update, as the sync server does; half-way, the document is compacted.
    const pending: Uint8Array[] = [];
    original.on('update', (update: Uint8Array) => pending.push(update));
    const questionId = addQuestion(original, { text: 'Une question de plus ?', section: 'discover' });
    const cardIds: string[] = [];
    for (let i = 0; i < 20; i++) {
      cardIds.push(addCard(original, { questionId, text: `Réponse ${i}`, authorId: 'author-0001' }));
      if (i % 3 === 0) updateCard(original, cardIds[0] as string, `Réponse zéro, version ${i}`);
      const seq = await store.appendUpdates(board.id, pending.splice(0));
      if (i === 10) await store.compactDoc(board.id, Y.encodeStateAsUpdate(original), seq);
    }

    const reopened = await reopen();
    const stored = await reopened.loadDoc(board.id);
    expect(stored.updates.length).toBeGreaterThan(0);
    const rebuilt = new Y.Doc();
    for (const update of [stored.snapshot, ...stored.updates]) if (update) Y.applyUpdate(rebuilt, update);

    expect(Y.encodeStateVector(rebuilt)).toEqual(Y.encodeStateVector(original));
    expect(rebuilt.getMap('cards').toJSON()).toEqual(original.getMap('cards').toJSON());
    expect(readMeta(rebuilt)).toEqual(readMeta(original));
    expect(readQuestions(rebuilt)).toEqual(readQuestions(original));
    expect(readCards(rebuilt)).toEqual(readCards(original));
    expect(readHats(rebuilt)).toEqual(readHats(original));
    expect(readCards(rebuilt)).toHaveLength(20);
  });
});
