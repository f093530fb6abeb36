/**
 * The summary page (`/b/<id>/summary`, docs/product.md#the-summary-page) and the Wrap-up's
 * take-away in real Chromium: the summary in the board's language, light and dark, accessible;
 * printed without buttons and with its sections; Markdown copied to the clipboard; a CSV downloaded
 * that parses back (docs/export.md#csv). The rest of the meeting is played by real socket.io and
 * y-websocket clients.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import type { Joined } from '../../shared/api';
import { addCard, addCommitment, readQuestions } from '../../shared/board';
import { OK } from '../helpers/expect';
import { useBrowser, useServer } from '../helpers/fixtures';
import { joinFromLink, watchPage, type PageProblems } from '../helpers/page';
import type { SessionClient } from '../helpers/session-clients';
import { GoalWriter, workshop, type Workshop } from '../helpers/workshop';
import { axeCleanLightAndDark } from './axe';

const EXPECT_MS = 10_000;
const HOSTILE = '# [x](javascript:alert(1)) | * _';

const server = useServer();
const chromium = useBrowser();

/** RFC 4180 fields of a CSV text (quoted fields may hold the separator, doubled quotes and line breaks). */
function parseCsv(text: string, separator = ','): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === separator) {
      row.push(field);
      field = '';
    } else if (char === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += char;
  }
  if (field !== '' || row.length > 0)
    throw new Error(`the last line does not end with CRLF: ${JSON.stringify(row)}`);
  return rows;
}

/**
 * Clicks `button` and reads the CSV it downloads: its file name, and its text after the UTF-8 byte
 * order mark it must start with.
 */
async function downloadCsv(page: Page, button: Locator): Promise<{ fileName: string; text: string }> {
  const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
  const bytes = readFileSync(await download.path());
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  return { fileName: download.suggestedFilename(), text: bytes.toString('utf8').slice(1) };
}

/** The goals of `scene` as CSV rows (all agreed: `yes` in the board's language), ranked by votes. */
function sceneGoalRows(yes: string): string[][] {
  return [
    ['1', '\'=HYPERLINK("http://evil.example","click")', '', '', '', '', '', '', '3', yes],
    [
      '2',
      'Café, crème & "more"',
      'Line one\nline two, with a comma',
      'Réponses',
      '9 h',
      '2 h',
      '2027-03-31',
      'Zoé',
      '1',
      yes,
    ],
    ['3', "'+1 growth", '', '', '', '', '', "'-2", '0', yes],
  ];
}

interface Scene extends Workshop {
  lead: SessionClient;
}

/**
 * A board in `locale` with three goals — accents, commas, quotes and a line break; a formula-like
 * title; a title and an owner starting with + and - — voted, revealed and all agreed; a hostile
 * answer; a commitment; everyone moved to the wrap-up.
 */
async function scene(locale: 'en' | 'fr', title: string): Promise<Scene> {
  const w = await workshop(server, 2, { title, locale });
  const writer = await GoalWriter.open(server, server.sync, w.board.id, w.facilitator);
  const goals = await writer.add([
    {
      title: 'Café, crème & "more"',
      why: 'Line one\nline two, with a comma',
      metric: 'Réponses',
      baseline: '9 h',
      target: '2 h',
      due: '2027-03-31',
      owner: 'Zoé',
    },
    { title: '=HYPERLINK("http://evil.example","click")' },
    { title: '+1 growth', owner: '-2' },
  ]);
  const question = readQuestions(writer.client.doc, 'discover')[0];
  addCard(writer.client.doc, {
    questionId: question?.id ?? '',
    text: HOSTILE,
    authorId: w.facilitator.participantId,
  });
  addCommitment(writer.client.doc, { text: 'Weekly review', owner: 'Zoé' });
  const connect = (joined: Joined) =>
    server.sessions.connect(server, { boardId: w.board.id, token: joined.token });
  const lead = await connect(w.facilitator);
  const [m1, m2] = (await Promise.all(w.participants.map(connect))) as [SessionClient, SessionClient];
  const [g1, g2, g3] = goals as [string, string, string];
  expect(await lead.request('voting', { open: true })).toEqual(OK);
  for (const [client, goalId] of [
    [m1, g2],
    [m1, g2],
    [m2, g2],
    [m2, g1],
  ] as const) {
    expect(await client.request('vote', { goalId, delta: 1 })).toMatchObject({ ok: true });
  }
  expect(await lead.request('voting', { revealed: true })).toEqual(OK);
  for (const goalId of [g1, g2, g3])
    expect(await lead.request('agree', { goalId, agreed: true })).toEqual(OK);
  expect(await lead.request('phase', { phase: 'wrap-up' })).toEqual(OK);
  // The answer and the commitment are on the server once its Markdown shows them.
  await expect
    .poll(
      async () =>
        (await (await fetch(`${server.url}/api/boards/${w.board.id}/export.md`)).text()).includes(
          'Weekly review',
        ),
      {
        timeout: EXPECT_MS,
      },
    )
    .toBe(true);
  return { ...w, lead };
}

