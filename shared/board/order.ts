/**
 * Fractional-index order keys (docs/sync.md#ids-and-order: display order is a string `order`, compared as a plain
 * string, ties broken by id). A key is a base-62 fraction `0.<digits>` written without the `0.`;
 * digits are in ASCII order, so string comparison is numeric comparison. A valid key never ends
 * in `0`, which guarantees that a key exists strictly between any two different valid keys.
 */

const DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const BASE = DIGITS.length;
/** Long enough for thousands of moves into one gap (each takes ~1/6 of a character). */
export const ORDER_KEY_MAX_LENGTH = 1024;
const ORDER_KEY_PATTERN = /^[0-9A-Za-z]*[1-9A-Za-z]$/;

export function isOrderKey(value: unknown): value is string {
  return typeof value === 'string' && value.length <= ORDER_KEY_MAX_LENGTH && ORDER_KEY_PATTERN.test(value);
}

function digitAt(key: string, index: number): number {
  return index < key.length ? DIGITS.indexOf(key.charAt(index)) : 0;
}

/**
 * The shortest key strictly between `before` and `after` (null means "the start" and "the end").
 * Throws when the keys are not valid or not in order: callers pass keys read through `isOrderKey`.
 */
export function keyBetween(before: string | null, after: string | null): string {
  if (before !== null && !isOrderKey(before)) throw new RangeError(`bad order key: ${String(before)}`);
  if (after !== null && !isOrderKey(after)) throw new RangeError(`bad order key: ${String(after)}`);
  const low = before ?? '';
  if (after !== null && !(low < after)) throw new RangeError('order keys out of order');

  let prefix = '';
  // Once `prefix` takes a digit below `after`'s, any continuation stays below `after`.
  let afterIsOpen = after === null;
  for (let index = 0; ; index++) {
    const lowDigit = digitAt(low, index);
    const highDigit = afterIsOpen ? BASE : digitAt(after as string, index);
    if (highDigit - lowDigit > 1) {
      // Appending (no `after`) steps by one digit so that keys grow one character per ~60
      // appends; inserting between two keys takes the midpoint, leaving room on both sides.
      const digit = after === null ? lowDigit + 1 : (lowDigit + highDigit) >> 1;
      return prefix + DIGITS.charAt(digit);
    }
    prefix += DIGITS.charAt(lowDigit);
    if (highDigit > lowDigit) afterIsOpen = true;
  }
}

/**
 * The key that places an item at `index` in a list whose sorted keys are `keys` (the item being
 * moved already removed). Neighbours with equal keys (two concurrent inserts) are stepped over so
 * that a key always exists.
 */
export function keyForIndex(keys: readonly string[], index: number): string {
  index = Math.max(0, Math.min(index, keys.length));
  const before = index > 0 ? (keys[index - 1] ?? null) : null;
  let after: string | null = null;
  for (let i = index; i < keys.length; i++) {
    const key = keys[i] as string;
    if (before === null || key > before) {
      after = key;
      break;
    }
  }
  return keyBetween(before, after);
}
