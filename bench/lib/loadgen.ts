/**
 * Lightweight clients: one `ws` socket each, no Y.Doc. Each answers the server's sync step 1 (with
 * an empty step 2: it holds nothing the server lacks), asks for the server's state with its own
 * step 1, then sends prebuilt update frames at 1 edit/s and awareness at 4 Hz, each with a random
 * phase. Every frame received is counted; update frames are searched for edit ids, and a receipt
 * by anyone but the sender is one delivery, timed from the send (all clients live in this process,
 * so one clock serves).
 */
import WebSocket from 'ws';
import { Histogram } from './stats';
import type { Framer } from './wire';
import {
  awarenessUpdate,
  EMPTY_STATE_VECTOR,
  EMPTY_UPDATE,
  MSG,
  prebuildEdits,
  scanEditIds,
  STEP,
} from './wire';

/** Edit bookkeeping shared by every client of one measurement. */
export class EditTracker {
  readonly sendTime: Float64Array;
  readonly sender: Int32Array;
  readonly measured: Uint8Array;
  readonly received: Uint32Array;
  /** Replaced by a fresh one when a workload measures several windows apart (W6's rungs). */
  latency = new Histogram();
  measuring = false;
  measuredEdits = 0;
  measuredReceipts = 0;
  /** Frames received by the lightweight clients while measuring. */
  frames = 0;

  constructor(totalEdits: number) {
    this.sendTime = new Float64Array(totalEdits);
    this.sender = new Int32Array(totalEdits).fill(-1);
    this.measured = new Uint8Array(totalEdits);
    this.received = new Uint32Array(totalEdits);
  }

  sent(id: number, client: number): void {
    this.sendTime[id] = performance.now();
    this.sender[id] = client;
    if (this.measuring) {
      this.measured[id] = 1;
      this.measuredEdits++;
    }
  }

  receipt(id: number, receiver: number, now: number): void {
    if (id < 0 || id >= this.sender.length) return;
    const from = this.sender[id] as number;
    if (from < 0 || from === receiver) return; // not sent (yet) or an echo to its author
    this.received[id] = (this.received[id] ?? 0) + 1;
    if (this.measured[id] === 1) {
      this.measuredReceipts++;
      this.latency.add(now - (this.sendTime[id] as number));
    }
  }
}

export interface LightClientOptions {
  url: string;
  framer: Framer;
  /** Index among the clients of this measurement (0…N−1). */
  index: number;
  /** The Yjs client id its prebuilt edits and awareness use. */
  clientId: number;
  tracker: EditTracker;
  /** Whether it answers a sync step 1 (on the relay only client 0 does, for the probes). */
  answersStep1: boolean;
  /** Whether it asks the server for its state (not on the relay: nobody answers for it). */
  sendsStep1: boolean;
}

export class LightClient {
  readonly ws: WebSocket;
  readonly ready: Promise<void>;
  readonly index: number;
  readonly clientId: number;
  #edits: Uint8Array[] = [];
  #editIds: number[] = [];
  #nextEdit = 0;
  #awarenessClock = 0;
  #timers: NodeJS.Timeout[] = [];
  readonly #options: LightClientOptions;
  lastEditId = -1;

  constructor(options: LightClientOptions) {
    this.#options = options;
    this.index = options.index;
    this.clientId = options.clientId;
    const { framer, tracker, index } = options;
    const hocuspocus = framer.dialect === 'hocuspocus';
    const ws = new WebSocket(options.url, { perMessageDeflate: false });
    ws.binaryType = 'nodebuffer';
    this.ws = ws;
    let markReady: () => void = () => undefined;
    let failReady: (error: Error) => void = () => undefined;
    this.ready = new Promise<void>((resolve, reject) => {
      markReady = resolve;
      failReady = reject;
    });
    this.ready.catch(() => undefined);

    ws.on('error', () => undefined);
    ws.once('close', (code) => failReady(new Error(`client ${index} closed (${code}) before it synced`)));
    ws.on('open', () => {
      if (hocuspocus) ws.send(framer.auth('bench'));
      if (options.sendsStep1) ws.send(framer.sync(STEP.step1, EMPTY_STATE_VECTOR));
      else markReady();
    });
    ws.on('message', (data: Buffer) => {
      if (tracker.measuring) tracker.frames++;
      // Skip the document name (Hocuspocus; names here are shorter than 128 bytes).
      const offset = hocuspocus ? 1 + (data[0] as number) : 0;
      const type = data[offset];
      if (type !== MSG.sync && type !== MSG.syncReply) return;
      const step = data[offset + 1];
      if (step === STEP.update) {
        scanEditIds(data, offset + 2, (id) => tracker.receipt(id, index, performance.now()));
      } else if (step === STEP.step1) {
        if (options.answersStep1) ws.send(framer.sync(STEP.step2, EMPTY_UPDATE));
      } else if (step === STEP.step2) {
        markReady();
      }
    });
  }

