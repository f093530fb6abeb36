/**
 * Preloaded into every server child by the bench (`--expose-gc --import`), never part of a server:
 * on SIGUSR2 it runs a full garbage collection and writes `process.memoryUsage()` as JSON to the
 * file named by BENCH_MEMORY_FILE, so that memory figures are taken after a collection, alike for
 * every server.
 */
import { writeFileSync } from 'node:fs';

const file = process.env.BENCH_MEMORY_FILE;
if (file) {
  process.on('SIGUSR2', () => {
    const collect = (globalThis as { gc?: () => void }).gc;
    collect?.();
    collect?.();
    writeFileSync(file, JSON.stringify({ ...process.memoryUsage(), at: Date.now() }));
  });
}
