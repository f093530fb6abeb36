/**
 * Real sync clients for integration tests: stock `WebsocketProvider`s from y-websocket and raw
 * `ws` sockets, each remembered so that one `closeAll()` in `afterEach` lets Vitest exit.
 */
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { waitFor } from './expect';

/**
 * `[0=sync][2=update][update]`: a live edit framed as y-websocket sends it, for a raw client to
 * send whatever bytes `update` holds.
 */
export function updateFrame(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 0);
  encoding.writeVarUint(encoder, 2);
  encoding.writeVarUint8Array(encoder, update);
  return encoding.toUint8Array(encoder);
}

export interface ProviderClient {
  doc: Y.Doc;
  provider: WebsocketProvider;
}

export interface RawClient {
  ws: WebSocket;
  /** Binary frames received, in order. */
  frames: Uint8Array[];
  /** Resolves once the connection is open (rejects if it closes first). */
  opened: Promise<void>;
  /** Resolves with the close code and reason, whoever closed. */
  closed: Promise<{ code: number; reason: string }>;
}

export class SyncClients {
  readonly #providers: ProviderClient[] = [];
  readonly #raw: WebSocket[] = [];

  /** A stock provider on `<server>/sync/<boardId>`, with `?token=` when given. */
  provider(
    server: { wsUrl: string },
    boardId: string,
    options: { token?: string; doc?: Y.Doc; observer?: string } = {},
  ): ProviderClient {
    const doc = options.doc ?? new Y.Doc();
    const params: Record<string, string> = {};
    if (options.token !== undefined) params.token = options.token;
    // docs/sync.md#observers: an observer key instead of a token.
    if (options.observer !== undefined) params.observer = options.observer;
    const provider = new WebsocketProvider(`${server.wsUrl}/sync`, boardId, doc, {
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      params,
      // Tests disconnect providers on purpose; no cross-tab channel in Node anyway.
      disableBc: true,
    });
    const client = { doc, provider };
    this.#providers.push(client);
    return client;
  }

  /** A provider that has finished its first sync with the server. */
  async syncedProvider(
    server: { wsUrl: string },
    boardId: string,
    options: { token?: string; doc?: Y.Doc; observer?: string } = {},
  ): Promise<ProviderClient> {
    const client = this.provider(server, boardId, options);
    await waitFor(() => client.provider.synced, 5_000, 'the provider to sync');
    return client;
  }

  /** A raw WebSocket on `path` (e.g. `/sync/<boardId>?token=…`), recording what it receives. */
  raw(server: { wsUrl: string }, path: string, headers: Record<string, string> = {}): RawClient {
    const ws = new WebSocket(`${server.wsUrl}${path}`, { headers });
    ws.binaryType = 'nodebuffer';
    this.#raw.push(ws);
    const frames: Uint8Array[] = [];
    ws.on('message', (data: Buffer) => frames.push(new Uint8Array(data)));
    // A refused or reset connection reports an error before 'close'; the close code tells the story.
    ws.on('error', () => undefined);
    const closed = new Promise<{ code: number; reason: string }>((resolve) => {
      ws.once('close', (code: number, reason: Buffer) => resolve({ code, reason: reason.toString() }));
    });
    const opened = new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      void closed.then(({ code }) => reject(new Error(`closed with ${code} before opening`)));
    });
    opened.catch(() => undefined);
    return { ws, frames, opened, closed };
  }

  /** Destroys every provider and closes every raw socket made since the last call. */
  async closeAll(): Promise<void> {
    for (const { provider, doc } of this.#providers.splice(0)) {
      provider.destroy();
      doc.destroy();
    }
    await Promise.all(
      this.#raw.splice(0).map(
        (ws) =>
          new Promise<void>((resolve) => {
            if (ws.readyState === WebSocket.CLOSED) return resolve();
            ws.once('close', () => resolve());
            ws.terminate();
          }),
      ),
    );
  }
}

/** The name a peer's presence shows (`{ user: { name } }`), read without trusting its shape. */
export function presenceName(state: unknown): string | undefined {
  if (typeof state !== 'object' || state === null || !('user' in state)) return undefined;
  const user: unknown = state.user;
  if (typeof user !== 'object' || user === null || !('name' in user)) return undefined;
  return typeof user.name === 'string' ? user.name : undefined;
}
