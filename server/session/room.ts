/**
 * One board's meeting: who is in it, and the state the server decides (phase, timer, voting…).
 * Knows nothing of socket.io: a client is anything that can `emit`.
 *
 * Every change is made in memory, persisted, then broadcast. Broadcasts are coalesced per board
 * (at most one every BROADCAST_INTERVAL_MS) and each client gets the view its role may see.
 */
import type * as Y from 'yjs';
import { hasGoal, observeGoals } from '../../shared/board/goals';
import { readGoals } from '../../shared/board/read';
import type { Reaction, ServerToClientEvents } from '../../shared/session/events';
import type { SessionView } from '../../shared/session/state';
import { mayAnswerPulse, pulseView, type PulseAnswer } from '../../shared/session/pulse';
import { removeParticipant } from '../../shared/session/removal';
import { readyIn, readyView } from '../../shared/session/readyfocus';
import { myBoardAnswers, myHeldAnswers, sharedAnswersView } from '../../shared/session/answers';
import { hasQuestion } from '../../shared/board/answers';
import { consentView, dropConsentAnswer } from '../../shared/session/consent';
import { tallyVotes, votesOf, type GoalExists } from '../../shared/session/voting';
import { AppError } from '../../shared/errors';
import { RateLimiter } from '../lib/rate-limit';
import type { ParticipantRecord, Store } from '../storage/store';
import { restoreSession, type SessionState } from './state';
import { CONSENT_OFFLINE_GRACE_MS, closeConsentIfOthersAnswered } from './consent';

/** At most ~20 broadcasts a second per board (docs/session.md#broadcasts). */
export const BROADCAST_INTERVAL_MS = 50;
/** A burst of reactions is the point; a stream of them is noise for everyone else. */
const REACTION_LIMIT = { burst: 8, perSecond: 2 };

/** The origin of the meeting's own writes into the board's document (`changeDoc`). */
const SERVER_WRITE = Symbol('session write');

