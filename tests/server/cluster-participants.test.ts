/**
 * Who may be on a board when several processes serve it, against real Atelier processes sharing
 * one real PostgreSQL database and one real Redis: the joins one address may make on a board are
 * counted once for all processes.
 */
import { expect, it } from 'vitest';
import type { Joined } from '../../shared/api';
import { startProcesses, useCluster } from '../helpers/cluster';
import { expectJsonError, rawHttp } from '../helpers/hostile';
import { describeWithRedis } from '../helpers/redis';
import { createBoard } from '../helpers/server';

describeWithRedis('participants over several processes', () => {
  const { services } = useCluster();

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
