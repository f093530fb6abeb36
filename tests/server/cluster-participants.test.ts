/**
 * Removing someone and bounding joins when several processes serve one board, against real
 * Atelier processes sharing one real PostgreSQL database and one real Redis: a removal made
 * through one process cuts the person off on the others too, and the joins one address may make
 * on a board are counted once for all processes.
 */
import { expect, it } from 'vitest';
import type { Joined } from '../../shared/api';
import { CLOSE } from '../../shared/sync';
import { startProcesses, useCluster } from '../helpers/cluster';
import { expectJsonError, rawHttp } from '../helpers/hostile';
import { describeWithRedis } from '../helpers/redis';
import { createBoard, joinBoard } from '../helpers/server';

describeWithRedis('removal and the join bound over several processes', () => {
  const { sync, sessions, services } = useCluster();

  it('a participant removed through one process is told and disconnected on the other, and their token opens nothing on either', async () => {
    const [a, b] = await startProcesses(2, await services());
    if (!a || !b) throw new Error('two processes');
    const board = await createBoard(a);
    const lead = await joinBoard(a, board.id, 'Lead', board.facilitatorKey);
    const mallory = await joinBoard(b, board.id, 'Mallory');
    const leadClient = await sessions.connect(a, { boardId: board.id, token: lead.token });
    const onB = await sessions.connect(b, { boardId: board.id, token: mallory.token });
    await leadClient.waitForSession((v) => v.participants.some((p) => p.id === mallory.participantId));
    const told = new Promise<void>((resolve) => onB.socket.once('removed', () => resolve()));
    const gone = new Promise<string>((resolve) => onB.socket.once('disconnect', (reason) => resolve(reason)));

    expect(await leadClient.request('removeParticipant', { participantId: mallory.participantId })).toEqual({
      ok: true,
    });
    await told;
    expect(await gone).toBe('io server disconnect');
    for (const server of [a, b]) {
      expect(await sessions.connectError(server, { boardId: board.id, token: mallory.token })).toBe(
        'removed',
      );
      const socket = sync.raw(server, `/sync/${board.id}?token=${encodeURIComponent(mallory.token)}`);
      expect((await socket.closed).code).toBe(CLOSE.badToken);
    }
  });

  it('joins from one address are counted once for every process', async () => {
    const [a, b] = await startProcesses(2, await services(), {
      TRUST_PROXY: '1',
      MAX_JOINS_PER_ADDRESS: '3',
    });
    if (!a || !b) throw new Error('two processes');
    const board = await createBoard(a);
    const join = (server: { url: string }) =>
      rawHttp(server, 'POST', `/api/boards/${board.id}/join`, {
        body: JSON.stringify({ name: 'Bot' }),
        headers: { 'content-type': 'application/json', 'x-forwarded-for': '198.51.100.66' },
      });
    const answers = [await join(a), await join(b), await join(a)];
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200]);
    expect((answers[0]?.json as Joined).role).toBe('participant');
    expectJsonError(await join(b), 429, 'too_many_joins');
    expectJsonError(await join(a), 429, 'too_many_joins');
  });
});
