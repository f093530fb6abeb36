/**
 * Time and assertion helpers shared by the tests: waiting for something to happen, proving that
 * something did NOT happen (sentinels on ordered channels rather than sleeps), the error shapes of
 * docs/http.md#http-api and docs/session.md#session-plane, and small readers of a board.
 */
import * as encoding from 'lib0/encoding';
import { expect } from 'vitest';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { readQuestions } from '../../shared/board';
import { AppError } from '../../shared/errors';
import type { Ack, Reaction } from '../../shared/session/events';
import type { SessionView } from '../../shared/session/state';
import type { SessionClient } from './session-clients';
import type { ProviderClient, RawClient } from './sync-clients';

/**
 * Lets time pass. Only for what is about time itself (a timer, a rate limit refilling, a grace
 * period): to show that something did not happen, use a sentinel below.
 */
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it returns true (or throws after `timeoutMs`). */
export async function waitFor(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 5_000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The first discovery question of a board made from the kickoff template. */
export function firstQuestion(source: Y.Doc | { doc: Y.Doc }): string {
  const doc = 'doc' in source ? source.doc : source;
  const question = readQuestions(doc, 'discover')[0];
  if (!question) throw new Error('the board has no question');
  return question.id;
}

/** The error a function throws (fails the test when it throws nothing). */
export function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

/** `run` throws an AppError with `code` (docs/errors.md). */
export function expectAppError(run: () => unknown, code: string): void {
  const error = thrown(run);
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(code);
}

/** Both documents receive each other's updates (as through a sync server). */
export function exchange(a: Y.Doc, b: Y.Doc): void {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
}

/** The acknowledgement of an accepted session request (docs/session.md#requests). */
export const OK = { ok: true };

/** The acknowledgement of a refused session request (docs/session.md#requests). */
export const refused = (code: string): Ack =>
  ({
    ok: false,
    error: { code, message: expect.any(String) },
  }) as Ack;

/** An HTTP answer as the tests read it: `body` is the parsed JSON (or the text when it is not JSON). */
export interface HttpAnswer {
  status: number;
  headers: Headers;
  body: unknown;
  /** The raw body, when the test kept it. */
  text?: string;
}

/** An HTTP answer with its raw text (a byte order mark kept) and its JSON parsed when it is JSON. */
export interface TextAnswer extends HttpAnswer {
  text: string;
}

/** Reads a fetch response as a TextAnswer. */
export async function readAnswer(response: Response): Promise<TextAnswer> {
  const bytes = new Uint8Array(await response.arrayBuffer());
  // Decoded keeping the BOM, which the CSV tests check.
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON: the test says what it expected.
  }
  return { status: response.status, headers: response.headers, text, body };
}

/** GETs `url` with `headers` and reads the answer. */
export async function getAnswer(url: string, headers: Record<string, string> = {}): Promise<TextAnswer> {
  return readAnswer(await fetch(url, { headers }));
}

/**
 * docs/http.md#status-codes: exactly `{error: {code, message}}` with the status of the code, a human message, as
 * JSON, never a stack trace.
 */
export function expectErrorAnswer(answer: HttpAnswer, status: number, code: string): void {
  expect({ status: answer.status, body: answer.body }).toEqual({
    status,
    body: { error: { code, message: expect.any(String) } },
  });
  const message = (answer.body as { error: { message: string } }).error.message;
  expect(message.length).toBeGreaterThan(0);
  expect(message).not.toMatch(/\n\s+at /);
  expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
  if (answer.text !== undefined) expect(answer.text).not.toMatch(/\n\s+at /);
}

// --- Sentinels: proving that something did not happen --------------------------------------------
//
// "Nothing arrived within 100 ms" passes when the thing arrives at 150 ms. On a channel that keeps
// its order, send something harmless after the thing under test and wait for THAT: whatever the
// thing under test caused was sent before it, so once the sentinel is seen, its absence is proven.

