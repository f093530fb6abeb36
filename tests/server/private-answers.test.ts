/**
 * Private and anonymous answers (issue #12) against a real server, seen from raw clients: a stock
 * y-websocket provider and raw socket.io clients hold a participant's place and record everything
 * the server sends them. What is held stays on the server until the reveal; what is anonymous
 * names nobody, in the document, in presence or in an export — and a client that tries to name
 * an author on such a card is refused.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { readCards } from '../../shared/board';
import type { Ack } from '../../shared/session/events';
import { OK, firstQuestion, refused, waitFor } from '../helpers/expect';
import {
  closeCodes,
  freshView,
  liveMeeting,
  member,
  participant as joined,
  storedDoc,
  type Meeting,
} from '../helpers/facilitation';
import { useServer } from '../helpers/fixtures';
import type { SessionClient } from '../helpers/session-clients';
import type { ProviderClient } from '../helpers/sync-clients';

const server = useServer();

/** A participant's stock provider that records every document update it receives. */
async function recordingProvider(
  m: Meeting,
  index: number,
): Promise<{ client: ProviderClient; heard: () => string }> {
  const client = await server.sync.syncedProvider(server, m.board.id, { token: joined(m, index).token });
  const updates: Uint8Array[] = [Y.encodeStateAsUpdate(client.doc)];
  client.doc.on('update', (update: Uint8Array) => updates.push(update));
  const decoder = new TextDecoder('utf-8', { fatal: false });
  return { client, heard: () => updates.map((update) => decoder.decode(update)).join('\n') };
}

/** Everything a session client has received, as one text. */
const sessionEvents = (client: SessionClient): string => JSON.stringify([client.sessions, client.reactions]);

async function answer(client: SessionClient, questionId: string, text: string): Promise<string> {
  const ack = (await client.request('answer', { questionId, text })) as Ack<{ answerId: string }>;
  if (!ack.ok) throw new Error(`answer refused: ${ack.error.code}`);
  return ack.answerId;
}

async function meeting(): Promise<{ m: Meeting; questionId: string }> {
  const m = await liveMeeting(server, server.sessions, 2);
  const questionId = firstQuestion(await storedDoc(server, m.board.id));
  return { m, questionId };
}

const cardsOf = (doc: Y.Doc, questionId: string) => readCards(doc, questionId);

/** Writes a card straight into the document, as a client that skips the board's commands would. */
function writeSignedCard(doc: Y.Doc, id: string, questionId: string, text: string, authorId: string): void {
  doc.transact(() => {
    const card = new Y.Map<unknown>();
    card.set('id', id);
    card.set('questionId', questionId);
    card.set('text', text);
    card.set('authorId', authorId);
    card.set('createdAt', 1);
    doc.getMap('cards').set(id, card);
  });
}

