/** Sharing helpers: whether a link can leave this machine, copying, the "just created" flag. */
import { storage } from './storage';

const LOCAL_HOSTS = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\]|0\.0\.0\.0)$/i;

/** The host of `url` when teammates' devices could not open it (a loopback address), else null. */
export function unreachableHost(url: string): string | null {
  try {
    const { hostname, host } = new URL(url);
    return LOCAL_HOSTS.test(hostname) || hostname.endsWith('.localhost') ? host : null;
  } catch {
    return null;
  }
}

export async function copyText(text: string, fallbackInput?: HTMLInputElement | null): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // No clipboard API outside secure contexts (a LAN address over http): select for Ctrl+C.
    fallbackInput?.select();
    return document.execCommand?.('copy') ?? false;
  }
}

export function markJustCreated(boardId: string): void {
  storage.justCreated(boardId).set('1');
}

/** True once, right after this browser created the board: the share dialog then opens by itself. */
export function takeJustCreated(boardId: string): boolean {
  const flag = storage.justCreated(boardId);
  const created = flag.get() !== null;
  flag.remove();
  return created;
}
