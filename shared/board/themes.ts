/**
 * Themes: answers to one question grouped because they say the same thing (docs/product.md#themes,
 * layout in docs/sync.md#themes).
 *
 * A theme is an item of the `themes` root (`{id, questionId, name, authorId, createdAt}`, its name
 * a `Y.Text`); which theme a card belongs to is the card's own `themeId` key. One key per card
 * means two people dragging one card into two themes at once write the same key: Yjs keeps one
 * write, so the card ends in exactly one theme on every copy. A theme has no list of its cards that
 * could disagree with the cards themselves.
 *
 * Every command is one transaction with the caller's origin (one undo step). The reader takes the
 * document as untrusted: a theme of the wrong shape, or a card naming a theme that is gone or
 * belongs to another question, reads as no theme.
 */
import * as Y from 'yjs';
import { AppError } from '../errors';
import { isId, newId } from '../ids';
import { addGoal } from './goals';
import { LIMIT, ROOT, type Theme } from './layout';
import { MAX_SOURCE_CARDS, SOURCE_KEYS, readCards } from './read';
import { newText, textOf, writeText } from './text';

/** The key of a card that names its theme. */
export const THEME_KEY = 'themeId';
type Item = Y.Map<unknown>;

function itemOf(doc: Y.Doc, root: string, id: string): Item | null {
  const item = isId(id) ? doc.getMap(root).get(id) : undefined;
  return item instanceof Y.Map ? (item as Item) : null;
}

function cardOf(doc: Y.Doc, id: string): { item: Item; questionId: string } {
  const item = itemOf(doc, ROOT.cards, id);
  const questionId = item?.get('questionId');
  if (!item || !isId(questionId) || textOf(item.get('text')) === null) {
    throw new AppError('not_found', 'That answer no longer exists.');
  }
  return { item, questionId };
}

function cleanName(name: string): string {
  if (typeof name !== 'string') throw new AppError('bad_request', 'A theme’s name must be text.');
  const cleaned = name.trim();
  if (cleaned.length > LIMIT.title) {
    throw new AppError('too_large', `A theme’s name is limited to ${LIMIT.title} characters.`);
  }
  return cleaned;
}