describe('private answers', () => {
  it('[session#private-and-anonymous-answers] [security#private-and-anonymous-answers] held answers reach nobody before the reveal, and everyone after, in the order written', async () => {
    const { m, questionId } = await meeting();
    const [ana, ben] = [member(m, 0), member(m, 1)];
    const benDoc = await recordingProvider(m, 1);
    expect(await m.lead.request('questionMode', { questionId, private: true })).toEqual(OK);

    const first = await answer(ana, questionId, 'Ana first secret');
    await answer(ben, questionId, 'Ben only answer');
    await answer(ana, questionId, 'Ana second secret');

    for (const client of m.everyone) {
      await client.waitForSession((view) => view.heldCounts[questionId] === 3, 'three held answers');
    }
    expect(ana.latest().myAnswers.map((a) => a.text)).toEqual(['Ana first secret', 'Ana second secret']);
    expect(ben.latest().myAnswers).toEqual([{ id: expect.any(String), questionId, text: 'Ben only answer' }]);
    expect(m.lead.latest().myAnswers).toEqual([]);
    expect(ana.latest().questionModes[questionId]).toEqual({ private: true, anonymous: false });
    // Nothing Ben's connections received holds Ana's texts; nor the facilitator's; nor the board.
    expect(sessionEvents(ben)).not.toContain('Ana first secret');
    expect(sessionEvents(ben)).not.toContain('Ana second secret');
    expect(sessionEvents(m.lead)).not.toContain('secret');
    expect(sessionEvents(m.lead)).not.toContain('Ben only answer');
    expect(sessionEvents(ana)).not.toContain('Ben only answer');
    expect(benDoc.heard()).not.toContain('secret');
    expect(cardsOf(await storedDoc(server, m.board.id), questionId)).toEqual([]);

    // The reveal: in the order written, with their authors (the question is named).
    expect(await m.lead.request('questionMode', { questionId, private: false })).toEqual(OK);
    await waitFor(
      () => cardsOf(benDoc.client.doc, questionId).length === 3,
      5_000,
      'the reveal on Ben’s doc',
    );
    const cards = cardsOf(benDoc.client.doc, questionId);
    expect(cards.map((card) => card.text)).toEqual([
      'Ana first secret',
      'Ben only answer',
      'Ana second secret',
    ]);
    expect(cards.map((card) => card.authorId)).toEqual([
      joined(m, 0).participantId,
      joined(m, 1).participantId,
      joined(m, 0).participantId,
    ]);
    expect(cards[0]?.id).toBe(first);
    const after = await ben.waitForSession((view) => view.heldCounts[questionId] === undefined, 'no count');
    expect(after.myAnswers).toEqual([]);
    expect(after.questionModes[questionId]).toBeUndefined();
  });

  it('[session#private-and-anonymous-answers] an author offline at the reveal loses nothing and edits the answer afterwards; nobody else can', async () => {
    const { m, questionId } = await meeting();
    const [ana, ben] = [member(m, 0), member(m, 1)];
    expect(await m.lead.request('questionMode', { questionId, private: true, anonymous: true })).toEqual(OK);
    const answerId = await answer(ana, questionId, 'Written, then gone');
    ana.socket.disconnect();
    await m.lead.waitForSession(
      (view) => view.participants.filter((p) => p.online).length === 2,
      'Ana offline',
    );

    expect(await m.lead.request('questionMode', { questionId, private: false })).toEqual(OK);
    const doc = await storedDoc(server, m.board.id);
    await waitFor(
      async () => cardsOf(await storedDoc(server, m.board.id), questionId).length === 1,
      5_000,
      'the revealed card stored',
    );
    expect(cardsOf(await storedDoc(server, m.board.id), questionId)).toEqual([
      expect.objectContaining({ id: answerId, text: 'Written, then gone', authorId: '' }),
    ]);
    doc.destroy();

    // Someone else cannot touch it through the server; its author, back, can.
    expect(await ben.request('answerEdit', { answerId, text: 'Ben’s word' })).toEqual(refused('not_found'));
    expect(await ben.request('answerDelete', { answerId })).toEqual(refused('not_found'));
    const back = await server.sessions.connect(server, { boardId: m.board.id, token: joined(m, 0).token });
    expect(await back.request('answerEdit', { answerId, text: 'Written, then edited' })).toEqual(OK);
    await waitFor(
      async () =>
        cardsOf(await storedDoc(server, m.board.id), questionId)[0]?.text === 'Written, then edited',
      5_000,
      'the edit stored',
    );
    expect(await back.request('answerDelete', { answerId })).toEqual(OK);
    await waitFor(
      async () => cardsOf(await storedDoc(server, m.board.id), questionId).length === 0,
      5_000,
      'the delete stored',
    );
  });

  it('[session#private-and-anonymous-answers] held answers survive a restart; their author still edits them and the reveal still shows them', async () => {
    const { m, questionId } = await meeting();
    expect(await m.lead.request('questionMode', { questionId, private: true })).toEqual(OK);
    const answerId = await answer(member(m, 0), questionId, 'Kept across a restart');
    await server.sessions.closeAll();
    await server.restart();

    const ana = await server.sessions.connect(server, { boardId: m.board.id, token: joined(m, 0).token });
    expect(ana.latest().myAnswers).toEqual([{ id: answerId, questionId, text: 'Kept across a restart' }]);
    expect(ana.latest().heldCounts[questionId]).toBe(1);
    const ben = await freshView(server, server.sessions, m.board.id, joined(m, 1));
    expect(ben.myAnswers).toEqual([]);
    expect(JSON.stringify(ben)).not.toContain('Kept across');

    expect(await ana.request('answerEdit', { answerId, text: 'Edited after the restart' })).toEqual(OK);
    const lead = await server.sessions.connect(server, { boardId: m.board.id, token: m.facilitator.token });
    expect(await lead.request('questionMode', { questionId, private: false })).toEqual(OK);
    await waitFor(
      async () =>
        cardsOf(await storedDoc(server, m.board.id), questionId)[0]?.text === 'Edited after the restart',
      5_000,
      'the revealed answer stored',
    );
  });

  it('[session#private-and-anonymous-answers] bad requests are refused and change nothing', async () => {
    const { m, questionId } = await meeting();
    const ana = member(m, 0);
    expect(await ana.request('questionMode', { questionId, private: true })).toEqual(
      refused('not_facilitator'),
    );
    expect(await m.lead.request('questionMode', { questionId })).toEqual(refused('bad_request'));
    expect(await m.lead.request('questionMode', { questionId: 'nosuchquestion', private: true })).toEqual(
      refused('not_found'),
    );
    expect(await ana.request('answer', { questionId, text: '   ' })).toEqual(refused('bad_request'));
    expect(await ana.request('answer', { questionId, text: 'x'.repeat(501) })).toEqual(
      refused('bad_request'),
    );
    expect(await ana.request('answer', { questionId: '__proto__', text: 'hi' })).toEqual(
      refused('bad_request'),
    );
    expect(await ana.request('answerEdit', { answerId: 'nosuchanswer', text: 'hi' })).toEqual(
      refused('not_found'),
    );
    expect(await m.lead.request('questionMode', { questionId, private: true })).toEqual(OK);
    expect(await m.lead.request('lock', { locked: true })).toEqual(OK);
    await ana.waitForSession((v) => v.locked, 'locked');
    expect(await ana.request('answer', { questionId, text: 'while locked' })).toEqual(refused('locked'));
    expect(await m.lead.request('lock', { locked: false })).toEqual(OK);
    const view = await ana.waitForSession((v) => !v.locked, 'unlocked');
    expect(view.heldCounts[questionId]).toBe(0);
    expect(view.myAnswers).toEqual([]);
  });
});