async function open(): Promise<{ context: BrowserContext; page: Page; problems: PageProblems }> {
  const context = await chromium.newContext({
    locale: 'en-US',
    viewport: { width: 1280, height: 900 },
    reducedMotion: 'reduce',
    acceptDownloads: true,
  });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
  const page = await context.newPage();
  return { context, page, problems: watchPage(page) };
}

async function join(page: Page, url: string, name: string): Promise<void> {
  await joinFromLink(page, url, name);
}

const clipboard = (page: Page) => page.evaluate(() => navigator.clipboard.readText());

describe('the summary', () => {
  it(
    '[export#csv][export#markdown] from the Wrap-up: Markdown copied, the agreed goals alone copied, a CSV that parses back with formulas neutralised',
    { timeout: 90_000 },
    async () => {
      const s = await scene('en', 'Kickoff, "Q1"');
      const { page, problems } = await open();
      await join(page, s.board.facilitatorUrl, 'Camille');
      const takeAway = page.getByTestId('take-away');
      await takeAway.waitFor({ timeout: EXPECT_MS });

      await takeAway.getByRole('button', { name: 'Copy as Markdown' }).click();
      await takeAway.getByRole('status').filter({ hasText: 'Copied to the clipboard.' }).waitFor();
      const markdown = await clipboard(page);
      expect(markdown).toMatch(/^# Kickoff, "Q1"\n/);
      for (const heading of [
        '## Who took part',
        '## Agreed goals',
        '## Commitments',
        '## Discovery',
        '## Day-to-day load',
      ]) {
        expect(markdown).toContain(`\n${heading}\n`);
      }
      expect(markdown).toContain('\n- \\# \\[x\\](javascript:alert(1)) \\| \\* \\_\n');
      expect(markdown).toContain('1. **\\=HYPERLINK("http://evil.example","click")** (3 votes)');
      expect(markdown).toContain('   - Business objective: Line one line two, with a comma\n');

      await takeAway.getByRole('button', { name: 'Copy the agreed goals as Markdown' }).click();
      await expect.poll(() => clipboard(page), { timeout: EXPECT_MS }).not.toBe(markdown);
      const goalsOnly = await clipboard(page);
      expect(goalsOnly).toContain('## Agreed goals');
      expect(goalsOnly).not.toContain('## Discovery');
      expect(goalsOnly.match(/^\d\. /gm)).toHaveLength(3);

      const { fileName, text } = await downloadCsv(
        page,
        takeAway.getByRole('button', { name: 'Download CSV' }),
      );
      expect(fileName).toBe('kickoff-q1-goals.csv');
      expect(parseCsv(text)).toEqual([
        [
          'Rank',
          'Title',
          'Business objective',
          'Metric',
          'Baseline',
          'Target',
          'Due',
          'Owner',
          'Votes',
          'Agreed',
        ],
        ...sceneGoalRows('yes'),
      ]);

      // One panel holds every file: the goals' JSON sits with the summary, the Markdown and the CSV.
      expect(await page.getByRole('heading', { name: 'Export', exact: true }).count()).toBe(0);
      const goalsFile = takeAway.getByRole('group', { name: 'The goals file (JSON)' });
      expect(await goalsFile.getByLabel('Include goals not agreed').isVisible()).toBe(true);
      const [json] = await Promise.all([
        page.waitForEvent('download'),
        goalsFile.getByRole('button', { name: 'Download JSON' }).click(),
      ]);
      expect(json.suggestedFilename()).toBe('kickoff-q1-goals.json');
      const exported = JSON.parse(readFileSync(await json.path(), 'utf8')) as {
        schema: string;
        goals: Array<{ rank: number }>;
      };
      expect(exported.schema).toBe('atelier/goals-export@1');
      expect(exported.goals.map((goal) => goal.rank)).toEqual([1, 2, 3]);
      await goalsFile.getByRole('button', { name: 'Show JSON' }).click();
      await expect
        .poll(() => takeAway.locator('.export-preview').textContent(), { timeout: EXPECT_MS })
        .toContain('atelier/goals-export@1');
      // The facilitator's whole-board file is in the same panel.
      expect(await takeAway.getByRole('button', { name: 'Download the whole board' }).isVisible()).toBe(true);
      expect(problems.list()).toEqual([]);
    },
  );

  it(
    '[product#the-summary-page] opens from the Wrap-up in English: every section, accessible light and dark, printed without buttons',
    { timeout: 90_000 },
    async () => {
      const s = await scene('en', 'Social kickoff');
      const { page, problems } = await open();
      await join(page, s.board.facilitatorUrl, 'Camille');
      await page.getByRole('link', { name: 'Open the summary' }).click();
      await page.waitForURL(`${server.url}/b/${s.board.id}/summary`);
      const doc = page.locator('main.summary-doc');
      await page.getByTestId('summary-goals').waitFor({ timeout: EXPECT_MS });
      expect(await page.locator('h1').textContent()).toBe('Social kickoff');
      expect(await page.getByTestId('summary-people').textContent()).toContain(
        'Lead, Member 1, Member 2, Camille',
      );
      const goals = page.getByTestId('summary-goals');
      expect(await goals.locator('h3').allTextContents()).toEqual([
        '=HYPERLINK("http://evil.example","click")',
        'Café, crème & "more"',
        '+1 growth',
      ]);
      expect(await goals.locator('li.summary-goal').first().textContent()).toContain('#1 · 3 votes');
      expect(await goals.textContent()).toContain('March 31, 2027');
      // The hostile answer is text, not a link nor a heading.
      const discovery = page.getByTestId('summary-discovery');
      expect(await discovery.getByText(HOSTILE, { exact: true }).count()).toBe(1);
      expect(await doc.locator('a[href^="javascript"]').count()).toBe(0);
      expect(await page.getByTestId('summary-commitments').textContent()).toContain('Weekly review (Zoé)');
      expect(await page.getByTestId('summary-pulse').count()).toBe(0);
      await axeCleanLightAndDark(page, 'the summary page');

      await page.emulateMedia({ media: 'print' });
      for (const name of ['Copy as Markdown', 'Download CSV', 'Print or save as PDF']) {
        expect(await page.getByRole('button', { name }).isVisible()).toBe(false);
      }
      expect(await page.locator('button:visible, nav:visible').count()).toBe(0);
      for (const id of [
        'summary-people',
        'summary-goals',
        'summary-commitments',
        'summary-discovery',
        'summary-load',
      ]) {
        const section = page.getByTestId(id);
        expect(await section.isVisible()).toBe(true);
        expect(await section.evaluate((node) => getComputedStyle(node).breakBefore)).toBe('page');
      }
      // Links are printed with their address after their text.
      const after = await doc
        .locator('a')
        .first()
        .evaluate((node) => getComputedStyle(node, '::after').content);
      expect(after).toBe(`" (${s.board.participantUrl})"`);
      await page.emulateMedia({ media: 'screen' });
      expect(await page.getByRole('button', { name: 'Download CSV' }).isVisible()).toBe(true);
      expect(problems.list()).toEqual([]);
    },
  );

  it(
    '[product#the-summary-page][export#csv-delimiter] follows the board’s language (French) for a member, light and dark, its CSV separated by semicolons; without an identity it says how to join',
    { timeout: 90_000 },
    async () => {
      const s = await scene('fr', 'Lancement de l’équipe');
      const { page, problems } = await open();
      await join(page, s.board.participantUrl, 'Inès');
      await page.locator('#section-heading').waitFor({ timeout: EXPECT_MS });
      await page.goto(`${server.url}/b/${s.board.id}/summary`);
      await page.getByTestId('summary-goals').waitFor({ timeout: EXPECT_MS });
      expect(await page.locator('.summary-page').getAttribute('lang')).toBe('fr');
      expect(await page.locator('h2').allTextContents()).toEqual([
        'Participants',
        'Objectifs retenus',
        'Engagements',
        'Découverte',
        'Charge au quotidien',
      ]);
      expect(await page.getByTestId('summary-goals').textContent()).toContain('31 mars 2027');
      expect(await page.getByTestId('summary-goals').textContent()).toContain('n° 1 · 3 votes');
      expect(await page.getByRole('button', { name: 'Télécharger le CSV' }).isVisible()).toBe(true);
      await axeCleanLightAndDark(page, 'la synthèse');

      await page.getByRole('button', { name: 'Copier en Markdown' }).click();
      await page.getByRole('status').filter({ hasText: 'Copié dans le presse-papiers.' }).waitFor();
      expect(await clipboard(page)).toContain('## Objectifs retenus');

      // A French spreadsheet reads a comma as the decimal mark: the CSV is separated by semicolons.
      const { fileName, text } = await downloadCsv(
        page,
        page.getByRole('button', { name: 'Télécharger le CSV' }),
      );
      expect(fileName).toBe('lancement-de-l-equipe-goals.csv');
      expect(text.split('\r\n')[0]).toBe(
        'Rang;Titre;Objectif business;Indicateur;Point de départ;Cible;Échéance;Responsable;Votes;Retenu',
      );
      expect(parseCsv(text, ';').slice(1)).toEqual(sceneGoalRows('oui'));

      // Another browser, which never joined: the page says to join first, and links to the board.
      const stranger = await open();
      await stranger.page.goto(`${server.url}/b/${s.board.id}/summary`);
      await stranger.page.getByTestId('summary-join').waitFor({ timeout: EXPECT_MS });
      expect(await stranger.page.getByTestId('summary-join').textContent()).toContain(
        'Rejoignez d’abord le tableau',
      );
      expect(
        await stranger.page.getByRole('link', { name: 'Rejoindre le tableau' }).getAttribute('href'),
      ).toBe(`/b/${s.board.id}`);
      await axeCleanLightAndDark(stranger.page, 'la synthèse sans identité');
      expect(problems.list()).toEqual([]);
      expect(stranger.problems.list()).toEqual([]);
    },
  );
});
