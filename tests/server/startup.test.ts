/**
 * Starting with what is on the machine, against real server processes (started as production
 * starts them, configured from the environment) and real files in temporary directories.
 *
 * What an operator relies on: a start that cannot work says so in one line, naming the port or
 * the full path and what to do, exits 2, and leaves the data directory exactly as it was.
 */
import { existsSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort, spawnTracked, type Exit, type TrackedChild } from '../helpers/children';
import { tempDir } from '../helpers/server';

const REPOSITORY = fileURLToPath(new URL('../..', import.meta.url));
const EXIT_TIMEOUT_MS = 20_000;

interface Started {
  child: TrackedChild;
}

function startAtelier(env: Record<string, string>, as?: { uid: number; gid: number }): Started {
  const child = spawnTracked(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: REPOSITORY,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', HOST: '127.0.0.1', ...env },
    ...as,
  });
  return { child };
}

/** How the process ended and what it wrote, or a failure if it is still running after a while. */
async function ended(started: Started): Promise<Exit & { lines: string[] }> {
  let timer: NodeJS.Timeout | undefined;
  const exit = await Promise.race([
    started.child.exited,
    new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), EXIT_TIMEOUT_MS))),
  ]).finally(() => clearTimeout(timer));
  if (exit === null) {
    started.child.process.kill('SIGKILL');
    throw new Error(`still running after ${EXIT_TIMEOUT_MS} ms:\n${started.child.output.text}`);
  }
  return { ...exit, lines: started.child.output.text.trim().split('\n') };
}

describe('starting the server', () => {
  const cleanups: Array<() => void> = [];
  afterEach(() => {
    for (const cleanup of cleanups.splice(0)) cleanup();
  });
  const temp = (prefix: string): string => {
    const dir = tempDir(prefix);
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    return dir;
  };

  it('on a port already in use: one line naming the port, exit 2, and no data directory made', async () => {
    const holder: Server = createServer();
    const port = await freePort();
    await new Promise<void>((resolve) => holder.listen(port, '127.0.0.1', resolve));
    cleanups.push(() => holder.close());
    const dataDir = join(temp('atelier-busy-'), 'data');

    const result = await ended(startAtelier({ PORT: String(port), DATA_DIR: dataDir }));

    expect(result).toEqual({
      code: 2,
      signal: null,
      lines: [`Atelier cannot start: port ${port} is already in use (set PORT to another).`],
    });
    expect(existsSync(dataDir)).toBe(false);
  });
});
