/**
 * Starting with what is on the machine, against real server processes (started as production
 * starts them, configured from the environment) and real files in temporary directories.
 *
 * What an operator relies on: a start that cannot work says so in one line, naming the port or
 * the full path and what to do, exits 2, and leaves the data directory exactly as it was — an
 * empty or foreign `atelier.sqlite` is never replaced by a new, empty database. A database with
 * damaged pages is named in the log, and the boards that can be read are still served.
 */
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { openSqliteStore } from '../../server/storage/sqlite';
import { writeTemplate } from '../../shared/board';
import { freePort, spawnTracked, untilOutput, type Exit, type TrackedChild } from '../helpers/children';
import { boardRecord } from './storage/contract';
import { usePostgres } from '../helpers/postgres';
import { tempDir } from '../helpers/server';

const REPOSITORY = fileURLToPath(new URL('../..', import.meta.url));
const EXIT_TIMEOUT_MS = 20_000;
/**
 * As root, permissions do not stop anyone: the read-only cases start the server as root without
 * the capabilities that override file permissions (util-linux's `setpriv`), so that it meets the
 * permission bits as any user would. (Another user could not reach node_modules from a checkout
 * in a folder closed to others, as under /root.)
 */
const WITHOUT_OVERRIDE = ['setpriv', '--bounding-set=-dac_override,-dac_read_search,-fowner', '--'];

interface Started {
  child: TrackedChild;
}

function startAtelier(env: Record<string, string>, { honourPermissions = false } = {}): Started {
  const node = [process.execPath, '--import', 'tsx', 'server/main.ts'];
  const [command = process.execPath, ...args] =
    honourPermissions && process.getuid?.() === 0 ? [...WITHOUT_OVERRIDE, ...node] : node;
  const child = spawnTracked(command, args, {
    cwd: REPOSITORY,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', HOST: '127.0.0.1', ...env },
  });
  return { child };
}

/** How the process ended and what it wrote, or a failure if it is still running after a while. */
async function ended(started: Started): Promise<Exit & { lines: string[] }> {
  let timer: NodeJS.Timeout | undefined;
  const exit = await Promise.race([
    started.child.exited,
    new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), EXIT_TIMEOUT_MS))),
  ]).finally(() => clearTimeout(timer));
  if (exit === null) {
    started.child.process.kill('SIGKILL');
    throw new Error(`still running after ${EXIT_TIMEOUT_MS} ms:\n${started.child.output.text}`);
  }
  return { ...exit, lines: started.child.output.text.trim().split('\n') };
}

/** The files of `dir` with their contents, to see that a refused start changed nothing. */
function snapshot(dir: string): Record<string, string> {
  return Object.fromEntries(readdirSync(dir).map((name) => [name, readFileSync(join(dir, name), 'hex')]));
}

