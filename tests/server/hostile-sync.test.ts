/**
 * The sync endpoint under attack (docs/sync.md#the-sync-endpoint, docs/errors.md#bad-input-and-faults): thousands of malformed frames from several hostile
 * connections, oversized frames, awareness and frame floods, and rogue document content written
 * by a raw Yjs client — while honest providers on the same board and on another board keep
 * syncing. Real server, real `ws` sockets and stock y-websocket providers.
 */
import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { addCard, newItem, readCards, readQuestions, ROOT } from '../../shared/board';
import type { GoalsExport } from '../../shared/export/goals-export';
import { newId } from '../../shared/ids';
import { CLOSE, MAX_SYNC_FRAME_BYTES } from '../../shared/sync';
import { firstQuestion, rawRoundTrip, sleep, waitFor } from '../helpers/expect';
import { useServer } from '../helpers/fixtures';
import { exportValidator } from '../helpers/export-schema';
import { rawHttp } from '../helpers/hostile';
import { seededRandom, type Random } from '../helpers/random';
import { createBoard, joinBoard, type TestServer } from '../helpers/server';
import type { ProviderClient, RawClient } from '../helpers/sync-clients';
import { boardSummary } from '../helpers/workshop';

const AUTHOR = 'author-0001';

function frame(write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  write(encoder);
  return encoding.toUint8Array(encoder);
}

/** `[0=sync][step][payload]`: step 0 carries a state vector, 1 and 2 a Yjs update. */
function syncFrame(step: number, payload: Uint8Array): Uint8Array {
  return frame((e) => {
    encoding.writeVarUint(e, 0);
    encoding.writeVarUint(e, step);
    encoding.writeVarUint8Array(e, payload);
  });
}

function awarenessFrame(update: Uint8Array): Uint8Array {
  return frame((e) => {
    encoding.writeVarUint(e, 1);
    encoding.writeVarUint8Array(e, update);
  });
}

const QUERY_AWARENESS = Uint8Array.of(3);
/** A message type the protocol does not have: always unreadable. */
const UNKNOWN_TYPE = Uint8Array.of(99);

/**
 * One hostile frame: seeded random bytes, a truncated valid frame, valid framing around a garbage
 * update / state vector / awareness update, an unknown message type or sync step, a valid message
 * with trailing bytes, an empty frame, text instead of binary — or, now and then, a valid frame.
 */
function hostileFrame(random: Random, valid: Uint8Array): Uint8Array | string {
  const size = (): number => 1 + random.below(160);
  switch (random.below(12)) {
    case 0:
      return random.bytes(size());
    case 1:
      return valid.slice(0, random.below(valid.length));
    case 2:
      return syncFrame(2, random.bytes(size()));
    case 3:
      return syncFrame(1, random.bytes(size()));
    case 4:
      return syncFrame(0, random.bytes(size()));
    case 5:
      return awarenessFrame(random.bytes(size()));
    case 6:
      return frame((e) => {
        encoding.writeVarUint(e, [2, 4, 5, 17, 127, 128, 4096, 2 ** 31][random.below(8)] as number);
        encoding.writeUint8Array(e, random.bytes(random.below(24)));
      });
    case 7:
      return syncFrame(3 + random.below(100), random.bytes(random.below(24)));
    case 8:
      return Uint8Array.from([...valid, ...random.bytes(1 + random.below(8))]);
    case 9:
      return new Uint8Array(0);
    case 10:
      return String.fromCharCode(...Array.from(random.bytes(size()), (byte) => 32 + (byte % 90)));
    default:
      // Valid frames among the garbage: they are answered or applied, never a reason to close.
      return random.below(2) === 0 ? QUERY_AWARENESS : syncFrame(0, new Uint8Array([0]));
  }
}

const cardTexts = (client: ProviderClient): string[] => readCards(client.doc).map((card) => card.text);

/** Counts the times a provider lost its connection. */
function countDisconnects(client: ProviderClient): () => number {
  let count = 0;
  client.provider.on('status', ({ status }: { status: string }) => {
    if (status === 'disconnected') count += 1;
  });
  return () => count;
}

async function storedCardTexts(server: TestServer, boardId: string): Promise<string[]> {
  const stored = await server.running.store.loadDoc(boardId);
  const doc = new Y.Doc();
  for (const update of [stored.snapshot, ...stored.updates]) if (update) Y.applyUpdate(doc, update);
  const texts = readCards(doc).map((card) => card.text);
  doc.destroy();
  return texts;
}

