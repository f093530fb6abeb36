/**
 * The meeting timer as every screen shows it (docs/session.md#timer): what is left, from the
 * server's `endsAt` and the server's clock, and whether the end is still being announced.
 */
import type { TimerState } from '../../../shared/session/state';

/** "Time is up" is announced this long after the end; then the timer settles. */
export const TIME_UP_SHOWN_MS = 8_000;

export interface TimerFace {
  /** Counting down (or ended and not yet reset). */
  running: boolean;
  paused: boolean;
  remainingMs: number;
  /** The time is up (until someone resets or restarts the timer). */
  ended: boolean;
  /** The time is up, and only just: announced in red for a few seconds. */
  justEnded: boolean;
}

export function timerFace(timer: TimerState, serverNow: number): TimerFace {
  const running = timer.endsAt !== null;
  const remainingMs =
    timer.endsAt !== null
      ? Math.max(0, timer.endsAt - serverNow)
      : (timer.pausedRemainingMs ?? timer.durationMs);
  const ended = running && remainingMs === 0;
  const justEnded = ended && timer.endsAt !== null && serverNow - timer.endsAt < TIME_UP_SHOWN_MS;
  return { running, paused: timer.pausedRemainingMs !== null, remainingMs, ended, justEnded };
}

/** `m:ss`, rounded up: a timer shows 0:00 only once the time is up. */
export function clock(ms: number): string {
  const seconds = Math.ceil(ms / 1000);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}
