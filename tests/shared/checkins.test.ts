/**
 * Check-ins in the document and in every export (docs/sync.md#check-ins,
 * docs/export.md#check-in-fields): the commands and readers, garbage in the document, the goals
 * export and the board file against their shipped JSON Schemas, and the Markdown and CSV.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import shippedBoardSchema from '../../shared/export/board-1.schema.json' with { type: 'json' };
import { addGoal, readCommitments, readGoals, writeTemplate } from '../../shared/board';
import {
  CHECKINS_ROOT,
  closeCheckin,
  numberIn,
  openCheckin,
  readCheckins,
  recordCheckin,
  startCheckin,
} from '../../shared/board/checkins';
import { AppError } from '../../shared/errors';
import { buildBoardFile } from '../../shared/export/board-file';
import { toCsv } from '../../shared/export/csv';
import { buildGoalsExport, type ExportInput } from '../../shared/export/goals-export';
import { toMarkdown } from '../../shared/export/markdown';
import { buildSummary, readSummaryContent, type Summary } from '../../shared/export/summary';
import { newId } from '../../shared/ids';
import { exportValidator } from '../helpers/export-schema';
import { readBoardFileContent } from '../../shared/export/board-file-content';

const NOW = new Date('2027-01-20T10:00:00.000Z');
const ANA = newId();

function board(): { doc: Y.Doc; grow: string; reach: string } {
  const doc = new Y.Doc();
  writeTemplate(doc, { title: 'Kickoff', locale: 'en', template: 'blank', createdAt: 1 });
  const grow = addGoal(
    doc,
    { title: 'Grow', metric: 'Followers', baseline: '1 000', target: '5 000' },
    ANA,
    null,
    100,
  );
  const reach = addGoal(doc, { title: 'Reach', metric: 'Views' }, ANA, null, 200);
  return { doc, grow, reach };
}

function code(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof AppError) return error.code;
    throw error;
  }
  return 'none';
}

function exportInput(doc: Y.Doc, agreed: string[]): ExportInput {
  return {
    board: { id: newId(), title: 'Kickoff', url: 'https://atelier.example/b/x' },
    goals: readGoals(doc),
    votes: {},
    voting: { open: false, revealed: true, votesPerPerson: 5, maxPerItem: 3 },
    agreed,
    commitments: readCommitments(doc),
    nextCheckIn: null,
    checkins: readCheckins(doc),
    showVotes: true,
    status: 'all',
    now: NOW,
  };
}

function summaryOf(doc: Y.Doc, agreed: string[], locale: 'en' | 'fr' = 'en'): Summary {
  doc.getMap('meta').set('locale', locale);
  return buildSummary({
    board: { id: newId(), url: 'https://atelier.example/b/x' },
    content: readSummaryContent(doc),
    participants: [{ id: ANA, name: 'Ana' }],
    votes: {},
    voting: { open: false, revealed: true, votesPerPerson: 5, maxPerItem: 3 },
    agreed,
    showVotes: true,
    status: 'agreed',
    pulse: { average: null, distribution: null, helps: null, shownCount: null },
    now: NOW,
  });
}

/** A board with two check-ins: the first closed with a record of Grow, the second open with one of each. */
function withCheckins(): { doc: Y.Doc; grow: string; reach: string; first: string; second: string } {
  const { doc, grow, reach } = board();
  const first = startCheckin(doc, { date: '2027-01-15', label: '30 days' }, null, 1_000);
  recordCheckin(
    doc,
    { checkinId: first, goalId: grow, current: 1500, confidence: 'on-track' },
    ANA,
    null,
    1_100,
  );
  const second = startCheckin(doc, { date: '2027-02-15', label: '' }, null, 2_000);
  recordCheckin(
    doc,
    { checkinId: second, goalId: grow, current: 1800.25, confidence: 'at-risk', note: 'slower *growth*' },
    ANA,
    null,
    2_100,
  );
  recordCheckin(
    doc,
    { checkinId: second, goalId: reach, current: -3, confidence: 'off-track' },
    ANA,
    null,
    2_200,
  );
  return { doc, grow, reach, first, second };
}

