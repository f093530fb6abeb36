/**
 * Facilitation on the session plane (docs/product.md#phases, docs/session.md#timer, docs/errors.md#bad-input-and-faults) against a real server: the timer, the phase,
 * reactions and `rev`, with a facilitator and participants as real socket.io clients at once.
 * The lock and the team pulse have files of their own (lock.test.ts, pulse.test.ts).
 */
import { describe, expect, it } from 'vitest';
import type { Joined } from '../../shared/api';
import type { SessionView, TimerState } from '../../shared/session/state';
import { remainingMs } from '../../shared/session/timer';
import { OK, refused, waitFor } from '../helpers/expect';
import { useServer } from '../helpers/fixtures';
import { freshView, liveMeeting, type Meeting } from '../helpers/facilitation';
import { joinBoard } from '../helpers/server';
import type { SessionClient } from '../helpers/session-clients';
import { boardSummary, GoalWriter } from '../helpers/workshop';

const MINUTE = 60_000;

const running = (view: SessionView): boolean => view.timer.endsAt !== null;
const member = (m: Meeting, index: number): SessionClient => m.members[index] as SessionClient;
const participant = (m: Meeting, index: number): Joined => m.participants[index] as Joined;

describe('facilitation: timer, phase, reactions, rev', () => {
  const server = useServer();
  const { sessions, sync } = server;

  const meeting = (count: number): Promise<Meeting> => liveMeeting(server, sessions, count);
  const viewOf = (m: Meeting, joined: Joined): Promise<SessionView> =>
    freshView(server, sessions, m.board.id, joined);

  describe('timer', () => {
    it('[session#timer] only a facilitator runs the timer: a participant gets not_facilitator and the timer does not change', async () => {
      const m = await meeting(2);
      const initial = m.lead.latest().timer;
      for (const request of [
        { action: 'start', durationMs: 3 * MINUTE },
        { action: 'start' },
        { action: 'extend', deltaMs: MINUTE },
      ]) {
        expect(await member(m, 0).request('timer', request), JSON.stringify(request)).toEqual(
          refused('not_facilitator'),
        );
      }
      expect((await viewOf(m, m.facilitator)).timer).toEqual(initial);

      expect(await m.lead.request('timer', { action: 'start', durationMs: 3 * MINUTE })).toEqual(OK);
      const started = (await m.lead.waitForSession(running)).timer;
      for (const action of ['pause', 'reset']) {
        expect(await member(m, 1).request('timer', { action })).toEqual(refused('not_facilitator'));
      }
      expect(await member(m, 1).request('timer', { action: 'extend', deltaMs: MINUTE })).toEqual(
        refused('not_facilitator'),
      );
      expect((await viewOf(m, participant(m, 1))).timer).toEqual(started);
    });

    it('[session#timer] a start reaches everyone with endsAt = start + durationMs in server time, and serverNow gives what is left', async () => {
      const m = await meeting(3);
      const durationMs = 3 * MINUTE;
      // The server runs in this process: the same clock brackets the moment it started the timer.
      const before = Date.now();
      expect(await m.lead.request('timer', { action: 'start', durationMs })).toEqual(OK);
      const after = Date.now();
      const views = await Promise.all(
        m.everyone.map((client) => client.waitForSession(running, 'the start')),
      );
      for (const view of views) {
        expect(view.timer).toEqual(views[0]?.timer);
        expect(view.timer.durationMs).toBe(durationMs);
        expect(view.timer.pausedRemainingMs).toBeNull();
        const endsAt = view.timer.endsAt as number;
        expect(endsAt).toBeGreaterThanOrEqual(before + durationMs);
        expect(endsAt).toBeLessThanOrEqual(after + durationMs);
        // What a client shows: endsAt − serverNow (its own clock only measures time since the event).
        const left = remainingMs(view.timer, view.serverNow) as number;
        expect(left).toBe(endsAt - view.serverNow);
        expect(left).toBeLessThanOrEqual(durationMs);
        expect(left).toBeGreaterThanOrEqual(durationMs - (view.serverNow - before));
      }
    });

    it('[session#timer] pause, resume, extend and reset reach every participant as the timer semantics say', async () => {
      const m = await meeting(2);
      const watcher = member(m, 1);
      expect(await m.lead.request('timer', { action: 'start', durationMs: 10 * MINUTE })).toEqual(OK);
      const startView = await watcher.waitForSession(running, 'the start');
      const endsAt = startView.timer.endsAt as number;

      expect(await m.lead.request('timer', { action: 'pause' })).toEqual(OK);
      const pausedView = await watcher.waitForSession((v) => v.timer.pausedRemainingMs !== null, 'the pause');
      const left = pausedView.timer.pausedRemainingMs as number;
      expect(pausedView.timer.endsAt).toBeNull();
      expect(pausedView.timer.durationMs).toBe(10 * MINUTE);
      expect(left).toBeGreaterThan(0);
      // Paused after the start reached everyone: no more than what was left then.
      expect(left).toBeLessThanOrEqual(endsAt - startView.serverNow);
      expect(remainingMs(pausedView.timer, pausedView.serverNow + 5 * MINUTE)).toBe(left);

      expect(await m.lead.request('timer', { action: 'extend', deltaMs: MINUTE })).toEqual(OK);
      const extendedPaused = await watcher.waitForSession((v) => v.timer.pausedRemainingMs === left + MINUTE);
      expect(extendedPaused.timer).toEqual({
        durationMs: 11 * MINUTE,
        endsAt: null,
        pausedRemainingMs: left + MINUTE,
      });

      const beforeResume = Date.now();
      expect(await m.lead.request('timer', { action: 'resume' })).toEqual(OK);
      const afterResume = Date.now();
      const resumed = await watcher.waitForSession(running, 'the resume');
      expect(resumed.timer.pausedRemainingMs).toBeNull();
      const resumedEnd = resumed.timer.endsAt as number;
      expect(resumedEnd - (left + MINUTE)).toBeGreaterThanOrEqual(beforeResume);
      expect(resumedEnd - (left + MINUTE)).toBeLessThanOrEqual(afterResume);

      // Extending a running timer moves its end by exactly the extension.
      expect(await m.lead.request('timer', { action: 'extend', deltaMs: 2 * MINUTE })).toEqual(OK);
      const extended = await watcher.waitForSession((v) => v.timer.endsAt === resumedEnd + 2 * MINUTE);
      expect(extended.timer.durationMs).toBe(13 * MINUTE);

      expect(await m.lead.request('timer', { action: 'reset' })).toEqual(OK);
      const reset = await watcher.waitForSession((v) => !running(v), 'the reset');
      expect(reset.timer).toEqual({ durationMs: 13 * MINUTE, endsAt: null, pausedRemainingMs: null });
      expect(m.lead.latest().timer).toEqual(reset.timer);
    });

    it('[session#timer] never extends past 60 minutes', async () => {
      const m = await meeting(1);
      expect(await m.lead.request('timer', { action: 'start', durationMs: 59 * MINUTE })).toEqual(OK);
      const started = await member(m, 0).waitForSession(running);
      expect(await m.lead.request('timer', { action: 'extend', deltaMs: 5 * MINUTE })).toEqual(OK);
      const view = await member(m, 0).waitForSession((v) => v.timer.durationMs !== started.timer.durationMs);
      expect(view.timer.durationMs).toBe(60 * MINUTE);
      expect(remainingMs(view.timer, view.serverNow)).toBeLessThanOrEqual(60 * MINUTE);
    });

    it('[session#timer] pause of a stopped timer is refused with timer_not_running, resume of a running one with timer_not_paused', async () => {
      const m = await meeting(1);
      expect(await m.lead.request('timer', { action: 'pause' })).toEqual(refused('timer_not_running'));
      expect(await m.lead.request('timer', { action: 'resume' })).toEqual(refused('timer_not_paused'));
      expect(await m.lead.request('timer', { action: 'start' })).toEqual(OK);
      expect(await m.lead.request('timer', { action: 'resume' })).toEqual(refused('timer_not_paused'));
      const view = await m.lead.waitForSession(running);
      expect(view.timer.pausedRemainingMs).toBeNull();
    });

    it('[session#timer] a client that connects after the start, or reconnects, gets the running timer in its first session event', async () => {
      const m = await meeting(2);
      expect(await m.lead.request('timer', { action: 'start', durationMs: 4 * MINUTE })).toEqual(OK);
      const timer = (await m.lead.waitForSession(running)).timer;

      const late = await joinAndConnect(m, 'Latecomer');
      expect(late.sessions[0]?.timer).toEqual(timer);

      // A participant drops out; the facilitator extends meanwhile; it comes back.
      const flaky = member(m, 0);
      flaky.socket.disconnect();
      await m.lead.waitForSession(
        (v) => v.participants.find((p) => p.id === participant(m, 0).participantId)?.online === false,
      );
      expect(await m.lead.request('timer', { action: 'extend', deltaMs: MINUTE })).toEqual(OK);
      const extended = (await m.lead.waitForSession((v) => v.timer.endsAt !== timer.endsAt)).timer;
      const seen = flaky.sessions.length;
      flaky.socket.connect();
      await waitFor(() => flaky.sessions.length > seen, 5_000, 'the first session event after reconnecting');
      expect(flaky.sessions[seen]?.timer).toEqual(extended);
      expect(extended.endsAt).toBe((timer.endsAt as number) + MINUTE);
    });

    it('[session#timer][errors#validation] answers malformed timer payloads with bad_request and changes nothing', async () => {
      const m = await meeting(1);
      expect(await m.lead.request('timer', { action: 'start', durationMs: 2 * MINUTE })).toEqual(OK);
      const timer = (await m.lead.waitForSession(running)).timer;
      const bad: unknown[] = [
        { action: 'go' },
        { action: 'start', durationMs: 0 },
        { action: 'start', durationMs: 3_600_001 },
        { action: 'start', durationMs: '5' },
        { action: 'start', durationMs: 90_000.5 },
        { action: 'start', durationMs: -MINUTE },
        { action: 'extend' },
        { action: 'extend', deltaMs: '60000' },
        { action: 'extend', deltaMs: Number.NaN },
        { durationMs: MINUTE },
        null,
        'start',
      ];
      for (const payload of bad) {
        expect(await m.lead.request('timer', payload), JSON.stringify(payload)).toEqual(
          refused('bad_request'),
        );
      }
      expect((await viewOf(m, m.facilitator)).timer).toEqual(timer);
      // The connection is still usable.
      expect(await m.lead.request('timer', { action: 'pause' })).toEqual(OK);
    });
  });

  describe('phase', () => {
    it('[product#phases][session#phase] the facilitator moves everyone: every other client receives the new phase', async () => {
      const m = await meeting(3);
      for (const phase of ['goals', 'wrap-up', 'day-to-day'] as const) {
        expect(await m.lead.request('phase', { phase })).toEqual(OK);
        await Promise.all(m.members.map((client) => client.waitForSession((v) => v.phase === phase, phase)));
      }
      expect((await boardSummary(server, m.board.id)).phase).toBe('day-to-day');
    });

    it('[product#phases][session#phase] a participant cannot move the meeting: not_facilitator, and nobody moves', async () => {
      const m = await meeting(2);
      expect(await member(m, 0).request('phase', { phase: 'wrap-up' })).toEqual(refused('not_facilitator'));
      expect((await viewOf(m, participant(m, 1))).phase).toBe('discover');
      expect((await boardSummary(server, m.board.id)).phase).toBe('discover');
      expect(m.everyone.every((client) => client.sessions.every((v) => v.phase === 'discover'))).toBe(true);
    });

    it('[product#phases][session#votes] stepping back to an earlier phase keeps the votes and the agreed goals', async () => {
      const m = await meeting(2);
      const writer = await GoalWriter.open(server, sync, m.board.id, m.facilitator);
      const [grow, aware] = (await writer.add([
        { title: 'Grow our audience' },
        { title: 'Brand awareness' },
      ])) as [string, string];
      expect(await m.lead.request('phase', { phase: 'prioritise' })).toEqual(OK);
      expect(await m.lead.request('voting', { open: true })).toEqual(OK);
      expect(await member(m, 0).request('vote', { goalId: grow, delta: 1 })).toMatchObject(OK);
      expect(await member(m, 0).request('vote', { goalId: grow, delta: 1 })).toMatchObject(OK);
      expect(await member(m, 1).request('vote', { goalId: aware, delta: 1 })).toMatchObject(OK);
      expect(await m.lead.request('phase', { phase: 'agree' })).toEqual(OK);
      expect(await m.lead.request('agree', { goalId: grow, agreed: true })).toEqual(OK);
      const decided = await m.lead.waitForSession((v) => v.agreed.length === 1 && v.voting.votesCast === 3);
      expect(decided.tallies).toEqual({ [grow]: 2, [aware]: 1 });

      expect(await m.lead.request('phase', { phase: 'discover' })).toEqual(OK);
      const back = await member(m, 0).waitForSession((v) => v.phase === 'discover', 'back to discover');
      expect(back.agreed).toEqual([grow]);
      expect(back.myVotes).toEqual({ [grow]: 2 });
      expect(back.voting).toMatchObject({ open: true, voters: 2, votesCast: 3 });
      const lead = await viewOf(m, m.facilitator);
      expect(lead.phase).toBe('discover');
      expect(lead.tallies).toEqual({ [grow]: 2, [aware]: 1 });
      expect(lead.agreed).toEqual([grow]);
      expect((await boardSummary(server, m.board.id)).agreed).toBe(1);
    });
  });

  describe('reactions', () => {
    it('[session#reactions] a reaction reaches everyone on the board with its participantId, and no client of another board', async () => {
      const m = await meeting(2);
      const other = await meeting(1);
      expect(await member(m, 0).request('reaction', { emoji: '🎉' })).toEqual(OK);
      const expected = { emoji: '🎉', participantId: participant(m, 0).participantId };
      for (const client of m.everyone) {
        await waitFor(() => client.reactions.length === 1, 5_000, 'the reaction');
        expect(client.reactions).toEqual([expected]);
      }
      // The other board hears its own reaction, and only that one.
      expect(await other.lead.request('reaction', { emoji: '👍' })).toEqual(OK);
      for (const client of other.everyone) {
        await waitFor(() => client.reactions.length > 0, 5_000, "the other board's reaction");
        expect(client.reactions).toEqual([{ emoji: '👍', participantId: other.facilitator.participantId }]);
      }
      expect(m.everyone.every((client) => client.reactions.length === 1)).toBe(true);
    });

    it('[session#reactions] takes an emoji of up to 16 UTF-16 code units; an empty or longer one is bad_request and reaches nobody', async () => {
      const m = await meeting(1);
      const sixteen = '👍'.repeat(8);
      expect(sixteen).toHaveLength(16);
      for (const emoji of ['', `${sixteen}!`, '🎉'.repeat(9)]) {
        expect(await member(m, 0).request('reaction', { emoji }), emoji).toEqual(refused('bad_request'));
      }
      expect(await member(m, 0).request('reaction', { emoji: sixteen })).toEqual(OK);
      await waitFor(() => m.lead.reactions.length > 0, 5_000, 'the valid reaction');
      expect(m.lead.reactions.map((r) => r.emoji)).toEqual([sixteen]);
    });

    it('[session#reactions] a flood of reactions is cut short with rate_limited, the first ones go through, and another participant is not limited', async () => {
      const m = await meeting(2);
      const flooder = member(m, 0);
      const acks = await Promise.all(
        Array.from({ length: 30 }, () => flooder.request('reaction', { emoji: '👏' })),
      );
      const accepted = acks.filter((ack) => ack.ok).length;
      expect(acks.slice(0, 8)).toEqual(Array.from({ length: 8 }, () => OK));
      expect(acks.filter((ack) => !ack.ok)).not.toHaveLength(0);
      for (const ack of acks.filter((a) => !a.ok)) expect(ack).toEqual(refused('rate_limited'));
      expect(accepted).toBeLessThan(30);

      // The other participant reacts at once, after the flood: not limited by someone else's burst.
      expect(await member(m, 1).request('reaction', { emoji: '❤️' })).toEqual(OK);
      const bystander = participant(m, 1).participantId;
      await waitFor(() => m.lead.reactions.some((r) => r.participantId === bystander), 5_000, 'the heart');
      // Everyone received exactly the accepted ones from the flooder: refused means not sent.
      const fromFlooder = m.lead.reactions.filter((r) => r.participantId === participant(m, 0).participantId);
      expect(fromFlooder).toHaveLength(accepted);
    });
  });

  describe('rev', () => {
    it('[session#broadcasts] rev grows with every timer, phase, lock and pulse change, as every client sees it', async () => {
      const m = await meeting(3);
      const watcher = member(m, 2);
      const steps: Array<{ what: string; run: () => Promise<unknown>; seen: (v: SessionView) => boolean }> = [
        {
          what: 'timer start',
          run: () => m.lead.request('timer', { action: 'start', durationMs: MINUTE }),
          seen: running,
        },
        {
          what: 'timer pause',
          run: () => m.lead.request('timer', { action: 'pause' }),
          seen: (v) => !running(v),
        },
        {
          what: 'timer extend',
          run: () => m.lead.request('timer', { action: 'extend', deltaMs: MINUTE }),
          seen: (v) => v.timer.durationMs === 2 * MINUTE,
        },
        {
          what: 'phase',
          run: () => m.lead.request('phase', { phase: 'wrap-up' }),
          seen: (v) => v.phase === 'wrap-up',
        },
        {
          what: 'pulse 1',
          run: () => member(m, 0).request('pulse', { score: 4 }),
          seen: (v) => v.pulse.count === 1,
        },
        {
          what: 'pulse 2',
          run: () => member(m, 1).request('pulse', { score: 2 }),
          seen: (v) => v.pulse.count === 2,
        },
        // After the answers: while locked, a participant's answer is refused (docs/session.md#lock).
        { what: 'lock', run: () => m.lead.request('lock', { locked: true }), seen: (v) => v.locked },
        { what: 'unlock', run: () => m.lead.request('lock', { locked: false }), seen: (v) => !v.locked },
        {
          what: 'timer reset',
          run: () => m.lead.request('timer', { action: 'reset' }),
          seen: (v) => v.timer.pausedRemainingMs === null && !running(v),
        },
      ];
      for (const step of steps) {
        const before = watcher.latest().rev;
        expect(await step.run(), step.what).toEqual(OK);
        const after = await watcher.waitForSession(step.seen, step.what);
        expect(after.rev, step.what).toBeGreaterThan(before);
      }
      for (const client of m.everyone) {
        const revs = client.sessions.map((v) => v.rev);
        expect(revs).toEqual([...revs].sort((a, b) => a - b));
      }
    });
  });

  /** A participant who joins now, over HTTP, and connects. */
  async function joinAndConnect(m: Meeting, name: string): Promise<SessionClient> {
    const joined = await joinBoard(server, m.board.id, name);
    return sessions.connect(server, { boardId: m.board.id, token: joined.token });
  }
});

