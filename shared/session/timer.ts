/**
 * The meeting timer (docs/session.md#timer), as a pure function from a request to the next timer state. Times
 * are the server's epoch milliseconds; clients show `endsAt - serverNow` corrected for skew.
 *
 *   start   endsAt = now + durationMs (the given one, else the current one)
 *   pause   pausedRemainingMs = what was left, endsAt = null
 *   resume  endsAt = now + pausedRemainingMs, pausedRemainingMs = null
 *   reset   both null; the duration stays, ready to start again
 *   extend  adds deltaMs to the duration and to what is left; never past MAX_TIMER_MS
 */
import { AppError } from '../errors';
import type { TimerState } from './state';

export const MAX_TIMER_MS = 60 * 60_000;
export const MIN_TIMER_MS = 1_000;
export const TIMER_PRESETS_MS = [60_000, 3 * 60_000, 5 * 60_000, 10 * 60_000, 15 * 60_000] as const;

export type TimerRequest =
  | { action: 'start'; durationMs?: number }
  | { action: 'pause' | 'resume' | 'reset' }
  | { action: 'extend'; deltaMs: number };

/** What is left on the timer at `now`: null when it is not running or paused. */
export function remainingMs(timer: TimerState, now: number): number | null {
  if (timer.endsAt !== null) return Math.max(0, timer.endsAt - now);
  return timer.pausedRemainingMs;
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

export function nextTimer(timer: TimerState, request: TimerRequest, now: number): TimerState {
  switch (request.action) {
    case 'start': {
      const durationMs = clamp(request.durationMs ?? timer.durationMs, MIN_TIMER_MS, MAX_TIMER_MS);
      return { durationMs, endsAt: now + durationMs, pausedRemainingMs: null };
    }
    case 'pause':
      if (timer.endsAt === null) throw new AppError('timer_not_running', 'The timer is not running.');
      return { ...timer, endsAt: null, pausedRemainingMs: Math.max(0, timer.endsAt - now) };
    case 'resume':
      if (timer.pausedRemainingMs === null)
        throw new AppError('timer_not_paused', 'The timer is not paused.');
      return { ...timer, endsAt: now + timer.pausedRemainingMs, pausedRemainingMs: null };
    case 'reset':
      return { durationMs: timer.durationMs, endsAt: null, pausedRemainingMs: null };
    case 'extend': {
      const durationMs = clamp(timer.durationMs + request.deltaMs, MIN_TIMER_MS, MAX_TIMER_MS);
      if (timer.endsAt !== null) {
        // Once the time is up, what is left is nothing (not a negative), so +1 minute means one more.
        const left = clamp(Math.max(0, timer.endsAt - now) + request.deltaMs, 0, MAX_TIMER_MS);
        return { durationMs: Math.max(durationMs, left), endsAt: now + left, pausedRemainingMs: null };
      }
      if (timer.pausedRemainingMs !== null) {
        const left = clamp(timer.pausedRemainingMs + request.deltaMs, 0, MAX_TIMER_MS);
        return { durationMs: Math.max(durationMs, left), endsAt: null, pausedRemainingMs: left };
      }
      return { ...timer, durationMs };
    }
  }
}
