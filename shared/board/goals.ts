/**
 * Goal commands (docs/sync.md#document-layout `goals`): one goal is one Y.Map, each field its own key, so two people
 * editing different fields of a goal never conflict. Decisions about goals (votes, agreed) are
 * not here: they live on the session plane.
 */
import * as Y from 'yjs';
import { AppError } from '../errors';
import { isId, newId } from '../ids';
import { cleanText, newItem } from './commands';
import { LIMIT, ROOT, type Goal } from './layout';
import { isIsoDate } from './read';
import { newText, textOf, writeText } from './text';

export const GOAL_TEXT_FIELDS = ['title', 'why', 'metric', 'baseline', 'target', 'owner'] as const;
export type GoalTextField = (typeof GOAL_TEXT_FIELDS)[number];
export type GoalFields = Pick<Goal, GoalTextField | 'due'>;

/** Checks and trims a partial set of goal fields; a goal's title may not be empty. */
export function cleanGoalFields(fields: Partial<GoalFields>): Partial<GoalFields> {
  const cleaned: Partial<GoalFields> = {};
  for (const field of GOAL_TEXT_FIELDS) {
    const value = fields[field];
    if (value === undefined) continue;
    if (typeof value !== 'string') throw new AppError('bad_request', `${field} must be text.`);
    if (field === 'title') {
      cleaned.title = cleanText(value);
      continue;
    }
    const trimmed = value.trim();
    if (trimmed.length > LIMIT.text) {
      throw new AppError('too_large', `${field} is limited to ${LIMIT.text} characters.`);
    }
    cleaned[field] = trimmed;
  }
  if (fields.due !== undefined) {
    if (fields.due !== null && !isIsoDate(fields.due)) {
      throw new AppError('bad_request', 'due must be a date (YYYY-MM-DD) or empty.');
    }
    cleaned.due = fields.due;
  }
  return cleaned;
}

export function addGoal(
  doc: Y.Doc,
  fields: Partial<GoalFields> & { title: string },
  authorId: string,
  origin: unknown = null,
  now: number = Date.now(),
): string {
  if (typeof fields.title !== 'string') throw new AppError('bad_request', 'A goal needs a title.');
  const cleaned = cleanGoalFields(fields);
  const id = newId();
  doc.transact(() => {
    doc.getMap(ROOT.goals).set(
      id,
      newItem({
        id,
        title: newText(cleaned.title ?? ''),
        why: newText(cleaned.why ?? ''),
        metric: newText(cleaned.metric ?? ''),
        baseline: newText(cleaned.baseline ?? ''),
        target: newText(cleaned.target ?? ''),
        due: cleaned.due ?? null,
        owner: newText(cleaned.owner ?? ''),
        authorId: isId(authorId) ? authorId : '',
        createdAt: now,
        // Made with the goal, so that two first ticks at once land in one map (docs/sync.md#challenges-and-glossary).
        challengeIds: new Y.Map<unknown>(),
      }),
    );
  }, origin);
  return id;
}

/**
 * Sets the given fields only: a text field by a delta on its `Y.Text` (so concurrent edits of one
 * field merge), the due date last-writer-wins.
 */
export function updateGoal(
  doc: Y.Doc,
  id: string,
  fields: Partial<GoalFields>,
  origin: unknown = null,
): void {
  const cleaned = cleanGoalFields(fields);
  doc.transact(() => {
    const item = isId(id) ? doc.getMap(ROOT.goals).get(id) : undefined;
    if (!(item instanceof Y.Map)) return;
    for (const field of GOAL_TEXT_FIELDS) {
      const value = cleaned[field];
      if (value !== undefined) writeText(doc, { root: ROOT.goals, id, field }, value, origin);
    }
    if (cleaned.due !== undefined && item.get('due') !== cleaned.due) item.set('due', cleaned.due);
  }, origin);
}

export function deleteGoal(doc: Y.Doc, id: string, origin: unknown = null): void {
  doc.transact(() => {
    doc.getMap(ROOT.goals).delete(id);
  }, origin);
}

/** Whether the board has a readable goal with this id (what votes and agreement may name). */
export function hasGoal(doc: Y.Doc, id: string): boolean {
  const item = isId(id) ? doc.getMap(ROOT.goals).get(id) : undefined;
  return item instanceof Y.Map && textOf(item.get('title')) !== null;
}

/**
 * Calls `onChange` whenever a goal is added or deleted (a goal's own fields changing does not
 * count); returns the unsubscribe.
 */
export function observeGoals(doc: Y.Doc, onChange: () => void): () => void {
  const goals = doc.getMap(ROOT.goals);
  const observer = (event: Y.YMapEvent<unknown>): void => {
    if (event.keysChanged.size > 0) onChange();
  };
  goals.observe(observer);
  return () => goals.unobserve(observer);
}

/** A goal is measurable once it has a metric and a target; the interface marks the others, gently. */
export function isGoalComplete(goal: Pick<Goal, 'metric' | 'target'>): boolean {
  return goal.metric.trim() !== '' && goal.target.trim() !== '';
}
