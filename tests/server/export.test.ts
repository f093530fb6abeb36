/**
 * The agreed-goals export over HTTP (docs/http.md#export, docs/export.md#agreed-goals-export, docs/errors.md#document-content) against a real server: goals written through
 * a real y-websocket provider, votes and agreement through real socket.io clients, every export
 * validated against the JSON Schema the server itself serves.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Joined } from '../../shared/api';
import { newItem, ROOT } from '../../shared/board';
import { newId } from '../../shared/ids';
import type { GoalsExport } from '../../shared/export/goals-export';
import { expectErrorAnswer, getAnswer, waitFor, type TextAnswer } from '../helpers/expect';
import { useServer } from '../helpers/fixtures';
import { exportValidator, shippedSchema } from '../helpers/export-schema';
import type { SessionClient } from '../helpers/session-clients';
import { boardSummary, GoalWriter, workshop, type Workshop } from '../helpers/workshop';

const TITLE = 'Lancement de l’équipe — Q1';
const T0 = Date.UTC(2026, 10, 26, 9, 0, 0);

/** [id, votes] of each exported goal, in order. */
const ranked = (exported: GoalsExport) => exported.goals.map((g) => [g.id, g.votes]);

interface Scene extends Workshop {
  writer: GoalWriter;
  /** In creation order: g1 (full fields), g2, g3, g4. */
  goals: [string, string, string, string];
  lead: SessionClient;
  members: [SessionClient, SessionClient];
}

