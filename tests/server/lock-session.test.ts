/**
 * The board lock on the session plane (docs/session.md#lock) against a real server, with real
 * socket.io clients: while the board is locked, every request by which a participant changes
 * something is answered `locked` and changes nothing — not the stored session, not what anyone is
 * shown — and the same request goes through once the board is unlocked. Reactions still pass;
 * facilitators are never refused.
 */
import { describe, expect, it } from 'vitest';
import { HANDLERS } from '../../server/session/handlers';
import type { Ack, ClientEventName } from '../../shared/session/events';
import type { SessionView } from '../../shared/session/state';
import { OK, firstQuestion, refused, sessionSentinel } from '../helpers/expect';
import { liveMeeting, openPulse, storedDoc, type Meeting } from '../helpers/facilitation';
import { useServer } from '../helpers/fixtures';
import type { SessionClient } from '../helpers/session-clients';
import { GoalWriter } from '../helpers/workshop';

const member = (m: Meeting, index: number): SessionClient => m.members[index] as SessionClient;

interface LockedMeeting extends Meeting {
  goals: string[];
  /** A private question, and an answer the second participant holds on it. */
  questionId: string;
  answerId: string;
  /** An open check-in, for the first goal (agreed). */
  checkinId: string;
  /** An open consent round, on the second goal. */
  roundId: string;
}

/**
 * What the lock does to each request a participant may send, and such requests (who sends what)
 * that succeed when the board is not locked. Every participant event must be listed: the first
 * test fails when one is added to the server without being listed here.
 */
const PARTICIPANT_REQUESTS: Partial<
  Record<
    ClientEventName,
    { whileLocked: 'refused' | 'allowed'; requests: (m: LockedMeeting) => Array<[SessionClient, object]> }
  >
> = {
  // New votes from both, and the second taking back the vote they held before the lock.
  vote: {
    whileLocked: 'refused',
    requests: (m) => [
      [member(m, 0), { goalId: m.goals[1], delta: 1 }],
      [member(m, 1), { goalId: m.goals[1], delta: 1 }],
      [member(m, 1), { goalId: m.goals[0], delta: -1 }],
    ],
  },
  // A first answer from one, a changed answer from the other.
  pulse: {
    whileLocked: 'refused',
    requests: (m) => [
      [member(m, 0), { score: 2, help: 'Fewer meetings' }],
      [member(m, 1), { score: 5 }],
    ],
  },
  reaction: { whileLocked: 'allowed', requests: (m) => [[member(m, 0), { emoji: '👏' }]] },
  // Saying one is done is not content (docs/session.md#ready).
  ready: { whileLocked: 'allowed', requests: (m) => [[member(m, 0), { done: true }]] },
  // docs/session.md#private-and-anonymous-answers: a new held answer, a change and a delete of one.
  answer: {
    whileLocked: 'refused',
    requests: (m) => [[member(m, 0), { questionId: m.questionId, text: 'Written while locked' }]],
  },
  answerEdit: {
    whileLocked: 'refused',
    requests: (m) => [[member(m, 1), { answerId: m.answerId, text: 'Changed while locked' }]],
  },
  answerDelete: { whileLocked: 'refused', requests: (m) => [[member(m, 1), { answerId: m.answerId }]] },
  // docs/session.md#check-ins: a record of the agreed goal's value in the open check-in.
  checkinRecord: {
    whileLocked: 'refused',
    requests: (m) => [
      [member(m, 0), { checkinId: m.checkinId, goalId: m.goals[0], current: 12, confidence: 'at-risk' }],
    ],
  },
  // docs/session.md#consent-rounds: an objection in the open round.
  consentAnswer: {
    whileLocked: 'refused',
    requests: (m) => [[member(m, 0), { roundId: m.roundId, answer: 'objection', text: 'Not measurable' }]],
  },
};

/** The listed requests of the events the lock `refused` or `allowed`. */
function requestsWhere(
  whileLocked: 'refused' | 'allowed',
  m: LockedMeeting,
): Array<[string, SessionClient, object]> {
  return Object.entries(PARTICIPANT_REQUESTS).flatMap(([event, listed]) =>
    listed?.whileLocked === whileLocked
      ? listed
          .requests(m)
          .map(([client, payload]): [string, SessionClient, object] => [event, client, payload])
      : [],
  );
}

/** What a participant's refused request could have changed, as one person sees it. */
function changeable(view: SessionView): object {
  return {
    myVotes: view.myVotes,
    tallies: view.tallies,
    voting: view.voting,
    pulse: view.pulse,
    heldCounts: view.heldCounts,
    myAnswers: view.myAnswers,
    consent: view.consent,
  };
}

