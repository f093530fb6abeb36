/**
 * The meeting's session (docs/session.md#session-state) over socket.io: the server's latest `session` state for me, who
 * is online, and the requests I may send. The server decides; this class only shows and asks.
 */
import { io, type Socket } from 'socket.io-client';
import type {
  Ack,
  AckOf,
  ClientEventName,
  ClientRequestOf,
  ClientToServerEvents,
  ServerToClientEvents,
} from '../../../shared/session/events';
import type { Phase } from '../../../shared/session/phases';
import type { ParticipantView, SessionView } from '../../../shared/session/state';

/**
 * Why the meeting is out of reach: the board is gone, my access is not valid (or a facilitator
 * removed me: those two stop the connection), or the board's stored data cannot be read (retried
 * now and then, in case the server's operator repairs it).
 */
export type SessionFailure =
  'unknown_board' | 'bad_token' | 'removed' | 'board_unreadable' | 'observer_revoked';

/** docs/session.md#observer-connections: an observer link's key instead of a board and token. */
export interface ObserverAccess {
  observer: string;
}

/** A reaction on screen, for as long as its animation lasts. */
export interface ShownReaction {
  key: number;
  emoji: string;
  participantId: string;
}

const REACTION_SHOWN_MS = 3_000;
/** How often a board whose data cannot be read is tried again. */
const UNREADABLE_RETRY_MS = 15_000;
/** Beyond this many reactions on screen at once, the oldest make room. */
const MAX_SHOWN_REACTIONS = 24;

export class SessionConnection {
  readonly #socket: Socket<ServerToClientEvents, ClientToServerEvents>;
  #view = $state.raw<SessionView | null>(null);
  #connected = $state(false);
  /** The next `session` event is the first on this connection. */
  #fresh = false;
  #failure = $state<SessionFailure | null>(null);
  /** Server clock minus this browser's clock, in ms (timers correct for skew). */
  #clockOffsetMs = 0;
  #reactions = $state<ShownReaction[]>([]);
  #nextReactionKey = 1;
  #destroyed = false;

