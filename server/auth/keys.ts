/**
 * Facilitator keys: 256 random bits, shown once to the board's creator, stored only as a SHA-256
 * hash (a key this random needs no slow hash) and compared in constant time.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

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