describe('board lock on the session plane', () => {
  const server = useServer();
  const { sessions, sync } = server;

  async function lock(m: Meeting, locked: boolean): Promise<void> {
    expect(await m.lead.request('lock', { locked })).toEqual(OK);
    await Promise.all(
      m.everyone.map((client) => client.waitForSession((v) => v.locked === locked, 'the lock')),
    );
  }

  /**
   * Two goals on the board, voting open, the pulse open (at the wrap-up), and the second
   * participant holding a vote and a pulse answer from before the lock.
   */
  async function meeting(): Promise<LockedMeeting> {
    const m = await openPulse(await liveMeeting(server, sessions, 2));
    const writer = await GoalWriter.open(server, sync, m.board.id, m.facilitator);
    const goals = await writer.add([{ title: 'Grow our audience' }, { title: 'Measure social ROI' }]);
    expect(await m.lead.request('voting', { open: true })).toEqual(OK);
    await Promise.all(m.everyone.map((client) => client.waitForSession((v) => v.voting.open, 'voting')));
    expect(await member(m, 1).request('vote', { goalId: goals[0], delta: 1 })).toMatchObject({ ok: true });
    expect(await member(m, 1).request('pulse', { score: 4 })).toEqual(OK);
    await m.lead.waitForSession(
      (v) => v.pulse.count === 1 && v.voting.votesCast === 1,
      'the vote and answer',
    );
    const questionId = firstQuestion(await storedDoc(server, m.board.id));
    expect(await m.lead.request('questionMode', { questionId, private: true })).toEqual(OK);
    const held = (await member(m, 1).request('answer', {
      questionId,
      text: 'Held before the lock',
    })) as Ack<{ answerId: string }>;
    if (!held.ok) throw new Error('the answer was refused');
    await m.lead.waitForSession((v) => v.heldCounts[questionId] === 1, 'the held answer');
    expect(await m.lead.request('agree', { goalId: goals[0], agreed: true })).toEqual(OK);
    const started = (await m.lead.request('checkin', { action: 'start', date: '2027-01-15' })) as Ack<{
      checkinId: string;
    }>;
    if (!started.ok) throw new Error('the check-in was refused');
    const round = (await m.lead.request('consent', {
      action: 'start',
      goalId: goals[1],
      named: false,
    })) as Ack<{
      roundId: string;
    }>;
    if (!round.ok) throw new Error('the consent round was refused');
    return {
      ...m,
      goals,
      questionId,
      answerId: held.answerId,
      checkinId: started.checkinId,
      roundId: round.roundId,
    };
  }

  it('[session#lock] every participant event declares what the lock does to it, as this test expects', () => {
    const declared = Object.fromEntries(
      Object.entries(HANDLERS).flatMap(([name, handler]) =>
        handler.facilitatorOnly ? [] : [[name, handler.whileLocked]],
      ),
    );
    const expected = Object.fromEntries(
      Object.entries(PARTICIPANT_REQUESTS).map(([name, { whileLocked }]) => [name, whileLocked]),
    );
    expect(declared).toEqual(expected);
  });

  it("[session#lock][session#votes][session#pulse] while locked, a participant's votes and pulse answers are refused with locked and change nothing; after the unlock the same requests go through", async () => {
    const m = await meeting();
    await lock(m, true);
    const storedBefore = await server.running.store.loadSession(m.board.id);
    const seenBefore = m.everyone.map((client) => changeable(client.latest()));

    const refusedRequests = requestsWhere('refused', m);
    expect(refusedRequests.length).toBeGreaterThan(0);
    const from = m.everyone.map((client) => client.sessions.length);
    for (const [event, client, payload] of refusedRequests) {
      expect(await client.request(event, payload), `${event} ${JSON.stringify(payload)}`).toEqual(
        refused('locked'),
      );
    }

    // Nothing stored; and nothing broadcast: a change the facilitator makes afterwards (the timer)
    // comes in a session event that shows the same votes, tallies and pulse as before, and so
    // does every event in between.
    expect(await server.running.store.loadSession(m.board.id)).toEqual(storedBefore);
    const at = await sessionSentinel(
      m.everyone,
      () => m.lead.request('timer', { action: 'start', durationMs: 60_000 }),
      (view) => view.timer.endsAt !== null,
    );
    m.everyone.forEach((client, i) => {
      for (const view of client.sessions.slice(from[i], (at[i] as number) + 1)) {
        expect(changeable(view)).toEqual(seenBefore[i]);
      }
    });

    await lock(m, false);
    for (const [event, client, payload] of refusedRequests) {
      expect(
        await client.request(event, payload),
        `${event} ${JSON.stringify(payload)} after the unlock`,
      ).toMatchObject({ ok: true });
    }
    const after = await m.lead.waitForSession(
      (v) => v.voting.votesCast === 2 && v.pulse.count === 2,
      'the votes and answers made after the unlock',
    );
    expect(after.tallies).toEqual({ [m.goals[1] as string]: 2 });
  });

  it('[session#lock] while locked, a facilitator still votes, runs the voting, agrees, runs the timer and moves the phase', async () => {
    const m = await meeting();
    await lock(m, true);
    const goal = m.goals[1] as string;
    expect(await m.lead.request('vote', { goalId: goal, delta: 1 })).toEqual({
      ok: true,
      myVotes: { [goal]: 1 },
    });
    expect(await m.lead.request('voting', { revealed: true })).toEqual(OK);
    expect(await m.lead.request('agree', { goalId: goal, agreed: true })).toEqual(OK);
    expect(await m.lead.request('timer', { action: 'start' })).toEqual(OK);
    expect(await m.lead.request('phase', { phase: 'agree' })).toEqual(OK);
    // Facilitators never answer the pulse, lock or not.
    expect(await m.lead.request('pulse', { score: 3 })).toEqual(refused('not_participant'));
    const view = await member(m, 0).waitForSession(
      (v) => v.phase === 'agree' && v.agreed.includes(goal) && v.voting.revealed,
      'what the facilitator did while locked',
    );
    expect(view.locked).toBe(true);
    expect(view.tallies).toEqual({ [m.goals[0] as string]: 1, [goal]: 1 });
  });

  it('[session#lock][session#reactions] while locked, a participant still reacts: the reaction reaches everyone', async () => {
    const m = await meeting();
    await lock(m, true);
    for (const [event, client, payload] of requestsWhere('allowed', m)) {
      expect(await client.request(event, payload), event).toEqual(OK);
    }
    for (const client of m.everyone) {
      await client.waitForSession(() => client.reactions.some((r) => r.emoji === '👏'), 'the reaction');
    }
    expect(m.lead.reactions).toContainEqual({ emoji: '👏', participantId: m.participants[0]?.participantId });
  });
});
