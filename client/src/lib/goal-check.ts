/**
 * What a goal still lacks to be measurable (docs/product.md#how-the-board-reads): a metric, a target, or both.
 * The same rule as `isGoalComplete` (shared/board/goals.ts), said part by part so that hints and
 * warnings name only what is missing.
 */
import type { Goal } from '../../../shared/board/layout';

export type MissingPart = 'metric' | 'target';

export function missingParts(goal: Pick<Goal, 'metric' | 'target'>): MissingPart[] {
  const missing: MissingPart[] = [];
  if (goal.metric.trim() === '') missing.push('metric');
  if (goal.target.trim() === '') missing.push('target');
  return missing;
}
