/** What a goal lacks to be measurable (client/src/lib/goal-check.ts, docs/product.md#how-the-board-reads). */
import { describe, expect, it } from 'vitest';
import { missingParts } from '../../client/src/lib/goal-check';

describe('missingParts', () => {
  it('names only what is missing: the metric, the target, both or nothing', () => {
    expect(missingParts({ metric: 'Followers', target: '' })).toEqual(['target']);
    expect(missingParts({ metric: '', target: '6,000' })).toEqual(['metric']);
    expect(missingParts({ metric: '', target: '' })).toEqual(['metric', 'target']);
    expect(missingParts({ metric: 'Followers', target: '6,000' })).toEqual([]);
  });

  it('counts blank text as missing, as the goal cards do', () => {
    expect(missingParts({ metric: '   ', target: '\n' })).toEqual(['metric', 'target']);
  });
});
