/** A small seeded pseudo-random generator (mulberry32), so that randomized tests replay exactly. */
export interface Random {
  /** A float in [0, 1). */
  readonly next: () => number;
  /** A whole number in [0, max). */
  readonly below: (max: number) => number;
  /** `length` pseudo-random bytes. */
  readonly bytes: (length: number) => Uint8Array;
}

export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  return {
    next,
    below: (max) => Math.floor(next() * max),
    bytes: (length) => Uint8Array.from({ length }, () => Math.floor(next() * 256)),
  };
}
