/**
 * Commands over a board document: each one user gesture, each one `doc.transact` with the caller's
 * origin (so an undo manager can track local gestures only). Inputs are checked here as well as in
 * the interface, since both the browser and the server call these.
 */
import * as Y from 'yjs';
import { AppError } from '../errors';
import { isId, newId } from '../ids';
import { keyBetween, keyForIndex } from './order';
import { LIMIT, ROOT, type Section } from './layout';
import { readCards, readQuestions } from './read';
import { newText, writeText } from './text';

/** Cleans user text: surrounding white space dropped; empty or over the limit is refused. */
export function cleanText(value: string, limit: number = LIMIT.text): string {
  const cleaned = value.trim();
  if (cleaned.length === 0) throw new AppError('bad_request', 'Text cannot be empty.');
  if (cleaned.length > limit) {
    throw new AppError('too_large', `Text is limited to ${limit} characters.`);
  }
  return cleaned;
}

function itemOf(doc: Y.Doc, root: string, id: string): Y.Map<unknown> | null {
  const item = isId(id) ? doc.getMap(root).get(id) : undefined;
  return item instanceof Y.Map ? (item as Y.Map<unknown>) : null;
}

function lastOrder(orders: readonly string[]): string | null {
  let last: string | null = null;
  for (const order of orders) if (order !== '' && (last === null || order > last)) last = order;
  return last;
}

export function newItem(fields: Record<string, unknown>): Y.Map<unknown> {
  const item = new Y.Map<unknown>();
  for (const [key, value] of Object.entries(fields)) item.set(key, value);
  return item;
}

export function addQuestion(
  doc: Y.Doc,
  input: { text: string; section: Section },
  origin: unknown = null,
): string {
  const text = cleanText(input.text);
  const id = newId();
  doc.transact(() => {
    const order = keyBetween(lastOrder(readQuestions(doc).map((q) => q.order)), null);
    doc.getMap(ROOT.questions).set(id, newItem({ id, text: newText(text), section: input.section, order }));
  }, origin);
  return id;
}

export function updateQuestion(doc: Y.Doc, id: string, text: string, origin: unknown = null): void {
  const cleaned = cleanText(text);
  writeText(doc, { root: ROOT.questions, id, field: 'text' }, cleaned, origin);
}

/** Moves a question to `index` among the questions of its own section. */
export function moveQuestion(doc: Y.Doc, id: string, index: number, origin: unknown = null): void {
  doc.transact(() => {
    const item = itemOf(doc, ROOT.questions, id);
    const moved = readQuestions(doc).find((q) => q.id === id);
    if (!item || !moved) return;
    const others = readQuestions(doc, moved.section).filter((q) => q.id !== id);
    const keys = others.map((q) => q.order).filter((order) => order !== '');
    const clamped = Math.max(0, Math.min(index, keys.length));
    item.set('order', keyForIndex(keys, clamped));
  }, origin);
}

/** Deletes a question and the cards that answer it. */
export function deleteQuestion(doc: Y.Doc, id: string, origin: unknown = null): void {
  doc.transact(() => {
    const cards = doc.getMap(ROOT.cards);
    for (const card of readCards(doc, id)) cards.delete(card.id);
    doc.getMap(ROOT.questions).delete(id);
  }, origin);
}

export function addCard(
  doc: Y.Doc,
  input: { questionId: string; text: string; authorId: string },
  origin: unknown = null,
  now: number = Date.now(),
): string {
  const text = cleanText(input.text);
  if (!isId(input.questionId)) throw new AppError('bad_request', 'Unknown question.');
  const id = newId();
  doc.transact(() => {
    doc.getMap(ROOT.cards).set(
      id,
      newItem({
        id,
        questionId: input.questionId,
        text: newText(text),
        authorId: isId(input.authorId) ? input.authorId : '',
        createdAt: now,
      }),
    );
  }, origin);
  return id;
}

export function updateCard(doc: Y.Doc, id: string, text: string, origin: unknown = null): void {
  const cleaned = cleanText(text);
  writeText(doc, { root: ROOT.cards, id, field: 'text' }, cleaned, origin);
}

export function deleteCard(doc: Y.Doc, id: string, origin: unknown = null): void {
  doc.transact(() => {
    doc.getMap(ROOT.cards).delete(id);
  }, origin);
}
