/**
 * The Hono app of the HTTP API without a port: server/main.ts's `assemble` over a real SQLite
 * store on a temporary data directory, to be called in-process with `app.request()`.
 *
 * No socket: the address a request comes from is `unknown` for every request (main.ts reads it
 * from the connection), and nothing answers sync or socket.io. Tests of what the connection does
 * (413 closing it, odd paths sent byte for byte, nosniff on engine.io's answers) keep a real
 * server (tests/helpers/server.ts).
 */
import { rmSync } from 'node:fs';
import type { Hono } from 'hono';
import { readConfig } from '../../server/config';
import { assemble } from '../../server/main';
import { hidingRemovedParticipants } from '../../server/session/removed';
import { openSqliteStore } from '../../server/storage/sqlite';
import type { Store } from '../../server/storage/store';
import { tempDir } from './server';

export interface TestHttpApp {
  readonly app: Hono;
  readonly store: Store;
  readonly dataDir: string;
  /** Stores everything, closes the store and removes the data directory. */
  close(): Promise<void>;
}

export interface TestHttpAppOptions {
  /** Environment variables, as the server reads them (DATA_DIR is the app's own). */
  env?: Record<string, string>;
  log?: (message: string, error?: unknown) => void;
}

export async function openHttpApp(options: TestHttpAppOptions = {}): Promise<TestHttpApp> {
  const dataDir = tempDir('atelier-app-');
  const log = options.log ?? (() => undefined);
  const config = readConfig({
    DATA_DIR: dataDir,
    UNLOAD_AFTER_MS: '200',
    // Tests create boards by the hundred from one address; the limit has tests of its own.
    BOARD_CREATIONS_PER_HOUR: '100000000',
    ...options.env,
  });
  const store = hidingRemovedParticipants(
    openSqliteStore({
      dataDir: config.dataDir,
      synchronous: config.sqliteSynchronous,
      maxBytes: config.sqliteMaxBytes,
      log,
    }),
  );
  let secret: Uint8Array;
  try {
    secret = await store.tokenSecret();
  } catch (error) {
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  const { docs, sessions, app } = assemble(config, store, secret, null, log);

  let closing: Promise<void> | null = null;
  return {
    app,
    store,
    dataDir,
    close() {
      closing ??= (async () => {
        await Promise.all([docs.closeAll(), sessions.closeAll()]);
        await store.close();
        rmSync(dataDir, { recursive: true, force: true });
      })();
      return closing;
    },
  };
}
