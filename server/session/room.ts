/**
 * One board's meeting: who is in it, and the state the server decides (phase, timer, voting…).
 * Knows nothing of socket.io: a client is anything that can `emit`.
 *
 * Every change is made in memory, persisted, then broadcast. Broadcasts are coalesced per board
 * (at most one every BROADCAST_INTERVAL_MS) and each client gets the view its role may see.
 */
import type * as Y from 'yjs';
import { hasGoal } from '../../shared/board/goals';
import { ROOT } from '../../shared/board/layout';
import type { Reaction, ServerToClientEvents } from '../../shared/session/events';
import type { SessionView } from '../../shared/session/state';
import { pulseView } from '../../shared/session/pulse';
import { tallyVotes, votesOf, type GoalExists } from '../../shared/session/voting';
import { AppError } from '../../shared/errors';
import { RateLimiter } from '../lib/rate-limit';
import type { ParticipantRecord, Store } from '../storage/store';
import type { SessionState } from './state';

/** At most ~20 broadcasts a second per board (SPEC §6). */
export const BROADCAST_INTERVAL_MS = 50;
/** A burst of reactions is the point; a stream of them is noise for everyone else. */
const REACTION_LIMIT = { burst: 8, perSecond: 2 };

/** The store's order (join time, then id), so a list never reorders after a reload. */
function byJoinOrder(a: ParticipantRecord, b: ParticipantRecord): number {
  return a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

type SharedView = Omit<SessionView, 'myVotes' | 'tallies'> & { tallies: Record<string, number> };

export interface SessionClient {
  readonly participantId: string;
  emit<E extends keyof ServerToClientEvents>(event: E, ...args: Parameters<ServerToClientEvents[E]>): void;
  /** Ends the connection; the client reconnects (to a fresh meeting). */
  disconnect(): void;
}

export class SessionRoom {
  readonly boardId: string;
  /** Whether a goal exists on the board's document, which votes and agreement may name. */
  readonly goalExists: GoalExists;
  /** The anonymous key of a participant's pulse answer (server/auth/keys.ts `pulseKeyOf`). */
  readonly pulseKey: (participantId: string) => string;
  readonly #store: Store;
  readonly #stopWatchingGoals: () => void;
  #state: SessionState;
  readonly #participants = new Map<string, ParticipantRecord>();
  readonly #clients = new Set<SessionClient>();
  /** Open connections per participant: online while at least one. */
  readonly #connections = new Map<string, number>();
  /** Grows with every change, presence included (SPEC §6 `rev`); stored with each commit. */
  #rev: number;
  /** Commits run one at a time, each on the state the previous one stored. */
  #commits: Promise<unknown> = Promise.resolve();
  #broadcastTimer: NodeJS.Timeout | null = null;
  #lastBroadcastAt = 0;
  readonly #reactionLimiter = new RateLimiter(REACTION_LIMIT);

  /** `doc` is the board's live document: goals are read from it, never copied. */
  constructor(
    boardId: string,
    store: Store,
    state: SessionState,
    participants: ParticipantRecord[],
    doc: Y.Doc,
    pulseKey: (participantId: string) => string,
  ) {
    this.boardId = boardId;
    this.#store = store;
    this.pulseKey = pulseKey;
    this.goalExists = (goalId) => hasGoal(doc, goalId);
    // A goal added or deleted changes tallies, budgets and the agreed list: show it.
    const goals = doc.getMap(ROOT.goals);
    const onGoalsChanged = (event: Y.YMapEvent<unknown>): void => {
      if (event.keysChanged.size > 0) this.#changed();
    };
    goals.observe(onGoalsChanged);
    this.#stopWatchingGoals = () => goals.unobserve(onGoalsChanged);
    this.#state = state;
    // A restart never makes `rev` go back: the stored one, or the clock if that is ahead.
    this.#rev = Math.max(state.rev, Date.now());
    for (const participant of participants) this.#participants.set(participant.id, participant);
  }

  get state(): Readonly<SessionState> {
    return this.#state;
  }

  get clientCount(): number {
    return this.#clients.size;
  }

  participant(id: string): ParticipantRecord | undefined {
    return this.#participants.get(id);
  }

  addParticipant(participant: ParticipantRecord): void {
    this.#participants.set(participant.id, participant);
    this.#changed();
  }

  /** A client joins: it gets the whole state at once; the others learn it is online. */
  attach(client: SessionClient): void {
    this.#clients.add(client);
    this.#connections.set(client.participantId, (this.#connections.get(client.participantId) ?? 0) + 1);
    this.#changed();
    client.emit('session', this.viewFor(client.participantId));
  }

  /** Sends every client away (they reconnect): the meeting is being replaced. */
  disconnectAll(): void {
    for (const client of [...this.#clients]) client.disconnect();
  }

  detach(client: SessionClient): void {
    if (!this.#clients.delete(client)) return;
    const left = (this.#connections.get(client.participantId) ?? 1) - 1;
    if (left > 0) this.#connections.set(client.participantId, left);
    else this.#connections.delete(client.participantId);
    this.#changed();
  }

  /**
   * Applies `mutate` to a copy of the state (it validates and may throw: then nothing changes),
   * stores the copy, and only then makes it the state and schedules its broadcast. Resolves once
   * stored: acknowledge after it. Commits are serialised, so checks like a vote budget see every
   * earlier commit.
   */
  commit<T>(mutate: (draft: SessionState) => T): Promise<T> {
    const run = async (): Promise<T> => {
      const draft = structuredClone(this.#state);
      const result = mutate(draft);
      draft.rev = this.#rev + 1;
      await this.#store.saveSession(this.boardId, draft);
      this.#state = draft;
      this.#changed();
      return result;
    };
    const committed = this.#commits.then(run);
    this.#commits = committed.catch(() => undefined);
    return committed;
  }

  /** Relays a reaction to everyone on the board (not stored); a flood is refused. */
  react(reaction: Reaction): void {
    if (!this.#reactionLimiter.take(reaction.participantId)) {
      throw new AppError('rate_limited', 'Too many reactions: wait a moment.');
    }
    for (const client of this.#clients) client.emit('reaction', reaction);
  }

  /** What `participantId` may see; `shared` lets a broadcast compute the common part once. */
  viewFor(participantId: string, shared: SharedView = this.#sharedView()): SessionView {
    const { tallies, ...common } = shared;
    const role = this.#participants.get(participantId)?.role ?? 'participant';
    return {
      ...common,
      myVotes: votesOf(this.#state.votes, participantId, this.goalExists),
      tallies: role === 'facilitator' || this.#state.voting.revealed ? tallies : null,
    };
  }

  #sharedView(): SharedView {
    const state = this.#state;
    const { tallies, voters, votesCast } = tallyVotes(state.votes, this.goalExists);
    return {
      rev: this.#rev,
      serverNow: Date.now(),
      phase: state.phase,
      locked: state.locked,
      timer: { ...state.timer },
      voting: { ...state.voting, voters, votesCast },
      tallies,
      agreed: state.agreed.filter(this.goalExists),
      participants: [...this.#participants.values()].sort(byJoinOrder).map((p) => ({
        id: p.id,
        name: p.name,
        role: p.role,
        online: this.#connections.has(p.id),
      })),
      pulse: pulseView(state.pulse, state.pulseResults),
    };
  }

  /** Waits for the last commit, stores the latest `rev`, stops broadcasting (unload, shutdown). */
  async close(): Promise<void> {
    await this.#commits;
    this.#stopWatchingGoals();
    if (this.#broadcastTimer) clearTimeout(this.#broadcastTimer);
    this.#broadcastTimer = null;
    await this.#store.saveSession(this.boardId, { ...this.#state, rev: this.#rev });
  }

  #changed(): void {
    this.#rev = Math.max(this.#rev + 1, Date.now());
    if (this.#broadcastTimer) return;
    const wait = Math.max(0, this.#lastBroadcastAt + BROADCAST_INTERVAL_MS - Date.now());
    this.#broadcastTimer = setTimeout(() => this.#broadcast(), wait);
  }

  #broadcast(): void {
    this.#broadcastTimer = null;
    this.#lastBroadcastAt = Date.now();
    const shared = this.#sharedView();
    for (const client of this.#clients) client.emit('session', this.viewFor(client.participantId, shared));
  }
}
