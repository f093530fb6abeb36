/**
 * Builds of one checkout happen one at a time (scripts/build-lock.ts): two processes started
 * together (`PORT=3001 npm start & PORT=3002 npm start &`, as the README shows) must not rebuild
 * under each other's feet; a lock left by a build that was killed does not block the next start.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { withBuildLock } from '../../scripts/build-lock';
import { tempDir } from '../helpers/server';

describe('one build at a time', () => {
  it('a second build waits until the first has finished, then runs; the lock is gone after', async () => {
    const lock = join(tempDir(), 'dist/.build.lock');
    const events: string[] = [];
    const build = (name: string) =>
      withBuildLock(async () => {
        events.push(`${name} starts`);
        // Time is the point: a build that lasts, and (below) a second one started while it runs.
        await sleep(150);
        events.push(`${name} ends`);
      }, lock);
    await Promise.all([build('first'), sleep(20).then(() => build('second'))]);
    expect(events).toEqual(['first starts', 'first ends', 'second starts', 'second ends']);
    expect(existsSync(lock)).toBe(false);
  });

  it('a lock whose build was killed (its process is gone) is taken over at once', async () => {
    const lock = join(tempDir(), 'dist/.build.lock');
    await withBuildLock(async () => undefined, lock); // makes the folder
    const gone = spawnSync(process.execPath, ['-e', '0']).pid;
    writeFileSync(lock, String(gone));
    let ran = false;
    await withBuildLock(async () => {
      ran = true;
    }, lock);
    expect(ran).toBe(true);
  });

  it('a failed build releases the lock', async () => {
    const lock = join(tempDir(), 'dist/.build.lock');
    await expect(
      withBuildLock(async () => {
        throw new Error('syntax error');
      }, lock),
    ).rejects.toThrow('syntax error');
    expect(existsSync(lock)).toBe(false);
  });
});
