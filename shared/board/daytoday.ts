/**
 * The day-to-day map (docs/product.md#phases phase 2, docs/product.md#day-to-day "Day-to-day"): which hats each person wears, how long
 * (or how often) the recurring tasks take them, and the team's load summed from those answers.
 *
 * Layout (docs/sync.md#document-layout). Hats are the `hats` items `{id, label, order}`, plus `added: true` on those
 * added on the board. Recurring tasks are the `questions` of section 'day-to-day', with
 * `kind: 'duration' | 'frequency'` (does the question ask how long, or how often). What each
 * person answers lives in one root, one entry per person:
 *
 *   workload: Y.Map<participantId, Y.Map {
 *     hats:      Y.Map<hatId, true>,
 *     estimates: Y.Map<questionId, Y.Map {amount, unit, per}     (a duration task)
 *                                | Y.Map {times, per}>           (a frequency task)
 *   }>
 *   amount: 0..10 000 of unit 'minutes' | 'hours'; times: 0..1 000; per: 'day' | 'week' | 'month'
 *
 * Why per person rather than a `wornBy` map inside each hat: a nested map is created by whoever
 * writes into it first, and when two people create the same one at once Yjs keeps one map and
 * drops the other, with the write inside it. Hats and questions of boards made before this map
 * (and questions added later) have no such map, so two people's first answers would collide. A
 * person's entry is only ever written by that person, so different people never touch one key.
 * An estimate is replaced whole, so two devices never mix one's amount with the other's unit.
 *
 * Names are not stored: the interface shows them from the session plane. Nothing here is
 * anonymous, and is not meant to be (the anonymous check-in is the pulse, docs/product.md#team-pulse).
 */
import * as Y from 'yjs';
import { AppError } from '../errors';
import { isId, newId } from '../ids';
import { cleanText, newItem } from './commands';
import { LIMIT, ROOT, type Hat, type TemplateId } from './layout';
import { keyBetween } from './order';
import { readHats, readMeta, readQuestions } from './read';
import { newText, textOf } from './text';

/** The root holding each person's hats and estimates (see the header). */
export const WORKLOAD_ROOT = ROOT.workload;

export const TASK_KINDS = ['duration', 'frequency'] as const;
export type TaskKind = (typeof TASK_KINDS)[number];

export const DURATION_UNITS = ['minutes', 'hours'] as const;
export type DurationUnit = (typeof DURATION_UNITS)[number];

export const PERIODS = ['day', 'week', 'month'] as const;
export type Period = (typeof PERIODS)[number];

/** Bounds of an answer: minutes or hours per period, and times per period. */
export const ESTIMATE_MAX = { amount: 10_000, times: 1_000 } as const;

/** A task done every day is done on each working day: five a week. */
export const WORK_DAYS_PER_WEEK = 5;
/** 52 weeks in 12 months. */
export const WEEKS_PER_MONTH = 52 / 12;

const PER_WEEK: Record<Period, number> = { day: WORK_DAYS_PER_WEEK, week: 1, month: 1 / WEEKS_PER_MONTH };

/** In the kickoff template (docs/product.md#day-to-day) the third recurring-task question asks how often. */
export const KICKOFF_FREQUENCY_TASK_INDEX = 2;

/** The kind the template writes for its `index`-th recurring-task question. */
export function templateTaskKind(template: TemplateId, index: number): TaskKind {
  return template === 'social-kickoff' && index === KICKOFF_FREQUENCY_TASK_INDEX ? 'frequency' : 'duration';
}

export interface DurationEstimate {
  amount: number;
  unit: DurationUnit;
  per: Period;
}

export interface FrequencyEstimate {
  times: number;
  per: Period;
}

export type Estimate = DurationEstimate | FrequencyEstimate;

export interface Answer<E extends Estimate> {
  participantId: string;
  estimate: E;
}

interface TaskBase {
  id: string;
  text: string;
  order: string;
}

export interface DurationTask extends TaskBase {
  kind: 'duration';
  /** One per person, by participant id. */
  answers: Answer<DurationEstimate>[];
}

export interface FrequencyTask extends TaskBase {
  kind: 'frequency';
  answers: Answer<FrequencyEstimate>[];
}

export type Task = DurationTask | FrequencyTask;

export interface WornHat extends Hat {
  /** Participant ids, sorted. */
  wornBy: string[];
}

// ---- reading (content is untrusted: malformed entries are skipped, numbers bounded) ----

type Item = Y.Map<unknown>;

function oneOf<T extends string>(value: unknown, allowed: readonly T[]): T | null {
  return typeof value === 'string' && (allowed as readonly string[]).includes(value) ? (value as T) : null;
}

