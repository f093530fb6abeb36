/**
 * A real Atelier server as a child process, started the way production starts it (`node --import
 * tsx server/main.ts`, configured from the environment), for what an in-process server cannot
 * show: a SIGKILL mid-workshop, a SIGTERM and the exit code it leads to (docs/errors.md#durability, docs/running.md#shutdown).
 *
 * `restart()` starts a new process on the same data directory and port, so that clients made
 * before reconnect to it by themselves. Call `stopServerProcesses()` in `afterEach`/`afterAll`: a
 * leaked child would keep the test run from ending. As a last resort every child still running is
 * killed when the test process exits. `readStoredBoard()` reads what a stopped process left on disk.
 *
 * The busy workshop such tests run against it is in busy-workshop.ts.
 */
import { copyFileSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as Y from 'yjs';
import type { SessionState } from '../../server/session/state';
import { openSqliteStore } from '../../server/storage/sqlite';
import { spawnTracked, untilOutput, whilePortBusy, type Exit, type TrackedChild } from './children';
import { tempDir } from './server';

const REPOSITORY = fileURLToPath(new URL('../..', import.meta.url));
/** What server/main.ts prints once it listens. */
const READY = /Atelier is running on (\S+) \(data in /;
const START_TIMEOUT_MS = 20_000;

export interface ServerProcess {
  /** `http://127.0.0.1:<port>`, the same across restarts. */
  readonly url: string;
  readonly wsUrl: string;
  readonly port: number;
  readonly dataDir: string;
  /** The current process's id. */
  readonly pid: number;
  /** Whether the current process is still running. */
  readonly alive: boolean;
  /** Everything the current process wrote to stdout and stderr (for failure messages). */
  readonly output: string;
  /** Resolves when the current process exits. */
  readonly exited: Promise<Exit>;
  /** Sends `signal` (SIGKILL by default) and resolves with how the process ended. */
  kill(signal?: NodeJS.Signals): Promise<Exit>;
  /** Resolves once the current process has printed something matching `pattern`. */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** Starts a new process on the same data directory and port (kills the current one first). */
  restart(): Promise<void>;
  /** Kills the process if it still runs, and removes the data directory if this helper made it. */
  stop(): Promise<void>;
}

export interface ServerProcessOptions {
  dataDir?: string;
  env?: Record<string, string>;
}

const started = new Set<ServerProcess>();

function spawnServer(env: Record<string, string>): TrackedChild {
  const child = spawnTracked(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: REPOSITORY,
    // A clean environment: only what a deployment would set, nothing of the test runner's.
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
  });
  if (child.pid === undefined) throw new Error(`could not start the server process: ${child.output.text}`);
  return child;
}

/** Resolves with the URL the process prints once it listens; rejects if it exits first. */
async function whenReady(child: TrackedChild): Promise<string> {
  const [, url] = await untilOutput(child, READY, 'the server', START_TIMEOUT_MS);
  return url as string;
}

export async function startServerProcess(options: ServerProcessOptions = {}): Promise<ServerProcess> {
  const dataDir = options.dataDir ?? tempDir('atelier-process-');
  const envFor = (port: number): Record<string, string> => ({
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    UNLOAD_AFTER_MS: '200',
    // Tests create boards by the hundred from one address; the limit has tests of its own.
    BOARD_CREATIONS_PER_HOUR: '100000000',
    ...options.env,
  });

  let child = spawnServer(envFor(0));
  const url = await whenReady(child).catch((error: unknown) => {
    if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    throw error;
  });
  const port = Number(new URL(url).port);

  const server: ServerProcess = {
    url,
    wsUrl: url.replace(/^http/, 'ws'),
    port,
    dataDir,
    get pid() {
      return child.pid as number; // spawnServer throws when there is none
    },
    get alive() {
      return child.alive;
    },
    get output() {
      return child.output.text;
    },
    get exited() {
      return child.exited;
    },
    kill(signal = 'SIGKILL') {
      if (child.alive) child.process.kill(signal);
      return child.exited;
    },
    async waitForOutput(pattern, timeoutMs = 10_000) {
      const current = child;
      const deadline = Date.now() + timeoutMs;
      while (!pattern.test(current.output.text)) {
        if (Date.now() > deadline) throw new Error(`no ${pattern} in the output:\n${current.output.text}`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    },
    async restart() {
      if (child.alive) await server.kill('SIGKILL');
      await whilePortBusy(
        async () => {
          child = spawnServer(envFor(port));
          const restartedUrl = await whenReady(child);
          if (restartedUrl !== url) throw new Error(`restarted on ${restartedUrl}, not ${url}`);
        },
        () => /port \d+ is already in use/.test(child.output.text),
      );
    },
    async stop() {
      started.delete(server);
      if (child.alive) await server.kill('SIGKILL');
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
  started.add(server);
  return server;
}

/** Kills every server process started and not yet stopped (for `afterEach`/`afterAll`). */
export async function stopServerProcesses(): Promise<void> {
  await Promise.all([...started].map((server) => server.stop()));
}

export interface StoredBoard {
  doc: Y.Doc;
  session: SessionState | null;
}

/**
 * What a server starting on `dataDir` would find of a board: the SQLite file and its write-ahead
 * log copied aside (the original stays as the stopped process left it) and read with Atelier's
 * own store. Call it only once the process has exited.
 */
export async function readStoredBoard(dataDir: string, boardId: string): Promise<StoredBoard> {
  const copy = tempDir('atelier-disk-');
  try {
    for (const file of ['atelier.sqlite', 'atelier.sqlite-wal']) {
      if (existsSync(join(dataDir, file))) copyFileSync(join(dataDir, file), join(copy, file));
    }
    const store = openSqliteStore({ dataDir: copy });
    try {
      const stored = await store.loadDoc(boardId);
      const doc = new Y.Doc();
      for (const update of [stored.snapshot, ...stored.updates]) if (update) Y.applyUpdate(doc, update);
      return { doc, session: (await store.loadSession(boardId)) as SessionState | null };
    } finally {
      await store.close();
    }
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}
