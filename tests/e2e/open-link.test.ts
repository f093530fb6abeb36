/**
 * What an open participant link asks of the interface, in real Chromium contexts: a goal added
 * after voting opened shows why nobody can vote on it and the facilitator includes it; someone who
 * joins after the pulse opened is told why they cannot answer; the facilitator removes a name from
 * the people list (keyboard, with a confirmation) and the person removed is told so; a board whose
 * stored data cannot be read says so.
 */
import { join as joinPath } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useBrowser, useServer } from '../helpers/fixtures';
import { accessibilityViolations } from './axe';
import { createBoardFromHome, joinFromLink, watchPage, type PageProblems } from '../helpers/page';
import { createBoard } from '../helpers/server';

const EXPECT_MS = 10_000;

const server = useServer();
const chromium = useBrowser();

async function open(): Promise<{ page: Page; problems: PageProblems }> {
  const context = await chromium.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  return { page, problems: watchPage(page) };
}

const heading = (page: Page) => page.locator('#section-heading').textContent();

async function join(page: Page, url: string, name: string): Promise<void> {
  await joinFromLink(page, url, name);
  await expect.poll(() => heading(page), { timeout: EXPECT_MS }).toBe('Discover');
}

/** Moves everyone to `phase` (the facilitator's tab, then its button). */
async function moveEveryone(lead: Page, phase: string): Promise<void> {
  await lead.locator('.phase-tab', { hasText: phase }).click();
  await lead.getByRole('button', { name: `Move everyone to ${phase}` }).click();
}

describe('an open participant link', () => {
  it(
    'a goal added after voting opened, a late arrival at the pulse, and a name removed by the facilitator',
    { timeout: 120_000 },
    async () => {
      const { page: lead, problems: leadProblems } = await open();
      const url = await createBoardFromHome(lead, server.url, 'Camille', 'Kickoff');
      const { page: ana, problems: anaProblems } = await open();
      const { page: mallory } = await open();
      await join(ana, url, 'Ana');
      await join(mallory, url, 'Mallory');

      // One goal, voting opened on it; then a second goal added.
      await moveEveryone(lead, 'Goals');
      await lead.getByRole('button', { name: 'Add “Grow our audience”' }).click();
      await moveEveryone(lead, 'Prioritise');
      await lead.getByRole('button', { name: 'Open voting' }).click();
      await expect
        .poll(() => ana.getByTestId('votes-left').textContent(), { timeout: EXPECT_MS })
        .toBe('5 of 5 votes left');
      await lead.locator('.phase-tab', { hasText: 'Goals' }).click();
      await lead.getByRole('button', { name: 'Add “Increase brand awareness”' }).click();
      await lead.locator('.phase-tab', { hasText: 'Prioritise' }).click();

      // Ana sees it, why she cannot vote on it, and no button to try.
      const late = ana.locator('.vote-item', { hasText: 'Increase brand awareness' });
      await expect
        .poll(() => late.getByTestId('not-on-ballot').textContent(), { timeout: EXPECT_MS })
        .toContain('Added after voting opened');
      expect(await late.textContent()).toContain('The facilitator can reopen voting to include it.');
      expect(
        await ana.getByRole('button', { name: 'Add a vote to “Increase brand awareness”' }).count(),
      ).toBe(0);
      await lead.getByTestId('include-new-goals').waitFor({ timeout: EXPECT_MS });
      for (const page of [ana, lead]) expect(await accessibilityViolations(page)).toEqual([]);
      // The facilitator is shown how to include it, and does.
      await lead.getByRole('button', { name: 'Include the new goal in the vote' }).click();
      await ana.getByRole('button', { name: 'Add a vote to “Increase brand awareness”' }).click();
      await expect
        .poll(() => ana.getByTestId('votes-left').textContent(), { timeout: EXPECT_MS })
        .toBe('4 of 5 votes left');
      expect(await lead.getByTestId('include-new-goals').count()).toBe(0);

      // The pulse opens at the wrap-up: Ana was there, Sam arrives after.
      await moveEveryone(lead, 'Wrap-up');
      await expect.poll(() => heading(ana), { timeout: EXPECT_MS }).toBe('Wrap-up');
      expect(await ana.getByRole('button', { name: 'Send anonymously' }).count()).toBe(1);
      const { page: sam, problems: samProblems } = await open();
      await sam.goto(url);
      await sam.getByLabel('Your name').fill('Sam');
      await sam.getByRole('button', { name: 'Join the board' }).click();
      await expect
        .poll(() => sam.getByTestId('pulse-closed').textContent(), { timeout: EXPECT_MS })
        .toContain('You joined after the pulse opened');
      expect(await sam.getByRole('button', { name: 'Send anonymously' }).count()).toBe(0);
      expect(await accessibilityViolations(sam)).toEqual([]);
      // Everyone is told the limit that remains.
      expect(await ana.locator('.pulse').textContent()).toContain('under several names');

      // The facilitator removes Mallory from the people list, with the keyboard, and confirms.
      await lead.locator('.presence summary').click();
      lead.once('dialog', (dialog) => {
        expect(dialog.message()).toContain('Remove Mallory from the board?');
        void dialog.accept();
      });
      await lead.getByRole('button', { name: 'Remove Mallory' }).focus();
      await lead.keyboard.press('Enter');
      await expect
        .poll(() => mallory.getByTestId('removed-notice').textContent(), { timeout: EXPECT_MS })
        .toContain('A facilitator removed you from this board');
      expect(await accessibilityViolations(mallory)).toEqual([]);
      await expect
        .poll(() => lead.locator('.people').textContent(), { timeout: EXPECT_MS })
        .not.toContain('Mallory');
      // Only a facilitator is offered to remove anyone.
      await ana.locator('.presence summary').click();
      expect(await ana.getByRole('button', { name: /^Remove / }).count()).toBe(0);
      // The people list with its remove buttons, open on the facilitator's screen.
      if (
        !(await lead.locator('details.presence').evaluate((details) => (details as HTMLDetailsElement).open))
      )
        await lead.locator('.presence summary').click();
      await lead.getByRole('button', { name: 'Remove Ana' }).waitFor();
      expect(await accessibilityViolations(lead)).toEqual([]);

      for (const problems of [leadProblems, anaProblems, samProblems]) expect(problems.list()).toEqual([]);
    },
  );

  it(
    'a board whose stored data cannot be read says so, instead of loading forever',
    { timeout: 60_000 },
    async () => {
      const board = await createBoard(server);
      const db = new Database(joinPath(server.dataDir, 'atelier.sqlite'));
      try {
        db.pragma('busy_timeout = 5000');
        db.prepare(
          `INSERT INTO sessions (board_id, state) VALUES (?, '{"rev": 1, "pha')
         ON CONFLICT (board_id) DO UPDATE SET state = excluded.state`,
        ).run(board.id);
      } finally {
        db.close();
      }
      const { page } = await open();
      await page.goto(`${server.url}/b/${board.id}`);
      await expect
        .poll(() => page.getByRole('alert').textContent(), { timeout: EXPECT_MS })
        .toContain('stored data cannot be read');
      expect(await accessibilityViolations(page)).toEqual([]);
    },
  );
});
