/**
 * Renaming a challenge against a real server (docs/product.md#challenges,
 * docs/sync.md#what-the-server-accepts): a rename through Atelier's command reaches the stored
 * board; a raw client that stretches a title past the guard's text limit is closed with 4422 and
 * the stored title stays.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { readChallenges, ROOT, updateChallenge } from '../../shared/board';
import { CLOSE } from '../../shared/sync';
import { waitFor } from '../helpers/expect';
import { storedDoc } from '../helpers/facilitation';
import { useServer } from '../helpers/fixtures';
import { createBoard, joinBoard } from '../helpers/server';
import { updateFrame } from '../helpers/sync-clients';

describe('challenge titles on the server', () => {
  const server = useServer();
  const { sync } = server;

  it('[product#challenges][sync#what-the-server-accepts] a rename is stored; a title stretched past the text limit is refused with 4422 and changes nothing', async () => {
    const board = await createBoard(server);
    const lead = await joinBoard(server, board.id, 'Lead', board.facilitatorKey);
    const honest = await sync.syncedProvider(server, board.id, { token: lead.token });
    const [first] = readChallenges(honest.doc);
    if (!first) throw new Error('the kickoff template starts the lane');

    updateChallenge(honest.doc, first.id, '  Finding our audience ');
    await waitFor(
      async () => readChallenges(await storedDoc(server, board.id))[0]?.title === 'Finding our audience',
      5_000,
      'the rename stored',
    );

    const doc = new Y.Doc();
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(honest.doc));
    const before = Y.encodeStateVector(doc);
    const item = doc.getMap(ROOT.challenges).get(first.id) as Y.Map<unknown>;
    (item.get('title') as Y.Text).insert(0, 'x'.repeat(10_001));
    const raw = sync.raw(server, `/sync/${board.id}`);
    await raw.opened;
    raw.ws.send(updateFrame(Y.encodeStateAsUpdate(doc, before)));
    expect((await raw.closed).code).toBe(CLOSE.refused);
    expect(readChallenges(await storedDoc(server, board.id))[0]?.title).toBe('Finding our audience');
    expect(readChallenges(honest.doc)[0]?.title).toBe('Finding our audience');
  });
});
