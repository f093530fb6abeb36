/**
 * One build at a time on a checkout. Several processes may be started at once (`PORT=3001 npm
 * start & PORT=3002 npm start &`): without this, the second would rebuild while the first is
 * already loading what it built. The lock is a file holding its owner's pid, made exclusively; a
 * lock whose owner is gone (a build killed midway) is taken over.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

/** The lock of this checkout's builds (`npm start`, `npm run build`, the tests' set-up). */
export const BUILD_LOCK = join(fileURLToPath(new URL('..', import.meta.url)), 'dist/.build.lock');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function ownerOf(lock: string): number | null {
  try {
    const pid = Number(readFileSync(lock, 'utf8'));
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

export async function withBuildLock<T>(run: () => Promise<T>, lock = BUILD_LOCK): Promise<T> {
  mkdirSync(dirname(lock), { recursive: true });
  let announced = false;
  for (;;) {
    try {
      writeFileSync(lock, String(process.pid), { flag: 'wx' });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = ownerOf(lock);
      // Being written (no pid yet) or held by a live build: wait. Held by a dead one: take over.
      if (owner !== null && !alive(owner)) {
        rmSync(lock, { force: true });
        continue;
      }
      if (!announced) console.log('Waiting for another build of this checkout to finish…');
      announced = true;
      await sleep(200);
    }
  }
  try {
    return await run();
  } finally {
    rmSync(lock, { force: true });
  }
}
