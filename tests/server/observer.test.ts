/**
 * Observer links (docs/security.md#observer-links): a facilitator makes and revokes them over HTTP;
 * an observer's sync and socket.io connections watch the board live, change nothing, are nobody,
 * and all close at once when the link is revoked.
 */
import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import type { Joined } from '../../shared/api';
import { addCard, readCards } from '../../shared/board';
import { newId } from '../../shared/ids';
import { ClientPayload, isClientEventName } from '../../shared/session/events';
import { CLOSE } from '../../shared/sync';
import { expectErrorAnswer, firstQuestion, rawRoundTrip, waitFor, type HttpAnswer } from '../helpers/expect';
import { useServer } from '../helpers/fixtures';
import { createBoard, joinBoard } from '../helpers/server';
import { updateFrame } from '../helpers/sync-clients';

interface Meeting {
  boardId: string;
  title: string;
  lead: Joined;
  member: Joined;
}

async function call(url: string, method: string, token?: string): Promise<HttpAnswer> {
  const response = await fetch(url, {
    method,
    headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: JSON.parse(text) as unknown, text };
}

/** `[1][awareness update]`: a presence state for `doc`'s client id. */
function awarenessFrame(doc: Y.Doc, state: Record<string, unknown>): Uint8Array {
  const awareness = new awarenessProtocol.Awareness(doc);
  awareness.setLocalState(state);
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 1);
  encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(awareness, [doc.clientID]));
  awareness.destroy();
  return encoding.toUint8Array(encoder);
}

