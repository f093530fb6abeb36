/** Ties in a ranking by votes (shared/export/ties.ts, docs/export.md#ties): shared places, a tied mark. */
import { describe, expect, it } from 'vitest';
import { standings } from '../../shared/export/ties';

describe('standings', () => {
  it('[export#ties] gives equal votes the same place and marks them tied; the next place skips ("1, 2, 2, 4")', () => {
    expect(standings([5, 3, 3, 1])).toEqual([
      { place: 1, tied: false },
      { place: 2, tied: true },
      { place: 2, tied: true },
      { place: 4, tied: false },
    ]);
  });

  it('[export#ties] ties at the top and at zero alike, whatever order the counts come in', () => {
    expect(standings([0, 4, 0, 4, 2])).toEqual([
      { place: 4, tied: true },
      { place: 1, tied: true },
      { place: 4, tied: true },
      { place: 1, tied: true },
      { place: 3, tied: false },
    ]);
  });

  it('[export#ties] marks no tie when every count differs, nor for a single goal, nor for none', () => {
    expect(standings([9, 2, 1]).map((s) => s.tied)).toEqual([false, false, false]);
    expect(standings([0])).toEqual([{ place: 1, tied: false }]);
    expect(standings([])).toEqual([]);
  });
});
