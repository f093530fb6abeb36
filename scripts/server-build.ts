/**
 * Bundles the server into `dist/server/main.mjs` when it is missing or older than its sources,
 * so that `npm start` runs plain JavaScript: it starts in about half the time of compiling the
 * TypeScript on the fly, which is what clients wait for after a restart. The packages it imports
 * are bundled too: Node then reads one file instead of resolving and compiling a few hundred
 * (socket.io, engine.io, ws, Hono, Yjs…), and the server is listening in about 180 ms instead of
 * 270. Left outside: better-sqlite3 (native), and the PostgreSQL and Redis clients, loaded only
 * when configured.
 */
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isStale } from './client-build';

const repository = fileURLToPath(new URL('..', import.meta.url));
/** A change to any of these (this script's own options included) makes the bundle stale. */
const SOURCES = ['server', 'shared', 'package-lock.json', 'scripts/server-build.ts'];
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
    // ws's optional native helpers are looked for at run time, and found or not as installed.
    external: ['better-sqlite3', 'pg', 'redis', 'bufferutil', 'utf-8-validate'],
    // The bundled CommonJS packages (socket.io, ws…) call `require` for Node's own modules: an ES
    // module has none, so the bundle makes one.
    banner: {
      js: "import { createRequire as createRequireForBundle } from 'node:module'; const require = createRequireForBundle(import.meta.url);",
    },
    sourcemap: true,
    logLevel: 'warning',
  });
}
