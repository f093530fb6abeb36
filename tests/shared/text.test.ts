import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  addCard,
  addGoal,
  applyText,
  convertTexts,
  readCards,
  readCommitments,
  readGoals,
  readHats,
  readQuestions,
  ROOT,
  textChange,
  textOf,
  updateCard,
  writeText,
  type TextChange,
} from '../../shared/board';
import { AppError } from '../../shared/errors';
import { exchange } from '../helpers/expect';

const AUTHOR = 'author-0001';
const QUESTION = 'question-01';

/** Applies a change to a string, as `applyText` does to a `Y.Text`. */
function apply(before: string, change: TextChange | null): string {
  if (!change) return before;
  return before.slice(0, change.index) + change.insert + before.slice(change.index + change.remove);
}

/** A board as written before texts were `Y.Text`: every text field a plain string. */
function stringBoard(): Y.Doc {
  const doc = new Y.Doc();
  doc.transact(() => {
    const item = (fields: Record<string, unknown>): Y.Map<unknown> => {
      const map = new Y.Map<unknown>();
      for (const [key, value] of Object.entries(fields)) map.set(key, value);
      return map;
    };
    doc.getMap(ROOT.meta).set('title', 'Old board');
    doc
      .getMap(ROOT.questions)
      .set(QUESTION, item({ id: QUESTION, text: 'Who is our audience?', section: 'discover', order: 'a0' }));
    doc.getMap(ROOT.cards).set(
      'card-000001',
      item({
        id: 'card-000001',
        questionId: QUESTION,
        text: 'Makers 🧵 and menders',
        authorId: AUTHOR,
        createdAt: 1,
      }),
    );
    doc.getMap(ROOT.goals).set(
      'goal-000001',
      item({
        id: 'goal-000001',
        title: 'Grow',
        why: 'Reach',
        metric: 'Followers',
        baseline: '1,000',
        target: '5,000',
        due: '2027-03-31',
        owner: 'Dominique',
        authorId: AUTHOR,
        createdAt: 2,
      }),
    );
    doc
      .getMap(ROOT.commitments)
      .set('commit-0001', item({ id: 'commit-0001', text: 'Weekly 1:1s', owner: 'Lead', createdAt: 3 }));
    doc.getMap(ROOT.hats).set('hat-0000001', item({ id: 'hat-0000001', label: 'Analyst', order: 'a0' }));
  });
  return doc;
}

function readAll(doc: Y.Doc): unknown {
  return {
    questions: readQuestions(doc),
    cards: readCards(doc),
    goals: readGoals(doc),
    commitments: readCommitments(doc),
    hats: readHats(doc),
  };
}

describe('[sync#text-fields] the change from one text to another', () => {
  it('is one delete and one insert between the common prefix and suffix', () => {
    expect(textChange('hello world', 'hello brave world')).toEqual({ index: 6, remove: 0, insert: 'brave ' });
    expect(textChange('hello brave world', 'hello world')).toEqual({ index: 6, remove: 6, insert: '' });
    expect(textChange('abcdef', 'abXef')).toEqual({ index: 2, remove: 2, insert: 'X' });
    expect(textChange('same', 'same')).toBeNull();
  });

  it('works from and to the empty text', () => {
    expect(textChange('', 'new')).toEqual({ index: 0, remove: 0, insert: 'new' });
    expect(textChange('gone', '')).toEqual({ index: 0, remove: 4, insert: '' });
    expect(textChange('', '')).toBeNull();
  });

  it('never splits a surrogate pair: an emoji is replaced whole', () => {
    // 😀 and 😁 share their first UTF-16 code unit.
    const change = textChange('a😀b', 'a😁b');
    expect(change).toEqual({ index: 1, remove: 2, insert: '😁' });
    // 🧵 (U+1F9F5) and 🫵 (U+1FAF5) share their second one.
    expect(textChange('x🧵', 'x🫵')).toEqual({ index: 1, remove: 2, insert: '🫵' });
    for (const [before, after] of [
      ['😀😀', '😀😁😀'],
      ['🧵🧵', '🧵'],
      ['a👍🏽b', 'a👍🏿b'],
    ] as const) {
      const found = textChange(before, after);
      expect(apply(before, found)).toBe(after);
      const inserted = found?.insert ?? '';
      expect(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(inserted)).toBe(
        false,
      );
    }
  });

  it('places an ambiguous insertion or deletion at the caret', () => {
    // Typing "a" at the start of "aa" leaves the caret at 1: the change ends there.
    expect(textChange('aa', 'aaa', 1)).toEqual({ index: 0, remove: 0, insert: 'a' });
    expect(textChange('aa', 'aaa', 3)).toEqual({ index: 2, remove: 0, insert: 'a' });
    expect(textChange('aaa', 'aa', 1)).toEqual({ index: 1, remove: 1, insert: '' });
    // A caret that does not fit the change is ignored.
    expect(textChange('abc', 'aXbc', 4)).toEqual({ index: 1, remove: 0, insert: 'X' });
  });

  it('applied to a Y.Text, keeps a concurrent insertion elsewhere in the same text', () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    a.getText('t').insert(0, 'The team meets weekly.');
    exchange(a, b);
    applyText(a.getText('t'), 'The whole team meets weekly.');
    applyText(b.getText('t'), 'The team meets weekly, on Mondays.');
    exchange(a, b);
    expect(a.getText('t').toJSON()).toBe('The whole team meets weekly, on Mondays.');
    expect(b.getText('t').toJSON()).toBe(a.getText('t').toJSON());
  });
});

