/**
 * Real headless Chromium (playwright-core), for the browser tests and the bench. The browser comes
 * from `CHROMIUM_PATH` when set (e.g. Debian's /usr/bin/chromium), else from the @sparticuz/chromium
 * npm package, which ships one and needs nothing from apt.
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';

const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

async function executablePath(): Promise<string> {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  // Unpack into the repository's cache rather than /tmp, once per machine.
  const cache = fileURLToPath(new URL('../../node_modules/.cache/chromium', import.meta.url));
  mkdirSync(cache, { recursive: true });
  const previous = process.env.TMPDIR;
  process.env.TMPDIR = cache;
  try {
    const { default: packaged } = await import('@sparticuz/chromium');
    return await packaged.executablePath();
  } finally {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
  }
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: await executablePath(), headless: true, args: FLAGS });
}
