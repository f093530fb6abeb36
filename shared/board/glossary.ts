/**
 * The metric glossary (docs/product.md#metric-glossary): what each metric the team reports really
 * means. An entry of the `glossary` root is `{id, name, definition, formula, owner, createdAt}`, its
 * four texts `Y.Text`s; a goal links its metric to an entry by `metricId` and keeps its free-text
 * `metric` beside it for the readers that know only that (docs/sync.md#challenges-and-glossary).
 */
import * as Y from 'yjs';
import { AppError } from '../errors';
import { isId, newId } from '../ids';
import { cleanText, newItem } from './commands';
import { LIMIT, ROOT } from './layout';
import { newText, textOf, writeText } from './text';

export const GLOSSARY_FIELDS = ['name', 'definition', 'formula', 'owner'] as const;
export type GlossaryField = (typeof GLOSSARY_FIELDS)[number];

export interface GlossaryEntry {
  id: string;
  name: string;
  /** What the number counts, precisely: '' while nobody has written it. */
  definition: string;
  /** How it is computed, or where it is read. */
  formula: string;
  /** Who keeps the definition and reports the number. */
  owner: string;
  createdAt: number;
}

/** What a goal's metric is defined as, carried by the exports. */
export type MetricDefinition = Pick<GlossaryEntry, GlossaryField>;

function cleanFields(fields: Partial<Record<GlossaryField, string>>): Partial<Record<GlossaryField, string>> {
  const cleaned: Partial<Record<GlossaryField, string>> = {};
  for (const field of GLOSSARY_FIELDS) {
    const value = fields[field];
    if (value === undefined) continue;
    if (typeof value !== 'string') throw new AppError('bad_request', `${field} must be text.`);
    if (field === 'name') {
      cleaned.name = cleanText(value);
      continue;
    }
    const trimmed = value.trim();
    if (trimmed.length > LIMIT.text)
      throw new AppError('too_large', `${field} is limited to ${LIMIT.text} characters.`);
    cleaned[field] = trimmed;
  }
  return cleaned;
}

/** Entries by name (case and accents aside), then creation; one without a name is skipped. */
export function readGlossary(doc: Y.Doc): GlossaryEntry[] {
  const result: GlossaryEntry[] = [];
  for (const [id, item] of doc.getMap(ROOT.glossary).entries()) {
    if (!isId(id) || !(item instanceof Y.Map)) continue;
    const entry = item as Y.Map<unknown>;
    const name = textOf(entry.get('name'))?.slice(0, LIMIT.text);
    if (name === undefined || name.trim() === '') continue;
    const field = (key: GlossaryField): string => textOf(entry.get(key))?.slice(0, LIMIT.text) ?? '';
    const createdAt = entry.get('createdAt');
    result.push({
      id,
      name,
      definition: field('definition'),
      formula: field('formula'),
      owner: field('owner'),
      createdAt: typeof createdAt === 'number' && Number.isFinite(createdAt) ? createdAt : 0,
    });
  }
  const collator = new Intl.Collator(undefined, { sensitivity: 'base' });
  return result.sort(
    (a, b) => collator.compare(a.name, b.name) || a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1),
  );
}

export function addGlossaryEntry(
  doc: Y.Doc,
  fields: Partial<Record<GlossaryField, string>> & { name: string },
  origin: unknown = null,
  now: number = Date.now(),
): string {
  const cleaned = cleanFields(fields);
  const id = newId();
  doc.transact(() => {
    doc.getMap(ROOT.glossary).set(
      id,
      newItem({
        id,
        name: newText(cleaned.name ?? ''),
        definition: newText(cleaned.definition ?? ''),
        formula: newText(cleaned.formula ?? ''),
        owner: newText(cleaned.owner ?? ''),
        createdAt: now,
      }),
    );
  }, origin);
  return id;
}

export function updateGlossaryEntry(
  doc: Y.Doc,
  id: string,
  fields: Partial<Record<GlossaryField, string>>,
  origin: unknown = null,
): void {
  const cleaned = cleanFields(fields);
  doc.transact(() => {
    for (const field of GLOSSARY_FIELDS) {
      const value = cleaned[field];
      if (value !== undefined) writeText(doc, { root: ROOT.glossary, id, field }, value, origin);
    }
  }, origin);
}

/** Deletes an entry and unlinks the goals that picked it (their free-text metric stays). */
export function deleteGlossaryEntry(doc: Y.Doc, id: string, origin: unknown = null): void {
  doc.transact(() => {
    doc.getMap(ROOT.glossary).delete(id);
    for (const [, goal] of doc.getMap(ROOT.goals).entries()) {
      if (goal instanceof Y.Map && goal.get('metricId') === id) goal.set('metricId', null);
    }
  }, origin);
}

/**
 * Links a goal's metric to an entry (null: unlinks). The goal's free-text `metric` takes the
 * entry's name, so readers that know only `metric` read the same metric.
 */
export function setGoalMetric(
  doc: Y.Doc,
  goalId: string,
  entryId: string | null,
  origin: unknown = null,
): void {
  if (!isId(goalId) || (entryId !== null && !isId(entryId))) {
    throw new AppError('bad_request', 'Unknown goal or glossary entry.');
  }
  doc.transact(() => {
    const goal = doc.getMap(ROOT.goals).get(goalId);
    if (!(goal instanceof Y.Map)) return;
    if (entryId === null) {
      if (goal.get('metricId') !== undefined && goal.get('metricId') !== null) goal.set('metricId', null);
      return;
    }
    const entry = readGlossary(doc).find((candidate) => candidate.id === entryId);
    if (!entry) throw new AppError('not_found', 'No such glossary entry.');
    goal.set('metricId', entryId);
    writeText(doc, { root: ROOT.goals, id: goalId, field: 'metric' }, entry.name, origin);
  }, origin);
}

/** Per goal id, the glossary entry its metric links to (existing entries only). */
export function readGoalMetrics(doc: Y.Doc): Map<string, GlossaryEntry> {
  const entries = new Map(readGlossary(doc).map((entry) => [entry.id, entry]));
  const result = new Map<string, GlossaryEntry>();
  for (const [goalId, goal] of doc.getMap(ROOT.goals).entries()) {
    if (!isId(goalId) || !(goal instanceof Y.Map)) continue;
    const metricId: unknown = (goal as Y.Map<unknown>).get('metricId');
    const entry = isId(metricId) ? entries.get(metricId) : undefined;
    if (entry) result.set(goalId, entry);
  }
  return result;
}

/**
 * docs/product.md#metric-glossary: a goal whose metric has no definition is incomplete — its metric
 * is not linked to an entry, or the entry's definition is empty. A goal with no metric at all is
 * the measurable-goal hint's business (isGoalComplete), not this one's.
 */
export function metricLacksDefinition(goal: { metric: string }, entry: GlossaryEntry | undefined): boolean {
  if (goal.metric.trim() === '') return false;
  return entry === undefined || entry.definition.trim() === '';
}

/** The exported form of an entry (docs/export.md#additive-fields). */
export function metricDefinition(entry: GlossaryEntry): MetricDefinition {
  return { name: entry.name, definition: entry.definition, formula: entry.formula, owner: entry.owner };
}
