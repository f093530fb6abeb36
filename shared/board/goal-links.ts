/**
 * What links goals to the challenges lane and the glossary, read in one go for the exports and
 * the summary (docs/export.md#additive-fields). Spread into their inputs: `...readGoalLinks(doc)`.
 */
import type * as Y from 'yjs';
import { readChallenges, readGoalChallenges, type Challenge } from './challenges';
import { readGlossary, readGoalMetrics, type GlossaryEntry } from './glossary';

export interface GoalLinks {
  /** The lane, in order. */
  challenges: readonly Challenge[];
  /** Per goal id, the challenges it addresses. */
  goalChallenges: ReadonlyMap<string, readonly Challenge[]>;
  /** The glossary, by name. */
  glossary: readonly GlossaryEntry[];
  /** Per goal id, the glossary entry its metric links to. */
  goalMetrics: ReadonlyMap<string, GlossaryEntry>;
}

export function readGoalLinks(doc: Y.Doc): GoalLinks {
  return {
    challenges: readChallenges(doc),
    goalChallenges: readGoalChallenges(doc),
    glossary: readGlossary(doc),
    goalMetrics: readGoalMetrics(doc),
  };
}
