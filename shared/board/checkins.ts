/**
 * Check-ins after the kickoff (docs/product.md#check-ins): the facilitator opens one (a date and an
 * optional label), anyone present records, for each agreed goal, the metric's current value, a
 * confidence and a short note, and the facilitator closes it. They live in the document under
 * their own root (docs/sync.md#check-ins), which only the server writes: the session requests
 * `checkin` and `checkinRecord` (docs/session.md#check-ins) call the commands below, and the sync
 * guard refuses any client update that touches the root.
 *
 * Layout: `checkins` → check-in id → Y.Map {id, date, label, openedAt, closedAt, records}, where
 * `records` is a Y.Map goal id → Y.Map {current, confidence, note, by, at} (one record per goal
 * and check-in: the latest one counts). Readers skip whatever is malformed.
 */
import * as Y from 'yjs';
import { AppError } from '../errors';
import { isId, newId } from '../ids';
import { LIMIT } from './layout';
import { isIsoDate } from './read';

/** The root's name: not in `ROOT`, since clients may never write it. */
export const CHECKINS_ROOT = 'checkins';

export const CONFIDENCES = ['on-track', 'at-risk', 'off-track'] as const;
export type Confidence = (typeof CONFIDENCES)[number];

/** The largest magnitude a recorded value may have (docs/errors.md#text-limits). */
export const MAX_CHECKIN_VALUE = 1e12;
/** A check-in's optional label, in UTF-16 code units. */
export const CHECKIN_LABEL_MAX = LIMIT.title;
/** A record's note. */
export const CHECKIN_NOTE_MAX = LIMIT.text;

export interface CheckinRecord {
  goalId: string;
  current: number;
  confidence: Confidence;
  note: string;
  /** Who recorded it last (a participant id, '' if unknown). */
  by: string;
  at: number;
}

export interface Checkin {
  id: string;
  /** The day it is about (`YYYY-MM-DD`). */
  date: string;
  label: string;
  openedAt: number;
  /** null while open. */
  closedAt: number | null;
  /** One per goal, by goal id. */
  records: Record<string, CheckinRecord>;
}

export function isConfidence(value: unknown): value is Confidence {
  return typeof value === 'string' && (CONFIDENCES as readonly string[]).includes(value);
}

export function isCheckinValue(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && Math.abs(value) <= MAX_CHECKIN_VALUE;
}

