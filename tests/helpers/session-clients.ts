/**
 * Real socket.io clients on the session plane (docs/session.md#session-plane), each recording the `session` and
 * `reaction` events it receives, and remembered so that one `closeAll()` disconnects them all.
 */
import { io, type Socket } from 'socket.io-client';
import type { Ack, Reaction } from '../../shared/session/events';
import type { SessionView } from '../../shared/session/state';
import { waitFor } from './expect';

export interface SessionClient {
  socket: Socket;
  /** Every `session` event, in the order received. */
  sessions: SessionView[];
  reactions: Reaction[];
  /** The latest `session` event. */
  latest(): SessionView;
  /** Emits `event` (with `payload` unless it is omitted) and resolves with the acknowledgement. */
  request(event: string, ...payload: unknown[]): Promise<Ack>;
  /** Waits until the latest `session` event satisfies `check`, and returns it. */
  waitForSession(check: (view: SessionView) => boolean, what?: string): Promise<SessionView>;
}

const ACK_TIMEOUT_MS = 5_000;

export class SessionClients {
  readonly #sockets: Socket[] = [];

  #socket(server: { url: string }, auth: unknown, reconnection: boolean): Socket {
    const socket = io(server.url, {
      auth: auth as Record<string, unknown>,
      transports: ['websocket'],
      reconnection,
      reconnectionDelay: 100,
      reconnectionDelayMax: 500,
      forceNew: true,
    });
    this.#sockets.push(socket);
    return socket;
  }

  /**
   * A client that is connected and has received its first `session` event: a participant's with
   * its token, or a stage's (docs/session.md#stage-connections) with `stage: true`.
   */
  async connect(
    server: { url: string },
    auth: { boardId: string; token: string } | { boardId: string; stage: true } | { observer: string },
  ): Promise<SessionClient> {
    const socket = this.#socket(server, auth, true);
    const sessions: SessionView[] = [];
    const reactions: Reaction[] = [];
    socket.on('session', (view: SessionView) => sessions.push(view));
    socket.on('reaction', (reaction: Reaction) => reactions.push(reaction));
    await new Promise<void>((resolve, reject) => {
      socket.once('connect_error', (error: Error) => reject(new Error(`connect_error: ${error.message}`)));
      socket.once('session', () => resolve());
    });
    const client: SessionClient = {
      socket,
      sessions,
      reactions,
      latest() {
        const view = sessions.at(-1);
        if (!view) throw new Error('no session event yet');
        return view;
      },
      request(event, ...payload) {
        return socket.timeout(ACK_TIMEOUT_MS).emitWithAck(event, ...payload) as Promise<Ack>;
      },
      async waitForSession(check, what = 'a matching session event') {
        await waitFor(() => sessions.length > 0 && check(client.latest()), 5_000, what);
        return client.latest();
      },
    };
    return client;
  }

  /** The `connect_error` message a connection with `auth` gets (throws if it connects). */
  async connectError(server: { url: string }, auth: unknown): Promise<string> {
    const socket = this.#socket(server, auth, false);
    return new Promise<string>((resolve, reject) => {
      socket.once('connect_error', (error: Error) => resolve(error.message));
      socket.once('connect', () => reject(new Error('connected, but a connect_error was expected')));
    });
  }

  async closeAll(): Promise<void> {
    for (const socket of this.#sockets.splice(0)) socket.disconnect();
  }
}
