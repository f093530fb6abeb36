/**
 * The whole board as one file over HTTP (docs/http.md#download-the-whole-board,
 * docs/http.md#import-a-board, docs/export.md#whole-board-file) against a real server: content
 * written through a real y-websocket provider, votes and agreement through real socket.io clients,
 * every file validated against the JSON Schema the server serves, imports read back from SQLite.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CreatedBoard } from '../../shared/api';
import {
  addCard,
  addCommitment,
  addHat,
  readHats,
  readQuestions,
  setEstimate,
  setNextCheckIn,
  toggleHat,
} from '../../shared/board';
import type { BoardFile } from '../../shared/export/board-file';
import { expectErrorAnswer, readAnswer, syncRoundTrip, type TextAnswer } from '../helpers/expect';
import { exportValidator } from '../helpers/export-schema';
import { useServer } from '../helpers/fixtures';
import { joinBoard } from '../helpers/server';
import { GoalWriter, workshop, type Workshop } from '../helpers/workshop';

const HOSTILE = '<img src=x onerror="alert(1)">{{constructor}}\'; DROP TABLE boards;--';

describe('the whole board as one file', () => {
  const server = useServer({ env: { MAX_PARTICIPANTS: '4' } });
  const { sessions, sync } = server;
  let validate: (document: unknown) => string[];

  beforeAll(async () => {
    const schema = await readAnswer(await fetch(`${server.url}/schema/board-1.json`));
    expect(schema.status).toBe(200);
    expect(schema.headers.get('access-control-allow-origin')).toBe('*');
    validate = exportValidator(schema.body as object);
  });

  const download = async (boardId: string, token?: string, query = ''): Promise<TextAnswer> =>
    readAnswer(
      await fetch(`${server.url}/api/boards/${boardId}/board.json${query}`, {
        headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
      }),
    );

  const upload = async (body: string, type = 'application/json'): Promise<TextAnswer> =>
    readAnswer(
      await fetch(`${server.url}/api/boards/import`, {
        method: 'POST',
        headers: { 'content-type': type },
        body,
      }),
    );

  /** The boards stored, read from the server's own SQLite file. */
  function storedBoards(): number {
    const db = new Database(join(server.dataDir, 'atelier.sqlite'), { readonly: true });
    try {
      return (db.prepare('SELECT count(*) AS n FROM boards').get() as { n: number }).n;
    } finally {
      db.close();
    }
  }

  /**
   * A kickoff board with answers by two people, hats worn, estimates of both kinds, goals (one
   * agreed, votes cast), a commitment and the next check-in.
   */
  async function scene(): Promise<Workshop & { writer: GoalWriter }> {
    const w = await workshop(server, 2, { title: 'Lancement — équipe', locale: 'fr' });
    const [ana, bo] = w.participants as [(typeof w.participants)[0], (typeof w.participants)[0]];
    const writer = await GoalWriter.open(server, sync, w.board.id, w.facilitator);
    const doc = writer.client.doc;
    const [discover] = readQuestions(doc, 'discover');
    const [duration, , frequency] = readQuestions(doc, 'day-to-day');
    if (!discover || !duration || !frequency) throw new Error('the template has its questions');
    addCard(
      doc,
      { questionId: discover.id, text: 'Des PME en Belgique', authorId: ana.participantId },
      null,
      1_000,
    );
    addCard(doc, { questionId: discover.id, text: HOSTILE, authorId: bo.participantId }, null, 2_000);
    const [firstHat] = readHats(doc);
    if (!firstHat) throw new Error('the template has hats');
    toggleHat(doc, firstHat.id, ana.participantId);
    toggleHat(doc, firstHat.id, bo.participantId);
    const podcast = addHat(doc, 'Podcasteur');
    toggleHat(doc, podcast, bo.participantId);
    setEstimate(doc, duration.id, ana.participantId, { amount: 90, unit: 'minutes', per: 'day' });
    setEstimate(doc, frequency.id, bo.participantId, { times: 2, per: 'week' });
    addCommitment(doc, { text: 'Partager les chiffres chaque mois', owner: 'Camille' });
    setNextCheckIn(doc, '2027-01-15');
    const [g1, g2] = await writer.add([
      {
        title: 'Faire grandir notre audience',
        metric: 'Abonnés',
        target: '5 000',
        due: '2027-03-31',
        owner: 'Ana',
      },
      { title: 'Mesurer le ROI' },
    ]);
    await syncRoundTrip(writer.client);
    const lead = await sessions.connect(server, { boardId: w.board.id, token: w.facilitator.token });
    const member = await sessions.connect(server, { boardId: w.board.id, token: ana.token });
    expect(await lead.request('voting', { open: true })).toEqual({ ok: true });
    expect(await member.request('vote', { goalId: g2, delta: 1 })).toMatchObject({ ok: true });
    expect(await member.request('vote', { goalId: g2, delta: 1 })).toMatchObject({ ok: true });
    expect(await member.request('vote', { goalId: g1, delta: 1 })).toMatchObject({ ok: true });
    expect(await lead.request('agree', { goalId: g2, agreed: true })).toEqual({ ok: true });
    return { ...w, writer };
  }

  /** What a file holds of the board's content, without the time and the decisions. */
  function content(file: BoardFile): unknown {
    return {
      board: file.board,
      people: file.people,
      questions: file.questions,
      hats: file.hats,
      goals: file.goals.map(({ rank: _r, votes: _v, tied: _t, status: _s, ...goal }) => goal),
      commitments: file.commitments,
      nextCheckIn: file.nextCheckIn,
    };
  }

  describe('download', () => {
    it('[http#download-the-whole-board] refuses no token (401) and a participant (403); serves a facilitator an attachment valid against the schema', async () => {
      const s = await scene();
      expectErrorAnswer(await download(s.board.id), 401, 'bad_token');
      expectErrorAnswer(await download(s.board.id, s.participants[0]?.token), 403, 'not_facilitator');
      expectErrorAnswer(await download(s.board.id, s.facilitator.token, '?template=yes'), 400, 'bad_request');

      const answer = await download(s.board.id, s.facilitator.token);
      expect(answer.status, answer.text).toBe(200);
      expect(answer.headers.get('content-type')).toMatch(/^application\/json\b/);
      expect(answer.headers.get('content-disposition')).toBe(
        'attachment; filename="lancement-equipe-board.json"',
      );
      expect(validate(answer.body)).toEqual([]);
      const file = answer.body as BoardFile;
      expect(file.schema).toBe('atelier/board@1');
      expect(file.variant).toBe('board');
      // People in the order they joined (ties in the same millisecond by id): refs by name.
      expect(file.people?.map((person) => person.ref)).toEqual(['p1', 'p2', 'p3']);
      expect(file.people?.map((person) => person.name).sort()).toEqual(['Lead', 'Member 1', 'Member 2']);
      const ref = (name: string): string | undefined =>
        file.people?.find((person) => person.name === name)?.ref;
      const discover = file.questions[0];
      expect(discover?.answers).toEqual([
        { text: 'Des PME en Belgique', author: ref('Member 1') },
        { text: HOSTILE, author: ref('Member 2') },
      ]);
      const tasks = file.questions.filter((question) => question.section === 'day-to-day');
      expect(tasks.map((task) => [task.kind, task.estimates])).toEqual([
        ['duration', [{ person: ref('Member 1'), amount: 90, unit: 'minutes', per: 'day' }]],
        ['duration', []],
        ['frequency', [{ person: ref('Member 2'), times: 2, per: 'week' }]],
      ]);
      expect(file.hats[0]?.wornBy?.sort()).toEqual(['p2', 'p3']);
      expect(file.hats.at(-1)).toEqual({ label: 'Podcasteur', added: true, wornBy: [ref('Member 2')] });
      // Decisions as the facilitator sees them, though the votes are not revealed.
      expect(file.goals.map((goal) => [goal.title, goal.status, goal.rank, goal.votes, goal.tied])).toEqual([
        ['Faire grandir notre audience', 'proposed', 2, 1, false],
        ['Mesurer le ROI', 'agreed', 1, 2, false],
      ]);
      expect(file.goals[0]).toMatchObject({ due: '2027-03-31', owner: 'Ana', author: ref('Lead') });
      expect(file.commitments).toEqual([{ text: 'Partager les chiffres chaque mois', owner: 'Camille' }]);
      expect(file.nextCheckIn).toBe('2027-01-15');
      expect(file.voting).toEqual({ votesPerPerson: 5, revealed: false, voters: 1, votesCast: 3 });
    });

    it('[export#template-variant] ?template=1 holds the questions, hats, goal drafts and commitments, and no people, answer, estimate, owner or decision', async () => {
      const s = await scene();
      const answer = await download(s.board.id, s.facilitator.token, '?template=1');
      expect(answer.status, answer.text).toBe(200);
      expect(answer.headers.get('content-disposition')).toBe(
        'attachment; filename="lancement-equipe-template.json"',
      );
      expect(validate(answer.body)).toEqual([]);
      const file = answer.body as BoardFile;
      expect(file.variant).toBe('template');
      expect(answer.text).not.toContain('Member');
      expect(answer.text).not.toContain('PME');
      expect(answer.text).not.toContain('Camille');
      expect(file).not.toHaveProperty('people');
      expect(file).not.toHaveProperty('voting');
      expect(file).not.toHaveProperty('nextCheckIn');
      expect(file.questions.every((question) => !('answers' in question) && !('estimates' in question))).toBe(
        true,
      );
      expect(file.hats.every((hat) => !('wornBy' in hat))).toBe(true);
      expect(file.goals[0]).toEqual({
        title: 'Faire grandir notre audience',
        why: '',
        metric: 'Abonnés',
        baseline: '',
        target: '5 000',
      });
      expect(file.commitments).toEqual([{ text: 'Partager les chiffres chaque mois', owner: '' }]);
    });
  });

  describe('import', () => {
    async function importFile(file: unknown): Promise<CreatedBoard> {
      const answer = await upload(JSON.stringify(file));
      expect(answer.status, answer.text).toBe(201);
      return answer.body as CreatedBoard;
    }

    async function downloadAsFacilitator(board: CreatedBoard, query = ''): Promise<BoardFile> {
      const lead = await joinBoard(server, board.id, 'Lead', board.facilitatorKey);
      const answer = await download(board.id, lead.token, query);
      expect(answer.status, answer.text).toBe(200);
      expect(validate(answer.body)).toEqual([]);
      return answer.body as BoardFile;
    }

    it('[export#importing-a-board-file] a round trip keeps questions, answers, authors, hats, estimates, goals, commitments and the check-in; the new board starts with no decision', async () => {
      const s = await scene();
      const original = (await download(s.board.id, s.facilitator.token)).body as BoardFile;
      const imported = await importFile(original);
      expect(imported.id).not.toBe(s.board.id);
      expect(imported.title).toBe('Lancement — équipe');

      const copy = await downloadAsFacilitator(imported);
      expect(content(copy)).toEqual({
        ...(content(original) as object),
        // The importer joined the new board after the restored people.
        people: [...(original.people ?? []), { ref: 'p4', name: 'Lead' }],
      });
      expect(copy.goals.map((goal) => [goal.status, goal.votes])).toEqual([
        ['proposed', 0],
        ['proposed', 0],
      ]);
      expect(copy.voting).toMatchObject({ voters: 0, votesCast: 0, revealed: false });
      // The restored people are names on the new board, not facilitators.
      const summary = (await (await fetch(`${server.url}/api/boards/${imported.id}`)).json()) as {
        participants: number;
      };
      expect(summary.participants).toBe(4);
    });

    it('[export#importing-a-board-file] a template makes a board with its questions, hats and drafts, and nobody on it', async () => {
      const s = await scene();
      const template = (await download(s.board.id, s.facilitator.token, '?template=1')).body as BoardFile;
      const board = await importFile(template);
      const copy = await downloadAsFacilitator(board, '?template=1');
      expect({ ...copy, exportedAt: '' }).toEqual({ ...template, exportedAt: '' });
      const summary = (await (await fetch(`${server.url}/api/boards/${board.id}`)).json()) as {
        participants: number;
      };
      expect(summary.participants).toBe(1);
    });

    it('[export#importing-a-board-file] hostile strings are stored and served back as text', async () => {
      const s = await scene();
      const original = (await download(s.board.id, s.facilitator.token)).body as BoardFile;
      const file = { ...original, board: { ...original.board, title: HOSTILE.slice(0, 120) } };
      const board = await importFile(file);
      const copy = await downloadAsFacilitator(board);
      expect(copy.board.title).toBe(HOSTILE.slice(0, 120));
      expect(copy.questions[0]?.answers?.[1]?.text).toBe(HOSTILE);
    });
  });

  describe('refusals', () => {
    /** A valid template-variant file to spoil. */
    const valid = (): Record<string, unknown> => ({
      schema: 'atelier/board@1',
      variant: 'template',
      board: { title: 'Kickoff', locale: 'en', template: 'blank' },
      questions: [{ section: 'discover', text: 'Who is our audience?' }],
      hats: [],
      goals: [{ title: 'Grow', why: '', metric: '', baseline: '', target: '' }],
      commitments: [],
    });

    async function refused(body: string, status: number, code: string, message: RegExp): Promise<void> {
      const before = storedBoards();
      const answer = await upload(body);
      expectErrorAnswer(answer, status, code);
      expect((answer.body as { error: { message: string } }).error.message).toMatch(message);
      expect(storedBoards()).toBe(before);
    }

    it('[http#import-a-board] accepts the valid base file', async () => {
      const before = storedBoards();
      expect((await upload(JSON.stringify(valid()))).status).toBe(201);
      expect(storedBoards()).toBe(before + 1);
    });

    it('[http#import-a-board] refuses a body that is not JSON, or not an object', async () => {
      await refused('{"schema": "atelier/board@1",', 400, 'bad_request', /not valid JSON/);
      await refused('[1, 2]', 400, 'bad_request', /JSON object/);
    });

    it('[http#import-a-board] names the first problem with its path', async () => {
      const wrongType = { ...valid(), questions: [{ section: 'discover', text: 42 }] };
      await refused(JSON.stringify(wrongType), 400, 'bad_request', /^questions\.0\.text: text must be text$/);
      const tooLong = { ...valid(), board: { title: 't'.repeat(121), locale: 'en', template: 'blank' } };
      await refused(
        JSON.stringify(tooLong),
        400,
        'bad_request',
        /^board\.title: title is limited to 120 characters$/,
      );
      const badDate = {
        ...valid(),
        goals: [{ title: 'Grow', why: '', metric: '', baseline: '', target: '', due: '2027-02-30' }],
      };
      await refused(JSON.stringify(badDate), 400, 'bad_request', /^goals\.0\.due: due must be a date/);
      const noPerson = {
        ...valid(),
        questions: [{ section: 'discover', text: 'Q', answers: [{ text: 'A', author: 'p9' }] }],
      };
      await refused(
        JSON.stringify(noPerson),
        400,
        'bad_request',
        /^questions\.0\.answers\.0\.author: "p9" is not in people$/,
      );
      await refused(
        JSON.stringify({ ...valid(), schema: 'atelier/goals-export@1' }),
        400,
        'bad_request',
        /^schema: schema must be "atelier\/board@1"$/,
      );
    });

    it('[http#import-a-board] refuses a file of a newer version, saying so', async () => {
      await refused(
        JSON.stringify({ ...valid(), schema: 'atelier/board@2' }),
        400,
        'bad_request',
        /"atelier\/board@2", a newer version/,
      );
    });

    it('[http#import-a-board] refuses a file over 1 MiB with 413, naming the limit', async () => {
      const huge = { ...valid(), padding: 'x'.repeat(1024 * 1024) };
      await refused(JSON.stringify(huge), 413, 'too_large', /1048576 bytes/);
    });

    it('[http#import-a-board] refuses more people than a board takes, and creates nothing', async () => {
      const people = Array.from({ length: 5 }, (_, index) => ({
        ref: `p${index + 1}`,
        name: `P${index + 1}`,
      }));
      await refused(
        JSON.stringify({ ...valid(), variant: 'board', people }),
        400,
        'bad_request',
        /^people: at most 4/,
      );
    });

    it('[http#create-a-board] the create route keeps its contract and its 16 KiB limit', async () => {
      const answer = await readAnswer(
        await fetch(`${server.url}/api/boards`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ title: 'x'.repeat(20_000) }),
        }),
      );
      expectErrorAnswer(answer, 413, 'too_large');
    });
  });
});
