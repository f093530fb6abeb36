/**
 * The cold first sync (docs/sync.md#cold-boards): a board loaded from a clean
 * snapshot answers its first joiners from the stored bytes, then applies them, and every rule of
 * docs/sync.md still holds on the first edit — the lock, answer rights — even one sent with the
 * first sync request, before any answer. Real server, real SQLite file, restarted so that the board
 * is not in memory; raw sockets where the order of frames matters, stock providers elsewhere.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { Joined } from '../../shared/api';
import { addCard, deleteCard, readCards } from '../../shared/board';
import { CLOSE } from '../../shared/sync';
import type { StoredDoc } from '../../server/storage/store';
import { cardTexts, liveMeeting, storedDoc } from '../helpers/facilitation';
import { OK, firstQuestion, waitFor } from '../helpers/expect';
import { useServer } from '../helpers/fixtures';
import { createBoard } from '../helpers/server';
import type { RawClient } from '../helpers/sync-clients';

/** Card texts long enough that a few hundred cards make a large snapshot. */
const FILLER = 'heads of marketing in mid-size B2B companies, asked about their first week'.repeat(2);

const SYNC = 0;
const STEP1 = 0;
const STEP2 = 1;
const UPDATE = 2;

function syncFrame(step: number, payload: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, SYNC);
  encoding.writeVarUint(encoder, step);
  encoding.writeVarUint8Array(encoder, payload);
  return encoding.toUint8Array(encoder);
}

/** The sync frames among `frames`, in order: their step and payload. */
function syncMessages(frames: Uint8Array[]): Array<{ step: number; payload: Uint8Array }> {
  const messages: Array<{ step: number; payload: Uint8Array }> = [];
  for (const frame of frames) {
    const decoder = decoding.createDecoder(frame);
    if (decoding.readVarUint(decoder) !== SYNC) continue;
    const step = decoding.readVarUint(decoder);
    messages.push({ step, payload: decoding.readVarUint8Array(decoder) });
  }
  return messages;
}

/** A document holding what the store holds. */
function docOf(stored: StoredDoc): Y.Doc {
  const doc = new Y.Doc();
  for (const update of [stored.snapshot, ...stored.updates]) if (update) Y.applyUpdate(doc, update);
  return doc;
}

/** A card added to `base` (a copy of the board), as the update that adds it. */
function cardUpdate(base: Y.Doc, text: string, authorId: string): Uint8Array {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(base));
  const before = Y.encodeStateVector(doc);
  addCard(doc, { questionId: firstQuestion(doc), text, authorId });
  return Y.encodeStateAsUpdate(doc, before);
}

