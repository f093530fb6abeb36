/**
 * Tools for the hostile-input tests: raw HTTP requests that no client library tidies up (paths
 * are sent byte for byte, bodies with any content type), the docs/http.md#status-codes error shape, row counts read
 * straight from the server's SQLite file, and raw socket.io connections (engine.io v4 over ws).
 */
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'vitest';
import WebSocket from 'ws';
import { sleep } from './expect';

export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: unknown;
}

/**
 * One HTTP request with `path` sent exactly as given (no URL normalisation: `..`, `%2e%2e`, `%00`
 * reach the server as written) and `body` sent with exactly `headers`.
 */
export function rawHttp(
  server: { url: string },
  method: string,
  path: string,
  options: { body?: string | Uint8Array; headers?: Record<string, string> } = {},
): Promise<RawAnswer> {
  const { hostname, port } = new URL(server.url);
  const headers = { ...options.headers };
  // A framed body whatever the method (Node sends DELETE, OPTIONS and TRACE bodies unframed).
  if (options.body !== undefined) headers['content-length'] = String(Buffer.byteLength(options.body));
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: hostname, port: Number(port), method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

/** A JSON body sent as `application/json` (or another content type when given). */
export function postJson(
  server: { url: string },
  path: string,
  body: unknown,
  contentType = 'application/json',
): Promise<RawAnswer> {
  return rawHttp(server, 'POST', path, {
    body: typeof body === 'string' ? body : JSON.stringify(body),
    headers: { 'content-type': contentType },
  });
}

/**
 * docs/http.md#status-codes: exactly `{error: {code, message}}` with a human message, as JSON, with the status of the
 * code, never a stack trace or HTML, and with `nosniff` (docs/errors.md#headers).
 */
export function expectJsonError(answer: RawAnswer, status: number, code: string | RegExp, what = ''): void {
  expect({ status: answer.status, body: answer.json }, what).toEqual({
    status,
    body: {
      error: {
        code: typeof code === 'string' ? code : expect.stringMatching(code),
        message: expect.any(String),
      },
    },
  });
  expect(String(answer.headers['content-type']), what).toMatch(/^application\/json/);
  expect(answer.headers['x-content-type-options'], what).toBe('nosniff');
  expect(answer.text, what).not.toMatch(/\n\s+at |<html|<!doctype/i);
  expect((answer.json as { error: { message: string } }).error.message.length, what).toBeGreaterThan(0);
}

/** Rows of `table` in the server's SQLite file, read through a separate read-only connection. */
export function countRows(
  server: { dataDir: string },
  table: 'boards' | 'participants' | 'sessions',
): number {
  const db = new Database(join(server.dataDir, 'atelier.sqlite'), { readonly: true, fileMustExist: true });
  try {
    return (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  } finally {
    db.close();
  }
}

/** Own property names of the built-in prototypes, to see that nothing was added to them. */
export function prototypeKeys(): string[] {
  return [Object.prototype, Array.prototype, Function.prototype, String.prototype].flatMap((proto) =>
    Object.getOwnPropertyNames(proto).sort(),
  );
}

/** No property was added to Object.prototype from a payload: `({}).polluted` and friends are unset. */
export function expectCleanPrototypes(before: string[]): void {
  const probe = {} as Record<string, unknown>;
  for (const key of ['polluted', 'isAdmin', 'role', 'phase', 'open', 'locked', 'title', 'facilitatorKey']) {
    expect(probe[key], `({}).${key}`).toBeUndefined();
  }
  expect(prototypeKeys()).toEqual(before);
}

/**
 * A socket.io connection spoken by hand (engine.io v4 over a raw WebSocket), to send packets no
 * socket.io client would: broken JSON, unknown packet types, binary attachments that never come.
 */
export interface RawSocketIo {
  ws: WebSocket;
  /** Text packets received, in order (engine.io `4…` messages and the rest). */
  packets: string[];
  /** Resolves with the close code once the server (or anyone) closed the connection. */
  closed: Promise<number>;
  /** Resolves once the namespace connection is accepted (`40{"sid":…}`), rejects on `44…`. */
  connected: Promise<void>;
  send(packet: string | Uint8Array): void;
  /** Waits for a received packet matching `pattern`. */
  waitForPacket(pattern: RegExp, timeoutMs?: number): Promise<string>;
}

export function rawSocketIo(server: { wsUrl: string }, auth: unknown): RawSocketIo {
  const ws = new WebSocket(`${server.wsUrl}/socket.io/?EIO=4&transport=websocket`);
  const packets: string[] = [];
  ws.on('error', () => undefined);
  const closed = new Promise<number>((resolve) => ws.once('close', (code: number) => resolve(code)));
  let settle: { resolve: () => void; reject: (error: Error) => void } | null = null;
  const connected = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
  connected.catch(() => undefined);
  ws.on('message', (data: Buffer, isBinary: boolean) => {
    if (isBinary) return;
    const packet = data.toString('utf8');
    packets.push(packet);
    // engine.io: 0 = open (then we connect to the namespace), 2 = ping (we answer pong).
    if (packet.startsWith('0')) ws.send(`40${JSON.stringify(auth)}`);
    else if (packet === '2') ws.send('3');
    else if (packet.startsWith('40')) settle?.resolve();
    else if (packet.startsWith('44')) settle?.reject(new Error(`connect_error ${packet}`));
  });
  void closed.then((code) => settle?.reject(new Error(`closed with ${code}`)));
  return {
    ws,
    packets,
    closed,
    connected,
    send(packet) {
      ws.send(packet, { binary: typeof packet !== 'string' });
    },
    async waitForPacket(pattern, timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = packets.find((packet) => pattern.test(packet));
        if (found !== undefined) return found;
        if (Date.now() > deadline) throw new Error(`timed out waiting for a packet like ${pattern}`);
        await sleep(10);
      }
    },
  };
}
