/**
 * Undo and redo per section (client/src/lib/undo.ts) on real Yjs documents: what I change while
 * looking at one section is undone from that section only; a teammate's changes are never undone;
 * each undo says what it changed back; every local origin is recognised as local.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { SECTION_ORIGINS, SectionUndo, isLocalOrigin } from '../../client/src/lib/undo';
import { addCard, addGoal, addQuestion, deleteQuestion, readCards, readGoals } from '../../shared/board';

const AUTHOR = 'author-0001';

/** A document with one discovery question, written before anything is tracked; and its undo stacks. */
function board(): { doc: Y.Doc; undo: SectionUndo; questionId: string } {
  const doc = new Y.Doc();
  const questionId = addQuestion(doc, { text: 'What works well today?', section: 'discover' });
  // No capture window: each command is a step of its own, as edits far apart in time are.
  return { doc, undo: new SectionUndo(doc, 0), questionId };
}

const cardTexts = (doc: Y.Doc): string[] => readCards(doc).map((card) => card.text);
const goalTitles = (doc: Y.Doc): string[] => readGoals(doc).map((goal) => goal.title);

describe('undo per section', () => {
  it('[product#undo] undoes in Goals only what I did in Goals: the card I added in Discover stays until I undo in Discover', () => {
    const { doc, undo, questionId } = board();
    addCard(doc, { questionId, text: 'Short meetings', authorId: AUTHOR }, SECTION_ORIGINS.discover);
    addGoal(doc, { title: 'Grow our audience' }, AUTHOR, SECTION_ORIGINS.goals);

    expect(undo.canUndo('goals')).toBe(true);
    expect(undo.undo('goals')).toEqual({ kind: 'undo', what: 'goals' });
    expect(goalTitles(doc)).toEqual([]);
    expect(cardTexts(doc)).toEqual(['Short meetings']);
    // Nothing more of mine in Goals: a second undo there changes nothing.
    expect(undo.canUndo('goals')).toBe(false);
    expect(undo.undo('goals')).toBeNull();
    expect(cardTexts(doc)).toEqual(['Short meetings']);

    expect(undo.canUndo('discover')).toBe(true);
    expect(undo.undo('discover')).toEqual({ kind: 'undo', what: 'cards' });
    expect(cardTexts(doc)).toEqual([]);
  });

  it('[product#undo] redoes in the section where the undo was made, and says what it brought back', () => {
    const { doc, undo } = board();
    addGoal(doc, { title: 'Measure social ROI' }, AUTHOR, SECTION_ORIGINS.goals);
    undo.undo('goals');
    expect(undo.canRedo('discover')).toBe(false);
    expect(undo.redo('discover')).toBeNull();
    expect(goalTitles(doc)).toEqual([]);
    expect(undo.canRedo('goals')).toBe(true);
    expect(undo.redo('goals')).toEqual({ kind: 'redo', what: 'goals' });
    expect(goalTitles(doc)).toEqual(['Measure social ROI']);
  });

  it("[product#undo] never undoes a teammate's change, even in the section where I undo", () => {
    const { doc, undo, questionId } = board();
    const teammate = new Y.Doc();
    Y.applyUpdate(teammate, Y.encodeStateAsUpdate(doc));
    addCard(teammate, { questionId, text: 'From a teammate', authorId: 'author-0002' });
    // As the sync provider applies it: with itself as the origin.
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(teammate), { provider: true });
    addCard(doc, { questionId, text: 'Mine', authorId: AUTHOR }, SECTION_ORIGINS.discover);

    undo.undo('discover');
    expect(cardTexts(doc)).toEqual(['From a teammate']);
    expect(undo.canUndo('discover')).toBe(false);
  });

  it('[product#undo] names a question, not its cards, when undoing the deletion of a question with answers', () => {
    const { doc, undo, questionId } = board();
    addCard(doc, { questionId, text: 'An answer', authorId: AUTHOR });
    deleteQuestion(doc, questionId, SECTION_ORIGINS.discover);
    expect(undo.undo('discover')).toEqual({ kind: 'undo', what: 'questions' });
    expect(cardTexts(doc)).toEqual(['An answer']);
  });

  it('[product#undo] tells its subscribers of every change to any section’s stacks, until they stop listening', () => {
    const { doc, undo } = board();
    let calls = 0;
    const stop = undo.subscribe(() => (calls += 1));
    addGoal(doc, { title: 'Grow our audience' }, AUTHOR, SECTION_ORIGINS.goals);
    expect(calls).toBeGreaterThan(0);
    const seen = calls;
    undo.undo('goals');
    expect(calls).toBeGreaterThan(seen);
    stop();
    const after = calls;
    addGoal(doc, { title: 'Know our audience' }, AUTHOR, SECTION_ORIGINS.goals);
    expect(calls).toBe(after);
  });
});

describe('local origins', () => {
  it('[product#undo][sync#offline] are the origin of each section and of my undo managers; anything else is not local', () => {
    const { doc } = board();
    for (const origin of Object.values(SECTION_ORIGINS)) expect(isLocalOrigin(origin)).toBe(true);
    expect(new Set(Object.values(SECTION_ORIGINS)).size).toBe(Object.keys(SECTION_ORIGINS).length);
    expect(isLocalOrigin(new Y.UndoManager(doc.getMap('goals')))).toBe(true);
    for (const origin of [null, undefined, Symbol('local discover'), 'discover', { provider: true }]) {
      expect(isLocalOrigin(origin)).toBe(false);
    }
  });

  it('[product#undo][sync#offline] count an undo made while offline as a change of mine, as a redo is', () => {
    const { doc, undo } = board();
    const local: boolean[] = [];
    doc.on('update', (_update: Uint8Array, origin: unknown) => local.push(isLocalOrigin(origin)));
    addGoal(doc, { title: 'Grow our audience' }, AUTHOR, SECTION_ORIGINS.goals);
    undo.undo('goals');
    undo.redo('goals');
    expect(local).toEqual([true, true, true]);
  });
});
