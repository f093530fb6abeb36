/**
 * The address a request comes from, for per-address limits. Behind a reverse proxy (TRUST_PROXY)
 * it is the last address in X-Forwarded-For — the one the proxy itself saw; never the first,
 * which the client can write.
 */
import type { IncomingMessage } from 'node:http';
import { isIPv4, isIPv6, type Server } from 'node:net';

export function clientAddress(request: IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = request.headers['x-forwarded-for'];
    const last = (Array.isArray(forwarded) ? forwarded.join(',') : (forwarded ?? ''))
      .split(',')
      .pop()
      ?.trim();
    if (last) return last;
  }
  return request.socket.remoteAddress ?? 'unknown';
}

/**
 * The block an address belongs to, for limits that a host must not escape by changing address:
 * an IPv4 address as it is (an IPv4-mapped IPv6 one too), an IPv6 address by its /64 — one
 * subscriber's network, inside which a host may pick any address it likes.
 */
export function addressBlock(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped?.[1] !== undefined && isIPv4(mapped[1])) return mapped[1];
  if (!isIPv6(address)) return address;
  const [head = '', tail = ''] = address.split('%')[0]?.split('::') ?? [];
  const headParts = head === '' ? [] : head.split(':');
  const tailParts = tail === '' ? [] : tail.split(':');
  const groups = address.includes('::')
    ? [
        ...headParts,
        ...Array<string>(Math.max(0, 8 - headParts.length - tailParts.length)).fill('0'),
        ...tailParts,
      ]
    : headParts;
  return `${groups
    .slice(0, 4)
    .map((group) => group.toLowerCase().replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

/** Open connections per key (address), with a ceiling. */
export class ConnectionCounter {
  readonly #max: number;
  readonly #open = new Map<string, number>();

  constructor(max: number) {
    this.#max = max;
  }

  /** Counts one more connection for `key`, or returns null when it is at the ceiling. */
  open(key: string): (() => void) | null {
    const current = this.#open.get(key) ?? 0;
    if (current >= this.#max) return null;
    this.#open.set(key, current + 1);
    let closed = false;
    return () => {
      if (closed) return;
      closed = true;
      const left = (this.#open.get(key) ?? 1) - 1;
      if (left > 0) this.#open.set(key, left);
      else this.#open.delete(key);
    };
  }
}

/** A TCP connection that sends nothing for this long is dropped (WebSockets turn it off). */
export const IDLE_CONNECTION_MS = 60_000;

/**
 * TCP connections one address may hold, for a ceiling of `maxConnections` sync and socket.io
 * connections: each of those is one socket, plus a few for HTTP requests and polling.
 */
export function tcpCeiling(maxConnections: number): number {
  return 2 * maxConnections + 16;
}

/**
 * Counts every TCP connection from its accept, not from its upgrade: a client that opens sockets
 * and never sends a request is counted too (and dropped once idle), so one address cannot use up
 * the server's file descriptors. Past the ceiling a socket is closed at once. Behind a proxy every
 * TCP connection comes from the proxy: the per-address count then happens per request instead.
 */
export function limitConnectionsAtAccept(server: Server, counter: ConnectionCounter): void {
  server.on('connection', (socket) => {
    const close = counter.open(socket.remoteAddress ?? 'unknown');
    if (!close) {
      socket.destroy();
      return;
    }
    socket.once('close', close);
  });
}
