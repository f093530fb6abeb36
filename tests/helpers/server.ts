/**
 * Real Atelier servers for tests: in this process, on port 0, each with its own data directory
 * (a real SQLite file). `restart()` closes the server and starts a new one on the same data.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readConfig } from '../../server/config';
import { startServer, type RunningServer } from '../../server/main';
import type { CreatedBoard, Joined } from '../../shared/api';

export interface TestServer {
  readonly url: string;
  readonly wsUrl: string;
  readonly dataDir: string;
  readonly running: RunningServer;
  /** Stops this server and starts another on the same data directory (and port when free). */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export interface TestServerOptions {
  dataDir?: string;
  env?: Record<string, string>;
  /** Messages the server logs; by default they are dropped to keep test output readable. */
  log?: (message: string, error?: unknown) => void;
}

export function tempDir(prefix = 'atelier-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const dataDir = options.dataDir ?? tempDir();
  const log = options.log ?? (() => undefined);
  const configFor = (port: number) =>
    readConfig({
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      UNLOAD_AFTER_MS: '200',
      // Tests create boards by the hundred from one address; the limit has tests of its own.
      BOARD_CREATIONS_PER_HOUR: '100000000',
      ...options.env,
    });

  let running = await startServer(configFor(0), log);
  const port = running.port;
  const server: TestServer = {
    get url() {
      return running.url;
    },
    get wsUrl() {
      return running.url.replace(/^http/, 'ws');
    },
    dataDir,
    get running() {
      return running;
    },
    async restart() {
      await running.close();
      running = await startServer(configFor(port), log);
    },
    async close() {
      await running.close();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return server;
}

export async function createBoard(
  server: { url: string },
  body: Record<string, unknown> = { title: 'Kickoff', locale: 'en' },
): Promise<CreatedBoard> {
  const response = await fetch(`${server.url}/api/boards`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (response.status !== 201) throw new Error(`create board: ${response.status} ${await response.text()}`);
  return (await response.json()) as CreatedBoard;
}

export async function joinBoard(
  server: { url: string },
  boardId: string,
  name: string,
  facilitatorKey?: string,
): Promise<Joined> {
  const response = await fetch(`${server.url}/api/boards/${boardId}/join`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(facilitatorKey === undefined ? { name } : { name, facilitatorKey }),
  });
  if (response.status !== 200) throw new Error(`join: ${response.status} ${await response.text()}`);
  return (await response.json()) as Joined;
}

/** Kept here for the helpers that import it from this module; it lives in ./expect. */
