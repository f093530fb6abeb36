/**
 * How long a board waits between two broadcasts of its edits (docs/sync.md#pacing).
 *
 * Every flush sends one frame to every peer, so a crowded board that flushed on every edit would
 * send peers × edits frames. It gathers instead: the wait grows with the number of peers, up to
 * the configured ceiling. But a crowd is only a cost when the process is busy: on a server with
 * time to spare the same board flushes sooner, and its edits reach the others sooner. So the wait
 * is also scaled by how busy the event loop has lately been: in full from FULL_PACE_BUSY of the
 * time on, down to MIN_SHARE of it on an idle process. More flushes make the loop busier, which
 * lengthens the wait again: the pace settles where the load puts it.
 */
import { performance } from 'node:perf_hooks';

/** Each peer adds this much to the wait: 100 peers wait 5 ms, 400 or more the ceiling (20 ms). */
export const FLUSH_MS_PER_PEER = 0.05;
/** From this share of busy time on, a board waits its whole crowd-based time. */
export const FULL_PACE_BUSY = 0.6;
/** On an idle process a board still waits this share of it: a burst of edits stays one frame. */
export const MIN_SHARE = 0.25;

/** The wait between two flushes of a board with `peers` peers, with the loop busy `busy` (0–1). */
export function flushWaitMs(peers: number, busy: number, ceilingMs: number): number {
  const share = Math.min(1, Math.max(MIN_SHARE, busy / FULL_PACE_BUSY));
  return Math.min(ceilingMs, peers * FLUSH_MS_PER_PEER * share);
}

/** How often the share of busy time is read again; between readings, the last one is used. */
const SAMPLE_MS = 250;

/**
 * The share of the last quarter second or so in which this process's event loop was busy (Node's
 * event-loop utilisation), read lazily: no timer, a reading costs nothing between samples.
 */
export class LoadGauge {
  #last = performance.eventLoopUtilization();
  #lastAt = performance.now();
  #busy = 0;

  busy(): number {
    const now = performance.now();
    if (now - this.#lastAt >= SAMPLE_MS) {
      const current = performance.eventLoopUtilization();
      this.#busy = performance.eventLoopUtilization(current, this.#last).utilization;
      this.#last = current;
      this.#lastAt = now;
    }
    return this.#busy;
  }
}

/** One gauge for the whole process: every board shares the same event loop. */
export const processLoad = new LoadGauge();
