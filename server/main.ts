/**
 * The composition root: config → the port → store → documents and meetings → HTTP, sync and
 * socket.io on that port. `startServer` is what tests call; run directly, this file starts from
 * the environment and stops cleanly on SIGTERM/SIGINT (docs/running.md#shutdown).
 *
 * The sync plane (sync/) and the session plane (session/) never import each other: they meet here,
 * where the documents learn who may edit (the meeting's lock), connections hold their meeting, and
 * meetings reach the board's document through the BoardDocs port. With REDIS_URL, the extensions of
 * cluster/ are given to both.
 */
import {
  createServer,
  type Server as HttpServer,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { getRequestListener } from '@hono/node-server';
import { CLOSE } from '../shared/sync';
import { createTokenSigner, type TokenSigner } from './auth/tokens';
import type { Cluster } from './cluster';
import { createBoardService } from './boards';
import { Observers } from './observers';
import { ConnectionCounter, guardConnections, tcpCeiling } from './lib/client-address';
import { readConfig, type Config } from './config';
import { StartupError } from './lib/startup-error';
import { createHttpApp } from './http/app';
import { attachSessionServer } from './session/server';
import { hidingRemovedParticipants } from './session/removed';
import { SessionRooms, type BoardDocs } from './session/rooms';
import { isStorageFull } from './storage/full';
import { openSqliteStore } from './storage/sqlite';
import type { Store } from './storage/store';
import { MemoryBudget } from './lib/memory-budget';
import { DEFAULT_DOC_RULES } from './sync/guard';
import { DocRooms } from './sync/rooms';
import { createSyncEndpoint, SYNC_PATH_PREFIX } from './sync/websocket';

export interface RunningServer {
  /** `http://<host>:<port>` as reachable from this machine. */
  url: string;
  port: number;
  store: Store;
  docs: DocRooms;
  sessions: SessionRooms;
  /** Stops accepting, stores everything, closes every connection (clients reconnect elsewhere). */
  close(): Promise<void>;
}

/** One address may hold this share of the memory for loaded boards (docs/security.md). */
const BOARD_MEMORY_SHARE_PER_ADDRESS = 0.25;

function defaultLog(message: string, error?: unknown): void {
  if (error === undefined) console.log(message);
  else console.error(message, error instanceof Error ? error.message : error);
}

/** The port taken, or a StartupError saying why not. */
async function listen(server: HttpServer, { port, host }: Config): Promise<void> {
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
  } catch (error) {
    switch ((error as NodeJS.ErrnoException).code) {
      case 'EADDRINUSE':
        throw new StartupError(`port ${port} is already in use (set PORT to another).`);
      case 'EACCES':
        throw new StartupError(`port ${port} is reserved to privileged users (set PORT to 1024 or above).`);
      case 'EADDRNOTAVAIL':
      case 'ENOTFOUND':
        throw new StartupError(
          `HOST ${host} is not an address of this machine (set HOST to one, or 0.0.0.0).`,
        );
      default:
        throw error;
    }
  }
}

/**
 * Requests and upgrades that reach the port while the rest is starting: kept, then handed to the
 * real handlers once they are in place — a client reconnecting the moment the port opens is
 * served, not dropped — or closed if the start fails.
 */
function holdEarlyArrivals(server: HttpServer): { detach(): void; replay(): void; drop(): void } {
  const held: Array<{ replay(): void; drop(): void }> = [];
  const onRequest = (request: IncomingMessage, response: ServerResponse): void => {
    held.push({
      replay: () => server.emit('request', request, response),
      drop: () => request.socket.destroy(),
    });
  };
  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    held.push({ replay: () => server.emit('upgrade', request, socket, head), drop: () => socket.destroy() });
  };
  server.on('request', onRequest);
  server.on('upgrade', onUpgrade);
  const detach = (): void => {
    server.off('request', onRequest);
    server.off('upgrade', onUpgrade);
  };
  return {
    detach,
    replay() {
      for (const arrival of held.splice(0)) arrival.replay();
    },
    drop() {
      detach();
      for (const arrival of held.splice(0)) arrival.drop();
    },
  };
}

/** The board's parts without a port: documents, meetings, boards and the HTTP app. */
export interface Assembled {
  tokens: TokenSigner;
  docs: DocRooms;
  sessions: SessionRooms;
  /** Observer links (docs/security.md#observer-links), shared by HTTP, sync and socket.io. */
  observers: Observers;
  app: ReturnType<typeof createHttpApp>;
}

