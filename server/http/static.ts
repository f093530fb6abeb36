/**
 * The built Svelte client, from `dist/client`, held in memory (it is small). Hashed assets are
 * cached for a year; the page itself is revalidated every time so a new release shows at once.
 * Lookups are exact matches in a map: no path on disk is ever derived from a request.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import type { Context } from 'hono';

const HTML = 'text/html; charset=utf-8';
const TYPES: Record<string, string> = {
  '.html': HTML,
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

interface Asset {
  body: Uint8Array<ArrayBuffer>;
  type: string;
  cacheControl: string;
}

export interface ClientFiles {
  /** The asset at `path`, or undefined. */
  asset(path: string): Asset | undefined;
  /** The single page, for every route of the client. */
  page(): Asset;
}

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>Atelier</title>
<p>The Atelier client is not built yet: run <code>npm run build</code> (or <code>npm start</code>, which builds it).</p>`;

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

export function loadClientFiles(dir: string): ClientFiles {
  const assets = new Map<string, Asset>();
  if (existsSync(dir)) {
    for (const file of walk(dir)) {
      const path = '/' + relative(dir, file).split(sep).join('/');
      assets.set(path, {
        body: new Uint8Array(readFileSync(file)),
        type: TYPES[extname(file)] ?? 'application/octet-stream',
        cacheControl: path.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
      });
    }
  }
  const page = assets.get('/index.html') ?? {
    body: new TextEncoder().encode(NOT_BUILT),
    type: HTML,
    cacheControl: 'no-store',
  };
  return {
    asset: (path) => (path === '/index.html' ? undefined : assets.get(path)),
    page: () => page,
  };
}

export function sendAsset(c: Context, asset: Asset): Response {
  return c.body(asset.body, 200, {
    'Content-Type': asset.type,
    'Cache-Control': asset.cacheControl,
  });
}
