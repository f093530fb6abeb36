/**
 * Which board documents are in memory: loaded on first use, shared by sync peers and HTTP readers
 * through leases, snapshotted and freed once nobody has used them for `unloadAfterMs`.
 */
import { LeasedRegistry, type Lease } from '../lib/leases';
import type { Store } from '../storage/store';
import { DocRoom, type RoomOptions } from './room';

export interface DocRoomsOptions extends RoomOptions {
  unloadAfterMs: number;
}

export class DocRooms {
  readonly #registry: LeasedRegistry<DocRoom>;
  readonly #brokenListeners = new Set<(boardId: string) => void>();

  constructor(store: Store, options: DocRoomsOptions) {
    this.#registry = new LeasedRegistry<DocRoom>({
      idleMs: options.unloadAfterMs,
      log: options.log,
      load: async (boardId) => {
        const room = new DocRoom(boardId, store, await store.loadDoc(boardId), options);
        room.listen();
        room.onBroken = () => {
          this.#registry.evict(boardId, room);
          for (const listener of this.#brokenListeners) listener(boardId);
        };
        return room;
      },
      unload: (_boardId, room) => room.close(),
    });
  }

  /** Called when a board's document could not be stored and was dropped from memory. */
  onBroken(listener: (boardId: string) => void): void {
    this.#brokenListeners.add(listener);
  }

  /** How many boards are in memory (loaded or loading). */
  get loadedCount(): number {
    return this.#registry.size;
  }

  isLoaded(boardId: string): boolean {
    return this.#registry.has(boardId);
  }

  acquire(boardId: string): Promise<Lease<DocRoom>> {
    return this.#registry.acquire(boardId);
  }

  /** Runs `read` on the board's settled document, loading it for the occasion if needed. */
  async read<T>(boardId: string, read: (room: DocRoom) => T): Promise<T> {
    const lease = await this.#registry.acquire(boardId);
    try {
      await lease.value.settle();
      return read(lease.value);
    } finally {
      lease.release();
    }
  }

  /** Stores, snapshots and frees every board (shutdown). */
  closeAll(): Promise<void> {
    return this.#registry.closeAll();
  }
}