/**
 * Where the two planes meet: the documents learn who may edit from the meetings (the lock), and
 * the meetings reach the board's document through the BoardDocs port. Also what in-process HTTP
 * tests build (tests/helpers/http-app.ts), so that they run the app the server runs.
 */
export function assemble(
  config: Config,
  store: Store,
  secret: Uint8Array,
  cluster: Cluster | null,
  log: (message: string, error?: unknown) => void,
): Assembled {
  const tokens = createTokenSigner(secret);
  const docs = new DocRooms(store, {
    unloadAfterMs: config.unloadAfterMs,
    compactAfterUpdates: config.compactAfterUpdates,
    maxDocBytes: config.limits.maxDocBytes,
    maxDocItems: config.limits.maxDocItems,
    rules: DEFAULT_DOC_RULES,
    budget: new MemoryBudget(config.limits.boardMemoryBytes, BOARD_MEMORY_SHARE_PER_ADDRESS),
    flushIntervalMs: config.syncFlushIntervalMs,
    awarenessIntervalMs: config.syncAwarenessIntervalMs,
    // The lock is the meeting's: the document asks it (the meetings are made just below).
    mayEdit: (boardId, peer): boolean => sessions.mayEdit(boardId, peer.role),
    answerRights: (boardId) => sessions.answerRights(boardId),
    anonymousQuestions: (boardId) => sessions.anonymousQuestions(boardId),
    extend: cluster?.docs,
    log,
    isStorageFull,
  });
  // Meetings read goals from the board's document; they hold it through this port.
  const boardDocs: BoardDocs = {
    acquire: async (boardId, address) => {
      const lease = await docs.acquire(boardId, address);
      try {
        // A cold board answers its first sync requests before it applies its snapshot: the
        // meeting waits for the whole document (docs/sync.md#cold-boards).
        await lease.value.applied();
        return { value: lease.value.doc, release: () => lease.release() };
      } catch (error) {
        lease.release();
        throw error;
      }
    },
    onBroken: (listener) => docs.onBroken(listener),
    isFull: async (boardId) => {
      const lease = await docs.acquire(boardId, null);
      try {
        return lease.value.isFull();
      } finally {
        lease.release();
      }
    },
    settle: async (boardId) => {
      const lease = await docs.acquire(boardId, null);
      try {
        await lease.value.settle();
      } finally {
        lease.release();
      }
    },
  };
  const sessions = new SessionRooms(store, boardDocs, {
    unloadAfterMs: config.unloadAfterMs,
    secret,
    extension: cluster?.sessions,
    log,
  });
  // A removed participant's open sync connections close with 4401, as a new one with their token
  // would (the store no longer finds them): their client stops and says so.
  sessions.onParticipantRemoved((boardId, participantId) => {
    void docs.disconnectParticipant(boardId, participantId, CLOSE.badToken, 'removed from the board');
  });
  const boards = createBoardService({
    store,
    docs,
    sessions,
    tokens,
    maxParticipantsPerBoard: config.limits.maxParticipantsPerBoard,
    maxJoinsPerAddress: config.limits.maxJoinsPerAddress,
  });
  const observers = new Observers(store, tokens);
  const app = createHttpApp({
    boards,
    observers,
    limits: config.limits,
    trustProxy: config.trustProxy,
    publicUrl: config.publicUrl,
    host: config.host,
    clientDir: config.clientDir,
    log,
  });
  return { tokens, docs, sessions, observers, app };
}

export async function startServer(
  config: Config,
  log: (message: string, error?: unknown) => void = defaultLog,
): Promise<RunningServer> {
  // The port first: a second start on a busy port stops here, before it touches DATA_DIR.
  const server = createServer();
  // Every TCP connection counts against its address from its accept; one that sends no request
  // is dropped.
  guardConnections(server, config.trustProxy ? null : tcpCeiling(config.limits.maxConnectionsPerIp));
  const early = holdEarlyArrivals(server);
  await listen(server, config).catch((error: unknown) => {
    early.drop();
    throw error;
  });
  try {
    return await startOn(server, early, config, log);
  } catch (error) {
    early.drop();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    throw error;
  }
}

