/** Fractional order keys (docs/sync.md#ids-and-order: display order is a string `order`, compared as a plain string). */
import { describe, expect, it } from 'vitest';
import { isOrderKey, keyBetween, keyForIndex, ORDER_KEY_MAX_LENGTH } from '../../shared/board/order';
import { seededRandom } from '../helpers/random';

/** Asserts that `key` is a valid key strictly between `before` and `after` (null: open end). */
function expectBetween(key: string, before: string | null, after: string | null): void {
  expect(isOrderKey(key), `"${key}" is a valid key`).toBe(true);
  if (before !== null) expect(key > before, `"${key}" > "${before}"`).toBe(true);
  if (after !== null) expect(key < after, `"${key}" < "${after}"`).toBe(true);
}

describe('keyBetween', () => {
  it('[sync#ids-and-order] makes a first key from nothing', () => {
    expectBetween(keyBetween(null, null), null, null);
  });

  it('[sync#ids-and-order] returns a key strictly between two neighbours, before the first and after the last', () => {
    const pairs: Array<[string | null, string | null]> = [
      ['1', '2'],
      ['1', '11'],
      ['V', 'W'],
      ['a', 'b'],
      ['y', 'z'],
      ['z', null],
      ['zzz', null],
      [null, '1'],
      [null, '01'],
      [null, '0001'],
      ['01', '02'],
      ['1', '1001'],
      ['Az', 'B'],
    ];
    for (const [before, after] of pairs) expectBetween(keyBetween(before, after), before, after);
  });

  it('[sync#ids-and-order] keeps keys short when items are appended one after another: 1000 appends stay under 20 characters', () => {
    let last: string | null = null;
    for (let i = 0; i < 1000; i++) {
      const key = keyBetween(last, null);
      expectBetween(key, last, null);
      last = key;
    }
    expect((last as string).length).toBeLessThan(20);
  });

  it('[sync#ids-and-order] prepends 300 items one before another, each key valid and before the previous first', () => {
    let first: string | null = null;
    for (let i = 0; i < 300; i++) {
      const key = keyBetween(null, first);
      expectBetween(key, null, first);
      first = key;
    }
  });

  it('[sync#ids-and-order] inserts 300 times at the same spot (just after the same item), each key between its neighbours', () => {
    const before = keyBetween(null, null);
    let after = keyBetween(before, null);
    for (let i = 0; i < 300; i++) {
      const key = keyBetween(before, after);
      expectBetween(key, before, after);
      after = key;
    }
  });

  it('[sync#ids-and-order] inserts 300 times at the same spot (just before the same item), each key between its neighbours', () => {
    let before = keyBetween(null, null);
    const after = keyBetween(before, null);
    for (let i = 0; i < 300; i++) {
      const key = keyBetween(before, after);
      expectBetween(key, before, after);
      before = key;
    }
  });

  it('[sync#ids-and-order] still makes a valid key after 1000 inserts at the same spot (a long workshop of drag-and-drop)', () => {
    const before = keyBetween(null, null);
    let after = keyBetween(before, null);
    for (let i = 0; i < 1000; i++) {
      const key = keyBetween(before, after);
      expect(key.length, `insert ${i}: key length`).toBeLessThanOrEqual(ORDER_KEY_MAX_LENGTH);
      expectBetween(key, before, after);
      after = key;
    }
  });

  it('refuses keys that are not order keys, and neighbours given in the wrong order', () => {
    for (const bad of ['', '10', 'a0', 'a-b', 'é', ' a', 'x'.repeat(ORDER_KEY_MAX_LENGTH + 1)]) {
      expect(isOrderKey(bad), JSON.stringify(bad)).toBe(false);
      expect(() => keyBetween(bad, null)).toThrow(RangeError);
      expect(() => keyBetween(null, bad)).toThrow(RangeError);
    }
    expect(() => keyBetween('b', 'a')).toThrow(RangeError);
    expect(() => keyBetween('a', 'a')).toThrow(RangeError);
  });

  it('does not take values of other types for keys', () => {
    for (const bad of [null, undefined, 1, {}, ['a'], true]) expect(isOrderKey(bad)).toBe(false);
  });
});

describe('keyForIndex', () => {
  it('[sync#ids-and-order] places an item first, between two items and last', () => {
    const keys = ['1', '2', '3'];
    expectBetween(keyForIndex(keys, 0), null, '1');
    expectBetween(keyForIndex(keys, 1), '1', '2');
    expectBetween(keyForIndex(keys, 2), '2', '3');
    expectBetween(keyForIndex(keys, 3), '3', null);
    expectBetween(keyForIndex([], 0), null, null);
  });

  it('[sync#ids-and-order] makes a key when neighbours have equal keys (two concurrent inserts), stepping over the ties', () => {
    // Two people inserted at the same spot at once: both items got the key 'V'.
    expectBetween(keyForIndex(['V', 'V', 'c'], 1), 'V', 'c');
    expectBetween(keyForIndex(['V', 'V', 'c'], 0), null, 'V');
    expectBetween(keyForIndex(['V', 'V'], 1), 'V', null);
    expectBetween(keyForIndex(['1', 'V', 'V', 'V'], 2), 'V', null);
  });

  it('[sync#ids-and-order] keeps a list in order through 500 random inserts, including ties (seeded, so it replays)', () => {
    const random = seededRandom(20_260_611);
    const keys: string[] = [];
    for (let step = 0; step < 500; step++) {
      const index = random.below(keys.length + 1);
      const key = keyForIndex(keys, index);
      const before = index > 0 ? (keys[index - 1] as string) : null;
      const after = keys.slice(index).find((k) => before === null || k > before) ?? null;
      expectBetween(key, before, after);
      // Insert at the position the key sorts to; sometimes twice, as a concurrent insert would.
      const times = random.below(10) === 0 ? 2 : 1;
      for (let i = 0; i < times; i++) {
        const at = keys.findIndex((k) => k > key);
        keys.splice(at === -1 ? keys.length : at, 0, key);
      }
      expect([...keys].sort()).toEqual(keys);
    }
  });
});
