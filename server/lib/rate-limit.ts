/**
 * Token buckets by key: each key may spend `burst` at once and regains `perSecond` a second.
 * Used to bound what one client may ask for (reactions, board creations, connections…).
 * Idle keys are forgotten, so memory follows the active keys only.
 */
export interface RateLimit {
  burst: number;
  perSecond: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

/** A full bucket refills in burst / perSecond seconds; forget keys idle for twice that. */
const SWEEP_EVERY_MS = 30_000;

export class RateLimiter {
  readonly #limit: RateLimit;
  readonly #buckets = new Map<string, Bucket>();
  #lastSweep = 0;

  constructor(limit: RateLimit) {
    this.#limit = limit;
  }

  /** Spends `cost` for `key` if it can; false means: refuse this one. */
  take(key: string, cost = 1, now = Date.now()): boolean {
    this.#sweep(now);
    const { burst, perSecond } = this.#limit;
    const bucket = this.#buckets.get(key) ?? { tokens: burst, at: now };
    bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.at) / 1000) * perSecond);
    bucket.at = now;
    this.#buckets.set(key, bucket);
    if (bucket.tokens < cost) return false;
    bucket.tokens -= cost;
    return true;
  }

  #sweep(now: number): void {
    if (now - this.#lastSweep < SWEEP_EVERY_MS) return;
    this.#lastSweep = now;
    const idleMs = (2 * 1000 * this.#limit.burst) / this.#limit.perSecond;
    for (const [key, bucket] of this.#buckets) if (now - bucket.at > idleMs) this.#buckets.delete(key);
  }
}
