/**
 * Facilitator keys: 256 random bits, shown once to the board's creator, stored only as a SHA-256
 * hash (a key this random needs no slow hash) and compared in constant time.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const KEY_BYTES = 32;

export function newFacilitatorKey(): string {
  return randomBytes(KEY_BYTES).toString('base64url');
}

export function hashKey(key: string): Uint8Array {
  return new Uint8Array(createHash('sha256').update(key, 'utf8').digest());
}

export function keyMatches(key: string, hash: Uint8Array): boolean {
  const candidate = hashKey(key);
  return candidate.length === hash.length && timingSafeEqual(candidate, hash);
}

/**
 * The key under which a participant's pulse answer is kept (docs/product.md#team-pulse: anonymous). A keyed hash:
 * the same person always gets the same key (so an answer can be replaced), but the key cannot be
 * traced back to them without the server's secret.
 */
export function pulseKeyOf(secret: Uint8Array, boardId: string, participantId: string): string {
  return createHmac('sha256', secret).update(`pulse:${boardId}:${participantId}`).digest('base64url');
}

/**
 * The key under which joins from one network address are counted on one board: the address
 * itself is never stored, and the key means nothing without the server's secret.
 */
export function addressKeyOf(secret: Uint8Array, boardId: string, address: string): string {
  return createHmac('sha256', secret).update(`joins:${boardId}:${address}`).digest('base64url').slice(0, 22);
}
