/**
 * Builds the client when `dist/client` is missing or older than any source it is built from
 * (`npm start` and the tests call this, so a fresh clone just works).
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repository = fileURLToPath(new URL('..', import.meta.url));
const SOURCES = ['client', 'shared', 'vite.config.ts', 'package-lock.json'];
const BUILT = join(repository, 'dist/client/index.html');

function newestChange(path: string): number {
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs;
  return readdirSync(path).reduce(
    (newest, name) => (name === 'node_modules' ? newest : Math.max(newest, newestChange(join(path, name)))),
    stats.mtimeMs,
  );
}

/** Whether `built` is missing or older than any of `sources` (paths in the repository). */
export function isStale(built: string, sources: readonly string[]): boolean {
  if (!existsSync(built)) return true;
  const builtAt = statSync(built).mtimeMs;
  return sources.some((source) => {
    const path = join(repository, source);
    return existsSync(path) && newestChange(path) > builtAt;
  });
}

export async function ensureClientBuilt(): Promise<void> {
  if (!isStale(BUILT, SOURCES)) return;
  console.log('Building the client…');
  process.env.ATELIER_CLIENT_BUILD = '1';
  // Vitest sets NODE_ENV=test, which would make Vite (and Svelte) build for development: the
  // tests must run the very bundle `npm start` serves.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    const { build } = await import('vite');
    await build({
      configFile: join(repository, 'vite.config.ts'),
      root: join(repository, 'client'),
      mode: 'production',
      logLevel: 'warn',
    });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
}
