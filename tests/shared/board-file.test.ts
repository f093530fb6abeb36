/**
 * The whole-board file (shared/export/board-file.ts, docs/export.md#whole-board-file): built from
 * a real board document, valid against the shipped JSON Schema, read back by the import's checks,
 * and written into a new document that builds the same file again.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  addCard,
  addCommitment,
  addGoal,
  addHat,
  readCardsByQuestion,
  readCommitments,
  readGoals,
  readHats,
  readMeta,
  readQuestions,
  readTasks,
  readWornHats,
  setEstimate,
  setNextCheckIn,
  toggleHat,
  writeTemplate,
} from '../../shared/board';
import { writeBoardFile } from '../../shared/board/from-file';
import { AppError } from '../../shared/errors';
import {
  boardFileName,
  buildBoardFile,
  parseBoardFile,
  type BoardFile,
  type BoardFileInput,
  type BoardFileVariant,
} from '../../shared/export/board-file';
import shippedBoardSchema from '../../shared/export/board-1.schema.json' with { type: 'json' };
import { newId } from '../../shared/ids';
import { exportValidator } from '../helpers/export-schema';

const validate = exportValidator(shippedBoardSchema);
const NOW = new Date('2026-11-26T10:00:00.000Z');
const ANA = newId();
const BO = newId();

function board(): { doc: Y.Doc; goals: string[] } {
  const doc = new Y.Doc();
  writeTemplate(doc, { title: 'Kickoff', locale: 'en', template: 'social-kickoff', createdAt: 1 });
  const [discover] = readQuestions(doc, 'discover');
  const [duration, , frequency] = readQuestions(doc, 'day-to-day');
  if (!discover || !duration || !frequency) throw new Error('template questions');
  addCard(doc, { questionId: discover.id, text: 'SMEs', authorId: ANA }, null, 10);
  addCard(doc, { questionId: discover.id, text: 'Students', authorId: BO }, null, 20);
  const hat = readHats(doc)[0]?.id ?? '';
  toggleHat(doc, hat, BO);
  toggleHat(doc, hat, ANA);
  addHat(doc, 'Podcaster');
  setEstimate(doc, duration.id, BO, { amount: 2, unit: 'hours', per: 'week' });
  setEstimate(doc, duration.id, ANA, { amount: 30, unit: 'minutes', per: 'day' });
  setEstimate(doc, frequency.id, ANA, { times: 3, per: 'month' });
  const goals = [
    addGoal(doc, { title: 'Grow', metric: 'Followers', due: '2027-03-31', owner: 'Ana' }, ANA, null, 100),
    addGoal(doc, { title: 'Awareness' }, BO, null, 200),
    addGoal(doc, { title: 'ROI' }, BO, null, 300),
  ];
  addCommitment(doc, { text: 'Share insights', owner: 'Lead' }, null, 400);
  setNextCheckIn(doc, '2027-01-15');
  return { doc, goals };
}

function input(doc: Y.Doc, variant: BoardFileVariant, goals: string[] = []): BoardFileInput {
  const [g1, g2, g3] = goals;
  return {
    meta: readMeta(doc),
    questions: readQuestions(doc),
    cards: readCardsByQuestion(doc),
    tasks: readTasks(doc),
    hats: readWornHats(doc),
    goals: readGoals(doc),
    commitments: readCommitments(doc),
    participants: [
      { id: ANA, name: 'Ana' },
      { id: BO, name: 'Bo' },
    ],
    votes: g1 && g2 && g3 ? { [ANA]: { [g2]: 2, [g3]: 2 }, [BO]: { [g1]: 1 } } : {},
    voting: { open: true, revealed: false, votesPerPerson: 5, maxPerItem: 3 },
    agreed: g2 ? [g2] : [],
    variant,
    now: NOW,
  };
}

describe('buildBoardFile', () => {
  it('[export#whole-board-file] names people once and refers to them, in the order of people', () => {
    const { doc, goals } = board();
    const file = buildBoardFile(input(doc, 'board', goals));
    expect(validate(file)).toEqual([]);
    expect(file.people).toEqual([
      { ref: 'p1', name: 'Ana' },
      { ref: 'p2', name: 'Bo' },
    ]);
    expect(file.questions[0]?.answers).toEqual([
      { text: 'SMEs', author: 'p1' },
      { text: 'Students', author: 'p2' },
    ]);
    expect(file.hats[0]?.wornBy).toEqual(['p1', 'p2']);
    expect(file.questions.find((q) => q.section === 'day-to-day')?.estimates).toEqual([
      { person: 'p1', amount: 30, unit: 'minutes', per: 'day' },
      { person: 'p2', amount: 2, unit: 'hours', per: 'week' },
    ]);
  });

  it('[export#whole-board-file] ranks goals as the goals export does, ties shared, in display order', () => {
    const { doc, goals } = board();
    const file = buildBoardFile(input(doc, 'board', goals));
    expect(file.goals.map((g) => [g.title, g.status, g.rank, g.votes, g.tied])).toEqual([
      ['Grow', 'proposed', 3, 1, false],
      ['Awareness', 'agreed', 1, 2, true],
      ['ROI', 'proposed', 2, 2, true],
    ]);
    expect(file.voting).toEqual({ votesPerPerson: 5, revealed: false, voters: 2, votesCast: 5 });
  });

  it('[export#template-variant] the template holds no people, answers, estimates, owners, dates nor decisions', () => {
    const { doc, goals } = board();
    const file = buildBoardFile(input(doc, 'template', goals));
    expect(validate(file)).toEqual([]);
    const text = JSON.stringify(file);
    for (const absent of [
      'Ana',
      'Bo"',
      'SMEs',
      'people',
      'wornBy',
      'estimates',
      'answers',
      'votes',
      'voting',
      '2027',
    ]) {
      expect(text).not.toContain(absent);
    }
    expect(file.commitments).toEqual([{ text: 'Share insights', owner: '' }]);
  });

  it('[export#whole-board-file-names] names the file after the title and the variant', () => {
    expect(boardFileName('Équipe — Q1', 'board')).toBe('equipe-q1-board.json');
    expect(boardFileName('日本', 'template')).toBe('board-template.json');
  });
});

describe('parseBoardFile and writeBoardFile', () => {
  function roundTrip(file: BoardFile): BoardFile {
    const parsed = parseBoardFile(JSON.parse(JSON.stringify(file)));
    const people = new Map((parsed.people ?? []).map((person) => [person.ref, newId()]));
    const doc = new Y.Doc();
    writeBoardFile(doc, parsed, { title: parsed.board.title, createdAt: 5 }, people);
    const byRef = [...people.entries()].map(([ref, id]) => ({
      id,
      name: parsed.people?.find((person) => person.ref === ref)?.name ?? '',
    }));
    return buildBoardFile({ ...input(doc, file.variant), participants: byRef });
  }

  it('[export#importing-a-board-file] a written file builds the same file again, with no decision', () => {
    const { doc, goals } = board();
    const file = buildBoardFile(input(doc, 'board', goals));
    const again = roundTrip(file);
    expect(again.questions).toEqual(file.questions);
    expect(again.hats).toEqual(file.hats);
    expect(again.commitments).toEqual(file.commitments);
    expect(again.nextCheckIn).toBe('2027-01-15');
    expect(again.goals.map(({ rank: _r, votes: _v, tied: _t, status: _s, ...goal }) => goal)).toEqual(
      file.goals.map(({ rank: _r, votes: _v, tied: _t, status: _s, ...goal }) => goal),
    );
    expect(again.goals.every((goal) => goal.status === 'proposed' && goal.votes === 0)).toBe(true);
  });

  it('[export#importing-a-board-file] a template file builds the same template', () => {
    const { doc } = board();
    const file = buildBoardFile(input(doc, 'template'));
    expect(roundTrip(file)).toEqual(file);
  });

  const message = (input: unknown): string => {
    try {
      parseBoardFile(input);
    } catch (error) {
      if (error instanceof AppError) return error.message;
      throw error;
    }
    return 'accepted';
  };

  it('[export#importing-a-board-file] refuses a newer version by name, and names the first problem', () => {
    const { doc } = board();
    const file = buildBoardFile(input(doc, 'template'));
    expect(message({ ...file, schema: 'atelier/board@7' })).toMatch(/"atelier\/board@7", a newer version/);
    expect(message({ ...file, hats: [{ label: '  ', added: false }] })).toBe(
      'hats.0.label: label cannot be empty',
    );
    expect(
      message({
        ...file,
        people: [{ ref: 'p1', name: 'A' }],
        questions: [
          {
            section: 'day-to-day',
            kind: 'frequency',
            text: 'Q',
            estimates: [{ person: 'p1', amount: 3, unit: 'hours', per: 'day' }],
          },
        ],
      }),
    ).toBe('questions.0.estimates.0: a frequency task takes times and per');
    expect(
      message({
        ...file,
        people: [
          { ref: 'p1', name: 'A' },
          { ref: 'p1', name: 'B' },
        ],
      }),
    ).toBe('people.1.ref: "p1" is listed twice');
    expect(message('text')).toBe('The file must hold a JSON object.');
  });
});
