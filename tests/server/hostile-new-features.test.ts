/**
 * The newest features attacked with raw clients: hand-made Yjs updates sent on a raw sync socket
 * and raw socket.io requests, each checked against what the rules say a hostile client cannot do
 * (docs/security.md). Real server, real SQLite file, real sockets.
 */
import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { Joined } from '../../shared/api';
import { readCards, readQuestions } from '../../shared/board';
import type { Ack } from '../../shared/session/events';
import { OK, firstQuestion, rawRoundTrip, waitFor } from '../helpers/expect';
import { liveMeeting, storedDoc, type Meeting } from '../helpers/facilitation';
import { GoalWriter } from '../helpers/workshop';
import { encodeUpdate, hostileClient } from '../helpers/hostile-updates';
import { useServer } from '../helpers/fixtures';
import type { SessionClient } from '../helpers/session-clients';
import type { RawClient } from '../helpers/sync-clients';
import { CONSENT_OFFLINE_GRACE_MS } from '../../server/session/consent';

const server = useServer();

const joined = (m: Meeting, index: number): Joined => m.participants[index] as Joined;

/** `[0=sync][2=update][update]`: a document update as any y-websocket client sends it. */
function updateFrame(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 0);
  encoding.writeVarUint(encoder, 2);
  encoding.writeVarUint8Array(encoder, update);
  return encoding.toUint8Array(encoder);
}

/** A copy of the board's stored document under a Yjs client id of our choosing. */
async function copyAs(boardId: string, clientID: number): Promise<Y.Doc> {
  const stored = await storedDoc(server, boardId);
  const copy = new Y.Doc();
  copy.clientID = clientID;
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(stored));
  return copy;
}

/** What `change` adds to a copy of the board made as `clientID`. */
async function editAs(boardId: string, clientID: number, change: (doc: Y.Doc) => void): Promise<Uint8Array> {
  const copy = await copyAs(boardId, clientID);
  const before = Y.encodeStateVector(copy);
  change(copy);
  return Y.encodeStateAsUpdate(copy, before);
}

/** A raw sync socket of a participant, opened and synced. */
async function rawSync(boardId: string, token: string): Promise<RawClient> {
  const raw = server.sync.raw(server, `/sync/${boardId}?token=${encodeURIComponent(token)}`);
  await raw.opened;
  return raw;
}

async function answer(client: SessionClient, questionId: string, text: string): Promise<string> {
  const ack = (await client.request('answer', { questionId, text })) as Ack<{ answerId: string }>;
  if (!ack.ok) throw new Error(`answer refused: ${ack.error.code}`);
  return ack.answerId;
}

/** A meeting of a facilitator and two participants; its first question is anonymous and holds one stored answer. */
async function anonymousAnswer(): Promise<{ m: Meeting; questionId: string; answerId: string }> {
  const m = await liveMeeting(server, server.sessions, 2);
  const questionId = firstQuestion(await storedDoc(server, m.board.id));
  expect(await m.lead.request('questionMode', { questionId, anonymous: true })).toEqual(OK);
  const answerId = await answer(m.members[0] as SessionClient, questionId, 'Said without a name');
  await waitFor(
    async () => readCards(await storedDoc(server, m.board.id), questionId).length === 1,
    5_000,
    'the anonymous card stored',
  );
  return { m, questionId, answerId };
}

