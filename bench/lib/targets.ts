/**
 * The four servers the bench drives, each started in its own child process pinned to the server
 * core: Atelier (the bundled `dist/server/main.mjs`, as `npm start` runs it), `@y/websocket-server`,
 * `@hocuspocus/server` and the bare relay. Also how to make a board on each and how to open a
 * full Y.Doc probe client on it (the stock provider of each server's protocol).
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import { io, type Socket } from 'socket.io-client';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { reconnectDelay } from '../../client/src/lib/reconnect';
import { removeTempDir, SERVER_CORE, startChild, tempDir, type Child } from './proc';
import type { Dialect } from './wire';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));

export type TargetId = 'atelier' | 'yws' | 'hocuspocus' | 'relay';

export interface Target {
  id: TargetId;
  label: string;
  /** What survives a crash, stated beside every figure. */
  durability: string;
  dialect: Dialect;
  /** Whether the server holds the document (the relay does not). */
  hasDocument: boolean;
  script: string;
}

export const TARGETS: Record<TargetId, Target> = {
  atelier: {
    id: 'atelier',
    label: 'Atelier',
    durability: 'SQLite (WAL, synchronous=NORMAL): every update stored before it is broadcast',
    dialect: 'y-websocket',
    hasDocument: true,
    // What `npm start` runs: the bundled server (built by scripts/build.ts before the bench).
    script: join(REPO, 'dist/server/main.mjs'),
  },
  yws: {
    id: 'yws',
    label: '@y/websocket-server 0.1.1',
    durability: 'memory only (no YPERSISTENCE): a crash loses every document',
    dialect: 'y-websocket',
    hasDocument: true,
    script: join(REPO, 'bench/servers/yws.mjs'),
  },
  hocuspocus: {
    id: 'hocuspocus',
    label: '@hocuspocus/server 3.4.4',
    durability: 'memory only (no persistence extension configured): a crash loses every document',
    dialect: 'hocuspocus',
    hasDocument: true,
    script: join(REPO, 'bench/servers/hocuspocus.mjs'),
  },
  relay: {
    id: 'relay',
    label: 'raw ws relay (ceiling)',
    durability: 'nothing: relays frames, holds no document',
    dialect: 'y-websocket',
    hasDocument: false,
    script: join(REPO, 'bench/servers/relay.mjs'),
  },
};

export const PEERS: TargetId[] = ['yws', 'hocuspocus'];

/** Where Atelier is run from: this repository unless `--atelier-dir` names another checkout. */
let atelierDir = REPO;
export function useAtelierFrom(dir: string): void {
  atelierDir = dir;
  TARGETS.atelier.script = join(dir, 'dist/server/main.mjs');
}
export function atelierFrom(): string {
  return atelierDir;
}

export interface StartOptions {
  port?: number;
  /** Atelier: reuse this data directory (restart); a fresh one otherwise. */
  dataDir?: string;
  nodeArgs?: string[];
  env?: Record<string, string>;
  /** Open files the server may hold (W6's thousands of sockets); the system's limit otherwise. */
  nofile?: number;
}

const MEMORY_HOOK = pathToFileURL(join(REPO, 'bench/servers/memory-hook.mjs')).href;

/**
 * The Node flags Atelier's `npm start` gives (its package.json `start` script, e.g.
 * `--single-threaded-gc`, docs/running.md#garbage-collection): the bench runs the bundle as
 * `npm start` would, for the checkout it runs.
 */
function atelierNodeFlags(): string[] {
  const pkg = JSON.parse(readFileSync(join(atelierDir, 'package.json'), 'utf8')) as {
    scripts?: Record<string, string>;
  };
  const flags = /\bnode((?:\s+--\S+)*)\s+scripts\/start\.mjs/.exec(pkg.scripts?.start ?? '')?.[1] ?? '';
  return flags.split(/\s+/).filter(Boolean);
}
const memoryDir = tempDir('atelier-bench-memory-');
let memoryFiles = 0;

export interface MemoryReading {
  rss: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
  /** Event-loop delay since the previous reading (only with BENCH_EVENT_LOOP=1). */
  eventLoop?: { p50Ms: number; p99Ms: number; maxMs: number };
}

export class RunningServer {
  readonly target: Target;
  child: Child;
  readonly dataDir: string | null;
  readonly #options: StartOptions;
  readonly #ownsDataDir: boolean;

  private constructor(
    target: Target,
    child: Child,
    dataDir: string | null,
    options: StartOptions,
    owns: boolean,
  ) {
    this.target = target;
    this.child = child;
    this.dataDir = dataDir;
    this.#options = options;
    this.#ownsDataDir = owns;
  }

  static async start(target: Target, options: StartOptions = {}): Promise<RunningServer> {
    const owns = target.id === 'atelier' && options.dataDir === undefined;
    const dataDir = target.id === 'atelier' ? (options.dataDir ?? tempDir('atelier-bench-data-')) : null;
    const child = await RunningServer.#spawn(target, options, dataDir, options.port ?? 0);
    return new RunningServer(target, child, dataDir, options, owns);
  }