async function startOn(
  server: HttpServer,
  early: ReturnType<typeof holdEarlyArrivals>,
  config: Config,
  log: (message: string, error?: unknown) => void,
): Promise<RunningServer> {
  // Alone: SQLite in DATA_DIR. Several processes: PostgreSQL as the store, Redis between them.
  // Their clients are imported only when configured: a lone process starts without loading them.
  // Participants a facilitator removed are not found, whoever asks (server/session/removed.ts).
  const store = hidingRemovedParticipants(
    config.databaseUrl
      ? await (await import('./storage/postgres')).openPostgresStore({ url: config.databaseUrl, log })
      : openSqliteStore({
          dataDir: config.dataDir,
          synchronous: config.sqliteSynchronous,
          maxBytes: config.sqliteMaxBytes,
          log,
        }),
  );
  let cluster: Cluster | null = null;
  let secret: Uint8Array;
  try {
    if (config.redisUrl) {
      const { joinCluster } = await import('./cluster');
      cluster = await joinCluster(config.redisUrl, store, { catchUpMs: config.catchUpMs, log });
    }
    secret = await store.tokenSecret();
  } catch (error) {
    await cluster?.close();
    await store.close();
    throw error;
  }
  const { tokens, docs, sessions, observers, app } = assemble(config, store, secret, cluster, log);

  // From here on nothing waits: the real handlers replace the waiting room in one go.
  early.detach();
  const serve = getRequestListener(app.fetch);
  server.on('request', (request, response) => void serve(request, response));
  // One ceiling per address over both kinds of connection (sync and socket.io).
  const connections = new ConnectionCounter(config.limits.maxConnectionsPerIp);
  const { trustProxy } = config;
  const io = attachSessionServer(server, {
    store,
    sessions,
    tokens,
    observers,
    connections,
    trustProxy,
    log,
  });
  // engine.io answers its own requests (handshakes, errors) before Hono sees them: this listener
  // runs first on every request, so every response says nosniff (docs/errors.md#headers).
  server.prependListener('request', (_request, response) => {
    response.setHeader('X-Content-Type-Options', 'nosniff');
  });
  const sync = createSyncEndpoint({
    store,
    rooms: docs,
    // A connection holds the board's meeting, which decides who may edit (the lock).
    onPeerOpen: (boardId, address) => sessions.acquire(boardId, address),
    tokens,
    observers,
    connections,
    trustProxy,
    maxDocBytes: config.limits.maxDocBytes,
    log,
  });
  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    if (path.startsWith(SYNC_PATH_PREFIX)) sync.handleUpgrade(request, socket, head);
    else if (!path.startsWith('/socket.io/')) {
      // engine.io answers its own path; nothing else upgrades.
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
    }
  });

  early.replay();
  const { port } = server.address() as AddressInfo;
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;

  let closing: Promise<void> | null = null;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    store,
    docs,
    sessions,
    close() {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        sync.close(CLOSE.goingAway);
        // Closing the engine drops each transport: clients see "transport close" and reconnect
        // (a server-side disconnect would tell them not to).
        await new Promise<void>((resolve) => void io.close(() => resolve()));
        await Promise.all([docs.closeAll(), sessions.closeAll()]);
        server.closeAllConnections();
        await stopped;
        await cluster?.close();
        await store.close();
      })();
      return closing;
    },
  };
}

/** What the operator must fix, in one line, and exit code 2; anything else is a bug (exit 1). */
function cannotStart(error: unknown, config: Config | null): never {
  if (error instanceof StartupError) {
    console.error(`Atelier cannot start: ${error.message}`);
    process.exit(2);
  }
  if (isStorageFull(error)) {
    const where = config?.databaseUrl ? 'the PostgreSQL database' : (config?.dataDir ?? 'DATA_DIR');
    console.error(`Atelier cannot start: no space left to store data in ${where}: free some space.`);
    process.exit(2);
  }
  throw error;
}

export async function main(): Promise<void> {
  let config: Config | null = null;
  let running: RunningServer;
  try {
    config = readConfig();
    running = await startServer(config);
  } catch (error) {
    cannotStart(error, config);
  }
  console.log(`Atelier is running on ${config.publicUrl ?? running.url} (data in ${config.dataDir})`);
  if (!config.publicUrl && (config.host === '127.0.0.1' || config.host === 'localhost')) {
    console.log('Only this machine can open it: set HOST=0.0.0.0 and PUBLIC_URL to share it with a team.');
  }
  let stopping = false;
  const stop = (signal: string): void => {
    // The same stop often comes twice (a supervisor signals the whole group, npm forwards it
    // too): the second must not end the process with the default action halfway through.
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: storing everything and closing connections…`);
    running.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('Atelier did not stop cleanly', error);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error: unknown) => {
    console.error('Atelier failed to start:', error);
    process.exit(1);
  });
}
