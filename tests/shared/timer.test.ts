/**
 * The meeting timer (shared/session/timer, docs/session.md#timer) as a pure function: each request gives the
 * next timer state at the server's `now`, or is refused with an error code and changes nothing.
 */
import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors';
import { DEFAULT_TIMER_MS, type TimerState } from '../../shared/session/state';
import {
  MAX_TIMER_MS,
  MIN_TIMER_MS,
  nextTimer,
  remainingMs,
  type TimerRequest,
} from '../../shared/session/timer';

const MINUTE = 60_000;
/** An arbitrary server clock reading, far from zero so that a bug using 0 as "now" shows. */
const T0 = 1_795_000_000_000;

const idle = (durationMs = DEFAULT_TIMER_MS): TimerState => ({
  durationMs,
  endsAt: null,
  pausedRemainingMs: null,
});

/** A timer of `durationMs` started at T0. */
const started = (durationMs = 5 * MINUTE): TimerState =>
  nextTimer(idle(), { action: 'start', durationMs }, T0);

/** A timer of `durationMs` started at T0 and paused `after` ms later. */
const paused = (durationMs: number, after: number): TimerState =>
  nextTimer(started(durationMs), { action: 'pause' }, T0 + after);

/** Asserts that `request` is refused with `code` and that the timer it was given is untouched. */
function expectRefused(timer: TimerState, request: TimerRequest, now: number, code: string): void {
  const before = structuredClone(timer);
  let error: unknown = null;
  try {
    nextTimer(timer, request, now);
  } catch (caught) {
    error = caught;
  }
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(code);
  expect(timer).toEqual(before);
}