describe('facilitation across a restart', () => {
  const server = useServer();
  const { sessions } = server;

  it('[session#timer][errors#durability] a running and a paused timer survive a restart, and clients that reconnect see them', async () => {
    const a = await liveMeeting(server, sessions, 1);
    const b = await liveMeeting(server, sessions, 1);
    const [memberA] = a.members as [SessionClient];
    const [memberB] = b.members as [SessionClient];
    expect(await a.lead.request('timer', { action: 'start', durationMs: 7 * MINUTE })).toEqual(OK);
    expect(await b.lead.request('timer', { action: 'start', durationMs: 9 * MINUTE })).toEqual(OK);
    expect(await b.lead.request('timer', { action: 'pause' })).toEqual(OK);
    const runningTimer: TimerState = (await memberA.waitForSession(running)).timer;
    const pausedTimer: TimerState = (await memberB.waitForSession((v) => v.timer.pausedRemainingMs !== null))
      .timer;
    const seenA = memberA.sessions.length;

    await server.restart();

    // The clients reconnect by themselves and get the state the server kept.
    await waitFor(() => memberA.sessions.length > seenA, 10_000, 'member A to reconnect');
    expect(memberA.sessions[seenA]?.timer).toEqual(runningTimer);
    expect((await freshView(server, sessions, a.board.id, a.facilitator)).timer).toEqual(runningTimer);
    expect((await freshView(server, sessions, b.board.id, b.participants[0] as Joined)).timer).toEqual(
      pausedTimer,
    );

    // And it goes on from there: the paused one resumes with what it had left.
    const lead = await sessions.connect(server, { boardId: b.board.id, token: b.facilitator.token });
    const beforeResume = Date.now();
    expect(await lead.request('timer', { action: 'resume' })).toEqual(OK);
    const resumed = await lead.waitForSession(running, 'the resume');
    expect(
      (resumed.timer.endsAt as number) - (pausedTimer.pausedRemainingMs as number),
    ).toBeGreaterThanOrEqual(beforeResume);
  });
});