  /**
   * Prebuilds `count` edits with ids `firstId…`, made by Yjs client `clientId` (its own unless
   * told: a client that edits again in a later measurement needs a fresh one, or the server
   * would take its new edits for ones it already has).
   */
  prepare(count: number, firstId: number, clientId = this.clientId): void {
    const updates = prebuildEdits(clientId, count, firstId);
    this.#edits = updates.map((update) => this.#options.framer.sync(STEP.update, update));
    this.#editIds = updates.map((_, k) => firstId + k);
    this.#nextEdit = 0;
  }

  sendEdit(): void {
    if (this.#nextEdit >= this.#edits.length || this.ws.readyState !== WebSocket.OPEN) return;
    const id = this.#editIds[this.#nextEdit] as number;
    const frame = this.#edits[this.#nextEdit] as Uint8Array;
    this.#nextEdit++;
    this.#options.tracker.sent(id, this.index);
    this.lastEditId = id;
    this.ws.send(frame);
  }

  sendAwareness(): void {
    if (this.ws.readyState !== WebSocket.OPEN) return;
    this.#awarenessClock++;
    const x = (this.#awarenessClock * 37 + this.index * 11) % 1600;
    const y = (this.#awarenessClock * 23 + this.index * 7) % 900;
    const state = `{"user":{"name":"Participant ${this.index}","color":"#2a7ab0"},"cursor":{"x":${x},"y":${y}}}`;
    this.ws.send(this.#options.framer.awareness(awarenessUpdate(this.clientId, this.#awarenessClock, state)));
  }

  /** Edits every `editMs` and awareness every `awarenessMs`, each from a random phase. */
  start(editMs: number, awarenessMs: number): void {
    const every = (periodMs: number, action: () => void): void => {
      const first = setTimeout(() => {
        action();
        this.#timers.push(setInterval(action, periodMs));
      }, Math.random() * periodMs);
      this.#timers.push(first);
    };
    every(editMs, () => this.sendEdit());
    if (awarenessMs > 0) every(awarenessMs, () => this.sendAwareness());
  }

  stop(): void {
    for (const timer of this.#timers.splice(0)) {
      clearTimeout(timer);
      clearInterval(timer);
    }
  }

  close(): Promise<void> {
    this.stop();
    return new Promise<void>((resolve) => {
      if (this.ws.readyState === WebSocket.CLOSED) return resolve();
      const timer = setTimeout(resolve, 2_000);
      this.ws.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      this.ws.terminate();
    });
  }
}

/** Opens `count` clients in batches and waits (with a timeout) until each has synced. */
export async function connectClients(
  count: number,
  make: (index: number) => LightClient,
  timeoutMs: number,
  batch = 25,
): Promise<LightClient[]> {
  const clients: LightClient[] = [];
  for (let start = 0; start < count; start += batch) {
    const group: LightClient[] = [];
    for (let i = start; i < Math.min(count, start + batch); i++) group.push(make(i));
    clients.push(...group);
    const timeout = new Promise<never>((_, reject) =>
      setTimeout(
        () => reject(new Error(`clients ${start}… did not sync within ${timeoutMs} ms`)),
        timeoutMs,
      ).unref(),
    );
    try {
      await Promise.race([Promise.all(group.map((c) => c.ready)), timeout]);
    } catch (error) {
      await Promise.all(clients.map((c) => c.close()));
      throw error;
    }
  }
  return clients;
}