describe('timer rules (docs/session.md#timer)', () => {
  describe('start', () => {
    it('[session#timer] start with durationMs sets endsAt = now + durationMs and remembers the duration', () => {
      const timer = nextTimer(idle(), { action: 'start', durationMs: 3 * MINUTE }, T0);
      expect(timer).toEqual({ durationMs: 3 * MINUTE, endsAt: T0 + 3 * MINUTE, pausedRemainingMs: null });
    });

    it('[session#timer] start without durationMs runs the current duration (the default 5 minutes on a new board)', () => {
      expect(nextTimer(idle(), { action: 'start' }, T0)).toEqual({
        durationMs: DEFAULT_TIMER_MS,
        endsAt: T0 + DEFAULT_TIMER_MS,
        pausedRemainingMs: null,
      });
      expect(nextTimer(idle(10 * MINUTE), { action: 'start' }, T0).endsAt).toBe(T0 + 10 * MINUTE);
    });

    it('[session#timer] start while paused starts over from the full duration and is no longer paused', () => {
      const timer = nextTimer(paused(5 * MINUTE, 2 * MINUTE), { action: 'start' }, T0 + 4 * MINUTE);
      expect(timer).toEqual({ durationMs: 5 * MINUTE, endsAt: T0 + 9 * MINUTE, pausedRemainingMs: null });
    });

    it('[session#timer] start never runs past 60 minutes', () => {
      const timer = nextTimer(idle(), { action: 'start', durationMs: 2 * MAX_TIMER_MS }, T0);
      expect(timer.durationMs).toBe(MAX_TIMER_MS);
      expect(timer.endsAt).toBe(T0 + 60 * MINUTE);
    });
  });

  describe('pause and resume', () => {
    it('[session#timer] pause clears endsAt and keeps what is left as pausedRemainingMs', () => {
      const timer = paused(5 * MINUTE, 90_000);
      expect(timer).toEqual({ durationMs: 5 * MINUTE, endsAt: null, pausedRemainingMs: 210_000 });
    });

    it('[session#timer] a paused timer does not run: what is left is the same ten minutes later', () => {
      const timer = paused(5 * MINUTE, 90_000);
      expect(remainingMs(timer, T0 + 90_000)).toBe(210_000);
      expect(remainingMs(timer, T0 + 10 * MINUTE)).toBe(210_000);
    });

    it('[session#timer] resume sets endsAt = now + pausedRemainingMs and clears pausedRemainingMs', () => {
      const timer = nextTimer(paused(5 * MINUTE, 90_000), { action: 'resume' }, T0 + 10 * MINUTE);
      expect(timer).toEqual({
        durationMs: 5 * MINUTE,
        endsAt: T0 + 10 * MINUTE + 210_000,
        pausedRemainingMs: null,
      });
    });

    it('[session#timer] pause after the time is up keeps zero left, never a negative time', () => {
      const timer = nextTimer(started(MINUTE), { action: 'pause' }, T0 + 5 * MINUTE);
      expect(timer.pausedRemainingMs).toBe(0);
    });

    it('[session#timer] pause when the timer is not running is refused with timer_not_running', () => {
      expectRefused(idle(), { action: 'pause' }, T0, 'timer_not_running');
      expectRefused(paused(5 * MINUTE, MINUTE), { action: 'pause' }, T0 + 2 * MINUTE, 'timer_not_running');
    });

    it('[session#timer] resume when the timer is not paused is refused with timer_not_paused', () => {
      expectRefused(idle(), { action: 'resume' }, T0, 'timer_not_paused');
      expectRefused(started(), { action: 'resume' }, T0 + MINUTE, 'timer_not_paused');
    });
  });

  describe('reset', () => {
    it('[session#timer] reset stops a running timer and keeps its duration, ready to start again', () => {
      const timer = nextTimer(started(3 * MINUTE), { action: 'reset' }, T0 + MINUTE);
      expect(timer).toEqual({ durationMs: 3 * MINUTE, endsAt: null, pausedRemainingMs: null });
      expect(nextTimer(timer, { action: 'start' }, T0 + 2 * MINUTE).endsAt).toBe(T0 + 5 * MINUTE);
    });

    it('[session#timer] reset clears a paused timer too', () => {
      const timer = nextTimer(paused(3 * MINUTE, MINUTE), { action: 'reset' }, T0 + 2 * MINUTE);
      expect(timer).toEqual({ durationMs: 3 * MINUTE, endsAt: null, pausedRemainingMs: null });
      expect(remainingMs(timer, T0 + 2 * MINUTE)).toBeNull();
    });
  });

  describe('extend', () => {
    it('[session#timer] extend while running adds to what is left and to the duration', () => {
      const timer = nextTimer(started(5 * MINUTE), { action: 'extend', deltaMs: MINUTE }, T0 + 2 * MINUTE);
      expect(timer.endsAt).toBe(T0 + 6 * MINUTE);
      expect(timer.pausedRemainingMs).toBeNull();
      expect(timer.durationMs).toBe(6 * MINUTE);
      expect(remainingMs(timer, T0 + 2 * MINUTE)).toBe(4 * MINUTE);
    });

    it('[session#timer] extend while paused adds to what is left and stays paused', () => {
      const timer = nextTimer(
        paused(5 * MINUTE, 2 * MINUTE),
        { action: 'extend', deltaMs: MINUTE },
        T0 + 3 * MINUTE,
      );
      expect(timer).toEqual({ durationMs: 6 * MINUTE, endsAt: null, pausedRemainingMs: 4 * MINUTE });
    });

    it('[session#timer] extend while idle changes the duration the next start runs', () => {
      const timer = nextTimer(idle(5 * MINUTE), { action: 'extend', deltaMs: MINUTE }, T0);
      expect(timer).toEqual({ durationMs: 6 * MINUTE, endsAt: null, pausedRemainingMs: null });
      expect(nextTimer(timer, { action: 'start' }, T0).endsAt).toBe(T0 + 6 * MINUTE);
    });

    it('[session#timer] extend never takes the duration beyond 60 minutes, idle, running or paused', () => {
      const idleTimer = nextTimer(idle(59 * MINUTE), { action: 'extend', deltaMs: 5 * MINUTE }, T0);
      expect(idleTimer.durationMs).toBe(MAX_TIMER_MS);

      const running = nextTimer(started(58 * MINUTE), { action: 'extend', deltaMs: 5 * MINUTE }, T0);
      expect(running.durationMs).toBe(MAX_TIMER_MS);
      expect(remainingMs(running, T0)).toBe(MAX_TIMER_MS);

      const pausedTimer = nextTimer(paused(58 * MINUTE, 0), { action: 'extend', deltaMs: MAX_TIMER_MS }, T0);
      expect(pausedTimer.durationMs).toBe(MAX_TIMER_MS);
      expect(pausedTimer.pausedRemainingMs).toBe(MAX_TIMER_MS);
    });

    it('[session#timer] a negative extend never leaves less than zero, running or paused', () => {
      const running = nextTimer(
        started(5 * MINUTE),
        { action: 'extend', deltaMs: -10 * MINUTE },
        T0 + MINUTE,
      );
      expect(remainingMs(running, T0 + MINUTE)).toBe(0);
      expect(running.endsAt).toBe(T0 + MINUTE);
      expect(running.durationMs).toBeGreaterThanOrEqual(MIN_TIMER_MS);

      const pausedTimer = nextTimer(
        paused(5 * MINUTE, MINUTE),
        { action: 'extend', deltaMs: -10 * MINUTE },
        T0,
      );
      expect(pausedTimer.pausedRemainingMs).toBe(0);
      expect(pausedTimer.durationMs).toBeGreaterThanOrEqual(MIN_TIMER_MS);
    });

    it('[session#timer] a negative extend while idle never makes the duration zero or less', () => {
      const timer = nextTimer(idle(MINUTE), { action: 'extend', deltaMs: -5 * MINUTE }, T0);
      expect(timer.durationMs).toBeGreaterThan(0);
      expect(timer.durationMs).toBe(MIN_TIMER_MS);
    });

    it('[session#timer] "+1 minute" once the time is up gives one more minute, however long ago the time ran out', () => {
      // Everyone's display shows 0:00 (remainingMs never goes below zero); the facilitator clicks +1 min.
      const expired = started(5 * MINUTE);
      for (const lateBy of [10_000, 2 * MINUTE, 30 * MINUTE]) {
        const now = T0 + 5 * MINUTE + lateBy;
        expect(remainingMs(expired, now)).toBe(0);
        const extended = nextTimer(expired, { action: 'extend', deltaMs: MINUTE }, now);
        expect(remainingMs(extended, now), `time up ${lateBy} ms ago`).toBe(MINUTE);
      }
    });
  });

  describe('remainingMs', () => {
    it('[session#timer] is null on an idle timer, counts down while running and stops at zero', () => {
      expect(remainingMs(idle(), T0)).toBeNull();
      const timer = started(5 * MINUTE);
      expect(remainingMs(timer, T0)).toBe(5 * MINUTE);
      expect(remainingMs(timer, T0 + 2 * MINUTE)).toBe(3 * MINUTE);
      expect(remainingMs(timer, T0 + 5 * MINUTE)).toBe(0);
      expect(remainingMs(timer, T0 + 6 * MINUTE)).toBe(0);
    });
  });
});
