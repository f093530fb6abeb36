/**
 * Wrap-up commands (docs/product.md#commitments): the leader's commitments, offered as editable starters from the
 * template, and the date of the next regular check-in. Both are exported with the goals (docs/export.md#additive-fields).
 */
import * as Y from 'yjs';
import { AppError } from '../errors';
import { isId, newId } from '../ids';
import { cleanText, newItem } from './commands';
import { LIMIT, ROOT } from './layout';
import { isIsoDate } from './read';
import { newText, writeText } from './text';

function cleanOwner(owner: string): string {
  const trimmed = owner.trim();
  if (trimmed.length > LIMIT.text)
    throw new AppError('too_large', `owner is limited to ${LIMIT.text} characters.`);
  return trimmed;
}

export function addCommitment(
  doc: Y.Doc,
  input: { text: string; owner?: string },
  origin: unknown = null,
  now: number = Date.now(),
): string {
  const text = cleanText(input.text);
  const owner = cleanOwner(input.owner ?? '');
  const id = newId();
  doc.transact(() => {
    doc
      .getMap(ROOT.commitments)
      .set(id, newItem({ id, text: newText(text), owner: newText(owner), createdAt: now }));
  }, origin);
  return id;
}

export function updateCommitment(
  doc: Y.Doc,
  id: string,
  fields: { text?: string; owner?: string },
  origin: unknown = null,
): void {
  const text = fields.text === undefined ? undefined : cleanText(fields.text);
  const owner = fields.owner === undefined ? undefined : cleanOwner(fields.owner);
  doc.transact(() => {
    const item = isId(id) ? doc.getMap(ROOT.commitments).get(id) : undefined;
    if (!(item instanceof Y.Map)) return;
    const ref = { root: ROOT.commitments, id } as const;
    if (text !== undefined) writeText(doc, { ...ref, field: 'text' }, text, origin);
    if (owner !== undefined) writeText(doc, { ...ref, field: 'owner' }, owner, origin);
  }, origin);
}

export function deleteCommitment(doc: Y.Doc, id: string, origin: unknown = null): void {
  doc.transact(() => {
    doc.getMap(ROOT.commitments).delete(id);
  }, origin);
}

/** Sets (or clears, with null) the date of the next regular check-in. */
export function setNextCheckIn(doc: Y.Doc, date: string | null, origin: unknown = null): void {
  if (date !== null && !isIsoDate(date)) throw new AppError('bad_request', 'The date must be YYYY-MM-DD.');
  doc.transact(() => {
    doc.getMap(ROOT.meta).set('nextCheckIn', date);
  }, origin);
}
