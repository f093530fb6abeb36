/**
 * Identifiers made on either side. Ids are URL-safe and match ID_PATTERN; `isId` also refuses
 * `__proto__` and the other keys with a meaning of their own (docs/sync.md#ids-and-order).
 */

// The Web Crypto global exists in browsers and in Node ≥ 19; declared here because shared/ is
// compiled without DOM or Node types.
declare const crypto: { getRandomValues<T extends Uint8Array>(array: T): T };

export const ID_PATTERN = /^[A-Za-z0-9_-]{8,64}$/;

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** A random id of `length` characters, 6 bits of randomness each (22 characters = 132 bits). */
export function newId(length = 22): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  let id = '';
  for (const byte of bytes) id += ALPHABET[byte & 63];
  return id;
}

/** Matches ID_PATTERN and is not a key every object already has (`__proto__`, `constructor`…). */
export function isId(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    ID_PATTERN.test(value) &&
    !Object.hasOwn(Object.prototype, value) &&
    value !== 'prototype'
  );
}
