/**
 * Consent rounds and people leaving (docs/session.md#consent-rounds), and what a stage or an
 * observer sees of a round (docs/session.md#stage-connections): real socket.io clients against a
 * real server on a SQLite file.
 */
import { describe, expect, it } from 'vitest';
import type { Ack } from '../../shared/session/events';
import { liveMeeting, type Meeting } from '../helpers/facilitation';
import { OK } from '../helpers/expect';
import { useServer } from '../helpers/fixtures';
import type { SessionClient } from '../helpers/session-clients';
import { GoalWriter } from '../helpers/workshop';

const member = (m: Meeting, index: number): SessionClient => m.members[index] as SessionClient;

describe('consent rounds when people leave', () => {
  const server = useServer();
  const { sessions, sync } = server;

  async function roundOn(count: number, named: boolean) {
    const m = await liveMeeting(server, sessions, count);
    const writer = await GoalWriter.open(server, sync, m.board.id, m.facilitator);
    const [goalId] = (await writer.add([{ title: 'Grow our audience' }])) as [string];
    const ack = (await m.lead.request('consent', { action: 'start', goalId, named })) as Ack<{
      roundId: string;
    }>;
    if (!ack.ok) throw new Error(`the round was refused: ${ack.error.code}`);
    await Promise.all(m.everyone.map((c) => c.waitForSession((v) => v.consent.open !== null, 'open')));
    return { ...m, goalId, roundId: ack.roundId };
  }

  it('[session#consent-rounds] the round closes when the last participant who had not answered goes offline', async () => {
    const m = await roundOn(3, false);
    const { roundId, goalId } = m;
    expect(await member(m, 0).request('consentAnswer', { roundId, answer: 'yes' })).toEqual(OK);
    expect(
      await member(m, 1).request('consentAnswer', { roundId, answer: 'concern', text: 'Who owns it?' }),
    ).toEqual(OK);
    await m.lead.waitForSession((v) => v.consent.open?.answered === 2, '2 of 3 answered');
    expect(m.lead.latest().consent.open).not.toBeNull();
    member(m, 2).socket.disconnect();
    const view = await m.lead.waitForSession(
      (v) => v.consent.open === null && v.consent.results[goalId] !== undefined,
      'the round closed after the last one left',
    );
    expect(view.consent.results[goalId]).toMatchObject({
      yes: 1,
      concerns: [{ text: 'Who owns it?' }],
      objections: [],
    });
    await member(m, 0).waitForSession((v) => v.consent.results[goalId]?.yes === 1, 'the room sees it');
  });

  it('[session#consent-rounds][session#removing-someone] removing the last participant who had not answered closes the round', async () => {
    const m = await roundOn(2, true);
    const { roundId, goalId } = m;
    expect(
      await member(m, 0).request('consentAnswer', { roundId, answer: 'objection', text: 'No budget' }),
    ).toEqual(OK);
    await m.lead.waitForSession((v) => v.consent.open?.answered === 1, 'one answer');
    const removed = m.participants[1]?.participantId;
    expect(await m.lead.request('removeParticipant', { participantId: removed })).toEqual(OK);
    const view = await m.lead.waitForSession((v) => v.consent.results[goalId] !== undefined, 'closed');
    expect(view.consent.open).toBeNull();
    expect(view.consent.results[goalId]).toMatchObject({
      yes: 0,
      objections: [{ text: 'No budget', name: 'Member 1' }],
    });
  });

  it('[session#consent-rounds] someone leaving before anyone answered leaves the round open for the others', async () => {
    const m = await roundOn(2, false);
    const { roundId, goalId } = m;
    member(m, 1).socket.disconnect();
    await m.lead.waitForSession((v) => v.consent.open?.of === 1, 'the round waits for one');
    // The one still online is awaited: their answer closes the round, not the departure.
    expect(await member(m, 0).request('consentAnswer', { roundId, answer: 'yes' })).toEqual(OK);
    const view = await m.lead.waitForSession((v) => v.consent.results[goalId] !== undefined, 'closed');
    expect(view.consent.results[goalId]).toMatchObject({ yes: 1, concerns: [], objections: [] });
  });

  it('[session#stage-connections][session#observer-connections][session#consent-rounds] a stage and an observer see counts while a round is open, and a named result only after the close', async () => {
    const m = await roundOn(2, true);
    const { roundId, goalId } = m;
    const stage = await sessions.connect(server, { boardId: m.board.id, stage: true });
    const made = await fetch(`${server.url}/api/boards/${m.board.id}/observer`, {
      method: 'POST',
      headers: { authorization: `Bearer ${m.facilitator.token}` },
    });
    expect(made.status).toBe(201);
    const { key } = (await made.json()) as { key: string };
    const observer = await sessions.connect(server, { observer: key });
    expect(
      await member(m, 0).request('consentAnswer', { roundId, answer: 'concern', text: 'SECRET-REMARK' }),
    ).toEqual(OK);
    for (const watcher of [stage, observer]) {
      const open = await watcher.waitForSession((v) => v.consent.open?.answered === 1, 'one answered');
      expect(open.consent.open).toMatchObject({ named: true, answered: 1, of: 2, myAnswer: null });
      expect(JSON.stringify(watcher.sessions)).not.toContain('SECRET-REMARK');
      expect(JSON.stringify(watcher.sessions)).not.toContain('"concern"');
    }
    expect(await member(m, 1).request('consentAnswer', { roundId, answer: 'yes' })).toEqual(OK);
    for (const watcher of [stage, observer]) {
      const closed = await watcher.waitForSession((v) => v.consent.results[goalId] !== undefined, 'closed');
      expect(closed.consent.results[goalId]).toMatchObject({
        yes: 1,
        concerns: [{ text: 'SECRET-REMARK', name: 'Member 1' }],
      });
    }
  });
});
