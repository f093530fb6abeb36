/**
 * Who I am on each board, kept in localStorage so that a reload reconnects as the same participant
 * with the same token (SPEC §1). The facilitator key is kept apart, only by those who had it.
 */
import type { Joined } from '../../../shared/api';

export interface Identity extends Joined {
  name: string;
}

const identityKey = (boardId: string) => `atelier:identity:${boardId}`;
const facilitatorKeyKey = (boardId: string) => `atelier:facilitator-key:${boardId}`;

function read<T>(key: string): T | null {
  try {
    const raw = localStorage.getItem(key);
    return raw ? (JSON.parse(raw) as T) : null;
  } catch {
    return null;
  }
}

export function loadIdentity(boardId: string): Identity | null {
  const identity = read<Partial<Identity>>(identityKey(boardId));
  if (
    !identity ||
    typeof identity.participantId !== 'string' ||
    typeof identity.token !== 'string' ||
    (identity.role !== 'facilitator' && identity.role !== 'participant') ||
    typeof identity.name !== 'string'
  ) {
    return null;
  }
  return identity as Identity;
}

export function saveIdentity(boardId: string, identity: Identity): void {
  localStorage.setItem(identityKey(boardId), JSON.stringify(identity));
}

export function forgetIdentity(boardId: string): void {
  localStorage.removeItem(identityKey(boardId));
}

export function loadFacilitatorKey(boardId: string): string | null {
  return localStorage.getItem(facilitatorKeyKey(boardId));
}

export function saveFacilitatorKey(boardId: string, key: string): void {
  localStorage.setItem(facilitatorKeyKey(boardId), key);
}

/** Takes `#key=…` out of the address bar (so it is not shared by accident) and returns it. */
export function takeKeyFromLocation(): string | null {
  const match = /(?:^#|&)key=([A-Za-z0-9_-]+)/.exec(location.hash);
  if (!match) return null;
  history.replaceState(null, '', location.pathname + location.search);
  return match[1] as string;
}
