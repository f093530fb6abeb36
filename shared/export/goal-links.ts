/**
 * The goals export's fields about challenges and metric definitions (docs/export.md#additive-fields):
 * present only when the board has something to say, so an export of a board without them is the
 * same as before they existed.
 */
import type { GoalLinks } from '../board/goal-links';
import { metricDefinition, type MetricDefinition } from '../board/glossary';

export interface GoalLinkFields {
  /** The challenges the goal addresses, in the lane's order; absent when none. */
  challenges?: Array<{ id: string; title: string }>;
  /** The glossary entry its metric links to; absent when the metric is not linked. */
  metricDefinition?: MetricDefinition;
}

export interface ExportedChallenge {
  id: string;
  title: string;
  /** Whether one of the exported goals addresses it. */
  addressed: boolean;
}

export function goalLinkFields(goalId: string, links: Partial<GoalLinks>): GoalLinkFields {
  const challenges = links.goalChallenges?.get(goalId) ?? [];
  const entry = links.goalMetrics?.get(goalId);
  return {
    ...(challenges.length > 0 ? { challenges: challenges.map(({ id, title }) => ({ id, title })) } : {}),
    ...(entry ? { metricDefinition: metricDefinition(entry) } : {}),
  };
}

/** The top-level `challenges` list; absent when the board has no challenge. */
export function exportedChallenges(
  goals: ReadonlyArray<{ id: string }>,
  links: Partial<GoalLinks>,
): { challenges?: ExportedChallenge[] } {
  const lane = links.challenges ?? [];
  if (lane.length === 0) return {};
  const addressed = new Set(
    goals.flatMap((goal) => (links.goalChallenges?.get(goal.id) ?? []).map((challenge) => challenge.id)),
  );
  return { challenges: lane.map(({ id, title }) => ({ id, title, addressed: addressed.has(id) })) };
}
