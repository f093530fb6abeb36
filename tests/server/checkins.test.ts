/**
 * Check-ins on a real server (docs/session.md#check-ins, docs/sync.md#check-ins): real socket.io
 * clients send the requests, real y-websocket providers watch the document, a raw socket tries to
 * write the root itself, and a restart shows what was stored.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CHECKINS_ROOT, readCheckins } from '../../shared/board/checkins';
import { newId } from '../../shared/ids';
import { CLOSE } from '../../shared/sync';
import { encodeUpdate } from '../../server/sync/protocol';
import { OK, refused, waitFor } from '../helpers/expect';
import { closeCodes, liveMeeting, storedDoc, type Meeting } from '../helpers/facilitation';
import { exportValidator } from '../helpers/export-schema';
import { useServer } from '../helpers/fixtures';
import shippedBoardSchema from '../../shared/export/board-1.schema.json' with { type: 'json' };
import { GoalWriter } from '../helpers/workshop';

const server = useServer();
const { sessions, sync } = server;

/** A meeting with two goals, the first agreed; returns their ids. */
async function meetingWithGoals(): Promise<{ m: Meeting; agreed: string; other: string }> {
  const m = await liveMeeting(server, sessions, 2);
  const writer = await GoalWriter.open(server, sync, m.board.id, m.facilitator);
  const [agreed, other] = (await writer.add([
    { title: 'Faster onboarding', metric: 'days to first PR', baseline: '10', target: '3' },
    { title: 'Fewer incidents', metric: 'incidents a month', baseline: '8', target: '2' },
  ])) as [string, string];
  expect(await m.lead.request('agree', { goalId: agreed, agreed: true })).toEqual(OK);
  return { m, agreed, other };
}

/** A participant's record of a goal at a check-in: behind, and why. */
const HIRING_FROZE = { current: 6.5, confidence: 'at-risk', note: 'hiring froze' } as const;

async function start(m: Meeting, date = '2027-01-15', label = '30 days'): Promise<string> {
  const ack = (await m.lead.request('checkin', { action: 'start', date, label })) as {
    ok: true;
    checkinId: string;
  };
  expect(ack).toEqual({ ok: true, checkinId: expect.any(String) });
  return ack.checkinId;
}

