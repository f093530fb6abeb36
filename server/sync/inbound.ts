/**
 * What sync connections may have half-received at once (docs/sync.md, "Frames"). The WebSocket
 * library buffers a frame whole before handing it over, so a connection that sends most of a frame
 * and stalls holds that memory. Frames are bounded (1 MiB, or the document limit for a client's
 * sync answer, which carries its offline backlog), and so is the sum of what is half-received:
 * per address, over the whole server, and for frames over 1 MiB a few at a time (one per
 * address). A connection that would pass a bound is closed with "try again later"; its client
 * retries after a backoff. Bytes are counted as they arrive, before the library keeps them.
 */
import type { Duplex } from 'node:stream';

export interface InboundLimits {
  /** Half-received bytes over all connections. */
  totalBytes: number;
  /** Half-received bytes over the connections of one address. */
  perAddressBytes: number;
  /** Frames beyond this size need one of `largeFrames` slots. */
  largeFrameBytes: number;
  largeFrames: number;
}

export const DEFAULT_INBOUND_LIMITS: InboundLimits = {
  totalBytes: 256 * 1024 * 1024,
  perAddressBytes: 64 * 1024 * 1024,
  largeFrameBytes: 1024 * 1024,
  largeFrames: 4,
};

/** One connection's count: fed by its socket's data, reset by each complete message. */
export interface InboundCount {
  /** Call for every complete message. */
  received(): void;
  /** Call once when the connection closes. */
  release(): void;
}

export class InboundBytes {
  readonly #limits: InboundLimits;
  #total = 0;
  readonly #byAddress = new Map<string, number>();
  readonly #largeByAddress = new Set<string>();
  #largeInUse = 0;

  constructor(limits: InboundLimits = DEFAULT_INBOUND_LIMITS) {
    this.#limits = limits;
  }

  /** Bytes half-received right now, over every connection. */
  get total(): number {
    return this.#total;
  }

  /**
   * Counts what `socket` receives. `refuse` is called once if the connection would pass a bound:
   * it must close the connection (and stop reading it).
   */
  track(socket: Duplex, address: string, refuse: () => void): InboundCount {
    const limits = this.#limits;
    let partial = 0;
    let large = false;
    let done = false;
    const settle = (): void => {
      this.#total -= partial;
      const left = (this.#byAddress.get(address) ?? 0) - partial;
      if (left > 0) this.#byAddress.set(address, left);
      else this.#byAddress.delete(address);
      partial = 0;
      if (large) {
        large = false;
        this.#largeInUse -= 1;
        this.#largeByAddress.delete(address);
      }
    };
    const onData = (chunk: Buffer): void => {
      if (done) return;
      partial += chunk.length;
      this.#total += chunk.length;
      const byAddress = (this.#byAddress.get(address) ?? 0) + chunk.length;
      this.#byAddress.set(address, byAddress);
      let over = this.#total > limits.totalBytes || byAddress > limits.perAddressBytes;
      if (!over && !large && partial > limits.largeFrameBytes) {
        if (this.#largeInUse >= limits.largeFrames || this.#largeByAddress.has(address)) over = true;
        else {
          large = true;
          this.#largeInUse += 1;
          this.#largeByAddress.add(address);
        }
      }
      if (over) {
        done = true;
        settle();
        socket.off('data', onData);
        refuse();
      }
    };
    // Before the WebSocket library's own listener: counted before it is kept.
    socket.prependListener('data', onData);
    return {
      received: () => {
        if (!done) settle();
      },
      release: () => {
        if (done) return;
        done = true;
        settle();
        socket.off('data', onData);
      },
    };
  }
}
