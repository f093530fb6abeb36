/**
 * `npm start`'s first step: build the client and the server when they are missing or stale.
 * One build at a time: processes started together wait for the first one's build, then find
 * nothing left to do.
 */
import { withBuildLock } from './build-lock';
import { ensureClientBuilt } from './client-build';
import { ensureServerBuilt } from './server-build';

await withBuildLock(async () => {
  await ensureClientBuilt();
  await ensureServerBuilt();
});
