/**
 * The board model (shared/board): commands write one gesture each, readers return only
 * well-formed items (document content is untrusted, docs/sync.md#readers, docs/errors.md#document-content), and two documents that swap
 * updates converge.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  addCard,
  addQuestion,
  cleanText,
  deleteCard,
  deleteQuestion,
  LIMIT,
  moveQuestion,
  newItem,
  observeBoard,
  readCards,
  readCardsByQuestion,
  readGoals,
  readHats,
  readMeta,
  readQuestions,
  ROOT,
  updateCard,
  updateQuestion,
} from '../../shared/board';
import { newId } from '../../shared/ids';
import { expectAppError } from '../helpers/expect';

const AUTHOR = 'author-0001';

/** A board with two discovery questions, as a facilitator would make it. */
function boardWithQuestions(): { doc: Y.Doc; first: string; second: string } {
  const doc = new Y.Doc();
  const first = addQuestion(doc, { text: 'Who is our target audience?', section: 'discover' });
  const second = addQuestion(doc, { text: 'Which platforms?', section: 'discover' });
  return { doc, first, second };
}

/** Writes an item the way a rogue client could: any key, any fields, straight into a root. */
function writeRaw(doc: Y.Doc, root: string, key: string, fields: Record<string, unknown>): void {
  doc.getMap(root).set(key, newItem(fields));
}

/** Keeps two documents in sync, as a provider would; returns the function that stops it. */
function connect(a: Y.Doc, b: Y.Doc): () => void {
  const toB = (update: Uint8Array, origin: unknown): void => {
    if (origin !== b) Y.applyUpdate(b, update, a);
  };
  const toA = (update: Uint8Array, origin: unknown): void => {
    if (origin !== a) Y.applyUpdate(a, update, b);
  };
  a.on('update', toB);
  b.on('update', toA);
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a), a);
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b), b);
  return () => {
    a.off('update', toB);
    b.off('update', toA);
  };
}

/** Swaps what each document lacks, once (two peers meeting after working apart). */
function exchange(a: Y.Doc, b: Y.Doc): void {
  const forB = Y.encodeStateAsUpdate(a, Y.encodeStateVector(b));
  const forA = Y.encodeStateAsUpdate(b, Y.encodeStateVector(a));
  Y.applyUpdate(b, forB);
  Y.applyUpdate(a, forA);
}

describe('cleanText', () => {
  it('[errors#text-limits] trims surrounding white space', () => {
    expect(cleanText('  an answer \n')).toBe('an answer');
  });

  it('[errors#validation] refuses empty text, or text of white space only, with bad_request', () => {
    expectAppError(() => cleanText(''), 'bad_request');
    expectAppError(() => cleanText(' \t\n '), 'bad_request');
  });

  it('[errors#text-limits] takes 500 UTF-16 code units and refuses 501 with too_large', () => {
    expect(cleanText('x'.repeat(LIMIT.text))).toHaveLength(500);
    expectAppError(() => cleanText('x'.repeat(LIMIT.text + 1)), 'too_large');
    // Limits count JavaScript's length: an emoji is two code units.
    expect(cleanText('😀'.repeat(250))).toHaveLength(500);
    expectAppError(() => cleanText('😀'.repeat(251)), 'too_large');
  });

  it('applies the limit to the trimmed text', () => {
    expect(cleanText(`  ${'x'.repeat(LIMIT.text)}  `)).toHaveLength(500);
  });
});

