/**
 * The session plane under attack (docs/session.md#requests, docs/errors.md#document-content): payloads of the wrong shape, type and size on every
 * client event, prototype pollution attempts, events without an acknowledgement callback, request
 * floods and packets no socket.io client would send — against a real server, with real socket.io
 * clients (and engine.io spoken by hand where a client library would refuse).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { HANDLERS } from '../../server/session/handlers';
import type { Joined } from '../../shared/api';
import { ClientPayload } from '../../shared/session/events';
import type { SessionView } from '../../shared/session/state';
import { OK, refused, sessionSentinel, sleep, waitFor } from '../helpers/expect';
import { useServer } from '../helpers/fixtures';
import { expectCleanPrototypes, prototypeKeys, rawSocketIo, type RawSocketIo } from '../helpers/hostile';
import type { SessionClient } from '../helpers/session-clients';
import { GoalWriter, workshop, type Workshop } from '../helpers/workshop';

const BAD_REQUEST = refused('bad_request');

type EventName = 'vote' | 'voting' | 'agree' | 'phase' | 'timer' | 'lock' | 'pulse' | 'reaction';
// The lock last: once the board is locked, participants' changes are refused (docs/session.md#lock).
const EVENTS: EventName[] = ['vote', 'voting', 'agree', 'phase', 'timer', 'pulse', 'reaction', 'lock'];
/** Who may send each event (a participant's facilitator-only request stops at not_facilitator). */
const SENT_BY: Record<EventName, 'lead' | 'member'> = {
  vote: 'member',
  voting: 'lead',
  agree: 'lead',
  phase: 'lead',
  timer: 'lead',
  lock: 'lead',
  pulse: 'member',
  reaction: 'member',
};

/** A well-formed payload of each event, which changes the meeting (or reaches everyone). */
const valid = (goalId: string): Record<EventName, Record<string, unknown>> => ({
  vote: { goalId, delta: 1 },
  voting: { revealed: true },
  agree: { goalId, agreed: true },
  phase: { phase: 'wrap-up' },
  timer: { action: 'start', durationMs: 120_000 },
  lock: { locked: true },
  pulse: { score: 4, help: 'fewer meetings' },
  reaction: { emoji: '🎉' },
});

function nestedObject(depth: number): Record<string, unknown> {
  let value: Record<string, unknown> = { leaf: true };
  for (let i = 0; i < depth; i++) value = { inner: value };
  return value;
}

/** Every client event the server handles, including any added after this file was written. */
const ALL_EVENTS = Object.keys(ClientPayload).sort((a, b) => Number(a === 'lock') - Number(b === 'lock'));
const isKnown = (event: string): event is EventName => (EVENTS as string[]).includes(event);
const facilitatorOnly = (event: string): boolean =>
  (HANDLERS as Record<string, { facilitatorOnly: boolean }>)[event]?.facilitatorOnly === true;

/** Payloads that are no object at all: refused by every event, whatever its schema. */
function notObjects(): unknown[][] {
  return [
    [],
    [null],
    ['a string'],
    [42],
    [true],
    [[]],
    [Buffer.from('{"binary": true}')],
    ['x'.repeat(50_000)],
  ];
}

/**
 * Payloads every event must refuse with bad_request: missing, null, the wrong JSON type, nested,
 * binary, huge, and the valid payload hidden where only a polluted prototype would find it.
 */
function wrongShapes(event: EventName, goalId: string): unknown[][] {
  const good = valid(goalId)[event];
  return [
    ...notObjects(),
    [JSON.stringify(good)],
    [[good]],
    [{}],
    [nestedObject(60)],
    [Object.fromEntries(Object.keys(good).map((key) => [key, { [key]: good[key] }]))],
    [Buffer.from(JSON.stringify(good))],
    [{ padding: 'x'.repeat(50_000), nested: nestedObject(20) }],
    [JSON.parse(`{"__proto__": ${JSON.stringify(good)}}`)],
    [JSON.parse(`{"constructor": {"prototype": ${JSON.stringify(good)}}}`)],
  ];
}

