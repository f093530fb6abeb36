/**
 * The memory a process may spend on loaded boards (docs/security.md, "Memory"). A board's heap
 * follows its structs more than its bytes — items Yjs cannot merge cost twenty to forty times
 * their stored size — so every load first reserves a worst-case estimate from the stored bytes,
 * then, once loaded, the estimate from what it holds. A load that would pass the budget, or pass
 * the share of the address that asked for it, is refused (`unavailable`, retry later) instead of
 * taking the process down; one address can never fill the server with boards.
 */
import { AppError } from '../../shared/errors';

/** Heap per struct of a loaded board, with its content (measured: 400–870 B; cards ≈ 520 B). */
export const HEAP_BYTES_PER_STRUCT = 700;
/** Heap per stored byte at worst, before the structs are known (measured up to 44). */
export const WORST_HEAP_PER_STORED_BYTE = 45;

export interface Reservation {
  /** What this board is now believed to cost. */
  resize(bytes: number): void;
  release(): void;
}

export class MemoryBudget {
  readonly #total: number;
  readonly #perAddress: number;
  #used = 0;
  readonly #byAddress = new Map<string, number>();

  /** `totalBytes` for all boards; one address may hold `addressShare` of it (0–1]. */
  constructor(totalBytes: number, addressShare: number) {
    this.#total = totalBytes;
    this.#perAddress = Math.max(1, Math.floor(totalBytes * addressShare));
  }

  /**
   * Reserves `bytes` for a board loaded on behalf of `address` (null: the server's own work, held
   * to the budget but to no share), or throws `unavailable`.
   */
  reserve(address: string | null, bytes: number): Reservation {
    const held = address === null ? 0 : (this.#byAddress.get(address) ?? 0);
    if (this.#used + bytes > this.#total || (address !== null && held + bytes > this.#perAddress)) {
      throw new AppError(
        'unavailable',
        'The server has no room to open this board right now. Try again in a minute.',
      );
    }
    let current = 0;
    let released = false;
    const set = (next: number): void => {
      this.#used += next - current;
      if (address !== null) {
        const left = (this.#byAddress.get(address) ?? 0) + next - current;
        if (left > 0) this.#byAddress.set(address, left);
        else this.#byAddress.delete(address);
      }
      current = next;
    };
    set(bytes);
    return {
      resize: (next) => {
        if (!released) set(Math.max(0, next));
      },
      release: () => {
        if (released) return;
        set(0);
        released = true;
      },
    };
  }
}

/** What a board may cost once loaded, before its structs are known: from its stored bytes. */
export function estimateBeforeLoad(storedBytes: number, maxItems: number): number {
  return Math.min(
    storedBytes * WORST_HEAP_PER_STORED_BYTE,
    maxItems * HEAP_BYTES_PER_STRUCT + 2 * storedBytes,
  );
}

/** What a loaded board costs: its structs, and its bytes for the strings they hold. */
export function estimateLoaded(structs: number, bytes: number): number {
  return structs * HEAP_BYTES_PER_STRUCT + 2 * bytes;
}