function bounded(value: unknown, max: number): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? Math.min(Math.max(value, 0), max) : null;
}

function mapIn(parent: Item, key: string): Item | null {
  const value = parent.get(key);
  return value instanceof Y.Map ? (value as Item) : null;
}

/** Each person's entry, by participant id. */
function* people(doc: Y.Doc): Generator<[string, Item]> {
  for (const [id, value] of doc.getMap(WORKLOAD_ROOT).entries()) {
    if (isId(id) && value instanceof Y.Map) yield [id, value as Item];
  }
}

function byId(a: { participantId: string }, b: { participantId: string }): number {
  return a.participantId < b.participantId ? -1 : a.participantId > b.participantId ? 1 : 0;
}

function readDuration(item: Item): DurationEstimate | null {
  const amount = bounded(item.get('amount'), ESTIMATE_MAX.amount);
  const unit = oneOf(item.get('unit'), DURATION_UNITS);
  const per = oneOf(item.get('per'), PERIODS);
  return amount === null || unit === null || per === null ? null : { amount, unit, per };
}

function readFrequency(item: Item): FrequencyEstimate | null {
  const times = bounded(item.get('times'), ESTIMATE_MAX.times);
  const per = oneOf(item.get('per'), PERIODS);
  return times === null || per === null ? null : { times, per };
}

const FREQUENCY_WORDING = /\boften\b|\bfrequen|fréquen|combien de fois|how many times/i;
const DURATION_WORDING = /how long|combien de temps/i;

/**
 * Whether a question asks how long or how often. Boards made before `kind` existed have none:
 * the wording decides, then the kickoff template's own rule (its third question asks how often).
 */
function kindOf(stored: unknown, text: string, template: TemplateId, index: number): TaskKind {
  const kind = oneOf(stored, TASK_KINDS);
  if (kind !== null) return kind;
  if (FREQUENCY_WORDING.test(text)) return 'frequency';
  if (DURATION_WORDING.test(text)) return 'duration';
  return templateTaskKind(template, index);
}

/** The `kind` of every day-to-day question, in display order. */
function readTaskKinds(doc: Y.Doc): Array<{ id: string; text: string; order: string; kind: TaskKind }> {
  const { template } = readMeta(doc);
  const items = doc.getMap(ROOT.questions);
  return readQuestions(doc, 'day-to-day').map((question, index) => {
    const item = items.get(question.id);
    const stored = item instanceof Y.Map ? (item as Item).get('kind') : undefined;
    const { id, text, order } = question;
    return { id, text, order, kind: kindOf(stored, text, template, index) };
  });
}

/** The hats in display order, each with who wears it. */
export function readWornHats(doc: Y.Doc): WornHat[] {
  const hats = readHats(doc);
  const wearers = new Map<string, string[]>(hats.map((hat) => [hat.id, []]));
  for (const [participantId, person] of people(doc)) {
    const worn = mapIn(person, 'hats');
    if (!worn) continue;
    for (const [hatId, value] of worn.entries()) {
      if (value === true) wearers.get(hatId)?.push(participantId);
    }
  }
  return hats.map((hat) => ({ ...hat, wornBy: (wearers.get(hat.id) ?? []).sort() }));
}

/** The recurring-task questions in display order, each with everyone's answers. */
export function readTasks(doc: Y.Doc): Task[] {
  const tasks: Task[] = readTaskKinds(doc).map((task) => ({ ...task, answers: [] }));
  const byQuestion = new Map(tasks.map((task) => [task.id, task]));
  for (const [participantId, person] of people(doc)) {
    const estimates = mapIn(person, 'estimates');
    if (!estimates) continue;
    for (const [questionId, value] of estimates.entries()) {
      const task = byQuestion.get(questionId);
      if (!task || !(value instanceof Y.Map)) continue;
      if (task.kind === 'duration') {
        const estimate = readDuration(value as Item);
        if (estimate) task.answers.push({ participantId, estimate });
      } else {
        const estimate = readFrequency(value as Item);
        if (estimate) task.answers.push({ participantId, estimate });
      }
    }
  }
  for (const task of tasks) task.answers.sort(byId);
  return tasks;
}

/** The answer of one person to one task, or null. */
export function answerOf<E extends Estimate>(
  task: { answers: readonly Answer<E>[] },
  participantId: string,
): E | null {
  return task.answers.find((answer) => answer.participantId === participantId)?.estimate ?? null;
}

// ---- the team's load ----

/** A duration in hours per working week. */
export function hoursPerWeek(estimate: DurationEstimate): number {
  const hours = estimate.unit === 'minutes' ? estimate.amount / 60 : estimate.amount;
  return hours * PER_WEEK[estimate.per];
}

