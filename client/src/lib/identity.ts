/**
 * Who I am on each board, kept in this browser (storage.ts) so that a reload reconnects as the same participant
 * with the same token (docs/product.md#identity). The facilitator key is kept apart, only by those who had it.
 */
import type { Joined } from '../../../shared/api';
import { storage } from './storage';

export interface Identity extends Joined {
  name: string;
}

export function loadIdentity(boardId: string): Identity | null {
  return storage.identity(boardId).get();
}

export function saveIdentity(boardId: string, identity: Identity): void {
  storage.identity(boardId).set(identity);
}

export function forgetIdentity(boardId: string): void {
  storage.identity(boardId).remove();
}

export function loadFacilitatorKey(boardId: string): string | null {
  return storage.facilitatorKey(boardId).get();
}

export function saveFacilitatorKey(boardId: string, key: string): void {
  storage.facilitatorKey(boardId).set(key);
}

/** Takes `#key=…` out of the address bar (so it is not shared by accident) and returns it. */
export function takeKeyFromLocation(): string | null {
  const match = /(?:^#|&)key=([A-Za-z0-9_-]+)/.exec(location.hash);
  if (!match) return null;
  history.replaceState(null, '', location.pathname + location.search);
  return match[1] as string;
}
