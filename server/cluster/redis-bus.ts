/**
 * The bus over Redis pub/sub (REDIS_URL). Redis may drop a message (a reconnect, a slow
 * subscriber): nothing relies on delivery — boards catch up from the store, meetings reload
 * from it. The client reconnects by itself and subscribes again to every channel in use.
 */
import { createClient } from 'redis';
import { newId } from '../../shared/ids';
import { decodeBusMessage, encodeBusMessage, type Bus } from './bus';

type Handler = (kind: number, payload: Uint8Array, sender: string) => void;

/** Reconnection backoff, in ms: quick at first, then every two seconds. */
function reconnectDelay(retries: number): number {
  return Math.min(100 * 2 ** retries, 2_000);
}

export async function connectRedisBus(
  url: string,
  log: (message: string, error?: unknown) => void,
): Promise<Bus> {
  const publisher = createClient({ url, socket: { reconnectStrategy: reconnectDelay } });
  const subscriber = publisher.duplicate();
  publisher.on('error', (error: unknown) => log('redis (publish): connection trouble', error));
  subscriber.on('error', (error: unknown) => log('redis (subscribe): connection trouble', error));
  await Promise.all([publisher.connect(), subscriber.connect()]);

  const processId = newId();
  const handlers = new Map<string, Set<Handler>>();
  // In buffer mode both the message and the channel name arrive as Buffers.
  const listener = (message: Buffer, channelName: Buffer): void => {
    const from = channelName.toString();
    let decoded: ReturnType<typeof decodeBusMessage>;
    try {
      decoded = decodeBusMessage(new Uint8Array(message.buffer, message.byteOffset, message.byteLength));
    } catch (error) {
      log(`redis: skipped an unreadable message on ${from}`, error);
      return;
    }
    if (decoded.sender === processId) return;
    for (const handler of handlers.get(from) ?? []) handler(decoded.kind, decoded.payload, decoded.sender);
  };

  return {
    processId,
    publish(channel, kind, payload) {
      if (!publisher.isReady) return; // offline: the others catch up from the store
      publisher
        .publish(channel, Buffer.from(encodeBusMessage(processId, kind, payload)))
        .catch((error: unknown) => {
          log(`redis: could not publish on ${channel}`, error);
        });
    },
    subscribe(channel, handler) {
      let set = handlers.get(channel);
      if (!set) {
        set = new Set();
        handlers.set(channel, set);
        subscriber.subscribe(channel, listener, true).catch((error: unknown) => {
          log(`redis: could not subscribe to ${channel}`, error);
        });
      }
      set.add(handler);
      const subscribed = set;
      return () => {
        subscribed.delete(handler);
        if (subscribed.size > 0 || handlers.get(channel) !== subscribed) return;
        handlers.delete(channel);
        subscriber.unsubscribe(channel, listener, true).catch(() => undefined);
      };
    },
    async close() {
      await Promise.allSettled([publisher.quit(), subscriber.quit()]);
    },
  };
}
