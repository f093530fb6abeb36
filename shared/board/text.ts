/**
 * Free text in the board document (docs/sync.md#text-fields). Every text several people may edit at
 * once is a `Y.Text`, changed by deltas — one delete and one insert where the old and the new
 * string differ — so that two people typing in one field both keep their words. Boards written
 * before, and stock clients, hold plain strings: readers take both, a string becomes a `Y.Text` (with
 * the same content) on its first edit here, and the server converts a whole board when it loads it.
 * A `Y.Text` is never replaced whole by these functions.
 */
import * as Y from 'yjs';
import { AppError } from '../errors';
import { isId } from '../ids';
import { LIMIT, ROOT } from './layout';

/** The text fields of each root's items (the rest of an item is numbers, ids, orders, dates). */
export const TEXT_FIELDS = {
  [ROOT.questions]: ['text'],
  [ROOT.cards]: ['text'],
  [ROOT.goals]: ['title', 'why', 'metric', 'baseline', 'target', 'owner'],
  [ROOT.commitments]: ['text', 'owner'],
  [ROOT.hats]: ['label'],
  [ROOT.challenges]: ['title'],
  [ROOT.glossary]: ['name', 'definition', 'formula', 'owner'],
  [ROOT.themes]: ['name'],
} as const;

export type TextRoot = keyof typeof TEXT_FIELDS;

/** One text field of one item: what an editor binds to, and what presence names. */
export interface TextRef {
  root: TextRoot;
  id: string;
  field: string;
}

/** `<root>/<id>/<field>`: how presence names the text someone is editing (docs/sync.md#presence). */
export function textKey(ref: TextRef): string {
  return `${ref.root}/${ref.id}/${ref.field}`;
}

/** The limit of a field, in UTF-16 code units (docs/errors.md#text-limits): hat labels are short. */
export function textLimit(ref: Pick<TextRef, 'root'>): number {
  return ref.root === ROOT.hats || ref.root === ROOT.themes ? LIMIT.title : LIMIT.text;
}

/** Whether `ref` names a text field of the layout (its item may or may not exist). */
export function isTextRef(ref: TextRef): boolean {
  const fields: readonly string[] | undefined = (TEXT_FIELDS as Record<string, readonly string[]>)[ref.root];
  return fields !== undefined && fields.includes(ref.field);
}

/** A field's text, whether stored as a `Y.Text` or a plain string; null when it is neither. */
export function textOf(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (value instanceof Y.Text) return value.toJSON();
  return null;
}