/** Payloads of the right shape with a field of the wrong type, value or size. */
function wrongFields(event: EventName, goalId: string): unknown[] {
  switch (event) {
    case 'vote':
      return [
        { goalId, delta: '1' },
        { goalId, delta: 1.5 },
        { goalId, delta: null },
        { goalId: [goalId], delta: 1 },
        { goalId: { toString: goalId }, delta: 1 },
        { goalId: goalId + 'x'.repeat(64), delta: 1 },
        { goalId: 'x'.repeat(40_000), delta: 1 },
      ];
    case 'voting':
      return [
        { open: 'true' },
        { open: 1 },
        { revealed: null },
        { votesPerPerson: 1e308 },
        { votesPerPerson: [5] },
        { maxPerItem: {} },
        { reset: 'yes' },
      ];
    case 'agree':
      return [
        { goalId, agreed: 'true' },
        { goalId, agreed: 1 },
        { goalId, agreed: null },
        { goalId: [goalId], agreed: true },
        { goalId: { $ne: null }, agreed: true },
      ];
    case 'phase':
      return [
        { phase: ['goals'] },
        { phase: { phase: 'goals' } },
        { phase: 'goals ' },
        { phase: 'x'.repeat(40_000) },
        { phase: 3 },
      ];
    case 'timer':
      return [
        { action: 'start', durationMs: '60000' },
        { action: 'start', durationMs: 1e12 },
        { action: 'start', durationMs: null },
        { action: 'start', durationMs: 500 },
        { action: 'extend' },
        { action: 'extend', deltaMs: 'a minute' },
        { action: ['start'] },
        { action: 'explode' },
        { durationMs: 60_000 },
      ];
    case 'lock':
      return [{ locked: 'true' }, { locked: 1 }, { locked: null }, { locked: [true] }, { lock: true }];
    case 'pulse':
      return [
        { score: 6 },
        { score: 0 },
        { score: '5' },
        { score: 2.5 },
        { score: [3] },
        { score: 3, help: 'x'.repeat(501) },
        { score: 3, help: 42 },
        { score: 3, help: ['a'] },
      ];
    case 'reaction':
      return [
        { emoji: 'x'.repeat(40_000) },
        { emoji: ['👍'] },
        { emoji: { length: 1 } },
        { emoji: 42 },
        { emoji: '' },
      ];
  }
}

/** A view without what changes on its own (rev, the server clock). */
function steady(view: SessionView): Omit<SessionView, 'rev' | 'serverNow'> {
  const { rev: _rev, serverNow: _serverNow, ...rest } = view;
  return rest;
}

interface Meeting extends Workshop {
  goals: string[];
  lead: SessionClient;
  members: SessionClient[];
}

