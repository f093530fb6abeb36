/**
 * The composition root: config → store → documents and meetings → HTTP, sync and socket.io on
 * one port. `startServer` is what tests call; run directly, this file starts from the environment
 * and stops cleanly on SIGTERM/SIGINT (SPEC §9).
 */
import type { Server as HttpServer, IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { createAdaptorServer } from '@hono/node-server';
import { CLOSE } from '../shared/sync';
import { createTokenSigner } from './auth/tokens';
import { createBoardService } from './boards';
import { ConnectionCounter } from './lib/client-address';
import { ConfigError, readConfig, type Config } from './config';
import { createHttpApp } from './http/app';
import { attachSessionServer } from './session/server';
import { SessionRooms } from './session/rooms';
import { openSqliteStore } from './storage/sqlite';
import type { Store } from './storage/store';
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

function defaultLog(message: string, error?: unknown): void {
  if (error === undefined) console.log(message);
  else console.error(message, error instanceof Error ? error.message : error);
}

export async function startServer(
  config: Config,
  log: (message: string, error?: unknown) => void = defaultLog,
): Promise<RunningServer> {
  // Alone: SQLite in DATA_DIR. Several processes: PostgreSQL as the store, Redis between them.
  // Their clients are imported only when configured: a lone process starts without loading them.
  const store = config.databaseUrl
    ? await (await import('./storage/postgres')).openPostgresStore({ url: config.databaseUrl, log })
    : openSqliteStore({
        dataDir: config.dataDir,
        synchronous: config.sqliteSynchronous,
        maxBytes: config.sqliteMaxBytes,
        log,
      });
  const bus = config.redisUrl
    ? await (await import('./cluster/redis-bus')).connectRedisBus(config.redisUrl, log)
    : null;
  const secret = await store.tokenSecret();
  const tokens = createTokenSigner(secret);
  const docs = new DocRooms(store, {
    unloadAfterMs: config.unloadAfterMs,
    compactAfterUpdates: config.compactAfterUpdates,
    maxDocBytes: config.limits.maxDocBytes,
    flushIntervalMs: config.syncFlushIntervalMs,
    awarenessIntervalMs: config.syncAwarenessIntervalMs,
    bus,
    catchUpMs: config.catchUpMs,
    log,
  });
  const sessions = new SessionRooms(store, docs, { unloadAfterMs: config.unloadAfterMs, secret, bus, log });
  const boards = createBoardService({
    store,
    docs,
    sessions,
    tokens,
    maxParticipantsPerBoard: config.limits.maxParticipantsPerBoard,
  });
  const app = createHttpApp({
    boards,
    limits: config.limits,
    trustProxy: config.trustProxy,
    publicUrl: config.publicUrl,
    clientDir: config.clientDir,
    log,
  });

  const server = createAdaptorServer({ fetch: app.fetch }) as HttpServer;
  // One ceiling per address over both kinds of connection (sync and socket.io).
  const connections = new ConnectionCounter(config.limits.maxConnectionsPerIp);
  const { trustProxy } = config;
  const io = attachSessionServer(server, { store, sessions, tokens, connections, trustProxy, log });
  // engine.io answers its own requests (handshakes, errors) before Hono sees them: this listener
  // runs first on every request, so every response says nosniff (SPEC §8).
  server.prependListener('request', (_request, response) => {
    response.setHeader('X-Content-Type-Options', 'nosniff');
  });
  const sync = createSyncEndpoint({ store, rooms: docs, sessions, tokens, connections, trustProxy, log });
  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    if (path.startsWith(SYNC_PATH_PREFIX)) sync.handleUpgrade(request, socket, head);
    else if (!path.startsWith('/socket.io/')) {
      // engine.io answers its own path; nothing else upgrades.
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
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
        await new Promise<void>((resolve) => io.close(() => resolve()));
        await Promise.all([docs.closeAll(), sessions.closeAll()]);
        server.closeAllConnections();
        await stopped;
        await bus?.close();
        await store.close();
      })();
      return closing;
    },
  };
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = readConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`Atelier cannot start: ${error.message}`);
      process.exit(2);
    }
    throw error;
  }
  const running = await startServer(config);
  console.log(`Atelier is running on ${config.publicUrl ?? running.url} (data in ${config.dataDir})`);
  if (!config.publicUrl && (config.host === '127.0.0.1' || config.host === 'localhost')) {
    console.log('Only this machine can open it: set HOST=0.0.0.0 and PUBLIC_URL to share it with a team.');
  }
  const stop = (signal: string): void => {
    console.log(`${signal}: storing everything and closing connections…`);
    running.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('Atelier did not stop cleanly', error);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error: unknown) => {
    console.error('Atelier failed to start:', error);
    process.exit(1);
  });
}