/** The board's themes, each with its cards in their display order; a theme without cards is not one. */
export function readThemes(doc: Y.Doc, questionId?: string): Theme[] {
  const themes = new Map<string, Theme>();
  for (const [id, value] of doc.getMap(ROOT.themes).entries()) {
    if (!isId(id) || !(value instanceof Y.Map)) continue;
    const item = value as Item;
    const themeQuestion = item.get('questionId');
    const name = textOf(item.get('name'));
    if (!isId(themeQuestion) || name === null) continue;
    if (questionId !== undefined && themeQuestion !== questionId) continue;
    const createdAt = item.get('createdAt');
    const author = item.get('authorId');
    themes.set(id, {
      id,
      questionId: themeQuestion,
      name: name.slice(0, LIMIT.title),
      authorId: isId(author) ? author : '',
      createdAt: typeof createdAt === 'number' && Number.isFinite(createdAt) ? createdAt : 0,
      cardIds: [],
    });
  }
  if (themes.size === 0) return [];
  const cards = doc.getMap(ROOT.cards);
  for (const card of readCards(doc, questionId)) {
    const themeId = (cards.get(card.id) as Item).get(THEME_KEY);
    const theme = typeof themeId === 'string' ? themes.get(themeId) : undefined;
    if (theme && theme.questionId === card.questionId) theme.cardIds.push(card.id);
  }
  return [...themes.values()]
    .filter((theme) => theme.cardIds.length > 0)
    .sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Themes grouped by question id: one pass for a whole board. */
export function readThemesByQuestion(doc: Y.Doc): Map<string, Theme[]> {
  const groups = new Map<string, Theme[]>();
  for (const theme of readThemes(doc)) {
    const group = groups.get(theme.questionId);
    if (group) group.push(theme);
    else groups.set(theme.questionId, [theme]);
  }
  return groups;
}

/**
 * Groups answers of one question into a new theme (named `name`, possibly empty for now); a card
 * that was in another theme leaves it. Returns the theme's id.
 */
export function createTheme(
  doc: Y.Doc,
  input: { cardIds: readonly string[]; name?: string; authorId: string },
  origin: unknown = null,
  now: number = Date.now(),
): string {
  const name = cleanName(input.name ?? '');
  const ids = [...new Set(input.cardIds)];
  if (ids.length === 0) throw new AppError('bad_request', 'A theme groups at least one answer.');
  const cards = ids.map((id) => cardOf(doc, id));
  const questionId = (cards[0] as { questionId: string }).questionId;
  if (cards.some((card) => card.questionId !== questionId)) {
    throw new AppError('bad_request', 'A theme groups answers to one question.');
  }
  const id = newId();
  doc.transact(() => {
    const left = new Set(cards.map((card) => card.item.get(THEME_KEY)));
    const theme = new Y.Map<unknown>();
    theme.set('id', id);
    theme.set('questionId', questionId);
    theme.set('name', newText(name));
    theme.set('authorId', isId(input.authorId) ? input.authorId : '');
    theme.set('createdAt', now);
    doc.getMap(ROOT.themes).set(id, theme);
    for (const card of cards) card.item.set(THEME_KEY, id);
    dropEmpty(doc, left);
  }, origin);
  return id;
}

/** Puts an answer into a theme of its own question (it leaves the theme it was in). */
export function addToTheme(doc: Y.Doc, themeId: string, cardId: string, origin: unknown = null): void {
  const card = cardOf(doc, cardId);
  const theme = readThemes(doc, card.questionId).find((one) => one.id === themeId);
  if (!theme) throw new AppError('not_found', 'That theme no longer exists.');
  if (theme.cardIds.includes(cardId)) return;
  doc.transact(() => {
    const left = card.item.get(THEME_KEY);
    card.item.set(THEME_KEY, themeId);
    dropEmpty(doc, new Set([left]));
  }, origin);
}

/** Takes an answer out of its theme; a theme left without answers goes. */
export function removeFromTheme(doc: Y.Doc, cardId: string, origin: unknown = null): void {
  const card = cardOf(doc, cardId);
  const left = card.item.get(THEME_KEY);
  if (left === undefined) return;
  doc.transact(() => {
    card.item.delete(THEME_KEY);
    dropEmpty(doc, new Set([left]));
  }, origin);
}

/** Renames a theme (by a delta on its name, so two people typing both keep their words). */
export function renameTheme(doc: Y.Doc, themeId: string, name: string, origin: unknown = null): void {
  const cleaned = cleanName(name);
  if (!writeText(doc, { root: ROOT.themes, id: themeId, field: 'name' }, cleaned, origin)) {
    throw new AppError('not_found', 'That theme no longer exists.');
  }
}

/** Ungroups a whole theme: its answers stay, ungrouped; the theme goes. */
export function dissolveTheme(doc: Y.Doc, themeId: string, origin: unknown = null): void {
  const theme = readThemes(doc).find((one) => one.id === themeId);
  doc.transact(() => {
    const cards = doc.getMap(ROOT.cards);
    for (const cardId of theme?.cardIds ?? []) (cards.get(cardId) as Item).delete(THEME_KEY);
    if (isId(themeId)) doc.getMap(ROOT.themes).delete(themeId);
  }, origin);
}

/** Deletes the themes among `ids` that hold no answer any more (call inside a transaction). */
function dropEmpty(doc: Y.Doc, ids: ReadonlySet<unknown>): void {
  const themes = doc.getMap(ROOT.themes);
  for (const id of ids) {
    if (typeof id !== 'string' || !themes.has(id)) continue;
    if (!readThemes(doc).some((theme) => theme.id === id)) themes.delete(id);
  }
}

/**
 * Drafts a goal from a theme: titled with the theme's name (or, unnamed, its first answer), its
 * source the theme and the answers it holds now. Returns the goal's id.
 */
export function goalFromTheme(
  doc: Y.Doc,
  themeId: string,
  authorId: string,
  origin: unknown = null,
  now: number = Date.now(),
): string {
  const theme = readThemes(doc).find((one) => one.id === themeId);
  if (!theme) throw new AppError('not_found', 'That theme no longer exists.');
  const firstCard = readCards(doc, theme.questionId).find((card) => card.id === theme.cardIds[0]);
  const title = (theme.name || firstCard?.text || '').slice(0, LIMIT.text);
  let goalId = '';
  doc.transact(() => {
    goalId = addGoal(doc, { title }, authorId, origin, now);
    const goal = doc.getMap(ROOT.goals).get(goalId) as Item;
    goal.set(SOURCE_KEYS.themeId, theme.id);
    goal.set(SOURCE_KEYS.cardIds, theme.cardIds.slice(0, MAX_SOURCE_CARDS).join(' '));
  }, origin);
  return goalId;
}

/**
 * What the server refuses in a theme or a theme's link (server/sync/guard.ts,
 * docs/sync.md#what-the-server-accepts): `root` and `path` say where an entry goes (the keys of the
 * maps between the root and it), `key` is its key and `kind` what it holds. Null: acceptable.
 */
export type EntryKind = 'map' | 'text' | 'string' | 'number' | 'boolean' | 'null' | 'deleted';

export function themeEntryProblem(
  root: string,
  path: readonly string[],
  key: string,
  kind: EntryKind,
  value?: unknown,
): string | null {
  if (kind === 'deleted') return null;
  if (root === ROOT.themes) {
    if (path.length === 0) return isId(key) && kind === 'map' ? null : 'a theme is a map under its id';
    if (path.length > 1) return 'a theme holds no nested maps';
    switch (key) {
      case 'id':
      case 'questionId':
        return kind === 'string' && isId(value) ? null : `a theme’s ${key} is an id`;
      case 'authorId':
        return kind === 'string' && (value === '' || isId(value)) ? null : 'a theme’s authorId is an id';
      case 'name':
        return kind === 'text' || kind === 'string' ? null : 'a theme’s name is text';
      case 'createdAt':
        return kind === 'number' ? null : 'a theme’s createdAt is a number';
      default:
        return 'a theme holds id, questionId, name, authorId and createdAt only';
    }
  }
  if (root === ROOT.cards && path.length === 1 && key === THEME_KEY) {
    return kind === 'null' || (kind === 'string' && isId(value)) ? null : 'a card’s themeId is an id';
  }
  if (root === ROOT.goals && path.length === 1) {
    if (key === SOURCE_KEYS.themeId) {
      return kind === 'string' && isId(value) ? null : 'a goal’s sourceThemeId is an id';
    }
    if (key === SOURCE_KEYS.cardIds) {
      return kind === 'string' ? null : 'a goal’s sourceCardIds is text';
    }
  }
  return null;
}