/** A sync query (SyncStep1) as y-websocket frames it. */
function syncQuery(doc: Y.Doc): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 0); // messageSync
  syncProtocol.writeSyncStep1(encoder, doc);
  return encoding.toUint8Array(encoder);
}

const isSyncAnswer = (frame: Uint8Array): boolean => frame[0] === 0 && frame[1] === 1;

/**
 * Sends a sync query on the provider's own socket and waits for the server's answer (or for the
 * connection to end). The server reads a connection's frames in order and answers on the same
 * socket: once the answer is in, everything the client sent before was handled, and whatever the
 * server sent back because of it (a broadcast, a close) has arrived.
 */
export async function syncRoundTrip(
  client: ProviderClient,
  what = 'the answer to a sync query',
): Promise<void> {
  const ws = client.provider.ws;
  if (!ws || ws.readyState !== ws.OPEN) throw new Error('the provider is not connected');
  let answered = false;
  const onMessage = (event: MessageEvent): void => {
    if (event.data instanceof ArrayBuffer && isSyncAnswer(new Uint8Array(event.data))) answered = true;
  };
  ws.addEventListener('message', onMessage);
  try {
    ws.send(new Uint8Array(syncQuery(client.doc))); // a copy over an ArrayBuffer, as the DOM types ask
    await waitFor(() => answered || ws.readyState !== ws.OPEN, 5_000, what);
  } finally {
    ws.removeEventListener('message', onMessage);
  }
}

/** The same round trip on a raw socket: resolves once the server answered a sync query (or closed). */
export async function rawRoundTrip(
  raw: RawClient,
  doc: Y.Doc,
  what = 'the answer to a sync query',
): Promise<void> {
  const from = raw.frames.length;
  let closed = false;
  void raw.closed.then(() => (closed = true));
  raw.ws.send(syncQuery(doc));
  await waitFor(() => closed || raw.frames.slice(from).some(isSyncAnswer), 5_000, what);
}

/** The emoji of sentinel reactions, which no test sends otherwise. */
export const SENTINEL_EMOJI = '🏁';

/**
 * `sender` reacts with the sentinel emoji, and this waits until every one of `watchers` has it.
 * The server relays a reaction to the room at once, while it handles the request, and writes each
 * socket in order: anything it relayed to a watcher before (a reaction it should not have) has
 * arrived by then. Returns the sentinel, for the expectations that list what arrived.
 */
export async function reactionSentinel(sender: SessionClient, watchers: SessionClient[]): Promise<Reaction> {
  expect(await sender.request('reaction', { emoji: SENTINEL_EMOJI })).toEqual(OK);
  for (const watcher of watchers) {
    await waitFor(
      () => watcher.reactions.some((r) => r.emoji === SENTINEL_EMOJI),
      5_000,
      'the sentinel reaction',
    );
  }
  return watchers[0]?.reactions.find((r) => r.emoji === SENTINEL_EMOJI) as Reaction;
}

/**
 * Makes a change (`change` resolves with its acknowledgement) and waits until every one of
 * `watchers` has a `session` event that `shows` it. The server stores changes one after another
 * and broadcasts the whole state (coalesced, in order on each socket): a change that happened
 * before the sentinel's is in the event that shows the sentinel, or in one before it.
 * Returns, per watcher, the index of that first event in its `sessions`.
 */
export async function sessionSentinel(
  watchers: SessionClient[],
  change: () => Promise<Ack>,
  shows: (view: SessionView) => boolean,
): Promise<number[]> {
  const from = watchers.map((w) => w.sessions.length);
  expect(await change()).toEqual(OK);
  const at: number[] = [];
  for (const [i, watcher] of watchers.entries()) {
    await waitFor(
      () => watcher.sessions.slice(from[i]).some(shows),
      5_000,
      'the session event that shows the sentinel change',
    );
    at.push(watcher.sessions.findIndex((view, index) => index >= (from[i] as number) && shows(view)));
  }
  return at;
}
