/** Which meetings are in memory: loaded when someone connects, freed when everyone has left. */
import type * as Y from 'yjs';
import { readGoals } from '../../shared/board/read';
import { AppError } from '../../shared/errors';
import type { AnswerRights } from '../../shared/session/readyfocus';
import type { Role } from '../../shared/session/state';
import { addressKeyOf, pulseKeyOf } from '../auth/keys';
import { addressBlock } from '../lib/client-address';
import { LeasedRegistry, type Lease } from '../lib/leases';
import type { ParticipantRecord, Store } from '../storage/store';
import { SessionRoom, type SessionRoomExtension } from './room';
import { initialSession, restoreSession, type SessionState } from './state';

export type ParticipantRemovedListener = (boardId: string, participantId: string) => void;

/**
 * The board documents, as meetings need them (goals are what votes may name). The sync plane
 * holds them; main.ts adapts its registry to this.
 */
export interface BoardDocs {
  /** Holds the board's live document, loading it (charged to `address`) if needed. */
  acquire(boardId: string, address: string | null): Promise<Lease<Y.Doc>>;
  /** Calls `listener` when a board's document could not be stored and was dropped from memory. */
  onBroken(listener: (boardId: string) => void): void;
  /** Resolves once what was written into the board's live document is stored (docs/sync.md#check-ins). */
  settle?(boardId: string): Promise<void>;
  /** Whether the board's document is at its limits: the server then writes nothing more for anyone. */
  isFull?(boardId: string): Promise<boolean>;
}

/** What the meetings get besides (server/cluster/session-relay.ts: other processes); none alone. */
export interface SessionsExtension {
  /** The extension of one meeting, as it loads. */
  extend(room: SessionRoom): SessionRoomExtension;
  /** A participant joined a board whose meeting is not loaded here. */
  participantAdded(boardId: string): void;
}

export class SessionRooms {
  readonly #store: Store;
  /** A meeting loads its board's document, charged to the first acquirer's address. */
  readonly #registry: LeasedRegistry<SessionRoom, string | null>;
  readonly #extension: SessionsExtension | undefined;
  readonly #secret: Uint8Array;
  readonly #log: (message: string, error?: unknown) => void;
  readonly #removedListeners = new Set<ParticipantRemovedListener>();

  /** A live meeting holds its board's document: it reads the goals votes may name. */
  readonly #docLeases = new Map<SessionRoom, Lease<Y.Doc>>();
  /** The meetings loaded, by board: they say who may edit while a board is locked (`mayEdit`). */
  readonly #live = new Map<string, SessionRoom>();