describe('[sync#text-fields] text fields as Y.Text or strings', () => {
  it('commands write Y.Text; an edit changes the same Y.Text by a delta, never replacing it', () => {
    const doc = new Y.Doc();
    const id = addCard(doc, { questionId: QUESTION, text: 'first words', authorId: AUTHOR });
    const card = doc.getMap(ROOT.cards).get(id) as Y.Map<unknown>;
    const text = card.get('text');
    expect(text).toBeInstanceOf(Y.Text);
    updateCard(doc, id, 'first few words');
    expect(card.get('text')).toBe(text);
    expect(readCards(doc)[0]?.text).toBe('first few words');
  });

  it('readers give the same board whether texts are strings or Y.Text, and keep the limits', () => {
    const doc = stringBoard();
    const before = readAll(doc);
    const long = 'x'.repeat(700);
    const card = doc.getMap(ROOT.cards).get('card-000001') as Y.Map<unknown>;
    expect(convertTexts(doc)).toBe(11);
    expect(readAll(doc)).toEqual(before);
    card.set('text', new Y.Text(long));
    expect(readCards(doc)[0]?.text).toBe('x'.repeat(500));
    card.set('text', long);
    expect(readCards(doc)[0]?.text).toBe('x'.repeat(500));
    expect(textOf(42)).toBeNull();
  });

  it('converting an old board loses nothing, touches only strings, and is a no-op the second time', () => {
    const doc = stringBoard();
    const before = readAll(doc);
    const goal = doc.getMap(ROOT.goals).get('goal-000001') as Y.Map<unknown>;
    expect(convertTexts(doc)).toBe(11);
    for (const field of ['title', 'why', 'metric', 'baseline', 'target', 'owner'])
      expect(goal.get(field)).toBeInstanceOf(Y.Text);
    expect(goal.get('due')).toBe('2027-03-31');
    expect(goal.get('createdAt')).toBe(2);
    expect(readAll(doc)).toEqual(before);
    expect(convertTexts(doc)).toBe(0);
    // The converted document, sent to another, reads the same there.
    const copy = new Y.Doc();
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
    expect(readAll(copy)).toEqual(before);
  });

  it('a first edit converts a string field, then edits merge like any Y.Text', () => {
    const a = stringBoard();
    const ref = { root: ROOT.cards, id: 'card-000001', field: 'text' } as const;
    writeText(a, ref, 'Makers 🧵 and menders, mostly');
    const b = new Y.Doc();
    exchange(a, b);
    writeText(a, ref, 'Young makers 🧵 and menders, mostly');
    writeText(b, ref, 'Makers 🧵 and menders, mostly online');
    exchange(a, b);
    expect(readCards(a)[0]?.text).toBe('Young makers 🧵 and menders, mostly online');
    expect(readCards(b)[0]?.text).toBe('Young makers 🧵 and menders, mostly online');
  });

  it('writeText refuses an unknown field and text over the limit, and ignores a missing item', () => {
    const doc = stringBoard();
    const before = Y.encodeStateAsUpdate(doc);
    expect(() => writeText(doc, { root: ROOT.cards, id: 'card-000001', field: 'authorId' }, 'x')).toThrow(
      AppError,
    );
    expect(() =>
      writeText(doc, { root: ROOT.cards, id: 'card-000001', field: 'text' }, 'x'.repeat(501)),
    ).toThrow(AppError);
    expect(() =>
      writeText(doc, { root: ROOT.hats, id: 'hat-0000001', field: 'label' }, 'x'.repeat(121)),
    ).toThrow(AppError);
    expect(writeText(doc, { root: ROOT.cards, id: 'card-missing', field: 'text' }, 'x')).toBe(false);
    expect(Y.encodeStateAsUpdate(doc)).toEqual(before);
  });

  it('new goals keep their text fields in Y.Text', () => {
    const doc = new Y.Doc();
    const id = addGoal(doc, { title: 'Grow', owner: 'Ana' }, AUTHOR);
    const goal = doc.getMap(ROOT.goals).get(id) as Y.Map<unknown>;
    expect(goal.get('title')).toBeInstanceOf(Y.Text);
    expect(goal.get('owner')).toBeInstanceOf(Y.Text);
    expect(readGoals(doc)[0]).toMatchObject({ title: 'Grow', owner: 'Ana', why: '' });
  });
});
