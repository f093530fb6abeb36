/**
 * The update guard (server/sync/guard.ts; docs/sync.md "What the server accepts"): every update is
 * judged before it may touch a board document. Real Yjs documents, real updates — honest ones made
 * by the board's own commands, hostile ones written struct by struct.
 */
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { addCard, addGoal, readQuestions, updateCard, writeTemplate } from '../../shared/board';
import { readTasks, setEstimate, toggleHat } from '../../shared/board/daytoday';
import { checkUpdate, DEFAULT_DOC_RULES, needsMet, sanitizeStored } from '../../server/sync/guard';
import {
  competingMapWrites,
  deepMapChain,
  deleteRange,
  encodeUpdate,
  hostileClient,
  orphanUpdate,
} from '../helpers/hostile-updates';

const rules = DEFAULT_DOC_RULES;

function boardDoc(): Y.Doc {
  const doc = new Y.Doc();
  writeTemplate(doc, { title: 'Kickoff', locale: 'en', template: 'social-kickoff', createdAt: 1 });
  return doc;
}

/** A second replica of `doc`, whose edits come back as updates relative to `doc`. */
function replicaOf(doc: Y.Doc): { replica: Y.Doc; delta: () => Uint8Array } {
  const replica = new Y.Doc();
  Y.applyUpdate(replica, Y.encodeStateAsUpdate(doc));
  const before = Y.encodeStateVector(doc);
  return { replica, delta: () => Y.encodeStateAsUpdate(replica, before) };
}

