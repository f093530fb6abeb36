/**
 * A real Redis server for the tests of several processes (SPEC §9): `redis-server` from the
 * machine's packages (Debian: `apt-get install -y redis-server`), started as a child process on a
 * free port of 127.0.0.1, with no persistence (`--save '' --appendonly no`) and its working folder
 * in a temporary directory. No system service is used or needed.
 *
 * `kill()` and `start()` (or `restart()`) stop it and start it again on the same port, so that
 * the Atelier processes connected to it see an outage and reconnect by themselves; `cli()` runs a
 * `redis-cli` command against it (CLIENT PAUSE, CLIENT KILL…).
 *
 * Without `redis-server` on the PATH, `describeWithRedis` skips its suite and says how to install
 * it, except under CI (the `CI` environment variable set), where a missing Redis is a failure.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { describe, it } from 'vitest';

const START_TIMEOUT_MS = 10_000;
/** How long to keep trying when the port of the previous server is not free yet. */
const PORT_RETRY_MS = 5_000;
const INSTALL = 'apt-get install -y redis-server';

/** The path of `command` on the PATH, or null. */
function onPath(command: string): string | null {
  for (const folder of (process.env.PATH ?? '').split(delimiter)) {
    if (!folder) continue;
    const candidate = join(folder, command);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not in this folder.
    }
  }
  return null;
}

/**
 * Whether the tests can start Redis: null when `redis-server` (and `redis-cli`) are on the PATH,
 * else a message saying what is missing and how to install it.
 */
export function redisAvailable(): string | null {
  const missing = ['redis-server', 'redis-cli'].filter((command) => onPath(command) === null);
  if (missing.length === 0) return null;
  return (
    `${missing.join(' and ')} not found on the PATH: the tests of several Atelier processes (SPEC §9) ` +
    `need a local Redis. Install it with \`${INSTALL}\` (no service needs to run: the tests start their own).`
  );
}

/**
 * `describe(name, body)` when Redis is available. Otherwise the suite is skipped with a message
 * saying how to install it, or, under CI, replaced by one failing test: CI must run it.
 */
export function describeWithRedis(name: string, body: () => void): void {
  const missing = redisAvailable();
  if (missing === null) {
    describe(name, body);
  } else if (process.env.CI) {
    describe(name, () => {
      it('[§9] needs redis-server, which CI must install', () => {
        throw new Error(missing);
      });
    });
  } else {
    console.warn(`Skipped "${name}": ${missing}`);
    describe.skip(`${name} (skipped: ${INSTALL})`, body);
  }
}

export interface TestRedis {
  readonly port: number;
  /** `redis://127.0.0.1:<port>`, the same across restarts. */
  readonly url: string;
  /** Whether the server is running now. */
  readonly alive: boolean;
  /** What the current server wrote (for failure messages). */
  readonly output: string;
  /** Stops the server at once (SIGKILL): everything connected sees the connection drop. */
  kill(): Promise<void>;
  /** Starts the server again on the same port (after `kill`). */
  start(): Promise<void>;
  /** `kill` then `start`. */
  restart(): Promise<void>;
  /** Runs `redis-cli -p <port> …args` and resolves with its output (rejects if it fails). */
  cli(...args: string[]): Promise<string>;
  /** Kills the server and removes its folder. */
  stop(): Promise<void>;
}

interface Child {
  process: ChildProcess;
  output: { text: string };
  exited: Promise<void>;
  alive: boolean;
}

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // A test process that ends without afterAll must not leave a Redis running.
  process.on('exit', () => {
    for (const child of live) child.kill('SIGKILL');
  });
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no TCP port');
  return address.port;
}

function spawnRedis(port: number, dir: string): Child {
  installExitHook();
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  live.add(child);
  const output = { text: '' };
  const record = (chunk: Buffer): void => {
    output.text = (output.text + chunk.toString()).slice(-16 * 1024);
  };
  child.stdout?.on('data', record);
  child.stderr?.on('data', record);
  const state: Child = {
    process: child,
    output,
    alive: true,
    exited: new Promise<void>((resolve) => {
      const done = (): void => {
        state.alive = false;
        live.delete(child);
        resolve();
      };
      child.once('exit', done);
      // Not started at all (e.g. not installed): 'error' and no 'exit'.
      child.once('error', (error) => {
        output.text += String(error);
        done();
      });
    }),
  };
  return state;
}

function whenReady(child: Child): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.process.kill('SIGKILL');
      reject(new Error(`redis-server did not start in ${START_TIMEOUT_MS} ms:\n${child.output.text}`));
    }, START_TIMEOUT_MS);
    const check = (): void => {
      if (!/Ready to accept connections/.test(child.output.text)) return;
      clearTimeout(timer);
      child.process.stdout?.off('data', check);
      resolve();
    };
    child.process.stdout?.on('data', check);
    void child.exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited before it was ready:\n${child.output.text}`));
    });
    check();
  });
}

export async function startRedis(): Promise<TestRedis> {
  const dir = mkdtempSync(join(tmpdir(), 'atelier-redis-'));
  const port = await freePort();
  let child: Child | null = null;

  const launch = async (): Promise<void> => {
    const deadline = Date.now() + PORT_RETRY_MS;
    for (;;) {
      const next = spawnRedis(port, dir);
      child = next;
      try {
        await whenReady(next);
        return;
      } catch (error) {
        // The previous server's port may take a moment to be free again.
        if (!/Address already in use/i.test(next.output.text) || Date.now() > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  };
  const kill = async (): Promise<void> => {
    const current = child;
    if (!current?.alive) return;
    current.process.kill('SIGKILL');
    await current.exited;
  };

  try {
    await launch();
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }

  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    get alive() {
      return child?.alive ?? false;
    },
    get output() {
      return child?.output.text ?? '';
    },
    kill,
    async start() {
      if (child?.alive) throw new Error('redis-server is already running');
      await launch();
    },
    async restart() {
      await kill();
      await launch();
    },
    cli(...args) {
      return new Promise<string>((resolve, reject) => {
        execFile('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args], (error, stdout, stderr) => {
          // redis-cli exits 0 on an error reply too, and prints it.
          if (error || /^(\(error\) )?ERR/.test(stdout)) {
            reject(new Error(`redis-cli ${args.join(' ')}: ${error?.message ?? ''}\n${stdout}${stderr}`));
          } else resolve(stdout.trim());
        });
      });
    },
    async stop() {
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