describe('questions', () => {
  it('[sync#ids-and-order] addQuestion appends a question to its section, trimmed, with an order key', () => {
    const { doc, first, second } = boardWithQuestions();
    const task = addQuestion(doc, { text: '  How long to answer messages?  ', section: 'day-to-day' });
    expect(readQuestions(doc, 'discover').map((q) => q.id)).toEqual([first, second]);
    expect(readQuestions(doc, 'day-to-day')).toEqual([
      { id: task, text: 'How long to answer messages?', section: 'day-to-day', order: expect.any(String) },
    ]);
    const orders = readQuestions(doc).map((q) => q.order);
    expect(orders.every((order) => order !== '')).toBe(true);
    expect(new Set(orders).size).toBe(3);
  });

  it('[errors#text-limits] refuses an empty or over-long question and leaves the board unchanged', () => {
    const { doc } = boardWithQuestions();
    const before = Y.encodeStateAsUpdate(doc);
    expectAppError(() => addQuestion(doc, { text: '   ', section: 'discover' }), 'bad_request');
    expectAppError(() => addQuestion(doc, { text: 'x'.repeat(501), section: 'discover' }), 'too_large');
    expect(Y.encodeStateAsUpdate(doc)).toEqual(before);
    expect(readQuestions(doc)).toHaveLength(2);
  });

  it('updateQuestion changes the text; an unknown id changes nothing', () => {
    const { doc, first } = boardWithQuestions();
    updateQuestion(doc, first, ' Who buys from us? ');
    expect(readQuestions(doc)[0]?.text).toBe('Who buys from us?');
    updateQuestion(doc, newId(), 'nobody');
    updateQuestion(doc, '__proto__', 'nobody');
    expect(readQuestions(doc).map((q) => q.text)).toEqual(['Who buys from us?', 'Which platforms?']);
    expectAppError(() => updateQuestion(doc, first, ''), 'bad_request');
  });

  it('[sync#document-layout] moveQuestion moves a question among the questions of its own section', () => {
    const doc = new Y.Doc();
    const ids = ['one', 'two', 'three', 'four'].map((text) =>
      addQuestion(doc, { text, section: 'discover' }),
    );
    const task = addQuestion(doc, { text: 'task', section: 'day-to-day' });
    const texts = (): string[] => readQuestions(doc, 'discover').map((q) => q.text);

    moveQuestion(doc, ids[3] as string, 0);
    expect(texts()).toEqual(['four', 'one', 'two', 'three']);
    moveQuestion(doc, ids[3] as string, 2);
    expect(texts()).toEqual(['one', 'two', 'four', 'three']);
    moveQuestion(doc, ids[0] as string, 99);
    expect(texts()).toEqual(['two', 'four', 'three', 'one']);
    moveQuestion(doc, ids[0] as string, -5);
    expect(texts()).toEqual(['one', 'two', 'four', 'three']);
    expect(readQuestions(doc, 'day-to-day').map((q) => q.id)).toEqual([task]);
  });

  it('[sync#ids-and-order] moveQuestion still finds a key when the neighbours got the same order key concurrently', () => {
    const doc = new Y.Doc();
    const ids = ['a', 'b', 'c'].map((text) => addQuestion(doc, { text, section: 'discover' }));
    const tied = readQuestions(doc)[0]?.order as string;
    (doc.getMap(ROOT.questions).get(ids[1] as string) as Y.Map<unknown>).set('order', tied);
    moveQuestion(doc, ids[2] as string, 1);
    const questions = readQuestions(doc);
    expect(questions).toHaveLength(3);
    expect(questions.every((q) => q.order !== '')).toBe(true);
    expect(questions.at(-1)?.text).toBe('c');
  });

  it('moveQuestion of an unknown question changes nothing', () => {
    const { doc } = boardWithQuestions();
    const before = Y.encodeStateAsUpdate(doc);
    moveQuestion(doc, newId(), 0);
    expect(Y.encodeStateAsUpdate(doc)).toEqual(before);
  });

  it('[sync#document-layout] deleteQuestion removes the question and its cards, and no other card', () => {
    const { doc, first, second } = boardWithQuestions();
    addCard(doc, { questionId: first, text: 'Small businesses', authorId: AUTHOR });
    addCard(doc, { questionId: first, text: 'Students', authorId: AUTHOR });
    const kept = addCard(doc, { questionId: second, text: 'Instagram', authorId: AUTHOR });
    deleteQuestion(doc, first);
    expect(readQuestions(doc).map((q) => q.id)).toEqual([second]);
    expect(readCards(doc).map((c) => c.id)).toEqual([kept]);
  });

  it('[sync#document-layout] a gesture is one transaction with the caller’s origin', () => {
    const { doc, first } = boardWithQuestions();
    const origins: unknown[] = [];
    doc.on('afterTransaction', (transaction: Y.Transaction) => origins.push(transaction.origin));
    const local = { kind: 'local' };
    addCard(doc, { questionId: first, text: 'one', authorId: AUTHOR }, local);
    deleteQuestion(doc, first, local);
    expect(origins).toEqual([local, local]);
  });
});

