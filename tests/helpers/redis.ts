/**
 * A real Redis server for the tests of several processes (docs/running.md#several-processes): `redis-server` from the
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
import { execFile } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { describe, it } from 'vitest';
import { freePort, spawnTracked, untilOutput, whilePortBusy, type TrackedChild } from './children';

const START_TIMEOUT_MS = 10_000;
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
    `${missing.join(' and ')} not found on the PATH: the tests of several Atelier processes (docs/running.md#several-processes) ` +
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
      it('[running#several-processes] needs redis-server, which CI must install', () => {
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

function spawnRedis(port: number, dir: string): TrackedChild {
  return spawnTracked(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
    { outputLimit: 16 * 1024 },
  );
}

export async function startRedis(): Promise<TestRedis> {
  const dir = mkdtempSync(join(tmpdir(), 'atelier-redis-'));
  const port = await freePort();
  let child: TrackedChild | null = null;
  const launch = (): Promise<void> =>
    whilePortBusy(
      async () => {
        child = spawnRedis(port, dir);
        await untilOutput(child, /Ready to accept connections/, 'redis-server', START_TIMEOUT_MS);
      },
      () => /Address already in use/i.test(child?.output.text ?? ''),
    );
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
