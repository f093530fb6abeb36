/**
 * Child processes that the tests and the bench start (Atelier servers, redis-server, PostgreSQL):
 * each one's output is kept, bounded, for failure messages; its end can be awaited; and every one
 * still running is signalled when this process exits, since a leaked child would keep a test run
 * from ending. Also the free port to give one.
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { createServer } from 'node:net';

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface TrackedChild {
  process: ChildProcess;
  /** Undefined when the command could not be started at all (then `exited` resolves at once). */
  pid: number | undefined;
  /** The latest stdout and stderr, interleaved. */
  output: { text: string };
  alive: boolean;
  exited: Promise<Exit>;
}

export interface SpawnTrackedOptions extends Omit<SpawnOptions, 'stdio'> {
  /** How many characters of output to keep (the latest). */
  outputLimit?: number;
  /**
   * The signal the child gets if it still runs when this process exits: SIGKILL by default; a
   * server that must clean up after itself (PostgreSQL) is better sent one it handles.
   */
  exitSignal?: NodeJS.Signals;
}

const live = new Map<ChildProcess, NodeJS.Signals>();
let exitHookInstalled = false;

/** Starts `command` with its output piped and recorded (the last `outputLimit` characters). */
export function spawnTracked(
  command: string,
  args: string[],
  options: SpawnTrackedOptions = {},
): TrackedChild {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', () => {
      for (const [child, signal] of live) child.kill(signal);
    });
  }
  const { outputLimit = 64 * 1024, exitSignal = 'SIGKILL', ...spawnOptions } = options;
  const child = spawn(command, args, { ...spawnOptions, stdio: ['ignore', 'pipe', 'pipe'] });
  live.set(child, exitSignal);
  const output = { text: '' };
  const record = (chunk: Buffer): void => {
    // Bounded: a chatty process must not fill this process's memory.
    output.text = (output.text + chunk.toString()).slice(-outputLimit);
  };
  child.stdout?.on('data', record);
  child.stderr?.on('data', record);
  const tracked: TrackedChild = {
    process: child,
    pid: child.pid,
    output,
    alive: true,
    exited: new Promise<Exit>((resolve) => {
      const done = (exit: Exit): void => {
        tracked.alive = false;
        live.delete(child);
        resolve(exit);
      };
      child.once('exit', (code, signal) => done({ code, signal }));
      // Not started at all (e.g. not installed): 'error' and no 'exit'.
      child.once('error', (error) => {
        output.text += String(error);
        done({ code: null, signal: null });
      });
    }),
  };
  return tracked;
}

/**
 * Resolves with the first match of `pattern` in what the child writes. Rejects if the child exits
 * first, or (killing it) after `timeoutMs`. `name` is for the error messages.
 */
export function untilOutput(
  child: TrackedChild,
  pattern: RegExp,
  name: string,
  timeoutMs: number,
): Promise<RegExpExecArray> {
  return new Promise<RegExpExecArray>((resolve, reject) => {
    const timer = setTimeout(() => {
      stopListening();
      child.process.kill('SIGKILL');
      reject(new Error(`${name} did not start in ${timeoutMs} ms:\n${child.output.text}`));
    }, timeoutMs);
    const check = (): void => {
      const match = pattern.exec(child.output.text);
      if (!match) return;
      clearTimeout(timer);
      stopListening();
      resolve(match);
    };
    const stopListening = (): void => {
      child.process.stdout?.off('data', check);
      child.process.stderr?.off('data', check);
    };
    child.process.stdout?.on('data', check);
    child.process.stderr?.on('data', check);
    void child.exited.then(({ code, signal }) => {
      clearTimeout(timer);
      stopListening();
      reject(new Error(`${name} exited (${code ?? signal}) before it started:\n${child.output.text}`));
    });
    check();
  });
}

/** A port that nothing listens on right now (the OS's pick). */
export async function freePort(): Promise<number> {
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