describe('anonymous questions against hand-made updates', () => {
  it('[sync#anonymous-questions] [security#private-and-anonymous-answers] two writers racing on one card’s authorId cannot put a name on an anonymous answer', async () => {
    const { m, questionId, answerId } = await anonymousAnswer();
    const victim = joined(m, 0).participantId;
    const setAuthor = (author: string) => (doc: Y.Doc) =>
      (doc.getMap('cards').get(answerId) as Y.Map<unknown>).set('authorId', author);
    // Two concurrent writes of the same key: Yjs keeps the one of the higher client id, whatever
    // the order in which the update lists them.
    const naming = await editAs(m.board.id, 2_000_000_000, setAuthor(victim));
    const blank = await editAs(m.board.id, 7, setAuthor(''));
    const raw = await rawSync(m.board.id, joined(m, 1).token);
    raw.ws.send(updateFrame(Y.mergeUpdates([naming, blank])));
    raw.ws.send(updateFrame(Y.mergeUpdates([blank, naming])));
    await rawRoundTrip(raw, new Y.Doc(), 'the server to judge the updates');

    const stored = await storedDoc(server, m.board.id);
    expect(readCards(stored, questionId).map((card) => card.authorId)).toEqual(['']);
    expect((await raw.closed).code).toBe(4422);
  });
  it('[sync#anonymous-questions] a name written after several blank writes of the key is still refused', async () => {
    const { m, questionId, answerId } = await anonymousAnswer();
    // Each write of the key points at the one before, and Yjs merges the blanks it deleted into one
    // struct: the name's neighbour is an id inside it, and only the first names the card.
    const update = await editAs(m.board.id, 4242, (doc) =>
      doc.transact(() => {
        const card = doc.getMap('cards').get(answerId) as Y.Map<unknown>;
        for (let i = 0; i < 200; i++) card.set('authorId', '');
        card.set('authorId', joined(m, 0).participantId);
      }),
    );
    const raw = await rawSync(m.board.id, joined(m, 1).token);
    raw.ws.send(updateFrame(update));
    await rawRoundTrip(raw, new Y.Doc(), 'the server to judge the update');

    const stored = await storedDoc(server, m.board.id);
    expect(readCards(stored, questionId).map((card) => card.authorId)).toEqual(['']);
    expect((await raw.closed).code).toBe(4422);
  });
  it('[sync#what-the-server-accepts] [sync#anonymous-questions] a map entry holding several values is refused: a blank first and a name last cannot pass', async () => {
    const { m, questionId, answerId } = await anonymousAnswer();
    const copy = await copyAs(m.board.id, 1);
    const card = copy.getMap('cards').get(answerId) as Y.Map<unknown>;
    const current = (card as unknown as { _map: Map<string, Y.Item> })._map.get('authorId') as Y.Item;
    // Yjs reads a map entry's last value; one made by hand may hold more than one.
    const update = encodeUpdate([
      new Y.Item(
        Y.createID(hostileClient(77), 0),
        null,
        current.lastId,
        null,
        null,
        null,
        'authorId',
        new Y.ContentAny(['', joined(m, 0).participantId]),
      ),
    ]);
    const raw = await rawSync(m.board.id, joined(m, 1).token);
    raw.ws.send(updateFrame(update));
    await rawRoundTrip(raw, new Y.Doc(), 'the server to judge the update');

    const stored = await storedDoc(server, m.board.id);
    expect(readCards(stored, questionId).map((card) => card.authorId)).toEqual(['']);
    expect((await raw.closed).code).toBe(4422);

    // The same shape anywhere else, on a key no other check reads: refused by the guard itself.
    const createdAt = (card as unknown as { _map: Map<string, Y.Item> })._map.get('createdAt') as Y.Item;
    const elsewhere = server.sync.raw(server, `/sync/${m.board.id}?token=${joined(m, 1).token}`);
    await elsewhere.opened;
    elsewhere.ws.send(
      updateFrame(
        encodeUpdate([
          new Y.Item(
            Y.createID(hostileClient(78), 0),
            null,
            createdAt.lastId,
            null,
            null,
            null,
            null,
            new Y.ContentAny([1, 2]),
          ),
        ]),
      ),
    );
    expect(await elsewhere.closed).toMatchObject({ code: 4422 });
  });
  it('[sync#anonymous-questions] a named card written over twice under one id in one update is still refused', async () => {
    const m = await liveMeeting(server, server.sessions, 2);
    const questionId = firstQuestion(await storedDoc(server, m.board.id));
    expect(await m.lead.request('questionMode', { questionId, anonymous: true })).toEqual(OK);
    const named = (author: string) =>
      new Y.Map<unknown>(
        Object.entries({ id: 'forgedcard0001', questionId, text: 'Signed', authorId: author }),
      );
    // Only the first write of the id names the `cards` root; the others name the write before.
    const update = await editAs(m.board.id, 4343, (doc) =>
      doc.transact(() => {
        const cards = doc.getMap('cards');
        cards.set('forgedcard0001', named(''));
        cards.set('forgedcard0001', named(''));
        cards.set('forgedcard0001', named(joined(m, 0).participantId));
      }),
    );
    const raw = await rawSync(m.board.id, joined(m, 1).token);
    raw.ws.send(updateFrame(update));
    await rawRoundTrip(raw, new Y.Doc(), 'the server to judge the update');

    const stored = await storedDoc(server, m.board.id);
    expect(readCards(stored, questionId).map((card) => card.authorId)).toEqual([]);
    expect((await raw.closed).code).toBe(4422);
  });
});