describe('the cold first sync', () => {
  const server = useServer();
  const { sessions, sync } = server;

  /**
   * Restarts the server (a clean stop stores a snapshot): the board is then on disk only, as one
   * clean snapshot. Returns what is stored.
   */
  async function cold(boardId: string): Promise<StoredDoc> {
    await sync.closeAll();
    await sessions.closeAll();
    await server.restart();
    expect(server.running.docs.isLoaded(boardId)).toBe(false);
    const stored = await server.running.store.loadDoc(boardId);
    expect(stored).toMatchObject({ checked: true, clean: true, updates: [] });
    return stored;
  }

  /** A raw sync socket that sends `frames` the moment it opens, before any answer. */
  async function rawJoin(boardId: string, frames: Uint8Array[], joined?: Joined): Promise<RawClient> {
    const query = joined ? `?token=${joined.token}` : '';
    const raw = sync.raw(server, `/sync/${boardId}${query}`);
    await raw.opened;
    for (const frame of frames) raw.ws.send(frame);
    return raw;
  }

  /**
   * Writes `count` cards (as `joined`, or without a token) into a board, new or given: enough for a
   * snapshot that is answered from before it is applied (over 64 KiB). Resolves once stored.
   */
  async function boardWithCards(
    count: number,
    boardId?: string,
    joined?: Joined,
  ): Promise<{ id: string; texts: string[] }> {
    const id = boardId ?? (await createBoard(server)).id;
    const writer = await sync.syncedProvider(server, id, joined ? { token: joined.token } : {});
    const authorId = joined?.participantId ?? 'author-0001';
    for (let i = 0; i < count; i++)
      addCard(writer.doc, { questionId: firstQuestion(writer), text: `card ${i} ${FILLER}`, authorId });
    const total = readCards(writer.doc).length;
    await waitFor(
      async () => readCards(await storedDoc(server, id)).length === total,
      5_000,
      'the cards stored',
    );
    return { id, texts: cardTexts(writer.doc) };
  }

  it('[sync#cold-boards][sync#answers-and-slow-readers] answers a joiner that has nothing with the stored snapshot, byte for byte, before the server asks for its state', async () => {
    const board = await boardWithCards(400);
    const stored = await cold(board.id);
    const raw = await rawJoin(board.id, [syncFrame(STEP1, Y.encodeStateVector(new Y.Doc()))]);
    await waitFor(() => syncMessages(raw.frames).length >= 2, 5_000, 'the answer and the server state');
    const [answer, ask] = syncMessages(raw.frames);
    expect(answer?.step).toBe(STEP2);
    expect(Array.from(answer?.payload ?? [])).toEqual(Array.from(stored.snapshot ?? []));
    // The server's own state vector follows: that of the whole stored document.
    expect(ask?.step).toBe(STEP1);
    expect(Array.from(ask?.payload ?? [])).toEqual(
      Array.from(Y.encodeStateVectorFromUpdate(stored.snapshot ?? new Uint8Array())),
    );

    // A stock provider joining next gets every card.
    const reader = await sync.syncedProvider(server, board.id);
    expect(cardTexts(reader.doc)).toEqual(board.texts);
  });

  it('[sync#cold-boards] a joiner that has most of the board gets only what it lacks, taken from the stored bytes', async () => {
    const board = await createBoard(server);
    const writer = await sync.syncedProvider(server, board.id);
    for (let i = 0; i < 400; i++)
      addCard(writer.doc, {
        questionId: firstQuestion(writer),
        text: `card ${i} ${FILLER}`,
        authorId: 'author-0001',
      });
    const earlier = new Y.Doc();
    Y.applyUpdate(earlier, Y.encodeStateAsUpdate(writer.doc));
    addCard(writer.doc, { questionId: firstQuestion(writer), text: 'the last one', authorId: 'author-0001' });
    await waitFor(
      async () => cardTexts(await storedDoc(server, board.id)).includes('the last one'),
      5_000,
      'the last card stored',
    );
    const stored = await cold(board.id);

    const raw = await rawJoin(board.id, [syncFrame(STEP1, Y.encodeStateVector(earlier))]);
    await waitFor(() => syncMessages(raw.frames).length >= 1, 5_000, 'the answer');
    const answer = syncMessages(raw.frames)[0];
    expect(answer?.step).toBe(STEP2);
    expect(answer?.payload.length).toBeLessThan((stored.snapshot?.length ?? 0) / 4);
    Y.applyUpdate(earlier, answer?.payload ?? new Uint8Array());
    expect(cardTexts(earlier)).toEqual(cardTexts(docOf(stored)));
    expect(cardTexts(earlier)).toContain('the last one');
  });

  it('[sync#cold-boards] an edit sent with the first sync request is applied, stored, and reaches a later joiner with every stored card', async () => {
    const board = await boardWithCards(400);
    const stored = await cold(board.id);
    const raw = await rawJoin(board.id, [
      syncFrame(STEP1, Y.encodeStateVector(new Y.Doc())),
      syncFrame(UPDATE, cardUpdate(docOf(stored), 'written at once', 'author-0002')),
    ]);
    const later = await sync.syncedProvider(server, board.id);
    await waitFor(
      () => cardTexts(later.doc).includes('written at once'),
      5_000,
      'the edit at a later joiner',
    );
    expect(cardTexts(later.doc)).toEqual([...board.texts, 'written at once'].sort());
    await waitFor(
      async () => cardTexts(await storedDoc(server, board.id)).includes('written at once'),
      5_000,
      'the edit stored',
    );
    expect(raw.ws.readyState).toBe(raw.ws.OPEN);
  });

  it("[sync#cold-boards][sync#lock] on a cold locked board, a participant's edit sent with the first sync request closes it with 4423 and is stored nowhere; the facilitator's goes through", async () => {
    const m = await liveMeeting(server, sessions, 1);
    await boardWithCards(400, m.board.id, m.facilitator);
    expect(await m.lead.request('lock', { locked: true })).toEqual(OK);
    await m.lead.waitForSession((view) => view.locked, 'the lock');
    const stored = await cold(m.board.id);
    const member = m.participants[0] as Joined;

    const raw = await rawJoin(
      m.board.id,
      [
        syncFrame(STEP1, Y.encodeStateVector(new Y.Doc())),
        syncFrame(UPDATE, cardUpdate(docOf(stored), 'written while locked', member.participantId)),
      ],
      member,
    );
    expect((await raw.closed).code).toBe(CLOSE.locked);
    // It had its answer first, from the stored bytes, the edit refused after.
    expect(syncMessages(raw.frames)[0]?.step).toBe(STEP2);

    const lead = await rawJoin(
      m.board.id,
      [
        syncFrame(STEP1, Y.encodeStateVector(new Y.Doc())),
        syncFrame(UPDATE, cardUpdate(docOf(stored), 'facilitator note', m.facilitator.participantId)),
      ],
      m.facilitator,
    );
    await waitFor(
      async () => cardTexts(await storedDoc(server, m.board.id)).includes('facilitator note'),
      5_000,
      "the facilitator's card stored",
    );
    expect(cardTexts(await storedDoc(server, m.board.id))).not.toContain('written while locked');
    expect(lead.ws.readyState).toBe(lead.ws.OPEN);
  });

  it("[sync#cold-boards][sync#answer-rights] on a cold board under own, a participant's delete of another's card sent with the first sync request closes it with 4422 and changes nothing", async () => {
    const m = await liveMeeting(server, sessions, 2);
    expect(await m.lead.request('answerRights', { rights: 'own' })).toEqual(OK);
    const [alice, bob] = m.participants as [Joined, Joined];
    const { texts } = await boardWithCards(400, m.board.id, alice);
    const writer = await sync.syncedProvider(server, m.board.id, { token: alice.token });
    const card = addCard(writer.doc, {
      questionId: firstQuestion(writer),
      text: 'Alice wrote this',
      authorId: alice.participantId,
    });
    await waitFor(
      async () => cardTexts(await storedDoc(server, m.board.id)).includes('Alice wrote this'),
      5_000,
      "Alice's card stored",
    );
    const stored = await cold(m.board.id);

    const copy = docOf(stored);
    const before = Y.encodeStateVector(copy);
    deleteCard(copy, card);
    const raw = await rawJoin(
      m.board.id,
      [
        syncFrame(STEP1, Y.encodeStateVector(new Y.Doc())),
        syncFrame(UPDATE, Y.encodeStateAsUpdate(copy, before)),
      ],
      bob,
    );
    expect((await raw.closed).code).toBe(CLOSE.refused);
    expect(syncMessages(raw.frames)[0]?.step).toBe(STEP2);
    const reader = await sync.syncedProvider(server, m.board.id, { token: alice.token });
    const all = [...texts, 'Alice wrote this'].sort();
    expect(cardTexts(reader.doc)).toEqual(all);
    expect(cardTexts(await storedDoc(server, m.board.id))).toEqual(all);
  });

  it('[sync#text-fields][sync#cold-boards] a snapshot holding a plain-string text is not clean: its load converts the text before anyone syncs, and the next snapshot is clean', async () => {
    const board = await createBoard(server);
    const writer = await sync.syncedProvider(server, board.id);
    // A stock client writing a card's text as a plain string (docs/sync.md#text-fields).
    addCard(writer.doc, { questionId: firstQuestion(writer), text: 'typed', authorId: 'author-0001' });
    const [id] = [...writer.doc.getMap<Y.Map<unknown>>('cards').keys()];
    writer.doc
      .getMap<Y.Map<unknown>>('cards')
      .get(id as string)
      ?.set('text', 'plain string');
    await waitFor(
      async () => cardTexts(await storedDoc(server, board.id)).includes('plain string'),
      5_000,
      'the plain string stored',
    );
    await sync.closeAll();
    await server.restart();
    expect(await server.running.store.loadDoc(board.id)).toMatchObject({ checked: true, clean: false });

    const reader = await sync.syncedProvider(server, board.id);
    const text = reader.doc
      .getMap<Y.Map<unknown>>('cards')
      .get(id as string)
      ?.get('text');
    expect(text).toBeInstanceOf(Y.Text);
    expect(String(text)).toBe('plain string');
    await cold(board.id);
  });
});
