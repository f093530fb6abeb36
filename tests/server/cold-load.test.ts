/**
 * A board loaded from the store (docs/sync.md#answers-and-slow-readers): joiners of a board loaded
 * from its snapshot share one answer made from the snapshot as it was read; they get every card,
 * and every edit made after it.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addCard, readCards } from '../../shared/board';
import { firstQuestion, waitFor } from '../helpers/expect';
import { useServer } from '../helpers/fixtures';
import { createBoard } from '../helpers/server';
import type { ProviderClient } from '../helpers/sync-clients';

const AUTHOR = 'author-0001';

function texts(client: ProviderClient): string[] {
  return readCards(client.doc)
    .map((card) => card.text)
    .sort();
}

describe('a board loaded from its snapshot', () => {
  const server = useServer();
  const clients = server.sync;

  it('[sync#answers-and-slow-readers] gives every joiner every card, and every later edit reaches them and is kept', async () => {
    const board = await createBoard(server);
    const writer = await clients.syncedProvider(server, board.id);
    for (let i = 0; i < 30; i++)
      addCard(writer.doc, { questionId: firstQuestion(writer), text: `card ${i}`, authorId: AUTHOR });
    const written = texts(writer);
    await waitFor(async () => readCards(await storedDoc(board.id)).length === 30, 5_000, 'the cards stored');
    await clients.closeAll();
    // Unloading stores a snapshot of everything: the next load reads that snapshot alone.
    await waitFor(() => !server.running.docs.isLoaded(board.id), 5_000, 'the board to unload');
    const stored = await server.running.store.loadDoc(board.id);
    expect(stored.updates).toHaveLength(0);

    const [a, b] = await Promise.all([
      clients.syncedProvider(server, board.id),
      clients.syncedProvider(server, board.id),
    ]);
    await waitFor(
      () => texts(a).length === 30 && texts(b).length === 30,
      5_000,
      'every card at both joiners',
    );
    expect(texts(a)).toEqual(written);
    expect(texts(b)).toEqual(written);

    // An edit after the load reaches the others, and a joiner after it gets it too.
    addCard(a.doc, { questionId: firstQuestion(a), text: 'after the load', authorId: AUTHOR });
    await waitFor(() => texts(b).includes('after the load'), 5_000, 'the edit at the other joiner');
    const c = await clients.syncedProvider(server, board.id);
    await waitFor(() => texts(c).length === 31, 5_000, 'every card at a later joiner');
    expect(texts(c)).toEqual([...written, 'after the load'].sort());
    await waitFor(async () => readCards(await storedDoc(board.id)).length === 31, 5_000, 'the edit stored');
  });

  async function storedDoc(boardId: string): Promise<Y.Doc> {
    const stored = await server.running.store.loadDoc(boardId);
    const doc = new Y.Doc();
    for (const update of [stored.snapshot, ...stored.updates]) if (update) Y.applyUpdate(doc, update);
    return doc;
  }
});
