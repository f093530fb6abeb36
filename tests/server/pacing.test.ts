import { describe, expect, it } from 'vitest';
import { flushWaitMs, LoadGauge } from '../../server/sync/pacing';

/** Keeps the event loop busy, without yielding, for `ms`. */
function spin(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // busy
  }
}

describe('pacing of a board’s broadcasts', () => {
  it('[sync#pacing] a crowded board waits longer on a busy server than on an idle one, and never past the ceiling', () => {
    const idle = flushWaitMs(300, 0, 20);
    const busy = flushWaitMs(300, 0.9, 20);
    expect(idle).toBeGreaterThan(0);
    expect(busy).toBeGreaterThan(idle);
    expect(busy).toBe(15);
    expect(idle).toBe(15 / 4);
    expect(flushWaitMs(2000, 1, 20)).toBe(20);
    expect(flushWaitMs(2000, 0, 20)).toBe(20);
    expect(flushWaitMs(300, 1, 0)).toBe(0);
  });

  it('[sync#pacing] a small board flushes almost at once however busy the server is', () => {
    expect(flushWaitMs(5, 1, 20)).toBeLessThanOrEqual(0.25);
    expect(flushWaitMs(1, 0, 20)).toBeLessThan(0.05);
  });

  it('[sync#pacing] the busy share follows the event loop: high while it is kept busy, low once it idles', async () => {
    const gauge = new LoadGauge();
    await new Promise((resolve) => setTimeout(resolve, 300));
    gauge.busy();
    spin(400);
    expect(gauge.busy()).toBeGreaterThan(0.6);
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(gauge.busy()).toBeLessThan(0.5);
  });
});
