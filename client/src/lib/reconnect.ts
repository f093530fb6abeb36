/**
 * When to try again after the server closed the connection: exponential backoff with jitter, so
 * that after a restart a room full of clients comes back spread over time, not in one instant.
 * The delay for attempt n lies between half and all of min(maxMs, baseMs · 2ⁿ).
 */
export interface Backoff {
  baseMs: number;
  maxMs: number;
}

export const RECONNECT_BACKOFF: Backoff = { baseMs: 500, maxMs: 10_000 };
/** After the server said its disk is full: retrying sooner would only fail again. */
export const STORAGE_FULL_BACKOFF: Backoff = { baseMs: 15_000, maxMs: 120_000 };

export function reconnectDelay(
  attempt: number,
  random: () => number = Math.random,
  backoff = RECONNECT_BACKOFF,
): number {
  const ceiling = Math.min(backoff.maxMs, backoff.baseMs * 2 ** Math.max(0, attempt));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