describe('update guard', () => {
  it('lets every gesture of the board’s own commands through', () => {
    const doc = boardDoc();
    const { replica, delta } = replicaOf(doc);
    const questionId = (readQuestions(replica)[0] ?? { id: '' }).id;
    const card = addCard(replica, { questionId, text: 'Our audience is 25–34', authorId: 'author-0001' });
    updateCard(replica, card, 'Our audience is 25–40');
    addGoal(replica, { title: 'Grow reach', metric: 'followers', target: '+20%' }, 'author-0001');
    const hat = [...replica.getMap('hats').keys()][0] ?? '';
    toggleHat(replica, hat, 'person-00001');
    for (const task of readTasks(replica)) {
      const estimate =
        task.kind === 'duration'
          ? { amount: 3, unit: 'hours' as const, per: 'week' as const }
          : { times: 2, per: 'day' as const };
      setEstimate(replica, task.id, 'person-00001', estimate);
      setEstimate(replica, task.id, 'person-00001', { ...estimate, per: 'month' as const });
    }
    expect(checkUpdate(doc, delta(), rules)).toMatchObject({ kind: 'apply' });
  });

  it('accepts collaborative Y.Text fields, typed and edited', () => {
    const doc = boardDoc();
    const { replica, delta } = replicaOf(doc);
    replica.transact(() => {
      const card = new Y.Map<unknown>();
      replica.getMap('cards').set('card-text-01', card);
      const text = new Y.Text();
      card.set('text', text);
      text.insert(0, 'Hello team');
      text.insert(5, ',');
      text.delete(0, 1);
    });
    expect(checkUpdate(doc, delta(), rules)).toMatchObject({ kind: 'apply' });
  });

  it('refuses a Y.Map chain nested 3,000 deep, judged without recursion', () => {
    const verdict = checkUpdate(boardDoc(), deepMapChain(3_000), rules);
    expect(verdict).toEqual({ kind: 'refuse', reason: 'types nested too deep' });
  });

  it('accepts the layout’s own depth (workload → person → estimates → estimate)', () => {
    expect(checkUpdate(boardDoc(), deepMapChain(rules.maxDepth), rules)).toMatchObject({ kind: 'apply' });
    expect(checkUpdate(boardDoc(), deepMapChain(rules.maxDepth + 1), rules)).toMatchObject({
      kind: 'refuse',
    });
  });

  it('refuses unknown roots, values that are not primitives, kinds the layout does not use and oversized fields', () => {
    const doc = boardDoc();
    const shapes: Array<(replica: Y.Doc) => void> = [
      (d) => d.getMap('not-a-root').set('x', 1),
      (d) => d.getArray('goals').push([1]),
      (d) => d.getMap('cards').set('card-0001', [1, [2]] as unknown as string),
      (d) => d.getMap('cards').set('card-0002', { $gt: '' } as unknown as string),
      (d) => d.getMap('cards').set('card-0003', new Uint8Array([1, 2]) as unknown as string),
      (d) => d.getMap('cards').set('card-0004', new Y.Array()),
      (d) => d.getMap('cards').set('card-0005', new Y.XmlText()),
      (d) => d.getMap('cards').set('card-0006', new Y.Doc() as unknown as string),
      (d) => d.getMap('meta').set('title', 'x'.repeat(rules.maxFieldChars + 1)),
      (d) => d.getMap('cards').set('k'.repeat(rules.maxKeyChars + 1), 1),
      (d) => {
        const text = new Y.Text();
        d.getMap('cards').set('card-0007', text);
        text.insert(0, 'y'.repeat(rules.maxFieldChars + 1));
      },
      (d) => {
        const text = new Y.Text();
        d.getMap('cards').set('card-0008', text);
        text.insert(0, 'bold', { bold: true });
      },
    ];
    for (const write of shapes) {
      const { replica, delta } = replicaOf(doc);
      write(replica);
      expect(checkUpdate(doc, delta(), rules).kind, String(write)).toBe('refuse');
    }
  });

  it('makes an update wait for a struct it depends on, then lets it through once that arrived', () => {
    const doc = boardDoc();
    const { replica, delta } = replicaOf(doc);
    replica.getMap('cards').set('card-typed-1', new Y.Text());
    Y.applyUpdate(doc, delta());
    const text = replica.getMap('cards').get('card-typed-1') as Y.Text;
    const typed = (insert: () => void): Uint8Array => {
      const before = Y.encodeStateVector(replica);
      insert();
      return Y.encodeStateAsUpdate(replica, before);
    };
    const first = typed(() => text.insert(0, 'a'));
    const second = typed(() => text.insert(1, 'b')); // placed after the first

    const verdict = checkUpdate(doc, second, rules);
    expect(verdict.kind).toBe('wait');
    if (verdict.kind !== 'wait') return;
    expect(needsMet(doc, verdict.needs)).toBe(false);
    Y.applyUpdate(doc, first);
    expect(needsMet(doc, verdict.needs)).toBe(true);
    expect(checkUpdate(doc, second, rules)).toMatchObject({ kind: 'apply' });
  });

  it('refuses an overwrite of a value the server never received, unless the same sender is delivering it', () => {
    const doc = boardDoc();
    const { replica } = replicaOf(doc);
    replica.getMap('cards').set('card-first-1', 'first');
    const middle = Y.encodeStateVector(replica);
    replica.getMap('cards').set('card-first-1', 'second'); // deletes the first
    const second = Y.encodeStateAsUpdate(replica, middle);
    expect(checkUpdate(doc, second, rules)).toMatchObject({ kind: 'refuse' });
    const covers = new Map([[replica.clientID, Y.getState(replica.store, replica.clientID) - 1]]);
    expect(checkUpdate(doc, second, rules, covers)).toMatchObject({ kind: 'wait' });
  });

  it('refuses a delete of a range nobody has shown the server (a planted delete), unless the sender is delivering it', () => {
    const doc = boardDoc();
    const victim = hostileClient(42);
    expect(checkUpdate(doc, deleteRange(victim, 0, 1_000), rules)).toEqual({
      kind: 'refuse',
      reason: 'deletes content the board has not seen',
      unseen: true,
    });
    // The same delete from a sender whose waiting content covers it waits instead.
    const covers = new Map([[victim, 1_000]]);
    expect(checkUpdate(doc, deleteRange(victim, 0, 1_000), rules, covers)).toMatchObject({ kind: 'wait' });
  });

  it('makes content with a missing origin wait (it never reaches the document)', () => {
    const verdict = checkUpdate(boardDoc(), orphanUpdate(Y.createID(hostileClient(7), 99)), rules);
    expect(verdict).toMatchObject({ kind: 'wait', needs: [{ client: hostileClient(7), clock: 99 }] });
  });

  it('refuses many writes competing for the same keys (quadratic to integrate), but not a few concurrent edits', () => {
    const doc = boardDoc();
    const { replica, delta } = replicaOf(doc);
    replica.getMap('cards').set('card-contest', new Y.Map());
    const made = delta();
    Y.applyUpdate(doc, made);
    const card = (doc.getMap('cards').get('card-contest') as Y.Map<unknown>)._item?.id;
    if (!card) throw new Error('no card');
    expect(checkUpdate(doc, competingMapWrites(card, 5_000), rules)).toEqual({
      kind: 'refuse',
      reason: 'too many concurrent edits of one field',
    });
    // Three people setting one field at the same moment is ordinary.
    expect(checkUpdate(doc, competingMapWrites(card, 3, { keys: 1 }), rules)).toMatchObject({
      kind: 'apply',
    });
  });

  it('refuses many concurrent insertions at one place of a text', () => {
    const doc = boardDoc();
    const { replica, delta } = replicaOf(doc);
    const text = new Y.Text();
    replica.getMap('cards').set('card-typing', text);
    text.insert(0, 'ab');
    Y.applyUpdate(doc, delta());
    const first = (doc.getMap('cards').get('card-typing') as Y.Text)._start?.id;
    if (!first) throw new Error('no text');
    const inserts = Array.from(
      { length: 200 },
      (_, i) =>
        new Y.Item(
          Y.createID(hostileClient(900 + i), 0),
          null,
          first,
          null,
          null,
          null,
          null,
          new Y.ContentString('z'),
        ),
    );
    expect(checkUpdate(doc, encodeUpdate(inserts), rules)).toEqual({
      kind: 'refuse',
      reason: 'too many concurrent insertions at one place',
    });
  });

  it('cleans a stored document that breaks the rules so that it loads, keeping everything else', () => {
    // What an older server could have stored: honest content, a chain 3,000 deep and the delete of its top.
    const honest = boardDoc();
    const chainClient = hostileClient(3);
    const stored = Y.mergeUpdates([
      Y.encodeStateAsUpdate(honest),
      deepMapChain(3_000, chainClient),
      deleteRange(chainClient, 0, 1),
    ]);
    const { update, dropped } = sanitizeStored(stored, rules);
    expect(dropped).toBeGreaterThan(0);
    const loaded = new Y.Doc();
    Y.applyUpdate(loaded, update);
    expect(readQuestions(loaded).map((q) => q.text)).toEqual(readQuestions(honest).map((q) => q.text));
    expect(loaded.getMap('meta').get('title')).toBe('Kickoff');
    // The document still works: an edit after loading emits an update.
    let emitted = 0;
    loaded.on('update', () => (emitted += 1));
    loaded.getMap('meta').set('title', 'Still alive');
    expect(emitted).toBe(1);
  });

  it('leaves a clean stored document as it is', () => {
    const stored = Y.encodeStateAsUpdate(boardDoc());
    expect(sanitizeStored(stored, rules)).toEqual({ update: stored, dropped: 0 });
  });
});
