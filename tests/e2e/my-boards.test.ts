/**
 * "My boards" on the home page and the check-in's calendar file, in real Chromium
 * (docs/product.md#my-boards, docs/http.md#check-in-calendar): a board created and another joined
 * in one browser are listed most recent first with their phase; one opens (as facilitator, with no
 * key in any link), one is removed (with an undo), a board that does not exist shows as gone; the
 * Wrap-up's "Add to calendar" downloads the check-in date; axe-core finds nothing, light and dark.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useBrowser, useServer } from '../helpers/fixtures';
import { screenshotDir } from '../helpers/browser';
import { watchPage } from '../helpers/page';
import { createBoard } from '../helpers/server';
import { axeCleanLightAndDark } from './axe';

const EXPECT_MS = 10_000;
const SHOTS = join(screenshotDir, 'my-boards');

const server = useServer();
const chromium = useBrowser();

const heading = (page: Page) => page.locator('#section-heading').textContent();
const listed = (page: Page) =>
  page
    .locator('.my-boards li')
    .evaluateAll((items) =>
      items.map((item) => [
        item.querySelector('.board-title')?.textContent?.trim() ?? '',
        item.querySelector('[data-testid="board-phase"]')?.textContent?.trim() ??
          item.querySelector('[data-testid="board-gone"]')?.textContent?.trim() ??
          '',
      ]),
    );

/** No axe-core violation, light and dark (each kept as a screenshot to look at). */
async function axeClean(page: Page, what: string, shot: string): Promise<void> {
  await mkdir(SHOTS, { recursive: true });
  await axeCleanLightAndDark(page, what, async (colorScheme) => {
    await page.screenshot({ path: join(SHOTS, `${shot}-${colorScheme}.png`) });
  });
}

