/**
 * Links teammates can open: a link on `localhost` is rewritten with this machine's network
 * addresses, which the server lists for a page opened locally (docs/http.md#network-addresses).
 */
import { api } from './api';
import { unreachableHost } from './share';

/** `url` at each of the machine's network origins, when `url` is on a loopback host; else []. */
export async function lanLinks(url: string): Promise<string[]> {
  if (!unreachableHost(url)) return [];
  try {
    const { origins } = await api.network();
    const { pathname, search, hash } = new URL(url);
    return origins.map((origin) => `${origin}${pathname}${search}${hash}`);
  } catch {
    return [];
  }
}

/** The link to show and encode in a QR code: the first network address for a loopback one. */
export async function reachableLink(url: string): Promise<string> {
  return (await lanLinks(url))[0] ?? url;
}
