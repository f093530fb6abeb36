/**
 * What sync connections may have half-received at once (docs/sync.md, "Frames"). The WebSocket
 * library buffers a frame whole before handing it over, so a connection that sends most of a frame
 * and stalls holds that memory. Frames are bounded (1 MiB, or the document limit for a client's
 * sync answer, which carries its offline backlog), and so is the sum of what is half-received:
 * per address, over the whole server, and for frames over 1 MiB a few at a time (one per
 * address). A connection that would pass a bound is refused (closed with "try again later"); its
 * client retries after a backoff. Bytes are counted as they arrive, before the library keeps them.
 *
 * A board may hold hundreds of connections: each costs one small object here, and every socket
 * shares the same listener (no closures per connection).
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

/** What to do with a connection that passes a bound: close it, and stop reading it. */
export type Refuse = (socket: Duplex) => void;

const COUNT = Symbol('inbound count');
type CountedSocket = Duplex & { [COUNT]?: InboundCount };

/** One listener for every socket (Node calls it with the socket as `this`). */
function onData(this: CountedSocket, chunk: Buffer): void {
  this[COUNT]?.add(chunk.length);
}

/** One connection's count: fed by its socket's data, reset by each complete message. */
export class InboundCount {
  #partial = 0;
  #large = false;
  readonly #owner: InboundBytes;
  readonly #socket: CountedSocket;
  readonly #address: string;

  constructor(owner: InboundBytes, socket: CountedSocket, address: string) {
    this.#owner = owner;
    this.#socket = socket;
    this.#address = address;
  }

  add(bytes: number): void {
    this.#partial += bytes;
    const verdict = this.#owner.grow(this.#address, bytes, this.#partial, this.#large);
    if (verdict === 'large') this.#large = true;
    else if (verdict === 'over') {
      this.release();
      this.#owner.refuse(this.#socket);
    }
  }

  /** Call for every complete message. */
  received(): void {
    this.#owner.shrink(this.#address, this.#partial, this.#large);
    this.#partial = 0;
    this.#large = false;
  }

  /** Call once when the connection closes (or is refused). */
  release(): void {
    if (this.#socket[COUNT] !== this) return;
    this.received();
    delete this.#socket[COUNT];
    this.#socket.off('data', onData);
  }
}

export class InboundBytes {
  readonly #limits: InboundLimits;
  readonly refuse: Refuse;
  #total = 0;
  readonly #byAddress = new Map<string, number>();
  readonly #largeByAddress = new Set<string>();
  #largeInUse = 0;

  constructor(refuse: Refuse, limits: InboundLimits = DEFAULT_INBOUND_LIMITS) {
    this.refuse = refuse;
    this.#limits = limits;
  }

  /** Counts what `socket` receives from now on, before the WebSocket library keeps it. */
  track(socket: Duplex, address: string): InboundCount {
    const counted = socket as CountedSocket;
    const count = new InboundCount(this, counted, address);
    counted[COUNT] = count;
    counted.prependListener('data', onData);
    return count;
  }

  /** `bytes` more arrived; whether that is fine, takes a large-frame slot, or passes a bound. */
  grow(address: string, bytes: number, partial: number, large: boolean): 'fine' | 'large' | 'over' {
    const limits = this.#limits;
    this.#total += bytes;
    const byAddress = (this.#byAddress.get(address) ?? 0) + bytes;
    this.#byAddress.set(address, byAddress);
    if (this.#total > limits.totalBytes || byAddress > limits.perAddressBytes) return 'over';
    if (large || partial <= limits.largeFrameBytes) return 'fine';
    if (this.#largeInUse >= limits.largeFrames || this.#largeByAddress.has(address)) return 'over';
    this.#largeInUse += 1;
    this.#largeByAddress.add(address);
    return 'large';
  }

  /** A connection's `partial` bytes are no longer half-received (a message completed, or it went). */
  shrink(address: string, partial: number, large: boolean): void {
    this.#total -= partial;
    const left = (this.#byAddress.get(address) ?? 0) - partial;
    if (left > 0) this.#byAddress.set(address, left);
    else this.#byAddress.delete(address);
    if (large) {
      this.#largeInUse -= 1;
      this.#largeByAddress.delete(address);
    }
  }
}
