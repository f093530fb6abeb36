/**
 * Text fields as `Y.Text` on a real server (docs/sync.md#text-fields): an older board whose texts
 * are strings is converted when it loads without changing what it says; stock y-websocket clients
 * still read and write cards; two clients typing in one card at once both keep their words.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { Joined } from '../../shared/api';
import { addCard, readCards, ROOT, writeText } from '../../shared/board';
import { newId } from '../../shared/ids';
import { syncRoundTrip, waitFor } from '../helpers/expect';
import { closeCodes, storedDoc } from '../helpers/facilitation';
import { useServer } from '../helpers/fixtures';
import type { ProviderClient } from '../helpers/sync-clients';
import { boardSummary, workshop } from '../helpers/workshop';

const server = useServer();
const { sync } = server;

/** An item as a stock client writes it: a `Y.Map` of plain values, texts as strings. */
function plainItem(fields: Record<string, unknown>): Y.Map<unknown> {
  const item = new Y.Map<unknown>();
  for (const [key, value] of Object.entries(fields)) item.set(key, value);
  return item;
}

function firstQuestionId(doc: Y.Doc): string {
  const [id] = [...doc.getMap(ROOT.questions).keys()];
  if (!id) throw new Error('the board has no question');
  return id;
}

async function exportOf(boardId: string, token: string): Promise<Record<string, unknown>> {
  const response = await fetch(`${server.url}/api/boards/${boardId}/export?status=all`, {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(response.status).toBe(200);
  const { exportedAt: _ignored, ...rest } = (await response.json()) as Record<string, unknown>;
  return rest;
}

function cardText(client: ProviderClient, id: string): string | undefined {
  return readCards(client.doc).find((card) => card.id === id)?.text;
}

describe('[sync#text-fields] text fields on the server', () => {
  it('an old board stored with string texts loads converted to Y.Text; its export and summary are unchanged', async () => {
    const { board, facilitator } = await workshop(server, 0);
    const writer = await sync.syncedProvider(server, board.id, { token: facilitator.token });
    const { doc } = writer;
    const questionId = firstQuestionId(doc);
    const cardId = newId();
    const goalId = newId();
    const commitmentId = newId();
    doc.transact(() => {
      doc.getMap(ROOT.cards).set(
        cardId,
        plainItem({
          id: cardId,
          questionId,
          text: 'Makers 🧵 and menders',
          authorId: facilitator.participantId,
          createdAt: 1,
        }),
      );
      doc.getMap(ROOT.goals).set(
        goalId,
        plainItem({
          id: goalId,
          title: 'Grow the community',
          why: 'Reach',
          metric: 'Followers',
          baseline: '1,000',
          target: '5,000',
          due: '2027-03-31',
          owner: 'Dominique',
          authorId: facilitator.participantId,
          createdAt: 2,
        }),
      );
      doc
        .getMap(ROOT.commitments)
        .set(commitmentId, plainItem({ id: commitmentId, text: 'Weekly 1:1s', owner: 'Lead', createdAt: 3 }));
    });
    await syncRoundTrip(writer);
    const summaryBefore = await boardSummary(server, board.id);
    const exportBefore = await exportOf(board.id, facilitator.token);
    expect(summaryBefore.goals).toBe(1);
    const stored = await storedDoc(server, board.id);
    expect((stored.getMap(ROOT.cards).get(cardId) as Y.Map<unknown>).get('text')).toBe(
      'Makers 🧵 and menders',
    );

    await sync.closeAll();
    await server.restart();

    // Loading converts: what it says is unchanged, and the store holds Y.Text from then on.
    expect(await exportOf(board.id, facilitator.token)).toEqual(exportBefore);
    expect(await boardSummary(server, board.id)).toEqual(summaryBefore);
    const converted = await storedDoc(server, board.id);
    const card = converted.getMap(ROOT.cards).get(cardId) as Y.Map<unknown>;
    const goal = converted.getMap(ROOT.goals).get(goalId) as Y.Map<unknown>;
    const commitment = converted.getMap(ROOT.commitments).get(commitmentId) as Y.Map<unknown>;
    expect(card.get('text')).toBeInstanceOf(Y.Text);
    expect(String(card.get('text'))).toBe('Makers 🧵 and menders');
    for (const field of ['title', 'why', 'metric', 'baseline', 'target', 'owner'])
      expect(goal.get(field)).toBeInstanceOf(Y.Text);
    expect(goal.get('due')).toBe('2027-03-31');
    expect(commitment.get('text')).toBeInstanceOf(Y.Text);
    expect(String(commitment.get('owner'))).toBe('Lead');

    // A client that joins now edits the converted text by deltas.
    const editor = await sync.syncedProvider(server, board.id, { token: facilitator.token });
    writeText(editor.doc, { root: ROOT.cards, id: cardId, field: 'text' }, 'Makers 🧵 and menders, mostly');
    await syncRoundTrip(editor);
    await waitFor(
      async () => readCards(await storedDoc(server, board.id)).some((c) => c.text.endsWith('mostly')),
      5_000,
      'the edit stored',
    );
  });

  it('[sync#connecting] a stock WebsocketProvider writes cards as strings, reads Y.Text cards, and Y.Text writers are accepted', async () => {
    const { board, participants } = await workshop(server, 2);
    const [stockMember, atelierMember] = participants as [Joined, Joined];
    const stock = await sync.syncedProvider(server, board.id, { token: stockMember.token });
    const atelier = await sync.syncedProvider(server, board.id, { token: atelierMember.token });
    const stockCloses = closeCodes(stock);
    const atelierCloses = closeCodes(atelier);
    const questionId = firstQuestionId(stock.doc);

    // The stock client writes a card the way it always could: a map with a string.
    const stockCard = newId();
    stock.doc.getMap(ROOT.cards).set(
      stockCard,
      plainItem({
        id: stockCard,
        questionId,
        text: 'From a stock client',
        authorId: stockMember.participantId,
        createdAt: 1,
      }),
    );
    // Atelier's commands write Y.Text.
    const atelierCard = addCard(atelier.doc, {
      questionId,
      text: 'From Atelier',
      authorId: atelierMember.participantId,
    });
    await syncRoundTrip(stock);
    await syncRoundTrip(atelier);
    await waitFor(
      () => cardText(atelier, stockCard) === 'From a stock client',
      5_000,
      'the stock card on Atelier',
    );
    await waitFor(
      () => stock.doc.getMap(ROOT.cards).get(atelierCard) instanceof Y.Map,
      5_000,
      'the Atelier card on the stock client',
    );
    // The stock client reads the Y.Text like any shared type…
    const seen = (stock.doc.getMap(ROOT.cards).get(atelierCard) as Y.Map<unknown>).get('text');
    expect(seen).toBeInstanceOf(Y.Text);
    expect(String(seen)).toBe('From Atelier');
    // …and may replace it with a string, as before; Atelier edits the stock card by a delta.
    (stock.doc.getMap(ROOT.cards).get(atelierCard) as Y.Map<unknown>).set(
      'text',
      'Replaced by the stock client',
    );
    writeText(atelier.doc, { root: ROOT.cards, id: stockCard, field: 'text' }, 'From a stock client, edited');
    await syncRoundTrip(stock);
    await syncRoundTrip(atelier);
    await waitFor(
      () =>
        cardText(atelier, atelierCard) === 'Replaced by the stock client' &&
        cardText(stock, stockCard) === 'From a stock client, edited',
      5_000,
      'both edits on both clients',
    );
    const onServer = readCards(await storedDoc(server, board.id))
      .map((card) => card.text)
      .sort();
    expect(onServer).toEqual(['From a stock client, edited', 'Replaced by the stock client']);
    expect(stockCloses).toEqual([]);
    expect(atelierCloses).toEqual([]);
  });

  it('two clients typing into one card at the same time both keep their words, on both and on the server', async () => {
    const { board, participants } = await workshop(server, 2);
    const [ana, ben] = participants as [Joined, Joined];
    const a = await sync.syncedProvider(server, board.id, { token: ana.token });
    const b = await sync.syncedProvider(server, board.id, { token: ben.token });
    const card = addCard(a.doc, {
      questionId: firstQuestionId(a.doc),
      text: 'Our audience',
      authorId: ana.participantId,
    });
    await syncRoundTrip(a);
    await waitFor(() => cardText(b, card) === 'Our audience', 5_000, 'the card on the second client');

    // Keystroke by keystroke, each its own transaction, neither client hearing of the other's
    // meanwhile (all within one turn of the event loop): every edit is concurrent.
    const ref = { root: ROOT.cards, id: card, field: 'text' } as const;
    const prefix = 'Young ';
    const suffix = ', mostly online';
    for (let i = 1; i <= Math.max(prefix.length, suffix.length); i++) {
      const typedA = prefix.slice(0, i);
      const typedB = suffix.slice(0, i);
      const before = (client: ProviderClient): string => cardText(client, card) ?? '';
      if (i <= prefix.length) writeText(a.doc, ref, typedA + before(a).slice(i - 1), null, i);
      if (i <= suffix.length) writeText(b.doc, ref, before(b) + typedB.slice(-1));
    }
    const expected = 'Young Our audience, mostly online';
    expect(cardText(a, card)).toBe('Young Our audience');
    expect(cardText(b, card)).toBe('Our audience, mostly online');
    await syncRoundTrip(a);
    await syncRoundTrip(b);
    await waitFor(
      () => cardText(a, card) === expected && cardText(b, card) === expected,
      5_000,
      'both edits on both clients',
    );
    await waitFor(
      async () => readCards(await storedDoc(server, board.id)).some((c) => c.text === expected),
      5_000,
      'both edits on the server',
    );
  });
  it('[sync#presence] who edits a text is named by the connection’s own participant, never by the state’s claim', async () => {
    const { board, participants } = await workshop(server, 2);
    const [ana, ben] = participants as [Joined, Joined];
    const watcher = await sync.syncedProvider(server, board.id, { token: ana.token });
    const liar = await sync.syncedProvider(server, board.id, { token: ben.token });
    const anonymous = await sync.syncedProvider(server, board.id);
    liar.provider.awareness.setLocalState({
      participant: ana.participantId,
      editing: 'cards/card-000001/text',
    });
    anonymous.provider.awareness.setLocalState({
      participant: ana.participantId,
      editing: 'cards/card-000002/text',
    });
    const stateOf = (client: ProviderClient): Record<string, unknown> | undefined =>
      watcher.provider.awareness.getStates().get(client.doc.clientID);
    await waitFor(
      () =>
        stateOf(liar)?.editing === 'cards/card-000001/text' &&
        stateOf(anonymous)?.editing === 'cards/card-000002/text',
      5_000,
      'both presence states on the watcher',
    );
    expect(stateOf(liar)).toEqual({ participant: ben.participantId, editing: 'cards/card-000001/text' });
    expect(stateOf(anonymous)).toEqual({ editing: 'cards/card-000002/text' });
  });
});