function stamp(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

function shortText(value: unknown, max: number): string {
  return typeof value === 'string' ? value.slice(0, max) : '';
}

function readRecord(goalId: string, value: unknown): CheckinRecord | null {
  if (!isId(goalId) || !(value instanceof Y.Map)) return null;
  const current: unknown = value.get('current');
  const confidence: unknown = value.get('confidence');
  if (!isCheckinValue(current) || !isConfidence(confidence)) return null;
  const by: unknown = value.get('by');
  return {
    goalId,
    current,
    confidence,
    note: shortText(value.get('note'), CHECKIN_NOTE_MAX),
    by: isId(by) ? by : '',
    at: stamp(value.get('at')),
  };
}

function readOne(id: string, value: unknown): Checkin | null {
  if (!isId(id) || !(value instanceof Y.Map)) return null;
  const date: unknown = value.get('date');
  if (!isIsoDate(date)) return null;
  const closedAt: unknown = value.get('closedAt');
  const records: Record<string, CheckinRecord> = {};
  const held: unknown = value.get('records');
  if (held instanceof Y.Map) {
    for (const [goalId, entry] of held.entries() as IterableIterator<[string, unknown]>) {
      const record = readRecord(goalId, entry);
      if (record) records[goalId] = record;
    }
  }
  return {
    id,
    date,
    label: shortText(value.get('label'), CHECKIN_LABEL_MAX),
    openedAt: stamp(value.get('openedAt')),
    closedAt: typeof closedAt === 'number' && Number.isFinite(closedAt) ? closedAt : null,
    records,
  };
}

/** Every readable check-in, oldest first (by date, then opening time, then id). */
export function readCheckins(doc: Y.Doc): Checkin[] {
  const result: Checkin[] = [];
  for (const [id, value] of doc.getMap(CHECKINS_ROOT).entries()) {
    const checkin = readOne(id, value);
    if (checkin) result.push(checkin);
  }
  return result.sort(
    (a, b) =>
      (a.date < b.date ? -1 : a.date > b.date ? 1 : 0) ||
      a.openedAt - b.openedAt ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
}

/** The open check-in, if any (the latest opened, should a document hold several). */
export function openCheckin(checkins: readonly Checkin[]): Checkin | null {
  let open: Checkin | null = null;
  for (const checkin of checkins) {
    if (checkin.closedAt === null && (!open || checkin.openedAt >= open.openedAt)) open = checkin;
  }
  return open;
}

/**
 * Opens a check-in (the server's command). One is open at a time: an open one is closed first.
 * Throws `bad_request` for a date that is not a calendar day or a label too long.
 */
export function startCheckin(
  doc: Y.Doc,
  input: { date: string; label?: string },
  origin: unknown = null,
  now: number = Date.now(),
): string {
  if (!isIsoDate(input.date)) throw new AppError('bad_request', 'date must be a day (YYYY-MM-DD).');
  const label = (input.label ?? '').trim();
  if (label.length > CHECKIN_LABEL_MAX) {
    throw new AppError('bad_request', `label is limited to ${CHECKIN_LABEL_MAX} characters.`);
  }
  const id = newId();
  const root = doc.getMap(CHECKINS_ROOT);
  doc.transact(() => {
    for (const checkin of readCheckins(doc)) {
      if (checkin.closedAt !== null) continue;
      const item = root.get(checkin.id);
      if (item instanceof Y.Map) item.set('closedAt', now);
    }
    const item = new Y.Map<unknown>();
    item.set('id', id);
    item.set('date', input.date);
    item.set('label', label);
    item.set('openedAt', now);
    item.set('closedAt', null);
    item.set('records', new Y.Map<unknown>());
    root.set(id, item);
  }, origin);
  return id;
}

function openItem(doc: Y.Doc, checkinId: string): Y.Map<unknown> {
  const checkin = isId(checkinId) ? readOne(checkinId, doc.getMap(CHECKINS_ROOT).get(checkinId)) : null;
  if (!checkin) throw new AppError('not_found', 'There is no such check-in on this board.');
  if (checkin.closedAt !== null) throw new AppError('checkin_closed', 'This check-in is closed.');
  return doc.getMap(CHECKINS_ROOT).get(checkinId) as Y.Map<unknown>;
}

/** Closes an open check-in: `not_found` if there is none such, `checkin_closed` if closed already. */
export function closeCheckin(
  doc: Y.Doc,
  checkinId: string,
  origin: unknown = null,
  now: number = Date.now(),
): void {
  const item = openItem(doc, checkinId);
  doc.transact(() => item.set('closedAt', now), origin);
}

/**
 * Records (or replaces) one goal's value in an open check-in. The caller has checked that the goal
 * is agreed; here the values are checked: a finite number within ±MAX_CHECKIN_VALUE, a known
 * confidence, a note of at most CHECKIN_NOTE_MAX characters (`bad_request` otherwise).
 */
export function recordCheckin(
  doc: Y.Doc,
  input: { checkinId: string; goalId: string; current: number; confidence: string; note?: string },
  by: string,
  origin: unknown = null,
  now: number = Date.now(),
): void {
  if (!isId(input.goalId)) throw new AppError('unknown_goal', 'There is no such goal on this board.');
  if (!isCheckinValue(input.current)) {
    throw new AppError('bad_request', `current must be a number between ±${MAX_CHECKIN_VALUE}.`);
  }
  if (!isConfidence(input.confidence)) {
    throw new AppError('bad_request', 'confidence must be on-track, at-risk or off-track.');
  }
  const note = (input.note ?? '').trim();
  if (note.length > CHECKIN_NOTE_MAX) {
    throw new AppError('bad_request', `note is limited to ${CHECKIN_NOTE_MAX} characters.`);
  }
  const item = openItem(doc, input.checkinId);
  doc.transact(() => {
    let records = item.get('records');
    if (!(records instanceof Y.Map)) {
      records = new Y.Map<unknown>();
      item.set('records', records);
    }
    const record = new Y.Map<unknown>();
    record.set('current', input.current);
    record.set('confidence', input.confidence);
    record.set('note', note);
    record.set('by', isId(by) ? by : '');
    record.set('at', now);
    (records as Y.Map<unknown>).set(input.goalId, record);
  }, origin);
}

/** The first number written in a goal's baseline or target ("12 %", "≈ 3,5 h"), or null. */
export function numberIn(text: string): number | null {
  const match = /-?\d+(?:[.,]\d+)?/.exec(text.replace(/[\s\u00a0\u202f]/g, ''));
  if (!match) return null;
  const value = Number(match[0].replace(',', '.'));
  return Number.isFinite(value) ? value : null;
}

/** One goal's history across check-ins, oldest first (check-ins without a record of it skipped). */
export function goalHistory(
  checkins: readonly Checkin[],
  goalId: string,
): Array<{ checkin: Checkin; record: CheckinRecord }> {
  const history: Array<{ checkin: Checkin; record: CheckinRecord }> = [];
  for (const checkin of checkins) {
    const record = checkin.records[goalId];
    if (record) history.push({ checkin, record });
  }
  return history;
}
