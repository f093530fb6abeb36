/**
 * socket.io on the shared HTTP server (docs/session.md#session-plane): authenticates each connection with its join
 * token, attaches it to its board's meeting, and dispatches events through `handleRequest`.
 */
import type { IncomingMessage, Server as HttpServer } from 'node:http';
import { Server, type Socket } from 'socket.io';
import * as v from 'valibot';
import { AppError, type ErrorBody } from '../../shared/errors';
import { isId } from '../../shared/ids';
import {
  isClientEventName,
  type AckCallback,
  type AckOf,
  type ClientEventName,
  type ClientToServerEvents,
  type ServerToClientEvents,
} from '../../shared/session/events';
import type { TokenSigner } from '../auth/tokens';
import { clientAddress, type ConnectionCounter } from '../lib/client-address';
import type { Lease } from '../lib/leases';
import { TokenBucket } from '../lib/rate-limit';
import type { Observers } from '../observers';
import type { Store } from '../storage/store';
import { handleRequest } from './handlers';
import type { SessionClient, SessionRoom } from './room';
import type { SessionRooms } from './rooms';

/** A socket.io frame over this many bytes closes that connection only (docs/errors.md#frames). */
export const MAX_SESSION_FRAME_BYTES = 64 * 1024;
/** How long a connection over its address's ceiling stays open to receive its refusal. */
const OVER_LIMIT_GRACE_MS = 2_000;

interface EngineConnection {
  request: IncomingMessage;
  close(): void;
  once(event: 'close', listener: () => void): void;
}

/** Requests one connection may send: a fast voter clicks a few times a second; a script, more. */
const REQUEST_LIMIT = { burst: 40, perSecond: 20 };

interface SocketData {
  boardId: string;
  /** Null for a stage connection (docs/session.md#stage-connections): it watches and is nobody. */
  participantId: string | null;
  /** The meeting, loaded and held while the handshake was checked. */
  lease: Lease<SessionRoom>;
  /** Gives the lease back if the connection closes before socket.io calls it connected. */
  releaseOnClose: () => void;
  /** Opened with an observer key (docs/session.md#observer-connections): `Observers.mark` before it was checked. */
  observerMark?: number;
  /** Set once connected: the meeting's client, and the connection's request budget. */
  client?: SessionClient;
  requests?: TokenBucket;
}

/** The meeting's view of one socket.io connection: methods on a prototype, no closures each. */
class SocketClient implements SessionClient {
  readonly participantId: string | null;
  readonly #socket: SessionSocket;

  constructor(socket: SessionSocket, participantId: string | null) {
    this.#socket = socket;
    this.participantId = participantId;
  }

  emit<E extends keyof ServerToClientEvents>(event: E, ...args: Parameters<ServerToClientEvents[E]>): void {
    this.#socket.emit(event, ...args);
  }

  disconnect(): void {
    this.#socket.disconnect(true);
  }
}

/** Shared by every connection: `this` is the socket that closed. */
function onDisconnect(this: SessionSocket): void {
  const { lease, releaseOnClose, client } = this.data;
  this.conn.off('close', releaseOnClose);
  if (client) lease.value.detach(client);
  lease.release();
}

/** Processes of a cluster talk over their own bus (server/cluster), never through socket.io. */
type NoInterServerEvents = Record<string, never>;

export type SessionServer = Server<
  ClientToServerEvents,
  ServerToClientEvents,
  NoInterServerEvents,
  SocketData
>;

type SessionSocket = Socket<ClientToServerEvents, ServerToClientEvents, NoInterServerEvents, SocketData>;

const Auth = v.union([
  v.object({ boardId: v.string(), token: v.string() }),
  // docs/session.md#stage-connections: the room's shared screen, with the board's link alone.
  v.object({ boardId: v.string(), stage: v.literal(true) }),
  // docs/session.md#observer-connections: a stage's view, opened by an observer key alone.
  v.object({ observer: v.string() }),
]);

const STAGE_REFUSAL = 'A stage connection only watches the meeting: it cannot send requests.';
const OBSERVER_REFUSAL = 'An observer link is read-only: it cannot send requests.';

