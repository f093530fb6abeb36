/**
 * Themes (shared/board/themes.ts, docs/sync.md#themes): answers grouped because they say the same
 * thing — the commands, convergence of concurrent grouping, the tolerant reader and the goal
 * drafted from a theme.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  addCard,
  addGoal,
  addQuestion,
  addToTheme,
  createTheme,
  dissolveTheme,
  goalFromTheme,
  readGoals,
  readThemes,
  removeFromTheme,
  renameTheme,
  ROOT,
  THEME_KEY,
  undoScope,
} from '../../shared/board';
import { readCardsByQuestion, readQuestions, writeTemplate } from '../../shared/board';
import { writeBoardFile } from '../../shared/board/from-file';
import { AppError } from '../../shared/errors';
import { buildBoardFile, parseBoardFile, type BoardFileInput } from '../../shared/export/board-file';
import shippedBoardSchema from '../../shared/export/board-1.schema.json' with { type: 'json' };
import { buildGoalsExport } from '../../shared/export/goals-export';
import { toMarkdown } from '../../shared/export/markdown';
import { buildSummary, readSummaryContent } from '../../shared/export/summary';
import { exportValidator } from '../helpers/export-schema';
import { readBoardFileContent } from '../../shared/export/board-file-content';

const AUTHOR = 'author-0001';

function board(): { doc: Y.Doc; question: string; cards: string[] } {
  const doc = new Y.Doc();
  const question = addQuestion(doc, { text: 'What takes your time?', section: 'discover' });
  const cards = ['Too many meetings', 'Meetings all day', 'Email', 'Reporting'].map((text, index) =>
    addCard(doc, { questionId: question, text, authorId: AUTHOR }, null, 1000 + index),
  );
  return { doc, question, cards };
}

/** Both documents receive each other's updates (as through a sync server). */
function exchange(a: Y.Doc, b: Y.Doc): void {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
}

function copyOf(doc: Y.Doc): Y.Doc {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  return copy;
}

function codeOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof AppError) return error.code;
    throw error;
  }
  throw new Error('expected an error');
}

describe('theme commands', () => {
  it('[sync#themes][product#themes] groups two answers into a theme, names it, adds and removes one', () => {
    const { doc, question, cards } = board();
    const [a, b, c] = cards as [string, string, string];
    const id = createTheme(doc, { cardIds: [a, b], authorId: AUTHOR }, null, 5000);
    expect(readThemes(doc)).toEqual([
      { id, questionId: question, name: '', authorId: AUTHOR, createdAt: 5000, cardIds: [a, b] },
    ]);
    renameTheme(doc, id, '  Meetings  ');
    addToTheme(doc, id, c);
    expect(readThemes(doc, question)[0]).toMatchObject({ name: 'Meetings', cardIds: [a, b, c] });
    expect(doc.getMap(ROOT.themes).get(id)).toBeInstanceOf(Y.Map);
    expect((doc.getMap(ROOT.themes).get(id) as Y.Map<unknown>).get('name')).toBeInstanceOf(Y.Text);
    removeFromTheme(doc, b);
    expect(readThemes(doc)[0]?.cardIds).toEqual([a, c]);
  });

  it('[sync#themes] the theme goes with its last answer; ungrouping a whole theme keeps every answer', () => {
    const { doc, cards } = board();
    const [a, b, c, d] = cards as [string, string, string, string];
    const first = createTheme(doc, { cardIds: [a], authorId: AUTHOR });
    removeFromTheme(doc, a);
    expect(readThemes(doc)).toEqual([]);
    expect(doc.getMap(ROOT.themes).has(first)).toBe(false);

    const second = createTheme(doc, { cardIds: [b, c, d], authorId: AUTHOR });
    dissolveTheme(doc, second);
    expect(readThemes(doc)).toEqual([]);
    expect(doc.getMap(ROOT.cards).size).toBe(4);
    for (const card of cards)
      expect((doc.getMap(ROOT.cards).get(card) as Y.Map<unknown>).has(THEME_KEY)).toBe(false);
  });

  it('[sync#themes] a card moved into another theme leaves its first one, which goes when emptied', () => {
    const { doc, cards } = board();
    const [a, b, c] = cards as [string, string, string];
    const first = createTheme(doc, { cardIds: [a], authorId: AUTHOR });
    const second = createTheme(doc, { cardIds: [b, c], authorId: AUTHOR });
    addToTheme(doc, second, a);
    expect(readThemes(doc).map((theme) => theme.id)).toEqual([second]);
    expect(doc.getMap(ROOT.themes).has(first)).toBe(false);
  });

  it('[errors#validation] refuses answers of two questions, unknown answers or themes, and long names, changing nothing', () => {
    const { doc, cards } = board();
    const other = addQuestion(doc, { text: 'Another?', section: 'discover' });
    const elsewhere = addCard(doc, { questionId: other, text: 'Elsewhere', authorId: AUTHOR });
    const before = Y.encodeStateVector(doc);
    expect(
      codeOf(() => createTheme(doc, { cardIds: [cards[0] as string, elsewhere], authorId: AUTHOR })),
    ).toBe('bad_request');
    expect(codeOf(() => createTheme(doc, { cardIds: [], authorId: AUTHOR }))).toBe('bad_request');
    expect(codeOf(() => createTheme(doc, { cardIds: ['missing-card-1'], authorId: AUTHOR }))).toBe(
      'not_found',
    );
    expect(codeOf(() => addToTheme(doc, 'missing-theme-1', cards[0] as string))).toBe('not_found');
    const theme = createTheme(doc, { cardIds: [cards[0] as string], authorId: AUTHOR });
    const afterCreate = Y.encodeStateVector(doc);
    expect(codeOf(() => addToTheme(doc, theme, elsewhere))).toBe('not_found');
    expect(codeOf(() => renameTheme(doc, theme, 'x'.repeat(121)))).toBe('too_large');
    expect(Y.encodeStateVector(doc)).toEqual(afterCreate);
    expect(afterCreate).not.toEqual(before);
  });

  it('[product#undo] grouping is one undo step, and undoing it ungroups', () => {
    const { doc, cards } = board();
    const origin = Symbol('me');
    const undo = new Y.UndoManager(undoScope(doc), { trackedOrigins: new Set([origin]) });
    createTheme(doc, { cardIds: [cards[0] as string, cards[1] as string], authorId: AUTHOR }, origin);
    expect(readThemes(doc)).toHaveLength(1);
    undo.undo();
    expect(readThemes(doc)).toEqual([]);
    undo.redo();
    expect(readThemes(doc)[0]?.cardIds).toEqual([cards[0], cards[1]]);
  });
});