describe('my boards on the home page', () => {
  it(
    '[product#my-boards][http#check-in-calendar] lists the boards created and joined here, opens, removes, shows a gone board, and downloads the check-in',
    { timeout: 120_000 },
    async () => {
      const context = await chromium.newContext({
        locale: 'en-US',
        viewport: { width: 1280, height: 900 },
        acceptDownloads: true,
      });
      const page = await context.newPage();
      const problems = watchPage(page);

      // Nothing yet: the empty state.
      await page.goto(server.url);
      expect(await page.getByRole('heading', { name: 'My boards' }).isVisible()).toBe(true);
      expect(await page.getByTestId('my-boards-empty').textContent()).toContain('No board yet');

      // A board created here, moved on to Goals by its facilitator.
      await page.getByLabel('Board title').fill('Alpha kickoff');
      await page.getByLabel('Your name').fill('Camille');
      await page.getByRole('button', { name: 'Create the board' }).click();
      await page.waitForURL(/\/b\//);
      const alphaId = new URL(page.url()).pathname.split('/')[2] ?? '';
      await page.getByRole('dialog').getByRole('button', { name: 'Close' }).last().click();
      await page.locator('.phase-tab', { hasText: 'Goals' }).click();
      await page.getByRole('button', { name: 'Move everyone to Goals' }).click();
      await expect.poll(() => heading(page), { timeout: EXPECT_MS }).toBe('Goals');

      // Another board, joined here afterwards from its participant link.
      const beta = await createBoard(server, { title: 'Beta review', locale: 'en' });
      await page.goto(beta.participantUrl);
      await page.getByLabel('Your name').fill('Camille');
      await page.getByRole('button', { name: 'Join the board' }).click();
      await expect.poll(() => heading(page), { timeout: EXPECT_MS }).toBe('Discover');

      // Home: both, the one joined last first, each with its phase and when it was last active.
      await page.goto(server.url);
      await expect
        .poll(() => listed(page), { timeout: EXPECT_MS })
        .toEqual([
          ['Beta review', 'Phase: Discover'],
          ['Alpha kickoff', 'Phase: Goals'],
        ]);
      expect(await page.locator('.my-boards li').first().locator('time').textContent()).toBe('now');
      // No link on the page carries a facilitator key, and none is in what the list keeps.
      const hrefs = await page
        .locator('.my-boards a')
        .evaluateAll((links) => links.map((a) => a.getAttribute('href')));
      expect(hrefs).toEqual([`/b/${beta.id}`, `/b/${alphaId}`]);
      const kept = await page.evaluate(() => localStorage.getItem('atelier:my-boards') ?? '');
      const key = await page.evaluate((id) => localStorage.getItem(`atelier:facilitator-key:${id}`), alphaId);
      expect(key).toBeTruthy();
      expect(kept).not.toContain(key ?? '');
      await axeClean(page, 'the home page with its list', 'home');

      // Opening Alpha from the list: still its facilitator, in Goals.
      await page.getByRole('link', { name: 'Alpha kickoff' }).click();
      await page.waitForURL(`${server.url}/b/${alphaId}`);
      await expect.poll(() => heading(page), { timeout: EXPECT_MS }).toBe('Goals');

      // The Wrap-up's next check-in (only a facilitator sets it), added to a calendar.
      await page.locator('.phase-tab', { hasText: 'Wrap-up' }).click();
      await page.getByLabel('Next regular check-in').fill('2027-03-31');
      const calendar = page.getByRole('link', { name: 'Add to calendar' });
      await calendar.waitFor({ timeout: EXPECT_MS });
      let ics = '';
      await expect
        .poll(
          async () => {
            const [download] = await Promise.all([page.waitForEvent('download'), calendar.click()]);
            expect(download.suggestedFilename()).toBe('atelier-check-in.ics');
            ics = await readFile((await download.path()) ?? '', 'utf8');
            // The server's copy of the board may be a moment behind the date just set.
            return ics.includes('DTSTART');
          },
          { timeout: EXPECT_MS },
        )
        .toBe(true);
      const lines = ics.replace(/\r\n /g, '').split('\r\n');
      expect(lines).toContain('DTSTART;VALUE=DATE:20270331');
      expect(lines).toContain('SUMMARY:Check-in: Alpha kickoff');
      expect(lines).toContain(`URL:${server.url}/b/${alphaId}`);

      // A board this browser knew that no longer exists shows as gone.
      await page.evaluate(() => {
        const list = JSON.parse(localStorage.getItem('atelier:my-boards') ?? '[]') as unknown[];
        list.push({
          id: 'NoSuchBoardAtAllHere00',
          title: 'Old board',
          phase: 'agree',
          role: 'participant',
          lastActivity: 1,
        });
        localStorage.setItem('atelier:my-boards', JSON.stringify(list));
      });
      await page.goto(server.url);
      await expect
        .poll(() => listed(page), { timeout: EXPECT_MS })
        .toEqual([
          ['Alpha kickoff', 'Phase: Goals'],
          ['Beta review', 'Phase: Discover'],
          ['Old board', 'This board no longer exists.'],
        ]);
      await axeClean(page, 'the home page with a gone board', 'gone');

      // Removing one: gone from the list (keyboard), undo brings it back, removing again keeps it out.
      await page.getByRole('button', { name: 'Remove “Old board” from this list' }).press('Enter');
      await expect.poll(() => listed(page), { timeout: EXPECT_MS }).toHaveLength(2);
      expect(await page.getByRole('status').textContent()).toContain(
        '“Old board” was removed from this device.',
      );
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Undo');
      await page.keyboard.press('Enter');
      await expect.poll(() => listed(page), { timeout: EXPECT_MS }).toHaveLength(3);
      await page.getByRole('button', { name: 'Remove “Beta review” from this list' }).click();
      await expect.poll(() => listed(page), { timeout: EXPECT_MS }).toHaveLength(2);
      await page.reload();
      await expect
        .poll(() => listed(page), { timeout: EXPECT_MS })
        .toEqual([
          ['Alpha kickoff', 'Phase: Goals'],
          ['Old board', 'This board no longer exists.'],
        ]);
      // What was removed is forgotten here: my access to Beta too.
      expect(await page.evaluate((id) => localStorage.getItem(`atelier:identity:${id}`), beta.id)).toBeNull();

      // In French.
      await page.getByLabel('Language').selectOption('fr');
      expect(await page.getByRole('heading', { name: 'Mes tableaux' }).isVisible()).toBe(true);
      expect(await listed(page)).toEqual([
        ['Alpha kickoff', 'Étape : Objectifs'],
        ['Old board', 'Ce tableau n’existe plus.'],
      ]);
      await axeClean(page, 'the home page in French', 'fr');

      // The gone board's summary answered 404, which the browser logs; nothing else went wrong.
      expect(problems.list().filter((problem) => !problem.includes('status of 404'))).toEqual([]);
      await context.close();
    },
  );
});
