/** Which meetings are in memory: loaded when someone connects, freed when everyone has left. */
import { LeasedRegistry, type Lease } from '../lib/leases';
import type { ParticipantRecord, Store } from '../storage/store';
import { SessionRoom } from './room';
import { restoreSession, type SessionState } from './state';

export class SessionRooms {
  readonly #store: Store;
  readonly #registry: LeasedRegistry<SessionRoom>;

  constructor(
    store: Store,
    options: { unloadAfterMs: number; log: (message: string, error?: unknown) => void },
  ) {
    this.#store = store;
    this.#registry = new LeasedRegistry<SessionRoom>({
      idleMs: options.unloadAfterMs,
      log: options.log,
      load: async (boardId) => {
        const [saved, participants] = await Promise.all([
          store.loadSession(boardId),
          store.listParticipants(boardId),
        ]);
        return new SessionRoom(boardId, store, restoreSession(saved), participants);
      },
      unload: (_boardId, room) => room.close(),
    });
  }

  get loadedCount(): number {
    return this.#registry.size;
  }

  acquire(boardId: string): Promise<Lease<SessionRoom>> {
    return this.#registry.acquire(boardId);
  }

  /** The current state, from memory when the meeting is live, else from the store. */
  async read(boardId: string): Promise<Readonly<SessionState>> {
    const room = await this.#registry.peek(boardId);
    return room ? room.state : restoreSession(await this.#store.loadSession(boardId));
  }

  /** A new participant joined over HTTP: a live meeting lists them at once. */
  async participantAdded(participant: ParticipantRecord): Promise<void> {
    (await this.#registry.peek(participant.boardId))?.addParticipant(participant);
  }

  closeAll(): Promise<void> {
    return this.#registry.closeAll();
  }
}
