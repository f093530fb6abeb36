/**
 * The consent columns of the goals CSV served over HTTP (docs/export.md#consent-fields,
 * docs/http.md#summary-exports): a round held with real socket.io clients, then the file as a
 * facilitator downloads it.
 */
import { describe, expect, it } from 'vitest';
import type { Ack } from '../../shared/session/events';
import { liveMeeting } from '../helpers/facilitation';
import { OK } from '../helpers/expect';
import { useServer } from '../helpers/fixtures';
import type { SessionClient } from '../helpers/session-clients';
import { GoalWriter } from '../helpers/workshop';

describe('consent in the CSV export', () => {
  const server = useServer();
  const { sessions, sync } = server;

  it('[export#consent-fields][export#csv][http#summary-exports] the CSV gains the consent columns once a round closed, with names in a named round', async () => {
    const m = await liveMeeting(server, sessions, 2);
    const writer = await GoalWriter.open(server, sync, m.board.id, m.facilitator);
    const [goalId] = (await writer.add([{ title: 'Grow our audience' }])) as [string];
    const auth = { authorization: `Bearer ${m.facilitator.token}` };
    const url = (query: string) => `${server.url}/api/boards/${m.board.id}/export.csv?status=all${query}`;
    const before = await (await fetch(url(''), { headers: auth })).text();
    expect(before).not.toContain('Consent');

    const ack = (await m.lead.request('consent', { action: 'start', goalId, named: true })) as Ack<{
      roundId: string;
    }>;
    if (!ack.ok) throw new Error(ack.error.code);
    const [first, second] = m.members as [SessionClient, SessionClient];
    await first.waitForSession((v) => v.consent.open !== null, 'the round open');
    expect(
      await first.request('consentAnswer', { roundId: ack.roundId, answer: 'objection', text: '+No owner' }),
    ).toEqual(OK);
    expect(await second.request('consentAnswer', { roundId: ack.roundId, answer: 'yes' })).toEqual(OK);
    await m.lead.waitForSession((v) => v.consent.results[goalId] !== undefined, 'closed');

    const lines = (await (await fetch(url(''), { headers: auth })).text()).split('\r\n');
    expect(lines[0]).toMatch(/,Agreed,Consent,Concerns and objections$/);
    expect(lines[1]).toMatch(/,1 yes \/ 0 concerns \/ 1 objection,Objection \(Member 1\): \+No owner$/);
    const semicolon = await (await fetch(url('&delimiter=semicolon'), { headers: auth })).text();
    expect(semicolon.split('\r\n')[1]).toMatch(
      /;1 yes \/ 0 concerns \/ 1 objection;Objection \(Member 1\): \+No owner$/,
    );
  });
});