describe('check-in commands and readers', () => {
  it('[sync#check-ins] start, record, replace and close; starting the next one closes the open one', () => {
    const { doc, grow } = board();
    expect(readCheckins(doc)).toEqual([]);
    const id = startCheckin(doc, { date: '2027-01-15', label: ' 30 days ' }, null, 1_000);
    recordCheckin(
      doc,
      { checkinId: id, goalId: grow, current: 1200, confidence: 'at-risk', note: ' hm ' },
      ANA,
      null,
      1_500,
    );
    recordCheckin(
      doc,
      { checkinId: id, goalId: grow, current: 1300, confidence: 'on-track' },
      ANA,
      null,
      1_600,
    );
    expect(readCheckins(doc)).toEqual([
      {
        id,
        date: '2027-01-15',
        label: '30 days',
        openedAt: 1_000,
        closedAt: null,
        records: {
          [grow]: { goalId: grow, current: 1300, confidence: 'on-track', note: '', by: ANA, at: 1_600 },
        },
      },
    ]);
    const next = startCheckin(doc, { date: '2027-02-15' }, null, 2_000);
    expect(readCheckins(doc).map((c) => [c.id, c.closedAt])).toEqual([
      [id, 2_000],
      [next, null],
    ]);
    expect(openCheckin(readCheckins(doc))?.id).toBe(next);
    closeCheckin(doc, next, null, 3_000);
    expect(openCheckin(readCheckins(doc))).toBeNull();
  });

  it('[session#check-ins] refuses bad values with clear codes and writes nothing', () => {
    const { doc, grow } = board();
    const id = startCheckin(doc, { date: '2027-01-15' });
    const before = Y.encodeStateVector(doc);
    const record = { checkinId: id, goalId: grow, current: 1, confidence: 'on-track' };
    expect(code(() => recordCheckin(doc, { ...record, current: Number.NaN }, ANA))).toBe('bad_request');
    expect(code(() => recordCheckin(doc, { ...record, current: 2e12 }, ANA))).toBe('bad_request');
    expect(code(() => recordCheckin(doc, { ...record, confidence: 'fine' }, ANA))).toBe('bad_request');
    expect(code(() => recordCheckin(doc, { ...record, note: 'x'.repeat(501) }, ANA))).toBe('bad_request');
    expect(code(() => recordCheckin(doc, { ...record, checkinId: newId() }, ANA))).toBe('not_found');
    expect(code(() => recordCheckin(doc, { ...record, goalId: '__proto__' }, ANA))).toBe('unknown_goal');
    expect(code(() => startCheckin(doc, { date: '2027-02-29' }))).toBe('bad_request');
    expect(code(() => startCheckin(doc, { date: '2027-01-15', label: 'x'.repeat(121) }))).toBe('bad_request');
    expect(Y.encodeStateVector(doc)).toEqual(before);
    closeCheckin(doc, id);
    expect(code(() => recordCheckin(doc, record, ANA))).toBe('checkin_closed');
    expect(code(() => closeCheckin(doc, id))).toBe('checkin_closed');
  });

  it('[errors#document-content] readers skip garbage in the root and never throw', () => {
    const { doc, grow } = withCheckins();
    const root = doc.getMap(CHECKINS_ROOT);
    root.set('not an id!', new Y.Map());
    root.set(newId(), 'a string');
    const noDate = new Y.Map<unknown>();
    noDate.set('date', '2027-13-40');
    root.set(newId(), noDate);
    const odd = new Y.Map<unknown>();
    odd.set('date', '2027-03-01');
    odd.set('label', 42);
    odd.set('openedAt', 'soon');
    odd.set('closedAt', 'never');
    odd.set('records', 'none');
    const oddId = newId();
    root.set(oddId, odd);
    const messy = new Y.Map<unknown>();
    messy.set('date', '2027-04-01');
    const records = new Y.Map<unknown>();
    const infinite = new Y.Map<unknown>();
    infinite.set('current', Infinity);
    infinite.set('confidence', 'on-track');
    records.set(grow, infinite);
    const unknownConfidence = new Y.Map<unknown>();
    unknownConfidence.set('current', 3);
    unknownConfidence.set('confidence', 'great');
    records.set(newId(), unknownConfidence);
    records.set('__proto__', new Y.Map());
    messy.set('records', records);
    const messyId = newId();
    root.set(messyId, messy);

    const read = readCheckins(doc);
    expect(read).toHaveLength(4);
    expect(read.find((c) => c.id === oddId)).toEqual({
      id: oddId,
      date: '2027-03-01',
      label: '',
      openedAt: 0,
      closedAt: null,
      records: {},
    });
    expect(read.find((c) => c.id === messyId)?.records).toEqual({});
    // The exports read the same, without failing.
    expect(() => toMarkdown(summaryOf(doc, [grow]), 'en')).not.toThrow();
  });

  it('[product#check-ins] reads the number in a baseline or target for the chart', () => {
    expect(numberIn('1 000 followers')).toBe(1000);
    expect(numberIn('≈ 3,5 h')).toBe(3.5);
    expect(numberIn('-2 %')).toBe(-2);
    expect(numberIn('three personas')).toBeNull();
  });
});