describe('consent rounds against a connection that comes and goes', () => {
  it('[session#consent-rounds] someone who answered and keeps reconnecting cannot hold the round open after the last holdout left', async () => {
    const m = await liveMeeting(server, server.sessions, 2);
    const writer = await GoalWriter.open(server, server.sync, m.board.id, m.facilitator);
    const [goalId] = (await writer.add([{ title: 'Grow our audience' }])) as [string];
    const started = (await m.lead.request('consent', { action: 'start', goalId, named: false })) as Ack<{
      roundId: string;
    }>;
    if (!started.ok) throw new Error(started.error.code);
    const [flapper, holdout] = m.members as [SessionClient, SessionClient];
    expect(await flapper.request('consentAnswer', { roundId: started.roundId, answer: 'yes' })).toEqual(OK);
    await m.lead.waitForSession((v) => v.consent.open?.answered === 1, 'one answer');
    holdout.socket.disconnect();

    // Goes offline and comes back, again and again, each time well within the grace.
    const closed = () => m.lead.latest().consent.results[goalId] !== undefined;
    const deadline = Date.now() + 4 * CONSENT_OFFLINE_GRACE_MS;
    let client = flapper;
    while (!closed() && Date.now() < deadline) {
      client.socket.disconnect();
      client = await server.sessions.connect(server, { boardId: m.board.id, token: joined(m, 0).token });
    }
    expect(closed()).toBe(true);
    expect(m.lead.latest().consent.results[goalId]).toMatchObject({ yes: 1 });
  });
});

describe('exports of a board written by a hostile client', () => {
  it('[export#markdown] a bidirectional override in a goal’s title cannot reverse the votes written after it', async () => {
    const m = await liveMeeting(server, server.sessions, 1);
    const writer = await GoalWriter.open(server, server.sync, m.board.id, m.facilitator);
    // U+202E RIGHT-TO-LEFT OVERRIDE, never closed: in a renderer, the rest of the line reads
    // backwards, digits included ("(12 votes)" shown as "(setov 21)").
    const [goalId] = (await writer.add([{ title: 'Ship it \u202E' }])) as [string];
    expect(await m.lead.request('agree', { goalId, agreed: true })).toEqual(OK);
    const response = await fetch(`${server.url}/api/boards/${m.board.id}/export.md`, {
      headers: { authorization: `Bearer ${m.facilitator.token}` },
    });
    expect(response.status).toBe(200);
    const line = (await response.text()).split('\n').find((text) => text.includes('Ship it')) as string;
    // The title is an isolate of its own: whatever it opens ends where it ends.
    expect(line).toContain('\u2068Ship it \u202E\u2069');
    expect(line.indexOf('\u2069')).toBeLessThan(line.indexOf('vote'));
  });
});