describe('sync endpoint under attack', () => {
  const logged: string[] = [];
  const server = useServer({ log: (message) => logged.push(message) });
  const { sessions, sync: clients } = server;

  it('[sync#frames][errors#frames] thousands of malformed frames from four hostile connections at a time: each is closed with 1007 (or 1009 when over 1 MiB), the server never fails, and honest providers on the same board and on another board keep converging throughout', async () => {
    const target = await createBoard(server);
    const other = await createBoard(server);
    const [a1, a2, b1, b2] = await Promise.all([
      clients.syncedProvider(server, target.id),
      clients.syncedProvider(server, target.id),
      clients.syncedProvider(server, other.id),
      clients.syncedProvider(server, other.id),
    ]);
    const honest = [a1, a2, b1, b2] as ProviderClient[];
    const disconnects = honest.map(countDisconnects);
    const questionA = firstQuestion(a1);
    const questionB = firstQuestion(b1);

    // A well-formed update frame (a card), to truncate and to pad with trailing bytes.
    const sample = new Y.Doc();
    addCard(sample, { questionId: questionA, text: 'sample card', authorId: AUTHOR });
    const valid = syncFrame(2, Y.encodeStateAsUpdate(sample));
    sample.destroy();

    const random = seededRandom(20_261_126);
    const LANES = 4;
    const ROUNDS = 30;
    let framesSent = 0;
    const closeCodes: number[] = [];

    /** One hostile connection: a batch of frames in one go, ending with an unreadable one. */
    const attack = async (): Promise<void> => {
      const raw = clients.raw(server, `/sync/${target.id}`);
      await raw.opened;
      const batch = Array.from({ length: 4 + random.below(40) }, () => hostileFrame(random, valid));
      for (const hostile of [...batch, UNKNOWN_TYPE]) raw.ws.send(hostile);
      framesSent += batch.length + 1;
      closeCodes.push((await raw.closed).code);
    };
    // Over 1 MiB only a sync answer is accepted (a client's offline backlog): anything else is 1009.
    const oversized = async (): Promise<void> => {
      const raw = clients.raw(server, `/sync/${target.id}`);
      await raw.opened;
      raw.ws.send(awarenessFrame(random.bytes(MAX_SYNC_FRAME_BYTES)));
      framesSent += 1;
      expect((await raw.closed).code).toBe(CLOSE.frameTooLarge);
    };

    for (let round = 0; round < ROUNDS; round++) {
      const hostile = Array.from({ length: LANES }, () => attack());
      if (round % 10 === 5) hostile.push(oversized());
      // Honest edits in both directions, on both boards, while the attack runs.
      const [writerA, readerA] = round % 2 === 0 ? [a1, a2] : [a2, a1];
      addCard(writerA.doc, { questionId: questionA, text: `A ${round}`, authorId: AUTHOR });
      addCard(b1.doc, { questionId: questionB, text: `B ${round}`, authorId: AUTHOR });
      await Promise.all(hostile);
      await waitFor(() => cardTexts(readerA).includes(`A ${round}`), 5_000, `A ${round} at its peer`);
      await waitFor(() => cardTexts(b2).includes(`B ${round}`), 5_000, `B ${round}`);
    }

    expect(framesSent).toBeGreaterThan(2_000);
    expect(closeCodes).toHaveLength(LANES * ROUNDS);
    expect(new Set(closeCodes)).toEqual(new Set([CLOSE.badMessage]));

    // Nobody honest was disconnected, and each pair holds the same cards as the store.
    expect(disconnects.map((count) => count())).toEqual([0, 0, 0, 0]);
    const expectedA = Array.from({ length: ROUNDS }, (_, round) => `A ${round}`).sort();
    const expectedB = Array.from({ length: ROUNDS }, (_, round) => `B ${round}`).sort();
    for (const [client, expected] of [
      [a1, expectedA],
      [a2, expectedA],
      [b1, expectedB],
      [b2, expectedB],
    ] as Array<[ProviderClient, string[]]>) {
      expect(
        cardTexts(client)
          .filter((text) => /^[AB] \d+$/.test(text))
          .sort(),
      ).toEqual(expected);
    }
    expect((await storedCardTexts(server, target.id)).filter((t) => /^A \d+$/.test(t)).sort()).toEqual(
      expectedA,
    );
    // A newcomer still loads the attacked board, template included.
    const late = await clients.syncedProvider(server, target.id);
    await waitFor(() => cardTexts(late).filter((t) => /^A \d+$/.test(t)).length === ROUNDS, 5_000, 'all');
    expect(readQuestions(late.doc)).toHaveLength(9);
    expect((await rawHttp(server, 'GET', '/api/health')).json).toEqual({ ok: true });
    expect(logged.filter((line) => /storing an update failed|could not load/.test(line))).toEqual([]);
  });

  it('[sync#presence][errors#isolation] an awareness flood (over a hundred updates a second from each of two connections) is thinned out: the others receive far fewer states than were sent, the flooders stay connected, and a normal client’s every move still gets through', async () => {
    const board = await createBoard(server);
    const watcher = await clients.syncedProvider(server, board.id);
    const normal = await clients.syncedProvider(server, board.id);
    const flooders = [clients.raw(server, `/sync/${board.id}`), clients.raw(server, `/sync/${board.id}`)];
    await Promise.all(flooders.map((flooder) => flooder.opened));

    // Each flooder's presence, as a client library would encode it: one new state per update.
    const floods = flooders.map((raw) => {
      const doc = new Y.Doc();
      return { raw, doc, awareness: new awarenessProtocol.Awareness(doc), seen: new Set<number>() };
    });
    const normalSeen = new Set<number>();
    watcher.provider.awareness.on('change', () => {
      const states = watcher.provider.awareness.getStates();
      for (const flood of floods) {
        const n = (states.get(flood.doc.clientID) as { n?: unknown } | undefined)?.n;
        if (typeof n === 'number') flood.seen.add(n);
      }
      const move = (states.get(normal.doc.clientID) as { move?: unknown } | undefined)?.move;
      if (typeof move === 'number') normalSeen.add(move);
    });

    // Each flooder sends 150 states at over 100 a second, the two taking turns (so that they are not
    // merged into one message), while a participant moves now and then, well within its own budget.
    const SENT = 150;
    const MOVES = 10;
    const started = Date.now();
    for (let step = 0; step < SENT * floods.length; step++) {
      const flood = floods[step % floods.length] as (typeof floods)[number];
      const n = Math.floor(step / floods.length);
      flood.awareness.setLocalState({ n, cursor: { x: n, y: n } });
      flood.raw.ws.send(
        awarenessFrame(awarenessProtocol.encodeAwarenessUpdate(flood.awareness, [flood.doc.clientID])),
      );
      const every = (SENT * floods.length) / MOVES;
      if (step % every === every - 1)
        normal.provider.awareness.setLocalStateField('move', Math.floor(step / every));
      // Paces the flood (over a hundred a second), as the test describes: time, not an absence.
      await sleep(3);
    }
    const seconds = (Date.now() - started) / 1000;

    // Every move of the normal client reached the watcher: the flood did not starve it.
    await waitFor(() => normalSeen.has(MOVES - 1), 3_000, 'the normal client’s last move at the watcher');
    expect([...normalSeen].sort((a, b) => a - b)).toEqual(Array.from({ length: MOVES }, (_, i) => i));

    // Each flooder: a burst of 20, then 10 a second — far fewer than the 150 it sent.
    // Its frames are handled in order: once its sync query is answered, whatever it got relayed is
    // queued. The normal client's next move, sent after that, goes out in the same batch of relayed
    // presence or a later one: once the watcher has it, every flood state relayed has arrived.
    for (const flood of floods) await rawRoundTrip(flood.raw, flood.doc);
    normal.provider.awareness.setLocalStateField('move', MOVES);
    await waitFor(() => normalSeen.has(MOVES), 3_000, 'the sentinel move at the watcher');
    for (const flood of floods) {
      expect(flood.seen.size).toBeGreaterThan(0);
      expect(flood.seen.size).toBeLessThanOrEqual(20 + Math.ceil(10 * (seconds + 1)));
    }

    // The flooders are not disconnected: they still get answers.
    for (const { raw } of floods) {
      expect(raw.ws.readyState).toBe(WebSocket.OPEN);
      const framesBefore = raw.frames.length;
      raw.ws.send(syncFrame(0, new Uint8Array([0])));
      await waitFor(() => raw.frames.length > framesBefore, 5_000, 'an answer to a flooder');
      expect(raw.ws.readyState).toBe(WebSocket.OPEN);
    }
    for (const flood of floods) {
      flood.awareness.destroy();
      flood.doc.destroy();
    }
  });

  it('[sync#presence] in a busy room, a stock provider relaying the others’ presence back (as y-websocket does) keeps its own presence budget: its next move still reaches everyone', async () => {
    const board = await createBoard(server);
    const watcher = await clients.syncedProvider(server, board.id);
    const normal = await clients.syncedProvider(server, board.id);
    // Three colleagues move their cursors, each well within the budget of 20 at once and 10 a second;
    // each move is a message of its own, which every stock provider sends back to the server.
    const colleagues = [0, 1, 2].map(() => {
      const doc = new Y.Doc();
      return {
        raw: clients.raw(server, `/sync/${board.id}`),
        doc,
        awareness: new awarenessProtocol.Awareness(doc),
      };
    });
    await Promise.all(colleagues.map((c) => c.raw.opened));
    const stateAt = (provider: ProviderClient, clientId: number): Record<string, unknown> | undefined =>
      provider.provider.awareness.getStates().get(clientId);
    for (let move = 0; move < 18; move++) {
      for (const colleague of colleagues) {
        colleague.awareness.setLocalState({ move });
        colleague.raw.ws.send(
          awarenessFrame(
            awarenessProtocol.encodeAwarenessUpdate(colleague.awareness, [colleague.doc.clientID]),
          ),
        );
        await waitFor(
          () =>
            stateAt(normal, colleague.doc.clientID)?.move === move &&
            stateAt(watcher, colleague.doc.clientID)?.move === move,
          5_000,
          `move ${move} of a colleague`,
        );
      }
    }
    // All 54 moves went through; now the participant moves once.
    normal.provider.awareness.setLocalStateField('user', { name: 'Camille' });
    await waitFor(
      () =>
        (stateAt(watcher, normal.doc.clientID)?.user as { name?: string } | undefined)?.name === 'Camille',
      3_000,
      'the participant’s own move at the watcher',
    );
    for (const colleague of colleagues) {
      colleague.awareness.destroy();
      colleague.doc.destroy();
    }
  });

  it('[sync#frames][errors#frames] a frame flood beyond 100 a second closes that connection with 1013; honest peers keep syncing and the address may connect again', async () => {
    const board = await createBoard(server);
    const a = await clients.syncedProvider(server, board.id);
    const b = await clients.syncedProvider(server, board.id);
    const [aDisconnects, bDisconnects] = [countDisconnects(a), countDisconnects(b)];
    const flooder = clients.raw(server, `/sync/${board.id}`);
    await flooder.opened;
    // Harmless frames (an empty update), far more than a burst of 300 plus 100 a second allow.
    const empty = syncFrame(2, Y.encodeStateAsUpdate(new Y.Doc()));
    for (let i = 0; i < 1_000; i++) flooder.ws.send(empty);
    expect((await flooder.closed).code).toBe(CLOSE.tryAgainLater);

    addCard(a.doc, { questionId: firstQuestion(a), text: 'after the flood', authorId: AUTHOR });
    await waitFor(() => cardTexts(b).includes('after the flood'), 5_000, 'the edit after the flood');
    expect([aDisconnects(), bDisconnects()]).toEqual([0, 0]);

    // "Try again later": a new connection is accepted and synced.
    const again: RawClient = clients.raw(server, `/sync/${board.id}`);
    await again.opened;
    await waitFor(() => again.frames.length > 0, 5_000, 'the server’s sync step 1');
    expect(again.frames[0]?.[0]).toBe(0);
    expect(again.ws.readyState).toBe(WebSocket.OPEN);
  });

  it('[sync#what-the-server-accepts][errors#isolation] content outside the board’s rules (nested arrays, objects, binary, unknown roots and kinds, 100 KB strings, deep nesting) closes its sender with 4422 and reaches nobody', async () => {
    const board = await createBoard(server);
    const honestA = await clients.syncedProvider(server, board.id);
    const honestB = await clients.syncedProvider(server, board.id);
    const questionId = firstQuestion(honestA);
    const nested: unknown[] = [];
    let cursor = nested;
    for (let depth = 0; depth < 200; depth++) {
      const inner: unknown[] = [depth];
      cursor.push(inner);
      cursor = inner;
    }
    const shapes: Array<[string, (doc: Y.Doc) => void]> = [
      ['a nested array', (d) => d.getMap(ROOT.goals).set(newId(), newItem({ title: 'x', metric: nested }))],
      ['an object', (d) => d.getMap(ROOT.goals).set(newId(), newItem({ title: 'x', baseline: { $gt: '' } }))],
      ['binary', (d) => d.getMap(ROOT.cards).set(newId(), newItem({ questionId, text: new Uint8Array(8) }))],
      ['a 100 KB string', (d) => d.getMap(ROOT.meta).set('title', 'é'.repeat(100_000))],
      ['a goal as an array', (d) => d.getMap(ROOT.goals).set(newId(), [1, [2, [3]]])],
      ['the goals root as an array', (d) => d.getArray(ROOT.goals).push(['a goal in an array'])],
      ['an unknown root', (d) => d.getText('not-a-root-we-know').insert(0, 'hello')],
      ['a Y.Array', (d) => d.getMap(ROOT.cards).set(newId(), new Y.Array())],
      ['an XML text', (d) => d.getMap(ROOT.cards).set(newId(), new Y.XmlText())],
    ];
    for (const [what, write] of shapes) {
      const doc = new Y.Doc();
      Y.applyUpdate(doc, Y.encodeStateAsUpdate(honestA.doc));
      const before = Y.encodeStateVector(doc);
      write(doc);
      const raw = clients.raw(server, `/sync/${board.id}`);
      await raw.opened;
      raw.ws.send(syncFrame(2, Y.encodeStateAsUpdate(doc, before)));
      expect((await raw.closed).code, what).toBe(CLOSE.refused);
    }
    addCard(honestA.doc, { questionId, text: 'after the refused content', authorId: AUTHOR });
    await waitFor(() => cardTexts(honestB).includes('after the refused content'), 5_000, 'the honest edit');
    // Nothing of it reached a peer or the store.
    expect(honestB.doc.getMap(ROOT.meta).get('title')).toBe('Kickoff');
    expect(honestB.doc.share.has('not-a-root-we-know')).toBe(false);
    expect(await storedCardTexts(server, board.id)).toEqual(['after the refused content']);
  });

  it('[sync#readers][export#schema][errors#text-limits] rogue content within the rules (wrong types, 5,000-character strings, ids like __proto__, non-map goals, 2027-02-30) is skipped or bounded: the summary and the export answer, valid against the schema, and other clients keep syncing', async () => {
    const board = await createBoard(server, { title: 'Rogue', locale: 'en' });
    const facilitator = await joinBoard(server, board.id, 'Lead', board.facilitatorKey);
    const honestA = await clients.syncedProvider(server, board.id);
    const honestB = await clients.syncedProvider(server, board.id);
    const rogue = await clients.syncedProvider(server, board.id);
    const questionId = firstQuestion(honestA);

    const huge = 'é'.repeat(5_000);
    const bounded = newId();
    const datedRight = newId();
    const stringGoal = newId();
    const numberGoal = newId();
    const textGoal = newId();
    const untitled = newId();
    const doc = rogue.doc;
    doc.transact(() => {
      const goals = doc.getMap(ROOT.goals);
      goals.set(
        bounded,
        newItem({
          id: 42,
          title: huge,
          why: 12345,
          metric: true,
          baseline: null,
          target: new Y.Text('a Y.Text, not a string'),
          due: '2027-02-30',
          owner: huge,
          createdAt: 'yesterday',
          order: 'o'.repeat(5_000),
          authorId: '__proto__',
        }),
      );
      goals.set(datedRight, newItem({ title: 'Well formed', due: '2027-02-28', createdAt: 1 }));
      for (const key of ['__proto__', 'constructor', 'prototype', 'hasOwnProperty', 'toString', 'x']) {
        goals.set(key, newItem({ title: `goal named ${key}` }));
      }
      goals.set(stringGoal, 'a goal as a string');
      goals.set(numberGoal, 42);
      goals.set(textGoal, new Y.Text('a goal as Y.Text'));
      goals.set(untitled, newItem({ title: 7, why: 'no title string' }));
    });
    // Separate transactions: each one update, each under the 1 MiB frame limit.
    doc.transact(() => {
      const cards = doc.getMap(ROOT.cards);
      cards.set(newId(), newItem({ questionId: 42, text: 'question id is a number' }));
      cards.set(newId(), newItem({ questionId, text: 12345 }));
      cards.set(newId(), newItem({ questionId, text: false }));
      cards.set(newId(), newItem({ questionId, text: huge, createdAt: Number.NaN }));
      cards.set('__proto__', newItem({ questionId, text: 'proto card' }));
      cards.set('constructor', newItem({ questionId, text: 'constructor card' }));
    });
    doc.transact(() => {
      const questions = doc.getMap(ROOT.questions);
      questions.set(newId(), newItem({ text: 7, section: 'discover' }));
      questions.set(newId(), newItem({ text: 'wrong section', section: 'nowhere' }));

      const commitments = doc.getMap(ROOT.commitments);
      commitments.set(newId(), newItem({ text: huge, owner: 42 }));
      commitments.set(newId(), newItem({ text: 99 }));

      const meta = doc.getMap(ROOT.meta);
      meta.set('title', huge);
      meta.set('locale', 'xx');
      meta.set('nextCheckIn', '2027-02-30');
      meta.set('createdAt', 'now');
    });

    // The server has everything once an honest peer has it (stored before broadcast).
    await waitFor(() => honestB.doc.getMap(ROOT.goals).has(untitled), 5_000, 'the rogue goals at B');
    await waitFor(() => honestB.doc.getMap(ROOT.meta).get('locale') === 'xx', 5_000, 'the rogue meta at B');

    const summary = await boardSummary(server, board.id);
    expect(summary).toMatchObject({ id: board.id, title: 'Rogue', goals: 2 });

    for (const query of ['', '?status=all']) {
      const answer = await rawHttp(server, 'GET', `/api/boards/${board.id}/export${query}`);
      expect(answer.status).toBe(200);
      expect(exportValidator()(answer.json)).toEqual([]);
      // Bounded: 5,000-character strings went in, 500 come out.
      expect(answer.text.length).toBeLessThan(10_000);
      const exported = answer.json as GoalsExport;
      expect(exported.board.title).toBe('Rogue');
      expect(exported.nextCheckIn).toBeNull();
      expect(exported.commitments).toEqual([{ text: 'é'.repeat(500), owner: '' }]);
      if (query === '') {
        expect(exported.goals).toEqual([]);
        continue;
      }
      expect(exported.goals).toEqual([
        {
          rank: 1,
          id: bounded,
          title: 'é'.repeat(500),
          why: '',
          metric: '',
          baseline: '',
          // A Y.Text is a text field like a string (docs/sync.md#text-fields).
          target: 'a Y.Text, not a string',
          due: null,
          owner: 'é'.repeat(500),
          status: 'proposed',
          votes: null,
        },
        {
          rank: 2,
          id: datedRight,
          title: 'Well formed',
          why: '',
          metric: '',
          baseline: '',
          target: '',
          due: '2027-02-28',
          owner: '',
          status: 'proposed',
          votes: null,
        },
      ]);
    }

    // The session plane knows only the well-formed goals: a non-map item is no goal to agree on.
    const lead = await sessions.connect(server, { boardId: board.id, token: facilitator.token });
    expect(await lead.request('agree', { goalId: bounded, agreed: true })).toEqual({ ok: true });
    for (const goalId of [stringGoal, numberGoal, textGoal, untitled]) {
      expect(await lead.request('agree', { goalId, agreed: true }), goalId).toEqual({
        ok: false,
        error: { code: 'unknown_goal', message: expect.any(String) },
      });
    }

    // Everyone is still connected and syncing; a newcomer loads the whole board.
    for (const client of [honestA, honestB, rogue]) expect(client.provider.wsconnected).toBe(true);
    addCard(honestA.doc, { questionId, text: 'after the rogue content', authorId: AUTHOR });
    await waitFor(() => cardTexts(honestB).includes('after the rogue content'), 5_000, 'the honest edit');
    const late = await clients.syncedProvider(server, board.id);
    await waitFor(() => cardTexts(late).includes('after the rogue content'), 5_000, 'the newcomer');
    expect(readCards(late.doc).map((card) => card.text.length)).toEqual(
      expect.arrayContaining([500, 'after the rogue content'.length]),
    );

    // The stored document, rogue content and all, loads again after a restart.
    await clients.closeAll();
    await sessions.closeAll();
    await server.restart();
    expect(await boardSummary(server, board.id)).toMatchObject({ goals: 2, agreed: 1 });
    const exported = await rawHttp(server, 'GET', `/api/boards/${board.id}/export`);
    expect(exportValidator()(exported.json)).toEqual([]);
    expect((exported.json as GoalsExport).goals.map((goal) => goal.id)).toEqual([bounded]);
  });
});
