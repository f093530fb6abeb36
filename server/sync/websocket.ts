/**
 * The sync endpoint on Node's HTTP server (docs/sync.md#connecting): `ws(s)://<host>/sync/<boardId>[?token=…]`.
 * A thin adapter: it checks the board and the token, then hands a `SyncPeer` to the board's room.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { isId } from '../../shared/ids';
import { AppError } from '../../shared/errors';
import { CLOSE, MAX_SYNC_FRAME_BYTES } from '../../shared/sync';
import type { Role } from '../../shared/session/state';
import type { TokenSigner } from '../auth/tokens';
import { clientAddress, type ConnectionCounter } from '../lib/client-address';
import { TokenBucket } from '../lib/rate-limit';
import type { Observers } from '../observers';
import type { Store } from '../storage/store';
import { EarlyFrames } from './early';
import { InboundBytes, type InboundCount } from './inbound';
import { MESSAGE, SYNC } from './protocol';
import type { DocRoom, SyncPeer } from './room';
import type { DocRooms } from './rooms';

export const SYNC_PATH_PREFIX = '/sync/';

/** Who a connection is: a participant (or a tokenless guest), or an observer, who only reads. */
interface Access {
  boardId: string;
  participantId: string | null;
  role: Role;
  observer: boolean;
  /** For an observer: `Observers.mark` before its key was checked. */
  observerMark?: number;
}
/** A peer that stops answering pings for this long is dropped (it reconnects if it can). */
const PING_INTERVAL_MS = 30_000;
/**
 * The pings go out in this many slices, one every PING_INTERVAL_MS / PING_SLICES, each to the
 * peers of its slice: pinging 10,000 sockets in one go held the event loop for over 100 ms, and
 * every board's edits waited behind it.
 */
const PING_SLICES = 30;
/**
 * A peer that lets this much unsent data pile up (beyond twice the largest frame it was sent, such
 * as the whole board on joining) is closed with 4408; it resyncs on reconnect. What piles up is
 * mostly shared: broadcasts and the whole-board answer are one buffer for every peer.
 */
const SLOW_READER_BYTES = 8 * 1024 * 1024;
/** How long a slow reader has to take its close frame before its connection is dropped. */
const SLOW_READER_GRACE_MS = 2_000;
/**
 * Frames one connection may send: typing, dragging and awareness stay far below; a flood is
 * closed with 1013 ("try again later") and the client reconnects with backoff.
 */
const FRAME_LIMIT = { burst: 300, perSecond: 100 };
/** The largest sync answer accepted, whatever the document limit. */
const MAX_SYNC_ANSWER_BYTES = 64 * 1024 * 1024;

export interface SyncEndpoint {
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Closes every sync connection with `code` (clients reconnect) and stops accepting. */
  close(code?: number): void;
}

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

const CLOSE_REASONS = new Map<number, string>([
  [CLOSE.unknownBoard, 'unknown board'],
  [CLOSE.observerRevoked, 'observer link revoked'],
]);

/** Listeners shared by every socket (EventEmitter calls them with the socket as `this`). */
const answered = new WeakSet<WebSocket>();
function markAnswered(this: WebSocket): void {
  answered.add(this);
}
// ws closes the connection itself on a protocol error (1002) or an oversized frame (1009); the
// listener only keeps the error from becoming an uncaught exception.
function ignoreError(): void {}

/** Each connection's count of half-received bytes (inbound.ts), reset by every message. */
const inboundCounts = new WeakMap<WebSocket, InboundCount>();
function countReceived(this: WebSocket): void {
  inboundCounts.get(this)?.received();
}
function releaseCount(this: WebSocket): void {
  inboundCounts.get(this)?.release();
}
/** The connection on each raw socket, for refusing it when it passes an inbound bound. */
const socketsOf = new WeakMap<Duplex, WebSocket>();

