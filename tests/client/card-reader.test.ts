/**
 * The cards as the board's page reads them (client/src/lib/card-reader.ts, keep-unchanged.ts):
 * the same cards as the shared reader gives, read again only where something changed, and the
 * unchanged ones handed back as the very objects the page already shows.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addCard, deleteCard, readCardsByQuestion, updateCard } from '../../shared/board';
import { newId } from '../../shared/ids';
import { CardReader } from '../../client/src/lib/card-reader';
import { keepGroups, keepItems } from '../../client/src/lib/keep-unchanged';

const AUTHOR = newId();

function boardWith(questions: string[], perQuestion: number): { doc: Y.Doc; ids: string[] } {
  const doc = new Y.Doc();
  const ids: string[] = [];
  for (const questionId of questions) {
    for (let i = 0; i < perQuestion; i++)
      ids.push(addCard(doc, { questionId, text: `answer ${i}`, authorId: AUTHOR }));
  }
  return { doc, ids };
}

/** A second copy of the board where someone else edits; their changes arrive as updates. */
function peerOf(doc: Y.Doc): Y.Doc {
  const peer = new Y.Doc();
  Y.applyUpdate(peer, Y.encodeStateAsUpdate(doc));
  peer.on('update', (update: Uint8Array) => Y.applyUpdate(doc, update));
  return peer;
}

describe('the cards a board page reads', () => {
  it('[quality#the-client-on-a-big-board][sync#text-fields] are the cards the shared reader gives, after edits, moves, deletions and bad entries', () => {
    const [first, second] = [newId(), newId()];
    const { doc, ids } = boardWith([first, second], 3);
    const reader = new CardReader(doc);
    expect(reader.byQuestion()).toEqual(readCardsByQuestion(doc));

    const peer = peerOf(doc);
    const text = (peer.getMap('cards').get(ids[0] as string) as Y.Map<unknown>).get('text') as Y.Text;
    text.insert(0, 'typed ');
    updateCard(doc, ids[1] as string, 'rewritten');
    (peer.getMap('cards').get(ids[2] as string) as Y.Map<unknown>).set('questionId', second);
    deleteCard(peer, ids[3] as string);
    peer.getMap('cards').set(newId(), 'not a card');
    doc.getMap('cards').set(newId(), new Y.Map());
    addCard(peer, { questionId: first, text: 'late', authorId: AUTHOR });

    const now = reader.byQuestion();
    expect(now).toEqual(readCardsByQuestion(doc));
    expect(now.get(first)?.map((card) => card.text)).toContain('typed answer 0');
    expect(now.get(second)).toHaveLength(3);
    reader.destroy();
  });

  it('[quality#the-client-on-a-big-board] gives back the unchanged cards, and the lanes without a change, as the same objects', () => {
    const [first, second] = [newId(), newId()];
    const { doc, ids } = boardWith([first, second], 50);
    const reader = new CardReader(doc);
    const before = keepGroups(undefined, reader.byQuestion());

    const peer = peerOf(doc);
    ((peer.getMap('cards').get(ids[7] as string) as Y.Map<unknown>).get('text') as Y.Text).insert(8, 'x');
    const after = keepGroups(before, reader.byQuestion());

    // The other lane is the very array it was; in the changed one, only the typed card is new.
    expect(after.get(second)).toBe(before.get(second));
    const changed = after.get(first) as Array<{ id: string; text: string }>;
    expect(changed).not.toBe(before.get(first));
    changed.forEach((card, index) => {
      if (card.id === ids[7]) {
        expect(card.text).toBe('answer 7x');
        expect(card).not.toBe(before.get(first)?.[index]);
      } else expect(card).toBe(before.get(first)?.[index]);
    });
    reader.destroy();
  });

  it('[quality#the-client-on-a-big-board] tells a removed, added or moved item apart from an unchanged list', () => {
    const a = { id: 'a', n: 1 };
    const b = { id: 'b', n: 2 };
    expect(keepItems([a, b], [{ ...a }, { ...b }])).toEqual([a, b]);
    expect(keepItems([a, b], [{ ...a }])).not.toBe([a, b]);
    const moved = keepItems([a, b], [{ ...b }, { ...a }]);
    expect(moved).toEqual([b, a]);
    expect(moved[0]).toBe(b);
    expect(keepItems([a, b], [{ ...a }, { id: 'b', n: 3 }])[1]).toEqual({ id: 'b', n: 3 });
  });
});