/** A frequency in times per working week. */
export function timesPerWeek(estimate: FrequencyEstimate): number {
  return estimate.times * PER_WEEK[estimate.per];
}

export interface TaskLoad {
  task: Task;
  answered: number;
  /** The team's total per week: hours for a duration task, times for a frequency task. */
  perWeek: number;
  /** The mean answer per week; null while nobody has answered. */
  averagePerWeek: number | null;
}

export interface PersonLoad {
  participantId: string;
  /** The hats this person wears, in display order. */
  hats: Hat[];
  /** The duration tasks this person answered, summed in hours per week. */
  hoursPerWeek: number;
}

export interface LoadSummary {
  /** Most hats first, then most hours, then by id. */
  people: PersonLoad[];
  /**
   * Tasks someone answered first; among them the duration tasks by hours per week (most first),
   * then the frequency tasks by times per week; ties and unanswered tasks in display order.
   */
  tasks: TaskLoad[];
}

function perWeekOf(task: Task): number[] {
  return task.kind === 'duration'
    ? task.answers.map((answer) => hoursPerWeek(answer.estimate))
    : task.answers.map((answer) => timesPerWeek(answer.estimate));
}

/** Who carries what, from the readers' results (pure: no document). */
export function summariseLoad(hats: readonly WornHat[], tasks: readonly Task[]): LoadSummary {
  const people = new Map<string, PersonLoad>();
  const person = (participantId: string): PersonLoad => {
    let entry = people.get(participantId);
    if (!entry) {
      entry = { participantId, hats: [], hoursPerWeek: 0 };
      people.set(participantId, entry);
    }
    return entry;
  };
  for (const { wornBy, ...hat } of hats) for (const id of wornBy) person(id).hats.push(hat);
  for (const task of tasks) {
    if (task.kind === 'duration') {
      for (const { participantId, estimate } of task.answers) {
        person(participantId).hoursPerWeek += hoursPerWeek(estimate);
      }
    } else {
      for (const { participantId } of task.answers) person(participantId);
    }
  }

  const loads = tasks.map((task, index): TaskLoad & { index: number } => {
    const values = perWeekOf(task);
    const perWeek = values.reduce((sum, value) => sum + value, 0);
    const averagePerWeek = values.length === 0 ? null : perWeek / values.length;
    return { task, answered: values.length, perWeek, averagePerWeek, index };
  });
  loads.sort(
    (a, b) =>
      Number(b.answered > 0) - Number(a.answered > 0) ||
      (a.answered === 0 ? 0 : Number(b.task.kind === 'duration') - Number(a.task.kind === 'duration')) ||
      b.perWeek - a.perWeek ||
      a.index - b.index,
  );

  return {
    people: [...people.values()].sort(
      (a, b) =>
        b.hats.length - a.hats.length ||
        b.hoursPerWeek - a.hoursPerWeek ||
        (a.participantId < b.participantId ? -1 : 1),
    ),
    tasks: loads.map(({ index: _index, ...load }) => load),
  };
}

// ---- commands: each one gesture, one transaction with the caller's origin ----

/** My entry, with both its maps; made on my first answer (only I ever write under my id). */
function myEntry(doc: Y.Doc, participantId: string): { hats: Item; estimates: Item } {
  const root = doc.getMap(WORKLOAD_ROOT);
  let person = root.get(participantId);
  if (!(person instanceof Y.Map)) {
    person = new Y.Map<unknown>();
    root.set(participantId, person);
  }
  const entry = person as Item;
  const child = (key: string): Item => {
    const existing = mapIn(entry, key);
    if (existing) return existing;
    const created = new Y.Map<unknown>();
    entry.set(key, created);
    return created;
  };
  return { hats: child('hats'), estimates: child('estimates') };
}

function requireParticipant(participantId: string): void {
  if (!isId(participantId)) throw new AppError('bad_request', 'Unknown participant.');
}

function hasHat(doc: Y.Doc, hatId: string): boolean {
  const item = isId(hatId) ? doc.getMap(ROOT.hats).get(hatId) : undefined;
  return item instanceof Y.Map && textOf(item.get('label')) !== null;
}

/** Puts a hat on, or takes it off; returns whether the person now wears it. */
export function toggleHat(doc: Y.Doc, hatId: string, participantId: string, origin: unknown = null): boolean {
  requireParticipant(participantId);
  if (!hasHat(doc, hatId)) throw new AppError('bad_request', 'Unknown hat.');
  let worn = false;
  doc.transact(() => {
    const { hats } = myEntry(doc, participantId);
    worn = hats.get(hatId) !== true;
    if (worn) hats.set(hatId, true);
    else hats.delete(hatId);
  }, origin);
  return worn;
}

