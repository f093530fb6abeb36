/**
 * Typed readers over a board document. Document content is untrusted (any holder of the board id
 * may write anything): an item of the wrong shape is skipped and over-long text is cut, never a
 * crash (docs/sync.md#the-sync-endpoint, docs/errors.md#bad-input-and-faults).
 */
import * as Y from 'yjs';
import { isId } from '../ids';
import { isOrderKey } from './order';
import { textOf } from './text';
import {
  LIMIT,
  LOCALES,
  ROOT,
  SECTIONS,
  TEMPLATE_IDS,
  UNDO_ROOTS,
  type BoardMeta,
  type Card,
  type Commitment,
  type Goal,
  type GoalSource,
  type Hat,
  type Question,
} from './layout';

type Item = Y.Map<unknown>;

/** A text field, a `Y.Text` or (older boards, stock clients) a string, cut at its limit. */
function text(value: unknown, limit: number = LIMIT.text): string | null {
  return textOf(value)?.slice(0, limit) ?? null;
}

function time(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[]): T | null {
  return typeof value === 'string' && (allowed as readonly string[]).includes(value) ? (value as T) : null;
}

/** The well-formed items of a root map, with their ids (the map key is the id). */
function* items(doc: Y.Doc, root: string): Generator<[string, Item]> {
  for (const [id, value] of doc.getMap(root).entries()) {
    if (isId(id) && value instanceof Y.Map) yield [id, value as Item];
  }
}

/** Display order: `order` as a plain string, then creation time, then id (docs/sync.md#ids-and-order). */
function byOrder<T extends { id: string; order: string; createdAt?: number }>(a: T, b: T): number {
  if (a.order !== b.order) return a.order < b.order ? -1 : 1;
  const timeDelta = (a.createdAt ?? 0) - (b.createdAt ?? 0);
  if (timeDelta !== 0) return timeDelta;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function orderOf(item: Item): string {
  const order = item.get('order');
  return isOrderKey(order) ? order : '';
}

export function readMeta(doc: Y.Doc): BoardMeta {
  const meta = doc.getMap(ROOT.meta);
  return {
    title: text(meta.get('title'), LIMIT.title) ?? '',
    locale: oneOf(meta.get('locale'), LOCALES) ?? 'en',
    template: oneOf(meta.get('template'), TEMPLATE_IDS) ?? 'blank',
    createdAt: time(meta.get('createdAt')),
    nextCheckIn: isIsoDate(meta.get('nextCheckIn')) ? (meta.get('nextCheckIn') as string) : null,
  };
}

/**
 * True once the document holds a board: its meta is written with the board (template.ts), so an
 * empty meta means nothing has arrived yet, from the server or from a local copy.
 */
export function isLoaded(doc: Y.Doc): boolean {
  return doc.getMap(ROOT.meta).size > 0;
}

/** The shared types an undo manager watches (the scope of `new Y.UndoManager(scope)`). */
export function undoScope(doc: Y.Doc): Y.Map<unknown>[] {
  return UNDO_ROOTS.map((root) => doc.getMap(root));
}

export function readQuestions(doc: Y.Doc, section?: string): Question[] {
  const result: Question[] = [];
  for (const [id, item] of items(doc, ROOT.questions)) {
    const questionText = text(item.get('text'));
    const questionSection = oneOf(item.get('section'), SECTIONS);
    if (questionText === null || questionSection === null) continue;
    if (section !== undefined && questionSection !== section) continue;
    result.push({ id, text: questionText, section: questionSection, order: orderOf(item) });
  }
  return result.sort(byOrder);
}

export function readCards(doc: Y.Doc, questionId?: string): Card[] {
  const result: Card[] = [];
  for (const [id, item] of items(doc, ROOT.cards)) {
    const card = readCard(id, item);
    if (!card || (questionId !== undefined && card.questionId !== questionId)) continue;
    result.push(card);
  }
  return result.sort(byOrder);
}

/** One entry of the cards root, or null when it is not a well-formed card. */
export function readCard(id: string, value: unknown): Card | null {
  if (!isId(id) || !(value instanceof Y.Map)) return null;
  const item = value as Item;
  const cardQuestion = item.get('questionId');
  const cardText = text(item.get('text'));
  if (!isId(cardQuestion) || cardText === null) return null;
  const author = item.get('authorId');
  return {
    id,
    questionId: cardQuestion,
    text: cardText,
    authorId: isId(author) ? author : '',
    createdAt: time(item.get('createdAt')),
    order: orderOf(item),
  };
}

/** Cards in display order (docs/sync.md#ids-and-order), for readers that keep cards of their own. */
export function sortCards(cards: Card[]): Card[] {
  return cards.sort(byOrder);
}

/** Cards grouped by question id, each group in display order: one pass for a whole board. */
export function readCardsByQuestion(doc: Y.Doc): Map<string, Card[]> {
  const groups = new Map<string, Card[]>();
  for (const card of readCards(doc)) {
    const group = groups.get(card.questionId);
    if (group) group.push(card);
    else groups.set(card.questionId, [card]);
  }
  return groups;
}

export function readHats(doc: Y.Doc): Hat[] {
  const result: Hat[] = [];
  for (const [id, item] of items(doc, ROOT.hats)) {
    const label = text(item.get('label'));
    if (label === null) continue;
    result.push({ id, label, order: orderOf(item), added: item.get('added') === true });
  }
  return result.sort(byOrder);
}

const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/** `YYYY-MM-DD` of a day that exists on the calendar (no 30 February). */
export function isIsoDate(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    DATE_PATTERN.test(value) &&
    !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) &&
    new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) === value
  );
}

