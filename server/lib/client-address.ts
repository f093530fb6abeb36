/**
 * The address a request comes from, for per-address limits. Behind a reverse proxy (TRUST_PROXY)
 * it is the last address in X-Forwarded-For — the one the proxy itself saw; never the first,
 * which the client can write.
 */
import type { Server as HttpServer, IncomingMessage } from 'node:http';
import { isIPv4, isIPv6, type Socket } from 'node:net';

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

/** A TCP connection that sends no request for this long is dropped. */
export const IDLE_CONNECTION_MS = 60_000;

/**
 * TCP connections one address may hold, for a ceiling of `maxConnections` sync and socket.io
 * connections: each of those is one socket, plus a few for HTTP requests and polling.
 */
export function tcpCeiling(maxConnections: number): number {
  return 2 * maxConnections + 16;
}

const ADDRESS = Symbol('counted address');
type CountedSocket = Socket & { [ADDRESS]?: string };

/**
 * Watches every TCP connection from its accept, not from its upgrade, so that one address cannot
 * use up the server's file descriptors: past `ceiling` connections from one address (null: no
 * ceiling — behind a proxy every connection comes from the proxy, and addresses are counted per
 * request instead) a new one is closed at once; and one that sends no request within `idleMs` is
 * dropped (Node itself closes idle keep-alive connections between requests, and WebSockets ping).
 * Shared listeners and one map entry per connection: nothing allocated per connection besides.
 */
export function guardConnections(
  server: HttpServer,
  ceiling: number | null,
  idleMs = IDLE_CONNECTION_MS,
): void {
  const open = new Map<string, number>();
  const waiting = new Map<Socket, number>();
  function forget(this: CountedSocket): void {
    waiting.delete(this);
    const address = this[ADDRESS];
    if (address === undefined) return;
    delete this[ADDRESS];
    const left = (open.get(address) ?? 1) - 1;
    if (left > 0) open.set(address, left);
    else open.delete(address);
  }
  const started = (request: IncomingMessage): void => void waiting.delete(request.socket);
  server.on('connection', (socket: CountedSocket) => {
    if (ceiling !== null) {
      const address = socket.remoteAddress ?? 'unknown';
      const current = open.get(address) ?? 0;
      if (current >= ceiling) {
        socket.destroy();
        return;
      }
      open.set(address, current + 1);
      socket[ADDRESS] = address;
    }
    waiting.set(socket, Date.now());
    socket.on('close', forget);
  });
  server.prependListener('request', started);
  server.prependListener('upgrade', started);
  const sweep = setInterval(() => {
    const now = Date.now();
    for (const [socket, since] of waiting) if (now - since > idleMs) socket.destroy();
  }, idleMs / 4);
  sweep.unref();
  server.once('close', () => clearInterval(sweep));
}
