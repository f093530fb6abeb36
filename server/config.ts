/** Configuration from the environment (docs/running.md#environment), read once, checked, with defaults. */
import { resolve } from 'node:path';
import { getHeapStatistics } from 'node:v8';
import { StartupError } from './lib/startup-error';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /** Origin used in share links; null to use each request's origin. */
  publicUrl: string | null;
  clientDir: string;
  /** A board nobody has used for this long is unloaded from memory. */
  unloadAfterMs: number;
  /** A board document is snapshotted after this many stored updates. */
  compactAfterUpdates: number;
  /** The longest wait between two flushes (store + broadcast) of one board's edits, when crowded. */
  syncFlushIntervalMs: number;
  /** The shortest time between two awareness (presence) broadcasts of one board. */
  syncAwarenessIntervalMs: number;
  sqliteSynchronous: 'NORMAL' | 'FULL';
  /** A ceiling on the SQLite database's size in bytes; null: only the disk's. */
  sqliteMaxBytes: number | null;
  limits: Limits;
  /** Several processes (docs/running.md#several-processes): PostgreSQL as the store instead of SQLite. */
  databaseUrl: string | null;
  /** Several processes: Redis carries updates, awareness and session events between them. */
  redisUrl: string | null;
  /** Several processes: how often a live board re-reads what the others stored. */
  catchUpMs: number;
  /** Behind a reverse proxy: take the client's address from X-Forwarded-For (the proxy's last hop). */
  trustProxy: boolean;
}

/** What one board, one address or one connection may use (docs/errors.md#bad-input-and-faults, docs/running.md#limits). */
export interface Limits {
  /** A board document larger than this accepts no new content (sync close 4413). */
  maxDocBytes: number;
  /** A board document with this many structs accepts no new content (sync close 4413). */
  maxDocItems: number;
  /**
   * The memory loaded boards may use in one process, in bytes; one address may hold a quarter of
   * it. Beyond, loading another board is refused for a while (`unavailable`).
   */
  boardMemoryBytes: number;
  /** Joins beyond this many participants on one board are refused (429 board_full). */
  maxParticipantsPerBoard: number;
  /** Joins from one address (an IPv6 /64) on one board beyond this many are refused (429 too_many_joins). */
  maxJoinsPerAddress: number;
  /** Open sync and socket.io connections from one address. */
  maxConnectionsPerIp: number;
  /** Boards one address may create: a burst, then so many an hour. */
  boardCreationsPerHour: number;
}

/** A variable of the environment that Atelier cannot start with. */
export class ConfigError extends StartupError {}

function integer(
  name: string,
  value: string | undefined,
  fallback: number,
  min: number,
  max: number,
): number {
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < min || parsed > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, not "${value}".`);
  }
  return parsed;
}

function origin(name: string, value: string | undefined): string | null {
  if (value === undefined || value === '') return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`${name} must be an origin such as https://atelier.example.com, not "${value}".`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`${name} must start with http:// or https://.`);
  }
  // Share links are built as `${origin}/b/<id>`: keep a path prefix (behind a proxy) but no slash.
  return (url.origin + url.pathname).replace(/\/+$/, '');
}

function serviceUrl(name: string, value: string | undefined, protocols: readonly string[]): string | null {
  if (value === undefined || value === '') return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`${name} must be a URL such as ${protocols[0]}//host:port/…, not "${value}".`);
  }
  if (!protocols.includes(url.protocol)) {
    throw new ConfigError(`${name} must start with ${protocols.map((p) => `${p}//`).join(' or ')}.`);
  }
  return value;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const databaseUrl = serviceUrl('DATABASE_URL', env.DATABASE_URL, ['postgres:', 'postgresql:']);
  const redisUrl = serviceUrl('REDIS_URL', env.REDIS_URL, ['redis:', 'rediss:']);
  if (redisUrl && !databaseUrl) {
    throw new ConfigError(
      'REDIS_URL connects several Atelier processes, which must share one store: set DATABASE_URL (PostgreSQL) too.',
    );
  }
  const synchronous = (env.SQLITE_SYNCHRONOUS ?? 'NORMAL').toUpperCase();
  if (synchronous !== 'NORMAL' && synchronous !== 'FULL') {
    throw new ConfigError('SQLITE_SYNCHRONOUS must be NORMAL or FULL.');
  }
  return {
    port: integer('PORT', env.PORT, 3000, 0, 65535),
    host: env.HOST || '0.0.0.0',
    dataDir: resolve(env.DATA_DIR || './data'),
    publicUrl: origin('PUBLIC_URL', env.PUBLIC_URL),
    clientDir: resolve(env.CLIENT_DIR || './dist/client'),
    unloadAfterMs: integer('UNLOAD_AFTER_MS', env.UNLOAD_AFTER_MS, 30_000, 0, 86_400_000),
    compactAfterUpdates: integer('COMPACT_AFTER_UPDATES', env.COMPACT_AFTER_UPDATES, 500, 1, 1_000_000),
    syncFlushIntervalMs: integer('SYNC_FLUSH_INTERVAL_MS', env.SYNC_FLUSH_INTERVAL_MS, 20, 0, 1000),
    syncAwarenessIntervalMs: integer(
      'SYNC_AWARENESS_INTERVAL_MS',
      env.SYNC_AWARENESS_INTERVAL_MS,
      50,
      0,
      5000,
    ),
    sqliteSynchronous: synchronous,
    sqliteMaxBytes: env.SQLITE_MAX_BYTES
      ? integer('SQLITE_MAX_BYTES', env.SQLITE_MAX_BYTES, 0, 64 * 1024, Number.MAX_SAFE_INTEGER)
      : null,
    limits: {
      maxDocBytes: integer('MAX_DOC_BYTES', env.MAX_DOC_BYTES, 16 * 1024 * 1024, 64 * 1024, 1024 ** 3),
      maxDocItems: integer('MAX_DOC_ITEMS', env.MAX_DOC_ITEMS, 150_000, 1_000, 100_000_000),
      // By default 40 % of the heap Node allows itself: the rest is sockets, sessions and headroom.
      boardMemoryBytes:
        integer(
          'BOARD_MEMORY_MB',
          env.BOARD_MEMORY_MB,
          Math.floor((getHeapStatistics().heap_size_limit * 0.4) / 2 ** 20),
          16,
          1_000_000,
        ) *
        2 ** 20,
      maxParticipantsPerBoard: integer('MAX_PARTICIPANTS', env.MAX_PARTICIPANTS, 500, 1, 100_000),
      // A whole office behind one NAT fits; one address cannot take even half of a full board.
      maxJoinsPerAddress: integer('MAX_JOINS_PER_ADDRESS', env.MAX_JOINS_PER_ADDRESS, 200, 1, 100_000),
      maxConnectionsPerIp: integer('MAX_CONNECTIONS_PER_IP', env.MAX_CONNECTIONS_PER_IP, 1000, 1, 1_000_000),
      boardCreationsPerHour: integer(
        'BOARD_CREATIONS_PER_HOUR',
        env.BOARD_CREATIONS_PER_HOUR,
        120,
        1,
        100_000_000,
      ),
    },
    trustProxy: env.TRUST_PROXY === '1' || env.TRUST_PROXY === 'true',
    databaseUrl,
    redisUrl,
    catchUpMs: integer('CATCH_UP_MS', env.CATCH_UP_MS, 2_000, 100, 600_000),
  };
}