  constructor(
    store: Store,
    docs: BoardDocs,
    options: {
      unloadAfterMs: number;
      /** The server's secret, for the anonymous keys of pulse answers. */
      secret: Uint8Array;
      /** Several processes: what joins each meeting to the others. */
      extension?: SessionsExtension;
      log: (message: string, error?: unknown) => void;
    },
  ) {
    this.#store = store;
    this.#extension = options.extension;
    this.#secret = options.secret;
    this.#log = options.log;
    // A board whose document failed to store is reloaded afresh; its meeting must follow, or it
    // would keep reading the dropped document (and deciding its lock).
    docs.onBroken((boardId) => {
      void this.#registry.peek(boardId).then((room) => {
        if (!room) return;
        this.#registry.evict(boardId, room);
        if (this.#live.get(boardId) === room) this.#live.delete(boardId);
        room.disconnectAll();
      });
    });
    this.#registry = new LeasedRegistry<SessionRoom, string | null>({
      idleMs: options.unloadAfterMs,
      log: options.log,
      load: async (boardId, address = null) => {
        const [saved, participants, docLease] = await Promise.all([
          store.loadSession(boardId),
          store.listParticipants(boardId),
          docs.acquire(boardId, address),
        ]);
        const doc = docLease.value;
        const room = new SessionRoom(
          boardId,
          store,
          restoreSession(saved, () => readGoals(doc).map((goal) => goal.id)),
          participants,
          doc,
          (id) => pulseKeyOf(options.secret, boardId, id),
          (participantId) => this.#participantRemoved(boardId, participantId),
          () => docs.settle?.(boardId) ?? Promise.resolve(),
          () => docs.isFull?.(boardId) ?? Promise.resolve(false),
        );
        if (this.#extension) room.extend(this.#extension.extend(room));
        this.#live.set(boardId, room);
        this.#docLeases.set(room, docLease);
        return room;
      },
      unload: async (boardId, room) => {
        try {
          await room.close();
        } finally {
          if (this.#live.get(boardId) === room) this.#live.delete(boardId);
          const docLease = this.#docLeases.get(room);
          docLease?.release();
          this.#docLeases.delete(room);
        }
      },
    });
  }

  get loadedCount(): number {
    return this.#registry.size;
  }

  /** Holds the board's meeting, loading it (and its document, charged to `address`) if needed. */
  acquire(boardId: string, address: string | null = null): Promise<Lease<SessionRoom>> {
    return this.#registry.acquire(boardId, address);
  }

  /**
   * Whether someone in `role` may change the board's document now (docs/sync.md#lock `lock`): while its
   * meeting is loaded and locked, only facilitators; otherwise anyone.
   */
  mayEdit(boardId: string, role: Role): boolean {
    const room = this.#live.get(boardId);
    return !room || !room.state.locked || role === 'facilitator';
  }

  /** Who may change answer cards (docs/session.md#answer-rights), as the live meeting says; else everyone. */
  answerRights(boardId: string): AnswerRights {
    return this.#live.get(boardId)?.answerRights ?? 'everyone';
  }

  /** The board's anonymous questions (docs/sync.md#anonymous-questions), as its live meeting says. */
  anonymousQuestions(boardId: string): ReadonlySet<string> {
    const modes = this.#live.get(boardId)?.state.questionModes ?? {};
    return new Set(Object.keys(modes).filter((questionId) => modes[questionId]?.anonymous === true));
  }

  /** The current state, from memory when the meeting is live, else from the store. */
  async read(boardId: string): Promise<Readonly<SessionState>> {
    const room = await this.#registry.peek(boardId);
    return room ? room.state : restoreSession(await this.#store.loadSession(boardId));
  }

  /**
   * A new participant joined over HTTP: a live meeting here lists them at once (and tells the
   * other processes); with no meeting here, the others are told directly.
   */
  async participantAdded(participant: ParticipantRecord): Promise<void> {
    const room = await this.#registry.peek(participant.boardId);
    if (room) room.addParticipant(participant);
    else this.#extension?.participantAdded(participant.boardId);
  }

  /**
   * Calls `listener` whenever a participant of a live meeting on this process is removed (here, or
   * on another process), after their session connections here were told and closed: whatever else
   * holds connections of theirs (the sync plane) closes them too.
   */
  onParticipantRemoved(listener: ParticipantRemovedListener): () => void {
    this.#removedListeners.add(listener);
    return () => this.#removedListeners.delete(listener);
  }

  #participantRemoved(boardId: string, participantId: string): void {
    for (const listener of this.#removedListeners) {
      try {
        listener(boardId, participantId);
      } catch (error) {
        this.#log(`session: a listener failed for a participant removed from ${boardId}`, error);
      }
    }
  }

  /**
   * Counts a join from `address` on the board, or refuses it with `too_many_joins` when that
   * address has joined `limit` times already: one address (a script, a browser's private windows)
   * cannot take every place. The count is stored with the meeting, so it holds across restarts
   * and processes; removing someone does not give the address its join back. Only the count is
   * written: the rest of the stored state is left exactly as it is.
   */
  async admitJoin(boardId: string, address: string, limit: number): Promise<void> {
    const key = addressKeyOf(this.#secret, boardId, addressBlock(address));
    await this.#store.updateSession(boardId, (saved) => {
      const state: object = saved !== null && typeof saved === 'object' ? saved : initialSession();
      const joins = restoreSession({ joins: (state as { joins?: unknown }).joins }).joins;
      const made = joins[key] ?? 0;
      if (made >= limit) {
        throw new AppError(
          'too_many_joins',
          `${made} people have already joined this board from your network address, its limit: ask the facilitator to remove names nobody uses.`,
        );
      }
      return { state: { ...state, joins: { ...joins, [key]: made + 1 } }, result: undefined };
    });
  }

  /**
   * What a failure to load a board means for whoever asked, logged for the operator: the board's
   * own stored data cannot be read (when the store still answers for the board), or the store
   * itself is unavailable.
   */
  async loadError(boardId: string, error: unknown): Promise<AppError> {
    if (error instanceof AppError) return error;
    this.#log(`could not load board ${boardId}`, error);
    try {
      await this.#store.getBoard(boardId);
    } catch {
      return new AppError('unavailable', 'The server cannot reach its data right now: try again shortly.');
    }
    return new AppError(
      'board_unreadable',
      'This board’s stored data cannot be read. The server’s operator can find the details in its log; other boards are not affected.',
    );
  }

  closeAll(): Promise<void> {
    return this.#registry.closeAll();
  }
}
