/**
 * `npm start` as a supervisor runs it (systemd, pm2, a container's init): started exactly as the
 * README says, stopped with SIGTERM to the `npm start` process — the only process a supervisor
 * knows. Everything written must be stored, and nothing may be left behind: no server still
 * running without a parent, no port still taken.
 */
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort, spawnTracked, untilOutput, type Exit } from '../helpers/children';
import { createBoard, tempDir } from '../helpers/server';

const REPOSITORY = fileURLToPath(new URL('../..', import.meta.url));
/** The first start may build the client and bundle the server. */
const START_TIMEOUT_MS = 180_000;

/** Every process below `pid`, read from /proc while they run. */
function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue; // Gone meanwhile.
    }
    // "pid (command) state ppid …": the command may hold spaces and parentheses.
    const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    children.set(parent, [...(children.get(parent) ?? []), Number(name)]);
  }
  const found: number[] = [];
  const visit = (parent: number): void => {
    for (const child of children.get(parent) ?? []) {
      found.push(child);
      visit(child);
    }
  };
  visit(pid);
  return found;
}

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function portIsFree(port: number): Promise<boolean> {
  const probe = createServer();
  return new Promise((resolve) => {
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

describe('npm start', () => {
  const cleanups: Array<() => void> = [];
  afterEach(() => {
    for (const cleanup of cleanups.splice(0)) cleanup();
  });

  it(
    'SIGTERM to the `npm start` process stores everything and stops the server with it: no process left, the port free, the board in the database',
    { timeout: START_TIMEOUT_MS + 30_000 },
    async () => {
      const dataDir = tempDir('atelier-npm-start-');
      cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
      const port = await freePort();
      const npm = spawnTracked('npm', ['start'], {
        cwd: REPOSITORY,
        // What a service unit would set, nothing of the test runner's (npm's own variables included).
        env: {
          PATH: process.env.PATH ?? '',
          HOME: process.env.HOME ?? '',
          PORT: String(port),
          HOST: '127.0.0.1',
          DATA_DIR: dataDir,
        },
      });
      const npmPid = npm.pid as number;
      let started: number[] = [];
      // Whatever happens, nothing outlives the test, not even a server left without its parent.
      cleanups.push(() => {
        for (const pid of new Set([npmPid, ...started, ...descendants(npmPid)])) {
          if (running(pid)) process.kill(pid, 'SIGKILL');
        }
      });
      const [, url] = await untilOutput(npm, /Atelier is running on (\S+) /, 'npm start', START_TIMEOUT_MS);
      expect(url).toBe(`http://127.0.0.1:${port}`);
      started = descendants(npmPid);
      expect(started.length, 'processes npm started').toBeGreaterThan(0);

      const board = await createBoard({ url: `http://127.0.0.1:${port}` }, { title: 'Stored on SIGTERM' });

      process.kill(npmPid, 'SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const exit = await Promise.race([
        npm.exited,
        new Promise<'still running'>(
          (resolve) => (timer = setTimeout(() => resolve('still running'), 15_000)),
        ),
      ]).finally(() => clearTimeout(timer));

      expect(exit, `npm start after SIGTERM; its output:\n${npm.output.text}`).toEqual({
        code: 0,
        signal: null,
      } satisfies Exit);
      expect(npm.output.text).toContain('SIGTERM: storing everything and closing connections');
      expect(started.filter(running), 'processes npm had started, still running after it exited').toEqual([]);
      expect(await portIsFree(port)).toBe(true);
      const db = new Database(join(dataDir, 'atelier.sqlite'), { readonly: true, fileMustExist: true });
      try {
        expect(db.prepare('SELECT title FROM boards WHERE id = ?').get(board.id)).toEqual({
          title: 'Stored on SIGTERM',
        });
      } finally {
        db.close();
      }
    },
  );
});