/**
 * An accepted sync connection, as its room sees it: one object per socket (no closures per
 * connection beyond its two listeners), since a board may hold hundreds of them. It is its own
 * budget of frames (FRAME_LIMIT) rather than holding one more object.
 */
class SocketPeer extends TokenBucket implements SyncPeer {
  readonly participantId: string | null;
  readonly role: Role;
  /** docs/sync.md#observers: reads the document, sends nothing that counts. */
  readonly observer: boolean;
  readonly #ws: WebSocket;
  readonly #room: DocRoom;
  readonly #leases: ReadonlyArray<{ release(): void }>;
  /** How much unsent data this peer may have before it counts as too slow. */
  #allowance = SLOW_READER_BYTES;

  constructor(
    ws: WebSocket,
    room: DocRoom,
    access: { participantId: string | null; role: Role; observer: boolean },
    leases: ReadonlyArray<{ release(): void }>,
    /** The largest frame it was sent before joining (early.ts). */
    sentBefore = 0,
  ) {
    super(FRAME_LIMIT);
    this.#allowance = SLOW_READER_BYTES + 2 * sentBefore;
    this.participantId = access.participantId;
    this.role = access.role;
    this.observer = access.observer;
    this.#ws = ws;
    this.#room = room;
    this.#leases = leases;
    room.join(this);
    ws.on('message', this.#onMessage);
    ws.on('close', this.#onClose); // 'close' fires once; `once` would add a bound wrapper per socket
  }

  send(frame: Uint8Array): void {
    const ws = this.#ws;
    if (ws.readyState !== WebSocket.OPEN) return;
    if (ws.bufferedAmount > this.#allowance) {
      // It gets nothing more, and its buffers go soon: a reader this far behind may never read
      // the close frame queued after them.
      this.#room.leave(this);
      ws.close(CLOSE.tooSlow, 'too slow: reconnect');
      setTimeout(() => ws.terminate(), SLOW_READER_GRACE_MS).unref();
      return;
    }
    this.#allowance = Math.max(this.#allowance, SLOW_READER_BYTES + 2 * frame.length);
    ws.send(frame, { binary: true });
  }

  close(code: number, reason: string): void {
    this.#ws.close(code, reason);
  }

  /** Closes the connection for good, its room no longer sending to it. */
  shut(code: number, reason: string): void {
    this.#room.leave(this);
    this.#ws.close(code, reason);
  }

  receive(frame: Uint8Array): void {
    if (!this.take()) this.#ws.close(CLOSE.tryAgainLater, 'too many messages');
    else if (this.observer && !observerMayRelay(frame)) {
      // docs/sync.md#observers: an edit closes it; its presence and sync answers are dropped.
      if (isLiveUpdate(frame)) this.shut(CLOSE.observerReadOnly, 'an observer link is read-only');
    } else if (frame.length > MAX_SYNC_FRAME_BYTES && !isSyncAnswer(frame)) {
      // Only a sync answer (a client's offline backlog) may be larger than a frame.
      this.#ws.close(CLOSE.frameTooLarge, 'frame too large');
    } else this.#room.receive(this, frame);
  }

  readonly #onMessage = (data: RawData): void => this.receive(toBytes(data));

  readonly #onClose = (): void => {
    this.#room.leave(this);
    for (const lease of this.#leases) lease.release();
  };
}

/** Whether a frame is a sync answer or update (the only messages allowed past 1 MiB). */
function isSyncAnswer(frame: Uint8Array): boolean {
  return frame[0] === MESSAGE.sync && (frame[1] === SYNC.step2 || frame[1] === SYNC.update);
}

/** Whether an observer's frame goes to the room: it may ask for the document and for presence. */
function observerMayRelay(frame: Uint8Array): boolean {
  return (frame[0] === MESSAGE.sync && frame[1] === SYNC.step1) || frame[0] === MESSAGE.queryAwareness;
}

/** Whether a frame is a live edit (`[0][2]…`). */
function isLiveUpdate(frame: Uint8Array): boolean {
  return frame[0] === MESSAGE.sync && frame[1] === SYNC.update;
}

/** What a connection holds besides its document when no `onPeerOpen` is given. */
const NOTHING_HELD = { release: (): void => undefined };

export function createSyncEndpoint(deps: {
  store: Store;
  rooms: DocRooms;
  /**
   * Called as a connection opens on a board, with the address it comes from: holds whatever must
   * stay loaded while it is open (main.ts: the board's meeting, which decides the lock), until
   * the connection closes. A rejection refuses the connection as a failed load of the board does.
   */
  onPeerOpen?: (boardId: string, address: string) => Promise<{ release(): void }>;
  tokens: TokenSigner;
  /** Observer links: `?observer=<key>` opens a read-only connection (docs/sync.md#observers). */
  observers?: Observers;
  /** Open connections per address, shared with socket.io. */
  connections: ConnectionCounter;
  trustProxy: boolean;
  /** The largest board document: a sync answer may be this large (plus framing). */
  maxDocBytes: number;
  log: (message: string, error?: unknown) => void;
}): SyncEndpoint {
  /** Which ping slice each socket is in: given in turn as they connect. */
  const sliceOf = new WeakMap<WebSocket, number>();
  let nextSlice = 0;
  const wss = new WebSocketServer({
    noServer: true,
    // A client's sync answer carries its offline backlog, up to the document's size: it may be
    // larger than a frame (1 MiB), within the document limit and the inbound bounds.
    maxPayload: Math.max(MAX_SYNC_FRAME_BYTES, Math.min(deps.maxDocBytes, MAX_SYNC_ANSWER_BYTES)) + 64 * 1024,
    perMessageDeflate: false,
  });
  // Stop reading what it sends; the close frame still goes out, then the socket is dropped.
  const inbound = new InboundBytes((socket) => {
    socket.pause();
    const ws = socketsOf.get(socket);
    ws?.close(CLOSE.tryAgainLater, 'server busy: try again later');
    setTimeout(() => ws?.terminate(), 1_000).unref();
  });

  async function authorize(url: URL): Promise<Access | number> {
    const boardId = url.pathname.slice(SYNC_PATH_PREFIX.length);
    if (!isId(boardId) || !(await deps.store.getBoard(boardId))) return CLOSE.unknownBoard;
    const observerKey = url.searchParams.get('observer');
    if (observerKey !== null) return authorizeObserver(boardId, observerKey);
    const token = url.searchParams.get('token');
    if (token === null) return { boardId, participantId: null, role: 'participant', observer: false };
    const claims = deps.tokens.verify(token);
    if (!claims || claims.boardId !== boardId) return CLOSE.badToken;
    const participant = await deps.store.getParticipant(boardId, claims.participantId);
    if (!participant) return CLOSE.badToken;
    return { boardId, participantId: participant.id, role: participant.role, observer: false };
  }

  /** docs/sync.md#observers: a working key of this very board, or 4410 (revoked) / 4401. */
  async function authorizeObserver(boardId: string, key: string): Promise<Access | number> {
    if (!deps.observers) return CLOSE.badToken;
    const observerMark = deps.observers.mark(boardId);
    try {
      const observed = await deps.observers.resolve(key);
      if (observed.boardId !== boardId) return CLOSE.badToken;
    } catch (error) {
      if (error instanceof AppError && error.code === 'observer_revoked') return CLOSE.observerRevoked;
      if (error instanceof AppError && error.code === 'not_found') return CLOSE.badToken;
      throw error;
    }
    return { boardId, participantId: null, role: 'participant', observer: true, observerMark };
  }

  async function accept(ws: WebSocket, request: IncomingMessage, socket: Duplex): Promise<void> {
    answered.add(ws);
    sliceOf.set(ws, nextSlice++ % PING_SLICES);
    ws.on('pong', markAnswered);
    ws.on('error', ignoreError);
    const address = clientAddress(request, deps.trustProxy);
    socketsOf.set(socket, ws);
    inboundCounts.set(ws, inbound.track(socket, address));
    ws.on('message', countReceived);
    ws.on('close', releaseCount);
    // Frames that arrive while the board loads are kept, in order, for the room (early.ts).
    const early = new EarlyFrames(ws);
    const keepEarly = (data: RawData): void => early.keep(toBytes(data));
    ws.on('message', keepEarly);

    const closeConnection = deps.connections.open(address);
    if (!closeConnection) {
      ws.close(CLOSE.tryAgainLater, 'too many connections from this address');
      return;
    }
    ws.on('close', closeConnection);

    let access: Awaited<ReturnType<typeof authorize>>;
    try {
      access = await authorize(new URL(request.url ?? '/', 'http://localhost'));
    } catch (error) {
      deps.log('sync: could not check a connection', error);
      ws.close(CLOSE.serverError, 'try again');
      return;
    }
    if (typeof access === 'number') {
      ws.close(access, CLOSE_REASONS.get(access) ?? 'bad token');
      return;
    }

    // The document first (charged to this address), then whatever the connection holds besides
    // (the meeting, which holds the document and decides who may edit).
    const docAcquired = deps.rooms.acquire(access.boardId, address);
    void docAcquired.then((lease) => early.answerFrom(lease.value), ignoreError);
    const [heldLoad, docLoad] = await Promise.allSettled([
      deps.onPeerOpen ? deps.onPeerOpen(access.boardId, address) : Promise.resolve(NOTHING_HELD),
      docAcquired,
    ]);
    const leases = [heldLoad, docLoad].flatMap((load) => (load.status === 'fulfilled' ? [load.value] : []));
    if (heldLoad.status === 'rejected' || docLoad.status === 'rejected') {
      for (const lease of leases) lease.release();
      const failure: unknown =
        docLoad.status === 'rejected' ? docLoad.reason : (heldLoad as PromiseRejectedResult).reason;
      if (failure instanceof AppError && failure.code === 'unavailable') {
        ws.close(CLOSE.tryAgainLater, 'server busy: try again later');
      } else if (failure instanceof AppError && failure.code === 'board_unreadable') {
        ws.close(CLOSE.boardUnreadable, 'this board cannot be loaded');
      } else {
        deps.log(`sync: could not load board ${access.boardId}`, failure);
        ws.close(CLOSE.serverError, 'try again');
      }
      return;
    }
    if (ws.readyState !== WebSocket.OPEN) {
      for (const lease of leases) lease.release();
      return;
    }

    ws.off('message', keepEarly);
    const peer = new SocketPeer(ws, docLoad.value.value, access, leases, early.sent);
    if (access.observer && deps.observers) {
      const forget = deps.observers.track(access.boardId, access.observerMark ?? -1, {
        revoked: () => peer.shut(CLOSE.observerRevoked, 'observer link revoked'),
      });
      ws.on('close', forget);
    }
    for (const frame of early.take()) peer.receive(frame);
  }

  // One timer for every connection (not one each), each tick for one slice of them: a socket that
  // did not answer its last ping is dropped, the others are pinged again.
  let slice = 0;
  const pings = setInterval(() => {
    slice = (slice + 1) % PING_SLICES;
    for (const client of wss.clients) {
      if (sliceOf.get(client) !== slice) continue;
      if (!answered.has(client)) {
        client.terminate();
        continue;
      }
      answered.delete(client);
      client.ping();
    }
  }, PING_INTERVAL_MS / PING_SLICES);
  pings.unref();

  return {
    handleUpgrade(request, socket, head) {
      wss.handleUpgrade(request, socket, head, (ws) => void accept(ws, request, socket));
    },
    close(code = CLOSE.goingAway) {
      clearInterval(pings);
      for (const client of wss.clients) client.close(code, 'server stopping');
      wss.close();
    },
  };
}
