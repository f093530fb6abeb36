/** Before any test: the client is built (browser tests load it from the real server). */
import { withBuildLock } from '../../scripts/build-lock';
import { ensureClientBuilt } from '../../scripts/client-build';

export default async function setup(): Promise<void> {
  await withBuildLock(ensureClientBuilt);
}