describe('GET /api/boards/:id/export', () => {
  const server = useServer();
  const { sessions, sync } = server;
  let validate: (document: unknown) => string[];

  beforeAll(async () => {
    // Validate with the schema as the server publishes it (docs/http.md#schema).
    const schema = await getAnswer(`${server.url}/schema/goals-export-1.json`);
    expect(schema.status).toBe(200);
    validate = exportValidator(schema.body as object);
  });

  /** Fetches an export, expects 200 and a document valid against the served schema. */
  async function exported(
    boardId: string,
    options: { query?: string; token?: string } = {},
  ): Promise<{ answer: TextAnswer; body: GoalsExport }> {
    const answer = await getAnswer(
      `${server.url}/api/boards/${boardId}/export${options.query ?? ''}`,
      options.token === undefined ? {} : { authorization: `Bearer ${options.token}` },
    );
    expect(answer.status, answer.text).toBe(200);
    expect(validate(answer.body)).toEqual([]);
    return { answer, body: answer.body as GoalsExport };
  }

  /**
   * A board titled TITLE with goals g1..g4 (created in that order), voting open and hidden:
   * g3 has 4 votes, g4 2, g2 1, g1 none; g2 and g3 are agreed.
   */
  async function scene(title = TITLE): Promise<Scene> {
    const w = await workshop(server, 2, { title, locale: 'fr' });
    const writer = await GoalWriter.open(server, sync, w.board.id, w.facilitator);
    const goals = (await writer.add(
      [
        {
          title: 'Faire grandir notre audience',
          why: 'Des prospects qualifiés pour les ventes',
          metric: 'Abonnés LinkedIn',
          baseline: '1 200',
          target: '5 000',
          due: '2027-03-31',
          owner: 'Camille',
        },
        { title: 'Notoriété de la marque' },
        { title: 'Mesurer le ROI', metric: 'Prospects attribués', target: '40 par mois' },
        { title: 'Connaître notre public cible', owner: 'Dominique' },
      ],
      T0,
    )) as Scene['goals'];
    const connect = (joined: Joined) =>
      sessions.connect(server, { boardId: w.board.id, token: joined.token });
    const lead = await connect(w.facilitator);
    const members = (await Promise.all(w.participants.map(connect))) as [SessionClient, SessionClient];
    const [, g2, g3, g4] = goals;
    expect(await lead.request('voting', { open: true })).toEqual({ ok: true });
    const votes: Array<[SessionClient, string]> = [
      [members[0], g3],
      [members[0], g3],
      [members[0], g3],
      [members[0], g2],
      [members[1], g3],
      [members[1], g4],
      [members[1], g4],
    ];
    for (const [client, goalId] of votes) {
      expect(await client.request('vote', { goalId, delta: 1 })).toMatchObject({ ok: true });
    }
    expect(await lead.request('agree', { goalId: g3, agreed: true })).toEqual({ ok: true });
    expect(await lead.request('agree', { goalId: g2, agreed: true })).toEqual({ ok: true });
    return { ...w, writer, goals, lead, members };
  }

  describe('the response', () => {
    it('[http#export] answers 200 application/json, as an attachment named after the slug of an accented title', async () => {
      const s = await scene();
      const { answer, body } = await exported(s.board.id);
      expect(answer.headers.get('content-type')).toMatch(/^application\/json\b/);
      expect(answer.headers.get('content-disposition')).toBe(
        'attachment; filename="lancement-de-l-equipe-q1-goals.json"',
      );
      expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
      expect(body.schema).toBe('atelier/goals-export@1');
      expect(body.board).toEqual({ id: s.board.id, title: TITLE, url: s.board.participantUrl });
      expect(Math.abs(Date.parse(body.exportedAt) - Date.now())).toBeLessThan(60_000);
      expect(body.voting).toEqual({ votesPerPerson: 5, voters: 2, votesCast: 7 });
    });

    it('[http#export] names the file "board-goals.json" when nothing of the title is left after slugging', async () => {
      const w = await workshop(server, 0, { title: '日本語のボード', locale: 'en' });
      const { answer, body } = await exported(w.board.id);
      expect(answer.headers.get('content-disposition')).toBe('attachment; filename="board-goals.json"');
      expect(body.board.title).toBe('日本語のボード');
    });

    it('[http#schema][export#schema] serves the JSON Schema at /schema/goals-export-1.json: 200 JSON, the one shipped with the project', async () => {
      const answer = await getAnswer(`${server.url}/schema/goals-export-1.json`);
      expect(answer.status).toBe(200);
      expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
      expect(answer.body).toEqual(shippedSchema);
      // It is a working validator: it rejects a document that is not an export.
      expect(validate({ schema: 'atelier/goals-export@1' })).not.toEqual([]);
    });
  });

  describe('status', () => {
    it('[export#which-goals] lists only the agreed goals by default', async () => {
      const s = await scene();
      const [, g2, g3] = s.goals;
      const { body } = await exported(s.board.id, { token: s.facilitator.token });
      expect(body.goals.map((g) => [g.rank, g.id, g.status])).toEqual([
        [1, g3, 'agreed'],
        [2, g2, 'agreed'],
      ]);
    });

    it('[export#which-goals] lists every goal with its status for ?status=all', async () => {
      const s = await scene();
      const [g1, g2, g3, g4] = s.goals;
      const { body } = await exported(s.board.id, { query: '?status=all', token: s.facilitator.token });
      expect(body.goals.map((g) => [g.rank, g.id, g.status, g.votes])).toEqual([
        [1, g3, 'agreed', 4],
        [2, g4, 'proposed', 2],
        [3, g2, 'agreed', 1],
        [4, g1, 'proposed', 0],
      ]);
      expect(body.goals[3]).toEqual({
        rank: 4,
        id: g1,
        title: 'Faire grandir notre audience',
        why: 'Des prospects qualifiés pour les ventes',
        metric: 'Abonnés LinkedIn',
        baseline: '1 200',
        target: '5 000',
        due: '2027-03-31',
        owner: 'Camille',
        status: 'proposed',
        votes: 0,
        tied: false,
      });
      // Fields not filled are empty strings; no due date is null.
      expect(body.goals[2]).toEqual({
        rank: 3,
        id: g2,
        title: 'Notoriété de la marque',
        why: '',
        metric: '',
        baseline: '',
        target: '',
        due: null,
        owner: '',
        status: 'agreed',
        votes: 1,
        tied: false,
      });
    });

    it('[http#status-codes][export#which-goals] answers any other status value with 400 bad_request', async () => {
      const s = await scene();
      for (const query of ['?status=agreed', '?status=x', '?status=', '?status=ALL', '?status=proposed']) {
        expectErrorAnswer(
          await getAnswer(`${server.url}/api/boards/${s.board.id}/export${query}`),
          400,
          'bad_request',
        );
      }
    });
  });

  describe('hidden tallies', () => {
    it('[http#export] before reveal: votes null and creation order for an anonymous request', async () => {
      const s = await scene();
      const [g1, g2, g3, g4] = s.goals;
      expect(ranked((await exported(s.board.id, { query: '?status=all' })).body)).toEqual([
        [g1, null],
        [g2, null],
        [g3, null],
        [g4, null],
      ]);
      expect(ranked((await exported(s.board.id)).body)).toEqual([
        [g2, null],
        [g3, null],
      ]);
    });

    it('[http#join-a-board] before reveal: votes null and creation order for a participant’s token', async () => {
      const s = await scene();
      const [g1, g2, g3, g4] = s.goals;
      for (const participant of s.participants) {
        const { body } = await exported(s.board.id, { query: '?status=all', token: participant.token });
        expect(ranked(body)).toEqual([
          [g1, null],
          [g2, null],
          [g3, null],
          [g4, null],
        ]);
        expect(body.goals.map((g) => g.rank)).toEqual([1, 2, 3, 4]);
      }
    });

    it('[http#join-a-board] before reveal: real votes and vote order for a facilitator’s token', async () => {
      const s = await scene();
      const [g1, g2, g3, g4] = s.goals;
      expect(
        ranked((await exported(s.board.id, { query: '?status=all', token: s.facilitator.token })).body),
      ).toEqual([
        [g3, 4],
        [g4, 2],
        [g2, 1],
        [g1, 0],
      ]);
      expect(ranked((await exported(s.board.id, { token: s.facilitator.token })).body)).toEqual([
        [g3, 4],
        [g2, 1],
      ]);
    });

    it('[http#export][session#voting] after reveal: votes and vote order for everyone; hidden again after a reset', async () => {
      const s = await scene();
      const [g1, g2, g3, g4] = s.goals;
      expect(await s.lead.request('voting', { revealed: true })).toEqual({ ok: true });
      const expected = [
        [g3, 4],
        [g4, 2],
        [g2, 1],
        [g1, 0],
      ];
      for (const token of [undefined, s.facilitator.token, ...s.participants.map((p) => p.token)]) {
        const options = token === undefined ? { query: '?status=all' } : { query: '?status=all', token };
        expect(ranked((await exported(s.board.id, options)).body)).toEqual(expected);
      }
      expect(await s.lead.request('voting', { reset: true })).toEqual({ ok: true });
      const { body } = await exported(s.board.id, { query: '?status=all' });
      expect(ranked(body)).toEqual([
        [g1, null],
        [g2, null],
        [g3, null],
        [g4, null],
      ]);
      expect(body.voting).toEqual({ votesPerPerson: 5, voters: 0, votesCast: 0 });
    });
  });

  describe('ties', () => {
    it('[export#ties] after reveal: goals with the same votes are tied, with distinct ranks; no tied field while hidden', async () => {
      const s = await scene();
      const [g1, g2, g3, g4] = s.goals;
      // One more vote on g2 brings it level with g4 (2 each).
      expect(await s.members[0].request('vote', { goalId: g2, delta: 1 })).toMatchObject({ ok: true });
      const hidden = await exported(s.board.id, { query: '?status=all' });
      for (const exportedGoal of hidden.body.goals) expect('tied' in exportedGoal).toBe(false);

      expect(await s.lead.request('voting', { revealed: true })).toEqual({ ok: true });
      const shown = await exported(s.board.id, { query: '?status=all' });
      expect(shown.body.goals.map((g) => [g.rank, g.id, g.votes, g.tied])).toEqual([
        [1, g3, 4, false],
        [2, g2, 2, true],
        [3, g4, 2, true],
        [4, g1, 0, false],
      ]);
      // Among the agreed goals only (g3, g2), nobody else has 2 votes.
      const agreed = await exported(s.board.id);
      expect(agreed.body.goals.map((g) => [g.id, g.tied])).toEqual([
        [g3, false],
        [g2, false],
      ]);
    });
  });

  describe('refused', () => {
    it('[http#join-a-board] answers an invalid Bearer token with 401 bad_token, never a silent downgrade', async () => {
      const s = await scene();
      const other = await workshop(server, 1);
      const url = `${server.url}/api/boards/${s.board.id}/export`;
      const forged = `${s.facilitator.token.split('.')[0]}.AAAA`;
      for (const token of [
        'nonsense',
        forged,
        (other.participants[0] as Joined).token,
        other.facilitator.token,
      ]) {
        expectErrorAnswer(await getAnswer(url, { authorization: `Bearer ${token}` }), 401, 'bad_token');
      }
    });

    it('[http#status-codes] answers an unknown board with 404 unknown_board', async () => {
      expectErrorAnswer(
        await getAnswer(`${server.url}/api/boards/NoSuchBoardAAAAAAAAAAA/export`),
        404,
        'unknown_board',
      );
      expectErrorAnswer(await getAnswer(`${server.url}/api/boards/__proto__/export`), 404, 'unknown_board');
      expectErrorAnswer(
        await getAnswer(`${server.url}/api/boards/NoSuchBoardAAAAAAAAAAA/export?status=all`),
        404,
        'unknown_board',
      );
    });
  });

  describe('current content', () => {
    it('[export#fields] shows an agreed goal as edited after it was agreed', async () => {
      const s = await scene();
      const [, g2] = s.goals;
      const exportedTitle = async (): Promise<string | undefined> =>
        (await exported(s.board.id)).body.goals.find((g) => g.id === g2)?.title;
      await s.writer.update(
        g2,
        { title: 'Notoriété de la marque sur Instagram', owner: 'Sam', due: '2027-06-30' },
        async () => (await exportedTitle()) === 'Notoriété de la marque sur Instagram',
      );
      const { body } = await exported(s.board.id);
      expect(body.goals.find((g) => g.id === g2)).toMatchObject({
        title: 'Notoriété de la marque sur Instagram',
        owner: 'Sam',
        due: '2027-06-30',
        status: 'agreed',
      });
    });

    it('[export#fields] no longer exports a deleted agreed goal nor its tally; its votes stay cast (votesCast does not move)', async () => {
      const s = await scene();
      const [g1, g2, g3, g4] = s.goals;
      const before = (await exported(s.board.id, { token: s.facilitator.token })).body.voting;
      await s.writer.delete(g3);
      const { body } = await exported(s.board.id, { token: s.facilitator.token });
      expect(ranked(body)).toEqual([[g2, 1]]);
      // A deletion must not tell anyone, through the export either, how many votes the goal held.
      expect(body.voting).toEqual(before);
      expect(body.voting).toEqual({ votesPerPerson: 5, voters: 2, votesCast: 7 });
      const all = await exported(s.board.id, { query: '?status=all', token: s.facilitator.token });
      expect(all.body.goals.map((g) => [g.id, g.status, g.votes])).toEqual([
        [g4, 'proposed', 2],
        [g2, 'agreed', 1],
        [g1, 'proposed', 0],
      ]);
    });

    it('[export#agreed-goals-export] exports "goals": [] for a board with no agreed goal', async () => {
      const s = await scene();
      const [, g2, g3] = s.goals;
      expect(await s.lead.request('agree', { goalId: g2, agreed: false })).toEqual({ ok: true });
      expect(await s.lead.request('agree', { goalId: g3, agreed: false })).toEqual({ ok: true });
      const { answer, body } = await exported(s.board.id, { token: s.facilitator.token });
      expect(body.goals).toEqual([]);
      expect(answer.text).toMatch(/"goals": \[\]/);
      // A board that never had a goal.
      const empty = await workshop(server, 0);
      const fresh = await exported(empty.board.id, { query: '?status=all' });
      expect(fresh.body.goals).toEqual([]);
      expect(fresh.body.voting).toEqual({ votesPerPerson: 5, voters: 0, votesCast: 0 });
    });

    it('[sync#readers][errors#text-limits] skips malformed goals written into the document and bounds over-long text, never a crash', async () => {
      const w = await workshop(server, 0);
      const client = await sync.syncedProvider(server, w.board.id, { token: w.facilitator.token });
      const goals = client.doc.getMap(ROOT.goals);
      const long = newId();
      client.doc.transact(() => {
        goals.set(
          long,
          newItem({ id: long, title: 't'.repeat(600), why: 'w'.repeat(700), due: 'soon', createdAt: 'then' }),
        );
        goals.set(newId(), newItem({ title: 42 }));
        goals.set(newId(), 'a goal as a string');
        goals.set('__proto__', newItem({ title: 'proto' }));
        goals.set('short', newItem({ title: 'short key' }));
      });
      await waitFor(async () => (await boardSummary(server, w.board.id)).goals === 1, 5_000, 'the goal');
      const lead = await sessions.connect(server, { boardId: w.board.id, token: w.facilitator.token });
      expect(await lead.request('agree', { goalId: long, agreed: true })).toEqual({ ok: true });
      for (const query of ['', '?status=all']) {
        const { body } = await exported(w.board.id, { query });
        expect(body.goals).toEqual([
          {
            rank: 1,
            id: long,
            title: 't'.repeat(500),
            why: 'w'.repeat(500),
            metric: '',
            baseline: '',
            target: '',
            due: null,
            owner: '',
            status: 'agreed',
            votes: null,
          },
        ]);
      }
    });

    it('[export#agreed-goals-export][errors#bad-input-and-faults] exports the stored state once everyone has left and the meeting is unloaded', async () => {
      const s = await scene();
      const [, g2, g3] = s.goals;
      await sessions.closeAll();
      await sync.closeAll();
      await waitFor(() => server.running.sessions.loadedCount === 0, 5_000, 'the meeting to unload');
      const { body } = await exported(s.board.id, { token: s.facilitator.token });
      expect(ranked(body)).toEqual([
        [g3, 4],
        [g2, 1],
      ]);
      expect(body.voting).toEqual({ votesPerPerson: 5, voters: 2, votesCast: 7 });
    });
  });
});

describe('GET /api/boards/:id/export behind PUBLIC_URL', () => {
  const server = useServer({ env: { PUBLIC_URL: 'https://atelier.example.org' } });

  it('[http#read-a-board][export#agreed-goals-export] gives the board’s participant link, built from PUBLIC_URL, as board.url', async () => {
    const w = await workshop(server, 0, { title: 'Kickoff', locale: 'en' });
    expect(w.board.participantUrl).toBe(`https://atelier.example.org/b/${w.board.id}`);
    const answer = await getAnswer(`${server.url}/api/boards/${w.board.id}/export`);
    expect(answer.status).toBe(200);
    expect(exportValidator()(answer.body)).toEqual([]);
    expect((answer.body as GoalsExport).board).toEqual({
      id: w.board.id,
      title: 'Kickoff',
      url: `https://atelier.example.org/b/${w.board.id}`,
    });
  });
});