  static #spawn(target: Target, options: StartOptions, dataDir: string | null, port: number): Promise<Child> {
    const memoryFile = join(memoryDir, `server-${++memoryFiles}.json`);
    const env: Record<string, string> = { PORT: String(port), HOST: '127.0.0.1', ...options.env };
    if (target.id === 'atelier') {
      // Every bench client comes from 127.0.0.1: lift the per-address limits meant for the internet.
      env.BOARD_CREATIONS_PER_HOUR ??= '100000000';
      env.MAX_CONNECTIONS_PER_IP ??= '1000000';
      // Each board's people join from an office of their own (`joinBoard`), as behind a proxy: the
      // join rate per address (docs/http.md#rate-limits) is then per board, as it would be live.
      env.TRUST_PROXY ??= '1';
    }
    if (dataDir) env.DATA_DIR = dataDir;
    env.BENCH_MEMORY_FILE = memoryFile;
    return startChild({
      name: target.label,
      script: target.script,
      nodeArgs: [
        '--expose-gc',
        '--import',
        MEMORY_HOOK,
        ...(target.id === 'atelier' ? atelierNodeFlags() : []),
        ...(options.nodeArgs ?? []),
        // A diagnosis by hand, e.g. BENCH_SERVER_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof'.
        ...(process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
      ],
      env,
      memoryFile,
      cwd: target.id === 'atelier' ? atelierDir : REPO,
      core: SERVER_CORE,
      nofile: options.nofile,
      ready:
        target.id === 'atelier' ? /Atelier is running on http:\/\/[^:]+:(\d+)/ : /BENCH_READY port=(\d+)/,
      timeoutMs: 60_000,
    });
  }

  /** Memory after a full garbage collection in the server (through the bench's preloaded hook). */
  async memoryAfterGc(timeoutMs = 5_000): Promise<MemoryReading> {
    const file = this.child.memoryFile;
    const before = existsSync(file) ? statSync(file).mtimeMs : 0;
    this.child.process.kill('SIGUSR2');
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      await sleep(50);
      if (existsSync(file) && statSync(file).mtimeMs !== before) {
        try {
          return JSON.parse(readFileSync(file, 'utf8')) as MemoryReading;
        } catch {
          // being written: read again
        }
      }
      if (performance.now() > deadline) throw new Error(`${this.target.label} did not report its memory`);
    }
  }

  get port(): number {
    return this.child.port;
  }

  get pid(): number {
    return this.child.pid;
  }

  get httpUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Base URL for the stock y-websocket provider (`<base>/<room>`), and for hand-made clients. */
  get syncBase(): string {
    return `ws://127.0.0.1:${this.port}/sync`;
  }

  /** Where a lightweight client connects for `board`. */
  socketUrl(board: string): string {
    return this.target.dialect === 'hocuspocus'
      ? `ws://127.0.0.1:${this.port}/`
      : `${this.syncBase}/${board}`;
  }

  /** Kills the server (SIGKILL unless told) and starts it again on the same port and data. */
  async restart(signal: NodeJS.Signals = 'SIGKILL'): Promise<{ killedAt: number; readyAt: number }> {
    await this.child.kill(signal);
    const killedAt = performance.now();
    this.child = await RunningServer.#spawn(this.target, this.#options, this.dataDir, this.port);
    return { killedAt, readyAt: performance.now() };
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    await this.child.kill(signal);
    if (this.#ownsDataDir && this.dataDir) removeTempDir(this.dataDir);
  }

  /** Atelier: bytes of the SQLite files in the data directory. */
  storedBytes(): number {
    if (!this.dataDir) return 0;
    let total = 0;
    for (const name of readdirSync(this.dataDir)) {
      if (name.startsWith('atelier.sqlite')) total += statSync(join(this.dataDir, name)).size;
    }
    return total;
  }
}

export interface CreatedBoard {
  id: string;
  participantUrl?: string;
  facilitatorKey?: string;
}

