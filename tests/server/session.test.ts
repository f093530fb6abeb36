/** The session plane (docs/session.md#session-plane) with real socket.io clients against a real server. */
import { describe, expect, it } from 'vitest';
import { createTokenSigner } from '../../server/auth/tokens';
import { BROADCAST_INTERVAL_MS } from '../../server/session/room';
import type { CreatedBoard, Joined } from '../../shared/api';
import { newId } from '../../shared/ids';
import type { SessionView } from '../../shared/session/state';
import { reactionSentinel, sessionSentinel, sleep, waitFor } from '../helpers/expect';
import { useServer, useServerPerTest } from '../helpers/fixtures';
import type { SessionClient } from '../helpers/session-clients';
import { createBoard, joinBoard, type TestServer } from '../helpers/server';

interface Meeting {
  board: CreatedBoard;
  facilitator: Joined;
  participants: Joined[];
}

/** A board with a facilitator and `count` participants, all joined over HTTP. */
async function meeting(server: TestServer, count = 2): Promise<Meeting> {
  const board = await createBoard(server);
  const facilitator = await joinBoard(server, board.id, 'Lead', board.facilitatorKey);
  const participants: Joined[] = [];
  for (let i = 0; i < count; i++) participants.push(await joinBoard(server, board.id, `Member ${i + 1}`));
  return { board, facilitator, participants };
}

function isOnline(view: SessionView, participantId: string): boolean | undefined {
  return view.participants.find((p) => p.id === participantId)?.online;
}

/** A harmless change for sentinels: the facilitator starts the timer, which shows in the next session event. */
const TIMER_START = { action: 'start', durationMs: 5 * 60_000 };
const timerRunning = (view: SessionView): boolean => view.timer.endsAt !== null;

const BAD_REQUEST = { ok: false, error: { code: 'bad_request', message: expect.any(String) } };