describe('concurrent grouping', () => {
  it('[sync#themes] two people dragging one card into two themes at once converge to one theme for it', () => {
    const { doc: alice, cards } = board();
    const [a, b, c] = cards as [string, string, string];
    const bob = copyOf(alice);
    const aliceTheme = createTheme(alice, { cardIds: [a, b], authorId: AUTHOR });
    const bobTheme = createTheme(bob, { cardIds: [a, c], authorId: AUTHOR });
    exchange(alice, bob);
    const seen = readThemes(alice);
    expect(readThemes(bob)).toEqual(seen);
    const holding = seen.filter((theme) => theme.cardIds.includes(a));
    expect(holding).toHaveLength(1);
    expect([aliceTheme, bobTheme]).toContain(holding[0]?.id);
    // Every answer is in at most one theme, and the others stay where they were put.
    const all = seen.flatMap((theme) => theme.cardIds);
    expect(new Set(all).size).toBe(all.length);
    expect(all).toEqual(expect.arrayContaining([b, c]));
  });

  it('[sync#themes] an answer added to a theme that someone ungroups meanwhile reads as ungrouped everywhere', () => {
    const { doc: alice, cards } = board();
    const theme = createTheme(alice, { cardIds: [cards[0] as string, cards[1] as string], authorId: AUTHOR });
    const bob = copyOf(alice);
    dissolveTheme(alice, theme);
    addToTheme(bob, theme, cards[2] as string);
    exchange(alice, bob);
    expect(readThemes(alice)).toEqual([]);
    expect(readThemes(bob)).toEqual([]);
  });
});

