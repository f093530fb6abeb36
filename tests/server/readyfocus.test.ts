/**
 * Ready marks, the focus and answer rights (docs/session.md#ready, docs/session.md#focus,
 * docs/session.md#answer-rights) against a real server: real socket.io clients on the session
 * plane, stock y-websocket providers on the sync endpoint, a real SQLite file across a restart.
 */
import { describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import type { Joined } from '../../shared/api';
import { addCard, deleteCard, readCards } from '../../shared/board';
import { ROOT } from '../../shared/board/layout';
import { CLOSE } from '../../shared/sync';
import {
  cardTexts,
  closeCodes,
  freshView,
  liveMeeting,
  member,
  participant,
  storedDoc,
  type Meeting,
} from '../helpers/facilitation';
import { OK, firstQuestion, refused, syncRoundTrip, waitFor } from '../helpers/expect';
import { useServer } from '../helpers/fixtures';
import type { SessionClient } from '../helpers/session-clients';
import type { ProviderClient } from '../helpers/sync-clients';

describe('ready, focus and answer rights', () => {
  const server = useServer();
  const { sessions, sync } = server;
  const meeting = (count: number): Promise<Meeting> => liveMeeting(server, sessions, count);
  const provider = (m: Meeting, joined: Joined): Promise<ProviderClient> =>
    sync.syncedProvider(server, m.board.id, { token: joined.token });
  const everyoneSees = (
    m: Meeting,
    check: (v: ReturnType<SessionClient['latest']>) => boolean,
    what: string,
  ) => Promise.all(m.everyone.map((client) => client.waitForSession(check, what)));

  it('[session#ready] counts who is done out of everyone online, for every client, and takes a mark back', async () => {
    const m = await meeting(2);
    expect(m.lead.latest().ready).toEqual({ ids: [], done: 0, of: 3 });
    expect(await member(m, 0).request('ready', { done: true })).toEqual(OK);
    await everyoneSees(m, (v) => v.ready.done === 1 && v.ready.of === 3, '1 of 3 done');
    expect(await m.lead.request('ready', { done: true })).toEqual(OK);
    await everyoneSees(m, (v) => v.ready.done === 2, '2 of 3 done');
    expect(m.members[1]?.latest().ready.ids).toEqual([
      participant(m, 0).participantId,
      m.facilitator.participantId,
    ]);
    expect(await member(m, 0).request('ready', { done: false })).toEqual(OK);
    await everyoneSees(
      m,
      (v) => v.ready.done === 1 && v.ready.ids.join() === m.facilitator.participantId,
      'the mark taken back',
    );
    // Someone who leaves is no longer counted, in either number.
    member(m, 1).socket.disconnect();
    await m.lead.waitForSession((v) => v.ready.of === 2 && v.ready.done === 1, '1 of 2 done');
  });

  it('[session#ready][session#lock] marks clear when the phase changes, and are accepted while the board is locked', async () => {
    const m = await meeting(2);
    expect(await m.lead.request('lock', { locked: true })).toEqual(OK);
    expect(await member(m, 0).request('ready', { done: true })).toEqual(OK);
    expect(await member(m, 1).request('ready', { done: true })).toEqual(OK);
    await everyoneSees(m, (v) => v.ready.done === 2, '2 done');
    expect(await m.lead.request('phase', { phase: 'day-to-day' })).toEqual(OK);
    await everyoneSees(
      m,
      (v) => v.phase === 'day-to-day' && v.ready.done === 0 && v.ready.ids.length === 0,
      'cleared',
    );
    // Going back does not bring the old marks back.
    expect(await m.lead.request('phase', { phase: 'discover' })).toEqual(OK);
    await everyoneSees(m, (v) => v.phase === 'discover', 'back');
    expect(m.lead.latest().ready.done).toBe(0);
    for (const payload of [{}, { done: 'yes' }, null]) {
      expect(await member(m, 0).request('ready', payload)).toEqual(refused('bad_request'));
    }
  });

  it('[session#focus][session#stage-connections] only a facilitator focuses; everyone, the stage too, sees it; ids must be ids', async () => {
    const m = await meeting(2);
    const stage = await sessions.connect(server, { boardId: m.board.id, stage: true });
    const target = { kind: 'answer', id: 'card-0000000001' };
    expect(await member(m, 0).request('focus', { target })).toEqual(refused('not_facilitator'));
    expect(await m.lead.request('focus', { target })).toEqual(OK);
    await everyoneSees(m, (v) => v.focus?.id === target.id && v.focus.kind === 'answer', 'the focus');
    await stage.waitForSession((v) => v.focus?.id === target.id, 'the focus on the stage');
    expect(await stage.request('focus', { target: null })).toEqual(refused('not_participant'));
    for (const bad of [
      { target: { kind: 'answer', id: '__proto__' } },
      { target: { kind: 'answer', id: 'short' } },
      { target: { kind: 'person', id: 'card-0000000001' } },
      {},
    ]) {
      expect(await m.lead.request('focus', bad), JSON.stringify(bad)).toEqual(refused('bad_request'));
    }
    expect((await freshView(server, sessions, m.board.id, participant(m, 1))).focus).toEqual(target);
    expect(await m.lead.request('focus', { target: null })).toEqual(OK);
    await everyoneSees(m, (v) => v.focus === null, 'no focus');
  });

  it("[session#answer-rights][sync#answer-rights] under own, a participant's delete of another's card closes it with 4422 and changes nothing; their own card and the facilitator's delete go through", async () => {
    const m = await meeting(2);
    expect(await member(m, 0).request('answerRights', { rights: 'own' })).toEqual(refused('not_facilitator'));
    expect(await m.lead.request('answerRights', { rights: 'nobody' })).toEqual(refused('bad_request'));
    expect(await m.lead.request('answerRights', { rights: 'own' })).toEqual(OK);
    await everyoneSees(m, (v) => v.answerRights === 'own', 'own');

    const alice = await provider(m, participant(m, 0));
    const bob = await provider(m, participant(m, 1));
    const lead = await provider(m, m.facilitator);
    const question = firstQuestion(alice.doc);
    const aliceCard = addCard(alice.doc, {
      questionId: question,
      text: 'Alice wrote this',
      authorId: participant(m, 0).participantId,
    });
    const bobCard = addCard(bob.doc, {
      questionId: question,
      text: 'Bob wrote this',
      authorId: participant(m, 1).participantId,
    });
    await waitFor(() => readCards(lead.doc).length === 2, 5_000, 'both cards at the facilitator');

    // Bob deletes Alice's card: refused whole.
    const bobCloses = closeCodes(bob);
    deleteCard(bob.doc, aliceCard);
    await waitFor(() => bobCloses.length > 0, 5_000, "Bob's connection closed");
    expect(bobCloses[0]).toBe(CLOSE.refused);
    bob.provider.destroy();
    await syncRoundTrip(alice);
    expect(cardTexts(alice.doc)).toContain('Alice wrote this');
    expect(cardTexts(await storedDoc(server, m.board.id))).toEqual(['Alice wrote this', 'Bob wrote this']);

    // Alice deletes her own card: accepted.
    const aliceCloses = closeCodes(alice);
    const other = await provider(m, participant(m, 1));
    deleteCard(alice.doc, aliceCard);
    await waitFor(() => !cardTexts(other.doc).includes('Alice wrote this'), 5_000, 'her card gone');
    expect(aliceCloses).toEqual([]);

    // The facilitator deletes Bob's card: accepted.
    deleteCard(lead.doc, bobCard);
    await waitFor(() => cardTexts(other.doc).length === 0, 5_000, "Bob's card gone");
    await waitFor(async () => cardTexts(await storedDoc(server, m.board.id)).length === 0, 5_000, 'stored');
  });

  it("[sync#answer-rights] under own, editing another's text and changing a card's author are refused; under everyone both pass", async () => {
    const m = await meeting(2);
    expect(await m.lead.request('answerRights', { rights: 'own' })).toEqual(OK);
    await everyoneSees(m, (v) => v.answerRights === 'own', 'own');
    const alice = await provider(m, participant(m, 0));
    const aliceId = participant(m, 0).participantId;
    const bobId = participant(m, 1).participantId;
    const card = addCard(alice.doc, {
      questionId: firstQuestion(alice.doc),
      text: 'Original',
      authorId: aliceId,
    });
    const cardMap = (doc: Y.Doc) => doc.getMap<Y.Map<unknown>>(ROOT.cards).get(card) as Y.Map<unknown>;

    const tryAs = async (edit: (doc: Y.Doc) => void): Promise<number | null> => {
      const bob = await provider(m, participant(m, 1));
      await waitFor(() => cardMap(bob.doc) !== undefined, 5_000, 'the card at Bob');
      const codes = closeCodes(bob);
      edit(bob.doc);
      // The server answers a connection's frames in order: an open socket after the answer means accepted.
      await syncRoundTrip(bob);
      const ws = bob.provider.ws;
      if (ws && ws.readyState === ws.OPEN) codes.push(null);
      else await waitFor(() => codes.length > 0, 5_000, 'the close code');
      const code = codes[0] ?? null;
      bob.provider.destroy();
      return code;
    };
    const typeInto = (doc: Y.Doc) => (cardMap(doc).get('text') as Y.Text).insert(0, 'Hijacked ');
    const takeOver = (doc: Y.Doc) => cardMap(doc).set('authorId', bobId);

    expect(await tryAs(typeInto)).toBe(CLOSE.refused);
    expect(await tryAs(takeOver)).toBe(CLOSE.refused);
    const stored = await storedDoc(server, m.board.id);
    expect(cardTexts(stored)).toEqual(['Original']);
    expect(readCards(stored)[0]?.authorId).toBe(aliceId);

    expect(await m.lead.request('answerRights', { rights: 'everyone' })).toEqual(OK);
    await everyoneSees(m, (v) => v.answerRights === 'everyone', 'everyone');
    expect(await tryAs(typeInto)).toBe(null);
    await waitFor(
      async () => cardTexts(await storedDoc(server, m.board.id)).includes('Hijacked Original'),
      5_000,
      'the edit stored',
    );
  });

  it('[session#ready][session#focus][session#answer-rights] ready marks, the focus and the answer rights survive a restart', async () => {
    const m = await meeting(2);
    expect(await member(m, 0).request('ready', { done: true })).toEqual(OK);
    expect(await m.lead.request('focus', { target: { kind: 'goal', id: 'goal-00000001' } })).toEqual(OK);
    expect(await m.lead.request('answerRights', { rights: 'own' })).toEqual(OK);
    await sessions.closeAll();
    await server.restart();
    const view = await freshView(server, sessions, m.board.id, participant(m, 0));
    expect(view.ready.ids).toEqual([participant(m, 0).participantId]);
    expect(view.ready.done).toBe(1);
    expect(view.focus).toEqual({ kind: 'goal', id: 'goal-00000001' });
    expect(view.answerRights).toBe('own');
  });
});