describe('check-in requests', () => {
  it('[session#check-ins] only a facilitator starts and closes a check-in; a participant is refused with not_facilitator and nothing changes', async () => {
    const { m } = await meetingWithGoals();
    const member = m.members[0]!;
    expect(await member.request('checkin', { action: 'start', date: '2027-01-15' })).toEqual(
      refused('not_facilitator'),
    );
    expect(readCheckins(await storedDoc(server, m.board.id))).toEqual([]);

    const id = await start(m);
    expect(await member.request('checkin', { action: 'close', checkinId: id })).toEqual(
      refused('not_facilitator'),
    );
    expect(readCheckins(await storedDoc(server, m.board.id))[0]?.closedAt).toBeNull();

    expect(await m.lead.request('checkin', { action: 'close', checkinId: id })).toEqual({
      ok: true,
      checkinId: id,
    });
    const [closed] = readCheckins(await storedDoc(server, m.board.id));
    expect(closed).toMatchObject({ id, date: '2027-01-15', label: '30 days', closedAt: expect.any(Number) });
    expect(await m.lead.request('checkin', { action: 'close', checkinId: id })).toEqual(
      refused('checkin_closed'),
    );
  });

  it('[session#check-ins] [sync#check-ins] a participant’s record appears live in another client’s document, and is stored before it is acknowledged', async () => {
    const { m, agreed } = await meetingWithGoals();
    const watcher = await sync.syncedProvider(server, m.board.id, { token: m.participants[1]!.token });
    const id = await start(m);
    await waitFor(() => readCheckins(watcher.doc).length === 1, 5_000, 'the check-in at the watcher');

    expect(
      await m.members[0]!.request('checkinRecord', { checkinId: id, goalId: agreed, ...HIRING_FROZE }),
    ).toEqual(OK);
    // Acknowledged means stored.
    expect(readCheckins(await storedDoc(server, m.board.id))[0]?.records[agreed]).toMatchObject({
      ...HIRING_FROZE,
      by: m.participants[0]!.participantId,
    });
    await waitFor(
      () => readCheckins(watcher.doc)[0]?.records[agreed]?.current === 6.5,
      5_000,
      'the record at the watcher',
    );
    expect(readCheckins(watcher.doc)[0]?.records[agreed]).toMatchObject({
      confidence: 'at-risk',
      note: 'hiring froze',
    });

    // A second record of the same goal replaces the first; the facilitator may record too.
    expect(
      await m.lead.request('checkinRecord', {
        checkinId: id,
        goalId: agreed,
        current: 5,
        confidence: 'on-track',
      }),
    ).toEqual(OK);
    await waitFor(
      () => readCheckins(watcher.doc)[0]?.records[agreed]?.current === 5,
      5_000,
      'the replaced record at the watcher',
    );
    expect(readCheckins(watcher.doc)[0]?.records[agreed]?.note).toBe('');
  });

  it('[session#check-ins] refusals change nothing: a closed or unknown check-in, a goal not agreed or unknown, bad numbers, a bad confidence, a long note', async () => {
    const { m, agreed, other } = await meetingWithGoals();
    const member = m.members[0]!;
    const first = await start(m, '2027-01-15');
    const record = { checkinId: first, goalId: agreed, current: 4, confidence: 'on-track' };

    expect(await member.request('checkinRecord', { ...record, goalId: other })).toEqual(
      refused('unknown_goal'),
    );
    expect(await member.request('checkinRecord', { ...record, goalId: newId() })).toEqual(
      refused('unknown_goal'),
    );
    expect(await member.request('checkinRecord', { ...record, checkinId: newId() })).toEqual(
      refused('not_found'),
    );
    for (const current of ['4', Number.NaN, Infinity, 1e13, null]) {
      expect(await member.request('checkinRecord', { ...record, current })).toEqual(refused('bad_request'));
    }
    expect(await member.request('checkinRecord', { ...record, confidence: 'great' })).toEqual(
      refused('bad_request'),
    );
    expect(await member.request('checkinRecord', { ...record, note: 'x'.repeat(501) })).toEqual(
      refused('bad_request'),
    );
    expect(await m.lead.request('checkin', { action: 'start', date: '2027-02-30' })).toEqual(
      refused('bad_request'),
    );
    expect(readCheckins(await storedDoc(server, m.board.id)).map((c) => c.records)).toEqual([{}]);

    // Starting the next check-in closes the open one: records to it are refused from then on.
    const second = await start(m, '2027-02-15', '60 days');
    expect(await member.request('checkinRecord', record)).toEqual(refused('checkin_closed'));
    expect(await member.request('checkinRecord', { ...record, checkinId: second })).toEqual(OK);
    const stored = readCheckins(await storedDoc(server, m.board.id));
    expect(stored.map((c) => [c.id, c.closedAt === null, Object.keys(c.records)])).toEqual([
      [first, false, []],
      [second, true, [agreed]],
    ]);

    // While the board is locked, participants' records are refused.
    expect(await m.lead.request('lock', { locked: true })).toEqual(OK);
    await member.waitForSession((view) => view.locked, 'the lock');
    expect(await member.request('checkinRecord', { ...record, checkinId: second })).toEqual(
      refused('locked'),
    );
  });

  it('[sync#check-ins] a client writing the check-ins root itself is refused (4422) and nothing it wrote is kept', async () => {
    const { m, agreed } = await meetingWithGoals();
    const id = await start(m);

    // A raw socket adds a check-in of its own.
    const raw = sync.raw(server, `/sync/${m.board.id}?token=${m.participants[0]!.token}`);
    await raw.opened;
    const forged = new Y.Doc();
    forged.getMap(CHECKINS_ROOT).set(newId(), new Y.Map());
    raw.ws.send(encodeUpdate(Y.encodeStateAsUpdate(forged)));
    expect((await raw.closed).code).toBe(CLOSE.refused);

    // A stock provider, synced with the board, records a value without asking the server…
    const cheat = await sync.syncedProvider(server, m.board.id, { token: m.participants[1]!.token });
    await waitFor(() => readCheckins(cheat.doc).length === 1, 5_000, 'the check-in at the cheat');
    const codes = closeCodes(cheat);
    cheat.provider.shouldConnect = false;
    const records = (cheat.doc.getMap(CHECKINS_ROOT).get(id) as Y.Map<unknown>).get(
      'records',
    ) as Y.Map<unknown>;
    const forgedRecord = new Y.Map<unknown>();
    forgedRecord.set('current', 99);
    forgedRecord.set('confidence', 'on-track');
    records.set(agreed, forgedRecord);
    await waitFor(() => codes.length > 0, 5_000, 'the cheat closed');
    expect(codes[0]).toBe(CLOSE.refused);

    // …or deletes the check-in: refused too.
    const deleter = await sync.syncedProvider(server, m.board.id, { token: m.participants[1]!.token });
    await waitFor(() => readCheckins(deleter.doc).length === 1, 5_000, 'the check-in at the deleter');
    const deleterCodes = closeCodes(deleter);
    deleter.provider.shouldConnect = false;
    deleter.doc.getMap(CHECKINS_ROOT).delete(id);
    await waitFor(() => deleterCodes.length > 0, 5_000, 'the deleter closed');
    expect(deleterCodes[0]).toBe(CLOSE.refused);

    const stored = readCheckins(await storedDoc(server, m.board.id));
    expect(stored.map((c) => [c.id, c.records])).toEqual([[id, {}]]);
  });

  it('[sync#check-ins] check-ins survive a server restart', async () => {
    const { m, agreed } = await meetingWithGoals();
    const id = await start(m, '2027-03-01', '90 days');
    expect(
      await m.members[0]!.request('checkinRecord', {
        checkinId: id,
        goalId: agreed,
        current: 3,
        confidence: 'off-track',
        note: 'blocked',
      }),
    ).toEqual(OK);
    await sessions.closeAll();
    await sync.closeAll();
    await server.restart();
    const late = await sync.syncedProvider(server, m.board.id, { token: m.participants[0]!.token });
    await waitFor(() => readCheckins(late.doc).length === 1, 5_000, 'the check-in after the restart');
    expect(readCheckins(late.doc)[0]).toMatchObject({
      id,
      date: '2027-03-01',
      label: '90 days',
      closedAt: null,
      records: { [agreed]: { current: 3, confidence: 'off-track', note: 'blocked' } },
    });
  });

  it('[export#check-in-fields] [http#export] every export over HTTP carries the check-ins: the goals export and the board file valid against their schemas, the Markdown and the CSV', async () => {
    const { m, agreed } = await meetingWithGoals();
    const id = await start(m, '2027-01-15', '30 days');
    expect(
      await m.members[0]!.request('checkinRecord', { checkinId: id, goalId: agreed, ...HIRING_FROZE }),
    ).toEqual(OK);
    const auth = { authorization: `Bearer ${m.facilitator.token}` };
    const base = `${server.url}/api/boards/${m.board.id}`;

    const goals = (await (await fetch(`${base}/export`, { headers: auth })).json()) as {
      schema: string;
      checkins: unknown;
      goals: Array<{ id: string; checkins?: unknown }>;
    };
    expect(goals.schema).toBe('atelier/goals-export@1');
    expect(goals.checkins).toEqual([{ id, date: '2027-01-15', label: '30 days', open: true }]);
    expect(goals.goals.find((goal) => goal.id === agreed)?.checkins).toEqual([
      { checkinId: id, date: '2027-01-15', current: 6.5, confidence: 'at-risk', note: 'hiring froze' },
    ]);
    expect(exportValidator()(goals)).toEqual([]);

    const file = (await (await fetch(`${base}/board.json`, { headers: auth })).json()) as {
      goals: Array<{ title: string; checkins?: unknown }>;
    };
    expect(file.goals.find((goal) => goal.title === 'Faster onboarding')?.checkins).toEqual([
      { date: '2027-01-15', label: '30 days', current: 6.5, confidence: 'at-risk', note: 'hiring froze' },
    ]);
    expect(exportValidator(shippedBoardSchema)(file)).toEqual([]);

    const markdown = await (await fetch(`${base}/export.md`, { headers: auth })).text();
    expect(markdown).toContain(
      '## Check-ins\n\n### January 15, 2027 — 30 days (open)\n\n- **Faster onboarding**: 6.5 · at risk — hiring froze',
    );
    const csv = (await (await fetch(`${base}/export.csv`, { headers: auth })).text()).split('\r\n');
    expect(csv[0]).toMatch(/,Last check-in,Current value,Confidence,Check-in note$/);
    expect(csv[1]).toMatch(/,2027-01-15,6.5,at risk,hiring froze$/);
  });
});
