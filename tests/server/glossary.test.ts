/**
 * The challenges and the glossary against a real server (docs/sync.md#what-the-server-accepts,
 * docs/sync.md#lock, docs/export.md#additive-fields): malformed entries from a raw client are
 * refused with 4422 and reach nobody, a locked board refuses a participant's edit of the glossary,
 * and the export over HTTP carries the definitions and the challenges.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  addGlossaryEntry,
  newItem,
  readChallenges,
  readGlossary,
  readGoalChallenges,
  readGoals,
  ROOT,
  setGoalChallenge,
  setGoalMetric,
  updateGlossaryEntry,
} from '../../shared/board';
import type { GoalsExport } from '../../shared/export/goals-export';
import { newId } from '../../shared/ids';
import { CLOSE } from '../../shared/sync';
import { OK, waitFor } from '../helpers/expect';
import { exportValidator } from '../helpers/export-schema';
import { closeCodes, liveMeeting, storedDoc } from '../helpers/facilitation';
import { useServer } from '../helpers/fixtures';
import { createBoard, joinBoard } from '../helpers/server';
import { GoalWriter } from '../helpers/workshop';
import { updateFrame } from '../helpers/sync-clients';

const validate = exportValidator();

describe('the glossary and the challenges on the server', () => {
  const server = useServer();
  const { sessions, sync } = server;

  it('[sync#what-the-server-accepts] refuses malformed entries and goal links from a raw client with 4422; well-formed ones from a stock client pass', async () => {
    const board = await createBoard(server);
    const lead = await joinBoard(server, board.id, 'Lead', board.facilitatorKey);
    const honest = await sync.syncedProvider(server, board.id, { token: lead.token });
    const writer = await GoalWriter.open(server, sync, board.id, lead);
    const [goalId] = (await writer.add([{ title: 'Grow our audience' }])) as [string];
    await waitFor(() => readGoals(honest.doc).length === 1, 5_000, 'the goal at the honest client');
    const goal = (d: Y.Doc) => d.getMap(ROOT.goals).get(goalId) as Y.Map<unknown>;

    const shapes: Array<[string, (doc: Y.Doc) => void]> = [
      ['an entry that is a string', (d) => d.getMap(ROOT.glossary).set(newId(), 'Reach')],
      [
        'an entry under a key that is no id',
        (d) => d.getMap(ROOT.glossary).set('not an id!', newItem({ name: 'Reach' })),
      ],
      [
        'a definition that is a number',
        (d) => d.getMap(ROOT.glossary).set(newId(), newItem({ name: 'Reach', definition: 42 })),
      ],
      ['a name that is a map', (d) => d.getMap(ROOT.glossary).set(newId(), newItem({ name: new Y.Map() }))],
      ['a challenge that is true', (d) => d.getMap(ROOT.challenges).set(newId(), true)],
      [
        'a challenge title that is a number',
        (d) => d.getMap(ROOT.challenges).set(newId(), newItem({ title: 7 })),
      ],
      ['a metricId that is no id', (d) => goal(d).set('metricId', 'x y')],
      ['a metricId that is a number', (d) => goal(d).set('metricId', 3)],
      ['challengeIds as a string', (d) => goal(d).set('challengeIds', 'all of them')],
      ['a tick that is not true', (d) => (goal(d).get('challengeIds') as Y.Map<unknown>).set(newId(), 'yes')],
      [
        'a tick under a key that is no id',
        (d) => (goal(d).get('challengeIds') as Y.Map<unknown>).set('__proto__', true),
      ],
    ];
    for (const [what, write] of shapes) {
      const doc = new Y.Doc();
      Y.applyUpdate(doc, Y.encodeStateAsUpdate(honest.doc));
      const before = Y.encodeStateVector(doc);
      write(doc);
      const raw = sync.raw(server, `/sync/${board.id}`);
      await raw.opened;
      raw.ws.send(updateFrame(Y.encodeStateAsUpdate(doc, before)));
      expect((await raw.closed).code, what).toBe(CLOSE.refused);
    }

    // A stock client writing plain strings, and Atelier's commands, both pass.
    const stock = await sync.syncedProvider(server, board.id);
    stock.doc
      .getMap(ROOT.glossary)
      .set(newId(), newItem({ name: 'Reach', definition: 'Unique accounts reached' }));
    const entry = addGlossaryEntry(honest.doc, { name: 'Followers', definition: 'At month end' });
    setGoalMetric(honest.doc, goalId, entry);
    setGoalChallenge(honest.doc, goalId, readChallenges(honest.doc)[0]?.id ?? '', true);
    await waitFor(
      async () => {
        const stored = await storedDoc(server, board.id);
        return readGlossary(stored).length === 2 && readGoalChallenges(stored).has(goalId);
      },
      5_000,
      'the honest entries stored',
    );
    const stored = await storedDoc(server, board.id);
    expect(readGlossary(stored).map((e) => e.name)).toEqual(['Followers', 'Reach']);
    expect(readGoals(stored)[0]?.metric).toBe('Followers');
  });

  it('[sync#lock] a locked board refuses a participant’s glossary edit (4423) and keeps the facilitator’s', async () => {
    const m = await liveMeeting(server, sessions, 1);
    const [member] = m.participants;
    if (!member) throw new Error('one participant');
    const lead = await sync.syncedProvider(server, m.board.id, { token: m.facilitator.token });
    const mate = await sync.syncedProvider(server, m.board.id, { token: member.token });
    const entry = addGlossaryEntry(lead.doc, { name: 'Reach' });
    await waitFor(() => readGlossary(mate.doc).length === 1, 5_000, 'the entry at the participant');

    expect(await m.lead.request('lock', { locked: true })).toEqual(OK);
    await m.members[0]?.waitForSession((view) => view.locked, 'the lock');
    const codes = closeCodes(mate);
    updateGlossaryEntry(mate.doc, entry, { definition: 'Written while locked' });
    await waitFor(() => codes.includes(CLOSE.locked), 5_000, 'the participant closed with 4423');
    updateGlossaryEntry(lead.doc, entry, { owner: 'Ana' });
    await waitFor(
      async () => readGlossary(await storedDoc(server, m.board.id))[0]?.owner === 'Ana',
      5_000,
      'the facilitator’s edit stored',
    );
    expect(readGlossary(await storedDoc(server, m.board.id))[0]?.definition).toBe('');
  });

  it('[export#additive-fields] the export over HTTP carries each goal’s definition and challenges, and the lane', async () => {
    const board = await createBoard(server);
    const lead = await joinBoard(server, board.id, 'Lead', board.facilitatorKey);
    const writer = await GoalWriter.open(server, sync, board.id, lead);
    const [grow, other] = (await writer.add([{ title: 'Grow our audience' }, { title: 'Post more' }])) as [
      string,
      string,
    ];
    const doc = writer.client.doc;
    const entry = addGlossaryEntry(doc, {
      name: 'Followers',
      definition: 'Accounts following us at month end',
      formula: 'Platform analytics',
      owner: 'Ana',
    });
    setGoalMetric(doc, grow, entry);
    const roi = readChallenges(doc)[1]?.id ?? '';
    setGoalChallenge(doc, grow, roi, true);

    const fetchExport = async (): Promise<GoalsExport> => {
      const response = await fetch(`${server.url}/api/boards/${board.id}/export?status=all`, {
        headers: { authorization: `Bearer ${lead.token}` },
      });
      expect(response.status).toBe(200);
      return (await response.json()) as GoalsExport;
    };
    await waitFor(
      async () => (await fetchExport()).goals.some((g) => g.metricDefinition !== undefined && g.challenges),
      5_000,
      'the links in the export',
    );
    const body = await fetchExport();
    expect(validate(body)).toEqual([]);
    const byId = new Map(body.goals.map((g) => [g.id, g]));
    expect(byId.get(grow)).toMatchObject({
      metric: 'Followers',
      metricDefinition: {
        name: 'Followers',
        definition: 'Accounts following us at month end',
        formula: 'Platform analytics',
        owner: 'Ana',
      },
      challenges: [{ id: roi, title: 'Measuring return on investment (ROI)' }],
    });
    expect(byId.get(other)).not.toHaveProperty('metricDefinition');
    expect(body.challenges?.map((c) => [c.title, c.addressed])).toEqual([
      ['Identifying and reaching our target audience', false],
      ['Measuring return on investment (ROI)', true],
    ]);

    // The Markdown summary lists them too.
    const markdown = await fetch(`${server.url}/api/boards/${board.id}/export.md`, {
      headers: { authorization: `Bearer ${lead.token}` },
    });
    expect(markdown.status).toBe(200);
    const text = await markdown.text();
    expect(text).toContain('## Metric glossary');
    expect(text).toContain('## Challenges');
  });
});