describe('cards', () => {
  it('[sync#document-layout] addCard stores text, question, author and creation time', () => {
    const { doc, first } = boardWithQuestions();
    const id = addCard(
      doc,
      { questionId: first, text: '  Small businesses ', authorId: AUTHOR },
      null,
      1_700_000_000_000,
    );
    expect(readCards(doc)).toEqual([
      {
        id,
        questionId: first,
        text: 'Small businesses',
        authorId: AUTHOR,
        createdAt: 1_700_000_000_000,
        order: '',
      },
    ]);
  });

  it('[sync#ids-and-order] cards without an order key come in creation order, and readCards filters by question', () => {
    const { doc, first, second } = boardWithQuestions();
    const late = addCard(doc, { questionId: first, text: 'late', authorId: AUTHOR }, null, 2_000);
    const early = addCard(doc, { questionId: first, text: 'early', authorId: AUTHOR }, null, 1_000);
    const other = addCard(doc, { questionId: second, text: 'other', authorId: AUTHOR }, null, 1_500);
    expect(readCards(doc, first).map((c) => c.id)).toEqual([early, late]);
    expect(readCards(doc, second).map((c) => c.id)).toEqual([other]);
    const groups = readCardsByQuestion(doc);
    expect(groups.get(first)?.map((c) => c.id)).toEqual([early, late]);
    expect(groups.get(second)?.map((c) => c.id)).toEqual([other]);
  });

  it('[sync#ids-and-order] addCard keeps no author id that is not an id', () => {
    const { doc, first } = boardWithQuestions();
    addCard(doc, { questionId: first, text: 'x', authorId: '<script>' });
    expect(readCards(doc)[0]?.authorId).toBe('');
  });

  it('[errors#text-limits] addCard refuses a question id that is not an id, empty text and over-long text', () => {
    const { doc, first } = boardWithQuestions();
    expectAppError(() => addCard(doc, { questionId: 'no', text: 'x', authorId: AUTHOR }), 'bad_request');
    expectAppError(() => addCard(doc, { questionId: first, text: ' ', authorId: AUTHOR }), 'bad_request');
    expectAppError(
      () => addCard(doc, { questionId: first, text: 'x'.repeat(501), authorId: AUTHOR }),
      'too_large',
    );
    expect(readCards(doc)).toEqual([]);
  });

  it('updateCard changes the text and deleteCard removes the card', () => {
    const { doc, first } = boardWithQuestions();
    const id = addCard(doc, { questionId: first, text: 'draft', authorId: AUTHOR });
    updateCard(doc, id, ' final ');
    expect(readCards(doc)[0]?.text).toBe('final');
    expectAppError(() => updateCard(doc, id, 'x'.repeat(501)), 'too_large');
    expect(readCards(doc)[0]?.text).toBe('final');
    deleteCard(doc, id);
    expect(readCards(doc)).toEqual([]);
  });
});

