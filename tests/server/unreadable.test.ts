/**
 * A board whose stored data cannot be read, on a real server in a child process (a failure while
 * loading must not take the server down) with its real SQLite file: the meeting is loaded during
 * the socket.io handshake, so a board that cannot be loaded is a `connect_error` with a code the
 * client shows (`board_unreadable`) — not a connection accepted and then dropped without a word —
 * and the HTTP API says the same. Other boards keep working; repairing the data is enough.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useClients } from '../helpers/fixtures';
import { expectJsonError, postJson, rawHttp } from '../helpers/hostile';
import { startServerProcess, stopServerProcesses, type ServerProcess } from '../helpers/server-process';
import { createBoard, joinBoard } from '../helpers/server';

/** Sets a board's stored session state to `text`, through a connection of our own to the file. */
function writeSessionRow(server: ServerProcess, boardId: string, text: string): void {
  const db = new Database(join(server.dataDir, 'atelier.sqlite'));
  try {
    db.pragma('busy_timeout = 5000');
    db.prepare(
      `INSERT INTO sessions (board_id, state) VALUES (?, ?)
       ON CONFLICT (board_id) DO UPDATE SET state = excluded.state`,
    ).run(boardId, text);
  } finally {
    db.close();
  }
}

/** A board's stored session state as text, or null while nothing was stored for it. */
function readSessionRow(server: ServerProcess, boardId: string): string | null {
  const db = new Database(join(server.dataDir, 'atelier.sqlite'), {
    readonly: true,
  });
  try {
    const row = db.prepare('SELECT state FROM sessions WHERE board_id = ?').get(boardId) as
      { state: string } | undefined;
    return row?.state ?? null;
  } finally {
    db.close();
  }
}

describe('a board whose stored data cannot be read', () => {
  let server: ServerProcess;
  const { sessions } = useClients();

  beforeAll(async () => {
    server = await startServerProcess();
  });
  afterAll(async () => {
    await stopServerProcesses();
  });

  it('is refused at the socket.io handshake with connect_error board_unreadable, and over HTTP with 500 board_unreadable; other boards keep working; repaired, it opens', async () => {
    const broken = await createBoard(server);
    const lead = await joinBoard(server, broken.id, 'Lead', broken.facilitatorKey);
    const member = await joinBoard(server, broken.id, 'Ana');
    const other = await createBoard(server);
    const otherLead = await joinBoard(server, other.id, 'Lead', other.facilitatorKey);
    // What a repair puts back: the stored state, or the state of a board that never stored one.
    const good = readSessionRow(server, broken.id) ?? '{}';

    // Nobody has the broken board open: its meeting is loaded by the next connection, from a row
    // cut short on disk.
    writeSessionRow(server, broken.id, '{"rev": 1, "phase": "disc');
    for (const joined of [lead, member]) {
      expect(
        await sessions.connectError(server, {
          boardId: broken.id,
          token: joined.token,
        }),
      ).toBe('board_unreadable');
    }
    expectJsonError(await rawHttp(server, 'GET', `/api/boards/${broken.id}`), 500, 'board_unreadable');
    expectJsonError(
      await postJson(server, `/api/boards/${broken.id}/join`, { name: 'Sam' }),
      500,
      'board_unreadable',
    );
    // The operator is told which board, and why.
    await server.waitForOutput(new RegExp(`could not load board ${broken.id}`));

    // The server is up and every other board works as before.
    expect(server.alive).toBe(true);
    const otherClient = await sessions.connect(server, {
      boardId: other.id,
      token: otherLead.token,
    });
    expect(await otherClient.request('phase', { phase: 'goals' })).toEqual({
      ok: true,
    });
    expect((await joinBoard(server, other.id, 'Camille')).role).toBe('participant');
    expect((await rawHttp(server, 'GET', `/api/boards/${other.id}`)).status).toBe(200);

    // Repaired on disk: the next connection loads it (no failure is remembered).
    writeSessionRow(server, broken.id, good);
    const repaired = await sessions.connect(server, {
      boardId: broken.id,
      token: member.token,
    });
    expect(repaired.latest().participants.map((p) => p.name)).toEqual(['Lead', 'Ana']);
    expect(server.alive).toBe(true);
  });
});
