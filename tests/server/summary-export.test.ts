/**
 * The summary as Markdown and the goals as CSV over HTTP (docs/http.md#summary-exports,
 * docs/export.md#summary) against a real server: goals and answers written through a real
 * y-websocket provider, votes and agreement through real socket.io clients.
 */
import { describe, expect, it } from 'vitest';
import type { Joined } from '../../shared/api';
import { addCard, readQuestions } from '../../shared/board';
import { expectErrorAnswer, getAnswer, waitFor } from '../helpers/expect';
import { liveMeeting, openPulse } from '../helpers/facilitation';
import { useServer } from '../helpers/fixtures';
import type { SessionClient } from '../helpers/session-clients';
import { GoalWriter, workshop, type Workshop } from '../helpers/workshop';

const T0 = Date.UTC(2026, 10, 26, 9, 0, 0);

interface Scene extends Workshop {
  goals: [string, string, string];
  lead: SessionClient;
}

describe('GET /api/boards/:id/export.md and export.csv', () => {
  const server = useServer();
  const { sessions, sync } = server;

  /** A French board: g1 (full), g2 (formula-like), g3; votes g2 3, g3 1; g1 and g2 agreed; voting hidden. */
  async function scene(): Promise<Scene> {
    const w = await workshop(server, 2, { title: 'Équipe sociale, Q1', locale: 'fr' });
    const writer = await GoalWriter.open(server, sync, w.board.id, w.facilitator);
    const goals = (await writer.add(
      [
        {
          title: 'Faire grandir l’audience',
          why: 'Des prospects, pour les ventes',
          metric: 'Abonnés',
          baseline: '1 200',
          target: '5 000',
          due: '2027-03-31',
          owner: 'Camille',
        },
        { title: '=HYPERLINK("http://evil","clic")' },
        { title: 'Mesurer le ROI' },
      ],
      T0,
    )) as Scene['goals'];
    const question = readQuestions(writer.client.doc, 'discover')[0];
    addCard(writer.client.doc, {
      questionId: question?.id ?? '',
      text: '# [x](javascript:alert(1)) | * _',
      authorId: w.facilitator.participantId,
    });
    const connect = (joined: Joined) =>
      sessions.connect(server, { boardId: w.board.id, token: joined.token });
    const lead = await connect(w.facilitator);
    const [m1, m2] = (await Promise.all(w.participants.map(connect))) as [SessionClient, SessionClient];
    const [g1, g2, g3] = goals;
    expect(await lead.request('voting', { open: true })).toEqual({ ok: true });
    for (const [client, goalId] of [
      [m1, g2],
      [m1, g2],
      [m2, g2],
      [m2, g3],
    ] as const) {
      expect(await client.request('vote', { goalId, delta: 1 })).toMatchObject({ ok: true });
    }
    expect(await lead.request('agree', { goalId: g1, agreed: true })).toEqual({ ok: true });
    expect(await lead.request('agree', { goalId: g2, agreed: true })).toEqual({ ok: true });
    // The card is on the server once the Markdown shows it.
    await waitFor(
      async () =>
        (await getAnswer(`${server.url}/api/boards/${w.board.id}/export.md`)).text.includes('javascript'),
      5_000,
      'the card on the server',
    );
    return { ...w, goals, lead };
  }

  const url = (s: Workshop, format: 'md' | 'csv', query = '') =>
    `${server.url}/api/boards/${s.board.id}/export.${format}${query}`;
  const bearer = (joined: Joined) => ({ authorization: `Bearer ${joined.token}` });

  it('[http#summary-exports] answers Markdown as text/markdown UTF-8, an attachment named after the title, with escaped answers', async () => {
    const s = await scene();
    const answer = await getAnswer(url(s, 'md'));
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('text/markdown; charset=utf-8');
    expect(answer.headers.get('content-disposition')).toBe(
      'attachment; filename="equipe-sociale-q1-summary.md"',
    );
    expect(answer.headers.get('cache-control')).toBe('no-store');
    expect(answer.text).toMatch(/^# Équipe sociale, Q1\n/);
    for (const heading of ['## Participants', '## Objectifs retenus', '## Engagements', '## Découverte']) {
      expect(answer.text).toContain(`\n${heading}\n`);
    }
    expect(answer.text).toContain('Lead, Member 1, Member 2');
    expect(answer.text).toContain('\n- \\# \\[x\\](javascript:alert(1)) \\| \\* \\_\n');
    expect(answer.text).toContain(`[Tableau](<${s.board.participantUrl}>)`);
  });

  it('[http#summary-exports] answers CSV as text/csv UTF-8 with a BOM, CRLF, French headers and neutralised formulas', async () => {
    const s = await scene();
    const answer = await getAnswer(url(s, 'csv', '?status=all'), bearer(s.facilitator));
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(answer.headers.get('content-disposition')).toBe(
      'attachment; filename="equipe-sociale-q1-goals.csv"',
    );
    expect(answer.text.split('\r\n')).toEqual([
      '\uFEFFRang,Titre,Objectif business,Indicateur,Point de départ,Cible,Échéance,Responsable,Votes,Retenu',
      '1,"\'=HYPERLINK(""http://evil"",""clic"")",,,,,,,3,oui',
      '2,Mesurer le ROI,,,,,,,1,non',
      '3,Faire grandir l’audience,"Des prospects, pour les ventes",Abonnés,1 200,5 000,2027-03-31,Camille,0,oui',
      '',
    ]);
  });

  it('[http#summary-exports][export#csv-delimiter] separates by semicolons with delimiter=semicolon, by commas by default or with delimiter=comma', async () => {
    const s = await scene();
    const semicolon = await getAnswer(
      url(s, 'csv', '?status=all&delimiter=semicolon'),
      bearer(s.facilitator),
    );
    expect(semicolon.status).toBe(200);
    expect(semicolon.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(semicolon.text.split('\r\n')).toEqual([
      '\uFEFFRang;Titre;Objectif business;Indicateur;Point de départ;Cible;Échéance;Responsable;Votes;Retenu',
      '1;"\'=HYPERLINK(""http://evil"",""clic"")";;;;;;;3;oui',
      '2;Mesurer le ROI;;;;;;;1;non',
      '3;Faire grandir l’audience;Des prospects, pour les ventes;Abonnés;1 200;5 000;2027-03-31;Camille;0;oui',
      '',
    ]);
    const comma = await getAnswer(url(s, 'csv', '?status=all&delimiter=comma'), bearer(s.facilitator));
    const byDefault = await getAnswer(url(s, 'csv', '?status=all'), bearer(s.facilitator));
    expect(comma.text).toBe(byDefault.text);
    expect(comma.text.split('\r\n')[0]).toMatch(/^\uFEFFRang,Titre,/);
  });

  it('[export#summary][http#summary-exports] carries the pulse with its help texts once the facilitator shows the results, and neither while hidden', async () => {
    const m = await openPulse(await liveMeeting(server, sessions, 3));
    const answers = [
      { score: 2, help: 'Fewer meetings' },
      { score: 4, help: '' },
      { score: 3, help: '*Clear* priorities' },
    ];
    for (const [index, answer] of answers.entries()) {
      expect(await m.members[index]?.request('pulse', answer)).toEqual({ ok: true });
    }
    const markdown = async () =>
      (await getAnswer(`${server.url}/api/boards/${m.board.id}/export.md`, bearer(m.facilitator))).text;
    const before = await markdown();
    expect(before).not.toContain('## Team pulse');
    expect(before).not.toContain('Fewer meetings');

    expect(await m.lead.request('pulseResults', { shown: true })).toEqual({ ok: true });
    const shown = await markdown();
    expect(shown).toContain('## Team pulse\n\nAverage 3 / 5 from 3 answers\n');
    expect(shown).toContain('\n### What would help\n\n- \\*Clear\\* priorities\n- Fewer meetings\n');

    expect(await m.lead.request('pulseResults', { shown: false })).toEqual({ ok: true });
    const hidden = await markdown();
    expect(hidden).not.toContain('## Team pulse');
    expect(hidden).not.toContain('Fewer meetings');
    expect(hidden).not.toContain('priorities');
  });

  it('[http#summary-exports][export#csv-delimiter] refuses a delimiter other than comma or semicolon', async () => {
    const s = await scene();
    for (const value of ['tab', ';', 'SEMICOLON', '']) {
      expectErrorAnswer(
        await getAnswer(url(s, 'csv', `?delimiter=${encodeURIComponent(value)}`)),
        400,
        'bad_request',
      );
    }
  });

  it('[export#hidden-votes] hides votes before the reveal as the JSON export does, except from a facilitator', async () => {
    const s = await scene();
    for (const headers of [{}, bearer(s.participants[0] as Joined)]) {
      const csv = await getAnswer(url(s, 'csv'), headers);
      // Creation order, no votes.
      expect(csv.text.split('\r\n').slice(1, 3)).toEqual([
        '1,Faire grandir l’audience,"Des prospects, pour les ventes",Abonnés,1 200,5 000,2027-03-31,Camille,,oui',
        '2,"\'=HYPERLINK(""http://evil"",""clic"")",,,,,,,,oui',
      ]);
      const md = await getAnswer(url(s, 'md'), headers);
      expect(md.text).toContain('(votes pas encore révélés)');
      expect(md.text).not.toMatch(/\(\d votes?/);
    }
    const lead = await getAnswer(url(s, 'md'), bearer(s.facilitator));
    expect(lead.text).toContain('1. **\\=HYPERLINK("http://evil","clic")** (3 votes)');
    expect(await s.lead.request('voting', { revealed: true })).toEqual({ ok: true });
    const revealed = await getAnswer(url(s, 'csv'));
    expect(revealed.text.split('\r\n')[1]).toMatch(/,3,oui$/);
  });

  it('[http#summary-exports] refuses a bad status, a token not valid for the board and an unknown board, as the JSON export does', async () => {
    const s = await scene();
    const other = await workshop(server, 0);
    for (const format of ['md', 'csv'] as const) {
      expectErrorAnswer(await getAnswer(url(s, format, '?status=agreed')), 400, 'bad_request');
      expectErrorAnswer(
        await getAnswer(url(s, format), { authorization: 'Bearer nonsense' }),
        401,
        'bad_token',
      );
      expectErrorAnswer(await getAnswer(url(s, format), bearer(other.facilitator)), 401, 'bad_token');
      expectErrorAnswer(
        await getAnswer(`${server.url}/api/boards/NoSuchBoardAAAAAAAAAAA/export.${format}`),
        404,
        'unknown_board',
      );
    }
  });
});
