/** Plain-data comparison (client/src/lib/equal.ts), used to refetch the export only on a real change. */
import { describe, expect, it } from 'vitest';
import { sameData } from '../../client/src/lib/equal';

describe('sameData', () => {
  it('says equal for the same content in fresh objects and arrays', () => {
    expect(sameData([{ id: 'a', tags: ['x'] }, null, 3], [{ id: 'a', tags: ['x'] }, null, 3])).toBe(true);
    expect(sameData({ a: 1, b: { c: 'd' } }, { b: { c: 'd' }, a: 1 })).toBe(true);
    expect(sameData(undefined, undefined)).toBe(true);
  });

  it('tells apart a changed value, a missing key, an extra item and an array from an object', () => {
    expect(sameData({ a: 1 }, { a: 2 })).toBe(false);
    expect(sameData({ a: 1, b: undefined }, { a: 1, c: undefined })).toBe(false);
    expect(sameData([1, 2], [1, 2, 3])).toBe(false);
    expect(sameData({ 0: 'x' }, ['x'])).toBe(false);
    expect(sameData(null, {})).toBe(false);
    expect(sameData('1', 1)).toBe(false);
  });
});