/** Why a connection that is nobody may not send requests: a stage's, or an observer's. */
function refusalFor(data: SocketData): string {
  return data.observerMark !== undefined ? OBSERVER_REFUSAL : STAGE_REFUSAL;
}

function errorBody(error: unknown): ErrorBody {
  if (error instanceof AppError) return error.toBody();
  return { code: 'internal', message: 'Something went wrong on the server.' };
}

/** A function is all JSON cannot carry: the one argument that can be socket.io's callback. */
function isCallback(value: unknown): value is (reply: unknown) => void {
  return typeof value === 'function';
}

/**
 * Splits socket.io arguments, as a client sent them, into the payload and the acknowledgement
 * callback, if any. socket.io appends its callback last when the client asked for one; a payload
 * (JSON) never holds a function, so a function there is that callback.
 */
function splitArgs<E extends ClientEventName>(args: unknown[]): { payload: unknown; ack: AckCallback<E> } {
  const last = args.at(-1);
  if (isCallback(last)) {
    return { payload: args.length > 1 ? args[0] : undefined, ack: (reply) => void last(reply) };
  }
  return { payload: args[0], ack: () => undefined };
}

export function attachSessionServer(
  httpServer: HttpServer,
  deps: {
    store: Store;
    sessions: SessionRooms;
    tokens: TokenSigner;
    /** Observer links: `auth: {observer: key}` watches as a stage does. */
    observers?: Observers;
    /** Open connections per address, shared with the sync endpoint. */
    connections: ConnectionCounter;
    trustProxy: boolean;
    log: (message: string, error?: unknown) => void;
  },
): SessionServer {
  const io: SessionServer = new Server(httpServer, {
    // The sync endpoint shares this HTTP server: engine.io must leave its upgrades alone.
    destroyUpgrade: false,
    maxHttpBufferSize: MAX_SESSION_FRAME_BYTES,
    serveClient: false,
    cors: { origin: false },
    // A transport that never completes the socket.io handshake is dropped after this long.
    connectTimeout: 10_000,
  });

  // Every engine.io connection counts against its address's ceiling, before any socket.io
  // handshake: a client opening transports it never uses is counted too. One over the ceiling
  // lives just long enough to be told why (connect_error "rate_limited"), then is closed.
  const overLimit = new WeakSet<IncomingMessage>();
  io.engine.on('connection', (connection: EngineConnection) => {
    const closeConnection = deps.connections.open(clientAddress(connection.request, deps.trustProxy));
    if (closeConnection) {
      connection.once('close', closeConnection);
      return;
    }
    overLimit.add(connection.request);
    setTimeout(() => connection.close(), OVER_LIMIT_GRACE_MS).unref();
  });

  // The meeting is loaded during the handshake, not after it: a board that cannot be loaded is a
  // connect_error the client can show (board_unreadable), never a connection dropped unexplained.
  io.use((socket, next) => {
    const refuse = (code: string): void => next(new Error(code));
    if (overLimit.has(socket.request)) return refuse('rate_limited');
    void (async () => {
      const auth = v.safeParse(Auth, socket.handshake.auth);
      if (!auth.success) return refuse('bad_request');
      let boardId: string;
      let observerMark: number | undefined;
      if ('observer' in auth.output) {
        if (!deps.observers) return refuse('not_found');
        try {
          boardId = (await deps.observers.resolve(auth.output.observer)).boardId;
          // The key is read again after the mark: a revocation stored before that read refuses
          // it now, one stored after it moves the mark and closes it once tracked.
          observerMark = deps.observers.mark(boardId);
          await deps.observers.resolve(auth.output.observer);
        } catch (error) {
          if (error instanceof AppError) return refuse(error.code);
          throw error;
        }
      } else boardId = auth.output.boardId;
      if (!isId(boardId) || !(await deps.store.getBoard(boardId))) return refuse('unknown_board');
      const claims = 'token' in auth.output ? deps.tokens.verify(auth.output.token) : null;
      if ('token' in auth.output && (!claims || claims.boardId !== boardId)) return refuse('bad_token');
      let lease: Lease<SessionRoom>;
      try {
        lease = await deps.sessions.acquire(boardId, clientAddress(socket.request, deps.trustProxy));
      } catch (error) {
        return refuse((await deps.sessions.loadError(boardId, error)).code);
      }
      const room = lease.value;
      if (!claims) {
        if (socket.conn.readyState !== 'open') {
          lease.release();
          return refuse('unavailable');
        }
        // The lease's own function: a closure here would keep the whole handshake alive.
        const releaseOnClose = lease.release.bind(lease);
        socket.conn.once('close', releaseOnClose);
        socket.data = {
          boardId,
          participantId: null,
          lease,
          releaseOnClose,
          observerMark,
        };
        return next();
      }
      const { participantId } = claims;
      // A meeting loaded before they joined (through another process, whose message may be
      // lost) reads them from the store.
      if (!room.participant(participantId) && !room.isRemoved(participantId)) {
        try {
          await room.reload();
        } catch (error) {
          lease.release();
          throw error;
        }
      }
      const refusal = room.isRemoved(participantId)
        ? 'removed'
        : room.participant(participantId)
          ? null
          : 'bad_token';
      // Closed while it was checked: socket.io drops it without a word, so nothing may be held.
      if (refusal || socket.conn.readyState !== 'open') {
        lease.release();
        return refuse(refusal ?? 'unavailable');
      }
      const releaseOnClose = lease.release.bind(lease);
      socket.conn.once('close', releaseOnClose);
      socket.data = { boardId, participantId, lease, releaseOnClose };
      next();
    })().catch((error: unknown) => {
      deps.log('session: could not check a connection', error);
      refuse('unavailable');
    });
  });

  io.on('connection', (socket) => {
    const { participantId, lease } = socket.data;
    const client = new SocketClient(socket, participantId);
    socket.data.client = client;
    socket.data.requests = new TokenBucket(REQUEST_LIMIT);
    // What the handshake needed is checked: the first HTTP request is not kept for the life of
    // the connection (its headers and socket are several KiB per participant).
    (socket.conn as { request: IncomingMessage | null }).request = null;
    // socket.io puts each socket in a room of its own id; nothing here sends through rooms (the
    // meeting emits on each socket), so that room is two sets per connection for nothing.
    void socket.leave(socket.id);
    socket.on('disconnect', onDisconnect);
    lease.value.attach(client);
    // Tracked once attached and releasable: a link revoked while this connection opened closes it now.
    const { boardId, observerMark } = socket.data;
    if (observerMark !== undefined && deps.observers) {
      const forget = deps.observers.track(boardId, observerMark, { revoked: () => socket.disconnect(true) });
      socket.on('disconnect', forget);
    }
    // One listener shared by every connection (it reads the socket from `this`), not one closure
    // per request name and connection.
    socket.onAny(onRequest);
  });

  /** Checks, validates and runs one request; the acknowledgement is the one its event declares. */
  const respond = async <E extends ClientEventName>(
    data: SocketData,
    name: E,
    payload: unknown,
  ): Promise<AckOf<E>> => {
    if (!data.requests?.take()) {
      throw new AppError('rate_limited', 'Too many requests: wait a moment and try again.');
    }
    if (data.participantId === null) throw new AppError('not_participant', STAGE_REFUSAL);
    const room = data.lease.value;
    const actor = room.participant(data.participantId);
    if (!actor) throw new AppError('bad_token', 'Unknown participant.');
    const reply = await handleRequest(room, actor, name, payload);
    return { ok: true, ...reply };
  };

  /** Answers one event as socket.io delivered it: its acknowledgement, whether ok or refused. */
  function onRequest(this: SessionSocket, event: unknown, ...args: unknown[]): void {
    const data = this.data;
    if (!isClientEventName(event)) {
      splitArgs(args).ack({
        ok: false,
        error:
          data.participantId === null
            ? { code: 'not_participant', message: refusalFor(data) }
            : { code: 'bad_request', message: `Unknown event "${String(event)}".` },
      });
      return;
    }
    const { payload, ack } = splitArgs<typeof event>(args);
    void respond(data, event, payload)
      .then(ack)
      .catch((error: unknown) => {
        if (!(error instanceof AppError)) deps.log(`session: ${event} failed`, error);
        ack({ ok: false, error: errorBody(error) });
      });
  }

  return io;
}
