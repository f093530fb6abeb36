/**
 * W4 vote burst (Atelier's session plane, socket.io): a facilitator and P participants joined over
 * HTTP, 10 goals written into the document through a provider, voting opened; then every
 * participant casts 3 votes at once (the whole burst leaves within a few milliseconds, well
 * inside one second). Every acknowledgement must be ok and the facilitator's `session` tallies
 * exact; the total runs from the first vote sent to the later of the last acknowledgement and
 * the exact tally arriving.
 */
import type { Socket } from 'socket.io-client';
import { addGoal } from '../../shared/board/goals';
import { CpuMeter, waitForQuiet } from '../lib/proc';
import { percentileOf } from '../lib/stats';
import {
  connectSession,
  createBoard,
  joinBoard,
  openProbe,
  sleep,
  waitFor,
  type RunningServer,
} from '../lib/targets';

export interface VotesResult {
  participants: number;
  votes: number;
  acksOk: number;
  ackP50: number | null;
  ackP99: number | null;
  /** First vote sent → last acknowledgement. */
  ackedMs: number;
  /** First vote sent → the facilitator's `session` event with the exact tallies. */
  talliedMs: number | null;
  totalMs: number | null;
  tallyExact: boolean;
  serverCpu: number;
  otherCpu: number;
}

interface View {
  voting: { open: boolean };
  tallies: Record<string, number> | null;
}

export async function runVotes(server: RunningServer, participants: number): Promise<VotesResult> {
  const board = await createBoard(server);
  const facilitator = await joinBoard(server, board.id, 'Lead', board.facilitatorKey);
  const joined = [];
  for (let i = 0; i < participants; i += 10) {
    const batch = [];
    for (let j = i; j < Math.min(participants, i + 10); j++)
      batch.push(joinBoard(server, board.id, `Member ${j + 1}`));
    joined.push(...(await Promise.all(batch)));
  }

  const writer = openProbe(server, board.id, { token: facilitator.token, echoAwareness: false });
  const sockets: Socket[] = [];
  try {
    await waitFor(() => writer.synced, 15_000, 'the facilitator provider to sync');
    const goals: string[] = [];
    for (let g = 0; g < 10; g++)
      goals.push(addGoal(writer.doc, { title: `Goal ${g + 1}` }, facilitator.participantId));
    const deadline = performance.now() + 15_000;
    for (;;) {
      const summary = (await (await fetch(`${server.httpUrl}/api/boards/${board.id}`)).json()) as {
        goals: number;
      };
      if (summary.goals === 10) break;
      if (performance.now() > deadline) throw new Error('the server never saw the 10 goals');
      await sleep(20);
    }

    const lead = await connectSession(server, board.id, facilitator.token);
    sockets.push(lead);
    for (let i = 0; i < joined.length; i += 20) {
      const batch = joined.slice(i, i + 20).map((p) => connectSession(server, board.id, p.token));
      sockets.push(...(await Promise.all(batch)));
    }
    const views: View[] = [];
    lead.on('session', (view: View) => views.push(view));
    const opened = (await lead.timeout(10_000).emitWithAck('voting', { open: true })) as { ok: boolean };
    if (!opened.ok) throw new Error(`voting did not open: ${JSON.stringify(opened)}`);
    await sleep(300);

    const expected: Record<string, number> = {};
    for (const goal of goals) expected[goal] = 0;
    for (let i = 0; i < participants; i++)
      for (let j = 0; j < 3; j++) expected[goals[(i + j) % 10] as string]! += 1;
    const exact = (view: View): boolean =>
      view.tallies !== null &&
      goals.every((goal) => (view.tallies as Record<string, number>)[goal] === expected[goal]);

    await waitForQuiet([server.pid], 20_000);
    const meter = new CpuMeter(server.pid);
    let talliedAt: number | null = null;
    lead.on('session', (view: View) => {
      if (talliedAt === null && exact(view)) talliedAt = performance.now();
    });
    const started = performance.now();
    const acks: Array<Promise<{ ms: number; ok: boolean }>> = [];
    for (let i = 0; i < participants; i++) {
      const socket = sockets[i + 1] as Socket;
      for (let j = 0; j < 3; j++) {
        const sent = performance.now();
        acks.push(
          (
            socket.timeout(10_000).emitWithAck('vote', { goalId: goals[(i + j) % 10], delta: 1 }) as Promise<{
              ok: boolean;
            }>
          )
            .then((ack) => ({ ms: performance.now() - sent, ok: ack.ok === true }))
            .catch(() => ({ ms: performance.now() - sent, ok: false })),
        );
      }
    }
    const results = await Promise.all(acks);
    const ackedMs = performance.now() - started;
    await waitFor(() => talliedAt !== null, 10_000, 'exact tallies').catch(() => undefined);
    const usage = meter.read();
    const tallied = talliedAt as number | null;
    const talliedMs = tallied === null ? null : tallied - started;
    const times = results.map((r) => r.ms);
    return {
      participants,
      votes: results.length,
      acksOk: results.filter((r) => r.ok).length,
      ackP50: percentileOf(times, 50),
      ackP99: percentileOf(times, 99),
      ackedMs,
      talliedMs,
      totalMs: talliedMs === null ? null : Math.max(ackedMs, talliedMs),
      tallyExact: talliedMs !== null,
      serverCpu: usage.serverCpu,
      otherCpu: usage.otherCpu,
    };
  } finally {
    for (const socket of sockets) socket.disconnect();
    writer.destroy();
  }
}