/** The store's order (join time, then id), so a list never reorders after a reload. */
function byJoinOrder(a: ParticipantRecord, b: ParticipantRecord): number {
  return a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

type SharedView = Omit<
  SessionView,
  'myVotes' | 'tallies' | 'pulse' | 'myAnswers' | 'myBoardAnswers' | 'consent'
> & {
  tallies: Record<string, number>;
  pulse: Omit<SessionView['pulse'], 'mayAnswer'>;
};

export interface SessionClient {
  /** Null for a stage connection (docs/session.md#stage-connections): it sees what a participant sees, and is nobody. */
  readonly participantId: string | null;
  emit<E extends keyof ServerToClientEvents>(event: E, ...args: Parameters<ServerToClientEvents[E]>): void;
  /** Ends the connection; the client reconnects (to a fresh meeting). */
  disconnect(): void;
}

/**
 * What an extension (server/cluster/session-relay.ts: other processes on the same store) is told
 * by a meeting, and may answer. A meeting alone has none: every hook is optional.
 */
export interface SessionRoomExtension {
  /** A change was stored here (the state, or a participant added). */
  changed?(): void;
  /** A reaction was sent here (this meeting's clients have it already). */
  reacted?(reaction: Reaction): void;
  /** Who is connected here, on every connection or disconnection (and, empty, as it closes). */
  presenceChanged?(online: readonly string[]): void;
  /** Whether a participant is online through another process. */
  onlineElsewhere?(participantId: string): boolean;
  /** The meeting closed (after its last `presenceChanged`): it takes no more news. */
  stopped?(): void;
}

export class SessionRoom {
  readonly boardId: string;
  /** Whether a goal exists on the board's document, which votes and agreement may name. */
  readonly goalExists: GoalExists;
  /** The goals on the board's document now (what opening voting puts on the ballot). */
  readonly goalIds: () => string[];
  /** The anonymous key of a participant's pulse answer (server/auth/keys.ts `pulseKeyOf`). */
  readonly pulseKey: (participantId: string) => string;
  /** The board's live document: the server writes answers into it (server/session/answers.ts). */
  readonly doc: Y.Doc;
  readonly #store: Store;
  readonly #stopWatchingGoals: () => void;
  /** Told of each participant removed (by anyone, on any process), once their sockets here are closed. */
  readonly #onRemoved: (participantId: string) => void;
  #state: SessionState;
  /** Who is in the meeting: everyone who joined, but those removed. */
  readonly #participants = new Map<string, ParticipantRecord>();
  /** Pulse keys of participants, computed once each (a keyed hash per person per broadcast adds up). */
  readonly #pulseKeys = new Map<string, string>();
  readonly #clients = new Set<SessionClient>();
  /** Open connections per participant: online while at least one. */
  readonly #connections = new Map<string, number>();
  /** Grows with every change, presence included (docs/session.md#broadcasts `rev`); stored with each commit. */
  #rev: number;
  /** Commits run one at a time, each on the state the previous one stored. */
  #commits: Promise<unknown> = Promise.resolve();
  #broadcastTimer: NodeJS.Timeout | null = null;
  #lastBroadcastAt = 0;
  readonly #reactionLimiter = new RateLimiter(REACTION_LIMIT);
  #extension: SessionRoomExtension = {};
  #reloading: Promise<void> | null = null;
  #reloadAgain = false;
  #closed = false;
  /** docs/session.md#consent-rounds: pending check after someone left an open round. */
  #consentCheck: NodeJS.Timeout | null = null;
  /**
   * docs/session.md#consent-rounds: when each participant who went offline here left (epoch ms),
   * kept while they are within the grace; at most one entry per participant.
   */
  readonly #leftAt = new Map<string, number>();
  readonly #doc: Y.Doc;
  readonly #settleDoc: () => Promise<void>;
  readonly #docFull: () => Promise<boolean>;

  /** `doc` is the board's live document: goals are read from it, never copied. */
  constructor(
    boardId: string,
    store: Store,
    state: SessionState,
    participants: ParticipantRecord[],
    doc: Y.Doc,
    pulseKey: (participantId: string) => string,
    onRemoved: (participantId: string) => void = () => undefined,
    settleDoc: () => Promise<void> = () => Promise.resolve(),
    docFull: () => Promise<boolean> = () => Promise.resolve(false),
  ) {
    this.boardId = boardId;
    this.#doc = doc;
    this.#settleDoc = settleDoc;
    this.#docFull = docFull;
    this.#store = store;
    this.pulseKey = (participantId) => {
      let key = this.#pulseKeys.get(participantId);
      if (key === undefined) {
        key = pulseKey(participantId);
        this.#pulseKeys.set(participantId, key);
      }
      return key;
    };
    this.#onRemoved = onRemoved;
    this.doc = doc;
    this.goalExists = (goalId) => hasGoal(doc, goalId);
    this.goalIds = () => readGoals(doc).map((goal) => goal.id);
    // A goal added or deleted changes the tallies shown and the agreed list (never what is counted).
    this.#stopWatchingGoals = observeGoals(doc, () => this.#changed());
    this.#state = state;
    // A restart never makes `rev` go back: the stored one, or the clock if that is ahead.
    this.#rev = Math.max(state.rev, Date.now());
    for (const participant of participants) this.#addKnown(participant);
  }

  /**
   * The server's own write into the board's document (docs/sync.md#check-ins): `change` runs in one
   * transaction; the sync side stores it and sends it to every peer like any edit. Resolves once
   * stored. `change` may throw an `AppError` before writing: then nothing changes.
   */
  async changeDoc<T>(change: (doc: Y.Doc, origin: symbol) => T): Promise<T> {
    let result!: T;
    this.#doc.transact(() => {
      result = change(this.#doc, SERVER_WRITE);
    }, SERVER_WRITE);
    await this.#settleDoc();
    return result;
  }

  /**
   * Refuses (`too_large`) a participant's request that would make the server write into a document
   * at its limits (docs/security.md#the-boards-document): the server's writes skip the sync checks,
   * so without this a stream of check-in records or answers would grow the board without bound.
   */
  async refuseIfDocFull(): Promise<void> {
    if (await this.#docFull()) {
      throw new AppError('too_large', 'The board is full: delete something before adding more.');
    }
  }

  /** Reads the board's live document (never writes it: see `changeDoc`). */
  readDoc<T>(read: (doc: Y.Doc) => T): T {
    return read(this.#doc);
  }

  /**
   * The keyed hash that owns a person's answers (docs/session.md#private-and-anonymous-answers):
   * the pulse's keyed hash of a distinct input (ids hold no ':'), cached with the pulse keys.
   */
  answerKey(participantId: string): string {
    return this.pulseKey(`answers:${participantId}`);
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

  /** Who may change answer cards on the document (docs/session.md#answer-rights). */
  get answerRights(): SessionState['answerRights'] {
    return this.#state.answerRights;
  }

  /** docs/session.md#consent-rounds: whose answer a consent round waits for (participants online). */
  awaitedForConsent(): string[] {
    return [...this.#participants.values()]
      .filter((p) => p.role === 'participant' && this.#online(p.id))
      .map((p) => p.id);
  }

  /** Whether a facilitator removed this participant. */
  isRemoved(id: string): boolean {
    return this.#state.removed.includes(id);
  }

  addParticipant(participant: ParticipantRecord): void {
    this.#addKnown(participant);
    this.#changed();
    this.#storedHere();
  }

  #addKnown(participant: ParticipantRecord): void {
    if (!this.isRemoved(participant.id)) this.#participants.set(participant.id, participant);
  }

  /**
   * A facilitator removes `participantId`: stored first (their votes and pulse answer go, their
   * id is kept as removed), then their connections are told and closed, here and — through the
   * stored state the others reload — on every other process.
   */
  async remove(participantId: string, byId: string): Promise<void> {
    // Someone who joined through another process may not be known here yet.
    if (!this.#participants.has(participantId)) await this.reload();
    if (!this.#participants.has(participantId) && !this.isRemoved(participantId)) {
      throw new AppError('not_found', 'There is no such participant on this board.');
    }
    await this.commit((state) => {
      removeParticipant(state, participantId, this.pulseKey(participantId), byId);
      dropConsentAnswer(state, participantId);
    });
    this.#leftAt.delete(participantId);
    this.#checkConsentSoon(0);
  }

  /** Someone left an open consent round: after `afterMs`, close it if everyone online answered. */
  #checkConsentSoon(afterMs: number = CONSENT_OFFLINE_GRACE_MS): void {
    if (!this.#state.consentRound || this.#closed) return;
    if (this.#consentCheck) {
      // A check is due already, and it waits for whoever is still within their grace then: a
      // later departure never pushes it back, so nobody can postpone it by reconnecting again
      // and again.
      if (afterMs > 0) return;
      clearTimeout(this.#consentCheck);
    }
    this.#consentCheck = setTimeout(() => {
      this.#consentCheck = null;
      if (!this.#closed) this.#checkConsentNow();
    }, afterMs);
  }

  /**
   * Closes the round if everyone online, and everyone still within their grace, has answered;
   * looks again when the next grace ends.
   */
  #checkConsentNow(): void {
    const now = Date.now();
    for (const [participantId, at] of this.#leftAt) {
      if (now - at >= CONSENT_OFFLINE_GRACE_MS || this.#online(participantId))
        this.#leftAt.delete(participantId);
    }
    const inGrace = [...this.#leftAt.keys()].filter(
      (id) => this.#participants.get(id)?.role === 'participant',
    );
    closeConsentIfOthersAnswered(this, inGrace).catch(() => undefined);
    if (this.#leftAt.size > 0) {
      const next = Math.min(...this.#leftAt.values()) + CONSENT_OFFLINE_GRACE_MS - now;
      this.#checkConsentSoon(Math.max(1, next));
    }
  }

  /** Makes `state` the current one; anyone it removes that this meeting still held is sent away. */
  #adopt(state: SessionState): void {
    const before = new Set(this.#state.removed);
    this.#state = state;
    for (const participantId of state.removed) {
      if (before.has(participantId)) continue;
      this.#participants.delete(participantId);
      for (const client of [...this.#clients]) {
        if (client.participantId !== participantId) continue;
        client.emit('removed');
        client.disconnect();
      }
      this.#onRemoved(participantId);
    }
  }

  /** Adds what a meeting alone does not do (server/cluster/session-relay.ts); once, on loading. */
  extend(extension: SessionRoomExtension): void {
    this.#extension = extension;
  }

  /** Who is connected to this meeting here. */
  get onlineHere(): string[] {
    return [...this.#connections.keys()];
  }

  /** Something this meeting shows changed elsewhere (who is online there): broadcast it anew. */
  refresh(): void {
    if (!this.#closed) this.#changed();
  }

  /**
   * Reads the state and the participants again from the store (another process changed them).
   * Calls during a reload are folded into one more: a burst of 300 votes elsewhere costs two
   * reads here, not 300.
   */
  reload(): Promise<void> {
    if (this.#reloading) {
      this.#reloadAgain = true;
      return this.#reloading;
    }
    this.#reloading = this.#reloadOnce().finally(() => {
      this.#reloading = null;
      if (this.#reloadAgain) {
        this.#reloadAgain = false;
        void this.reload();
      }
    });
    return this.#reloading;
  }

  async #reloadOnce(): Promise<void> {
    const [saved, participants] = await Promise.all([
      this.#store.loadSession(this.boardId),
      this.#store.listParticipants(this.boardId),
    ]);
    if (this.#closed) return;
    const state = restoreSession(saved, this.goalIds);
    let changed = false;
    if (state.rev > this.#state.rev) {
      this.#adopt(state);
      changed = true;
    }
    for (const participant of participants) {
      if (!this.#participants.has(participant.id) && !this.isRemoved(participant.id)) changed = true;
      this.#addKnown(participant);
    }
    if (changed) this.#changed();
  }

  /** A client joins: it gets the whole state at once; the others learn it is online. */
  attach(client: SessionClient): void {
    const { participantId } = client;
    // A stage is nobody: it is not online, and the others are not told of it.
    if (participantId === null) {
      this.#clients.add(client);
      client.emit('session', this.viewFor(null));
      return;
    }
    // Removed while their connection was being checked.
    if (this.isRemoved(participantId)) {
      client.emit('removed');
      client.disconnect();
      return;
    }
    this.#clients.add(client);
    this.#leftAt.delete(participantId);
    this.#connections.set(participantId, (this.#connections.get(participantId) ?? 0) + 1);
    this.#changed();
    this.#sayPresence();
    client.emit('session', this.viewFor(participantId));
  }

  /** Sends every client away (they reconnect): the meeting is being replaced. */
  disconnectAll(): void {
    for (const client of [...this.#clients]) client.disconnect();
  }

  detach(client: SessionClient): void {
    if (!this.#clients.delete(client) || client.participantId === null) return;
    const left = (this.#connections.get(client.participantId) ?? 1) - 1;
    if (left > 0) this.#connections.set(client.participantId, left);
    else {
      this.#connections.delete(client.participantId);
      if (this.#state.consentRound) this.#leftAt.set(client.participantId, Date.now());
      this.#checkConsentSoon();
    }
    this.#changed();
    this.#sayPresence();
  }

  /**
   * Applies `mutate` to a copy of the state (it validates and may throw: then nothing changes),
   * stores the copy, and only then makes it the state and schedules its broadcast. Resolves once
   * stored: acknowledge after it. Commits are serialised, so checks like a vote budget see every
   * earlier commit.
   */
  commit<T>(mutate: (draft: SessionState) => T): Promise<T> {
    const run = async (): Promise<T> => {
      // The store reads, changes and writes under one lock: with several processes, the state
      // changed is the latest any of them stored (not this process's copy).
      const committed = await this.#store.updateSession(this.boardId, (saved) => {
        const draft = saved === null ? structuredClone(this.#state) : restoreSession(saved, this.goalIds);
        const result = mutate(draft);
        draft.rev = Math.max(draft.rev + 1, this.#rev + 1);
        return { state: draft, result };
      });
      this.#adopt(committed.state);
      this.#changed();
      this.#storedHere();
      return committed.result;
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
    if (!this.#closed) this.#extension.reacted?.(reaction);
  }

  /** A reaction sent elsewhere, relayed to this meeting's clients. */
  relayReaction(reaction: Reaction): void {
    for (const client of this.#clients)
      client.emit('reaction', { emoji: reaction.emoji, participantId: reaction.participantId });
  }

  /** Tells the extension who is online here (on every change). */
  #sayPresence(): void {
    if (!this.#closed) this.#extension.presenceChanged?.(this.onlineHere);
  }

  /** Tells the extension that a change was stored here. */
  #storedHere(): void {
    if (!this.#closed) this.#extension.changed?.();
  }

  #online(participantId: string): boolean {
    return this.#connections.has(participantId) || this.#extension.onlineElsewhere?.(participantId) === true;
  }

  /**
   * What `participantId` may see (null: a stage, which sees what a participant sees and holds no
   * votes); `shared` lets a broadcast compute the common part once.
   */
  viewFor(participantId: string | null, shared: SharedView = this.#sharedView()): SessionView {
    const { tallies, ...common } = shared;
    const participant = participantId === null ? undefined : this.#participants.get(participantId);
    const role = participant?.role ?? 'participant';
    return {
      ...common,
      myVotes: participantId === null ? {} : votesOf(this.#state.votes, participantId),
      tallies: role === 'facilitator' || this.#state.voting.revealed ? tallies : null,
      pulse: {
        ...common.pulse,
        mayAnswer: participant !== undefined && mayAnswerPulse(this.#state.pulseOpenedAt, participant),
      },
      ...this.#myAnswers(participantId),
      consent: consentView(this.#state, participantId, this.awaitedForConsent(), this.goalExists),
    };
  }

  /** docs/session.md#private-and-anonymous-answers: what this person wrote through the server. */
  #myAnswers(participantId: string | null): Pick<SessionView, 'myAnswers' | 'myBoardAnswers'> {
    const key = participantId === null ? null : this.answerKey(participantId);
    return {
      myAnswers: myHeldAnswers(this.#state.heldAnswers, key),
      myBoardAnswers: myBoardAnswers(this.#state.answerOwners, key),
    };
  }

  /**
   * The pulse answers that count: those of participants in the meeting who joined before the
   * pulse opened. Answers are only taken from them, and a removal takes its answer away; this
   * also keeps out whatever an older version stored from anyone else.
   */
  countedPulse(state: Readonly<SessionState> = this.#state): PulseAnswer[] {
    const keys = new Set<string>();
    for (const participant of this.#participants.values()) {
      if (mayAnswerPulse(state.pulseOpenedAt, participant)) keys.add(this.pulseKey(participant.id));
    }
    return state.pulse.filter((answer) => keys.has(answer.key));
  }

  #sharedView(): SharedView {
    const state = this.#state;
    const { tallies, voters, votesCast } = tallyVotes(state.votes, this.goalExists);
    const participants = [...this.#participants.values()].sort(byJoinOrder).map((p) => ({
      id: p.id,
      name: p.name,
      role: p.role,
      online: this.#online(p.id),
    }));
    return {
      rev: this.#rev,
      serverNow: Date.now(),
      phase: state.phase,
      locked: state.locked,
      timer: { ...state.timer },
      voting: { ...state.voting, ballot: [...state.voting.ballot], voters, votesCast },
      tallies,
      agreed: state.agreed.filter(this.goalExists),
      participants,
      pulse: { ...pulseView(this.countedPulse(), state.pulseResults), openedAt: state.pulseOpenedAt },
      ready: readyView(readyIn(state, state.phase), participants),
      focus: state.focus && { ...state.focus },
      answerRights: state.answerRights,
      ...sharedAnswersView(state.questionModes, state.heldAnswers, (id) => hasQuestion(this.doc, id)),
    };
  }

  /** Waits for the last commit, stores the latest `rev`, stops broadcasting (unload, shutdown). */
  async close(): Promise<void> {
    await this.#commits;
    // The people here go offline for the others before this process stops speaking for them.
    this.#connections.clear();
    this.#sayPresence();
    this.#closed = true;
    if (this.#consentCheck) clearTimeout(this.#consentCheck);
    this.#extension.stopped?.();
    this.#stopWatchingGoals();
    if (this.#broadcastTimer) clearTimeout(this.#broadcastTimer);
    this.#broadcastTimer = null;
    // Only `rev` is ours to store: the rest may have moved on in another process meanwhile.
    const rev = this.#rev;
    await this.#store.updateSession(this.boardId, (saved) => {
      const state = saved === null ? this.#state : restoreSession(saved, this.goalIds);
      return { state: { ...state, rev: Math.max(state.rev, rev) }, result: undefined };
    });
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
