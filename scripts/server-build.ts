/**
 * Bundles the server into `dist/server/main.mjs` when it is missing or older than its sources,
 * so that `npm start` runs plain JavaScript: it starts in about half the time of compiling the
 * TypeScript on the fly, which is what clients wait for after a restart. Packages stay external
 * (better-sqlite3 is native); only our own code is bundled.
 */
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isStale } from './client-build';

const repository = fileURLToPath(new URL('..', import.meta.url));
const SOURCES = ['server', 'shared', 'package-lock.json'];
export const SERVER_BUNDLE = join(repository, 'dist/server/main.mjs');

export async function ensureServerBuilt(): Promise<void> {
  if (!isStale(SERVER_BUNDLE, SOURCES)) return;
  console.log('Building the server…');
  const { build } = await import('esbuild');
  // Chunk names carry a hash: start from an empty folder so that old chunks do not pile up.
  rmSync(dirname(SERVER_BUNDLE), { recursive: true, force: true });
  await build({
    entryPoints: [join(repository, 'server/main.ts')],
    outdir: dirname(SERVER_BUNDLE),
    outExtension: { '.js': '.mjs' },
    // The PostgreSQL and Redis modules, imported only when configured, go to chunks of their own.
    splitting: true,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: true,
    logLevel: 'warning',
  });
}
