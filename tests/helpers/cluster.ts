/**
 * Several Atelier processes on one PostgreSQL database and one Redis (docs/running.md#several-processes), for
 * tests/server/cluster*.test.ts: each a real child process started the way production starts it
 * (tests/helpers/server-process.ts), plus what those tests share:
 *
 * - `TcpProxy`: a tiny TCP forwarder standing for the reverse proxy in front of the processes
 *   (deploy/nginx.conf). Stock clients pointed at it keep their URL; the test switches where new
 *   connections go (or refuses them), so that a client of a process that died reconnects to
 *   another one by itself, as behind a real load balancer.
 * - `readDatabaseBoard`: what the database holds of a board, read with Atelier's own PostgreSQL
 *   store through a pool of its own (no process's memory involved).
 * - `useCluster`: what a suite of such tests sets up and clears: the file's PostgreSQL and Redis,
 *   a fresh database per test, the clients closed and the processes stopped after each test.
 * - small readers: `goalsOn` (a process's copy of the document holds the goals), `votesText` (vote
 *   maps compared whatever their key order), `online` (presence in a session view), `nth`.
 */
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import * as Y from 'yjs';
import type { SessionState as StoredSession } from '../../server/session/state';
import { openPostgresStore } from '../../server/storage/postgres';
import type { SessionView } from '../../shared/session/state';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { usePostgres } from './postgres';
import { startServerProcess, stopServerProcesses, type ServerProcess } from './server-process';
import { startRedis, type TestRedis } from './redis';
import { waitFor } from './expect';
import { SessionClients } from './session-clients';
import { SyncClients } from './sync-clients';
import { boardSummary } from './workshop';

export interface ClusterServices {
  databaseUrl: string;
  redisUrl: string;
}

export interface Cluster {
  readonly sync: SyncClients;
  readonly sessions: SessionClients;
  /** The suite's Redis (running from before the first test to after the last). */
  readonly redis: TestRedis;
  /** A fresh, empty database and the suite's Redis, for one test's processes. */
  readonly services: () => Promise<ClusterServices>;
}

/**
 * Call at the top of a suite of several-process tests. After each test every client is closed,
 * then `cleanUp` runs (if given), then every process is stopped.
 */
export function useCluster(cleanUp?: () => Promise<void>): Cluster {
  const postgres = usePostgres();
  let redis: TestRedis | undefined;
  const sync = new SyncClients();
  const sessions = new SessionClients();
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterEach(async () => {
    await sessions.closeAll();
    await sync.closeAll();
    await cleanUp?.();
    await stopServerProcesses();
  });
  afterAll(async () => {
    await redis?.stop();
  });
  const running = (): TestRedis => {
    if (!redis) throw new Error('Redis is not running (useCluster must be called at the top of a suite).');
    return redis;
  };
  return {
    sync,
    sessions,
    get redis() {
      return running();
    },
    async services() {
      return { databaseUrl: await postgres().createDatabase(), redisUrl: running().url };
    },
  };
}

/** The environment of one process of the cluster. */
export function clusterEnv(
  services: ClusterServices,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    DATABASE_URL: services.databaseUrl,
    REDIS_URL: services.redisUrl,
    // Tests create boards by the hundred from one address; the limit has tests of its own.
    BOARD_CREATIONS_PER_HOUR: '100000000',
    // Boards nobody uses are unloaded (and compacted) quickly: that path is exercised too.
    UNLOAD_AFTER_MS: '200',
    ...extra,
  };
}

/** Starts `count` processes on the same database and Redis, at the same time. */
export function startProcesses(
  count: number,
  services: ClusterServices,
  extra: Record<string, string> = {},
): Promise<ServerProcess[]> {
  return Promise.all(
    Array.from({ length: count }, () => startServerProcess({ env: clusterEnv(services, extra) })),
  );
}

/** `list[index]`, which must be there (the processes of a cluster, the members of a workshop). */
export function nth<T>(list: readonly T[], index: number): T {
  const item = list[index];
  if (item === undefined) throw new Error(`no item ${index} in a list of ${list.length}`);
  return item;
}

export interface DatabaseBoard {
  doc: Y.Doc;
  session: StoredSession | null;
}

/** The board as the database holds it now (document and session), through a store of its own. */
export async function readDatabaseBoard(databaseUrl: string, boardId: string): Promise<DatabaseBoard> {
  const store = await openPostgresStore({ url: databaseUrl, maxConnections: 1 });
  try {
    const stored = await store.loadDoc(boardId);
    const doc = new Y.Doc();
    for (const update of [stored.snapshot, ...stored.updates]) if (update) Y.applyUpdate(doc, update);
    return { doc, session: (await store.loadSession(boardId)) as StoredSession | null };
  } finally {
    await store.close();
  }
}

/** Waits until the board's document on `server` holds `count` goals (read over HTTP). */
export async function goalsOn(server: { url: string }, boardId: string, count: number): Promise<void> {
  await waitFor(
    async () => (await boardSummary(server, boardId)).goals === count,
    10_000,
    `${count} goals on ${server.url}`,
  );
}

/** Votes per goal with the empty ones left out, in key order, as JSON: equal maps, equal text. */
export function votesText(votes: Record<string, number> | null | undefined): string {
  return JSON.stringify(
    Object.fromEntries(
      Object.entries(votes ?? {})
        .filter(([, n]) => n > 0)
        .sort(([a], [b]) => (a < b ? -1 : 1)),
    ),
  );
}

/** Whether a session view shows the participant online (undefined: not listed). */
export function online(view: SessionView, participantId: string): boolean | undefined {
  return view.participants.find((p) => p.id === participantId)?.online;
}

/**
 * A TCP forwarder on 127.0.0.1: each new connection goes to the port `route` last named, or is
 * refused (closed at once) while the route is null. Connections already forwarded stay where they
 * are until either end closes them.
 */
export class TcpProxy {
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  #target: number | null;
  /** How many connections were forwarded, per target port. */
  readonly forwarded = new Map<number, number>();
  port = 0;

  private constructor(target: number | null) {
    this.#target = target;
    this.#server = createServer((client) => this.#accept(client));
  }

  static async start(target: ServerProcess | null): Promise<TcpProxy> {
    const proxy = new TcpProxy(target?.port ?? null);
    await new Promise<void>((resolve, reject) => {
      proxy.#server.once('error', reject);
      proxy.#server.listen(0, '127.0.0.1', resolve);
    });
    const address = proxy.#server.address();
    if (address === null || typeof address === 'string') throw new Error('no TCP port');
    proxy.port = address.port;
    return proxy;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get wsUrl(): string {
    return `ws://127.0.0.1:${this.port}`;
  }

  /** Where new connections go from now on (null: refused). */
  route(target: ServerProcess | null): void {
    this.#target = target?.port ?? null;
  }

  /** Stops listening and ends every connection through it. */
  async close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #accept(client: Socket): void {
    const target = this.#target;
    if (target === null) {
      client.destroy();
      return;
    }
    this.forwarded.set(target, (this.forwarded.get(target) ?? 0) + 1);
    const upstream = createConnection({ host: '127.0.0.1', port: target });
    for (const socket of [client, upstream]) {
      this.#sockets.add(socket);
      socket.setNoDelay(true);
      // One end gone (a process killed, a client closing): the other goes too.
      socket.on('error', () => undefined);
      socket.once('close', () => {
        this.#sockets.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream);
    upstream.pipe(client);
  }
}
