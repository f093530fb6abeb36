/**
 * A full disk, against real servers on real SQLite files. SQLite's `max_page_count` makes the
 * engine refuse to grow the database exactly as a full disk does (SQLITE_FULL), which is how
 * SQLITE_MAX_BYTES caps it and how these tests fill it without filling the machine's disk.
 *
 * What a user relies on: a write that finds no room is answered `storage_full` (HTTP 507, or the
 * acknowledgement of a session request) with a message saying what happened; nothing else breaks
 * (what is stored can still be read, a refused vote changes nothing); the operator reads it once
 * in the log, with the database's path, not once per request; and once there is room again the
 * same server takes writes again, without a restart.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { isStorageFull } from '../../server/storage/full';
import type { SqliteStore } from '../../server/storage/sqlite';
import { readCards, ROOT } from '../../shared/board';
import { AppError } from '../../shared/errors';
import { newId } from '../../shared/ids';
import { CLOSE } from '../../shared/sync';
import type { Ack } from '../../shared/session/events';
import { syncRoundTrip, waitFor } from '../helpers/expect';
import { closeCodes, storedDoc } from '../helpers/facilitation';
import { useServerPerTest } from '../helpers/fixtures';
import { expectJsonError, postJson, rawHttp, type RawAnswer } from '../helpers/hostile';
import { tempDir, type TestServer } from '../helpers/server';
import type { SessionClient } from '../helpers/session-clients';
import { GoalWriter, workshop } from '../helpers/workshop';

/** The server's own store, whose size ceiling the tests move as an operator's disk would fill and empty. */
function sqliteStore(server: TestServer): SqliteStore {
  const store = server.running.store;
  if (!('setMaxBytes' in store) || typeof store.setMaxBytes !== 'function') {
    throw new Error('the server does not run on the SQLite store');
  }
  return store as SqliteStore;
}

/** The database's size as SQLite counts it (pages × page size), read through a connection of its own. */
function databaseBytes(dataDir: string): number {
  const db = new Database(join(dataDir, 'atelier.sqlite'), { readonly: true, fileMustExist: true });
  try {
    const pages = db.pragma('page_count', { simple: true }) as number;
    return pages * (db.pragma('page_size', { simple: true }) as number);
  } finally {
    db.close();
  }
}

/** Creates boards until one is refused (at most `limit` tries); resolves with that answer. */
async function createUntilRefused(server: TestServer, limit = 500): Promise<RawAnswer> {
  for (let i = 0; i < limit; i++) {
    const answer = await postJson(server, '/api/boards', { title: `Filler ${i}`, locale: 'en' });
    if (answer.status !== 201) return answer;
  }
  throw new Error(`${limit} boards created and none refused`);
}

interface Logged {
  message: string;
  error: unknown;
}

const fullReports = (logged: Logged[]): Logged[] =>
  logged.filter((l) => l.message.startsWith('storage full'));

