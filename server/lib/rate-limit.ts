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

  /** Spends `cost` if it can; false means: refuse this one. */
  take(cost = 1, now = Date.now()): boolean {
    this.#refill(now);
    if (this.#tokens < cost) return false;
    this.#tokens -= cost;
    return true;
  }

  /**
   * Spends `cost` whatever is left, for a cost known only once the work is done: the bucket may go
   * into debt, and grants nothing more until the refill has paid it back.
   */
  charge(cost: number, now = Date.now()): void {
    this.#refill(now);
    this.#tokens -= cost;
  }

  /** How long until `cost` can be spent, in ms (0: now). */
  waitMs(cost = 1, now = Date.now()): number {
    this.#refill(now);
    return this.#tokens >= cost ? 0 : ((cost - this.#tokens) / this.#limit.perSecond) * 1000;
  }

  #refill(now: number): void {
    const { burst, perSecond } = this.#limit;
    this.#tokens = Math.min(burst, this.#tokens + ((now - this.#at) / 1000) * perSecond);
    this.#at = now;
  }
}

/** How often buckets that have refilled are forgotten. */
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
    return this.#bucket(key, now).take(cost, now);
  }

  /** Spends `cost` for `key` even into debt (see `TokenBucket.charge`). */
  charge(key: string, cost: number, now = Date.now()): void {
    this.#bucket(key, now).charge(cost, now);
  }

  /** How long until `key` may spend `cost`, in ms (0: now). */
  waitMs(key: string, cost = 1, now = Date.now()): number {
    return this.#buckets.get(key)?.waitMs(cost, now) ?? 0;
  }

  #bucket(key: string, now: number): TokenBucket {
    this.#sweep(now);
    let bucket = this.#buckets.get(key);
    if (!bucket) {
      bucket = new TokenBucket(this.#limit, now);
      this.#buckets.set(key, bucket);
    }
    return bucket;
  }

  #sweep(now: number): void {
    if (now - this.#lastSweep < SWEEP_EVERY_MS) return;
    this.#lastSweep = now;
    // A bucket that would be full again is the same as none; one still in debt is kept.
    for (const [key, bucket] of this.#buckets) {
      if (bucket.waitMs(this.#limit.burst, now) === 0) this.#buckets.delete(key);
    }
  }
}
