/**
 * `GET /api/network` (docs/http.md#network-addresses): the origins at which teammates on the same
 * network reach this server, for a page opened on `localhost`, whose own links they cannot open.
 */
import { isIPv4, isIPv6 } from 'node:net';
import { networkInterfaces, type NetworkInterfaceInfo } from 'node:os';
import { IncomingMessage } from 'node:http';
import { Hono, type Context } from 'hono';

export type Interfaces = NodeJS.Dict<NetworkInterfaceInfo[]>;

export interface NetworkRouteOptions {
  /** HOST: the interface the server listens on. */
  host: string;
  /** PUBLIC_URL: when set, share links already use it and no address is offered. */
  publicUrl: string | null;
  /** The machine's interfaces (os.networkInterfaces, or a list in tests). */
  interfaces?: () => Interfaces;
}

const LOOPBACK_NAME = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\]|::1)$/i;

function isLoopbackAddress(address: string): boolean {
  const plain = address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
  return plain === '::1' || /^127\.\d+\.\d+\.\d+$/.test(plain);
}

/**
 * The addresses of `interfaces` teammates can reach when the server listens on `host`: IPv4
 * first (in the machine's order), then global IPv6 when it listens on every IPv6 interface too;
 * never a loopback or link-local one (fe80::, which needs a zone in a URL).
 */
export function lanAddresses(interfaces: Interfaces, host: string): string[] {
  const everyV4 = host === '0.0.0.0' || host === '::';
  const everyV6 = host === '::';
  if (!everyV4) return [];
  const all = Object.values(interfaces).flatMap((list) => list ?? []);
  const external = all.filter((info) => !info.internal);
  const v4 = external.filter((info) => isIPv4(info.address)).map((info) => info.address);
  const v6 = everyV6
    ? external
        .filter((info) => isIPv6(info.address) && !/^fe[89ab]/i.test(info.address))
        .map((info) => `[${info.address}]`)
    : [];
  return [...new Set([...v4, ...v6])];
}

/** The request comes from this machine, to a loopback name: the page was opened on `localhost`. */
function openedLocally(c: Context): boolean {
  // @hono/node-server passes the Node request as `env.incoming`.
  const env: unknown = c.env;
  const incoming = typeof env === 'object' && env !== null && 'incoming' in env ? env.incoming : null;
  if (!(incoming instanceof IncomingMessage)) return false;
  const peer = incoming.socket.remoteAddress ?? '';
  return isLoopbackAddress(peer) && LOOPBACK_NAME.test(new URL(c.req.url).hostname);
}

export function networkRoutes(options: NetworkRouteOptions): Hono {
  const interfaces = options.interfaces ?? networkInterfaces;
  return new Hono().get('/', (c) => {
    c.header('Cache-Control', 'no-store');
    if (options.publicUrl !== null || !openedLocally(c)) return c.json({ origins: [] });
    const { protocol, port } = new URL(c.req.url);
    const origins = lanAddresses(interfaces(), options.host).map(
      (address) => `${protocol}//${address}${port ? `:${port}` : ''}`,
    );
    return c.json({ origins });
  });
}