describe('a full disk', () => {
  const servers = useServerPerTest();
  const { sessions, sync } = servers;
  let server: TestServer | undefined;

  it('SQLITE_MAX_BYTES: a board that no longer fits is 507 storage_full with a clear message, the ceiling holds, boards already there still open and export, and the log says it once with the path', async () => {
    const logged: Logged[] = [];
    server = await servers.start({
      env: { SQLITE_MAX_BYTES: String(256 * 1024) },
      log: (message, error) => logged.push({ message, error }),
    });
    const kept = await postJson(server, '/api/boards', { title: 'Kept', locale: 'en' });
    expect(kept.status).toBe(201);
    const keptId = (kept.json as { id: string }).id;

    const refused = await createUntilRefused(server);
    expectJsonError(refused, 507, 'storage_full');
    expect((refused.json as { error: { message: string } }).error.message).toMatch(/no room left/);
    for (let i = 0; i < 20; i++) {
      expectJsonError(await postJson(server, '/api/boards', { title: 'More' }), 507, 'storage_full');
    }
    expect(databaseBytes(server.dataDir)).toBeLessThanOrEqual(256 * 1024);

    expect((await rawHttp(server, 'GET', `/api/boards/${keptId}`)).status).toBe(200);
    expect((await rawHttp(server, 'GET', `/api/boards/${keptId}/export`)).status).toBe(200);
    expect((await rawHttp(server, 'GET', '/api/health')).status).toBe(200);

    const reports = fullReports(logged);
    expect(reports.map((r) => r.message)).toEqual([
      `storage full: ${join(server.dataDir, 'atelier.sqlite')} has no room left; writes are refused (storage_full) until space is freed`,
    ]);
    expect(isStorageFull(reports[0]?.error)).toBe(true);
    // Nothing else was logged: no stack trace per refused request.
    expect(logged.length).toBe(1);
  });

  it('a vote that needs room when there is none is acknowledged storage_full and changes nothing; everyone stays connected; once there is room again the same vote counts and boards are created', async () => {
    const logged: Logged[] = [];
    server = await servers.start({ log: (message, error) => logged.push({ message, error }) });
    const target = server;
    const w = await workshop(server, 10);
    const writer = await GoalWriter.open(server, sync, w.board.id, w.facilitator);
    const goals = await writer.add(Array.from({ length: 40 }, (_, i) => ({ title: `Goal ${i}` })));
    const connect = (token: string) => sessions.connect(target, { boardId: w.board.id, token });
    const lead = await connect(w.facilitator.token);
    const members = await Promise.all(w.participants.map((p) => connect(p.token)));
    expect(await lead.request('voting', { open: true, votesPerPerson: 40, maxPerItem: 1 })).toEqual({
      ok: true,
    });

    // The disk fills up: the database may not grow past its size now, and new boards take what
    // room is left inside it.
    sqliteStore(server).setMaxBytes(0);
    expectJsonError(await createUntilRefused(server), 507, 'storage_full');

    // Everyone votes, one goal after another, until a vote finds no room for the votes held.
    const acked = new Map<SessionClient, number>();
    let refusal: { member: SessionClient; goalId: string; ack: Ack } | null = null;
    voting: for (const member of members) {
      for (const goalId of goals) {
        const ack = await member.request('vote', { goalId, delta: 1 });
        if (!ack.ok) {
          refusal = { member, goalId, ack };
          break voting;
        }
        acked.set(member, (acked.get(member) ?? 0) + 1);
      }
    }
    if (!refusal) throw new Error('every vote fitted: the database never ran out of room');
    expect(refusal.ack).toEqual({
      ok: false,
      error: { code: 'storage_full', message: expect.stringMatching(/no room left/) },
    });

    // The refused vote changed nothing: the tallies are the acknowledged votes, on screen and on disk.
    const ackedTotal = [...acked.values()].reduce((sum, n) => sum + n, 0);
    const total = (tallies: Record<string, number> | null): number =>
      Object.values(tallies ?? {}).reduce((sum, n) => sum + n, 0);
    await lead.waitForSession((view) => total(view.tallies) === ackedTotal, 'the acknowledged tallies');
    const stored = (await server.running.store.loadSession(w.board.id)) as {
      votes: Record<string, Record<string, number>>;
    };
    expect(Object.values(stored.votes).reduce((sum, votes) => sum + total(votes), 0)).toBe(ackedTotal);
    expect(refusal.member.latest().myVotes[refusal.goalId]).toBeUndefined();
    for (const client of [lead, ...members]) expect(client.socket.connected).toBe(true);
    expect((await rawHttp(server, 'GET', `/api/boards/${w.board.id}`)).status).toBe(200);
    expect(fullReports(logged)).toHaveLength(1);

    // Room again (the operator freed space): the same server takes the same vote, and new boards.
    sqliteStore(server).setMaxBytes(null);
    const retried = await refusal.member.request('vote', { goalId: refusal.goalId, delta: 1 });
    expect(retried).toEqual({ ok: true, myVotes: expect.objectContaining({ [refusal.goalId]: 1 }) });
    await lead.waitForSession((view) => total(view.tallies) === ackedTotal + 1, 'the vote counted');
    expect((await postJson(server, '/api/boards', { title: 'After', locale: 'en' })).status).toBe(201);
    expect(fullReports(logged)).toHaveLength(1);
  });

  it('sync: an edit that finds no room closes its connection with 4507 (storage full), without a log line per board; the edit is kept by its client and stored once there is room again', async () => {
    const logged: Logged[] = [];
    server = await servers.start({ log: (message, error) => logged.push({ message, error }) });
    const board = await postJson(server, '/api/boards', { title: 'Full', locale: 'en' });
    const boardId = (board.json as { id: string }).id;
    const writer = await sync.syncedProvider(server, boardId);
    const reader = await sync.syncedProvider(server, boardId);
    const closes: number[] = [];
    writer.provider.on('connection-close', (event: { code: number } | null) => {
      if (event) closes.push(event.code);
    });

    sqliteStore(server).setMaxBytes(0);
    expectJsonError(await createUntilRefused(server), 507, 'storage_full');
    const cards = writer.doc.getMap('cards');
    writer.doc.transact(() => {
      for (let i = 0; i < 200; i++)
        cards.set(`card-full-${String(i).padStart(3, '0')}`, new Y.Map([['text', 'x'.repeat(2_000)]]));
    });
    await waitFor(() => closes.includes(CLOSE.storageFull), 5_000, 'the writer closed with 4507');
    expect(reader.doc.getMap('cards').size).toBe(0);
    expect(logged.filter((l) => /disconnecting its peers/.test(l.message))).toEqual([]);

    // Room again: the stock provider reconnects by itself and its edits are stored and shared.
    sqliteStore(server).setMaxBytes(null);
    await waitFor(() => reader.doc.getMap('cards').size === 200, 15_000, 'the edits once there is room');
    expect(fullReports(logged)).toHaveLength(1);
  });

  it('[sync#text-fields][running#full-disk] an older board whose texts are strings still opens and reads on a full disk: its conversion stays in memory until there is room', async () => {
    server = await servers.start({});
    const target = server;
    const { board, facilitator } = await workshop(server, 0);
    const writer = await sync.syncedProvider(server, board.id, { token: facilitator.token });
    const [questionId] = [...writer.doc.getMap(ROOT.questions).keys()];
    // Enough text that its conversion cannot fit in what room the full database has left.
    const cardIds = Array.from({ length: 200 }, () => newId());
    const cardId = cardIds[0] ?? '';
    writer.doc.transact(() => {
      for (const [index, id] of cardIds.entries()) {
        const card = new Y.Map<unknown>();
        for (const [key, value] of Object.entries({
          id,
          questionId,
          text: index === 0 ? 'Written as a string' : 'x'.repeat(2_000),
          authorId: facilitator.participantId,
          createdAt: index,
        }))
          card.set(key, value);
        writer.doc.getMap(ROOT.cards).set(id, card);
      }
    });
    await syncRoundTrip(writer);
    await sync.closeAll();
    await server.restart();

    // The disk is full before anyone opens the board again: loading it converts its texts.
    sqliteStore(server).setMaxBytes(0);
    expectJsonError(await createUntilRefused(server), 507, 'storage_full');
    const reader = await sync.syncedProvider(target, board.id, { token: facilitator.token });
    const closes = closeCodes(reader);
    await syncRoundTrip(reader);
    expect(readCards(reader.doc).find((card) => card.id === cardId)?.text).toBe('Written as a string');
    expect(closes).toEqual([]);
    const stored = await storedDoc(server, board.id);
    expect((stored.getMap(ROOT.cards).get(cardId) as Y.Map<unknown>).get('text')).toBe('Written as a string');
  });

  it('isStorageFull recognises SQLite’s own "database or disk is full" and nothing else', () => {
    const dir = tempDir('atelier-full-');
    const db = new Database(join(dir, 'raw.sqlite'));
    try {
      db.exec('CREATE TABLE t (x BLOB)');
      db.pragma('max_page_count = 3');
      let full: unknown;
      try {
        for (let i = 0; i < 10; i++) db.prepare('INSERT INTO t VALUES (?)').run(Buffer.alloc(4096));
      } catch (error) {
        full = error;
      }
      expect(String(full)).toMatch(/database or disk is full/);
      expect(isStorageFull(full)).toBe(true);
      let other: unknown;
      try {
        db.exec('INSERT INTO missing VALUES (1)');
      } catch (error) {
        other = error;
      }
      expect(other).toBeDefined();
      expect(isStorageFull(other)).toBe(false);
      expect(isStorageFull(new AppError('storage_full', 'full'))).toBe(true);
      expect(isStorageFull(new AppError('internal', 'other'))).toBe(false);
      expect(isStorageFull(Object.assign(new Error('no space left on device'), { code: 'ENOSPC' }))).toBe(
        true,
      );
    } finally {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
