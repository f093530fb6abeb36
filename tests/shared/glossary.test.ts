/**
 * The metric glossary and the challenges lane in the document (shared/board/glossary.ts,
 * shared/board/challenges.ts, docs/sync.md#challenges-and-glossary): commands, readers that
 * survive garbage, the undefined-metric flag, and the exports that carry both — valid against the
 * shipped schemas with the new fields and without them (docs/export.md#additive-fields).
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  addChallenge,
  addGlossaryEntry,
  addGoal,
  deleteChallenge,
  deleteGlossaryEntry,
  metricLacksDefinition,
  readChallenges,
  readCommitments,
  readGlossary,
  readGoalChallenges,
  readGoalLinks,
  readGoalMetrics,
  readGoals,
  ROOT,
  setGoalChallenge,
  setGoalMetric,
  updateGlossaryEntry,
  writeTemplate,
} from '../../shared/board';
import { writeBoardFile } from '../../shared/board/from-file';
import { AppError } from '../../shared/errors';
import { buildBoardFile, parseBoardFile, type BoardFileVariant } from '../../shared/export/board-file';
import shippedBoardSchema from '../../shared/export/board-1.schema.json' with { type: 'json' };
import { buildGoalsExport, type ExportInput } from '../../shared/export/goals-export';
import { toMarkdown } from '../../shared/export/markdown';
import { buildSummary, readSummaryContent } from '../../shared/export/summary';
import { newId } from '../../shared/ids';
import { exportValidator } from '../helpers/export-schema';
import { readBoardFileContent } from '../../shared/export/board-file-content';

const validateExport = exportValidator();
const validateBoardFile = exportValidator(shippedBoardSchema);
const NOW = new Date('2026-12-01T10:00:00.000Z');
const BOARD = {
  id: 'BoardId0000000000000001',
  title: 'Kickoff',
  url: 'https://atelier.test/b/BoardId0000000000000001',
};

function kickoff(locale: 'en' | 'fr' = 'en'): Y.Doc {
  const doc = new Y.Doc();
  writeTemplate(doc, { title: 'Kickoff', locale, template: 'social-kickoff', createdAt: 1 });
  return doc;
}

function exportOf(doc: Y.Doc, agreed: string[] = [], status: 'agreed' | 'all' = 'all') {
  const input: ExportInput = {
    board: BOARD,
    goals: readGoals(doc),
    votes: {},
    voting: { open: false, revealed: true, votesPerPerson: 5, maxPerItem: 3 },
    agreed,
    commitments: readCommitments(doc),
    nextCheckIn: null,
    showVotes: true,
    status,
    now: NOW,
    ...readGoalLinks(doc),
  };
  return buildGoalsExport(input);
}

describe('[product#challenges] the challenges lane', () => {
  it('starts from the article’s challenges, audience then ROI, in the board’s language', () => {
    expect(readChallenges(kickoff('en')).map((c) => c.title)).toEqual([
      'Identifying and reaching our target audience',
      'Measuring return on investment (ROI)',
    ]);
    expect(readChallenges(kickoff('fr')).map((c) => c.title)[1]).toBe(
      'Mesurer le retour sur investissement (ROI)',
    );
    const blank = new Y.Doc();
    writeTemplate(blank, { title: 'B', locale: 'en', template: 'blank', createdAt: 1 });
    expect(readChallenges(blank)).toEqual([]);
  });

  it('[sync#challenges-and-glossary] adds a challenge last, ticks it on a goal, and deleting it removes the ticks', () => {
    const doc = kickoff();
    const goal = addGoal(doc, { title: 'Grow' }, '');
    const id = addChallenge(doc, '  Too little time for video  ');
    expect(readChallenges(doc).at(-1)).toMatchObject({ id, title: 'Too little time for video' });
    setGoalChallenge(doc, goal, id, true);
    const [audience] = readChallenges(doc);
    setGoalChallenge(doc, goal, audience?.id ?? '', true);
    // In the lane's order, whatever the order of the ticks.
    expect(
      readGoalChallenges(doc)
        .get(goal)
        ?.map((c) => c.title),
    ).toEqual(['Identifying and reaching our target audience', 'Too little time for video']);
    setGoalChallenge(doc, goal, audience?.id ?? '', false);
    deleteChallenge(doc, id);
    expect(readGoalChallenges(doc).has(goal)).toBe(false);
    expect(() => addChallenge(doc, '   ')).toThrow(AppError);
    expect(() => setGoalChallenge(doc, goal, newId(), true)).toThrow(AppError);
  });

  it('[sync#challenges-and-glossary] two people ticking two challenges of one goal at once both keep their tick', () => {
    const a = kickoff();
    const goal = addGoal(a, { title: 'Grow' }, '');
    const b = new Y.Doc();
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    const [first, second] = readChallenges(a);
    setGoalChallenge(a, goal, first?.id ?? '', true);
    setGoalChallenge(b, goal, second?.id ?? '', true);
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    for (const doc of [a, b]) expect(readGoalChallenges(doc).get(goal)).toHaveLength(2);
  });
});

describe('[product#metric-glossary] the glossary', () => {
  it('adds, edits and sorts entries by name; a goal picks one and its metric text follows', () => {
    const doc = kickoff();
    const reach = addGlossaryEntry(doc, { name: 'Reach', definition: 'Unique accounts that saw a post' });
    const engagement = addGlossaryEntry(doc, { name: 'engagement rate' });
    expect(readGlossary(doc).map((entry) => entry.name)).toEqual(['engagement rate', 'Reach']);
    updateGlossaryEntry(doc, engagement, {
      name: 'Engagement rate',
      definition: ' Interactions ÷ impressions ',
      formula: 'likes + comments + shares, over impressions',
      owner: 'Ana',
    });
    expect(readGlossary(doc)[0]).toMatchObject({
      name: 'Engagement rate',
      definition: 'Interactions ÷ impressions',
      owner: 'Ana',
    });
    const goal = addGoal(doc, { title: 'Grow', metric: 'engagement' }, '');
    setGoalMetric(doc, goal, engagement);
    expect(readGoals(doc)[0]?.metric).toBe('Engagement rate');
    expect(readGoalMetrics(doc).get(goal)?.id).toBe(engagement);
    // Deleting the entry unlinks the goal; its metric's text stays.
    deleteGlossaryEntry(doc, engagement);
    expect(readGoalMetrics(doc).has(goal)).toBe(false);
    expect(readGoals(doc)[0]?.metric).toBe('Engagement rate');
    expect(() => setGoalMetric(doc, goal, newId())).toThrow(AppError);
    expect(() => addGlossaryEntry(doc, { name: '' })).toThrow(AppError);
    expect(() => updateGlossaryEntry(doc, reach, { definition: 'x'.repeat(501) })).toThrow(AppError);
  });

  it('flags a goal whose metric has no definition: free text, or an entry not yet defined', () => {
    const doc = kickoff();
    const defined = addGlossaryEntry(doc, { name: 'Reach', definition: 'Unique accounts reached' });
    const undefinedYet = addGlossaryEntry(doc, { name: 'Share of voice' });
    const a = addGoal(doc, { title: 'A', metric: 'Reach' }, '', null, 10);
    const b = addGoal(doc, { title: 'B', metric: 'Share of voice' }, '', null, 20);
    const c = addGoal(doc, { title: 'C', metric: 'Followers' }, '', null, 30);
    const d = addGoal(doc, { title: 'D' }, '', null, 40);
    setGoalMetric(doc, a, defined);
    setGoalMetric(doc, b, undefinedYet);
    const metrics = readGoalMetrics(doc);
    const flagged = readGoals(doc)
      .filter((goal) => metricLacksDefinition(goal, metrics.get(goal.id)))
      .map((goal) => goal.id);
    expect(flagged).toEqual([b, c]);
    expect(flagged).not.toContain(d);
    updateGlossaryEntry(doc, undefinedYet, { definition: 'Our mentions over the category’s' });
    expect(
      metricLacksDefinition(
        readGoals(doc).find((goal) => goal.id === b) ?? { metric: '' },
        readGoalMetrics(doc).get(b),
      ),
    ).toBe(false);
  });

  it('[sync#readers] readers skip or empty what is malformed, and never throw', () => {
    const doc = kickoff();
    const goal = addGoal(doc, { title: 'Grow' }, '');
    const good = addGlossaryEntry(doc, { name: 'Reach' });
    doc.transact(() => {
      const glossary = doc.getMap(ROOT.glossary);
      glossary.set('bad key!', new Y.Map());
      glossary.set(newId(), 'not a map');
      const nameless = new Y.Map<unknown>();
      nameless.set('definition', 'orphan');
      glossary.set(newId(), nameless);
      const odd = new Y.Map<unknown>();
      odd.set('name', 'Odd');
      odd.set('definition', 42);
      odd.set('createdAt', 'yesterday');
      glossary.set(newId(), odd);
      doc.getMap(ROOT.challenges).set(newId(), 7);
      const item = doc.getMap(ROOT.goals).get(goal) as Y.Map<unknown>;
      item.set('metricId', 'x'.repeat(200));
      item.set('challengeIds', 'everything');
    });
    expect(readGlossary(doc).map((entry) => [entry.name, entry.definition, entry.createdAt])).toEqual([
      ['Odd', '', 0],
      ['Reach', '', expect.any(Number)],
    ]);
    expect(readChallenges(doc)).toHaveLength(2);
    expect(readGoalMetrics(doc).size).toBe(0);
    expect(readGoalChallenges(doc).size).toBe(0);
    const item = doc.getMap(ROOT.goals).get(goal) as Y.Map<unknown>;
    const ticks = new Y.Map<unknown>();
    doc.transact(() => {
      item.set('metricId', good);
      item.set('challengeIds', ticks);
      ticks.set(newId(), true);
      ticks.set(readChallenges(doc)[0]?.id ?? '', 'yes');
    });
    expect(readGoalMetrics(doc).get(goal)?.name).toBe('Reach');
    expect(readGoalChallenges(doc).size).toBe(0);
  });
});

describe('[export#additive-fields] the exports carry challenges and definitions', () => {
  function linked(): { doc: Y.Doc; grow: string; aware: string } {
    const doc = kickoff();
    const grow = addGoal(doc, { title: 'Grow our audience', target: '5,000' }, '', null, 10);
    const aware = addGoal(doc, { title: 'Awareness', metric: 'Mentions' }, '', null, 20);
    const entry = addGlossaryEntry(doc, {
      name: 'Followers',
      definition: 'Accounts following us at month end',
      formula: 'Platform analytics',
      owner: 'Ana',
    });
    setGoalMetric(doc, grow, entry);
    const [audience] = readChallenges(doc);
    setGoalChallenge(doc, grow, audience?.id ?? '', true);
    return { doc, grow, aware };
  }

  it('gives each goal its challenges and metric definition, and lists the lane with addressed flags', () => {
    const { doc, grow } = linked();
    const all = exportOf(doc);
    expect(validateExport(all)).toEqual([]);
    const [first, second] = all.goals;
    expect(first).toMatchObject({
      id: grow,
      metric: 'Followers',
      challenges: [{ id: expect.any(String), title: 'Identifying and reaching our target audience' }],
      metricDefinition: {
        name: 'Followers',
        definition: 'Accounts following us at month end',
        formula: 'Platform analytics',
        owner: 'Ana',
      },
    });
    expect(second).not.toHaveProperty('challenges');
    expect(second).not.toHaveProperty('metricDefinition');
    expect(all.challenges?.map((c) => [c.title, c.addressed])).toEqual([
      ['Identifying and reaching our target audience', true],
      ['Measuring return on investment (ROI)', false],
    ]);
    // The agreed export says what the agreed goals leave open.
    const agreedNone = exportOf(doc, [], 'agreed');
    expect(agreedNone.challenges?.every((c) => !c.addressed)).toBe(true);
    expect(validateExport(agreedNone)).toEqual([]);
  });

  it('is the same as before on a board without challenges or glossary, and still valid', () => {
    const doc = new Y.Doc();
    writeTemplate(doc, { title: 'B', locale: 'en', template: 'blank', createdAt: 1 });
    addGoal(doc, { title: 'Grow', metric: 'Followers' }, '');
    const plain = exportOf(doc);
    expect(validateExport(plain)).toEqual([]);
    expect(plain).not.toHaveProperty('challenges');
    expect(Object.keys(plain.goals[0] ?? {})).not.toContain('metricDefinition');
  });

  it('the schema refuses a malformed definition', () => {
    const { doc } = linked();
    const broken = JSON.parse(JSON.stringify(exportOf(doc))) as { goals: Array<Record<string, unknown>> };
    const first = broken.goals[0] as Record<string, unknown>;
    first.metricDefinition = { name: 'Followers' };
    expect(validateExport(broken)).not.toEqual([]);
  });

  function fileOf(doc: Y.Doc, variant: BoardFileVariant) {
    return buildBoardFile({
      ...readBoardFileContent(doc),
      participants: [],
      votes: {},
      voting: { open: false, revealed: false, votesPerPerson: 5, maxPerItem: 3 },
      agreed: [],
      variant,
      now: NOW,
    });
  }

  it('[export#whole-board-file] the board file carries both by position, and an import restores them', () => {
    const { doc } = linked();
    const file = fileOf(doc, 'board');
    expect(validateBoardFile(file)).toEqual([]);
    expect(file.challenges?.map((c) => c.title)).toHaveLength(2);
    expect(file.glossary).toEqual([
      {
        name: 'Followers',
        definition: 'Accounts following us at month end',
        formula: 'Platform analytics',
        owner: 'Ana',
      },
    ]);
    expect(file.goals[0]).toMatchObject({ challenges: [0], glossaryEntry: 0 });
    expect(file.goals[1]).not.toHaveProperty('glossaryEntry');
    const template = fileOf(doc, 'template');
    expect(validateBoardFile(template)).toEqual([]);
    expect(template.glossary?.[0]?.owner).toBe('');

    const copy = new Y.Doc();
    writeBoardFile(
      copy,
      parseBoardFile(JSON.parse(JSON.stringify(file))),
      { title: 'Copy', createdAt: 5 },
      new Map(),
    );
    const again = fileOf(copy, 'board');
    expect({
      challenges: again.challenges,
      glossary: again.glossary,
      goals: again.goals.map((g) => [g.challenges, g.glossaryEntry]),
    }).toEqual({
      challenges: file.challenges,
      glossary: file.glossary,
      goals: file.goals.map((g) => [g.challenges, g.glossaryEntry]),
    });
  });

  it('[export#importing-a-board-file] refuses a position that leads nowhere, naming it', () => {
    const { doc } = linked();
    const file = JSON.parse(JSON.stringify(fileOf(doc, 'board'))) as {
      goals: Array<Record<string, unknown>>;
    };
    (file.goals[0] as Record<string, unknown>).glossaryEntry = 3;
    expect(() => parseBoardFile(file)).toThrow('goals.0.glossaryEntry: there is no glossary entry 3');
    (file.goals[0] as Record<string, unknown>).glossaryEntry = 0;
    (file.goals[0] as Record<string, unknown>).challenges = [0, 9];
    expect(() => parseBoardFile(file)).toThrow('goals.0.challenges.1: there is no challenge 9');
  });

  it('[export#summary] the summary and its Markdown list the challenges with their goals, and the glossary', () => {
    const { doc, grow } = linked();
    const summary = buildSummary({
      board: { id: BOARD.id, url: BOARD.url },
      content: readSummaryContent(doc),
      participants: [],
      votes: {},
      voting: { open: false, revealed: true, votesPerPerson: 5, maxPerItem: 3 },
      agreed: [grow],
      showVotes: true,
      status: 'agreed',
      pulse: { average: null, distribution: null, helps: null, shownCount: null },
      now: NOW,
    });
    expect(summary.links?.challenges).toEqual([
      { title: 'Identifying and reaching our target audience', goals: ['Grow our audience'] },
      { title: 'Measuring return on investment (ROI)', goals: [] },
    ]);
    const markdown = toMarkdown(summary, 'en');
    expect(markdown).toContain(
      '## Challenges\n\n- Identifying and reaching our target audience (addressed by Grow our audience)',
    );
    expect(markdown).toContain('- Measuring return on investment (ROI) (no goal addresses it yet)');
    expect(markdown).toContain('## Metric glossary\n\n- **Followers**: Accounts following us at month end');
    expect(toMarkdown(summary, 'fr')).toContain('## Glossaire des métriques');
  });
});
