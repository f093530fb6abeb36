/** The HTTP API (docs/http.md#http-api) and its bad-input rules (docs/errors.md#validation), through real HTTP against a real server. */
import { describe, expect, it } from 'vitest';
import { expectErrorAnswer } from '../helpers/expect';
import { useServer } from '../helpers/fixtures';
import { createBoard, joinBoard, startTestServer, type TestServer } from '../helpers/server';

const ID_SHAPE = /^[A-Za-z0-9_-]{22,}$/;

interface Answer {
  status: number;
  headers: Headers;
  body: unknown;
}

/** Sends `body` (a string is sent as is, anything else as JSON) and reads the JSON answer. */
async function request(server: TestServer, method: string, path: string, body?: unknown): Promise<Answer> {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Not JSON: the test says what it expected.
  }
  return { status: response.status, headers: response.headers, body: parsed };
}

describe('HTTP API', () => {
  const server = useServer();

  describe('POST /api/boards', () => {
    it('[http#create-a-board] creates a board: 201 with exactly id, title, participantUrl, facilitatorUrl and facilitatorKey', async () => {
      const answer = await request(server, 'POST', '/api/boards', { title: 'Kickoff', locale: 'fr' });
      expect(answer.status).toBe(201);
      const body = answer.body as Record<string, string>;
      expect(Object.keys(body).sort()).toEqual([
        'facilitatorKey',
        'facilitatorUrl',
        'id',
        'participantUrl',
        'title',
      ]);
      expect(body.title).toBe('Kickoff');
      expect(body.id).toMatch(ID_SHAPE);
      expect(body.participantUrl).toBe(`${server.url}/b/${body.id}`);
      expect(body.facilitatorUrl).toBe(`${server.url}/b/${body.id}#key=${body.facilitatorKey}`);
      expect(body.facilitatorKey?.length).toBeGreaterThanOrEqual(22);
      expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
    });

    it('[http#create-a-board] makes a new unguessable id and key for every board', async () => {
      const boards = await Promise.all(Array.from({ length: 10 }, () => createBoard(server)));
      expect(new Set(boards.map((b) => b.id)).size).toBe(10);
      expect(new Set(boards.map((b) => b.facilitatorKey)).size).toBe(10);
      for (const board of boards) expect(board.id).toMatch(ID_SHAPE);
    });

    it('[http#create-a-board] defaults to locale en, the social-kickoff template and the default title', async () => {
      const answer = await request(server, 'POST', '/api/boards', {});
      expect(answer.status).toBe(201);
      const created = answer.body as { id: string; title: string };
      expect(created.title).toBe('Social team kickoff');
      const summary = (await request(server, 'GET', `/api/boards/${created.id}`)).body;
      expect(summary).toMatchObject({
        locale: 'en',
        template: 'social-kickoff',
        title: 'Social team kickoff',
      });
    });

    it('[http#conventions] takes an empty body as all defaults, and a French blank board gets its French default title', async () => {
      const empty = await request(server, 'POST', '/api/boards', '');
      expect(empty.status).toBe(201);
      const blank = await createBoard(server, { locale: 'fr', template: 'blank' });
      expect(blank.title).toBe('Nouveau tableau');
    });

    it('[http#create-a-board][errors#text-limits] trims the title and takes 120 characters', async () => {
      expect((await createBoard(server, { title: '   Lancement   ' })).title).toBe('Lancement');
      expect((await createBoard(server, { title: 't'.repeat(120) })).title).toHaveLength(120);
    });

    it('[http#create-a-board][errors#text-limits] refuses a title of 121 characters, an empty title and a title of spaces with 400', async () => {
      for (const title of ['t'.repeat(121), '', '     ']) {
        expectErrorAnswer(await request(server, 'POST', '/api/boards', { title }), 400, 'bad_request');
      }
    });

    it('[errors#validation] refuses wrong types, unknown locales and templates with 400', async () => {
      for (const body of [
        { title: 5 },
        { title: null },
        { title: ['a'] },
        { locale: 'de' },
        { template: 'retro' },
        'null',
        '42',
        '"title"',
      ]) {
        expectErrorAnswer(await request(server, 'POST', '/api/boards', body), 400, 'bad_request');
      }
    });

    it('[errors#validation] refuses a JSON array as the body with 400 (a body is a JSON object)', async () => {
      expectErrorAnswer(await request(server, 'POST', '/api/boards', []), 400, 'bad_request');
      expectErrorAnswer(await request(server, 'POST', '/api/boards', '[{"title":"a"}]'), 400, 'bad_request');
    });

    it('[errors#validation] refuses a body that is not JSON with 400', async () => {
      for (const body of ['{', '{"title": "a",}', "{'title': 'a'}", 'title=a']) {
        expectErrorAnswer(await request(server, 'POST', '/api/boards', body), 400, 'bad_request');
      }
    });

    it('[errors#frames] refuses a body over 16 KiB with 413 too_large', async () => {
      const body = JSON.stringify({ title: 'a', padding: 'x'.repeat(17 * 1024) });
      expectErrorAnswer(await request(server, 'POST', '/api/boards', body), 413, 'too_large');
    });

    it('[http#read-a-board] builds the links from PUBLIC_URL when it is set', async () => {
      const proxied = await startTestServer({ env: { PUBLIC_URL: 'https://atelier.example.com' } });
      try {
        const board = await createBoard(proxied);
        expect(board.participantUrl).toBe(`https://atelier.example.com/b/${board.id}`);
        expect(board.facilitatorUrl).toBe(
          `https://atelier.example.com/b/${board.id}#key=${board.facilitatorKey}`,
        );
      } finally {
        await proxied.close();
      }
    });
  });

  describe('GET /api/boards/:id', () => {
    it('[http#create-a-board] returns the summary of a new board', async () => {
      const before = Date.now();
      const board = await createBoard(server, { title: 'Kickoff', locale: 'fr' });
      const answer = await request(server, 'GET', `/api/boards/${board.id}`);
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({
        id: board.id,
        title: 'Kickoff',
        locale: 'fr',
        template: 'social-kickoff',
        phase: 'discover',
        goals: 0,
        agreed: 0,
        participants: 0,
      });
      const createdAt = (answer.body as { createdAt: unknown }).createdAt;
      expect(typeof createdAt).toBe('number');
      expect(createdAt as number).toBeGreaterThanOrEqual(before - 1_000);
      expect(createdAt as number).toBeLessThanOrEqual(Date.now() + 1_000);
    });

    it('[http#join-a-board] counts participants as they join', async () => {
      const board = await createBoard(server);
      await joinBoard(server, board.id, 'Camille');
      await joinBoard(server, board.id, 'Lead', board.facilitatorKey);
      await joinBoard(server, board.id, 'Sam');
      const answer = await request(server, 'GET', `/api/boards/${board.id}`);
      expect((answer.body as { participants: number }).participants).toBe(3);
    });

    it('[http#status-codes] answers 404 unknown_board for a board that does not exist', async () => {
      expectErrorAnswer(
        await request(server, 'GET', '/api/boards/NoSuchBoardAAAAAAAAAAA'),
        404,
        'unknown_board',
      );
    });

    it('[http#status-codes][errors#validation] answers 404 for odd ids, never an error of another kind', async () => {
      for (const id of ['..%2F..', '__proto__', 'constructor', '%00', 'x'.repeat(5_000), '%F0%9F%98%80']) {
        const answer = await request(server, 'GET', `/api/boards/${id}`);
        expect(answer.status, id.slice(0, 20)).toBe(404);
        expect((answer.body as { error: { code: string } }).error.code).toMatch(
          /^(unknown_board|not_found)$/,
        );
      }
    });
  });

  describe('POST /api/boards/:id/join', () => {
    it('[http#join-a-board] joins as a participant: participantId, token and role', async () => {
      const board = await createBoard(server);
      const answer = await request(server, 'POST', `/api/boards/${board.id}/join`, { name: '  Camille ' });
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({
        participantId: expect.any(String),
        token: expect.any(String),
        role: 'participant',
      });
      expect((answer.body as { participantId: string }).participantId).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
    });

    it('[http#join-a-board] joins as a facilitator with the right facilitator key', async () => {
      const board = await createBoard(server);
      const joined = await joinBoard(server, board.id, 'Lead', board.facilitatorKey);
      expect(joined.role).toBe('facilitator');
    });

    it('[http#join-a-board] refuses a wrong facilitator key with 403 wrong_key, not a silent downgrade, and adds nobody', async () => {
      const board = await createBoard(server);
      const other = await createBoard(server);
      for (const facilitatorKey of ['wrong', '', other.facilitatorKey]) {
        const answer = await request(server, 'POST', `/api/boards/${board.id}/join`, {
          name: 'Mallory',
          facilitatorKey,
        });
        expectErrorAnswer(answer, 403, 'wrong_key');
      }
      const summary = await request(server, 'GET', `/api/boards/${board.id}`);
      expect((summary.body as { participants: number }).participants).toBe(0);
    });

    it('[http#join-a-board] gives every join a new participant and token', async () => {
      const board = await createBoard(server);
      const first = await joinBoard(server, board.id, 'Camille');
      const second = await joinBoard(server, board.id, 'Camille');
      expect(second.participantId).not.toBe(first.participantId);
      expect(second.token).not.toBe(first.token);
    });

    it('[http#join-a-board][errors#text-limits] refuses a missing, empty or over-long name and wrong types with 400', async () => {
      const board = await createBoard(server);
      for (const body of [
        {},
        { name: '' },
        { name: '   ' },
        { name: 'n'.repeat(41) },
        { name: 5 },
        { name: 'a', facilitatorKey: 7 },
        'null',
      ]) {
        expectErrorAnswer(
          await request(server, 'POST', `/api/boards/${board.id}/join`, body),
          400,
          'bad_request',
        );
      }
      expect((await joinBoard(server, board.id, 'n'.repeat(40))).role).toBe('participant');
    });

    it('[http#join-a-board] answers 404 unknown_board when joining a board that does not exist', async () => {
      expectErrorAnswer(
        await request(server, 'POST', '/api/boards/NoSuchBoardAAAAAAAAAAA/join', { name: 'Camille' }),
        404,
        'unknown_board',
      );
      expectErrorAnswer(
        await request(server, 'POST', '/api/boards/__proto__/join', { name: 'Camille' }),
        404,
        'unknown_board',
      );
    });

    it('[errors#frames] refuses bad JSON and bodies over 16 KiB', async () => {
      const board = await createBoard(server);
      expectErrorAnswer(
        await request(server, 'POST', `/api/boards/${board.id}/join`, '{"name":'),
        400,
        'bad_request',
      );
      const big = JSON.stringify({ name: 'a', padding: 'x'.repeat(20_000) });
      expectErrorAnswer(await request(server, 'POST', `/api/boards/${board.id}/join`, big), 413, 'too_large');
    });
  });

  describe('other routes', () => {
    it('[http#health] GET /api/health answers {"ok":true}', async () => {
      const answer = await request(server, 'GET', '/api/health');
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({ ok: true });
    });

    it('[http#conventions] answers an unknown /api route with a JSON 404', async () => {
      expectErrorAnswer(await request(server, 'GET', '/api/nothing-here'), 404, 'not_found');
      expectErrorAnswer(await request(server, 'POST', '/api/boards/x/y/z', {}), 404, 'not_found');
      expectErrorAnswer(await request(server, 'DELETE', '/api/health'), 404, 'not_found');
    });

    it('[errors#headers] sets X-Content-Type-Options: nosniff on every answer, errors included', async () => {
      for (const answer of [
        await request(server, 'GET', '/api/health'),
        await request(server, 'POST', '/api/boards', '{'),
        await request(server, 'GET', '/api/nothing-here'),
        await request(server, 'POST', '/api/boards', 'x'.repeat(20_000)),
        await request(server, 'GET', '/no-such-file.js'),
      ]) {
        expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
      }
    });

    it('[errors#headers] serves the page with nosniff, a strict Content-Security-Policy and a Referrer-Policy', async () => {
      const board = await createBoard(server);
      for (const path of ['/', `/b/${board.id}`]) {
        const response = await fetch(`${server.url}${path}`);
        expect(response.status).toBe(200);
        expect(response.headers.get('content-type')).toMatch(/^text\/html/);
        expect(response.headers.get('x-content-type-options')).toBe('nosniff');
        const csp = response.headers.get('content-security-policy') ?? '';
        expect(csp).toMatch(/(^|;)\s*script-src 'self'\s*(;|$)/);
        expect(csp).toMatch(/default-src 'self'/);
        expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
        expect(response.headers.get('referrer-policy')).toBeTruthy();
        await response.arrayBuffer();
      }
    });
  });
});