describe('anonymous answers', () => {
  it('[session#private-and-anonymous-answers] [export#whole-board-file] an anonymous answer names nobody in the document or the board file', async () => {
    const { m, questionId } = await meeting();
    const benDoc = await recordingProvider(m, 1);
    expect(await m.lead.request('questionMode', { questionId, anonymous: true })).toEqual(OK);
    const answerId = await answer(member(m, 0), questionId, 'Said without a name');
    await waitFor(() => cardsOf(benDoc.client.doc, questionId).length === 1, 5_000, 'the card on Ben’s doc');
    expect(cardsOf(benDoc.client.doc, questionId)[0]).toMatchObject({ id: answerId, authorId: '' });
    expect(benDoc.heard()).not.toContain(joined(m, 0).participantId);

    const response = await fetch(`${server.url}/api/boards/${m.board.id}/board.json`, {
      headers: { authorization: `Bearer ${m.facilitator.token}` },
    });
    const file = (await response.json()) as {
      questions: Array<{ answers?: Array<{ text: string; author: string | null }> }>;
      people?: unknown;
    };
    const answers = file.questions.flatMap((question) => question.answers ?? []);
    expect(answers).toContainEqual({ text: 'Said without a name', author: null });
  });

  it('[sync#anonymous-questions] a client that gives a card of an anonymous question an author is refused, and the board keeps no name', async () => {
    const { m, questionId } = await meeting();
    expect(await m.lead.request('questionMode', { questionId, anonymous: true })).toEqual(OK);
    const answerId = await answer(member(m, 0), questionId, 'No name here');
    const ana = await server.sync.syncedProvider(server, m.board.id, { token: joined(m, 0).token });
    await waitFor(() => cardsOf(ana.doc, questionId).length === 1, 5_000, 'the card');
    const codes = closeCodes(ana);
    // Naming oneself on the anonymous card.
    ana.doc.transact(() => {
      const card = ana.doc.getMap('cards').get(answerId) as Y.Map<unknown>;
      card.set('authorId', joined(m, 0).participantId);
    });
    await waitFor(() => codes.includes(4422), 5_000, 'the refusal');

    // A new card with a name on it, from a fresh client: refused too.
    const forger = await server.sync.syncedProvider(server, m.board.id, { token: joined(m, 1).token });
    const forgerCodes = closeCodes(forger);
    writeSignedCard(forger.doc, 'forgedcard0001', questionId, 'Signed', joined(m, 1).participantId);
    await waitFor(() => forgerCodes.includes(4422), 5_000, 'the second refusal');

    // A card of a named question may still carry its author (the guard refuses only what it must).
    const otherQuestion = [...(await storedDoc(server, m.board.id)).getMap('questions').keys()].find(
      (id) => id !== questionId,
    ) as string;
    const honest = await server.sync.syncedProvider(server, m.board.id, { token: joined(m, 1).token });
    writeSignedCard(
      honest.doc,
      'namedcard00001',
      otherQuestion,
      'Signed elsewhere',
      joined(m, 1).participantId,
    );
    await waitFor(
      async () => cardsOf(await storedDoc(server, m.board.id), otherQuestion).length === 1,
      5_000,
      'the named card stored',
    );
    const stored = await storedDoc(server, m.board.id);
    expect(cardsOf(stored, questionId).map((card) => card.authorId)).toEqual(['']);
    expect(cardsOf(stored, otherQuestion)[0]?.authorId).toBe(joined(m, 1).participantId);

    // Moving that named card to the anonymous question would show a name there: refused.
    const honestCodes = closeCodes(honest);
    honest.doc.transact(() => {
      (honest.doc.getMap('cards').get('namedcard00001') as Y.Map<unknown>).set('questionId', questionId);
    });
    await waitFor(() => honestCodes.includes(4422), 5_000, 'the move refused');
    const after = await storedDoc(server, m.board.id);
    expect(cardsOf(after, questionId).map((card) => card.authorId)).toEqual(['']);
  });

  it('[sync#anonymous-questions] presence never says who edits a card of an anonymous question', async () => {
    const { m, questionId } = await meeting();
    expect(await m.lead.request('questionMode', { questionId, anonymous: true })).toEqual(OK);
    const anonymousCard = await answer(member(m, 0), questionId, 'Edited by somebody');
    const otherQuestion = [...(await storedDoc(server, m.board.id)).getMap('questions').keys()].find(
      (id) => id !== questionId,
    ) as string;
    const namedCard = await answer(member(m, 0), otherQuestion, 'Edited by Ana, openly');
    const ana = await server.sync.syncedProvider(server, m.board.id, { token: joined(m, 0).token });
    const watcher = await server.sync.syncedProvider(server, m.board.id, { token: joined(m, 1).token });
    const stateOfAna = () => watcher.provider.awareness.getStates().get(ana.doc.clientID);

    ana.provider.awareness.setLocalState({
      participant: joined(m, 0).participantId,
      editing: `cards/${namedCard}/text`,
    });
    await waitFor(() => stateOfAna()?.editing === `cards/${namedCard}/text`, 5_000, 'the named edit shown');

    ana.provider.awareness.setLocalStateField('editing', `cards/${anonymousCard}/text`);
    await waitFor(() => stateOfAna()?.editing === null, 5_000, 'the anonymous edit blanked');
    expect(JSON.stringify([...watcher.provider.awareness.getStates().values()])).not.toContain(anonymousCard);
  });
});
