/**
 * What of a board file (docs/export.md#whole-board-file) the shared document holds, read in one
 * place: the server's download and anything else that builds a file from a Y.Doc read the same
 * parts. The rest (people, votes, agreed goals, consent) is the session's.
 */
import type * as Y from 'yjs';
import { readCheckins } from '../board/checkins';
import { readTasks, readWornHats } from '../board/daytoday';
import { readGoalLinks, type GoalLinks } from '../board/goal-links';
import { readCardsByQuestion, readCommitments, readGoals, readMeta, readQuestions } from '../board/read';
import { readThemesByQuestion } from '../board/themes';
import type { BoardFileInput } from './board-file';

export type BoardFileContent = Pick<
  BoardFileInput,
  'meta' | 'questions' | 'cards' | 'themes' | 'tasks' | 'hats' | 'goals' | 'commitments' | 'checkins'
> &
  GoalLinks;

export function readBoardFileContent(doc: Y.Doc): BoardFileContent {
  return {
    meta: readMeta(doc),
    questions: readQuestions(doc),
    cards: readCardsByQuestion(doc),
    themes: readThemesByQuestion(doc),
    tasks: readTasks(doc),
    hats: readWornHats(doc),
    goals: readGoals(doc),
    commitments: readCommitments(doc),
    checkins: readCheckins(doc),
    ...readGoalLinks(doc),
  };
}