describe('observer keys outside their board', () => {
  it('[sync#observers] [security#observer-links] an observer key opens its own board only: on another board’s sync it is refused 4401 and receives nothing', async () => {
    const first = await liveMeeting(server, server.sessions, 1);
    const second = await liveMeeting(server, server.sessions, 1);
    const made = await fetch(`${server.url}/api/boards/${first.board.id}/observer`, {
      method: 'POST',
      headers: { authorization: `Bearer ${first.facilitator.token}` },
    });
    expect(made.status).toBe(201);
    const { key } = (await made.json()) as { key: string };
    const raw = server.sync.raw(server, `/sync/${second.board.id}?observer=${encodeURIComponent(key)}`);
    expect((await raw.closed).code).toBe(4401);
    expect(raw.frames).toEqual([]);
    // Along with a participant's token of that other board, the observer key still decides.
    const both = server.sync.raw(
      server,
      `/sync/${second.board.id}?observer=${encodeURIComponent(key)}&token=${encodeURIComponent(joined(second, 0).token)}`,
    );
    expect((await both.closed).code).toBe(4401);
    expect(both.frames).toEqual([]);
  });
});

describe('requests that make the server write, on a full board', () => {
  const small = useServer({ env: { MAX_DOC_ITEMS: '1000' } });
  const structsOf = (doc: Y.Doc): number =>
    [...doc.store.clients.values()].reduce((sum, structs) => sum + structs.length, 0);

  it('[security#the-boards-document] [session#check-ins] check-in records and answers stop at the board’s limits instead of growing it without end', async () => {
    const m = await liveMeeting(small, small.sessions, 1);
    const writer = await GoalWriter.open(small, small.sync, m.board.id, m.facilitator);
    const [goalId] = (await writer.add([{ title: 'Grow our audience' }])) as [string];
    expect(await m.lead.request('agree', { goalId, agreed: true })).toEqual(OK);
    const opened = (await m.lead.request('checkin', { action: 'start', date: '2026-12-01' })) as Ack<{
      checkinId: string;
    }>;
    if (!opened.ok) throw new Error(opened.error.code);
    // Filled close to the limit by honest edits: 10 structs short of it.
    const filler = await small.sync.syncedProvider(small, m.board.id, { token: m.facilitator.token });
    const room = 1_000 - 10 - structsOf(await storedDoc(small, m.board.id));
    filler.doc.transact(() => {
      const goal = filler.doc.getMap('goals').get(goalId) as Y.Map<unknown>;
      for (let i = 0; i < room; i++) goal.set(`note${i}`, i);
    });
    await waitFor(
      async () => structsOf(await storedDoc(small, m.board.id)) >= 990,
      5_000,
      'the board filled',
    );

    // Each record replaces the previous one and leaves what it replaced behind.
    const member = m.members[0] as SessionClient;
    const record = (current: number) =>
      member.request('checkinRecord', {
        checkinId: opened.checkinId,
        goalId,
        current,
        confidence: 'on-track',
      });
    let last: Ack = { ok: true };
    for (let i = 0; i < 20 && last.ok; i++) last = await record(i);
    expect(last).toMatchObject({ ok: false, error: { code: 'too_large' } });
    const questionId = firstQuestion(await storedDoc(small, m.board.id));
    expect(await member.request('answer', { questionId, text: 'One more' })).toMatchObject({
      ok: false,
      error: { code: 'too_large' },
    });
    const full = structsOf(await storedDoc(small, m.board.id));
    expect(full).toBeLessThanOrEqual(1_000);
    expect(await record(99)).toMatchObject({ ok: false, error: { code: 'too_large' } });
    expect(structsOf(await storedDoc(small, m.board.id))).toBe(full);
  });
});

