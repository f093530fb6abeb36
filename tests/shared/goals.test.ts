/**
 * Goal commands (shared/board/goals, docs/sync.md#document-layout): one goal is one Y.Map, each field its own key;
 * inputs are checked as the interface and the server both rely on (docs/errors.md#validation).
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  addGoal,
  cleanGoalFields,
  deleteGoal,
  hasGoal,
  isGoalComplete,
  LIMIT,
  newItem,
  readGoals,
  ROOT,
  updateGoal,
} from '../../shared/board';
import { ID_PATTERN } from '../../shared/ids';
import { exchange, expectAppError } from '../helpers/expect';

const AUTHOR = 'author-0001';

const FULL = {
  title: 'Grow our audience',
  why: 'More qualified leads for sales',
  metric: 'Followers on LinkedIn',
  baseline: '1,200',
  target: '5,000',
  due: '2027-03-31',
  owner: 'Camille',
};

describe('addGoal', () => {
  it('[sync#ids-and-order] writes a goal with every field, its author, its creation time and a well-formed id', () => {
    const doc = new Y.Doc();
    const id = addGoal(doc, FULL, AUTHOR, null, 1_700_000_000_000);
    expect(id).toMatch(ID_PATTERN);
    expect(readGoals(doc)).toEqual([
      { id, ...FULL, authorId: AUTHOR, createdAt: 1_700_000_000_000, order: '' },
    ]);
    const item = doc.getMap(ROOT.goals).get(id);
    expect(item).toBeInstanceOf(Y.Map);
    // Each field is its own key of the goal's Y.Map (docs/sync.md#document-layout), so edits of different fields merge.
    expect((item as Y.Map<unknown>).toJSON()).toEqual({
      id,
      ...FULL,
      authorId: AUTHOR,
      createdAt: 1_700_000_000_000,
      // The set of challenges it addresses (docs/sync.md#challenges-and-glossary), empty.
      challengeIds: {},
    });
  });

  it('[sync#document-layout][export#hidden-votes] fills the fields not given with empty strings and due with null', () => {
    const doc = new Y.Doc();
    const before = Date.now();
    const id = addGoal(doc, { title: 'Brand awareness' }, AUTHOR);
    const [goal] = readGoals(doc);
    expect(goal).toEqual({
      id,
      title: 'Brand awareness',
      why: '',
      metric: '',
      baseline: '',
      target: '',
      due: null,
      owner: '',
      authorId: AUTHOR,
      createdAt: expect.any(Number),
      order: '',
    });
    expect(goal?.createdAt).toBeGreaterThanOrEqual(before);
  });

  it('[sync#document-layout][errors#text-limits] trims surrounding white space of every text field', () => {
    const doc = new Y.Doc();
    addGoal(
      doc,
      {
        title: '  Grow  ',
        why: '\tsales\n',
        metric: ' followers ',
        baseline: ' 1 ',
        target: ' 2 ',
        owner: ' Jo ',
      },
      AUTHOR,
    );
    expect(readGoals(doc)[0]).toMatchObject({
      title: 'Grow',
      why: 'sales',
      metric: 'followers',
      baseline: '1',
      target: '2',
      owner: 'Jo',
    });
  });

  it('[errors#document-content] requires a title: empty, blank or missing is refused with bad_request, and nothing is written', () => {
    const doc = new Y.Doc();
    expectAppError(() => addGoal(doc, { title: '' }, AUTHOR), 'bad_request');
    expectAppError(() => addGoal(doc, { title: '   \n ' }, AUTHOR), 'bad_request');
    expectAppError(() => addGoal(doc, { title: 42 } as unknown as { title: string }, AUTHOR), 'bad_request');
    expect(doc.getMap(ROOT.goals).size).toBe(0);
  });

  it('[errors#validation] refuses a goal without any title (untyped callers) with bad_request, rather than writing an empty title', () => {
    const doc = new Y.Doc();
    const untitled = { metric: 'Followers' } as unknown as { title: string };
    expectAppError(() => addGoal(doc, untitled, AUTHOR), 'bad_request');
    expect(doc.getMap(ROOT.goals).size).toBe(0);
  });

  it('[errors#text-limits] limits each field to 500 UTF-16 code units: 500 is fine, 501 is too_large', () => {
    const doc = new Y.Doc();
    const fields = ['title', 'why', 'metric', 'baseline', 'target', 'owner'] as const;
    expect(LIMIT.text).toBe(500);
    for (const field of fields) {
      const id = addGoal(doc, { title: 'Goal', [field]: 'é'.repeat(500) }, AUTHOR);
      expect(readGoals(doc).find((goal) => goal.id === id)?.[field]).toBe('é'.repeat(500));
      expectAppError(() => addGoal(doc, { title: 'Goal', [field]: 'x'.repeat(501) }, AUTHOR), 'too_large');
      // An emoji is two code units: 250 of them are 500, one more is over.
      expectAppError(
        () => addGoal(doc, { title: 'Goal', [field]: '😀'.repeat(250) + 'x' }, AUTHOR),
        'too_large',
      );
    }
    // White space around the text does not count against the limit.
    addGoal(doc, { title: `  ${'t'.repeat(500)}  ` }, AUTHOR);
    expect(readGoals(doc)).toHaveLength(fields.length + 1);
  });

  it('[sync#document-layout][errors#validation] takes due as a real ISO date or null, and refuses anything else with bad_request', () => {
    const doc = new Y.Doc();
    addGoal(doc, { title: 'Leap day', due: '2028-02-29' }, AUTHOR);
    addGoal(doc, { title: 'No date', due: null }, AUTHOR);
    expect(
      readGoals(doc)
        .map((goal) => goal.due)
        .sort(),
    ).toEqual(['2028-02-29', null]);
    for (const due of [
      '2027-02-30',
      '2027-02-29',
      '2027-13-01',
      '2027-00-10',
      '2027-3-31',
      '31/03/2027',
      '2027-03-31T00:00:00Z',
      '',
      'soon',
      20270331,
    ]) {
      expectAppError(() => addGoal(doc, { title: 'Bad date', due: due as string }, AUTHOR), 'bad_request');
    }
    expect(readGoals(doc)).toHaveLength(2);
  });

  it('[sync#ids-and-order] records an empty author for an author id that is not an id', () => {
    const doc = new Y.Doc();
    addGoal(doc, { title: 'Goal' }, '__proto__');
    addGoal(doc, { title: 'Goal' }, 'short');
    expect(readGoals(doc).map((goal) => goal.authorId)).toEqual(['', '']);
  });

  it('[sync#document-layout] writes with the caller’s origin, in one transaction', () => {
    const doc = new Y.Doc();
    const origins: unknown[] = [];
    doc.on('afterTransaction', (transaction: Y.Transaction) => origins.push(transaction.origin));
    const origin = { gesture: 'add goal' };
    addGoal(doc, FULL, AUTHOR, origin);
    expect(origins).toEqual([origin]);
  });
});

describe('cleanGoalFields', () => {
  it('[errors#text-limits] returns only the fields given, trimmed, and refuses a non-string text field', () => {
    expect(cleanGoalFields({ owner: ' Sam ', due: null })).toEqual({ owner: 'Sam', due: null });
    expect(cleanGoalFields({})).toEqual({});
    expect(cleanGoalFields({ why: '   ' })).toEqual({ why: '' });
    expectAppError(() => cleanGoalFields({ owner: 7 as unknown as string }), 'bad_request');
    expectAppError(() => cleanGoalFields({ title: ' ' }), 'bad_request');
  });
});

describe('updateGoal', () => {
  it('[sync#document-layout] changes only the given fields and keeps the others', () => {
    const doc = new Y.Doc();
    const id = addGoal(doc, FULL, AUTHOR, null, 1_000);
    updateGoal(doc, id, { target: ' 6,000 ', due: null });
    expect(readGoals(doc)).toEqual([
      { id, ...FULL, target: '6,000', due: null, authorId: AUTHOR, createdAt: 1_000, order: '' },
    ]);
    updateGoal(doc, id, { title: 'Grow our audience on LinkedIn', due: '2027-06-30' });
    expect(readGoals(doc)[0]).toMatchObject({
      title: 'Grow our audience on LinkedIn',
      target: '6,000',
      due: '2027-06-30',
      owner: 'Camille',
    });
  });

  it('[errors#validation] refuses a bad field and changes nothing, not even the good fields sent with it', () => {
    const doc = new Y.Doc();
    const id = addGoal(doc, FULL, AUTHOR);
    expectAppError(() => updateGoal(doc, id, { owner: 'Sam', title: '' }), 'bad_request');
    expectAppError(() => updateGoal(doc, id, { owner: 'Sam', due: '2027-02-31' }), 'bad_request');
    expectAppError(() => updateGoal(doc, id, { owner: 'Sam', metric: 'm'.repeat(501) }), 'too_large');
    expect(readGoals(doc)[0]).toMatchObject(FULL);
  });

  it('[sync#document-layout] does nothing to a goal that does not exist (deleted meanwhile), and creates none', () => {
    const doc = new Y.Doc();
    const id = addGoal(doc, FULL, AUTHOR);
    deleteGoal(doc, id);
    updateGoal(doc, id, { owner: 'Sam' });
    updateGoal(doc, '__proto__', { owner: 'Sam' });
    expect(doc.getMap(ROOT.goals).size).toBe(0);
    expect(readGoals(doc)).toEqual([]);
  });

  it('[product#who-uses-it][sync#document-layout] concurrent edits of different fields on two documents both survive', () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    const id = addGoal(a, FULL, AUTHOR, null, 1_000);
    exchange(a, b);
    updateGoal(a, id, { target: '7,500' });
    updateGoal(b, id, { owner: 'Dominique', metric: 'Followers on Instagram' });
    exchange(a, b);
    for (const doc of [a, b]) {
      expect(readGoals(doc)).toEqual([
        {
          id,
          ...FULL,
          target: '7,500',
          owner: 'Dominique',
          metric: 'Followers on Instagram',
          authorId: AUTHOR,
          createdAt: 1_000,
          order: '',
        },
      ]);
    }
  });

  it('[sync#text-fields] concurrent edits of the same field merge: both words are kept, the same on both documents', () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    const id = addGoal(a, FULL, AUTHOR);
    exchange(a, b);
    updateGoal(a, id, { owner: 'Ana' });
    updateGoal(b, id, { owner: 'Ben' });
    exchange(a, b);
    const owner = readGoals(a)[0]?.owner;
    expect(['AnaBen', 'BenAna']).toContain(owner);
    expect(readGoals(b)[0]?.owner).toBe(owner);
  });
});

describe('deleteGoal', () => {
  it('[sync#document-layout] removes the goal and only that goal, on every document it reaches', () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    const keep = addGoal(a, { title: 'Keep' }, AUTHOR, null, 1);
    const drop = addGoal(a, { title: 'Drop' }, AUTHOR, null, 2);
    exchange(a, b);
    deleteGoal(b, drop);
    expect(hasGoal(b, drop)).toBe(false);
    exchange(a, b);
    for (const doc of [a, b]) {
      expect(readGoals(doc).map((goal) => goal.id)).toEqual([keep]);
      expect(hasGoal(doc, keep)).toBe(true);
      expect(hasGoal(doc, drop)).toBe(false);
    }
  });

  it('[sync#document-layout] of a goal that does not exist changes nothing', () => {
    const doc = new Y.Doc();
    const id = addGoal(doc, { title: 'Keep' }, AUTHOR);
    deleteGoal(doc, 'NoSuchGoal0000');
    expect(readGoals(doc).map((goal) => goal.id)).toEqual([id]);
  });
});

describe('hasGoal', () => {
  it('[sync#ids-and-order] is true for a readable goal, and false for unknown ids', () => {
    const doc = new Y.Doc();
    const id = addGoal(doc, { title: 'Goal' }, AUTHOR);
    expect(hasGoal(doc, id)).toBe(true);
    expect(hasGoal(doc, 'NoSuchGoal0000')).toBe(false);
    expect(hasGoal(doc, '')).toBe(false);
  });

  it('[sync#readers][errors#document-content] is false for malformed items written by anyone: no title, a title of another type, not a map, a bad key', () => {
    const doc = new Y.Doc();
    const goals = doc.getMap(ROOT.goals);
    goals.set('no-title-0001', newItem({ id: 'no-title-0001', why: 'x' }));
    goals.set('num-title-0001', newItem({ id: 'num-title-0001', title: 42 }));
    goals.set('plain-value-01', 'a goal as a string');
    goals.set('plain-object-1', { title: 'not a Y.Map' });
    goals.set('short', newItem({ id: 'short', title: 'short key' }));
    goals.set('__proto__', newItem({ id: '__proto__', title: 'proto' }));
    goals.set('constructor', newItem({ id: 'constructor', title: 'constructor' }));
    for (const id of [
      'no-title-0001',
      'num-title-0001',
      'plain-value-01',
      'plain-object-1',
      'short',
      '__proto__',
      'constructor',
    ]) {
      expect(hasGoal(doc, id), id).toBe(false);
    }
    // The readers agree: none of these is a goal.
    expect(readGoals(doc)).toEqual([]);
  });
});

describe('isGoalComplete', () => {
  it('[product#template][sync#document-layout] is true once a goal has both a metric and a target', () => {
    expect(isGoalComplete({ metric: 'Followers', target: '5,000' })).toBe(true);
  });

  it('[product#template][sync#document-layout] is false without a metric or without a target, blank counting as missing', () => {
    expect(isGoalComplete({ metric: '', target: '5,000' })).toBe(false);
    expect(isGoalComplete({ metric: 'Followers', target: '' })).toBe(false);
    expect(isGoalComplete({ metric: '   ', target: '5,000' })).toBe(false);
    expect(isGoalComplete({ metric: 'Followers', target: '\t' })).toBe(false);
    expect(isGoalComplete({ metric: '', target: '' })).toBe(false);
  });

  it('[sync#document-layout] follows a goal as it is edited', () => {
    const doc = new Y.Doc();
    const id = addGoal(doc, { title: 'Grow', metric: 'Followers' }, AUTHOR);
    expect(isGoalComplete(readGoals(doc)[0] as { metric: string; target: string })).toBe(false);
    updateGoal(doc, id, { target: '5,000' });
    expect(isGoalComplete(readGoals(doc)[0] as { metric: string; target: string })).toBe(true);
  });
});