describe('starting the server', () => {
  const cleanups: Array<() => void> = [];
  afterEach(() => {
    for (const cleanup of cleanups.splice(0)) cleanup();
  });
  const temp = (prefix: string): string => {
    const dir = tempDir(prefix);
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    return dir;
  };

  it('on a port already in use: one line naming the port, exit 2, and no data directory made', async () => {
    const holder: Server = createServer();
    const port = await freePort();
    await new Promise<void>((resolve) => holder.listen(port, '127.0.0.1', resolve));
    cleanups.push(() => holder.close());
    const dataDir = join(temp('atelier-busy-'), 'data');

    const result = await ended(startAtelier({ PORT: String(port), DATA_DIR: dataDir }));

    expect(result).toEqual({
      code: 2,
      signal: null,
      lines: [`Atelier cannot start: port ${port} is already in use (set PORT to another).`],
    });
    expect(existsSync(dataDir)).toBe(false);
  });

  for (const [what, contents, reason] of [
    ['an empty (0-byte) atelier.sqlite', Buffer.alloc(0), /is empty \(0 bytes\): it holds no boards/],
    [
      'an atelier.sqlite that is not SQLite',
      Buffer.from('id,title\nQfX,Kickoff\n'.repeat(200)),
      /is not an SQLite database/,
    ],
  ] as const) {
    it(`with ${what}: refuses with its full path and what to do, exit 2, and never makes a new database over it`, async () => {
      const dataDir = temp('atelier-refused-');
      const path = join(dataDir, 'atelier.sqlite');
      writeFileSync(path, contents);
      const before = snapshot(dataDir);

      const result = await ended(startAtelier({ PORT: '0', DATA_DIR: dataDir }));

      expect({ code: result.code, lines: result.lines.length }).toEqual({ code: 2, lines: 1 });
      const [line] = result.lines;
      expect(line).toMatch(/^Atelier cannot start: /);
      expect(line).toContain(path);
      expect(line).toMatch(reason);
      expect(line).toContain('Restore it from a backup, or move it away to start with no boards.');
      expect(snapshot(dataDir)).toEqual(before);
    });
  }

  it('with a journal (atelier.sqlite-wal) but no database: refuses, naming both, and creates nothing', async () => {
    const dataDir = temp('atelier-journal-');
    writeFileSync(join(dataDir, 'atelier.sqlite-wal'), randomBytes(8192));
    const before = snapshot(dataDir);

    const result = await ended(startAtelier({ PORT: '0', DATA_DIR: dataDir }));

    expect({ code: result.code, lines: result.lines.length }).toEqual({ code: 2, lines: 1 });
    expect(result.lines[0]).toContain(`${join(dataDir, 'atelier.sqlite')}-wal is there without its database`);
    expect(snapshot(dataDir)).toEqual(before);
  });

  it('with a read-only data directory: refuses, naming the directory, exit 2, and changes nothing in it', async () => {
    const parent = temp('atelier-readonly-');
    const dataDir = join(parent, 'data');
    mkdirSync(dataDir);
    // A database from an earlier run, which must stay as it is.
    const store = openSqliteStore({ dataDir });
    await store.createBoard(boardRecord(), new Uint8Array([1]));
    await store.tokenSecret();
    await store.close();
    const before = snapshot(dataDir);
    chmodSync(dataDir, 0o555);
    cleanups.unshift(() => chmodSync(dataDir, 0o755));

    const result = await ended(startAtelier({ PORT: '0', DATA_DIR: dataDir }, { honourPermissions: true }));

    expect({ code: result.code, lines: result.lines }).toEqual({
      code: 2,
      lines: [
        expect.stringMatching(/^Atelier cannot start: the data directory .* is not writable by this user/),
      ],
    });
    expect(result.lines[0]).toContain(dataDir);
    expect(snapshot(dataDir)).toEqual(before);
  });

  it('with damaged pages inside the database: starts, names the file in the log, and serves the boards it can read', async () => {
    const dataDir = temp('atelier-damaged-');
    const path = join(dataDir, 'atelier.sqlite');
    const store = openSqliteStore({ dataDir });
    const ids: string[] = [];
    for (let i = 0; i < 300; i++) {
      const doc = new Y.Doc();
      writeTemplate(doc, { title: `Board ${i}`, locale: 'en', template: 'social-kickoff', createdAt: i });
      const board = { ...boardRecord(), title: `Board ${i}` };
      await store.createBoard(board, Y.encodeStateAsUpdate(doc));
      ids.push(board.id);
    }
    await store.close();
    // 64 KiB of garbage in the middle of the file, on page boundaries: a disk or a copy gone bad.
    const file = readFileSync(path);
    const offset = Math.floor(file.length / 2 / 4096) * 4096;
    randomBytes(64 * 1024).copy(file, offset);
    writeFileSync(path, file);

    const { child } = startAtelier({ PORT: '0', DATA_DIR: dataDir, UNLOAD_AFTER_MS: '200' });
    cleanups.push(() => child.process.kill('SIGKILL'));
    const [, url] = await untilOutput(child, /Atelier is running on (\S+) /, 'the server', 20_000);
    await untilOutput(
      child,
      new RegExp(
        `database damaged: ${path.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} fails SQLite's integrity check`,
      ),
      'the report of the damage',
      20_000,
    );

    const statuses: number[] = [];
    for (const id of ids) {
      const response = await fetch(`${url}/api/boards/${id}`);
      statuses.push(response.status);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      await response.body?.cancel();
    }
    const served = statuses.filter((status) => status === 200).length;
    expect(served, `boards served out of ${ids.length}`).toBeGreaterThan(ids.length / 2);
    expect(statuses.every((status) => [200, 404, 500].includes(status))).toBe(true);
    expect((await fetch(`${url}/api/health`)).status).toBe(200);
    expect(child.alive).toBe(true);
  });
});

describe('starting the server on PostgreSQL', () => {
  const postgres = usePostgres();
  const cleanups: Array<() => void> = [];
  afterEach(() => {
    for (const cleanup of cleanups.splice(0)) cleanup();
  });
  const temp = (prefix: string): string => {
    const dir = tempDir(prefix);
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    return dir;
  };

  it('a request that reaches the port while the server is still connecting to its database is answered, not dropped', async () => {
    const port = await freePort();
    const dataDir = temp('atelier-early-');
    // PostgreSQL: opening the store waits on the network, so the port is open well before the rest.
    const url = await postgres().createDatabase();
    const { child } = startAtelier({ PORT: String(port), DATA_DIR: dataDir, DATABASE_URL: url });
    cleanups.push(() => child.process.kill('SIGKILL'));
    // As a client reconnecting after a restart does: try again at once until the port opens.
    let answer: { status: number; body: string } | null = null;
    const deadline = Date.now() + EXIT_TIMEOUT_MS;
    while (!answer && Date.now() < deadline && child.alive) {
      answer = await new Promise<{ status: number; body: string } | null>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, path: '/api/health', agent: false }, (res) => {
          let body = '';
          res.on('data', (chunk: Buffer) => (body += chunk.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        });
        req.setTimeout(10_000, () => reject(new Error('connected, but no answer in 10 s')));
        req.on('error', (error: NodeJS.ErrnoException) =>
          error.code === 'ECONNREFUSED' ? resolve(null) : reject(error),
        );
        req.end();
      });
    }
    expect(answer).toEqual({ status: 200, body: '{"ok":true}' });
    // Stopped cleanly, it closes its connections, and its database can go.
    child.process.kill('SIGTERM');
    await child.exited;
    await postgres().dropDatabase(url);
  });
});
