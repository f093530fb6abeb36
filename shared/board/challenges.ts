/**
 * The challenges lane (docs/product.md#challenges): what stands in the team's way, beside the goals.
 * A challenge is an item of the `challenges` root, `{id, title, order, createdAt}`; a goal names the
 * challenges it addresses in its `challengeIds` map (challenge id → true), so two people ticking
 * two challenges of one goal at once both keep their tick (docs/sync.md#challenges-and-glossary).
 */
import * as Y from 'yjs';
import { AppError } from '../errors';
import { isId, newId } from '../ids';
import { cleanText, newItem } from './commands';
import { isOrderKey, keyBetween } from './order';
import { LIMIT, ROOT } from './layout';
import { newText, textOf, writeText } from './text';

export interface Challenge {
  id: string;
  title: string;
  order: string;
  createdAt: number;
}

/** A challenge with the goals that address it (what the summary and Agree show). */
export interface ChallengeCoverage extends Challenge {
  goalIds: string[];
}

function entries(doc: Y.Doc, root: string): Array<[string, Y.Map<unknown>]> {
  const result: Array<[string, Y.Map<unknown>]> = [];
  for (const [id, value] of doc.getMap(root).entries()) {
    if (isId(id) && value instanceof Y.Map) result.push([id, value as Y.Map<unknown>]);
  }
  return result;
}

function byOrder(a: Challenge, b: Challenge): number {
  if (a.order !== b.order) return a.order < b.order ? -1 : 1;
  return a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** The challenges in display order; one without a title is skipped, a long one cut (docs/sync.md#readers). */
export function readChallenges(doc: Y.Doc): Challenge[] {
  const result: Challenge[] = [];
  for (const [id, item] of entries(doc, ROOT.challenges)) {
    const title = textOf(item.get('title'));
    if (title === null || title.trim() === '') continue;
    const order = item.get('order');
    const createdAt = item.get('createdAt');
    result.push({
      id,
      title: title.slice(0, LIMIT.text),
      order: isOrderKey(order) ? order : '',
      createdAt: typeof createdAt === 'number' && Number.isFinite(createdAt) ? createdAt : 0,
    });
  }
  return result.sort(byOrder);
}

export function addChallenge(
  doc: Y.Doc,
  title: string,
  origin: unknown = null,
  now: number = Date.now(),
): string {
  const cleaned = cleanText(title);
  const id = newId();
  doc.transact(() => {
    const last = readChallenges(doc).reduce<string | null>(
      (max, challenge) =>
        challenge.order !== '' && (max === null || challenge.order > max) ? challenge.order : max,
      null,
    );
    doc
      .getMap(ROOT.challenges)
      .set(id, newItem({ id, title: newText(cleaned), order: keyBetween(last, null), createdAt: now }));
  }, origin);
  return id;
}

/** Renames a challenge (trimmed, 1 to 500 characters); `not_found` once someone deleted it. */
export function updateChallenge(doc: Y.Doc, id: string, title: string, origin: unknown = null): void {
  if (!writeText(doc, { root: ROOT.challenges, id, field: 'title' }, cleanText(title), origin)) {
    throw new AppError('not_found', 'That challenge no longer exists.');
  }
}

/** Deletes a challenge and every goal's tick of it. */
export function deleteChallenge(doc: Y.Doc, id: string, origin: unknown = null): void {
  doc.transact(() => {
    doc.getMap(ROOT.challenges).delete(id);
    for (const [, goal] of entries(doc, ROOT.goals)) {
      const ticks = goal.get('challengeIds');
      if (ticks instanceof Y.Map && ticks.has(id)) ticks.delete(id);
    }
  }, origin);
}

/** The ids of the challenges a goal addresses, as stored (any id; readers keep the existing ones). */
function goalTicks(goal: Y.Map<unknown>): string[] {
  const ticks = goal.get('challengeIds');
  if (!(ticks instanceof Y.Map)) return [];
  return [...ticks.entries()].filter(([id, value]) => isId(id) && value === true).map(([id]) => id);
}

/** Ticks (or unticks) one challenge for one goal. */
export function setGoalChallenge(
  doc: Y.Doc,
  goalId: string,
  challengeId: string,
  addressed: boolean,
  origin: unknown = null,
): void {
  if (!isId(goalId) || !isId(challengeId)) throw new AppError('bad_request', 'Unknown goal or challenge.');
  doc.transact(() => {
    const goal = doc.getMap(ROOT.goals).get(goalId);
    if (!(goal instanceof Y.Map)) return;
    if (addressed && !(doc.getMap(ROOT.challenges).get(challengeId) instanceof Y.Map)) {
      throw new AppError('not_found', 'No such challenge.');
    }
    let ticks: unknown = (goal as Y.Map<unknown>).get('challengeIds');
    if (!(ticks instanceof Y.Map)) {
      if (!addressed) return;
      ticks = new Y.Map<unknown>();
      goal.set('challengeIds', ticks);
    }
    const map = ticks as Y.Map<unknown>;
    if (addressed) map.set(challengeId, true);
    else if (map.has(challengeId)) map.delete(challengeId);
  }, origin);
}

/**
 * Per goal id, the challenges it addresses that exist on the board, in the lane's order. Goals
 * with none are absent.
 */
export function readGoalChallenges(doc: Y.Doc): Map<string, Challenge[]> {
  const challenges = readChallenges(doc);
  const result = new Map<string, Challenge[]>();
  for (const [goalId, goal] of entries(doc, ROOT.goals)) {
    const ticked = new Set(goalTicks(goal));
    const addressed = challenges.filter((challenge) => ticked.has(challenge.id));
    if (addressed.length > 0) result.set(goalId, addressed);
  }
  return result;
}

/**
 * Each challenge with the goals (among `goalIds`, in their order) that address it. A challenge
 * whose `goalIds` is empty is one no goal addresses: Agree points it out.
 */
export function challengeCoverage(
  challenges: readonly Challenge[],
  byGoal: ReadonlyMap<string, readonly Challenge[]>,
  goalIds: readonly string[],
): ChallengeCoverage[] {
  return challenges.map((challenge) => ({
    ...challenge,
    goalIds: goalIds.filter((goalId) => byGoal.get(goalId)?.some((c) => c.id === challenge.id) ?? false),
  }));
}

/** Writes the template's challenges as the lane's first items (called by writeTemplate, once). */
export function writeTemplateChallenges(doc: Y.Doc, titles: readonly string[], now: number): void {
  let order: string | null = null;
  const root = doc.getMap(ROOT.challenges);
  for (const title of titles) {
    order = keyBetween(order, null);
    const id = newId();
    root.set(id, newItem({ id, title: newText(title), order, createdAt: now }));
  }
}
