/**
 * Stage connections (docs/session.md#stage-connections): the room's shared screen watches the
 * meeting with the board's link alone, sees what a participant sees, is nobody, and sends nothing.
 */
import { describe, expect, it } from 'vitest';
import type { Joined } from '../../shared/api';
import { newId } from '../../shared/ids';
import { ClientPayload, isClientEventName } from '../../shared/session/events';
import type { SessionView } from '../../shared/session/state';
import { OK, reactionSentinel, sessionSentinel } from '../helpers/expect';
import { useServer } from '../helpers/fixtures';
import { createBoard, joinBoard } from '../helpers/server';
import { GoalWriter } from '../helpers/workshop';

const TIMER_START = { action: 'start', durationMs: 5 * 60_000 };
const timerRunning = (view: SessionView): boolean => view.timer.endsAt !== null;

describe('stage connections', () => {
  const server = useServer();
  const clients = server.sessions;

  async function meeting(): Promise<{ boardId: string; lead: Joined; member: Joined }> {
    const board = await createBoard(server);
    const lead = await joinBoard(server, board.id, 'Lead', board.facilitatorKey);
    const member = await joinBoard(server, board.id, 'Member');
    return { boardId: board.id, lead, member };
  }

  it('[session#stage-connections] sees the phase and the vote progress, never a tally before the reveal, and every reaction', async () => {
    const { boardId, lead, member } = await meeting();
    const writer = await GoalWriter.open(server, server.sync, boardId, lead);
    const [goal] = (await writer.add([{ title: 'Grow our audience' }])) as [string];
    const facilitator = await clients.connect(server, { boardId, token: lead.token });
    const voter = await clients.connect(server, { boardId, token: member.token });
    const stage = await clients.connect(server, { boardId, stage: true });

    await sessionSentinel(
      [stage],
      () => facilitator.request('phase', { phase: 'prioritise' }),
      (view) => view.phase === 'prioritise',
    );
    await sessionSentinel(
      [stage],
      () => facilitator.request('voting', { open: true }),
      (view) => view.voting.open,
    );
    expect((await voter.request('vote', { goalId: goal, delta: 1 })).ok).toBe(true);
    const counted = await stage.waitForSession((view) => view.voting.votesCast === 1, 'the vote counted');
    expect(counted.voting.voters).toBe(1);
    // The facilitator sees the tally; the stage, opened with no one's token, does not.
    expect(facilitator.latest().tallies).toEqual({ [goal]: 1 });
    expect(stage.sessions.every((view) => view.tallies === null)).toBe(true);
    expect(counted.myVotes).toEqual({});
    expect(counted.pulse.mayAnswer).toBe(false);

    await sessionSentinel(
      [stage],
      () => facilitator.request('voting', { revealed: true }),
      (view) => view.voting.revealed,
    );
    expect(stage.latest().tallies).toEqual({ [goal]: 1 });

    const sentinel = await reactionSentinel(voter, [stage]);
    expect(sentinel.participantId).toBe(member.participantId);
  });

  it('[session#stage-connections] is nobody: no one added to the people list, no one more online', async () => {
    const { boardId, lead, member } = await meeting();
    const facilitator = await clients.connect(server, { boardId, token: lead.token });
    await clients.connect(server, { boardId, token: member.token });
    const everyoneOnline = await facilitator.waitForSession(
      (view) => view.participants.every((p) => p.online),
      'both online',
    );
    const stage = await clients.connect(server, { boardId, stage: true });
    // A change after the stage connected: the state that shows it is the one the stage's arrival
    // would have changed, had it counted.
    await sessionSentinel(
      [facilitator, stage],
      () => facilitator.request('timer', TIMER_START),
      timerRunning,
    );
    for (const view of [facilitator.latest(), stage.latest()]) {
      expect(view.participants).toEqual(everyoneOnline.participants);
    }
    const summary = (await (await fetch(`${server.url}/api/boards/${boardId}`)).json()) as {
      participants: number;
    };
    expect(summary.participants).toBe(2);
  });

  it('[session#stage-connections] answers every request not_participant and changes nothing', async () => {
    const { boardId, lead } = await meeting();
    const facilitator = await clients.connect(server, { boardId, token: lead.token });
    const stage = await clients.connect(server, { boardId, stage: true });
    const before = stage.latest();
    const refusal = { ok: false, error: { code: 'not_participant', message: expect.any(String) } };
    const payloads: Record<string, unknown> = {
      vote: { goalId: newId(), delta: 1 },
      voting: { open: true },
      agree: { goalId: newId(), agreed: true },
      phase: { phase: 'goals' },
      timer: TIMER_START,
      lock: { locked: true },
      pulse: { score: 3 },
      pulseResults: { shown: true },
      removeParticipant: { participantId: lead.participantId },
      reaction: { emoji: '👍' },
    };
    for (const event of Object.keys(ClientPayload).filter(isClientEventName)) {
      expect({ event, ack: await stage.request(event, payloads[event]) }).toEqual({ event, ack: refusal });
    }
    expect(await stage.request('noSuchEvent', {})).toEqual(refusal);
    // Nothing changed: a harmless change of the facilitator's is the next thing the stage sees.
    await sessionSentinel([stage], () => facilitator.request('timer', TIMER_START), timerRunning);
    const after = stage.latest();
    expect({ phase: after.phase, locked: after.locked, voting: after.voting.open }).toEqual({
      phase: before.phase,
      locked: before.locked,
      voting: before.voting.open,
    });
    expect(after.participants.map((p) => p.id)).toContain(lead.participantId);
    expect(stage.reactions).toEqual([]);
    expect(await facilitator.request('reaction', { emoji: '👍' })).toEqual(OK);
  });

  it('[session#connecting] refuses a stage for a board that does not exist, and a malformed stage auth', async () => {
    expect(await clients.connectError(server, { boardId: newId(), stage: true })).toBe('unknown_board');
    const board = await createBoard(server);
    expect(await clients.connectError(server, { boardId: board.id, stage: 'yes' })).toBe('bad_request');
    expect(await clients.connectError(server, { boardId: board.id })).toBe('bad_request');
  });
});