describe('every export of a board full of hostile text', () => {
  /** Starts as a formula, breaks lines, opens Markdown blocks and links, and holds lone surrogates. */
  const hostile = (tag: string): string =>
    `=HYPERLINK("http://x/${tag}")\n# ${tag}\n| a | [x](javascript:alert(1)) <script>x</script> \uD800 \uDC00 \u202E${tag}`;

  it('[export#markdown] [export#csv] [export#consent-fields] [export#check-in-fields] challenges, glossary, themes, consent remarks and check-in notes come out inert, and every route answers 200', async () => {
    const m = await liveMeeting(server, server.sessions, 1);
    const questionId = firstQuestion(await storedDoc(server, m.board.id));
    const raw = await server.sync.syncedProvider(server, m.board.id, { token: m.facilitator.token });
    const goalId = 'hostilegoal001';
    const item = (fields: Record<string, unknown>) => new Y.Map<unknown>(Object.entries(fields));
    raw.doc.transact(() => {
      raw.doc.getMap('challenges').set(
        'hostilechal01',
        item({
          id: 'hostilechal01',
          title: new Y.Text(hostile('challenge') + 'x'.repeat(9_000)),
          order: '\u202E',
          createdAt: 1,
        }),
      );
      raw.doc.getMap('glossary').set(
        'hostilegloss1',
        item({
          id: 'hostilegloss1',
          name: new Y.Text(hostile('metric')),
          definition: new Y.Text(hostile('definition')),
          formula: new Y.Text('-1+1'),
          owner: new Y.Text('@owner'),
          createdAt: 1,
        }),
      );
      raw.doc.getMap('goals').set(
        goalId,
        item({
          id: goalId,
          title: new Y.Text(hostile('title')),
          why: new Y.Text('+why'),
          metric: new Y.Text('@metric'),
          baseline: new Y.Text('\tbaseline'),
          target: new Y.Text('-target'),
          due: '2026-12-31',
          owner: new Y.Text(hostile('owner')),
          authorId: '',
          createdAt: 1,
          metricId: 'hostilegloss1',
          challengeIds: item({ hostilechal01: true }),
        }),
      );
      raw.doc.getMap('themes').set(
        'hostiletheme1',
        item({
          id: 'hostiletheme1',
          questionId,
          name: new Y.Text(hostile('theme').slice(0, 120)),
          authorId: '',
          createdAt: 1,
        }),
      );
      raw.doc.getMap('cards').set(
        'hostilecard01',
        item({
          id: 'hostilecard01',
          questionId,
          text: new Y.Text(hostile('card')),
          authorId: '',
          createdAt: 1,
          themeId: 'hostiletheme1',
        }),
      );
    });
    await waitFor(
      async () => (await storedDoc(server, m.board.id)).getMap('goals').has(goalId),
      5_000,
      'stored',
    );
    expect(await m.lead.request('agree', { goalId, agreed: true })).toEqual(OK);
    const round = (await m.lead.request('consent', { action: 'start', goalId, named: true })) as Ack<{
      roundId: string;
    }>;
    if (!round.ok) throw new Error(round.error.code);
    const member = m.members[0] as SessionClient;
    expect(
      await member.request('consentAnswer', {
        roundId: round.roundId,
        answer: 'objection',
        text: hostile('remark').slice(0, 500),
      }),
    ).toEqual(OK);
    await m.lead.waitForSession((view) => view.consent.results[goalId] !== undefined, 'the round closed');
    const checkin = (await m.lead.request('checkin', {
      action: 'start',
      date: '2026-12-01',
      label: hostile('label').slice(0, 80),
    })) as Ack<{ checkinId: string }>;
    if (!checkin.ok) throw new Error(checkin.error.code);
    expect(
      await member.request('checkinRecord', {
        checkinId: checkin.checkinId,
        goalId,
        current: 1,
        confidence: 'at-risk',
        note: hostile('note'),
      }),
    ).toEqual(OK);

    const get = async (path: string): Promise<string> => {
      const response = await fetch(`${server.url}/api/boards/${m.board.id}${path}`, {
        headers: { authorization: `Bearer ${m.facilitator.token}` },
      });
      expect(response.status, path).toBe(200);
      return response.text();
    };
    const markdown = await get('/export.md');
    for (const tag of ['title', 'challenge', 'metric', 'theme', 'card', 'remark', 'label', 'note']) {
      expect(markdown, tag).toContain(`# ${tag} \\| a \\| \\[x\\](javascript:alert(1)) \\<script\\>`);
    }
    // No line a person wrote opens a block, a link or HTML.
    expect(markdown).not.toMatch(
      /^[^A-Za-z0-9\s]*# (title|challenge|card)|(?<!\\)\]\(javascript|(?<!\\)<script>/m,
    );
    const csv = await get('/export.csv');
    for (const cell of [
      '\'=HYPERLINK(""http://x/title',
      "'+why",
      "'@metric",
      "'\tbaseline",
      "'-target",
      '\'=HYPERLINK(""http://x/note',
    ]) {
      expect(csv).toContain(cell);
    }
    for (const path of [
      '',
      '/export',
      '/board.json',
      '/export.md?status=all',
      '/export.csv?delimiter=semicolon',
    ]) {
      const body = await get(path);
      if (!path.includes('.md') && !path.includes('.csv'))
        expect(() => JSON.parse(body) as unknown).not.toThrow();
    }
  });
});