async function post<T>(
  url: string,
  body: unknown,
  expected: number,
  headers: Record<string, string> = {},
): Promise<T> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(15_000),
  });
  if (response.status !== expected)
    throw new Error(`POST ${url}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** A new board: created over HTTP on Atelier (blank unless told), a fresh name elsewhere. */
export async function createBoard(
  server: RunningServer,
  template: 'blank' | 'social-kickoff' = 'blank',
): Promise<CreatedBoard> {
  if (server.target.id !== 'atelier') return { id: randomBytes(16).toString('base64url') };
  return post<CreatedBoard>(
    `${server.httpUrl}/api/boards`,
    { title: 'Bench board', locale: 'en', template },
    201,
  );
}

export interface Joined {
  participantId: string;
  token: string;
  role: 'facilitator' | 'participant';
}

export function joinBoard(
  server: RunningServer,
  boardId: string,
  name: string,
  facilitatorKey?: string,
): Promise<Joined> {
  return post<Joined>(
    `${server.httpUrl}/api/boards/${boardId}/join`,
    facilitatorKey === undefined ? { name } : { name, facilitatorKey },
    200,
    { 'x-forwarded-for': officeOf(boardId) },
  );
}

/** The address a board's people join from: one private IPv4 address per board, stable. */
function officeOf(boardId: string): string {
  const [a = 0, b = 0, c = 0] = createHash('sha256').update(boardId).digest();
  return `10.${a}.${b}.${c}`;
}

/** A full Y.Doc client on a board: the stock provider of the server's protocol. */
export interface Probe {
  readonly doc: Y.Doc;
  readonly synced: boolean;
  /** Calls `listener` each time the provider becomes synced (first sync and every resync). */
  onSynced(listener: () => void): void;
  /** Calls `listener` each time the connection drops. */
  onDisconnected(listener: () => void): void;
  destroy(): void;
}

export function openProbe(
  server: RunningServer,
  board: string,
  options: { token?: string; doc?: Y.Doc; echoAwareness?: boolean; jitter?: boolean } = {},
): Probe {
  // The stock providers send every remote awareness change back to the server; the W1 probes are
  // there to check content, so they may be told not to (or two probes add 2 × 4N frames/s).
  const echo = options.echoAwareness ?? true;
  const doc = options.doc ?? new Y.Doc();
  if (server.target.dialect === 'hocuspocus') {
    // Reconnect timing made like y-websocket's (100 ms doubling up to 2.5 s) so W5 compares servers;
    // jittered: its own "full jitter" (anywhere from 50 ms to the step's delay).
    const socket = new HocuspocusProviderWebsocket({
      url: `ws://127.0.0.1:${server.port}`,
      WebSocketPolyfill: WebSocket,
      delay: 100,
      minDelay: options.jitter ? 50 : 100,
      factor: 2,
      maxDelay: 2500,
      jitter: options.jitter ?? false,
    });
    const provider = new HocuspocusProvider({
      websocketProvider: socket,
      name: board,
      document: doc,
      token: options.token ?? 'bench',
    });
    provider.attach();
    if (!echo) provider.awareness?.off('update', provider.boundAwarenessUpdateHandler);
    return {
      doc,
      get synced() {
        return provider.isSynced;
      },
      onSynced(listener) {
        provider.on('synced', ({ state }: { state: boolean }) => {
          if (state) listener();
        });
      },
      onDisconnected(listener) {
        provider.on('close', () => listener());
      },
      destroy() {
        provider.destroy();
        socket.destroy();
        doc.destroy();
      },
    };
  }
  const provider = new WebsocketProvider(server.syncBase, board, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    params: options.token === undefined ? {} : { token: options.token },
    disableBc: true,
    // Jittered: every close is handled below, as Atelier's client handles it.
    ...(options.jitter ? { shouldReconnect: () => false } : {}),
  });
  if (options.jitter) {
    // Atelier's client schedule (client/src/lib/reconnect.ts: half to all of min(max, base · 2ⁿ)),
    // from the stock provider's scale: 50–100 ms, then 100–200 ms… up to 1.25–2.5 s.
    let attempts = 0;
    provider.on('sync', (synced: boolean) => {
      if (synced) attempts = 0;
    });
    provider.on('closed', () => {
      setTimeout(
        () => {
          if (!destroyed) provider.connect();
        },
        reconnectDelay(attempts++, Math.random, JITTERED_BACKOFF),
      );
    });
  }
  let destroyed = false;
  if (!echo) {
    const handler = (provider as unknown as { _awarenessUpdateHandler: () => void })._awarenessUpdateHandler;
    provider.awareness.off('update', handler);
  }
  return {
    doc,
    get synced() {
      return provider.synced;
    },
    onSynced(listener) {
      provider.on('sync', (state: boolean) => {
        if (state) listener();
      });
    },
    onDisconnected(listener) {
      provider.on('connection-close', () => listener());
    },
    destroy() {
      destroyed = true;
      provider.destroy();
      doc.destroy();
    },
  };
}

/** W5's jittered reconnects: Atelier's client formula on the stock provider's scale. */
export const JITTERED_BACKOFF = { baseMs: 100, maxMs: 2_500 };

/** Polls `check` every 10 ms until it is true; throws after `timeoutMs`. */
export async function waitFor(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(10);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A socket.io session connection of a joined person, resolved on its first `session` state. */
export function connectSession(server: RunningServer, boardId: string, token: string): Promise<Socket> {
  const socket = io(server.httpUrl, {
    auth: { boardId, token },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    timeout: 15_000,
  });
  return new Promise<Socket>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('socket.io: no session within 15 s')), 15_000);
    socket.once('connect_error', (error: Error) => {
      clearTimeout(timer);
      reject(new Error(`connect_error: ${error.message}`));
    });
    socket.once('session', () => {
      clearTimeout(timer);
      resolve(socket);
    });
  });
}
