/**
 * The HTTP API's routes (docs/http.md#http-api) and their bad-input answers (docs/errors.md#validation), called in-process with
 * Hono's `app.request()` on the app the server builds, over a real SQLite store: no port, no
 * socket, the whole answer — status, headers and exact body — read as the route made it. What the
 * connection itself does is tested against a real server (http.test.ts, hostile-http.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BoardSummary, CreatedBoard, Joined } from '../../shared/api';
import type { GoalsExport } from '../../shared/export/goals-export';
import { exportValidator } from '../helpers/export-schema';
import { countRows } from '../helpers/hostile';
import { openHttpApp, type TestHttpApp } from '../helpers/http-app';

const ID_SHAPE = /^[A-Za-z0-9_-]{22,}$/;

interface Answer {
  status: number;
  headers: Headers;
  json: unknown;
}

describe('HTTP routes, in-process', () => {
  let http: TestHttpApp;
  const validate = exportValidator();
  const logged: Array<{ message: string; error: unknown }> = [];

  beforeAll(async () => {
    http = await openHttpApp({ log: (message, error) => logged.push({ message, error }) });
  });
  afterAll(async () => {
    await http?.close();
  });

  /** `body`: a string is sent as is, anything else as JSON; sent as application/json by default. */
  async function call(
    method: string,
    path: string,
    options: { body?: unknown; contentType?: string; headers?: Record<string, string> } = {},
  ): Promise<Answer> {
    const { body, contentType = 'application/json', headers = {} } = options;
    const response = await http.app.request(path, {
      method,
      headers: body === undefined ? headers : { 'content-type': contentType, ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: response.status, headers: response.headers, json };
  }

  /** docs/http.md#status-codes: exactly `{error: {code, message}}` as JSON, with the status of the code, nosniff. */
  function expectError(answer: Answer, status: number, code: string, message: string): void {
    expect({ status: answer.status, json: answer.json }).toEqual({
      status,
      json: { error: { code, message } },
    });
    expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
  }

  async function created(body: unknown = { title: 'Kickoff', locale: 'en' }): Promise<CreatedBoard> {
    const answer = await call('POST', '/api/boards', { body });
    expect(answer.status).toBe(201);
    return answer.json as CreatedBoard;
  }

  it('[http#create-a-board] POST /api/boards creates a board: 201, exactly the five fields, links on the request’s origin, the board stored', async () => {
    const answer = await call('POST', '/api/boards', { body: { title: '  Kickoff  ', locale: 'fr' } });
    expect(answer.status).toBe(201);
    expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
    const board = answer.json as CreatedBoard;
    expect(Object.keys(board).sort()).toEqual([
      'facilitatorKey',
      'facilitatorUrl',
      'id',
      'participantUrl',
      'title',
    ]);
    expect(board.id).toMatch(ID_SHAPE);
    expect(board.title).toBe('Kickoff');
    expect(board.participantUrl).toBe(`http://localhost/b/${board.id}`);
    expect(board.facilitatorUrl).toBe(`http://localhost/b/${board.id}#key=${board.facilitatorKey}`);
    expect(await http.store.getBoard(board.id)).toMatchObject({
      id: board.id,
      title: 'Kickoff',
      locale: 'fr',
      template: 'social-kickoff',
    });
    // An empty body is every default.
    const defaults = await call('POST', '/api/boards');
    expect(defaults.status).toBe(201);
    expect((defaults.json as CreatedBoard).title).toBe('Social team kickoff');
  });

  it('[http#join-a-board] GET /api/boards/:id answers the summary of the board, counting participants as they join', async () => {
    const before = Date.now();
    const board = await created({ title: 'Summary', locale: 'en', template: 'blank' });
    const summary = await call('GET', `/api/boards/${board.id}`);
    expect(summary.status).toBe(200);
    expect(summary.json).toEqual({
      id: board.id,
      title: 'Summary',
      locale: 'en',
      template: 'blank',
      phase: 'discover',
      createdAt: expect.any(Number),
      goals: 0,
      agreed: 0,
      participants: 0,
      participantUrl: board.participantUrl,
    } satisfies Record<keyof BoardSummary, unknown>);
    expect((summary.json as BoardSummary).createdAt).toBeGreaterThanOrEqual(before);

    const participant = await call('POST', `/api/boards/${board.id}/join`, { body: { name: 'Camille' } });
    expect(participant.status).toBe(200);
    expect(participant.json).toEqual({
      participantId: expect.stringMatching(ID_SHAPE),
      token: expect.any(String),
      role: 'participant',
    });
    const lead = await call('POST', `/api/boards/${board.id}/join`, {
      body: { name: 'Lead', facilitatorKey: board.facilitatorKey },
    });
    expect((lead.json as Joined).role).toBe('facilitator');
    expect(((await call('GET', `/api/boards/${board.id}`)).json as BoardSummary).participants).toBe(2);
  });

  it('[http#conventions][errors#text-limits] bad input answers 400 bad_request, 413 too_large or 415 with the exact error body, and stores nothing', async () => {
    const board = await created();
    const json = 'application/json';
    const join = `/api/boards/${board.id}/join`;
    const bad = (message: string) => ({ status: 400, code: 'bad_request', message });
    const cases = [
      { path: '/api/boards', body: '{"title": "a"', ...bad('The body is not valid JSON.') },
      { path: '/api/boards', body: '["Kickoff"]', ...bad('The body must be a JSON object.') },
      { path: '/api/boards', body: { title: '   ' }, ...bad('title: title cannot be empty') },
      { path: '/api/boards', body: { title: 7 }, ...bad('title: title must be text') },
      {
        path: '/api/boards',
        body: { title: 'x'.repeat(121) },
        ...bad('title: title is limited to 120 characters'),
      },
      { path: '/api/boards', body: { locale: 'de' }, ...bad('locale: locale must be "fr" or "en"') },
      {
        path: '/api/boards',
        body: { template: 'retro' },
        ...bad('template: template must be "social-kickoff" or "blank"'),
      },
      { path: join, body: { name: true }, ...bad('name: name must be text') },
      {
        path: join,
        body: { name: 'Mallory', facilitatorKey: 7 },
        ...bad('facilitatorKey: facilitatorKey must be text'),
      },
      {
        path: '/api/boards',
        body: { title: 'Sent by a form' },
        contentType: 'text/plain',
        status: 415,
        code: 'unsupported_media_type',
        message: 'Send the body as JSON (Content-Type: application/json).',
      },
      {
        path: '/api/boards',
        body: { title: 'x'.repeat(16 * 1024) },
        status: 413,
        code: 'too_large',
        message: 'Request bodies are limited to 16384 bytes.',
      },
    ];
    const before = { boards: countRows(http, 'boards'), participants: countRows(http, 'participants') };
    for (const { path, body, contentType = json, status, code, message } of cases) {
      const answer = await call('POST', path, { body, contentType });
      expectError(answer, status, code, message);
      // A body left unread cannot leave the connection usable: the answer says so.
      if (status === 413) expect(answer.headers.get('connection')).toBe('close');
    }
    const wrongKey = await call('POST', `/api/boards/${board.id}/join`, {
      body: { name: 'Mallory', facilitatorKey: 'not-the-key' },
    });
    expectError(wrongKey, 403, 'wrong_key', 'This facilitator link is not valid for this board.');
    expect({ boards: countRows(http, 'boards'), participants: countRows(http, 'participants') }).toEqual(
      before,
    );
  });

  it('[http#export][export#schema] GET /api/boards/:id/export answers the goals export as a JSON attachment that matches its schema', async () => {
    const board = await created({ title: 'Export me', locale: 'en' });
    const lead = (
      await call('POST', `/api/boards/${board.id}/join`, {
        body: { name: 'Lead', facilitatorKey: board.facilitatorKey },
      })
    ).json as Joined;
    for (const [query, headers] of [
      ['', {}],
      ['?status=all', {}],
      ['', { authorization: `Bearer ${lead.token}` }],
    ] as const) {
      const response = await http.app.request(`/api/boards/${board.id}/export${query}`, { headers });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="[^"/\\]+\.json"$/);
      expect(response.headers.get('cache-control')).toBe('no-store');
      const text = await response.text();
      expect(text.endsWith('\n')).toBe(true);
      const exported = JSON.parse(text) as GoalsExport;
      expect(validate(exported)).toEqual([]);
      expect(exported.board).toEqual({ id: board.id, title: 'Export me', url: board.participantUrl });
      expect(exported.goals).toEqual([]);
    }
    expectError(
      await call('GET', `/api/boards/${board.id}/export?status=proposed`),
      400,
      'bad_request',
      'status may only be "all" (or left out for agreed goals).',
    );
    expectError(
      await call('GET', `/api/boards/${board.id}/export`, {
        headers: { authorization: 'Bearer forged.token' },
      }),
      401,
      'bad_token',
      'This token is not valid for this board.',
    );
  });

  it('[http#conventions] answers 404 as JSON: an unknown board on each of its routes, an unknown API route, a method the API does not have', async () => {
    const missing = 'NoSuchBoardAAAAAAAAAAA';
    const unknownBoard = 'There is no board at this address.';
    expectError(await call('GET', `/api/boards/${missing}`), 404, 'unknown_board', unknownBoard);
    expectError(await call('GET', `/api/boards/${missing}/export`), 404, 'unknown_board', unknownBoard);
    expectError(
      await call('POST', `/api/boards/${missing}/join`, { body: { name: 'Camille' } }),
      404,
      'unknown_board',
      unknownBoard,
    );
    expectError(await call('GET', '/api/nothing'), 404, 'not_found', 'There is no such API route.');
    expectError(await call('DELETE', '/api/boards'), 404, 'not_found', 'There is no such API route.');
    expectError(await call('PUT', `/api/boards/${missing}`), 404, 'not_found', 'There is no such API route.');
    // Outside the API, a file that is not there is a plain 404.
    const file = await http.app.request('/no-such-file.js');
    expect(file.status).toBe(404);
  });

  it('[http#health][errors#text-limits] GET /api/health answers {"ok":true}; a fault in the store is a 500 internal with nothing of it shown, and logged', async () => {
    const health = await call('GET', '/api/health');
    expect({ status: health.status, json: health.json }).toEqual({ status: 200, json: { ok: true } });

    const board = await created();
    const getBoard = http.store.getBoard.bind(http.store);
    http.store.getBoard = async () => {
      throw new Error('SQLITE_IOERR: disk I/O error at /secret/path/atelier.sqlite');
    };
    try {
      expectError(
        await call('GET', `/api/boards/${board.id}`),
        500,
        'internal',
        'Something went wrong on the server.',
      );
    } finally {
      http.store.getBoard = getBoard;
    }
    expect(logged.some(({ error }) => String((error as Error)?.message).includes('SQLITE_IOERR'))).toBe(true);
    expect((await call('GET', `/api/boards/${board.id}`)).status).toBe(200);
  });
});