/** A new `Y.Text` holding `value`, to put into an item being created. */
export function newText(value: string): Y.Text {
  return new Y.Text(value);
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/** One change from one string to another: delete `remove` code units at `index`, then insert `insert`. */
export interface TextChange {
  index: number;
  remove: number;
  insert: string;
}

/**
 * The smallest single change from `before` to `after`: what lies between their common prefix and
 * common suffix. Positions never split a surrogate pair (an emoji stays whole). `caret`, where the
 * editor's caret is in `after`, decides between equal answers (typing "a" into "aa" inserts at the
 * caret, not at the end). Null when nothing changed.
 */
export function textChange(before: string, after: string, caret?: number): TextChange | null {
  if (before === after) return null;
  const shortest = Math.min(before.length, after.length);
  let prefixMax = 0;
  while (prefixMax < shortest && before.charCodeAt(prefixMax) === after.charCodeAt(prefixMax)) prefixMax++;
  let suffixMax = 0;
  while (
    suffixMax < shortest &&
    before.charCodeAt(before.length - 1 - suffixMax) === after.charCodeAt(after.length - 1 - suffixMax)
  )
    suffixMax++;
  // Every split of `kept` unchanged code units between prefix and suffix is as small; the first
  // one, unless the caret says where the change ends.
  const kept = Math.min(shortest, prefixMax + suffixMax);
  let prefix = prefixMax;
  let suffix = kept - prefixMax;
  if (caret !== undefined) {
    const caretSuffix = after.length - caret;
    if (
      caretSuffix >= 0 &&
      caretSuffix <= suffixMax &&
      kept - caretSuffix >= 0 &&
      kept - caretSuffix <= prefixMax
    ) {
      prefix = kept - caretSuffix;
      suffix = caretSuffix;
    }
  }
  // Never cut between the two halves of a surrogate pair.
  if (prefix > 0 && isHighSurrogate(before.charCodeAt(prefix - 1))) prefix--;
  if (suffix > 0 && isLowSurrogate(before.charCodeAt(before.length - suffix))) suffix--;
  return {
    index: prefix,
    remove: before.length - prefix - suffix,
    insert: after.slice(prefix, after.length - suffix),
  };
}

/** Changes `text` to hold `after` by one delta (no-op when equal). Call inside a transaction. */
export function applyText(text: Y.Text, after: string, caret?: number): void {
  const change = textChange(text.toJSON(), after, caret);
  if (!change) return;
  if (change.remove > 0) text.delete(change.index, change.remove);
  if (change.insert !== '') text.insert(change.index, change.insert);
}

/**
 * The field's `Y.Text`, converting a plain string there into one with the same content first. Null
 * when the field holds neither (a missing or malformed field is not made up). Call inside a
 * transaction.
 */
export function textIn(item: Y.Map<unknown>, field: string): Y.Text | null {
  const value = item.get(field);
  if (value instanceof Y.Text) return value;
  if (typeof value !== 'string') return null;
  const text = newText(value);
  item.set(field, text);
  return text;
}

/** The item that holds a text field, when it exists and is a map: what an editor binds to. */
export function textItem(doc: Y.Doc, ref: TextRef): Y.Map<unknown> | null {
  return isTextRef(ref) ? itemOf(doc, ref.root, ref.id) : null;
}

/** The item that holds a text, when it exists and is a map. */
function itemOf(doc: Y.Doc, root: string, id: string): Y.Map<unknown> | null {
  const item = isId(id) ? doc.getMap(root).get(id) : undefined;
  return item instanceof Y.Map ? (item as Y.Map<unknown>) : null;
}

/**
 * Writes `after` into the field as a delta on its `Y.Text` (a string field is converted first; a
 * missing field of an existing item gets a new `Y.Text`). Refuses text over the field's limit.
 * Returns false when the item does not exist (deleted meanwhile). `caret`: see `textChange`.
 */
export function writeText(
  doc: Y.Doc,
  ref: TextRef,
  after: string,
  origin: unknown = null,
  caret?: number,
): boolean {
  if (!isTextRef(ref)) throw new AppError('bad_request', 'Unknown text field.');
  const limit = textLimit(ref);
  if (after.length > limit) throw new AppError('too_large', `Text is limited to ${limit} characters.`);
  const item = itemOf(doc, ref.root, ref.id);
  if (!item) return false;
  doc.transact(() => {
    const text = textIn(item, ref.field);
    if (text) applyText(text, after, caret);
    else item.set(ref.field, newText(after));
  }, origin);
  return true;
}

/**
 * Deletes `remove` code units at `index` of the field and inserts `insert` there: a change the
 * editor has already placed (e.g. typed during an input method's composition while others' edits
 * arrived). Positions are clamped to the text; the result must fit the field's limit.
 */
export function spliceText(
  doc: Y.Doc,
  ref: TextRef,
  index: number,
  remove: number,
  insert: string,
  origin: unknown = null,
): boolean {
  if (!isTextRef(ref)) throw new AppError('bad_request', 'Unknown text field.');
  const item = itemOf(doc, ref.root, ref.id);
  if (!item) return false;
  const length = textOf(item.get(ref.field))?.length ?? 0;
  const at = Math.max(0, Math.min(Math.trunc(index), length));
  const removed = Math.max(0, Math.min(Math.trunc(remove), length - at));
  const limit = textLimit(ref);
  if (length - removed + insert.length > limit) {
    throw new AppError('too_large', `Text is limited to ${limit} characters.`);
  }
  doc.transact(() => {
    const text = textIn(item, ref.field);
    if (!text) {
      item.set(ref.field, newText(insert));
      return;
    }
    if (removed > 0) text.delete(at, removed);
    if (insert !== '') text.insert(at, insert);
  }, origin);
  return true;
}

/**
 * Converts every plain-string text field of the board into a `Y.Text` with the same content, in one
 * transaction; returns how many were converted. Loses nothing: only strings are touched, each
 * replaced by a text of exactly its value.
 */
export function convertTexts(doc: Y.Doc, origin: unknown = null): number {
  const found: Array<[Y.Map<unknown>, string]> = [];
  for (const [root, fields] of Object.entries(TEXT_FIELDS)) {
    for (const [id, item] of doc.getMap(root).entries()) {
      if (!isId(id) || !(item instanceof Y.Map)) continue;
      for (const field of fields) if (typeof item.get(field) === 'string') found.push([item, field]);
    }
  }
  if (found.length === 0) return 0;
  doc.transact(() => {
    for (const [item, field] of found) textIn(item, field);
  }, origin);
  return found.length;
}
