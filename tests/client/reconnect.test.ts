/** The browser client's reconnect policy (issue "Nothing lost": clients resync with jittered backoff). */
import { describe, expect, it } from 'vitest';
import { reconnectDelay, RECONNECT_BACKOFF } from '../../client/src/lib/reconnect';
import { seededRandom } from '../helpers/random';

describe('reconnect delays', () => {
  it('grow exponentially up to the ceiling, each between half and all of its step', () => {
    for (let attempt = 0; attempt < 10; attempt++) {
      const step = Math.min(RECONNECT_BACKOFF.maxMs, RECONNECT_BACKOFF.baseMs * 2 ** attempt);
      expect(reconnectDelay(attempt, () => 0)).toBe(step / 2);
      expect(reconnectDelay(attempt, () => 1)).toBe(step);
    }
    expect(reconnectDelay(50, () => 1)).toBe(RECONNECT_BACKOFF.maxMs);
  });

  it('spread a room of 30 clients over at least a few hundred milliseconds on their first retry', () => {
    const random = seededRandom(7);
    const delays = Array.from({ length: 30 }, () => reconnectDelay(0, random.next));
    expect(Math.max(...delays) - Math.min(...delays)).toBeGreaterThan(150);
    expect(new Set(delays).size).toBeGreaterThan(15);
  });
});
