/**
 * The HTTP API under attack (docs/http.md#conventions, docs/errors.md#validation): bodies that are malformed, oversized, mistyped, of the
 * wrong content type or carrying prototype-pollution keys; odd ids and path tricks sent byte for
 * byte; methods the API does not have; a fault inside the server. Each answer is a JSON error with
 * the right status — never a stack trace or HTML — and nothing is created.
 */
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreatedBoard, Joined } from '../../shared/api';
import {
  countRows,
  expectCleanPrototypes,
  expectJsonError,
  postJson,
  prototypeKeys,
  rawHttp,
} from '../helpers/hostile';
import { createBoard, joinBoard, startTestServer, type TestServer } from '../helpers/server';

describe('HTTP API under attack', () => {
  let server: TestServer;
  let board: CreatedBoard;
  const logged: Array<{ message: string; error: unknown }> = [];
  const prototypesAtStart = prototypeKeys();

  beforeAll(async () => {
    server = await startTestServer({ log: (message, error) => logged.push({ message, error }) });
    board = await createBoard(server, { title: 'Target', locale: 'en' });
  });
  afterAll(async () => {
    await server?.close();
  });

  const counts = (): { boards: number; participants: number } => ({
    boards: countRows(server, 'boards'),
    participants: countRows(server, 'participants'),
  });

  it('[http#conventions][errors#validation] refuses JSON sent as text/plain, a form or multipart (what a cross-site form can send) and creates nothing', async () => {
    const before = counts();
    const json = JSON.stringify({ title: 'Sent by another site', locale: 'en' });
    for (const contentType of [
      'text/plain',
      'text/plain;charset=UTF-8',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
    ]) {
      for (const path of ['/api/boards', `/api/boards/${board.id}/join`]) {
        const body = path.endsWith('join') ? JSON.stringify({ name: 'Mallory' }) : json;
        const answer = await postJson(server, path, body, contentType);
        expect([400, 415], `${contentType} ${path}`).toContain(answer.status);
        expectJsonError(
          answer,
          answer.status,
          answer.status === 415 ? 'unsupported_media_type' : 'bad_request',
        );
      }
    }
    expect(counts()).toEqual(before);
    // What the client sends still works, and a POST without a body needs no content type.
    expect((await postJson(server, '/api/boards', json, 'application/json; charset=utf-8')).status).toBe(201);
    expect((await rawHttp(server, 'POST', '/api/boards')).status).toBe(201);
  });

  it('[http#conventions][errors#validation] refuses malformed and mistyped bodies with 400 bad_request and creates nothing', async () => {
    const before = counts();
    const deep = '['.repeat(5_000) + ']'.repeat(5_000);
    const creations: Array<string | object> = [
      '{"title": "a"',
      '{"title": "a"}{"title": "b"}',
      '{"title": "a\u0000b"}',
      '\u0000',
      'NaN',
      '1e999',
      '"\\u0000"',
      deep,
      `{"title": ${deep}}`,
      { title: { $gt: '' } },
      { title: ['Kickoff'] },
      { title: true },
      { locale: ['fr'] },
      { locale: 'FR' },
      { template: {} },
      { template: 'social-kickoff ' },
    ];
    for (const body of creations) {
      const answer = await postJson(server, '/api/boards', body);
      expectJsonError(answer, 400, 'bad_request', JSON.stringify(body).slice(0, 60));
    }
    const joins: Array<string | object> = [
      { name: { toString: 'Mallory' } },
      { name: ['Mallory'] },
      { name: true },
      { name: 'Mallory', facilitatorKey: null },
      { name: 'Mallory', facilitatorKey: [board.facilitatorKey] },
      { name: 'Mallory', facilitatorKey: { key: board.facilitatorKey } },
      { name: 'Mallory', facilitatorKey: 'k'.repeat(129) },
      { name: '\u200b'.repeat(41) },
      '[{"name": "Mallory"}]',
      `{"name": ${deep}}`,
    ];
    for (const body of joins) {
      const answer = await postJson(server, `/api/boards/${board.id}/join`, body);
      expectJsonError(answer, 400, 'bad_request', JSON.stringify(body).slice(0, 60));
    }
    expect(counts()).toEqual(before);
  });

  it('[http#conventions][errors#frames] reads a body of exactly 16 KiB and refuses one byte more, chunked or not, with 413 too_large; a gzip body is never inflated', async () => {
    const sized = (bytes: number): string => {
      const shell = JSON.stringify({ title: 'Exactly', padding: '' });
      return JSON.stringify({ title: 'Exactly', padding: 'x'.repeat(bytes - shell.length) });
    };
    expect(Buffer.byteLength(sized(16 * 1024))).toBe(16 * 1024);
    const before = counts();
    expect((await postJson(server, '/api/boards', sized(16 * 1024))).status).toBe(201);
    expectJsonError(await postJson(server, '/api/boards', sized(16 * 1024 + 1)), 413, 'too_large');
    expectJsonError(
      await postJson(server, `/api/boards/${board.id}/join`, sized(16 * 1024 + 1)),
      413,
      'too_large',
    );
    // No Content-Length: the limit holds for a stream too.
    const streamed = await fetch(`${server.url}/api/boards`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: new ReadableStream<Uint8Array>({
        start(controller) {
          for (let i = 0; i < 64; i++) controller.enqueue(new TextEncoder().encode(' '.repeat(1024)));
          controller.enqueue(new TextEncoder().encode('{"title":"streamed"}'));
          controller.close();
        },
      }),
      duplex: 'half',
    });
    expect(streamed.status).toBe(413);
    expect(((await streamed.json()) as { error: { code: string } }).error.code).toBe('too_large');
    // The rest of that body is never read, so its connection cannot carry another request: the
    // answer says so, and the next request (on a new connection) is answered at once.
    expect(streamed.headers.get('connection')).toBe('close');
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
    // 200 bytes of gzip that would inflate to 1 MB: never inflated, never a board.
    const bomb = gzipSync(Buffer.from(JSON.stringify({ title: 'Bomb', padding: 'x'.repeat(1_000_000) })));
    expect(bomb.length).toBeLessThan(16 * 1024);
    const answer = await rawHttp(server, 'POST', '/api/boards', {
      body: bomb,
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
    });
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(answer.status).toBeLessThan(500);
    expect(counts()).toEqual({ ...before, boards: before.boards + 1 });
  });

  it('[http#conventions][errors#validation] ignores prototype-pollution keys in bodies: no polluted prototype, no smuggled title, role or key', async () => {
    const created = await postJson(
      server,
      '/api/boards',
      '{"__proto__": {"title": "Smuggled", "polluted": "yes"}, "constructor": {"prototype": {"polluted": "yes"}}, "locale": "fr"}',
    );
    expect(created.status).toBe(201);
    expect((created.json as CreatedBoard).title).toBe("Lancement de l'équipe sociale");
    const joined = await postJson(
      server,
      `/api/boards/${board.id}/join`,
      `{"name": "Mallory", "__proto__": {"facilitatorKey": "${board.facilitatorKey}", "role": "facilitator"}, "role": "facilitator"}`,
    );
    expect(joined.status).toBe(200);
    expect((joined.json as Joined).role).toBe('participant');
    // The key only counts where it belongs.
    const hiddenKey = await postJson(
      server,
      `/api/boards/${board.id}/join`,
      `{"__proto__": {"name": "Mallory"}, "facilitatorKey": "${board.facilitatorKey}"}`,
    );
    expectJsonError(hiddenKey, 400, 'bad_request');
    expectCleanPrototypes(prototypesAtStart);
    expect((await rawHttp(server, 'GET', '/api/health')).json).toEqual({ ok: true });
  });

  it('[http#conventions][errors#validation] answers odd ids and path tricks on every board route with a JSON 404, byte for byte as sent, and never serves a file from disk', async () => {
    const before = counts();
    const ids = [
      '..%2F..%2Fetc%2Fpasswd',
      '..%2f..%2f..%2fpackage.json',
      '%2e%2e',
      '%00',
      `${board.id}%00`,
      `${board.id}%00.json`,
      'x%00y',
      '%ZZ',
      '%',
      '%F0%9F%98%80%F0%9F%98%80%F0%9F%98%80%F0%9F%98%80',
      '%E2%80%AE' + 'a'.repeat(21),
      '%C0%AE%C0%AE',
      'x'.repeat(8_000),
      '__proto__',
      'constructor',
      'prototype',
      'hasOwnProperty',
      board.id.toLowerCase() === board.id ? board.id.toUpperCase() : board.id.toLowerCase(),
      `${board.id} `.replace(' ', '%20'),
    ];
    for (const id of ids) {
      const label = id.slice(0, 40);
      // `unknown_board`, or `not_found` where the URL parser already resolved a `..` away.
      const code = /^(unknown_board|not_found)$/;
      expectJsonError(await rawHttp(server, 'GET', `/api/boards/${id}`), 404, code, label);
      expectJsonError(await rawHttp(server, 'GET', `/api/boards/${id}/export`), 404, code, label);
      expectJsonError(
        await postJson(server, `/api/boards/${id}/join`, { name: 'Mallory' }),
        404,
        code,
        label,
      );
    }
    // Paths that climb out of the API or the client's files.
    for (const path of [
      '/api/boards/../../etc/passwd',
      '/api/boards/%2e%2e/%2e%2e/etc/passwd',
      '/api/../package.json',
      '/assets/../../package.json',
      '/assets/..%2f..%2fpackage.json',
      '/assets/%2e%2e/%2e%2e/package.json',
      '/..%2f..%2fserver%2fconfig.ts',
      '//etc/passwd',
      '/dist/client/index.html',
      '/index.html/../../package.json',
      '/sw.js%00.html',
    ]) {
      const answer = await rawHttp(server, 'GET', path);
      expect(answer.status, path).toBe(404);
      expect(answer.headers['x-content-type-options'], path).toBe('nosniff');
      expect(answer.text, path).not.toMatch(/root:|"name": "atelier"|readConfig|<html|\n\s+at /i);
    }
    expect(counts()).toEqual(before);
  });

  it('[http#conventions][errors#validation] answers methods the API does not have with a JSON 404 and changes nothing; HEAD of a GET route is that GET without a body', async () => {
    const before = counts();
    const routes = [
      '/api/boards',
      `/api/boards/${board.id}`,
      `/api/boards/${board.id}/join`,
      `/api/boards/${board.id}/export`,
      '/api/health',
    ];
    for (const path of routes) {
      for (const method of ['PUT', 'DELETE', 'PATCH', 'OPTIONS', 'TRACE']) {
        const answer = await rawHttp(server, method, path, {
          body: JSON.stringify({ name: 'Mallory', title: 'Put' }),
          headers: { 'content-type': 'application/json' },
        });
        expectJsonError(answer, 404, 'not_found', `${method} ${path}`);
      }
    }
    // HEAD: the status and type of the GET, no body; of a POST-only route, a 404.
    for (const [path, status] of [
      [`/api/boards/${board.id}`, 200],
      [`/api/boards/${board.id}/export`, 200],
      ['/api/health', 200],
      ['/api/boards', 404],
      [`/api/boards/${board.id}/join`, 404],
      ['/api/boards/NoSuchBoardAAAAAAAAAAA', 404],
    ] as const) {
      const answer = await rawHttp(server, 'HEAD', path);
      expect(answer.status, `HEAD ${path}`).toBe(status);
      expect(String(answer.headers['content-type']), `HEAD ${path}`).toMatch(/^application\/json/);
      expect(answer.headers['x-content-type-options'], `HEAD ${path}`).toBe('nosniff');
      expect(answer.text).toBe('');
    }
    expect(counts()).toEqual(before);
    expect((await joinBoard(server, board.id, 'Still works')).role).toBe('participant');
  });

  it('[http#conventions][errors#text-limits] a fault inside the server answers 500 internal as JSON, with no stack trace or detail, and the server keeps serving', async () => {
    const store = server.running.store;
    const getBoard = store.getBoard.bind(store);
    store.getBoard = async () => {
      throw new Error('SQLITE_IOERR: disk I/O error at /secret/path/atelier.sqlite');
    };
    try {
      for (const [method, path] of [
        ['GET', `/api/boards/${board.id}`],
        ['GET', `/api/boards/${board.id}/export`],
        ['POST', `/api/boards/${board.id}/join`],
      ] as const) {
        const answer = await rawHttp(server, method, path, {
          body: method === 'POST' ? JSON.stringify({ name: 'Camille' }) : undefined,
          headers: { 'content-type': 'application/json' },
        });
        expectJsonError(answer, 500, 'internal', `${method} ${path}`);
        expect(answer.text).not.toMatch(/SQLITE|secret|atelier\.sqlite|Error:/);
      }
    } finally {
      store.getBoard = getBoard;
    }
    // The fault was logged for the operator, and the server goes on.
    expect(logged.some(({ error }) => String((error as Error)?.message).includes('SQLITE_IOERR'))).toBe(true);
    const summary = await rawHttp(server, 'GET', `/api/boards/${board.id}`);
    expect(summary.status).toBe(200);
  });
});
