/**
 * Nobody let in (docs/http.md#create-a-board, docs/sync.md#ids-and-order, docs/session.md#session-plane, docs/errors.md#bad-input-and-faults): unguessable ids and keys, keys stored only as hashes, signed
 * tokens that open one board only, a private signing secret, security headers on every response,
 * and no secret in anything the server logs — against real servers and real clients.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { createTokenSigner } from '../../server/auth/tokens';
import type { CreatedBoard, Joined } from '../../shared/api';
import { addGoal } from '../../shared/board';
import { CLOSE } from '../../shared/sync';
import { waitFor } from '../helpers/expect';
import { useServer } from '../helpers/fixtures';
import { countRows, expectJsonError, postJson, rawHttp, type RawAnswer } from '../helpers/hostile';
import { createBoard, joinBoard, startTestServer } from '../helpers/server';

const URL_SAFE = /^[A-Za-z0-9_-]+$/;

/** docs/http.md#create-a-board: ≥128 bits from a URL-safe alphabet of 64 symbols (6 bits each), all different. */
function expectUnguessable(ids: string[], what: string): void {
  expect(new Set(ids).size, `${what}: all different`).toBe(ids.length);
  for (const id of ids) {
    expect(id, what).toMatch(URL_SAFE);
    expect(id.length * 6, what).toBeGreaterThanOrEqual(128);
  }
  // Random, not a counter or a clock: every position varies (the last one of a 32-byte key holds
  // only 4 bits), no long shared prefixes.
  const length = Math.min(...ids.map((id) => id.length));
  for (let position = 0; position < length - 1; position++) {
    expect(new Set(ids.map((id) => id[position])).size, `${what}: symbols at ${position}`).toBeGreaterThan(
      40,
    );
  }
  const sorted = [...ids].sort();
  let longestShared = 0;
  for (let i = 1; i < sorted.length; i++) {
    const [a, b] = [sorted[i - 1] as string, sorted[i] as string];
    let shared = 0;
    while (shared < a.length && a[shared] === b[shared]) shared++;
    longestShared = Math.max(longestShared, shared);
  }
  expect(longestShared, `${what}: longest shared prefix`).toBeLessThan(6);
}

/** Runs `make` `count` times, `parallel` at a time. */
async function inBatches<T>(count: number, parallel: number, make: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  for (let start = 0; start < count; start += parallel) {
    const size = Math.min(parallel, count - start);
    results.push(...(await Promise.all(Array.from({ length: size }, (_, i) => make(start + i)))));
  }
  return results;
}

/** Variants of a token that a forger could make without the server's secret. */
function forgeries(victim: Joined, other: Joined, boardId: string): Array<[string, string]> {
  const [payload, signature] = victim.token.split('.') as [string, string];
  const [otherPayload, otherSignature] = other.token.split('.') as [string, string];
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, string>;
  const swapped = Buffer.from(JSON.stringify({ ...claims, p: other.participantId })).toString('base64url');
  const asFacilitator = Buffer.from(
    JSON.stringify({ ...claims, r: 'facilitator', role: 'facilitator' }),
  ).toString('base64url');
  const flipped = (signature[0] === 'A' ? 'B' : 'A') + signature.slice(1);
  const foreign = createTokenSigner(new Uint8Array(randomBytes(32)));
  return [
    ['a payload naming someone else, with the original signature', `${swapped}.${signature}`],
    ['a payload claiming a role, with the original signature', `${asFacilitator}.${signature}`],
    ['another token’s signature', `${payload}.${otherSignature}`],
    ['another token’s payload', `${otherPayload}.${signature}`],
    ['one signature character changed', `${payload}.${flipped}`],
    ['a truncated signature', `${payload}.${signature.slice(0, -4)}`],
    ['no signature', `${payload}.`],
    ['the payload alone', payload],
    ['an extra part', `${victim.token}.x`],
    ['signed with another secret', foreign.sign({ boardId, participantId: victim.participantId })],
    ['the token reversed', victim.token.split('').reverse().join('')],
  ];
}

