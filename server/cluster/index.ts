/**
 * Several processes on one store (docs/running.md#several-processes): the bus over Redis, and the extensions it gives board
 * documents (doc-relay.ts) and meetings (session-relay.ts). Imported only when REDIS_URL is set:
 * a lone process never loads it.
 */
import type { Store } from '../storage/store';
import type { DocRoom, DocRoomExtension } from '../sync/room';
import type { SessionsExtension } from '../session/rooms';
import { relayDocs } from './doc-relay';
import { connectRedisBus } from './redis-bus';
import { relaySessions, type SessionRelayOptions } from './session-relay';

export interface Cluster {
  /** For `DocRoomsOptions.extend`. */
  docs: (room: DocRoom) => DocRoomExtension;
  /** For the `extension` option of SessionRooms. */
  sessions: SessionsExtension;
  close(): Promise<void>;
}

export async function joinCluster(
  redisUrl: string,
  store: Store,
  options: {
    catchUpMs: number;
    /** The meetings' heartbeat, expiry and reload intervals (session-relay.ts, presence.ts). */
    sessions?: Omit<SessionRelayOptions, 'log'>;
    log: (message: string, error?: unknown) => void;
  },
): Promise<Cluster> {
  const bus = await connectRedisBus(redisUrl, options.log);
  return {
    docs: relayDocs(bus, store, options),
    sessions: relaySessions(bus, { ...options.sessions, log: options.log }),
    close: () => bus.close(),
  };
}