describe('check-ins in the exports', () => {
  const validateGoals = exportValidator();
  const validateBoard = exportValidator(shippedBoardSchema);

  it('[export#check-in-fields] [export#additive-fields] the goals export lists the check-ins and each goal’s records, valid against its schema, still @1', () => {
    const { doc, grow, reach, first, second } = withCheckins();
    const exported = buildGoalsExport(exportInput(doc, [grow, reach]));
    expect(exported.schema).toBe('atelier/goals-export@1');
    expect(exported.checkins).toEqual([
      { id: first, date: '2027-01-15', label: '30 days', open: false },
      { id: second, date: '2027-02-15', label: '', open: true },
    ]);
    const byId = new Map(exported.goals.map((goal) => [goal.id, goal]));
    expect(byId.get(grow)?.checkins).toEqual([
      { checkinId: first, date: '2027-01-15', current: 1500, confidence: 'on-track', note: '' },
      {
        checkinId: second,
        date: '2027-02-15',
        current: 1800.25,
        confidence: 'at-risk',
        note: 'slower *growth*',
      },
    ]);
    expect(byId.get(reach)?.checkins).toEqual([
      { checkinId: second, date: '2027-02-15', current: -3, confidence: 'off-track', note: '' },
    ]);
    expect(validateGoals(exported)).toEqual([]);

    // The schema checks the new fields: a wrong confidence is caught.
    const broken = structuredClone(exported);
    (broken.goals[0]!.checkins![0] as { confidence: string }).confidence = 'fine';
    expect(validateGoals(broken)).not.toEqual([]);

    // Before the first check-in, the export is what it always was: no check-in field at all.
    const plain = buildGoalsExport(exportInput(board().doc, []));
    expect('checkins' in plain).toBe(false);
    expect(plain.goals.some((goal) => 'checkins' in goal)).toBe(false);
    expect(validateGoals(plain)).toEqual([]);
  });

  it('[export#check-in-fields] the board file carries each goal’s records, valid against its schema', () => {
    const { doc, grow, reach } = withCheckins();
    const file = buildBoardFile({
      ...readBoardFileContent(doc),
      participants: [{ id: ANA, name: 'Ana' }],
      votes: {},
      voting: { open: false, revealed: true, votesPerPerson: 5, maxPerItem: 3 },
      agreed: [grow, reach],
      variant: 'board',
      now: NOW,
    });
    expect(file.goals.map((goal) => goal.checkins)).toEqual([
      [
        { date: '2027-01-15', label: '30 days', current: 1500, confidence: 'on-track', note: '' },
        { date: '2027-02-15', label: '', current: 1800.25, confidence: 'at-risk', note: 'slower *growth*' },
      ],
      [{ date: '2027-02-15', label: '', current: -3, confidence: 'off-track', note: '' }],
    ]);
    expect(validateBoard(file)).toEqual([]);
    const broken = structuredClone(file);
    (broken.goals[0]!.checkins![0] as { current: unknown }).current = 'lots';
    expect(validateBoard(broken)).not.toEqual([]);
  });

  it('[export#check-in-fields] [export#markdown] the summary’s Markdown has a Check-ins section, escaped, in the board’s language', () => {
    const { doc, grow, reach } = withCheckins();
    const summary = summaryOf(doc, [grow, reach]);
    expect(summary.checkins.map((c) => c.date)).toEqual(['2027-01-15', '2027-02-15']);
    const markdown = toMarkdown(summary, 'en');
    const section = markdown.slice(markdown.indexOf('## Check-ins'));
    expect(section.split('\n\n## ')[0]).toBe(
      [
        '## Check-ins',
        '',
        '### January 15, 2027 — 30 days',
        '',
        '- **Grow**: 1,500 · on track',
        '',
        '### February 15, 2027 (open)',
        '',
        '- **Grow**: 1,800.25 · at risk — slower \\*growth\\*',
        '- **Reach**: -3 · off track',
      ].join('\n'),
    );
    expect(markdown.indexOf('## Check-ins')).toBeGreaterThan(markdown.indexOf('## Commitments'));

    const french = toMarkdown(summaryOf(doc, [grow, reach], 'fr'), 'fr');
    expect(french).toContain('## Points d’étape');
    expect(french).toContain('### 15 février 2027 (en cours)');
    expect(french).toContain('- **Grow**\u00a0: 1\u202f800,25 · à risque — slower \\*growth\\*');

    // No check-in, no section.
    const { doc: plain, grow: plainGrow } = board();
    expect(toMarkdown(summaryOf(plain, [plainGrow]), 'en')).not.toContain('Check-ins');
  });

  it('[export#check-in-fields][export#csv][export#csv-delimiter] the CSV gains four columns from each goal’s latest record, only once a check-in exists', () => {
    const { doc, grow, reach } = withCheckins();
    const lines = toCsv(summaryOf(doc, [grow, reach]), 'en')
      .replace(/^\uFEFF/, '')
      .split('\r\n');
    expect(lines[0]).toBe(
      'Rank,Title,Business objective,Metric,Baseline,Target,Due,Owner,Votes,Agreed,Last check-in,Current value,Confidence,Check-in note',
    );
    expect(lines[1]).toBe('1,Grow,,Followers,1 000,5 000,,,0,yes,2027-02-15,1800.25,at risk,slower *growth*');
    expect(lines[2]).toBe('2,Reach,,Views,,,,,0,yes,2027-02-15,-3,off track,');
    // docs/export.md#csv-delimiter: in a semicolon file, the value's decimal mark is a comma.
    const semicolon = toCsv(summaryOf(doc, [grow, reach]), 'en', 'semicolon').split('\r\n');
    expect(semicolon[1]).toBe(
      '1;Grow;;Followers;1 000;5 000;;;0;yes;2027-02-15;1800,25;at risk;slower *growth*',
    );

    const { doc: plain, grow: plainGrow } = board();
    const plainHeader = toCsv(summaryOf(plain, [plainGrow]), 'en')
      .replace(/^\uFEFF/, '')
      .split('\r\n')[0];
    expect(plainHeader).toBe('Rank,Title,Business objective,Metric,Baseline,Target,Due,Owner,Votes,Agreed');
  });
});