describe('answer rights against a question deleted alone', () => {
  it('[sync#answer-rights] [security#answer-rights] under own, deleting a question but not its cards cannot hide another person’s answers', async () => {
    const m = await liveMeeting(server, server.sessions, 2);
    const questionId = firstQuestion(await storedDoc(server, m.board.id));
    expect(await m.lead.request('answerRights', { rights: 'own' })).toEqual(OK);
    await answer(m.members[0] as SessionClient, questionId, 'Mine, not yours to hide');
    await waitFor(
      async () => readCards(await storedDoc(server, m.board.id), questionId).length === 1,
      5_000,
      'the card stored',
    );
    // The question's entry alone: its cards stay in the document, but no reader shows them.
    const update = await editAs(m.board.id, 4444, (doc) => doc.getMap('questions').delete(questionId));
    const raw = await rawSync(m.board.id, joined(m, 1).token);
    raw.ws.send(updateFrame(update));
    await rawRoundTrip(raw, new Y.Doc(), 'the server to judge the update');

    const stored = await storedDoc(server, m.board.id);
    expect(stored.getMap('questions').has(questionId)).toBe(true);
    expect(readCards(stored, questionId).map((card) => card.text)).toEqual(['Mine, not yours to hide']);
    expect((await raw.closed).code).toBe(4422);

    // Nor by making the question unreadable: replaced by an empty map, its section or text broken.
    const attacks: Array<(question: Y.Map<unknown>, questions: Y.Map<unknown>) => void> = [
      (_question, questions) => questions.set(questionId, new Y.Map()),
      (question) => question.set('section', 'nowhere'),
      (question) => question.set('text', 5),
      (question) => question.delete('text'),
    ];
    for (const [index, attack] of attacks.entries()) {
      const broken = await editAs(m.board.id, 4500 + index, (doc) =>
        attack(doc.getMap('questions').get(questionId) as Y.Map<unknown>, doc.getMap('questions')),
      );
      const socket = await rawSync(m.board.id, joined(m, 1).token);
      socket.ws.send(updateFrame(broken));
      await rawRoundTrip(socket, new Y.Doc(), 'the server to judge the update');
      const after = await storedDoc(server, m.board.id);
      expect(readCards(after, questionId).length, `attack ${index}`).toBe(1);
      expect(
        readQuestions(after).map((question) => question.id),
        `attack ${index}`,
      ).toContain(questionId);
      expect((await socket.closed).code, `attack ${index}`).toBe(4422);
    }
  });
});