  // Rebuilt whole from each `session` state and never mutated: a plain Map is right.
  readonly participants: Map<string, ParticipantView> = $derived(
    // eslint-disable-next-line svelte/prefer-svelte-reactivity
    new Map((this.#view?.participants ?? []).map((p) => [p.id, p])),
  );
  readonly online: ParticipantView[] = $derived((this.#view?.participants ?? []).filter((p) => p.online));

  /** `token` null: a stage connection, which watches the meeting (docs/session.md#stage-connections). */
  constructor(boardId: string, token: string | null | ObserverAccess) {
    this.#socket = io({
      auth:
        token === null ? { boardId, stage: true } : typeof token === 'string' ? { boardId, token } : token,
      transports: ['websocket', 'polling'],
      reconnectionDelayMax: 4_000,
      randomizationFactor: 0.5,
    });
    this.#socket.on('connect', () => {
      this.#connected = true;
      this.#fresh = true;
      if (this.#failure === 'board_unreadable') this.#failure = null;
    });
    // Said just before the server closes a removed participant's connections: it comes before the
    // disconnect, and before any other plane's refusal can be mistaken for an expired access.
    this.#socket.on('removed', () => {
      this.#failure = 'removed';
    });
    this.#socket.on('disconnect', (reason) => {
      this.#connected = false;
      // socket.io does not reconnect after a server-side disconnect; the server does that when it
      // goes away, so come back (auth refuses us if our access was revoked) — unless removed.
      if (reason === 'io server disconnect' && this.#failure !== 'removed')
        this.#connectIn(500 + Math.random() * 1_500);
    });
    this.#socket.on('connect_error', (error) => {
      const code = error.message;
      if (code === 'observer_revoked' || (code === 'not_found' && typeof token === 'object' && token)) {
        this.#failure = 'observer_revoked';
      } else if (code === 'unknown_board' || code === 'bad_token' || code === 'removed') {
        this.#failure = code;
      } else if (code === 'board_unreadable') {
        this.#failure = code;
        this.#connectIn(UNREADABLE_RETRY_MS);
      } else if (!this.#socket.active) {
        // Refused for a passing reason (the server was busy): try again shortly.
        this.#connectIn(2_000);
      }
    });
    this.#socket.on('reaction', ({ emoji, participantId }) => {
      const shown = { key: this.#nextReactionKey++, emoji, participantId };
      this.#reactions = [...this.#reactions.slice(-(MAX_SHOWN_REACTIONS - 1)), shown];
      setTimeout(
        () => (this.#reactions = this.#reactions.filter((r) => r.key !== shown.key)),
        REACTION_SHOWN_MS,
      );
    });
    this.#socket.on('session', (view) => {
      // Within a connection `rev` only grows: an older state is a stale one. A new connection may
      // be to another process, whose count started elsewhere: its first state is always taken.
      if (!this.#fresh && this.#view && view.rev < this.#view.rev) return;
      this.#fresh = false;
      this.#clockOffsetMs = view.serverNow - Date.now();
      this.#view = view;
    });
  }

  /** Connects again after `ms`, unless this connection was given up meanwhile. */
  #connectIn(ms: number): void {
    setTimeout(() => {
      if (!this.#destroyed) this.#socket.connect();
    }, ms);
  }

  get view(): SessionView | null {
    return this.#view;
  }

  get connected(): boolean {
    return this.#connected;
  }

  get failure(): SessionFailure | null {
    return this.#failure;
  }

  /** Reactions still floating on screen, oldest first. */
  get reactions(): ShownReaction[] {
    return this.#reactions;
  }

  /** The server's clock now, from this browser's. */
  serverNow(): number {
    return Date.now() + this.#clockOffsetMs;
  }

  /** Sends a request and resolves with the server's acknowledgement (an error ack on timeout). */
  async request<E extends ClientEventName>(
    event: E,
    payload: ClientRequestOf<E>,
    timeoutMs = 10_000,
  ): Promise<AckOf<E>> {
    // socket.io-client's typing cannot follow a generic event name, and types a timed
    // acknowledgement as `any`; the shared ClientEvents map says what each request carries.
    const socket = this.#socket.timeout(timeoutMs) as unknown as {
      emitWithAck(event: E, payload: ClientRequestOf<E>): Promise<AckOf<E>>;
    };
    try {
      return await socket.emitWithAck(event, payload);
    } catch {
      return { ok: false, error: { code: 'unavailable', message: 'No answer from the server.' } };
    }
  }

  vote(goalId: string, delta: 1 | -1): Promise<Ack> {
    return this.request('vote', { goalId, delta });
  }

  setVoting(change: ClientRequestOf<'voting'>): Promise<Ack> {
    return this.request('voting', change);
  }

  agree(goalId: string, agreed: boolean): Promise<Ack> {
    return this.request('agree', { goalId, agreed });
  }

  setPhase(phase: Phase): Promise<Ack> {
    return this.request('phase', { phase });
  }

  timer(request: ClientRequestOf<'timer'>): Promise<Ack> {
    return this.request('timer', request);
  }

  lock(locked: boolean): Promise<Ack> {
    return this.request('lock', { locked });
  }

  pulse(score: number, help: string): Promise<Ack> {
    return this.request('pulse', { score, help });
  }

  showPulseResults(shown: boolean): Promise<Ack> {
    return this.request('pulseResults', { shown });
  }

  removeParticipant(participantId: string): Promise<Ack> {
    return this.request('removeParticipant', { participantId });
  }

  react(emoji: string): Promise<Ack> {
    return this.request('reaction', { emoji });
  }

  destroy(): void {
    this.#destroyed = true;
    this.#socket.disconnect();
  }
}