function sameLabel(a: string, b: string): boolean {
  return a.normalize('NFC').toLocaleLowerCase() === b.normalize('NFC').toLocaleLowerCase();
}

/**
 * Adds a hat of the team's own (the article's list ends with "etc."), after the others. A label
 * already on the board (case aside) is not added twice: its hat's id is returned.
 */
export function addHat(doc: Y.Doc, label: string, origin: unknown = null): string {
  const cleaned = cleanText(label, LIMIT.title);
  const hats = readHats(doc);
  const existing = hats.find((hat) => sameLabel(hat.label, cleaned));
  if (existing) return existing.id;
  const id = newId();
  doc.transact(() => {
    const last = hats.reduce<string | null>((max, hat) => (hat.order > (max ?? '') ? hat.order : max), null);
    doc
      .getMap(ROOT.hats)
      .set(id, newItem({ id, label: newText(cleaned), order: keyBetween(last, null), added: true }));
  }, origin);
  return id;
}

/**
 * Takes a hat someone added off the board again, e.g. one added with a typo. Not one of the
 * template's (the article's list), and only while nobody wears it: removing a worn hat would erase
 * someone's answer. Someone putting it on at the same instant elsewhere is harmless: a worn hat
 * that no longer exists is not read.
 */
export function removeHat(doc: Y.Doc, hatId: string, origin: unknown = null): void {
  const hat = hasHat(doc, hatId) ? readWornHats(doc).find((candidate) => candidate.id === hatId) : undefined;
  if (!hat) throw new AppError('bad_request', 'Unknown hat.');
  if (!hat.added) throw new AppError('bad_request', 'The template’s hats stay on the board.');
  if (hat.wornBy.length > 0)
    throw new AppError('bad_request', 'Someone wears this hat: it cannot be removed.');
  doc.transact(() => doc.getMap(ROOT.hats).delete(hatId), origin);
}

function finite(value: unknown, max: number, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > max) {
    throw new AppError('bad_request', `${field} must be a number from 0 to ${max}.`);
  }
  return value;
}

/** Checks an answer against the kind of its task; returns only the fields that are stored. */
export function cleanEstimate(kind: TaskKind, estimate: Estimate): Estimate {
  const fields = estimate as Partial<DurationEstimate & FrequencyEstimate>;
  const per = oneOf(fields.per, PERIODS);
  if (per === null) throw new AppError('bad_request', 'per must be day, week or month.');
  if (kind === 'frequency') return { times: finite(fields.times, ESTIMATE_MAX.times, 'times'), per };
  const unit = oneOf(fields.unit, DURATION_UNITS);
  if (unit === null) throw new AppError('bad_request', 'unit must be minutes or hours.');
  return { amount: finite(fields.amount, ESTIMATE_MAX.amount, 'amount'), unit, per };
}

/** Sets (or, with null, removes) one person's answer to one recurring-task question. */
export function setEstimate(
  doc: Y.Doc,
  questionId: string,
  participantId: string,
  estimate: Estimate | null,
  origin: unknown = null,
): void {
  requireParticipant(participantId);
  const task = readTaskKinds(doc).find((candidate) => candidate.id === questionId);
  if (!task) throw new AppError('bad_request', 'Unknown task.');
  const fields = estimate === null ? null : cleanEstimate(task.kind, estimate);
  const person = doc.getMap(WORKLOAD_ROOT).get(participantId);
  if (fields === null && !(person instanceof Y.Map)) return;
  doc.transact(() => {
    const { estimates } = myEntry(doc, participantId);
    if (fields === null) {
      estimates.delete(questionId);
      return;
    }
    const current = estimates.get(questionId);
    const unchanged =
      current instanceof Y.Map &&
      current.size === Object.keys(fields).length &&
      Object.entries(fields).every(([key, value]) => current.get(key) === value);
    if (!unchanged) estimates.set(questionId, newItem({ ...fields }));
  }, origin);
}

/** Adds a recurring-task question (the facilitator's, like every question) after the others. */
export function addTask(doc: Y.Doc, input: { text: string; kind: TaskKind }, origin: unknown = null): string {
  const text = cleanText(input.text);
  const kind = oneOf(input.kind, TASK_KINDS);
  if (kind === null) throw new AppError('bad_request', 'kind must be duration or frequency.');
  const id = newId();
  doc.transact(() => {
    const orders = readQuestions(doc).map((question) => question.order);
    const last = orders.reduce<string | null>((max, order) => (order > (max ?? '') ? order : max), null);
    doc
      .getMap(ROOT.questions)
      .set(
        id,
        newItem({ id, text: newText(text), section: 'day-to-day', order: keyBetween(last, null), kind }),
      );
  }, origin);
  return id;
}