/** The keys of a goal drafted from a theme: the theme's id, and its cards' ids separated by spaces. */
export const SOURCE_KEYS = { themeId: 'sourceThemeId', cardIds: 'sourceCardIds' } as const;
/** How many answers a goal's source names at most. */
export const MAX_SOURCE_CARDS = 200;

/** A goal's source (docs/sync.md#themes), read tolerantly: null unless it names a theme id. */
export function readGoalSource(item: Item): GoalSource | null {
  const themeId = item.get(SOURCE_KEYS.themeId);
  if (!isId(themeId)) return null;
  const cardIds = item.get(SOURCE_KEYS.cardIds);
  const ids = typeof cardIds === 'string' ? cardIds.split(' ').filter((id) => isId(id)) : [];
  return { themeId, cardIds: [...new Set(ids)].slice(0, MAX_SOURCE_CARDS) };
}

/** Goals in creation order (ties by id); a goal without a title string is skipped. */
export function readGoals(doc: Y.Doc): Goal[] {
  const result: Goal[] = [];
  for (const [id, item] of items(doc, ROOT.goals)) {
    const title = text(item.get('title'));
    if (title === null) continue;
    const due = item.get('due');
    const author = item.get('authorId');
    const source = readGoalSource(item);
    result.push({
      ...(source ? { source } : {}),
      id,
      title,
      why: text(item.get('why')) ?? '',
      metric: text(item.get('metric')) ?? '',
      baseline: text(item.get('baseline')) ?? '',
      target: text(item.get('target')) ?? '',
      due: isIsoDate(due) ? due : null,
      owner: text(item.get('owner')) ?? '',
      authorId: isId(author) ? author : '',
      createdAt: time(item.get('createdAt')),
      order: orderOf(item),
    });
  }
  return result.sort(byOrder);
}

/** The leader's commitments in creation order; one without text is skipped. */
export function readCommitments(doc: Y.Doc): Commitment[] {
  const result: Commitment[] = [];
  for (const [id, item] of items(doc, ROOT.commitments)) {
    const commitment = text(item.get('text'));
    if (commitment === null) continue;
    result.push({
      id,
      text: commitment,
      owner: text(item.get('owner')) ?? '',
      createdAt: time(item.get('createdAt')),
      order: orderOf(item),
    });
  }
  return result.sort(byOrder);
}

/** Calls `onChange` once after every transaction that changes the document; returns the unsubscribe. */
export function observeBoard(doc: Y.Doc, onChange: () => void): () => void {
  const handler = (): void => onChange();
  doc.on('update', handler);
  return () => doc.off('update', handler);
}
