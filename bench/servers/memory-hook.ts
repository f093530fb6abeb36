/**
 * Preloaded into every server child by the bench (`--expose-gc --import`), never part of a server:
 * on SIGUSR2 it runs a full garbage collection and writes `process.memoryUsage()` as JSON to the
 * file named by BENCH_MEMORY_FILE, so that memory figures are taken after a collection, alike for
 * every server. With BENCH_EVENT_LOOP=1 (W6) it also watches the event loop's delay and adds its
 * percentiles since the previous reading (then starts over).
 */
import { writeFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';

const file = process.env.BENCH_MEMORY_FILE;
const loop = process.env.BENCH_EVENT_LOOP === '1' ? monitorEventLoopDelay({ resolution: 10 }) : null;
loop?.enable();
if (file) {
  process.on('SIGUSR2', () => {
    // Read before the collection, whose own pause is not the load's.
    const eventLoop = loop
      ? {
          p50Ms: loop.percentile(50) / 1e6,
          p99Ms: loop.percentile(99) / 1e6,
          maxMs: loop.max / 1e6,
        }
      : undefined;
    const collect = (globalThis as { gc?: () => void }).gc;
    collect?.();
    collect?.();
    writeFileSync(file, JSON.stringify({ ...process.memoryUsage(), eventLoop, at: Date.now() }));
    loop?.reset();
  });
}
