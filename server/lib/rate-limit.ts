/**
 * Token buckets by key: each key may spend `burst` at once and regains `perSecond` a second.
 * Used to bound what one client may ask for (reactions, board creations, connections…).
 * Idle keys are forgotten, so memory follows the active keys only.
 */
export interface RateLimit {
  burst: number;
  perSecond: number;
}

/** One bucket: for one connection's own budget, without a map of keys. */
export class TokenBucket {
  readonly #limit: RateLimit;
  #tokens: number;
  #at: number;

  constructor(limit: RateLimit, now = Date.now()) {
    this.#limit = limit;
    this.#tokens = limit.burst;
    this.#at = now;
  }

  /** When the bucket was last used (ms). */
  get at(): number {
    return this.#at;
  }

  /** Spends `cost` if it can; false means: refuse this one. */
  take(cost = 1, now = Date.now()): boolean {
    const { burst, perSecond } = this.#limit;
    this.#tokens = Math.min(burst, this.#tokens + ((now - this.#at) / 1000) * perSecond);
    this.#at = now;
    if (this.#tokens < cost) return false;
    this.#tokens -= cost;
    return true;
  }
}

/** A full bucket refills in burst / perSecond seconds; forget keys idle for twice that. */
const SWEEP_EVERY_MS = 30_000;

export class RateLimiter {
  readonly #limit: RateLimit;
  readonly #buckets = new Map<string, TokenBucket>();
  #lastSweep = 0;

  constructor(limit: RateLimit) {
    this.#limit = limit;
  }

  /** Spends `cost` for `key` if it can; false means: refuse this one. */
  take(key: string, cost = 1, now = Date.now()): boolean {
    this.#sweep(now);
    let bucket = this.#buckets.get(key);
    if (!bucket) {
      bucket = new TokenBucket(this.#limit, now);
      this.#buckets.set(key, bucket);
    }
    return bucket.take(cost, now);
  }

  #sweep(now: number): void {
    if (now - this.#lastSweep < SWEEP_EVERY_MS) return;
    this.#lastSweep = now;
    const idleMs = (2 * 1000 * this.#limit.burst) / this.#limit.perSecond;
    for (const [key, bucket] of this.#buckets) if (now - bucket.at > idleMs) this.#buckets.delete(key);
  }
}
