/**
 * A facilitator removes someone (a name made up to fill the board, a lost device), which cuts them
 * off on every plane: their session connections are told and closed, their token opens nothing
 * any more, their votes and pulse answer go, what they wrote stays. Real servers, real socket.io
 * and y-websocket clients, a real SQLite file.
 */
import { describe, expect, it } from 'vitest';
import type { Joined } from '../../shared/api';
import { addCard, readCards, readQuestions } from '../../shared/board';
import { CLOSE } from '../../shared/sync';
import { OK, refused, waitFor } from '../helpers/expect';
import { useServerPerTest } from '../helpers/fixtures';
import { openPulse, storedDoc, type Meeting } from '../helpers/facilitation';
import { expectJsonError, rawHttp } from '../helpers/hostile';
import { createBoard, joinBoard, type TestServer } from '../helpers/server';
import type { SessionClient } from '../helpers/session-clients';
import { boardSummary, GoalWriter } from '../helpers/workshop';

describe('removing a participant', () => {
  const servers = useServerPerTest();
  const { sessions, sync } = servers;
  let server: TestServer | undefined;

  /** A facilitator, Ana and Mallory (connected twice: two tabs), voting open on one goal, the pulse open. */
  async function meeting(s: TestServer): Promise<Meeting & { goal: string; tabs: SessionClient[] }> {
    const board = await createBoard(s);
    const facilitator = await joinBoard(s, board.id, 'Lead', board.facilitatorKey);
    const participants = [await joinBoard(s, board.id, 'Ana'), await joinBoard(s, board.id, 'Mallory')];
    const writer = await GoalWriter.open(s, sync, board.id, facilitator);
    const [goal] = (await writer.add([{ title: 'Grow our audience' }])) as [string];
    const connect = (joined: Joined) => sessions.connect(s, { boardId: board.id, token: joined.token });
    const lead = await connect(facilitator);
    const members = [await connect(participants[0] as Joined), await connect(participants[1] as Joined)];
    const tabs = [members[1] as SessionClient, await connect(participants[1] as Joined)];
    const m: Meeting = {
      board,
      facilitator,
      participants,
      lead,
      members,
      everyone: [lead, ...members],
    };
    await openPulse(m);
    expect(await lead.request('voting', { open: true })).toEqual(OK);
    await lead.waitForSession((v) => v.voting.open && v.voting.ballot.includes(goal), 'voting open');
    return { ...m, goal, tabs };
  }

  it('cuts the removed person off: their session sockets are told and closed, their token opens nothing any more, their votes and pulse answer go, their cards stay', async () => {
    server = await servers.start();
    const m = await meeting(server);
    const [ana, mallory] = m.participants as [Joined, Joined];
    const heard: Array<[string, string]> = [];
    server.running.sessions.onParticipantRemoved((boardId, id) => heard.push([boardId, id]));

    // Mallory votes, answers the pulse and writes a card through her own sync connection.
    const malloryClient = m.members[1] as SessionClient;
    for (let i = 0; i < 2; i++) {
      expect(await malloryClient.request('vote', { goalId: m.goal, delta: 1 })).toMatchObject(OK);
    }
    expect(
      await (m.members[0] as SessionClient).request('vote', {
        goalId: m.goal,
        delta: 1,
      }),
    ).toMatchObject(OK);
    expect(await malloryClient.request('pulse', { score: 5 })).toEqual(OK);
    expect(await (m.members[0] as SessionClient).request('pulse', { score: 2 })).toEqual(OK);
    const doc = await sync.syncedProvider(server, m.board.id, {
      token: mallory.token,
    });
    const questionId = (readQuestions(doc.doc, 'discover')[0] as { id: string }).id;
    addCard(doc.doc, {
      questionId,
      text: 'Written by Mallory',
      authorId: mallory.participantId,
    });
    await waitFor(
      async () =>
        readCards(await storedDoc(server as TestServer, m.board.id)).some(
          (c) => c.text === 'Written by Mallory',
        ),
      5_000,
      'her card stored',
    );
    await m.lead.waitForSession(
      (v) => v.voting.votesCast === 3 && v.pulse.count === 2,
      'her votes and answer',
    );

    const told = m.tabs.map(
      (tab) => new Promise<void>((resolve) => tab.socket.once('removed', () => resolve())),
    );
    const reasons = m.tabs.map(
      (tab) => new Promise<string>((resolve) => tab.socket.once('disconnect', (reason) => resolve(reason))),
    );
    expect(
      await m.lead.request('removeParticipant', {
        participantId: mallory.participantId,
      }),
    ).toEqual(OK);

    // Both her tabs are told, then closed by the server.
    await Promise.all(told);
    expect(await Promise.all(reasons)).toEqual(['io server disconnect', 'io server disconnect']);
    expect(heard).toEqual([[m.board.id, mallory.participantId]]);
    // Everyone else sees her gone, her votes and her answer withdrawn.
    const view = await m.lead.waitForSession(
      (v) => v.participants.every((p) => p.id !== mallory.participantId),
      'her gone from the list',
    );
    expect(view.voting).toMatchObject({ voters: 1, votesCast: 1 });
    expect(view.tallies).toEqual({ [m.goal]: 1 });
    expect(view.pulse.count).toBe(1);
    const stored = (await server.running.store.loadSession(m.board.id)) as {
      votes: Record<string, unknown>;
      removed: string[];
    };
    expect(Object.keys(stored.votes)).toEqual([ana.participantId]);
    expect(stored.removed).toEqual([mallory.participantId]);

    // Her token opens nothing: the session plane says why, the sync plane refuses it (4401), and
    // so does the export.
    expect(
      await sessions.connectError(server, {
        boardId: m.board.id,
        token: mallory.token,
      }),
    ).toBe('removed');
    const again = sync.raw(server, `/sync/${m.board.id}?token=${encodeURIComponent(mallory.token)}`);
    expect((await again.closed).code).toBe(CLOSE.badToken);
    const exported = await rawHttp(server, 'GET', `/api/boards/${m.board.id}/export`, {
      headers: { authorization: `Bearer ${mallory.token}` },
    });
    expectJsonError(exported, 401, 'bad_token');
    // What she wrote stays: it is the team's.
    expect(readCards(await storedDoc(server, m.board.id)).map((c) => c.text)).toContain('Written by Mallory');
    expect((await boardSummary(server, m.board.id)).participants).toBe(2);
    // Ana is untouched.
    expect(
      await (m.members[0] as SessionClient).request('vote', {
        goalId: m.goal,
        delta: 1,
      }),
    ).toMatchObject(OK);
  });

  it('closes the removed participant’s sync connections that are already open with 4401 (bad token), so that her client stops and says she was removed; the others stay', async () => {
    server = await servers.start();
    const m = await meeting(server);
    const [ana, mallory] = m.participants as [Joined, Joined];
    const hers = sync.raw(server, `/sync/${m.board.id}?token=${encodeURIComponent(mallory.token)}`);
    const anas = await sync.syncedProvider(server, m.board.id, { token: ana.token });
    await hers.opened;
    expect(await m.lead.request('removeParticipant', { participantId: mallory.participantId })).toEqual(OK);
    expect((await hers.closed).code).toBe(CLOSE.badToken);
    expect(anas.provider.wsconnected).toBe(true);
  });

  it('is for facilitators: a participant gets not_facilitator; removing oneself, someone unknown or someone removed already is refused; malformed requests get bad_request; nothing changes', async () => {
    server = await servers.start();
    const m = await meeting(server);
    const [ana, mallory] = m.participants as [Joined, Joined];
    const before = await server.running.store.loadSession(m.board.id);
    expect(
      await (m.members[1] as SessionClient).request('removeParticipant', {
        participantId: ana.participantId,
      }),
    ).toEqual(refused('not_facilitator'));
    expect(
      await m.lead.request('removeParticipant', {
        participantId: m.facilitator.participantId,
      }),
    ).toEqual(refused('bad_request'));
    expect(
      await m.lead.request('removeParticipant', {
        participantId: 'NoSuchPerson0000000000',
      }),
    ).toEqual(refused('not_found'));
    for (const payload of [{}, { participantId: 42 }, { participantId: '__proto__' }, null, 'Mallory']) {
      expect(await m.lead.request('removeParticipant', payload), JSON.stringify(payload)).toEqual(
        refused('bad_request'),
      );
    }
    expect(await server.running.store.loadSession(m.board.id)).toEqual(before);
    expect(
      await m.lead.request('removeParticipant', {
        participantId: mallory.participantId,
      }),
    ).toEqual(OK);
    expect(
      await m.lead.request('removeParticipant', {
        participantId: mallory.participantId,
      }),
    ).toEqual(refused('not_found'));
  });

  it('lasts: after a restart the removed person is still out, and nobody else is', async () => {
    server = await servers.start();
    const m = await meeting(server);
    const [ana, mallory] = m.participants as [Joined, Joined];
    expect(
      await m.lead.request('removeParticipant', {
        participantId: mallory.participantId,
      }),
    ).toEqual(OK);
    await sessions.closeAll();
    await sync.closeAll();
    await server.restart();
    expect(
      await sessions.connectError(server, {
        boardId: m.board.id,
        token: mallory.token,
      }),
    ).toBe('removed');
    const back = await sessions.connect(server, {
      boardId: m.board.id,
      token: ana.token,
    });
    expect(back.latest().participants.map((p) => p.name)).toEqual(['Lead', 'Ana']);
    const provider = await sync.syncedProvider(server, m.board.id, {
      token: ana.token,
    });
    expect(provider.provider.wsconnected).toBe(true);
  });
});