describe('readers over untrusted content', () => {
  it('[sync#readers][errors#document-content] skips cards of the wrong shape written by a rogue client, without throwing', () => {
    const { doc, first } = boardWithQuestions();
    const good = addCard(doc, { questionId: first, text: 'good', authorId: AUTHOR });
    writeRaw(doc, ROOT.cards, newId(), { questionId: first, text: 42 });
    writeRaw(doc, ROOT.cards, newId(), { questionId: 'bad id!', text: 'bad question' });
    writeRaw(doc, ROOT.cards, newId(), { questionId: { evil: true }, text: 'object question' });
    writeRaw(doc, ROOT.cards, newId(), { text: 'no question' });
    writeRaw(doc, ROOT.cards, 'short', { questionId: first, text: 'key too short' });
    writeRaw(doc, ROOT.cards, 'has space in it', { questionId: first, text: 'bad key' });
    writeRaw(doc, ROOT.cards, 'x'.repeat(65), { questionId: first, text: 'key too long' });
    doc.getMap(ROOT.cards).set(newId(), 'a plain string, not a Y.Map');
    doc.getMap(ROOT.cards).set(newId(), new Y.Array());
    doc.getMap(ROOT.cards).set(newId(), 7);
    expect(readCards(doc).map((c) => c.id)).toEqual([good]);
    expect(
      readCardsByQuestion(doc)
        .get(first)
        ?.map((c) => c.id),
    ).toEqual([good]);
  });

  it('[sync#readers] skips an item keyed "__proto__" (ids can never be such keys)', () => {
    const { doc, first } = boardWithQuestions();
    writeRaw(doc, ROOT.cards, '__proto__', { questionId: first, text: 'prototype' });
    writeRaw(doc, ROOT.cards, 'constructor', { questionId: first, text: 'constructor' });
    writeRaw(doc, ROOT.questions, '__proto__', { text: 'prototype', section: 'discover', order: 'V' });
    expect(readCards(doc)).toEqual([]);
    expect(readQuestions(doc).map((q) => q.text)).toEqual([
      'Who is our target audience?',
      'Which platforms?',
    ]);
  });

  it('[sync#readers] reads the item fields of the wrong type as empty, never as what was written', () => {
    const { doc, first } = boardWithQuestions();
    const id = newId();
    writeRaw(doc, ROOT.cards, id, {
      questionId: first,
      text: 'ok',
      authorId: 12,
      createdAt: 'yesterday',
      order: 'not a key!',
    });
    expect(readCards(doc)).toEqual([
      { id, questionId: first, text: 'ok', authorId: '', createdAt: 0, order: '' },
    ]);
  });

  it('[errors#text-limits] cuts over-long text to 500 code units when reading', () => {
    const { doc, first } = boardWithQuestions();
    writeRaw(doc, ROOT.cards, newId(), { questionId: first, text: 'y'.repeat(100_000) });
    writeRaw(doc, ROOT.questions, newId(), { text: 'q'.repeat(5_000), section: 'discover' });
    writeRaw(doc, ROOT.goals, newId(), {
      title: 't'.repeat(5_000),
      why: 'w'.repeat(5_000),
      owner: 'o'.repeat(501),
    });
    writeRaw(doc, ROOT.hats, newId(), { label: 'h'.repeat(501) });
    expect(readCards(doc)[0]?.text).toHaveLength(500);
    expect(readQuestions(doc).find((q) => q.text.startsWith('q'))?.text).toHaveLength(500);
    const [goal] = readGoals(doc);
    expect(goal?.title).toHaveLength(500);
    expect(goal?.why).toHaveLength(500);
    expect(goal?.owner).toHaveLength(500);
    expect(readHats(doc)[0]?.label).toHaveLength(500);
  });

  it('[sync#readers] skips questions with an unknown section or no text', () => {
    const { doc } = boardWithQuestions();
    writeRaw(doc, ROOT.questions, newId(), { text: 'where?', section: 'nope' });
    writeRaw(doc, ROOT.questions, newId(), { section: 'discover' });
    writeRaw(doc, ROOT.questions, newId(), { text: ['not', 'text'], section: 'discover' });
    expect(readQuestions(doc)).toHaveLength(2);
  });

  it('[sync#readers] skips goals without a title and reads the other fields of the wrong type as empty', () => {
    const doc = new Y.Doc();
    writeRaw(doc, ROOT.goals, newId(), { why: 'no title' });
    writeRaw(doc, ROOT.goals, newId(), { title: 5 });
    const id = newId();
    writeRaw(doc, ROOT.goals, id, {
      title: 'Grow our audience',
      why: 1,
      metric: null,
      baseline: {},
      target: [],
      owner: true,
    });
    expect(readGoals(doc)).toEqual([
      {
        id,
        title: 'Grow our audience',
        why: '',
        metric: '',
        baseline: '',
        target: '',
        due: null,
        owner: '',
        authorId: '',
        createdAt: 0,
        order: '',
      },
    ]);
  });

  it('[sync#document-layout] reads the board meta with defaults for missing or wrong values, and cuts the title to 120', () => {
    const doc = new Y.Doc();
    expect(readMeta(doc)).toEqual({
      title: '',
      locale: 'en',
      template: 'blank',
      createdAt: 0,
      nextCheckIn: null,
    });
    const meta = doc.getMap(ROOT.meta);
    meta.set('title', 'T'.repeat(500));
    meta.set('locale', 'de');
    meta.set('template', 'evil');
    meta.set('createdAt', Number.NaN);
    expect(readMeta(doc)).toEqual({
      title: 'T'.repeat(120),
      locale: 'en',
      template: 'blank',
      createdAt: 0,
      nextCheckIn: null,
    });
    meta.set('locale', 'fr');
    meta.set('template', 'social-kickoff');
    meta.set('createdAt', 1_700_000_000_000);
    expect(readMeta(doc)).toMatchObject({
      locale: 'fr',
      template: 'social-kickoff',
      createdAt: 1_700_000_000_000,
    });
  });

  it('[sync#readers] reads a due date only as YYYY-MM-DD, else null', () => {
    const doc = new Y.Doc();
    const cases: Array<[unknown, string | null]> = [
      ['2027-03-31', '2027-03-31'],
      ['2028-02-29', '2028-02-29'],
      ['2027-13-01', null],
      ['2027-00-10', null],
      ['2027-03-32', null],
      ['2027-3-31', null],
      ['31/03/2027', null],
      ['2027-03-31T00:00:00Z', null],
      [' 2027-03-31', null],
      [20270331, null],
      [null, null],
      [{}, null],
    ];
    const ids = cases.map(([due], index) => {
      const id = newId();
      writeRaw(doc, ROOT.goals, id, { title: `goal ${index}`, due, createdAt: index });
      return id;
    });
    const goals = readGoals(doc);
    expect(goals.map((g) => g.id)).toEqual(ids);
    expect(goals.map((g) => g.due)).toEqual(cases.map(([, expected]) => expected));
  });

  it('[sync#readers][export#hidden-votes] reads a due date that does not exist on the calendar as null', () => {
    const doc = new Y.Doc();
    ['2027-02-29', '2027-02-30', '2027-04-31'].forEach((due, index) => {
      writeRaw(doc, ROOT.goals, newId(), { title: due, due, createdAt: index });
    });
    expect(readGoals(doc).map((g) => [g.title, g.due])).toEqual([
      ['2027-02-29', null],
      ['2027-02-30', null],
      ['2027-04-31', null],
    ]);
  });
});