describe('session plane under attack', () => {
  const logged: string[] = [];
  const server = useServer({ log: (message) => logged.push(message) });
  const { sessions, sync } = server;
  const raws: RawSocketIo[] = [];
  const prototypesAtStart = prototypeKeys();

  // Runs before the fixture's own cleanup (after hooks run in reverse order).
  afterEach(() => {
    for (const raw of raws.splice(0)) raw.ws.terminate();
  });

  const connect = (w: Workshop, joined: Joined): Promise<SessionClient> =>
    sessions.connect(server, { boardId: w.board.id, token: joined.token });

  /** A facilitator and two participants connected, two goals on the board, voting open. */
  async function meeting(): Promise<Meeting> {
    const w = await workshop(server, 2);
    const writer = await GoalWriter.open(server, sync, w.board.id, w.facilitator);
    const goals = await writer.add([{ title: 'Grow our audience' }, { title: 'Increase brand awareness' }]);
    const lead = await connect(w, w.facilitator);
    const members = await Promise.all(w.participants.map((p) => connect(w, p)));
    for (const client of [lead, ...members]) {
      await client.waitForSession((view) => view.participants.every((p) => p.online), 'everyone online');
    }
    expect(await lead.request('voting', { open: true })).toEqual(OK);
    await lead.waitForSession((view) => view.voting.open);
    return { ...w, goals, lead, members };
  }

  /** What the facilitator would see on connecting now (a second tab: presence does not change). */
  async function currentView(m: Meeting): Promise<Omit<SessionView, 'rev' | 'serverNow'>> {
    const probe = await connect(m, m.facilitator);
    const view = probe.sessions[0] as SessionView;
    probe.socket.disconnect();
    return steady(view);
  }

  it('[session#requests][errors#document-content] every client event answers payloads of the wrong shape, type and size with bad_request, changes nothing, and the connection stays usable', async () => {
    const m = await meeting();
    const goalId = m.goals[0] as string;
    // Every event the server has: those this file knows in depth, any other with what no schema takes.
    expect(ALL_EVENTS).toEqual(expect.arrayContaining(EVENTS));
    for (const event of ALL_EVENTS) {
      // A fresh connection per event, so that the request rate limit is not what answers.
      const sender = await connect(m, facilitatorOnly(event) ? m.facilitator : (m.participants[0] as Joined));
      const before = await currentView(m);
      const storedBefore = await server.running.store.loadSession(m.board.id);
      const reactionsBefore = m.lead.reactions.length;
      const attempts = isKnown(event)
        ? [...wrongShapes(event, goalId), ...wrongFields(event, goalId).map((p) => [p])]
        : notObjects();
      expect(attempts.length).toBeLessThan(40);
      for (const payload of attempts) {
        const label = `${event} ${JSON.stringify(payload).slice(0, 80)}`;
        expect(await sender.request(event, ...payload), label).toEqual(BAD_REQUEST);
      }
      // Nothing changed: not the stored state, not what anyone is shown; no reaction went out.
      expect(await server.running.store.loadSession(m.board.id), event).toEqual(storedBefore);
      expect(await currentView(m), event).toEqual(before);
      expect(m.lead.reactions, event).toHaveLength(reactionsBefore);
      // The same connection still works.
      expect(sender.socket.connected).toBe(true);
      if (!isKnown(event)) {
        expect(await sender.request('no-such-event', {}), event).toEqual(BAD_REQUEST);
        continue;
      }
      const answer = await sender.request(event, valid(goalId)[event]);
      expect(answer, event).toEqual(event === 'vote' ? { ok: true, myVotes: { [goalId]: 1 } } : OK);
    }
    // The valid requests took effect, every one of them.
    const view = await m.lead.waitForSession((v) => v.phase === 'wrap-up' && v.locked && v.pulse.count === 1);
    expect(view.agreed).toEqual([goalId]);
    expect(view.tallies).toEqual({ [goalId]: 1 });
    expect(view.timer.endsAt).not.toBeNull();
    expect(logged.filter((line) => /failed/.test(line))).toEqual([]);
  });

  it('[session#requests][errors#validation] prototype pollution in payloads and auth leaves Object.prototype clean; extra keys never smuggle a change in; the server keeps behaving', async () => {
    const m = await meeting();
    const goalId = m.goals[1] as string;
    const member = m.members[0] as SessionClient;
    const pollute = (base: Record<string, unknown>, extra: string): Record<string, unknown> =>
      JSON.parse(JSON.stringify(base).replace(/^\{/, `{${extra},`)) as Record<string, unknown>;
    const PROTO =
      '"__proto__": {"polluted": "yes", "isAdmin": true, "role": "facilitator", "phase": "agree"}';
    const CONSTRUCTOR = '"constructor": {"prototype": {"polluted": "yes", "locked": true}}';

    for (const event of EVENTS) {
      const sender = SENT_BY[event] === 'lead' ? m.lead : member;
      for (const extra of [PROTO, CONSTRUCTOR]) {
        // Wrong shape plus pollution: refused.
        expect(await sender.request(event, pollute({ nothing: 1 }, extra)), event).toEqual(BAD_REQUEST);
        // Right shape plus pollution: the extra keys are no request of their own.
        const answer = await sender.request(event, pollute(valid(goalId)[event], extra));
        expect([OK, BAD_REQUEST, { ok: true, myVotes: expect.any(Object) }], event).toContainEqual(answer);
      }
      // Time for the request budget to refill a little (it refills at 20 a second), not a wait for an absence.
      await sleep(60);
    }
    expectCleanPrototypes(prototypesAtStart);

    // Only what the valid fields asked for happened: the smuggled `phase: agree` did not.
    const view = await m.lead.waitForSession((v) => v.phase === 'wrap-up', 'the phase');
    expect(view.phase).toBe('wrap-up');
    expect(Object.keys(view.myVotes).every((id) => m.goals.includes(id))).toBe(true);

    // Auth with a polluted prototype: a participant stays a participant; auth hidden in __proto__ is refused.
    const polluted = JSON.parse(
      `{"boardId": "${m.board.id}", "token": "${(m.participants[1] as Joined).token}", ${PROTO}}`,
    ) as { boardId: string; token: string };
    const sneaky = await sessions.connect(server, polluted);
    expect(await sneaky.request('phase', { phase: 'discover' })).toEqual(refused('not_facilitator'));
    const hidden = JSON.parse(
      `{"__proto__": {"boardId": "${m.board.id}", "token": "${(m.participants[1] as Joined).token}"}}`,
    ) as unknown;
    expect(await sessions.connectError(server, hidden)).toBe('bad_request');

    expectCleanPrototypes(prototypesAtStart);
    // The server still behaves: a change reaches everyone.
    expect(await m.lead.request('phase', { phase: 'goals' })).toEqual(OK);
    for (const client of [m.lead, ...m.members, sneaky]) {
      await client.waitForSession((v) => v.phase === 'goals', 'the phase after the attempts');
    }
  });

  it('[session#requests][errors#validation] events sent without an acknowledgement callback crash nothing: malformed ones are dropped, valid ones still apply', async () => {
    const m = await meeting();
    const goalId = m.goals[0] as string;
    const member = m.members[0] as SessionClient;
    const before = await currentView(m);
    // Other tabs send the garbage (beyond their request budget, too: refused silently as well).
    const noAckLead = await connect(m, m.facilitator);
    const noAckMember = await connect(m, m.participants[0] as Joined);
    for (const event of EVENTS) {
      const sender = SENT_BY[event] === 'lead' ? noAckLead : noAckMember;
      for (const payload of [...wrongShapes(event, goalId), ...wrongFields(event, goalId).map((p) => [p])]) {
        sender.socket.emit(event, ...payload);
      }
    }
    noAckMember.socket.emit('no-such-event', { anything: true });
    noAckMember.socket.emit('no-such-event');
    // Each socket's events are handled in order: once a later request on it is answered, the garbage
    // before it was handled (and any change it made queued). The facilitator then makes a change of
    // nothing (the same phase), stored after anything queued before it.
    for (const sender of [noAckLead, noAckMember]) await sender.request('no-such-event', { sentinel: true });
    expect(await m.lead.request('phase', { phase: before.phase })).toEqual(OK);
    expect(await currentView(m)).toEqual(before);
    for (const client of [m.lead, member, noAckLead, noAckMember]) expect(client.socket.connected).toBe(true);

    // Valid requests without a callback are carried out all the same.
    m.lead.socket.emit('phase', { phase: 'agree' });
    member.socket.emit('reaction', { emoji: '🙌' });
    await (m.members[1] as SessionClient).waitForSession((v) => v.phase === 'agree', 'the phase without ack');
    await waitFor(() => m.lead.reactions.some((r) => r.emoji === '🙌'), 5_000, 'the reaction without ack');
    expect(await member.request('reaction', { emoji: '👍' })).toEqual(OK);
    expect(logged.filter((line) => /failed/.test(line))).toEqual([]);
  });

  it('[session#requests][errors#isolation] a flood of requests from one connection gets rate_limited acknowledgements that change nothing, while another client is unaffected', async () => {
    const m = await meeting();
    // A fresh connection floods (its whole burst ahead of it); another tab of the same person watches.
    const flooder = await connect(m, m.facilitator);
    const coLead = await connect(m, m.facilitator);
    const goalId = m.goals[0] as string;
    const phases = ['day-to-day', 'goals'] as const;
    const acks = await Promise.all(
      Array.from({ length: 120 }, (_, i) => flooder.request('phase', { phase: phases[i % 2] })),
    );
    const accepted = acks.map((ack, i) => (ack.ok ? i : -1)).filter((i) => i >= 0);
    // A burst of 40 goes through; far from all 120 do.
    expect(acks.slice(0, 40)).toEqual(Array.from({ length: 40 }, () => OK));
    expect(accepted.length).toBeLessThan(80);
    for (const ack of acks.filter((a) => !a.ok)) expect(ack).toEqual(refused('rate_limited'));

    // The refused ones changed nothing: the phase is the last accepted one's.
    const last = accepted.at(-1) as number;
    await m.lead.waitForSession((v) => v.phase === phases[last % 2], 'the last accepted phase');
    // Every request was answered: a change any of them made is in the broadcast showing a later one.
    await sessionSentinel(
      [m.lead],
      () => m.lead.request('timer', { action: 'start', durationMs: 5 * 60_000 }),
      (view) => view.timer.endsAt !== null,
    );
    expect(m.lead.latest().phase).toBe(phases[last % 2]);

    // Another connection (same facilitator, another tab) and a participant are not limited.
    expect(await coLead.request('phase', { phase: 'prioritise' })).toEqual(OK);
    expect(await (m.members[0] as SessionClient).request('vote', { goalId, delta: 1 })).toEqual({
      ok: true,
      myVotes: { [goalId]: 1 },
    });
    await (m.members[1] as SessionClient).waitForSession((v) => v.phase === 'prioritise');
    // The flooder recovers once it slows down.
    await waitFor(async () => (await flooder.request('phase', { phase: 'agree' })).ok, 5_000, 'the flooder');
    await m.lead.waitForSession((v) => v.phase === 'agree');
  });

  it('[session#frames][errors#frames] socket.io packets no client would send (broken JSON, unknown types, reserved names, missing binary attachments) close only that connection', async () => {
    const m = await meeting();
    const token = (m.participants[1] as Joined).token;
    const open = async (): Promise<RawSocketIo> => {
      const raw = rawSocketIo(server, { boardId: m.board.id, token });
      raws.push(raw);
      await raw.connected;
      await raw.waitForPacket(/^42\["session"/);
      return raw;
    };

    // Packets with an ack id are answered like any client's request.
    const talker = await open();
    talker.send('420["phase",{"phase":"goals"}]');
    talker.send('421["no-such-event",{}]');
    talker.send('422[12345,{}]');
    talker.send('423["vote",{"goalId":"__proto__","delta":1}]');
    expect(await talker.waitForPacket(/^430/)).toMatch(/"code":"not_facilitator"/);
    expect(await talker.waitForPacket(/^431/)).toMatch(/"code":"bad_request"/);
    expect(await talker.waitForPacket(/^432/)).toMatch(/"code":"bad_request"/);
    expect(await talker.waitForPacket(/^433/)).toMatch(/"code":"bad_request"/);
    // A namespace that does not exist is refused, and the connection stays.
    talker.send('40/admin,{}');
    expect(await talker.waitForPacket(/^44\/admin,/)).toMatch(/Invalid namespace/);
    expect(talker.ws.readyState).toBe(talker.ws.OPEN);

    const garbage: Array<Array<string | Uint8Array>> = [
      ['42["vote"'],
      ['42{"not":"an array"}'],
      ['42[]'],
      ['42[{"event":"phase"}]'],
      ['49[]'],
      ['4'],
      ['42["disconnect"]'],
      ['42["connect",{}]'],
      ['451-["phase",{"_placeholder":true,"num":0}]', '42["reaction",{"emoji":"x"}]'],
      ['4511-["phase"]'],
      [Uint8Array.of(1, 2, 3, 4)],
      ['4' + '2["reaction",{"emoji":"' + 'x'.repeat(70 * 1024) + '"}]'],
    ];
    for (const packets of garbage) {
      const raw = await open();
      for (const packet of packets) raw.send(packet);
      const code = await raw.closed;
      expect(code, String(packets[0]).slice(0, 40)).toBeGreaterThanOrEqual(1000);
    }

    // Everyone else is still connected and served; the server is healthy.
    for (const client of [m.lead, ...m.members]) expect(client.socket.connected).toBe(true);
    expect(await m.lead.request('phase', { phase: 'agree' })).toEqual(OK);
    for (const client of [m.lead, ...m.members]) await client.waitForSession((v) => v.phase === 'agree');
    const late = await connect(m, m.participants[1] as Joined);
    expect(late.latest().phase).toBe('agree');
    expect(logged.filter((line) => /failed/.test(line))).toEqual([]);
  });
});
