/**
 * Keeping a board open to the people it is for, tested as the attack it stops: joins are free
 * with the participant link, so a script could take every place (500 joins from one address in a
 * few seconds, and every later join — the facilitator's second device included — was 429
 * board_full). Now joins are bounded per address and board, and a facilitator always gets in.
 * A real server behind a stand-in for a reverse proxy (TRUST_PROXY, X-Forwarded-For), real HTTP.
 */
import { describe, expect, it } from 'vitest';
import type { Joined } from '../../shared/api';
import { OK } from '../helpers/expect';
import { useServerPerTest } from '../helpers/fixtures';
import { expectJsonError, rawHttp, type RawAnswer } from '../helpers/hostile';
import { createBoard, joinBoard, type TestServer } from '../helpers/server';
import { SessionClients } from '../helpers/session-clients';
import { boardSummary } from '../helpers/workshop';

/** A join sent through a reverse proxy from `address` (the server runs with TRUST_PROXY=1). */
function joinFrom(
  server: { url: string },
  boardId: string,
  address: string,
  body: Record<string, unknown>,
): Promise<RawAnswer> {
  return rawHttp(server, 'POST', `/api/boards/${boardId}/join`, {
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json', 'x-forwarded-for': address },
  });
}

const ATTACKER = '198.51.100.66';
const OFFICE = '203.0.113.7';
const LEAD_PHONE = '203.0.113.9';

describe('filling a board', () => {
  const servers = useServerPerTest();
  let server: TestServer | undefined;

  it('500 joins from one address in a few seconds take at most MAX_JOINS_PER_ADDRESS places (200 by default), 429 too_many_joins beyond; the team and the facilitator’s second device still join', async () => {
    server = await servers.start({ env: { TRUST_PROXY: '1' } });
    const board = await createBoard(server);
    await joinBoard(server, board.id, 'Lead', board.facilitatorKey);
    const answers: RawAnswer[] = [];
    for (let batch = 0; batch < 10; batch++) {
      answers.push(
        ...(await Promise.all(
          Array.from({ length: 50 }, (_, i) =>
            joinFrom(server as TestServer, board.id, ATTACKER, {
              name: `Bot ${batch * 50 + i}`,
            }),
          ),
        )),
      );
    }
    expect(answers.filter((answer) => answer.status === 200)).toHaveLength(200);
    for (const answer of answers.filter((a) => a.status !== 200)) {
      expectJsonError(answer, 429, 'too_many_joins');
    }
    expect((await boardSummary(server, board.id)).participants).toBe(201);

    // The team, from its own network, and the facilitator's phone: in.
    expect((await joinFrom(server, board.id, OFFICE, { name: 'Camille' })).status).toBe(200);
    const phone = await joinFrom(server, board.id, LEAD_PHONE, {
      name: 'Lead (phone)',
      facilitatorKey: board.facilitatorKey,
    });
    expect(phone.status).toBe(200);
    expect((phone.json as Joined).role).toBe('facilitator');
    // The count is kept under a keyed hash: the address itself is not stored.
    const stored = JSON.stringify(await server.running.store.loadSession(board.id));
    expect(stored).not.toContain(ATTACKER);
    expect(stored).not.toContain(OFFICE);
  });

  it('a full board refuses participants with board_full but never a facilitator; removing names frees places, not the address’s share', async () => {
    server = await servers.start({
      env: {
        TRUST_PROXY: '1',
        MAX_PARTICIPANTS: '4',
        MAX_JOINS_PER_ADDRESS: '2',
      },
    });
    const board = await createBoard(server);
    const lead = await joinBoard(server, board.id, 'Lead', board.facilitatorKey);
    const bots: Joined[] = [];
    for (const address of [ATTACKER, ATTACKER, '198.51.100.67']) {
      const answer = await joinFrom(server, board.id, address, { name: 'Bot' });
      expect(answer.status).toBe(200);
      bots.push(answer.json as Joined);
    }
    expectJsonError(await joinFrom(server, board.id, OFFICE, { name: 'Camille' }), 429, 'board_full');
    // The facilitator's second device, from the attacker's network, on a full board: in.
    const device = await joinFrom(server, board.id, ATTACKER, {
      name: 'Lead (tablet)',
      facilitatorKey: board.facilitatorKey,
    });
    expect(device.status).toBe(200);
    expect((await boardSummary(server, board.id)).participants).toBe(5);

    // The facilitator removes two bots: two places free up for the team.
    const sessions = new SessionClients();
    try {
      const leadClient = await sessions.connect(server, {
        boardId: board.id,
        token: lead.token,
      });
      for (const bot of bots.slice(0, 2)) {
        expect(
          await leadClient.request('removeParticipant', {
            participantId: bot.participantId,
          }),
        ).toEqual(OK);
      }
      expect((await boardSummary(server, board.id)).participants).toBe(3);
      // The attacker's address has had its two joins: removing its names does not give them back.
      expectJsonError(
        await joinFrom(server, board.id, ATTACKER, { name: 'Bot again' }),
        429,
        'too_many_joins',
      );
      expect((await joinFrom(server, board.id, OFFICE, { name: 'Camille' })).status).toBe(200);
      expect((await boardSummary(server, board.id)).participants).toBe(4);
      expectJsonError(await joinFrom(server, board.id, OFFICE, { name: 'Sam' }), 429, 'board_full');
      const listed = await leadClient.waitForSession((v) => v.participants.length === 4, 'four listed');
      expect(listed.participants.map((p) => p.name)).toEqual(['Lead', 'Bot', 'Lead (tablet)', 'Camille']);
    } finally {
      await sessions.closeAll();
    }
  });
});
