/**
 * Values loaded on first use, shared through leases, and unloaded once the last lease has been
 * returned for `idleMs`. A key being unloaded is loaded again only after its unload finished, so
 * a board is never in memory twice. Used for board documents and for meeting sessions.
 */

export interface Lease<T> {
  readonly value: T;
  /** Gives the value back; calling it twice is harmless. */
  release(): void;
}

interface Entry<T> {
  value: Promise<T>;
  leases: number;
  idleTimer: NodeJS.Timeout | null;
}

export interface LeasedRegistryOptions<T, C> {
  /** Loads the value; `context` is the first acquirer's (e.g. the address a load is charged to). */
  load(key: string, context: C | undefined): Promise<T>;
  unload(key: string, value: T): Promise<void>;
  idleMs: number;
  log: (message: string, error?: unknown) => void;
}

/**
 * One holder's share of a value: a small object rather than a closure, since every connection
 * holds one or more (docs/quality.md#performance: memory per board).
 */
class HeldLease<T> implements Lease<T> {
  readonly value: T;
  readonly #registry: { giveBack(key: string, entry: Entry<T>): void };
  readonly #key: string;
  #entry: Entry<T> | null;

  constructor(
    registry: { giveBack(key: string, entry: Entry<T>): void },
    key: string,
    entry: Entry<T>,
    value: T,
  ) {
    this.#registry = registry;
    this.#key = key;
    this.#entry = entry;
    this.value = value;
  }

  release(): void {
    const entry = this.#entry;
    if (!entry) return;
    this.#entry = null;
    this.#registry.giveBack(this.#key, entry);
  }
}

export class LeasedRegistry<T, C = never> {
  readonly #options: LeasedRegistryOptions<T, C>;
  readonly #entries = new Map<string, Entry<T>>();
  readonly #unloading = new Map<string, Promise<void>>();

  constructor(options: LeasedRegistryOptions<T, C>) {
    this.#options = options;
  }

  /** How many keys are in memory (loaded or loading). */
  get size(): number {
    return this.#entries.size;
  }

  has(key: string): boolean {
    return this.#entries.has(key);
  }

  /** The value if it is in memory, without loading it or holding it. */
  async peek(key: string): Promise<T | undefined> {
    const entry = this.#entries.get(key);
    return entry ? entry.value.catch(() => undefined) : undefined;
  }

  async acquire(key: string, context?: C): Promise<Lease<T>> {
    let entry = this.#entries.get(key);
    if (!entry) {
      entry = { value: this.#load(key, context), leases: 0, idleTimer: null };
      this.#entries.set(key, entry);
    }
    const current = entry;
    current.leases += 1;
    if (current.idleTimer) {
      clearTimeout(current.idleTimer);
      current.idleTimer = null;
    }
    let value: T;
    try {
      value = await current.value;
    } catch (error) {
      current.leases -= 1;
      if (this.#entries.get(key) === current) this.#entries.delete(key);
      throw error;
    }
    return new HeldLease(this, key, current, value);
  }

  /** Called once per lease as it is given back (`HeldLease.release`). */
  giveBack(key: string, entry: Entry<T>): void {
    entry.leases -= 1;
    if (entry.leases === 0 && this.#entries.get(key) === entry) {
      entry.idleTimer = setTimeout(() => void this.#unload(key, entry), this.#options.idleMs);
    }
  }

  /** Forgets a value that can no longer be used, without unloading it; the next use loads afresh. */
  evict(key: string, value: T): void {
    const entry = this.#entries.get(key);
    if (!entry) return;
    void entry.value.then((current) => {
      if (current === value && this.#entries.get(key) === entry) {
        if (entry.idleTimer) clearTimeout(entry.idleTimer);
        this.#entries.delete(key);
      }
    });
  }

  /** Unloads everything, leases or not (shutdown). */
  async closeAll(): Promise<void> {
    await Promise.all([...this.#entries].map(([key, entry]) => this.#unload(key, entry, true)));
    await Promise.all(this.#unloading.values());
  }

  async #load(key: string, context: C | undefined): Promise<T> {
    await this.#unloading.get(key);
    return this.#options.load(key, context);
  }

  async #unload(key: string, entry: Entry<T>, force = false): Promise<void> {
    if ((entry.leases > 0 && !force) || this.#entries.get(key) !== entry) return;
    if (entry.idleTimer) clearTimeout(entry.idleTimer);
    this.#entries.delete(key);
    const unloading = entry.value
      .then((value) => this.#options.unload(key, value))
      .catch((error: unknown) => this.#options.log(`unloading ${key} failed`, error))
      .finally(() => this.#unloading.delete(key));
    this.#unloading.set(key, unloading);
    await unloading;
  }
}