describe('readThemes', () => {
  it('[sync#readers] skips garbage: non-maps, bad ids, missing names, other questions and unknown themes', () => {
    const { doc, question, cards } = board();
    const good = createTheme(doc, { cardIds: [cards[0] as string], authorId: AUTHOR });
    const other = addQuestion(doc, { text: 'Other?', section: 'discover' });
    doc.transact(() => {
      const themes = doc.getMap(ROOT.themes);
      themes.set('not-a-map-1', 'text');
      themes.set('__proto__', new Y.Map());
      const nameless = new Y.Map<unknown>();
      nameless.set('questionId', question);
      themes.set('nameless-01', nameless);
      const elsewhere = new Y.Map<unknown>();
      elsewhere.set('questionId', other);
      elsewhere.set('name', 'Elsewhere');
      elsewhere.set('createdAt', 'yesterday');
      themes.set('elsewhere-1', elsewhere);
      const cardMap = doc.getMap(ROOT.cards);
      (cardMap.get(cards[1] as string) as Y.Map<unknown>).set(THEME_KEY, 'nameless-01');
      (cardMap.get(cards[2] as string) as Y.Map<unknown>).set(THEME_KEY, 'elsewhere-1');
      (cardMap.get(cards[3] as string) as Y.Map<unknown>).set(THEME_KEY, 42);
    });
    expect(readThemes(doc)).toEqual([expect.objectContaining({ id: good, cardIds: [cards[0]] })]);
  });
});

describe('goalFromTheme', () => {
  it('[product#themes][sync#themes] drafts a goal titled with the theme, linked back to its answers', () => {
    const { doc, cards } = board();
    const theme = createTheme(doc, {
      cardIds: [cards[0] as string, cards[1] as string],
      name: 'Meetings',
      authorId: AUTHOR,
    });
    const id = goalFromTheme(doc, theme, AUTHOR, null, 7000);
    expect(readGoals(doc)).toEqual([
      expect.objectContaining({
        id,
        title: 'Meetings',
        createdAt: 7000,
        source: { themeId: theme, cardIds: [cards[0], cards[1]] },
      }),
    ]);
    // The link stays when the theme goes.
    dissolveTheme(doc, theme);
    expect(readGoals(doc)[0]?.source).toEqual({ themeId: theme, cardIds: [cards[0], cards[1]] });
  });

  it('[product#themes] an unnamed theme gives its first answer as the title; a gone theme is refused', () => {
    const { doc, cards } = board();
    const theme = createTheme(doc, { cardIds: [cards[1] as string, cards[0] as string], authorId: AUTHOR });
    goalFromTheme(doc, theme, AUTHOR);
    expect(readGoals(doc)[0]?.title).toBe('Too many meetings');
    expect(codeOf(() => goalFromTheme(doc, 'missing-theme-1', AUTHOR))).toBe('not_found');
  });

  it('[sync#readers] a goal with a malformed source reads without one', () => {
    const { doc, cards } = board();
    const theme = createTheme(doc, { cardIds: [cards[0] as string], authorId: AUTHOR });
    const id = goalFromTheme(doc, theme, AUTHOR);
    const goal = doc.getMap(ROOT.goals).get(id) as Y.Map<unknown>;
    goal.set('sourceCardIds', `${cards[0]} bad! ${cards[0]}`);
    expect(readGoals(doc)[0]?.source).toEqual({ themeId: theme, cardIds: [cards[0]] });
    goal.set('sourceThemeId', 7);
    expect(readGoals(doc)[0]).not.toHaveProperty('source');
  });
});

