/**
 * What one board, one address and one connection may use (docs/http.md#http-api, docs/sync.md#connecting, docs/errors.md#bad-input-and-faults, server/config.ts), with
 * small limits set through the environment of real servers: the document size, participants per
 * board, open connections per address, board creations, joins and exports per address, and whose
 * address counts behind a reverse proxy (TRUST_PROXY).
 */
import { io, type Socket } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import type { Joined } from '../../shared/api';
import { addCard, newItem, readCards, ROOT } from '../../shared/board';
import { newId } from '../../shared/ids';
import { CLOSE } from '../../shared/sync';
import { firstQuestion, sleep, syncRoundTrip, waitFor } from '../helpers/expect';
import { useServerPerTest } from '../helpers/fixtures';
import { countRows, expectJsonError, postJson, rawHttp } from '../helpers/hostile';
import { createBoard, joinBoard, type TestServer } from '../helpers/server';
import { boardSummary, GoalWriter, workshop } from '../helpers/workshop';
import { storedDoc } from '../helpers/facilitation';

const AUTHOR = 'author-0001';

describe('limits', () => {
  const servers = useServerPerTest();
  const { sessions, sync } = servers;
  let server: TestServer | undefined;
  const sockets: Socket[] = [];
  const raws: WebSocket[] = [];

  // Runs before the fixture's cleanup (after hooks run in reverse order).
  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.disconnect();
    for (const ws of raws.splice(0)) ws.terminate();
    server = undefined;
  });

  /** A raw sync socket sent with `headers` (e.g. X-Forwarded-For); resolves with how it ended up. */
  function syncSocket(
    target: TestServer,
    boardId: string,
    headers: Record<string, string> = {},
  ): { ws: WebSocket; opened: Promise<void>; closed: Promise<number> } {
    const ws = new WebSocket(`${target.wsUrl}/sync/${boardId}`, { headers });
    raws.push(ws);
    ws.on('error', () => undefined);
    const closed = new Promise<number>((resolve) => ws.once('close', (code: number) => resolve(code)));
    const opened = new Promise<void>((resolve) => ws.once('open', () => resolve()));
    return { ws, opened, closed };
  }

  /** A socket.io connection; resolves with 'connected' or the connect_error message. */
  function sessionSocket(
    target: TestServer,
    auth: { boardId: string; token: string },
    headers: Record<string, string> = {},
  ): { socket: Socket; outcome: Promise<string> } {
    const socket = io(target.url, {
      auth,
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      extraHeaders: headers,
    });
    sockets.push(socket);
    const outcome = new Promise<string>((resolve) => {
      socket.once('connect', () => resolve('connected'));
      socket.once('connect_error', (error: Error) => resolve(error.message));
    });
    return { socket, outcome };
  }

  it('[sync#what-the-server-accepts][errors#isolation] MAX_DOC_BYTES: a provider that keeps adding content is closed with 4413 once its next edit would pass the limit; what was accepted is kept, readers stay, other boards are fine', async () => {
    const LIMIT = 256 * 1024;
    server = await servers.start({ env: { MAX_DOC_BYTES: String(LIMIT) } });
    const full = await createBoard(server);
    const other = await createBoard(server);
    const writer = await sync.syncedProvider(server, full.id);
    const reader = await sync.syncedProvider(server, full.id);
    const elsewhere = await sync.syncedProvider(server, other.id);
    const elsewhereReader = await sync.syncedProvider(server, other.id);
    const closedWith = new Promise<number>((resolve) =>
      writer.provider.once('closed', ({ code }: { code: number }) => resolve(code)),
    );
    let refused: number | null = null;
    void closedWith.then((code) => (refused = code));

    const questionId = firstQuestion(writer);
    const accepted: string[] = [];
    let rejected: string | null = null;
    for (let step = 0; step < 80 && refused === null; step++) {
      const id = newId();
      // 8 KB of text a step (a reader shows 500 of it; the document holds it all).
      writer.doc.getMap(ROOT.cards).set(
        id,
        newItem({
          id,
          questionId,
          text: `${step} ${'x'.repeat(8_000)}`,
          authorId: AUTHOR,
          createdAt: step,
        }),
      );
      await waitFor(
        () => refused !== null || reader.doc.getMap(ROOT.cards).has(id),
        5_000,
        `step ${step} at the reader, or the writer closed`,
      );
      if (reader.doc.getMap(ROOT.cards).has(id)) accepted.push(id);
      else rejected = id;
    }
    expect(await closedWith).toBe(CLOSE.docTooLarge);
    expect(rejected).not.toBeNull();
    // Content below the limit is kept: everything that reached a peer is stored, the refused edit is not.
    expect(accepted.length).toBeGreaterThan(10);
    const stored = await storedDoc(server, full.id);
    const storedIds = [...stored.getMap(ROOT.cards).keys()];
    expect(storedIds.sort()).toEqual([...accepted].sort());
    const size = Y.encodeStateAsUpdate(stored).length;
    expect(size).toBeLessThanOrEqual(LIMIT);
    expect(size).toBeGreaterThan(LIMIT - 2 * 8_100);

    // A reader stays connected; a newcomer loads the full board (its sync changes nothing).
    // A close of the reader would come before the answer to its later sync query (same socket).
    await syncRoundTrip(reader);
    expect(reader.provider.wsconnected).toBe(true);
    const newcomer = await sync.syncedProvider(server, full.id);
    await waitFor(() => readCards(newcomer.doc).length === accepted.length, 5_000, 'the full board');
    expect(newcomer.provider.wsconnected).toBe(true);
    // Anyone's content that would take the board past its limit is refused the same way.
    const readerClosed = new Promise<number>((resolve) =>
      reader.provider.once('closed', ({ code }: { code: number }) => resolve(code)),
    );
    const tooMuch = `one more ${'y'.repeat(8_000)}`;
    reader.doc.getMap(ROOT.cards).set(newId(), newItem({ questionId, text: tooMuch, authorId: AUTHOR }));
    expect(await readerClosed).toBe(CLOSE.docTooLarge);
    expect(readCards(await storedDoc(server, full.id)).map((card) => card.text)).not.toContain(
      tooMuch.slice(0, 500),
    );

    // Another board is unaffected.
    addCard(elsewhere.doc, { questionId: firstQuestion(elsewhere), text: 'other board', authorId: AUTHOR });
    await waitFor(
      () => readCards(elsewhereReader.doc).some((card) => card.text === 'other board'),
      5_000,
      'the other board',
    );
  });

  it('[http#rate-limits] MAX_PARTICIPANTS=3: the fourth participant’s join is 429 board_full (a facilitator’s is not), concurrent joins never exceed it, and other boards are fine', async () => {
    server = await servers.start({ env: { MAX_PARTICIPANTS: '3' } });
    const board = await createBoard(server);
    const joined: Joined[] = [
      await joinBoard(server, board.id, 'Lead', board.facilitatorKey),
      await joinBoard(server, board.id, 'Camille'),
      await joinBoard(server, board.id, 'Sam'),
    ];
    const before = countRows(server, 'participants');
    expectJsonError(
      await postJson(server, `/api/boards/${board.id}/join`, { name: 'Fourth' }),
      429,
      'board_full',
    );
    expect(countRows(server, 'participants')).toBe(before);
    expect((await boardSummary(server, board.id)).participants).toBe(3);
    // Those who joined are in: their tokens open the session plane.
    const lead = await sessions.connect(server, { boardId: board.id, token: (joined[0] as Joined).token });
    expect(lead.latest().participants.map((p) => p.name)).toEqual(['Lead', 'Camille', 'Sam']);
    // Whoever holds the facilitator key always gets in, full board or not.
    expect((await joinBoard(server, board.id, 'Co-lead', board.facilitatorKey)).role).toBe('facilitator');
    expectJsonError(
      await postJson(server, `/api/boards/${board.id}/join`, { name: 'Fifth' }),
      429,
      'board_full',
    );

    // Ten at once on a fresh board: exactly three get in.
    const rush = await createBoard(server);
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        postJson(server as TestServer, `/api/boards/${rush.id}/join`, { name: `R${i}` }),
      ),
    );
    expect(answers.filter((a) => a.status === 200)).toHaveLength(3);
    for (const answer of answers.filter((a) => a.status !== 200)) expectJsonError(answer, 429, 'board_full');
    expect((await boardSummary(server, rush.id)).participants).toBe(3);

    const other = await createBoard(server);
    expect((await joinBoard(server, other.id, 'Elsewhere')).role).toBe('participant');
  });

  it('[errors#isolation] MAX_CONNECTIONS_PER_IP=4: the fifth sync or socket.io connection from 127.0.0.1 is refused (1013, rate_limited); a slot frees when one closes', async () => {
    server = await servers.start({ env: { MAX_CONNECTIONS_PER_IP: '4' } });
    const board = await createBoard(server);
    const member = await joinBoard(server, board.id, 'Camille');
    const auth = { boardId: board.id, token: member.token };

    const first = syncSocket(server, board.id);
    const second = syncSocket(server, board.id);
    await Promise.all([first.opened, second.opened]);
    const third = sessionSocket(server, auth);
    const fourth = sessionSocket(server, auth);
    expect(await third.outcome).toBe('connected');
    expect(await fourth.outcome).toBe('connected');

    // Full: a fifth of either kind is refused, whatever board it asks for.
    expect(await syncSocket(server, board.id).closed).toBe(CLOSE.tryAgainLater);
    expect(await syncSocket(server, 'NoSuchBoardAAAAAAAAAAA').closed).toBe(CLOSE.tryAgainLater);
    expect(await sessionSocket(server, auth).outcome).toBe('rate_limited');
    // The HTTP API is not a connection slot.
    expect((await rawHttp(server, 'GET', `/api/boards/${board.id}`)).status).toBe(200);

    // A sync connection closes: one socket.io connection fits, and then no more.
    first.ws.close();
    await first.closed;
    const fifth = await waitForOutcome(() => sessionSocket(server as TestServer, auth).outcome, 'connected');
    expect(fifth).toBe('connected');
    expect(await sessionSocket(server, auth).outcome).toBe('rate_limited');

    // A socket.io connection closes: a stock provider fits and syncs.
    third.socket.disconnect();
    const provider = sync.provider(server, board.id);
    await waitFor(() => provider.provider.synced, 5_000, 'the provider in the freed slot');
    expect(await syncSocket(server, board.id).closed).toBe(CLOSE.tryAgainLater);

    // Refused attempts held nothing: once everything closes, four connections fit again.
    for (const socket of sockets) socket.disconnect();
    second.ws.close();
    await second.closed;
    await sync.closeAll();
    const again = await waitForOutcome(() => sessionSocket(server as TestServer, auth).outcome, 'connected');
    expect(again).toBe('connected');
    const more = [syncSocket(server, board.id), syncSocket(server, board.id), syncSocket(server, board.id)];
    await Promise.all(more.map((s) => s.opened));
    expect(await syncSocket(server, board.id).closed).toBe(CLOSE.tryAgainLater);
  });

  it('[http#rate-limits][errors#isolation] BOARD_CREATIONS_PER_HOUR: creations beyond the burst of 20 are 429 rate_limited and create nothing; bad bodies are still 400; joins are unaffected', async () => {
    server = await servers.start({ env: { BOARD_CREATIONS_PER_HOUR: '1' } });
    const created = await Promise.all(
      Array.from({ length: 20 }, () => postJson(server as TestServer, '/api/boards', { title: 'Rehearsal' })),
    );
    expect(created.map((a) => a.status)).toEqual(Array.from({ length: 20 }, () => 201));
    const boards = countRows(server, 'boards');
    for (let i = 0; i < 3; i++) {
      const refused = await postJson(server, '/api/boards', { title: 'One too many' });
      expectJsonError(refused, 429, 'rate_limited');
      // One creation an hour: the next one in about an hour.
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(3500);
      expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(3600);
    }
    expectJsonError(await postJson(server, '/api/boards', { title: 5 }), 400, 'bad_request');
    expect(countRows(server, 'boards')).toBe(boards);
    const first = created[0]?.json as { id: string };
    expect((await joinBoard(server, first.id, 'Camille')).role).toBe('participant');
  });

  it('[http#rate-limits][errors#isolation] joins per address: a burst of 500, then 429 rate_limited with nobody added', async () => {
    // The rate alone, here: neither a full board nor the bound per address and board gets in the way.
    server = await servers.start({ env: { MAX_PARTICIPANTS: '1000', MAX_JOINS_PER_ADDRESS: '1000' } });
    const board = await createBoard(server);
    const answers = [];
    for (let batch = 0; batch < 30; batch++) {
      answers.push(
        ...(await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            postJson(server as TestServer, `/api/boards/${board.id}/join`, { name: `P${batch}-${i}` }),
          ),
        )),
      );
    }
    const ok = answers.filter((a) => a.status === 200).length;
    // 500 at once, plus the 10 a second the bucket regains while the 600 requests run.
    expect(ok).toBeGreaterThanOrEqual(500);
    expect(ok).toBeLessThan(600);
    expect(answers.slice(0, 500).every((a) => a.status === 200)).toBe(true);
    for (const answer of answers.filter((a) => a.status !== 200))
      expectJsonError(answer, 429, 'rate_limited');
    // Refused means nobody added.
    expect(countRows(server, 'participants')).toBe(ok);
  });

  it('[errors#isolation] TRUST_PROXY=1: limits key on the last X-Forwarded-For hop (the proxy’s), so two forwarded addresses count apart and a forged first hop changes nothing', async () => {
    server = await servers.start({
      env: { TRUST_PROXY: '1', BOARD_CREATIONS_PER_HOUR: '1', MAX_CONNECTIONS_PER_IP: '1' },
    });
    const create = (forwarded?: string) =>
      rawHttp(server as TestServer, 'POST', '/api/boards', {
        body: JSON.stringify({ title: 'Behind a proxy' }),
        headers: {
          'content-type': 'application/json',
          ...(forwarded === undefined ? {} : { 'x-forwarded-for': forwarded }),
        },
      });
    for (let i = 0; i < 20; i++) expect((await create(`203.0.113.${i}, 10.0.0.1`)).status).toBe(201);
    // Same last hop, another (forgeable) first hop: the same address, out of creations.
    expectJsonError(await create('198.51.100.7, 10.0.0.1'), 429, 'rate_limited');
    expectJsonError(await create('10.0.0.1'), 429, 'rate_limited');
    // Another last hop is another address; so is the socket's own address without the header.
    expect((await create('203.0.113.1, 10.0.0.2')).status).toBe(201);
    expect((await create()).status).toBe(201);

    // Connections: one per forwarded address.
    const board = await createBoard(server);
    const member = await joinBoard(server, board.id, 'Camille');
    const a = syncSocket(server, board.id, { 'x-forwarded-for': '10.0.0.1' });
    await a.opened;
    expect(await syncSocket(server, board.id, { 'x-forwarded-for': '198.51.100.7, 10.0.0.1' }).closed).toBe(
      CLOSE.tryAgainLater,
    );
    const b = syncSocket(server, board.id, { 'x-forwarded-for': '10.0.0.2' });
    await b.opened;
    const auth = { boardId: board.id, token: member.token };
    expect(await sessionSocket(server, auth, { 'x-forwarded-for': '10.0.0.1' }).outcome).toBe('rate_limited');
    expect(await sessionSocket(server, auth, { 'x-forwarded-for': '10.0.0.3' }).outcome).toBe('connected');
    expect(a.ws.readyState).toBe(WebSocket.OPEN);
    expect(b.ws.readyState).toBe(WebSocket.OPEN);
  });

  it('exports per address, by size: a room refreshing small exports is never refused; a big board’s export pulled over and over is 429 rate_limited with Retry-After once about 4 MiB went out, let in again after that wait, and no other address or route is affected', async () => {
    server = await servers.start({ env: { TRUST_PROXY: '1' } });
    const target = server;
    const exportFrom = (boardId: string, address: string) =>
      rawHttp(target, 'GET', `/api/boards/${boardId}/export?status=all`, {
        headers: { 'x-forwarded-for': address },
      });

    // A room behind one address, everyone's preview refreshing at once, again and again.
    const small = await createBoard(server);
    for (let round = 0; round < 4; round++) {
      const answers = await Promise.all(Array.from({ length: 50 }, () => exportFrom(small.id, '10.0.0.1')));
      expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200));
    }

    // A board whose export is big: goals with every field at its length limit.
    const { board, facilitator } = await workshop(server, 0);
    const writer = await GoalWriter.open(server, sync, board.id, facilitator);
    const long = (letter: string) => letter.repeat(500);
    await writer.add(
      Array.from({ length: 150 }, (_, i) => ({
        title: `Goal ${i} `.padEnd(120, 'g'),
        why: long('w'),
        metric: long('m'),
        baseline: long('b'),
        target: long('t'),
        owner: long('o'),
      })),
    );
    const one = await exportFrom(board.id, '10.0.0.2');
    expect(one.status).toBe(200);
    const kib = Buffer.byteLength(one.text) / 1024;
    expect(kib).toBeGreaterThan(300);

    // Pulled at once by a script from one address: let in while its 4 MiB last, then refused.
    const started = Date.now();
    const pulls = await Promise.all(Array.from({ length: 40 }, () => exportFrom(board.id, '10.0.0.3')));
    const seconds = (Date.now() - started) / 1000;
    const ok = pulls.filter((a) => a.status === 200).length;
    expect(ok).toBeGreaterThanOrEqual(Math.floor(4096 / kib));
    expect(ok).toBeLessThanOrEqual(Math.ceil((4096 + 256 * seconds) / kib) + 1);
    const refused = pulls.filter((a) => a.status !== 200);
    expect(refused.length).toBeGreaterThan(0);
    for (const answer of refused) {
      expectJsonError(answer, 429, 'rate_limited');
      expect(String(answer.headers['retry-after'])).toMatch(/^[1-9]\d*$/);
    }

    // Other addresses, and other routes from this one, go on as before.
    expect((await exportFrom(board.id, '10.0.0.4')).status).toBe(200);
    expect((await exportFrom(small.id, '10.0.0.1')).status).toBe(200);
    const summary = await rawHttp(server, 'GET', `/api/boards/${board.id}`, {
      headers: { 'x-forwarded-for': '10.0.0.3' },
    });
    expect(summary.status).toBe(200);

    // After the wait it was told, the same address is let in again.
    const refusedNow = await exportFrom(board.id, '10.0.0.3');
    expectJsonError(refusedNow, 429, 'rate_limited');
    // Time is the point: the limit refills after the Retry-After it announced.
    await sleep(Number(refusedNow.headers['retry-after']) * 1000);
    expect((await exportFrom(board.id, '10.0.0.3')).status).toBe(200);
  });

  it('[errors#isolation] without TRUST_PROXY, X-Forwarded-For is ignored: a client cannot pick its own address to escape a limit', async () => {
    server = await servers.start({ env: { BOARD_CREATIONS_PER_HOUR: '1', MAX_CONNECTIONS_PER_IP: '1' } });
    const create = (forwarded: string) =>
      rawHttp(server as TestServer, 'POST', '/api/boards', {
        body: JSON.stringify({ title: 'Spoofing' }),
        headers: { 'content-type': 'application/json', 'x-forwarded-for': forwarded },
      });
    const board = await createBoard(server);
    for (let i = 0; i < 19; i++) expect((await create(`10.0.0.${i}`)).status).toBe(201);
    expectJsonError(await create('10.0.0.99'), 429, 'rate_limited');
    expectJsonError(await create('192.0.2.1, 10.0.0.100'), 429, 'rate_limited');

    // One connection for 127.0.0.1, whatever each one claims to come from.
    const a = syncSocket(server, board.id, { 'x-forwarded-for': '10.0.0.1' });
    await a.opened;
    expect(await syncSocket(server, board.id, { 'x-forwarded-for': '10.0.0.2' }).closed).toBe(
      CLOSE.tryAgainLater,
    );
    const member = await joinBoard(server, board.id, 'Camille');
    const auth = { boardId: board.id, token: member.token };
    expect(await sessionSocket(server, auth, { 'x-forwarded-for': '10.0.0.3' }).outcome).toBe('rate_limited');
    expect(a.ws.readyState).toBe(WebSocket.OPEN);
  });
});

/** Retries `attempt` until it resolves to `wanted` (a slot is freed once the server saw the close). */
async function waitForOutcome(attempt: () => Promise<string>, wanted: string): Promise<string> {
  let last = '';
  await waitFor(
    async () => {
      last = await attempt();
      return last === wanted;
    },
    5_000,
    `a connection to be ${wanted}`,
  );
  return last;
}
