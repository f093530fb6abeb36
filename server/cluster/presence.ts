/**
 * Who is online on the other processes, for one board (docs/running.md#several-processes: "a participant whose process died
 * shows offline within 30 s"). Each process says who is connected to it on every change and every
 * PRESENCE_HEARTBEAT_MS; what it said is believed for PRESENCE_TRUST_MS, and the beliefs are
 * checked every PRESENCE_EXPIRY_CHECK_MS. So the people of a process that died show offline at the
 * latest PRESENCE_TRUST_MS + PRESENCE_EXPIRY_CHECK_MS after it last spoke (26 s), whenever it died.
 */

/** Each process says who is online on it this often (and on every change). */
export const PRESENCE_HEARTBEAT_MS = 10_000;
/** What a process said is believed this long: more than two heartbeats, so one lost costs nothing. */
export const PRESENCE_TRUST_MS = 25_000;
/** How often beliefs are checked: a bound on how late a dead process's people show offline. */
export const PRESENCE_EXPIRY_CHECK_MS = 1_000;

export class PresenceElsewhere {
  readonly #trustMs: number;
  /** Who is online on each other process, and until when to believe it. */
  readonly #seen = new Map<string, { ids: Set<string>; until: number }>();

  constructor(trustMs: number = PRESENCE_TRUST_MS) {
    this.#trustMs = trustMs;
  }

  /**
   * `process` says who is online on it; returns whether that is news (a heartbeat that says what
   * we knew only renews trust in it).
   */
  heard(process: string, online: readonly string[], now: number = Date.now()): boolean {
    const heard = new Set(online);
    const before = this.#seen.get(process)?.ids;
    this.#seen.set(process, { ids: heard, until: now + this.#trustMs });
    return !(before !== undefined && before.size === heard.size && [...heard].every((id) => before.has(id)));
  }

  /** Forgets the processes that stopped speaking; returns how many. */
  expire(now: number = Date.now()): number {
    let expired = 0;
    for (const [process, seen] of this.#seen) {
      if (seen.until < now) {
        this.#seen.delete(process);
        expired += 1;
      }
    }
    return expired;
  }

  /** Whether a process still believed says the participant is online on it. */
  has(participantId: string, now: number = Date.now()): boolean {
    for (const seen of this.#seen.values()) if (seen.until >= now && seen.ids.has(participantId)) return true;
    return false;
  }
}
