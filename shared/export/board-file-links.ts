/**
 * The whole-board file's challenges and glossary (docs/export.md#whole-board-file): two lists, and
 * per goal the positions in them of the challenges it addresses and of its metric's entry — a file
 * holds no ids. Built here, checked by the file's schema, written back by shared/board/from-file.ts.
 */
import type { GoalLinks } from '../board/goal-links';

export interface FileChallenge {
  title: string;
}

export interface FileGlossaryEntry {
  name: string;
  definition: string;
  formula: string;
  owner: string;
}

export interface FileGoalLinks {
  /** Positions in the file's `challenges` of those the goal addresses. */
  challenges?: number[];
  /** Position in the file's `glossary` of the goal's metric. */
  glossaryEntry?: number;
}

export interface FileLinks {
  challenges: FileChallenge[];
  glossary: FileGlossaryEntry[];
  goal: (goalId: string) => FileGoalLinks;
}

/** The lists, and each goal's positions in them; `template` leaves the owners out. */
export function fileLinks(links: Partial<GoalLinks>, template: boolean): FileLinks {
  const lane = (links.challenges ?? []).filter((challenge) => challenge.title.trim() !== '');
  const entries = (links.glossary ?? []).filter((entry) => entry.name.trim() !== '');
  const lanePosition = new Map(lane.map((challenge, index) => [challenge.id, index]));
  const entryPosition = new Map(entries.map((entry, index) => [entry.id, index]));
  return {
    challenges: lane.map((challenge) => ({ title: challenge.title.trim() })),
    glossary: entries.map((entry) => ({
      name: entry.name.trim(),
      definition: entry.definition.trim(),
      formula: entry.formula.trim(),
      owner: template ? '' : entry.owner.trim(),
    })),
    goal: (goalId) => {
      const addressed = (links.goalChallenges?.get(goalId) ?? [])
        .map((challenge) => lanePosition.get(challenge.id))
        .filter((position): position is number => position !== undefined);
      const metric = links.goalMetrics?.get(goalId);
      const entry = metric ? entryPosition.get(metric.id) : undefined;
      return {
        ...(addressed.length > 0 ? { challenges: addressed } : {}),
        ...(entry !== undefined ? { glossaryEntry: entry } : {}),
      };
    },
  };
}
