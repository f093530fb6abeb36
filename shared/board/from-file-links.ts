/**
 * Restores a whole-board file's challenges, glossary and the goals' links to them
 * (docs/export.md#importing-a-board-file); runs inside writeBoardFile's transaction.
 */
import type * as Y from 'yjs';
import type { ParsedBoardFile } from '../export/board-file';
import { addChallenge, setGoalChallenge } from './challenges';
import { addGlossaryEntry, setGoalMetric } from './glossary';

/** `goalIds`: the new board's goal ids, in the file's order. */
export function writeFileLinks(
  doc: Y.Doc,
  file: ParsedBoardFile,
  goalIds: readonly string[],
  tick: () => number,
): void {
  const challengeIds = (file.challenges ?? []).map((challenge) =>
    addChallenge(doc, challenge.title, null, tick()),
  );
  const entryIds = (file.glossary ?? []).map((entry) => addGlossaryEntry(doc, entry, null, tick()));
  for (const [index, goal] of file.goals.entries()) {
    const goalId = goalIds[index];
    if (goalId === undefined) continue;
    for (const at of goal.challenges ?? []) {
      const challengeId = challengeIds[at];
      if (challengeId !== undefined) setGoalChallenge(doc, goalId, challengeId, true);
    }
    const entryId = goal.glossaryEntry === undefined ? undefined : entryIds[goal.glossaryEntry];
    if (entryId !== undefined) setGoalMetric(doc, goalId, entryId);
  }
}