describe('observer links', () => {
  const server = useServer();

  async function meeting(): Promise<Meeting> {
    const board = await createBoard(server, { title: 'Kickoff for the board', locale: 'fr' });
    const lead = await joinBoard(server, board.id, 'Lead', board.facilitatorKey);
    const member = await joinBoard(server, board.id, 'Member');
    return { boardId: board.id, title: board.title, lead, member };
  }

  const linkUrl = (boardId: string): string => `${server.url}/api/boards/${boardId}/observer`;

  async function observerKey(m: Meeting): Promise<string> {
    const answer = await call(linkUrl(m.boardId), 'POST', m.lead.token);
    expect(answer.status).toBe(201);
    return (answer.body as { key: string }).key;
  }

  it('[http#observer-link] only a facilitator makes or revokes the link; its key opens the board; revoked, it says so', async () => {
    const m = await meeting();
    expectErrorAnswer(await call(linkUrl(m.boardId), 'POST'), 401, 'bad_token');
    expectErrorAnswer(await call(linkUrl(m.boardId), 'POST', m.member.token), 403, 'not_facilitator');
    expectErrorAnswer(await call(linkUrl(m.boardId), 'DELETE', m.member.token), 403, 'not_facilitator');
    const other = await meeting();
    expectErrorAnswer(await call(linkUrl(m.boardId), 'POST', other.lead.token), 401, 'bad_token');
    expectErrorAnswer(await call(linkUrl(newId(22)), 'POST', m.lead.token), 404, 'unknown_board');

    const made = await call(linkUrl(m.boardId), 'POST', m.lead.token);
    expect(made.status).toBe(201);
    const { key, url } = made.body as { key: string; url: string };
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(url).toBe(`${server.url}/o/${key}`);
    const opened = await call(`${server.url}/api/observe/${key}`, 'GET');
    expect(opened.body).toEqual({ boardId: m.boardId, title: m.title, locale: 'fr' });
    expect(opened.headers.get('cache-control')).toBe('no-store');
    expect((await fetch(url)).status).toBe(200);

    expectErrorAnswer(await call(`${server.url}/api/observe/${'A'.repeat(43)}`, 'GET'), 404, 'not_found');
    expectErrorAnswer(await call(`${server.url}/api/observe/short`, 'GET'), 404, 'not_found');

    // A new link revokes the previous one.
    const second = (await call(linkUrl(m.boardId), 'POST', m.lead.token)).body as { key: string };
    expectErrorAnswer(await call(`${server.url}/api/observe/${key}`, 'GET'), 410, 'observer_revoked');
    expect((await call(`${server.url}/api/observe/${second.key}`, 'GET')).status).toBe(200);

    const revoked = await call(linkUrl(m.boardId), 'DELETE', m.lead.token);
    expect({ status: revoked.status, body: revoked.body }).toEqual({ status: 200, body: { revoked: true } });
    expectErrorAnswer(await call(`${server.url}/api/observe/${second.key}`, 'GET'), 410, 'observer_revoked');
    // Revoking again changes nothing and answers the same.
    expect((await call(linkUrl(m.boardId), 'DELETE', m.lead.token)).status).toBe(200);
  });

  it('[sync#observers] an observer receives the document and live edits; its first edit closes it with 4405 and is not applied', async () => {
    const m = await meeting();
    const key = await observerKey(m);
    const editor = await server.sync.syncedProvider(server, m.boardId, { token: m.member.token });
    const questionId = firstQuestion(editor);
    addCard(editor.doc, { questionId, text: 'Before the observer came', authorId: m.member.participantId });

    const watcher = await server.sync.syncedProvider(server, m.boardId, { observer: key });
    await waitFor(
      () => readCards(watcher.doc).some((card) => card.text === 'Before the observer came'),
      5_000,
      'the existing card',
    );
    addCard(editor.doc, { questionId, text: 'Live card', authorId: m.member.participantId });
    await waitFor(
      () => readCards(watcher.doc).some((card) => card.text === 'Live card'),
      5_000,
      'the live card',
    );

    const raw = server.sync.raw(server, `/sync/${m.boardId}?observer=${key}`);
    await raw.opened;
    const forged = new Y.Doc();
    Y.applyUpdate(forged, Y.encodeStateAsUpdate(editor.doc));
    const before = Y.encodeStateVector(forged);
    addCard(forged, { questionId, text: 'Written by an observer', authorId: m.member.participantId });
    raw.ws.send(updateFrame(Y.encodeStateAsUpdate(forged, before)));
    expect((await raw.closed).code).toBe(CLOSE.observerReadOnly);

    // A fresh participant's copy, once synced, has both cards and not the observer's.
    const fresh = await server.sync.syncedProvider(server, m.boardId, { token: m.lead.token });
    expect(
      readCards(fresh.doc)
        .map((card) => card.text)
        .sort(),
    ).toEqual(['Before the observer came', 'Live card']);
  });

  it('[sync#observers] an observer’s presence is dropped: nobody sees it', async () => {
    const m = await meeting();
    const key = await observerKey(m);
    const member = await server.sync.syncedProvider(server, m.boardId, { token: m.member.token });
    const raw = server.sync.raw(server, `/sync/${m.boardId}?observer=${key}`);
    await raw.opened;
    const observerDoc = new Y.Doc();
    raw.ws.send(awarenessFrame(observerDoc, { participant: m.lead.participantId, editing: null }));
    await rawRoundTrip(raw, observerDoc, 'the observer’s frames handled');
    // Sentinel: presence sent after the observer's reaches the member; the observer's never did.
    const lead = await server.sync.syncedProvider(server, m.boardId, { token: m.lead.token });
    lead.provider.awareness.setLocalState({ participant: m.lead.participantId, editing: null });
    await waitFor(
      () => member.provider.awareness.getStates().has(lead.doc.clientID),
      5_000,
      'the lead’s presence',
    );
    expect(member.provider.awareness.getStates().has(observerDoc.clientID)).toBe(false);
    expect(await Promise.race([raw.closed.then(() => 'closed'), Promise.resolve('open')])).toBe('open');
  });

  it('[sync#observers][session#observer-connections] revoking closes every observer connection of the board at once, and refuses new ones', async () => {
    const m = await meeting();
    const key = await observerKey(m);
    const first = server.sync.raw(server, `/sync/${m.boardId}?observer=${key}`);
    const second = server.sync.raw(server, `/sync/${m.boardId}?observer=${key}`);
    await Promise.all([first.opened, second.opened]);
    await rawRoundTrip(first, new Y.Doc());
    await rawRoundTrip(second, new Y.Doc());
    const session = await server.sessions.connect(server, { observer: key });
    const disconnected = new Promise<string>((resolve) => session.socket.once('disconnect', resolve));
    const participant = server.sync.raw(server, `/sync/${m.boardId}?token=${m.member.token}`);
    await participant.opened;

    expect((await call(linkUrl(m.boardId), 'DELETE', m.lead.token)).status).toBe(200);
    expect([(await first.closed).code, (await second.closed).code]).toEqual([
      CLOSE.observerRevoked,
      CLOSE.observerRevoked,
    ]);
    expect(await disconnected).toBe('io server disconnect');
    await rawRoundTrip(participant, new Y.Doc(), 'the participant still served');
    expect(participant.ws.readyState).toBe(participant.ws.OPEN);

    const late = server.sync.raw(server, `/sync/${m.boardId}?observer=${key}`);
    expect((await late.closed).code).toBe(CLOSE.observerRevoked);
    expect(await server.sessions.connectError(server, { observer: key })).toBe('observer_revoked');
    expect(await server.sessions.connectError(server, { observer: 'B'.repeat(43) })).toBe('not_found');
    // A key of another board does not open this one.
    const other = await meeting();
    const otherKey = await observerKey(other);
    const wrong = server.sync.raw(server, `/sync/${m.boardId}?observer=${otherKey}`);
    expect((await wrong.closed).code).toBe(CLOSE.badToken);
  });

  it('[http#observer-link][sync#observers] a new link closes the connections of the previous one, and opens the board itself', async () => {
    const m = await meeting();
    const oldKey = await observerKey(m);
    const old = server.sync.raw(server, `/sync/${m.boardId}?observer=${oldKey}`);
    await old.opened;
    await rawRoundTrip(old, new Y.Doc());
    const newKey = await observerKey(m);
    expect((await old.closed).code).toBe(CLOSE.observerRevoked);
    const fresh = server.sync.raw(server, `/sync/${m.boardId}?observer=${newKey}`);
    await fresh.opened;
    await rawRoundTrip(fresh, new Y.Doc(), 'the new link served');
    expect(fresh.ws.readyState).toBe(fresh.ws.OPEN);
  });

  it('[session#observer-connections] an observer sees the meeting, is nobody, and every request is refused not_participant', async () => {
    const m = await meeting();
    const key = await observerKey(m);
    const facilitator = await server.sessions.connect(server, { boardId: m.boardId, token: m.lead.token });
    await server.sessions.connect(server, { boardId: m.boardId, token: m.member.token });
    const online = await facilitator.waitForSession(
      (view) => view.participants.every((p) => p.online),
      'both online',
    );
    const observer = await server.sessions.connect(server, { observer: key });
    const refusal = { ok: false, error: { code: 'not_participant', message: expect.any(String) } };
    const payloads: Record<string, unknown> = {
      vote: { goalId: newId(), delta: 1 },
      voting: { open: true },
      agree: { goalId: newId(), agreed: true },
      phase: { phase: 'goals' },
      timer: { action: 'start', durationMs: 60_000 },
      lock: { locked: true },
      pulse: { score: 3 },
      pulseResults: { shown: true },
      removeParticipant: { participantId: m.member.participantId },
      reaction: { emoji: '👍' },
    };
    for (const event of Object.keys(ClientPayload).filter(isClientEventName)) {
      expect({ event, ack: await observer.request(event, payloads[event]) }).toEqual({ event, ack: refusal });
    }
    expect(await observer.request('noSuchEvent', {})).toEqual(refusal);
    // A change of the facilitator's after all that: the observer follows it, and nothing else changed.
    expect(await facilitator.request('phase', { phase: 'goals' })).toEqual({ ok: true });
    const seen = await observer.waitForSession((view) => view.phase === 'goals', 'the phase change');
    expect(seen.participants).toEqual(online.participants);
    expect(seen.locked).toBe(false);
    expect(seen.voting.open).toBe(false);
    expect(seen.myVotes).toEqual({});
  });
});