describe('themes in the exports', () => {
  const NOW = new Date('2026-12-06T10:00:00.000Z');
  const validateGoals = exportValidator();
  const validateBoard = exportValidator(shippedBoardSchema);

  /** A template board with three answers to its first question, two grouped, and a goal from them. */
  function grouped(): { doc: Y.Doc; cards: string[]; theme: string; goal: string; plain: string } {
    const doc = new Y.Doc();
    writeTemplate(doc, { title: 'Kickoff', locale: 'en', template: 'social-kickoff', createdAt: 1 });
    const questionId = readQuestions(doc, 'discover')[0]?.id ?? '';
    const cards = ['Too many meetings', 'Meetings all day', 'Email'].map((text, index) =>
      addCard(doc, { questionId, text, authorId: AUTHOR }, null, 10 + index),
    );
    const theme = createTheme(doc, {
      cardIds: [cards[0] as string, cards[1] as string],
      name: 'Meetings',
      authorId: AUTHOR,
    });
    const goal = goalFromTheme(doc, theme, AUTHOR, null, 100);
    const plain = addGoal(doc, { title: 'Written by hand' }, AUTHOR, null, 200);
    return { doc, cards, theme, goal, plain };
  }

  function boardInput(doc: Y.Doc): BoardFileInput {
    return {
      ...readBoardFileContent(doc),
      participants: [],
      votes: {},
      voting: { open: false, revealed: false, votesPerPerson: 5, maxPerItem: 3 },
      agreed: [],
      variant: 'board',
      now: NOW,
    };
  }

  it('[export#additive-fields][export#schema] the goals export gives a drafted goal its source, and none to a goal written by hand; it validates', () => {
    const { doc, cards, theme, goal, plain } = grouped();
    const exported = buildGoalsExport({
      board: { id: 'board-00001', title: 'Kickoff', url: 'https://atelier.example/b/board-00001' },
      goals: readGoals(doc),
      votes: {},
      voting: { open: false, revealed: false, votesPerPerson: 5, maxPerItem: 3 },
      agreed: [],
      commitments: [],
      nextCheckIn: null,
      showVotes: false,
      status: 'all',
      now: NOW,
    });
    expect(validateGoals(exported)).toEqual([]);
    expect(exported.goals.find((one) => one.id === goal)?.source).toEqual({
      themeId: theme,
      cardIds: [cards[0], cards[1]],
    });
    expect(exported.goals.find((one) => one.id === plain)).not.toHaveProperty('source');
    // A source of the wrong shape does not validate: the schema says what a source is.
    const broken = structuredClone(exported);
    (broken.goals[0] as unknown as { source: unknown }).source = { themeId: 'x', cardIds: 'all' };
    expect(validateGoals(broken)).not.toEqual([]);
  });

  it('[export#whole-board-fields][export#importing-a-board-file][export#whole-board-schema] the board file carries themes and sources, validates, and an import restores them', () => {
    const { doc } = grouped();
    const file = buildBoardFile(boardInput(doc));
    expect(validateBoard(file)).toEqual([]);
    const question = file.questions[0];
    expect(question?.themes).toEqual([{ name: 'Meetings', answers: [0, 1] }]);
    expect(file.goals.map((goal) => goal.source)).toEqual([
      { question: 0, theme: 0, answers: [0, 1] },
      undefined,
    ]);

    const copy = new Y.Doc();
    writeBoardFile(
      copy,
      parseBoardFile(JSON.parse(JSON.stringify(file))),
      { title: 'Kickoff', createdAt: 5 },
      new Map(),
    );
    const [restored] = readThemes(copy);
    const answers = readCardsByQuestion(copy).get(restored?.questionId ?? '') ?? [];
    expect(restored?.name).toBe('Meetings');
    expect(restored?.cardIds.map((id) => answers.find((card) => card.id === id)?.text)).toEqual([
      'Too many meetings',
      'Meetings all day',
    ]);
    const drafted = readGoals(copy).find((goal) => goal.source);
    expect(drafted?.source).toEqual({ themeId: restored?.id, cardIds: restored?.cardIds });
  });

  it('[export#importing-a-board-file][errors#validation] refuses a theme or a source that names no answer', () => {
    const { doc } = grouped();
    const file = buildBoardFile(boardInput(doc));
    const badTheme = structuredClone(file);
    (badTheme.questions[0]?.themes?.[0] as { answers: number[] }).answers = [0, 9];
    expect(() => parseBoardFile(badTheme)).toThrow(/questions\.0\.themes\.0\.answers\.1/);
    const badSource = structuredClone(file);
    (badSource.goals[0] as { source: unknown }).source = { question: 0, theme: 4, answers: [] };
    expect(() => parseBoardFile(badSource)).toThrow(/goals\.0\.source\.theme/);
  });

  it('[export#summary][export#markdown] the summary and the Markdown show each theme under its question, then the answers in none', () => {
    const { doc } = grouped();
    const summary = buildSummary({
      board: { id: 'board-00001', url: 'https://atelier.example/b/board-00001' },
      content: readSummaryContent(doc),
      participants: [],
      votes: {},
      voting: { open: false, revealed: false, votesPerPerson: 5, maxPerItem: 3 },
      agreed: [],
      showVotes: true,
      status: 'all',
      pulse: { average: null, distribution: null, helps: null, shownCount: null },
      now: NOW,
    });
    expect(summary.discovery[0]?.themes).toEqual([
      { name: 'Meetings', answers: ['Too many meetings', 'Meetings all day'] },
    ]);
    expect(summary.discovery[1]).not.toHaveProperty('themes');
    const md = toMarkdown(summary, 'en');
    expect(md).toContain('- **Meetings** (theme)\n   - Too many meetings\n   - Meetings all day\n- Email');
  });
});
