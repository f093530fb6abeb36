/**
 * The LAN addresses offered to a page opened on `localhost` (docs/http.md#network-addresses): the
 * rule on a machine's interfaces, and the route on real servers listening as an operator starts them.
 */
import { request as httpRequest } from 'node:http';
import { networkInterfaces } from 'node:os';
import { describe, expect, it } from 'vitest';
import { lanAddresses, type Interfaces } from '../../server/http/routes/network';
import { useServerPerTest } from '../helpers/fixtures';

const INTERFACES: Interfaces = {
  lo: [
    {
      address: '127.0.0.1',
      netmask: '255.0.0.0',
      family: 'IPv4',
      mac: '00:00:00:00:00:00',
      internal: true,
      cidr: null,
    },
    {
      address: '::1',
      netmask: 'ffff::',
      family: 'IPv6',
      mac: '00:00:00:00:00:00',
      internal: true,
      cidr: null,
      scopeid: 0,
    },
  ],
  wlan0: [
    {
      address: 'fe80::1',
      netmask: 'ffff::',
      family: 'IPv6',
      mac: '02:00:00:00:00:01',
      internal: false,
      cidr: null,
      scopeid: 3,
    },
    {
      address: '2001:db8::20',
      netmask: 'ffff::',
      family: 'IPv6',
      mac: '02:00:00:00:00:01',
      internal: false,
      cidr: null,
      scopeid: 0,
    },
    {
      address: '192.168.1.20',
      netmask: '255.255.255.0',
      family: 'IPv4',
      mac: '02:00:00:00:00:01',
      internal: false,
      cidr: null,
    },
  ],
  eth0: [
    {
      address: '10.0.0.5',
      netmask: '255.0.0.0',
      family: 'IPv4',
      mac: '02:00:00:00:00:02',
      internal: false,
      cidr: null,
    },
  ],
};

/** GET /api/network as a browser on `host` would ask it (the Host header is the address bar's). */
function askNetwork(
  port: number,
  connectTo: string,
  host: string,
): Promise<{ status: number; body: unknown; cache: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: connectTo, port, path: '/api/network', headers: { host } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          body: JSON.parse(text) as unknown,
          cache: res.headers['cache-control'],
        }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

describe('network addresses', () => {
  const servers = useServerPerTest();

  it('[http#network-addresses] lists the IPv4 addresses teammates can reach, never loopback, link-local or IPv6 on 0.0.0.0', () => {
    expect(lanAddresses(INTERFACES, '0.0.0.0')).toEqual(['192.168.1.20', '10.0.0.5']);
    expect(lanAddresses(INTERFACES, '::')).toEqual(['192.168.1.20', '10.0.0.5', '[2001:db8::20]']);
    for (const host of ['127.0.0.1', '::1', 'localhost', '192.168.1.20'])
      expect(lanAddresses(INTERFACES, host)).toEqual([]);
  });

  it('[http#network-addresses] offers a page opened on localhost the machine’s LAN origins, with its port', async () => {
    const server = await servers.start({ env: { HOST: '0.0.0.0' } });
    const port = server.running.port;
    const expected = lanAddresses(networkInterfaces(), '0.0.0.0').map(
      (address) => `http://${address}:${port}`,
    );
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`]) {
      const answer = await askNetwork(port, '127.0.0.1', host);
      expect(answer).toEqual({ status: 200, body: { origins: expected }, cache: 'no-store' });
    }
    // Asked under another name, or from another machine: nothing (the page's own links work there).
    expect((await askNetwork(port, '127.0.0.1', 'atelier.example.com')).body).toEqual({ origins: [] });
    const [lan] = lanAddresses(networkInterfaces(), '0.0.0.0');
    if (lan) expect((await askNetwork(port, lan, `localhost:${port}`)).body).toEqual({ origins: [] });
  });

  it('[http#network-addresses] offers nothing when PUBLIC_URL is set or the server listens on loopback only', async () => {
    const withPublicUrl = await servers.start({
      env: { HOST: '0.0.0.0', PUBLIC_URL: 'http://192.168.1.20:3000' },
    });
    const loopback = await servers.start({ env: { HOST: '127.0.0.1' } });
    for (const server of [withPublicUrl, loopback]) {
      const port = server.running.port;
      expect((await askNetwork(port, '127.0.0.1', `localhost:${port}`)).body).toEqual({ origins: [] });
    }
  });
});