describe('session plane', () => {
  const server = useServer();
  const clients = server.sessions;

  const connect = (boardId: string, joined: Joined): Promise<SessionClient> =>
    clients.connect(server, { boardId, token: joined.token });

  describe('the session event', () => {
    it('[session#connecting] arrives on connect with the whole state, in exactly the shape of the contract', async () => {
      const { board, facilitator, participants } = await meeting(server, 1);
      const me = participants[0] as Joined;
      const client = await connect(board.id, me);
      const view = client.sessions[0] as SessionView;
      expect(Object.keys(view).sort()).toEqual(
        [
          'agreed',
          'answerRights',
          'consent',
          'focus',
          'heldCounts',
          'locked',
          'myAnswers',
          'myBoardAnswers',
          'myVotes',
          'participants',
          'phase',
          'pulse',
          'ready',
          'questionModes',
          'rev',
          'serverNow',
          'tallies',
          'timer',
          'voting',
        ].sort(),
      );
      expect(view).toEqual({
        rev: expect.any(Number),
        serverNow: expect.any(Number),
        phase: 'discover',
        locked: false,
        timer: { durationMs: expect.any(Number), endsAt: null, pausedRemainingMs: null },
        // The ballot (the goals open for voting, fixed when voting opens) is an additive field.
        voting: {
          open: false,
          revealed: false,
          votesPerPerson: 5,
          maxPerItem: 3,
          ballot: [],
          voters: 0,
          votesCast: 0,
        },
        myVotes: {},
        tallies: null,
        agreed: [],
        participants: [
          { id: facilitator.participantId, name: 'Lead', role: 'facilitator', online: false },
          { id: me.participantId, name: 'Member 1', role: 'participant', online: true },
        ],
        // docs/session.md#requests's {count, average}, with the additive helps and distribution (null below three
        // answers and until the facilitator shows the results), what the shown results are made of,
        // how many answers came in since, when the pulse opened (not yet) and whether I may answer.
        pulse: {
          count: 0,
          average: null,
          helps: null,
          distribution: null,
          shownCount: null,
          changesSinceShown: 0,
          openedAt: null,
          mayAnswer: false,
        },
        // docs/session.md#ready, #focus and #answer-rights: nobody done of the one person online.
        ready: { ids: [], done: 0, of: 1 },
        focus: null,
        answerRights: 'everyone',
        // docs/session.md#consent-rounds: no round open, no result yet.
        consent: { open: null, results: {} },
        // docs/session.md#private-and-anonymous-answers: no question private or anonymous yet.
        questionModes: {},
        heldCounts: {},
        myAnswers: [],
        myBoardAnswers: [],
      });
      expect(view.timer.durationMs).toBeGreaterThan(0);
      // A server clock, for skew correction: the same clock as this machine's, give or take a minute.
      expect(Math.abs(view.serverNow - Date.now())).toBeLessThan(60_000);
    });

    it('[session#votes] hides tallies from a participant (null) and shows them to the facilitator (an object)', async () => {
      const { board, facilitator, participants } = await meeting(server, 1);
      const lead = await connect(board.id, facilitator);
      const member = await connect(board.id, participants[0] as Joined);
      expect(member.latest().tallies).toBeNull();
      expect(lead.latest().tallies).toEqual({});
      await lead.waitForSession((view) => isOnline(view, (participants[0] as Joined).participantId) === true);
      expect(lead.latest().tallies).toEqual({});
      expect(member.sessions.every((view) => view.tallies === null)).toBe(true);
    });

    it('[session#broadcasts] rev only grows from one event to the next, and grows with every change', async () => {
      const { board, facilitator, participants } = await meeting(server, 2);
      const lead = await connect(board.id, facilitator);
      const first = await connect(board.id, participants[0] as Joined);
      const revAtStart = lead.latest().rev;
      await connect(board.id, participants[1] as Joined);
      await lead.waitForSession((view) => view.participants.filter((p) => p.online).length === 3);
      expect(lead.latest().rev).toBeGreaterThan(revAtStart);
      const revBeforePhase = lead.latest().rev;
      expect(await lead.request('phase', { phase: 'goals' })).toEqual({ ok: true });
      await first.waitForSession((view) => view.phase === 'goals');
      expect(first.latest().rev).toBeGreaterThan(revBeforePhase);
      await lead.waitForSession((view) => view.phase === 'goals');
      for (const client of [lead, first]) {
        const revs = client.sessions.map((view) => view.rev);
        expect(revs).toEqual([...revs].sort((a, b) => a - b));
      }
    });
  });

  describe('presence', () => {
    it('[session#presence] shows a participant online to the others while connected, and offline once gone', async () => {
      const { board, participants } = await meeting(server, 2);
      const [one, two] = participants as [Joined, Joined];
      const first = await connect(board.id, one);
      expect(isOnline(first.latest(), two.participantId)).toBe(false);
      const second = await connect(board.id, two);
      await first.waitForSession((view) => isOnline(view, two.participantId) === true, 'the second online');
      expect(isOnline(second.latest(), one.participantId)).toBe(true);
      second.socket.disconnect();
      await first.waitForSession((view) => isOnline(view, two.participantId) === false, 'the second offline');
      expect(isOnline(first.latest(), one.participantId)).toBe(true);
    });

    it('[product#working-together][session#presence] keeps a participant with two open tabs online until both are closed', async () => {
      const { board, participants } = await meeting(server, 2);
      const [one, two] = participants as [Joined, Joined];
      const watcher = await connect(board.id, one);
      const tabA = await connect(board.id, two);
      const tabB = await connect(board.id, two);
      await watcher.waitForSession((view) => isOnline(view, two.participantId) === true);
      // Lets the (coalesced) broadcast of tab B's arrival land first, so that revBefore is after it.
      await sleep(2 * BROADCAST_INTERVAL_MS);
      const revBefore = watcher.latest().rev;
      tabA.socket.disconnect();
      // The broadcast about tab A leaving still shows the participant online: tab B is open.
      const afterTabA = await watcher.waitForSession(
        (view) => view.rev > revBefore,
        'the broadcast about tab A',
      );
      expect(isOnline(afterTabA, two.participantId)).toBe(true);
      tabB.socket.disconnect();
      await watcher.waitForSession(
        (view) => isOnline(view, two.participantId) === false,
        'offline after both tabs',
      );
    });

    it('[http#join-a-board][session#presence] lists a participant who just joined over HTTP to those already connected', async () => {
      const { board, facilitator } = await meeting(server, 0);
      const lead = await connect(board.id, facilitator);
      const late = await joinBoard(server, board.id, 'Latecomer');
      const view = await lead.waitForSession(
        (v) => v.participants.some((p) => p.id === late.participantId),
        'the latecomer',
      );
      expect(view.participants.find((p) => p.id === late.participantId)).toEqual({
        id: late.participantId,
        name: 'Latecomer',
        role: 'participant',
        online: false,
      });
    });

    it('[session#presence] serves a facilitator and three participants at once: everyone sees everyone online', async () => {
      const { board, facilitator, participants } = await meeting(server, 3);
      const all = await Promise.all(
        [facilitator, ...participants].map((joined) => connect(board.id, joined)),
      );
      for (const client of all) {
        await client.waitForSession(
          (view) => view.participants.filter((p) => p.online).length === 4,
          'four online',
        );
      }
      expect(await (all[0] as SessionClient).request('phase', { phase: 'day-to-day' })).toEqual({ ok: true });
      for (const client of all)
        await client.waitForSession((view) => view.phase === 'day-to-day', 'the new phase');
      expect(all.map((client) => client.latest().tallies === null)).toEqual([false, true, true, true]);
    });
  });

  describe('connection refused', () => {
    it('[session#connecting] refuses a bad token with connect_error "bad_token"', async () => {
      const { board } = await meeting(server, 0);
      expect(await clients.connectError(server, { boardId: board.id, token: 'nonsense' })).toBe('bad_token');
      expect(await clients.connectError(server, { boardId: board.id, token: '' })).toBe('bad_token');
    });

    it('[session#connecting] refuses a token signed by this server for a participant who never joined with "bad_token"', async () => {
      const { board } = await meeting(server, 0);
      const signer = createTokenSigner(await server.running.store.tokenSecret());
      const token = signer.sign({ boardId: board.id, participantId: newId() });
      expect(await clients.connectError(server, { boardId: board.id, token })).toBe('bad_token');
    });

    it('[session#connecting] refuses a genuine token of another board with "bad_token"', async () => {
      const { board } = await meeting(server, 0);
      const other = await meeting(server, 1);
      const token = (other.participants[0] as Joined).token;
      expect(await clients.connectError(server, { boardId: board.id, token })).toBe('bad_token');
    });

    it('[session#connecting] refuses an unknown board with "unknown_board"', async () => {
      const other = await meeting(server, 1);
      const token = (other.participants[0] as Joined).token;
      expect(await clients.connectError(server, { boardId: 'NoSuchBoardAAAAAAAAAAA', token })).toBe(
        'unknown_board',
      );
      expect(await clients.connectError(server, { boardId: '__proto__', token })).toBe('unknown_board');
    });

    it('[session#connecting] refuses missing or malformed auth with "bad_request"', async () => {
      expect(await clients.connectError(server, {})).toBe('bad_request');
      expect(await clients.connectError(server, { boardId: 42, token: 'x' })).toBe('bad_request');
      expect(await clients.connectError(server, { boardId: 'NoSuchBoardAAAAAAAAAAA' })).toBe('bad_request');
    });
  });

  describe('phase', () => {
    it('[session#broadcasts] from a facilitator: acknowledged {ok:true}, broadcast to the others', async () => {
      const { board, facilitator, participants } = await meeting(server, 2);
      const lead = await connect(board.id, facilitator);
      const members = await Promise.all(participants.map((p) => connect(board.id, p)));
      expect(await lead.request('phase', { phase: 'prioritise' })).toEqual({ ok: true });
      for (const member of members)
        await member.waitForSession((view) => view.phase === 'prioritise', 'the phase');
      const summary = (await (await fetch(`${server.url}/api/boards/${board.id}`)).json()) as {
        phase: string;
      };
      expect(summary.phase).toBe('prioritise');
    });

    it('[session#requests] from a participant: refused with not_facilitator, and nothing changes', async () => {
      const { board, facilitator, participants } = await meeting(server, 1);
      const lead = await connect(board.id, facilitator);
      const member = await connect(board.id, participants[0] as Joined);
      // What joining stored (the joins per address), and nothing else.
      const stored = await server.running.store.loadSession(board.id);
      expect(await member.request('phase', { phase: 'wrap-up' })).toEqual({
        ok: false,
        error: { code: 'not_facilitator', message: expect.any(String) },
      });
      // Changes are stored before they are acknowledged: the store is final for the refused one.
      expect(await server.running.store.loadSession(board.id)).toEqual(stored);
      // A later change's broadcast carries the whole state, after any the refused request caused.
      await sessionSentinel([lead, member], () => lead.request('timer', TIMER_START), timerRunning);
      expect(lead.sessions.every((view) => view.phase === 'discover')).toBe(true);
      expect(member.latest().phase).toBe('discover');
    });

    it('[session#requests][errors#validation] answers malformed payloads with bad_request, and the connection stays usable', async () => {
      const { board, facilitator } = await meeting(server, 0);
      const lead = await connect(board.id, facilitator);
      expect(await lead.request('phase', { phase: 'nope' })).toEqual(BAD_REQUEST);
      expect(await lead.request('phase', 'goals')).toEqual(BAD_REQUEST);
      expect(await lead.request('phase')).toEqual(BAD_REQUEST);
      expect(await lead.request('phase', null)).toEqual(BAD_REQUEST);
      expect(await lead.request('phase', [{ phase: 'goals' }])).toEqual(BAD_REQUEST);
      expect(await lead.request('phase', { phase: 'GOALS' })).toEqual(BAD_REQUEST);
      expect(lead.socket.connected).toBe(true);
      expect(lead.latest().phase).toBe('discover');
      expect(await lead.request('phase', { phase: 'goals' })).toEqual({ ok: true });
      await lead.waitForSession((view) => view.phase === 'goals');
    });

    it('[session#requests][errors#validation] answers an unknown event with a bad_request acknowledgement, never silence', async () => {
      const { board, participants } = await meeting(server, 1);
      const member = await connect(board.id, participants[0] as Joined);
      for (const event of ['nope', 'vote-now', 'constructor', 'toString', '__proto__', 'hasOwnProperty']) {
        expect(await member.request(event, { anything: true }), event).toEqual(BAD_REQUEST);
      }
      expect(await member.request('reaction', { emoji: '👍' })).toEqual({ ok: true });
    });
  });

  describe('reactions', () => {
    it('[session#reactions] broadcasts a reaction with its participantId to everyone on the board, and nobody else', async () => {
      const { board, facilitator, participants } = await meeting(server, 2);
      const other = await meeting(server, 1);
      const lead = await connect(board.id, facilitator);
      const [sender, watcher] = await Promise.all(participants.map((p) => connect(board.id, p)));
      const outsider = await connect(other.board.id, other.participants[0] as Joined);
      expect(await (sender as SessionClient).request('reaction', { emoji: '🎉' })).toEqual({ ok: true });
      const expected = { emoji: '🎉', participantId: (participants[0] as Joined).participantId };
      for (const client of [lead, sender, watcher] as SessionClient[]) {
        await waitFor(() => client.reactions.length === 1, 5_000, 'the reaction');
        expect(client.reactions).toEqual([expected]);
      }
      // The sender's reaction was relayed before its acknowledgement; the outsider's own sentinel
      // reaction comes later on the same socket, so anything relayed to it earlier is in by then.
      const sentinel = await reactionSentinel(outsider, [outsider]);
      expect(outsider.reactions).toEqual([sentinel]);
    });

    it('[session#reactions] takes an emoji of 16 UTF-16 code units and refuses 17, an empty one and other types', async () => {
      const { board, participants } = await meeting(server, 1);
      const member = await connect(board.id, participants[0] as Joined);
      expect(await member.request('reaction', { emoji: '😀'.repeat(8) })).toEqual({ ok: true });
      for (const payload of [
        { emoji: '😀'.repeat(8) + 'x' },
        { emoji: 'x'.repeat(17) },
        { emoji: '' },
        { emoji: 5 },
        {},
      ]) {
        expect(await member.request('reaction', payload)).toEqual(BAD_REQUEST);
      }
      await waitFor(() => member.reactions.length === 1, 5_000, 'the one accepted reaction');
      // Relayed reactions reach the socket in the order their requests were handled: a refused one
      // relayed all the same would arrive before this sentinel.
      const sentinel = await reactionSentinel(member, [member]);
      expect(member.reactions).toEqual([
        { emoji: '😀'.repeat(8), participantId: (participants[0] as Joined).participantId },
        sentinel,
      ]);
    });
  });

  describe('limits', () => {
    // 30 changes: within one connection's request burst (a script beyond it is rate-limited).
    it('[session#broadcasts] coalesces broadcasts: a burst of 30 changes reaches a watcher as fewer than 30 session events, the last one current', async () => {
      const { board, facilitator, participants } = await meeting(server, 1);
      const lead = await connect(board.id, facilitator);
      const watcher = await connect(board.id, participants[0] as Joined);
      await watcher.waitForSession((view) =>
        view.participants.every((p) => p.id !== facilitator.participantId || p.online),
      );
      // Lets any broadcast still due from the connections land before counting from here.
      await sleep(2 * BROADCAST_INTERVAL_MS);
      const before = watcher.sessions.length;
      const phases = ['day-to-day', 'goals'] as const;
      const acks = Array.from({ length: 30 }, (_, i) => lead.request('phase', { phase: phases[i % 2] }));
      expect(await Promise.all(acks)).toEqual(Array.from({ length: 30 }, () => ({ ok: true })));
      await watcher.waitForSession((view) => view.phase === 'goals', 'the last phase');
      // Every change of the burst was acknowledged, so its broadcasts come before (or merge into)
      // the one showing a later change; that one is counted too, in case the last merged into it.
      const [sentinelAt] = await sessionSentinel(
        [watcher],
        () => lead.request('timer', TIMER_START),
        timerRunning,
      );
      expect(watcher.latest().phase).toBe('goals');
      expect((sentinelAt as number) + 1 - before).toBeLessThan(30);
    });

    it('[errors#frames] closes only the connection that sends a frame over 64 KiB', async () => {
      const { board, participants } = await meeting(server, 2);
      const [sender, watcher] = (await Promise.all(participants.map((p) => connect(board.id, p)))) as [
        SessionClient,
        SessionClient,
      ];
      const dropped = new Promise<string>((resolve) =>
        sender.socket.once('disconnect', (reason: string) => resolve(reason)),
      );
      sender.socket.emit('reaction', { emoji: 'x'.repeat(70 * 1024) });
      expect(await dropped).toMatch(/transport (close|error)/);
      expect(watcher.socket.connected).toBe(true);
      expect(await watcher.request('reaction', { emoji: '👋' })).toEqual({ ok: true });
    });
  });
});

