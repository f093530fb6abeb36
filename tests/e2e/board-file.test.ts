/**
 * The whole board as one file in real Chromium pages (docs/export.md#whole-board-file,
 * docs/http.md#import-a-board): the facilitator downloads it at wrap-up, creates a new board from
 * it on the home page, and finds the same content there; a file the server refuses shows why. The
 * rest of the meeting (a participant, answers, goals, commitments) is played by real socket.io and
 * y-websocket clients.
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import {
  addCard,
  addCommitment,
  readCommitments,
  readGoals,
  readQuestions,
  setNextCheckIn,
} from '../../shared/board';
import type { BoardFile } from '../../shared/export/board-file';
import { OK, syncRoundTrip } from '../helpers/expect';
import { cardTexts, liveMeeting, storedDoc } from '../helpers/facilitation';
import { useBrowser, useServer } from '../helpers/fixtures';
import { watchPage } from '../helpers/page';
import { GoalWriter } from '../helpers/workshop';
import { axeCleanLightAndDark } from './axe';

const EXPECT_MS = 10_000;

const server = useServer();
const chromium = useBrowser();

describe('[export#whole-board-file] the whole board as one file', () => {
  it(
    'a facilitator downloads the whole board, creates a new board from it on the home page, and the same content shows; a refused file says why',
    { timeout: 120_000 },
    async () => {
      const m = await liveMeeting(server, server.sessions, ['Ana']);
      const writer = await GoalWriter.open(server, server.sync, m.board.id, m.facilitator);
      const doc = writer.client.doc;
      const [first] = readQuestions(doc, 'discover');
      if (!first) throw new Error('the template has questions');
      const ana = m.participants[0]?.participantId ?? '';
      addCard(doc, { questionId: first.id, text: 'Small firms in Lyon', authorId: ana }, null, 1_000);
      addCard(doc, { questionId: first.id, text: '<b>not bold</b>', authorId: ana }, null, 2_000);
      addCommitment(doc, { text: 'Share the numbers monthly', owner: 'Lead' });
      setNextCheckIn(doc, '2027-01-15');
      await writer.add([{ title: 'Grow our audience', metric: 'Followers', target: '5,000' }]);
      await syncRoundTrip(writer.client);
      expect(await m.lead.request('phase', { phase: 'wrap-up' })).toEqual(OK);

      const context = await chromium.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      const problems = watchPage(page);
      await page.goto(m.board.facilitatorUrl);
      await page.getByLabel('Your name').fill('Camille');
      await page.getByRole('button', { name: 'Join the board' }).click();
      await expect
        .poll(() => page.locator('#section-heading').textContent(), { timeout: EXPECT_MS })
        .toBe('Wrap-up');

      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Download the whole board' }).click(),
      ]);
      expect(download.suggestedFilename()).toBe('kickoff-board.json');
      const path = await download.path();
      const file = JSON.parse(await readFile(path, 'utf8')) as BoardFile;
      expect(file.schema).toBe('atelier/board@1');
      expect(file.questions[0]?.answers?.map((answer) => answer.text)).toEqual([
        'Small firms in Lyon',
        '<b>not bold</b>',
      ]);
      await axeCleanLightAndDark(page, 'Wrap-up with the board file');

      const [template] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Download as a template' }).click(),
      ]);
      expect(template.suggestedFilename()).toBe('kickoff-template.json');
      expect(await readFile(await template.path(), 'utf8')).not.toContain('Small firms');

      // Home: a refused file shows the server's reason.
      await page.goto(`${server.url}/`);
      await page.getByLabel('Your name').fill('Camille');
      const input = page.getByLabel('Board file (.json)');
      await input.setInputFiles({
        name: 'future.json',
        mimeType: 'application/json',
        buffer: Buffer.from(JSON.stringify({ ...file, schema: 'atelier/board@2' })),
      });
      await page.getByRole('button', { name: 'Create from the file' }).click();
      await expect
        .poll(() => page.getByTestId('import-error').textContent(), { timeout: EXPECT_MS })
        .toMatch(/^This file cannot be used\. schema: this file is "atelier\/board@2", a newer version/);
      await axeCleanLightAndDark(page, 'Home with a refused file');

      // The file downloaded: a new board with the same content.
      await input.setInputFiles(path);
      await page.getByRole('button', { name: 'Create from the file' }).click();
      await page.waitForURL(
        (url) => /^\/b\/[A-Za-z0-9_-]+$/.test(url.pathname) && !url.pathname.endsWith(m.board.id),
        {
          timeout: EXPECT_MS,
        },
      );
      const newId = new URL(page.url()).pathname.split('/')[2] ?? '';
      const lane = page.locator('section.lane[data-question-id]').first();
      await expect.poll(() => lane.getByText('Small firms in Lyon').count(), { timeout: EXPECT_MS }).toBe(1);
      // Markup from the file is text on the page.
      await expect.poll(() => lane.getByText('<b>not bold</b>').count(), { timeout: EXPECT_MS }).toBe(1);
      expect(await lane.locator('b').count()).toBe(0);

      const copy = await storedDoc(server, newId);
      expect(cardTexts(copy)).toEqual(['<b>not bold</b>', 'Small firms in Lyon']);
      expect(readGoals(copy).map((goal) => [goal.title, goal.metric, goal.target])).toEqual([
        ['Grow our audience', 'Followers', '5,000'],
      ]);
      expect(readCommitments(copy).map((commitment) => [commitment.text, commitment.owner])).toEqual([
        ['Share the numbers monthly', 'Lead'],
      ]);
      // The only console error is the refused request's own 400.
      expect(problems.list().filter((problem) => !/status of 400/.test(problem))).toEqual([]);
    },
  );
});
