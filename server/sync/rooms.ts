/**
 * Which board documents are in memory: loaded on first use, shared by sync peers and HTTP readers
 * through leases, snapshotted and freed once nobody has used them for `unloadAfterMs`. Every load
 * reserves its memory first (server/lib/memory-budget.ts), charged to the address that asked for
 * it: a load the budget cannot hold is refused with `unavailable`, never a crash.
 */
import { AppError } from '../../shared/errors';
import { LeasedRegistry, type Lease } from '../lib/leases';
import {
  estimateBeforeLoad,
  estimateLoaded,
  type MemoryBudget,
  type Reservation,
} from '../lib/memory-budget';
import type { Store } from '../storage/store';
import { DocRoom, type DocRoomExtension, type RoomOptions } from './room';

export interface DocRoomsOptions extends RoomOptions {
  unloadAfterMs: number;
  budget: MemoryBudget;
  /** What each room gets besides (server/cluster/doc-relay.ts: other processes); none alone. */
  extend?: (room: DocRoom) => DocRoomExtension;
}

export class DocRooms {
  /** Loads are charged to the address of the first acquirer (null: the server's own work). */
  readonly #registry: LeasedRegistry<DocRoom, string | null>;
  readonly #brokenListeners = new Set<(boardId: string) => void>();
  readonly #reservations = new Map<DocRoom, Reservation>();

  constructor(store: Store, options: DocRoomsOptions) {
    this.#registry = new LeasedRegistry<DocRoom, string | null>({
      idleMs: options.unloadAfterMs,
      log: options.log,
      load: async (boardId, address = null) => {
        const stored = await store.loadDoc(boardId);
        const storedBytes = [stored.snapshot, ...stored.updates].reduce(
          (sum, u) => sum + (u?.length ?? 0),
          0,
        );
        const reservation = options.budget.reserve(
          address,
          estimateBeforeLoad(storedBytes, options.maxDocItems),
        );
        let room: DocRoom;
        try {
          room = new DocRoom(boardId, store, stored, options);
        } catch (error) {
          reservation.release();
          options.log(`board ${boardId}: the stored document cannot be loaded`, error);
          throw new AppError(
            'board_unreadable',
            'This board’s stored data cannot be read. Its owner should restore a backup.',
          );
        }
        // Once its structs are known: a snapshot that answers joiners first is applied just after.
        room.afterApply(() => reservation.resize(estimateLoaded(room.itemCount, storedBytes)));
        this.#reservations.set(room, reservation);
        if (options.extend) room.extend(options.extend(room));
        room.onBroken = () => {
          this.#release(room);
          this.#registry.evict(boardId, room);
          for (const listener of this.#brokenListeners) listener(boardId);
        };
        return room;
      },
      unload: async (_boardId, room) => {
        try {
          await room.close();
        } finally {
          this.#release(room);
        }
      },
    });
  }

  #release(room: DocRoom): void {
    this.#reservations.get(room)?.release();
    this.#reservations.delete(room);
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

  /** Holds the board's document, loading it (charged to `address`) if it is not in memory. */
  acquire(boardId: string, address: string | null = null): Promise<Lease<DocRoom>> {
    return this.#registry.acquire(boardId, address);
  }

  /** Closes the sync connections of a participant removed from the board. */
  async disconnectParticipant(
    boardId: string,
    participantId: string,
    code: number,
    reason: string,
  ): Promise<void> {
    const room = await this.#registry.peek(boardId);
    room?.disconnect(participantId, code, reason);
  }

  /** Runs `read` on the board's settled document, loading it for the occasion if needed. */
  async read<T>(boardId: string, read: (room: DocRoom) => T, address: string | null = null): Promise<T> {
    const lease = await this.acquire(boardId, address);
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