describe('session plane across restarts', () => {
  const servers = useServerPerTest();
  const clients = servers.sessions;
  let server: TestServer;

  it('[session#phase][errors#durability] keeps an acknowledged phase across a restart; clients reconnect and see it', async () => {
    server = await servers.start();
    const { board, facilitator, participants } = await meeting(server, 1);
    const lead = await clients.connect(server, { boardId: board.id, token: facilitator.token });
    const member = await clients.connect(server, {
      boardId: board.id,
      token: (participants[0] as Joined).token,
    });
    expect(await lead.request('phase', { phase: 'agree' })).toEqual({ ok: true });

    await server.restart();

    const fresh = await clients.connect(server, {
      boardId: board.id,
      token: (participants[0] as Joined).token,
    });
    expect(fresh.latest().phase).toBe('agree');
    await waitFor(() => member.socket.connected, 10_000, 'the member to reconnect by itself');
    await member.waitForSession((view) => view.phase === 'agree' && view.participants.some((p) => p.online));
  });

  it('[session#broadcasts] rev keeps growing across a restart', async () => {
    server = await servers.start();
    const { board, facilitator } = await meeting(server, 0);
    const lead = await clients.connect(server, { boardId: board.id, token: facilitator.token });
    for (const phase of ['day-to-day', 'goals', 'prioritise'] as const) {
      expect(await lead.request('phase', { phase })).toEqual({ ok: true });
    }
    await lead.waitForSession((view) => view.phase === 'prioritise');
    const revBefore = Math.max(...lead.sessions.map((view) => view.rev));

    await server.restart();

    const again = await clients.connect(server, { boardId: board.id, token: facilitator.token });
    expect(again.latest().rev).toBeGreaterThan(revBefore);
    await waitFor(() => lead.socket.connected, 10_000, 'the first client to reconnect');
    await lead.waitForSession((view) => view.rev > revBefore);
    const revs = lead.sessions.map((view) => view.rev);
    expect(revs).toEqual([...revs].sort((a, b) => a - b));
  });
});
