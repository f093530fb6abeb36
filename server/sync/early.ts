/**
 * What a sync connection sends while its board is being opened for it (the document, then the
 * meeting: server/sync/websocket.ts), kept in order for the room it then joins — except its first
 * sync request on a cold board, answered at once from the stored snapshot while the meeting still
 * loads (docs/sync.md#cold-boards). One answer per connection: a request sent again
 * waits like any other frame, and is answered, counted against the connection's budget, once it
 * has joined.
 */
import { WebSocket } from 'ws';

export interface EarlyAnswers {
  /** Says a sync request is coming; the function returned says it is over (DocRoom.expectAnswer). */
  expectAnswer(): () => void;
  /** The answer to a sync request from the stored bytes, or null (see DocRoom.answerEarly). */
  answerEarly(frame: Uint8Array): Uint8Array | null;
}

const NOTHING_EXPECTED = (): void => undefined;

export class EarlyFrames {
  readonly #ws: WebSocket;
  #frames: Uint8Array[] = [];
  #room: EarlyAnswers | null = null;
  #answered = false;
  /** Tells the room that this connection no longer waits for an early answer. */
  #done: () => void = NOTHING_EXPECTED;
  readonly #onClose = (): void => this.#done();
  readonly #onSent = (): void => this.#over();
  /** The size of the answer sent early, if any (the connection's allowance of unread bytes follows it). */
  sent = 0;

  constructor(ws: WebSocket) {
    this.#ws = ws;
  }

  keep(frame: Uint8Array): void {
    if (!this.#answer(frame)) this.#frames.push(frame);
  }

  /** The document is open: a sync request already kept (or arriving next) may be answered from it. */
  answerFrom(room: EarlyAnswers): void {
    this.#room = room;
    const index = this.#frames.findIndex((frame) => this.#answer(frame));
    if (index >= 0) this.#frames.splice(index, 1);
    else if (!this.#answered && this.#ws.readyState === WebSocket.OPEN) {
      this.#done = room.expectAnswer();
      this.#ws.on('close', this.#onClose);
    }
  }

  /** The connection joins its room: what it sent meanwhile, in order; nothing is kept after. */
  take(): Uint8Array[] {
    const frames = this.#frames;
    this.#frames = [];
    this.#room = null;
    this.#over();
    return frames;
  }

  #answer(frame: Uint8Array): boolean {
    if (this.#answered || !this.#room || this.#ws.readyState !== WebSocket.OPEN) return false;
    const answer = this.#room.answerEarly(frame);
    if (!answer) return false;
    this.#answered = true;
    this.sent = answer.length;
    // The room applies the snapshot once the answer is out of the process: applying blocks the
    // event loop, which would hold the part the kernel did not take yet (megabytes, for a big board).
    this.#ws.send(answer, { binary: true }, this.#onSent);
    return true;
  }

  #over(): void {
    this.#ws.off('close', this.#onClose);
    this.#done();
    this.#done = NOTHING_EXPECTED;
  }
}
