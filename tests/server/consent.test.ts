/**
 * Consent rounds (docs/session.md#consent-rounds) against a real server: real socket.io clients
 * on the session plane, goals written by a stock y-websocket provider, a real SQLite file across
 * a restart.
 */
import { describe, expect, it } from 'vitest';
import type { Ack } from '../../shared/session/events';
import type { SessionView } from '../../shared/session/state';
import { freshView, liveMeeting, member, participant, type Meeting } from '../helpers/facilitation';
import { OK, refused } from '../helpers/expect';
import { useServer } from '../helpers/fixtures';
import { GoalWriter } from '../helpers/workshop';
import { exportValidator } from '../helpers/export-schema';
import shippedBoardSchema from '../../shared/export/board-1.schema.json' with { type: 'json' };
import type { GoalsExport } from '../../shared/export/goals-export';

describe('consent rounds', () => {
  const server = useServer();
  const { sessions, sync } = server;

  /** A meeting of `count` participants and one goal on the board. */
  async function withGoal(count: number): Promise<Meeting & { goalId: string; writer: GoalWriter }> {
    const m = await liveMeeting(server, sessions, count);
    const writer = await GoalWriter.open(server, sync, m.board.id, m.facilitator);
    const [goalId] = await writer.add([{ title: 'Grow our audience' }]);
    return { ...m, goalId: goalId as string, writer };
  }

  async function start(m: Meeting & { goalId: string }, named: boolean): Promise<string> {
    const ack = (await m.lead.request('consent', { action: 'start', goalId: m.goalId, named })) as Ack<{
      roundId: string;
    }>;
    if (!ack.ok) throw new Error(`the round was refused: ${ack.error.code}`);
    await Promise.all(
      m.everyone.map((c) => c.waitForSession((v) => v.consent.open !== null, 'the round open')),
    );
    return ack.roundId;
  }

  const resultOf = (view: SessionView, goalId: string) => view.consent.results[goalId];

  it("[session#consent-rounds] nobody sees anyone else's answer in any event before the close; the last awaited answer closes the round", async () => {
    const m = await withGoal(3);
    const roundId = await start(m, false);
    expect(m.lead.latest().consent.open).toMatchObject({
      roundId,
      goalId: m.goalId,
      named: false,
      answered: 0,
      of: 3,
    });
    expect(
      await member(m, 0).request('consentAnswer', { roundId, answer: 'concern', text: 'SECRET-CONCERN' }),
    ).toEqual(OK);
    expect(await member(m, 1).request('consentAnswer', { roundId, answer: 'yes' })).toEqual(OK);
    await Promise.all(
      m.everyone.map((c) => c.waitForSession((v) => v.consent.open?.answered === 2, '2 of 3')),
    );
    expect(member(m, 0).latest().consent.open?.myAnswer).toEqual({
      answer: 'concern',
      text: 'SECRET-CONCERN',
    });
    expect(member(m, 1).latest().consent.open?.myAnswer).toEqual({ answer: 'yes', text: '' });
    expect(member(m, 2).latest().consent.open?.myAnswer).toBeNull();
    // Every event anyone but the author received so far: the concern appears in none of them.
    for (const client of [m.lead, member(m, 1), member(m, 2)]) {
      expect(JSON.stringify(client.sessions)).not.toContain('SECRET-CONCERN');
      expect(JSON.stringify(client.sessions)).not.toContain('"concern"');
    }
    // A changed answer replaces the first; the third answer closes the round by itself.
    expect(
      await member(m, 1).request('consentAnswer', { roundId, answer: 'objection', text: 'Too vague' }),
    ).toEqual(OK);
    expect(await member(m, 2).request('consentAnswer', { roundId, answer: 'yes' })).toEqual(OK);
    await Promise.all(
      m.everyone.map((c) =>
        c.waitForSession((v) => v.consent.open === null && resultOf(v, m.goalId) !== undefined, 'closed'),
      ),
    );
    expect(resultOf(m.lead.latest(), m.goalId)).toEqual({
      goalId: m.goalId,
      yes: 1,
      concerns: [{ text: 'SECRET-CONCERN' }],
      objections: [{ text: 'Too vague' }],
      closedAt: expect.any(Number),
    });
    // Closed: an answer now is refused and changes nothing.
    expect(
      await member(m, 2).request('consentAnswer', { roundId, answer: 'objection', text: 'Late' }),
    ).toEqual(refused('consent_closed'));
  });

  it('[session#consent-rounds] a concern or an objection needs its text; bad requests and a second round are refused', async () => {
    const m = await withGoal(2);
    expect(
      await m.lead.request('consent', { action: 'start', goalId: 'goal-00000404', named: true }),
    ).toEqual(refused('unknown_goal'));
    expect(await member(m, 0).request('consent', { action: 'start', goalId: m.goalId, named: true })).toEqual(
      refused('not_facilitator'),
    );
    const roundId = await start(m, true);
    expect(await m.lead.request('consent', { action: 'start', goalId: m.goalId, named: true })).toEqual(
      refused('consent_open'),
    );
    for (const payload of [
      { roundId, answer: 'concern' },
      { roundId, answer: 'objection', text: '   ' },
      { roundId, answer: 'objection', text: 'x'.repeat(501) },
    ]) {
      const ack = await member(m, 0).request('consentAnswer', payload);
      expect(ack).toEqual(refused('bad_request'));
      expect(ack.ok === false && ack.error.message).toContain('text');
    }
    expect(await member(m, 0).request('consentAnswer', { roundId, answer: 'maybe' })).toEqual(
      refused('bad_request'),
    );
    expect(await member(m, 0).request('consentAnswer', { roundId: 'round-00000404', answer: 'yes' })).toEqual(
      refused('consent_closed'),
    );
    await m.lead.waitForSession((v) => v.consent.open?.answered === 0, 'nothing answered');
    expect(m.lead.latest().consent.open?.answered).toBe(0);
  });

  it('[session#consent-rounds] a named round records names with the remarks; the facilitator may close it before everyone answered', async () => {
    const m = await withGoal(3);
    const roundId = await start(m, true);
    expect(
      await member(m, 0).request('consentAnswer', { roundId, answer: 'objection', text: 'No owner yet' }),
    ).toEqual(OK);
    expect(
      await member(m, 1).request('consentAnswer', { roundId, answer: 'concern', text: 'Tight deadline' }),
    ).toEqual(OK);
    await m.lead.waitForSession((v) => v.consent.open?.answered === 2, '2 answered');
    expect(await member(m, 0).request('consent', { action: 'close', roundId })).toEqual(
      refused('not_facilitator'),
    );
    expect(await m.lead.request('consent', { action: 'close', roundId })).toEqual({ ok: true, roundId });
    const view = await member(m, 2).waitForSession((v) => resultOf(v, m.goalId) !== undefined, 'the result');
    expect(view.consent.open).toBeNull();
    expect(resultOf(view, m.goalId)).toMatchObject({
      yes: 0,
      concerns: [{ text: 'Tight deadline', name: 'Member 2' }],
      objections: [{ text: 'No owner yet', name: 'Member 1' }],
    });
    expect(await m.lead.request('consent', { action: 'close', roundId })).toEqual(refused('consent_closed'));
  });

  it('[session#consent-rounds][session#lock] an answer is refused while the board is locked and goes through after', async () => {
    const m = await withGoal(2);
    const roundId = await start(m, false);
    expect(await m.lead.request('lock', { locked: true })).toEqual(OK);
    expect(await member(m, 0).request('consentAnswer', { roundId, answer: 'yes' })).toEqual(
      refused('locked'),
    );
    expect(await m.lead.request('lock', { locked: false })).toEqual(OK);
    expect(await member(m, 0).request('consentAnswer', { roundId, answer: 'yes' })).toEqual(OK);
    await m.lead.waitForSession((v) => v.consent.open?.answered === 1, 'the answer after the unlock');
  });

  it('[session#consent-rounds] the open round, its answers and the results survive a restart', async () => {
    const m = await withGoal(2);
    const first = await start(m, false);
    expect(await member(m, 0).request('consentAnswer', { roundId: first, answer: 'yes' })).toEqual(OK);
    expect(await m.lead.request('consent', { action: 'close', roundId: first })).toEqual({
      ok: true,
      roundId: first,
    });
    await m.lead.waitForSession((v) => v.consent.open === null, 'closed');
    const second = await start(m, true);
    expect(
      await member(m, 1).request('consentAnswer', { roundId: second, answer: 'concern', text: 'Kept' }),
    ).toEqual(OK);
    await sessions.closeAll();
    await server.restart();
    const view = await freshView(server, sessions, m.board.id, participant(m, 1));
    expect(view.consent.open).toMatchObject({
      roundId: second,
      answered: 1,
      myAnswer: { answer: 'concern', text: 'Kept' },
    });
    expect(resultOf(view, m.goalId)).toMatchObject({ yes: 1, concerns: [], objections: [] });
  });
  it('[export#consent-fields][session#consent-rounds] every export carries the result of a closed round, valid against its schema', async () => {
    const m = await withGoal(2);
    const roundId = await start(m, true);
    expect(
      await member(m, 0).request('consentAnswer', { roundId, answer: 'objection', text: 'No baseline yet' }),
    ).toEqual(OK);
    expect(await member(m, 1).request('consentAnswer', { roundId, answer: 'yes' })).toEqual(OK);
    await m.lead.waitForSession((v) => resultOf(v, m.goalId) !== undefined, 'closed by the last answer');
    const auth = { authorization: `Bearer ${m.facilitator.token}` };
    const base = `${server.url}/api/boards/${m.board.id}`;
    const goals = (await (await fetch(`${base}/export?status=all`, { headers: auth })).json()) as GoalsExport;
    expect(exportValidator()(goals)).toEqual([]);
    expect(goals.goals[0]?.consent).toEqual({
      yes: 1,
      concerns: [],
      objections: [{ text: 'No baseline yet', name: 'Member 1' }],
      closedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    const file = (await (await fetch(`${base}/board.json`, { headers: auth })).json()) as {
      goals: Array<{ consent?: unknown }>;
    };
    expect(exportValidator(shippedBoardSchema)(file)).toEqual([]);
    expect(file.goals[0]?.consent).toEqual(goals.goals[0]?.consent);
    const markdown = await (await fetch(`${base}/export.md?status=all`, { headers: auth })).text();
    expect(markdown).toContain('Consent: 1 yes, 0 with a concern, 1 objection');
    expect(markdown).toContain('Objection (Member 1): No baseline yet');
  });
  it("[session#consent-rounds][session#removing-someone] a removed participant's answer goes; a round on a deleted goal gives way to a new one", async () => {
    const m = await withGoal(3);
    const roundId = await start(m, true);
    expect(
      await member(m, 0).request('consentAnswer', { roundId, answer: 'objection', text: 'Remove me' }),
    ).toEqual(OK);
    await m.lead.waitForSession((v) => v.consent.open?.answered === 1, 'one answer');
    expect(
      await m.lead.request('removeParticipant', { participantId: participant(m, 0).participantId }),
    ).toEqual(OK);
    await m.lead.waitForSession((v) => v.consent.open?.answered === 0, 'the answer gone');
    await m.writer.delete(m.goalId);
    await m.lead.waitForSession((v) => v.consent.results[m.goalId] === undefined, 'the goal gone');
    const [other] = await m.writer.add([{ title: 'Know our audience' }]);
    const ack = await m.lead.request('consent', { action: 'start', goalId: other, named: false });
    expect(ack).toMatchObject({ ok: true, roundId: expect.any(String) });
    await m.lead.waitForSession((v) => v.consent.open?.goalId === other, 'the new round');
  });
});