describe('security', () => {
  const logs: string[] = [];
  const server = useServer({
    env: { TRUST_PROXY: '1' },
    log: (message, error) =>
      logs.push(
        `${message} ${error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : inspect(error, { depth: 5 })}`,
      ),
  });
  const { sessions, sync } = server;

  it('[http#create-a-board] board ids, participant ids and facilitator keys are unguessable: ≥128 random bits, URL-safe, no two of 1,000 alike', async () => {
    const boards = await inBatches(1_000, 50, () => createBoard(server, { template: 'blank', locale: 'en' }));
    expectUnguessable(
      boards.map((b) => b.id),
      'board ids',
    );
    expectUnguessable(
      boards.map((b) => b.facilitatorKey),
      'facilitator keys',
    );
    for (const board of boards.slice(0, 50))
      expect(Buffer.from(board.facilitatorKey, 'base64url').length).toBe(32);

    // 1,000 joins, one a board, from 50 addresses behind a proxy (joins are limited per address).
    const joined = await inBatches(1_000, 50, async (i) => {
      const answer = await rawHttp(server, 'POST', `/api/boards/${(boards[i] as CreatedBoard).id}/join`, {
        body: JSON.stringify({ name: `P${i}` }),
        headers: { 'content-type': 'application/json', 'x-forwarded-for': `10.1.${i % 50}.1` },
      });
      expect(answer.status).toBe(200);
      return answer.json as Joined;
    });
    expectUnguessable(
      joined.map((j) => j.participantId),
      'participant ids',
    );
    expect(new Set(joined.map((j) => j.token)).size).toBe(1_000);
  });

  it('[http#join-a-board] the facilitator key is never stored: the SQLite file and its WAL hold its SHA-256, never the key, a join token or the signing secret', async () => {
    const fresh = await startTestServer();
    try {
      const boards = await inBatches(12, 6, () => createBoard(fresh));
      const tokens: string[] = [];
      for (const board of boards.slice(0, 4)) {
        tokens.push((await joinBoard(fresh, board.id, 'Lead', board.facilitatorKey)).token);
        tokens.push((await joinBoard(fresh, board.id, 'Camille')).token);
      }
      const files = ['atelier.sqlite', 'atelier.sqlite-wal', 'atelier.sqlite-shm'];
      const bytes = Buffer.concat(
        files.map((name) => {
          try {
            return readFileSync(join(fresh.dataDir, name));
          } catch {
            return Buffer.alloc(0);
          }
        }),
      );
      expect(bytes.length).toBeGreaterThan(0);
      for (const { facilitatorKey, facilitatorUrl } of boards) {
        const raw = Buffer.from(facilitatorKey, 'base64url');
        for (const form of [
          Buffer.from(facilitatorKey),
          Buffer.from(facilitatorUrl),
          raw,
          Buffer.from(raw.toString('hex')),
          Buffer.from(raw.toString('base64')),
        ]) {
          expect(bytes.includes(form)).toBe(false);
        }
        expect(bytes.includes(createHash('sha256').update(facilitatorKey).digest())).toBe(true);
      }
      for (const token of tokens) expect(bytes.includes(Buffer.from(token))).toBe(false);
      const secret = readFileSync(join(fresh.dataDir, 'secret.key'), 'utf8').trim();
      expect(bytes.includes(Buffer.from(secret))).toBe(false);
      expect(bytes.includes(Buffer.from(secret, 'hex'))).toBe(false);
    } finally {
      await fresh.close();
    }
  });

  it('[http#join-a-board] a wrong facilitator key is 403 wrong_key — the stored hash, a near miss or a padded key included — and adds nobody', async () => {
    const board = await createBoard(server);
    const key = board.facilitatorKey;
    const hash = createHash('sha256').update(key).digest();
    const before = countRows(server, 'participants');
    for (const wrong of [
      hash.toString('hex'),
      hash.toString('base64url'),
      key.slice(0, -1) + (key.endsWith('A') ? 'B' : 'A'),
      key.slice(0, -1),
      `${key}A`,
      ` ${key} `,
      key.toUpperCase() === key ? key.toLowerCase() : key.toUpperCase(),
      board.facilitatorUrl,
    ]) {
      expectJsonError(
        await postJson(server, `/api/boards/${board.id}/join`, { name: 'Mallory', facilitatorKey: wrong }),
        wrong.length > 128 ? 400 : 403,
        wrong.length > 128 ? 'bad_request' : 'wrong_key',
        wrong,
      );
    }
    expect(countRows(server, 'participants')).toBe(before);
    expect((await joinBoard(server, board.id, 'Lead', key)).role).toBe('facilitator');
  });

  it('[http#export][sync#close-codes][session#connecting] tokens are signed: a changed payload or signature is refused by the sync endpoint (4401), the session plane (bad_token) and the export (401); a token opens its own board only', async () => {
    const board = await createBoard(server);
    const other = await createBoard(server);
    const lead = await joinBoard(server, board.id, 'Lead', board.facilitatorKey);
    const member = await joinBoard(server, board.id, 'Camille');
    const stranger = await joinBoard(server, other.id, 'Stranger', other.facilitatorKey);

    const refusedEverywhere = async (boardId: string, token: string, what: string): Promise<void> => {
      const raw = sync.raw(server, `/sync/${boardId}?token=${encodeURIComponent(token)}`);
      expect((await raw.closed).code, `sync: ${what}`).toBe(CLOSE.badToken);
      expect(await sessions.connectError(server, { boardId, token }), `session: ${what}`).toBe('bad_token');
      expectJsonError(
        await rawHttp(server, 'GET', `/api/boards/${boardId}/export?status=all`, {
          headers: { authorization: `Bearer ${token}` },
        }),
        401,
        'bad_token',
        `export: ${what}`,
      );
    };

    for (const [what, token] of forgeries(member, lead, board.id))
      await refusedEverywhere(board.id, token, what);
    // Genuine tokens of one board open nothing on another, the facilitator's included.
    await refusedEverywhere(other.id, member.token, 'a participant token of another board');
    await refusedEverywhere(board.id, stranger.token, 'a facilitator token of another board');

    // The genuine tokens still work everywhere.
    const provider = await sync.syncedProvider(server, board.id, { token: member.token });
    expect(provider.provider.wsconnected).toBe(true);
    const session = await sessions.connect(server, { boardId: board.id, token: member.token });
    expect(session.latest().participants.find((p) => p.id === member.participantId)?.role).toBe(
      'participant',
    );
    const exported = await rawHttp(server, 'GET', `/api/boards/${board.id}/export`, {
      headers: { authorization: `Bearer ${lead.token}` },
    });
    expect(exported.status).toBe(200);
  });

  it('[running#running] the signing secret file is mode 0600 and holds 32 random bytes, different for every install', async () => {
    const second = await startTestServer();
    try {
      const secrets = [server, second].map((s) => {
        const path = join(s.dataDir, 'secret.key');
        expect(statSync(path).mode & 0o777).toBe(0o600);
        const text = readFileSync(path, 'utf8').trim();
        expect(text).toMatch(/^[0-9a-f]{64,}$/);
        return Buffer.from(text, 'hex');
      });
      for (const secret of secrets) {
        expect(secret.length).toBeGreaterThanOrEqual(32);
        expect(new Set(secret).size).toBeGreaterThan(16);
      }
      expect(secrets[0]?.equals(secrets[1] as Buffer)).toBe(false);
      // A token from one install opens nothing on the other.
      const board = await createBoard(second);
      const forged = createTokenSigner(new Uint8Array(secrets[0] as Buffer)).sign({
        boardId: board.id,
        participantId: (await joinBoard(second, board.id, 'Camille')).participantId,
      });
      expect(await sessions.connectError(second, { boardId: board.id, token: forged })).toBe('bad_token');
    } finally {
      await sessions.closeAll();
      await second.close();
    }
  });

  it('[errors#headers] every response carries X-Content-Type-Options: nosniff — API, page, assets, 404s, errors and the socket.io transport — and pages a strict CSP and a Referrer-Policy', async () => {
    const board = await createBoard(server, {
      title: 'a"; filename="evil.html\r\nX-Injected: 1',
      locale: 'en',
    });
    const member = await joinBoard(server, board.id, 'Camille');
    const assetDir = join(process.cwd(), 'dist', 'client', 'assets');
    const asset = readdirSync(assetDir).find((name) => name.endsWith('.js'));
    expect(asset).toBeDefined();

    const answers: Array<[string, RawAnswer]> = [];
    const get = async (label: string, method: string, path: string, body?: unknown, headers = {}) => {
      const answer = await rawHttp(server, method, path, {
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
        headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
      });
      answers.push([label, answer]);
      return answer;
    };
    await get('health', 'GET', '/api/health');
    await get('summary', 'GET', `/api/boards/${board.id}`);
    await get('created', 'POST', '/api/boards', { title: 'Headers' });
    await get('joined', 'POST', `/api/boards/${board.id}/join`, { name: 'Sam' });
    const exported = await get('export', 'GET', `/api/boards/${board.id}/export`, undefined, {
      authorization: `Bearer ${member.token}`,
    });
    await get('schema', 'GET', '/schema/goals-export-1.json');
    await get('page /', 'GET', '/');
    await get('page /b/:id', 'GET', `/b/${board.id}`);
    await get('page /b/<script>', 'GET', '/b/%3Cscript%3Ealert(1)%3C%2Fscript%3E');
    await get('asset', 'GET', `/assets/${asset}`);
    await get('favicon', 'GET', '/favicon.svg');
    await get('HEAD page', 'HEAD', '/');
    await get('404 api', 'GET', '/api/nothing');
    await get('404 board', 'GET', '/api/boards/NoSuchBoardAAAAAAAAAAA');
    await get('404 file', 'GET', '/no-such-file.js');
    await get('400', 'POST', '/api/boards', '{');
    await get('403', 'POST', `/api/boards/${board.id}/join`, { name: 'M', facilitatorKey: 'wrong' });
    await get('401', 'GET', `/api/boards/${board.id}/export`, undefined, {
      authorization: 'Bearer forged.token',
    });
    await get('413', 'POST', '/api/boards', JSON.stringify({ pad: 'x'.repeat(20_000) }));
    await get('socket.io handshake', 'GET', '/socket.io/?EIO=4&transport=polling');
    await get('socket.io error', 'GET', '/socket.io/?EIO=4&transport=carrier-pigeon');

    for (const [label, answer] of answers) {
      expect(answer.headers['x-content-type-options'], label).toBe('nosniff');
      if (!label.startsWith('page') && !label.startsWith('HEAD page')) continue;
      expect(answer.status, label).toBe(200);
      expect(String(answer.headers['content-type']), label).toMatch(/^text\/html/);
      const csp = String(answer.headers['content-security-policy'] ?? '');
      const scriptSrc =
        /(?:^|;)\s*script-src ([^;]*)/.exec(csp)?.[1] ?? /(?:^|;)\s*default-src ([^;]*)/.exec(csp)?.[1];
      expect(scriptSrc, label).toBeDefined();
      expect(scriptSrc, label).not.toMatch(/unsafe-inline|unsafe-eval|\*|data:/);
      expect(csp, label).toMatch(/object-src 'none'/);
      expect(answer.headers['referrer-policy'], label).toMatch(/no-referrer|same-origin|strict-origin/);
      expect(answer.text, label).not.toContain('<script>alert(1)');
    }
    // The export's file name is a plain slug: a title cannot inject a header or another file name.
    expect(exported.headers['content-disposition']).toBe(
      'attachment; filename="a-filename-evil-html-x-injected-1-goals.json"',
    );
    expect(exported.headers['x-injected']).toBeUndefined();
  });

  it('[http#join-a-board][errors#bad-input-and-faults] no facilitator key, join token or signing secret appears in anything the server logs during a whole workshop, errors included', async () => {
    const consoleLines: string[] = [];
    const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((level) =>
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
        consoleLines.push(args.map((arg) => inspect(arg, { depth: 5 })).join(' '));
      }),
    );
    const secrets: string[] = [readFileSync(join(server.dataDir, 'secret.key'), 'utf8').trim()];
    try {
      const board = await createBoard(server, { title: 'Logged', locale: 'en' });
      secrets.push(board.facilitatorKey);
      const lead = await joinBoard(server, board.id, 'Lead', board.facilitatorKey);
      const member = await joinBoard(server, board.id, 'Camille');
      secrets.push(lead.token, member.token);

      // The workshop: content, presence, votes, agreement, export.
      const provider = await sync.syncedProvider(server, board.id, { token: lead.token });
      const goalId = addGoal(provider.doc, { title: 'Grow our audience' }, lead.participantId);
      const leadSession = await sessions.connect(server, { boardId: board.id, token: lead.token });
      const memberSession = await sessions.connect(server, { boardId: board.id, token: member.token });
      await waitFor(() => leadSession.latest().voting !== undefined, 5_000, 'the session');
      await waitFor(
        async () => (await leadSession.request('voting', { open: true })).ok,
        5_000,
        'voting open',
      );
      await waitFor(
        async () => (await memberSession.request('vote', { goalId, delta: 1 })).ok,
        5_000,
        'the vote (once the goal is on the server)',
      );
      expect(await leadSession.request('agree', { goalId, agreed: true })).toEqual({ ok: true });
      await rawHttp(server, 'GET', `/api/boards/${board.id}/export`, {
        headers: { authorization: `Bearer ${lead.token}` },
      });

      // Refusals of every kind, with the secrets in the request.
      await postJson(server, `/api/boards/${board.id}/join`, {
        name: 'M',
        facilitatorKey: `${board.facilitatorKey}x`,
      });
      await rawHttp(server, 'GET', `/api/boards/${board.id}/export`, {
        headers: { authorization: `Bearer ${member.token}x` },
      });
      expect(await sessions.connectError(server, { boardId: board.id, token: `${lead.token}x` })).toBe(
        'bad_token',
      );
      const bad = sync.raw(server, `/sync/${board.id}?token=${encodeURIComponent(`${member.token}x`)}`);
      expect((await bad.closed).code).toBe(CLOSE.badToken);
      const garbage = sync.raw(server, `/sync/${board.id}?token=${encodeURIComponent(member.token)}`);
      await garbage.opened;
      garbage.ws.send(Uint8Array.of(0, 2, 5, 1, 2, 3, 4, 5));
      expect((await garbage.closed).code).toBe(CLOSE.badMessage);

      // Faults inside the server while secrets are in flight.
      const store = server.running.store;
      const original = {
        getBoard: store.getBoard.bind(store),
        saveSession: store.saveSession.bind(store),
        updateSession: store.updateSession.bind(store),
        appendUpdates: store.appendUpdates.bind(store),
      };
      store.getBoard = async () => {
        throw new Error('disk I/O error');
      };
      store.saveSession = async () => {
        throw new Error('database is locked');
      };
      store.updateSession = async () => {
        throw new Error('database is locked');
      };
      try {
        await postJson(server, `/api/boards/${board.id}/join`, {
          name: 'X',
          facilitatorKey: board.facilitatorKey,
        });
        await rawHttp(server, 'GET', `/api/boards/${board.id}/export`, {
          headers: { authorization: `Bearer ${lead.token}` },
        });
        const failing = sync.raw(server, `/sync/${board.id}?token=${encodeURIComponent(member.token)}`);
        expect((await failing.closed).code).toBe(1011);
        expect(await sessions.connectError(server, { boardId: board.id, token: member.token })).toBe(
          'unavailable',
        );
        expect((await leadSession.request('phase', { phase: 'goals' })).ok).toBe(false);
        store.appendUpdates = async () => {
          throw new Error('disk full');
        };
        provider.doc.getMap('goals').set('x'.repeat(10), new Y.Map());
        await waitFor(
          () => logs.some((line) => /storing an update failed/.test(line)),
          5_000,
          'the storage fault',
        );
      } finally {
        Object.assign(store, original);
      }
      expect(logs.some((line) => /failed/.test(line))).toBe(true);
    } finally {
      for (const spy of spies) spy.mockRestore();
    }

    const everything = [...logs, ...consoleLines].join('\n');
    for (const secret of secrets) {
      expect(everything.includes(secret), `a secret of ${secret.length} characters in the logs`).toBe(false);
      // Nor a recognisable part of one (a token's payload or signature).
      for (const part of secret.split('.').filter((p) => p.length >= 16)) {
        expect(everything.includes(part), 'part of a secret in the logs').toBe(false);
      }
    }
  });
});