describe('two documents exchanging updates', () => {
  it('[product#architecture] converge when both add cards at once', () => {
    const { doc: a, first } = boardWithQuestions();
    const b = new Y.Doc();
    exchange(a, b);
    const fromA = addCard(a, { questionId: first, text: 'from a', authorId: AUTHOR });
    const fromB = addCard(b, { questionId: first, text: 'from b', authorId: AUTHOR });
    exchange(a, b);
    expect(readCards(a)).toEqual(readCards(b));
    expect(new Set(readCards(a).map((c) => c.id))).toEqual(new Set([fromA, fromB]));
    expect(Y.encodeStateVector(a)).toEqual(Y.encodeStateVector(b));
  });

  it('[sync#document-layout] keep both concurrent edits of different fields of the same card', () => {
    const { doc: a, first, second } = boardWithQuestions();
    const b = new Y.Doc();
    const card = addCard(a, { questionId: first, text: 'draft', authorId: AUTHOR });
    exchange(a, b);
    // Offline at the same time: one rewrites the text, the other moves the card to another lane.
    updateCard(a, card, 'rewritten by a');
    (b.getMap(ROOT.cards).get(card) as Y.Map<unknown>).set('questionId', second);
    exchange(a, b);
    for (const doc of [a, b]) {
      expect(readCards(doc)).toEqual([
        expect.objectContaining({ id: card, text: 'rewritten by a', questionId: second }),
      ]);
    }
  });

  it('[product#architecture] stay in step through a live connection, including deletes', () => {
    const { doc: a, first } = boardWithQuestions();
    const b = new Y.Doc();
    const stop = connect(a, b);
    const card = addCard(b, { questionId: first, text: 'live', authorId: AUTHOR });
    expect(readCards(a).map((c) => c.text)).toEqual(['live']);
    deleteQuestion(a, first);
    expect(readCards(b)).toEqual([]);
    expect(readQuestions(b).map((q) => q.text)).toEqual(['Which platforms?']);
    expect(readCards(a).find((c) => c.id === card)).toBeUndefined();
    stop();
  });
});

describe('undo', () => {
  it('[sync#the-sync-endpoint] an UndoManager tracking the local origin undoes local gestures only, never a remote edit', () => {
    const { doc: local, first } = boardWithQuestions();
    const remote = new Y.Doc();
    const stop = connect(local, remote);
    const mine = Symbol('local gesture');
    const undo = new Y.UndoManager([local.getMap(ROOT.questions), local.getMap(ROOT.cards)], {
      trackedOrigins: new Set([mine]),
      captureTimeout: 0,
    });

    const myCard = addCard(local, { questionId: first, text: 'mine', authorId: AUTHOR }, mine);
    const theirCard = addCard(remote, { questionId: first, text: 'theirs', authorId: AUTHOR }, 'elsewhere');
    updateCard(local, myCard, 'mine, edited', mine);
    expect(
      readCards(local)
        .map((c) => c.id)
        .sort(),
    ).toEqual([myCard, theirCard].sort());

    undo.undo();
    expect(readCards(local).find((c) => c.id === myCard)?.text).toBe('mine');
    undo.undo();
    expect(readCards(local).map((c) => c.id)).toEqual([theirCard]);
    expect(readCards(remote).map((c) => c.id)).toEqual([theirCard]);
    expect(undo.undoStack).toHaveLength(0);
    undo.redo();
    expect(
      readCards(remote)
        .map((c) => c.id)
        .sort(),
    ).toEqual([myCard, theirCard].sort());
    undo.destroy();
    stop();
  });
});

describe('observeBoard', () => {
  it('calls back once per transaction until unsubscribed', () => {
    const { doc, first } = boardWithQuestions();
    let calls = 0;
    const stop = observeBoard(doc, () => (calls += 1));
    addCard(doc, { questionId: first, text: 'one', authorId: AUTHOR });
    deleteQuestion(doc, first);
    expect(calls).toBe(2);
    stop();
    addQuestion(doc, { text: 'after', section: 'discover' });
    expect(calls).toBe(2);
  });
});
