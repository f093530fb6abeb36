/**
 * Preloaded into every server child by the bench (`--expose-gc --import`), never part of a server:
 * on SIGUSR2 it runs a full garbage collection and writes `process.memoryUsage()` as JSON to the
 * file named by BENCH_MEMORY_FILE, so that memory figures are taken after a collection, alike for
 * every server. With BENCH_EVENT_LOOP=1 (W6) it also watches the event loop's delay and adds its
 * percentiles since the previous reading (then starts over). Plain JavaScript: the servers run on
 * bare Node, with no TypeScript loader (see yws.mjs).
 */
import { appendFileSync, writeFileSync } from 'node:fs';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';

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
    const collect = globalThis.gc;
    collect?.();
    collect?.();
    writeFileSync(file, JSON.stringify({ ...process.memoryUsage(), eventLoop, at: Date.now() }));
    loop?.reset();
  });
}

// With BENCH_GC_LOG=<file> (a diagnosis, off in every workload): each garbage collection that took
// 10 ms or more, and each stall of the event loop over 50 ms, one line each, with the time.
const gcLog = process.env.BENCH_GC_LOG;
if (gcLog) {
  const kinds = { 1: 'minor', 2: 'major', 4: 'incremental', 8: 'weak callbacks' };
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (entry.duration < 10) continue;
      const kind = kinds[entry.detail?.kind] ?? String(entry.detail?.kind);
      appendFileSync(gcLog, `${Date.now()} gc ${kind} ${entry.duration.toFixed(1)} ms\n`);
    }
  }).observe({ entryTypes: ['gc'] });
  let last = performance.now();
  setInterval(() => {
    const now = performance.now();
    if (now - last > 60) appendFileSync(gcLog, `${Date.now()} stall ${(now - last - 10).toFixed(1)} ms\n`);
    last = now;
  }, 10).unref();
}
