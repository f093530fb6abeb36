/**
 * Renaming challenges in the lane, in real Chromium (docs/product.md#challenges): in place, by
 * keyboard (Enter saves, Escape cancels) on a desktop and by touch on a phone (390×844), live on
 * both screens, undone like any edit; adding and deleting stay where they were.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { OK } from '../helpers/expect';
import { liveMeeting } from '../helpers/facilitation';
import { useBrowser, useServer } from '../helpers/fixtures';
import { joinAndWait, openPage } from '../helpers/page';
import { accessibilityViolations } from './axe';

const EXPECT_MS = 10_000;

const server = useServer();
const chromium = useBrowser();

const open = (viewport: { width: number; height: number }, phone = false) =>
  openPage(chromium, { viewport, phone, reducedMotion: true });

const join = (page: Page, url: string, name: string) => joinAndWait(page, url, name, '#section-heading');

const titles = (page: Page) => page.getByTestId('challenges-lane').locator('li .title').allTextContents();
const isActive = (page: Page, label: string) =>
  page.getByLabel(label).evaluate((element) => element === document.activeElement);

describe('[product#challenges] challenges renamed in the lane', () => {
  it(
    '[product#challenges][product#undo] renames by keyboard (Enter saves, Escape cancels) and by touch on a phone, live everywhere, and undo brings the old title back',
    { timeout: 120_000 },
    async () => {
      const m = await liveMeeting(server, server.sessions, ['Dana']);
      expect(await m.lead.request('phase', { phase: 'goals' })).toEqual(OK);
      const { page: desk, problems } = await open({ width: 1440, height: 900 });
      await join(desk, m.board.facilitatorUrl, 'Camille');
      const { page: phone, problems: phoneProblems } = await open({ width: 390, height: 844 }, true);
      await join(phone, m.board.participantUrl, 'Eli');
      const audience = 'Identifying and reaching our target audience';
      for (const page of [desk, phone])
        await expect.poll(() => titles(page), { timeout: EXPECT_MS }).toContain(audience);

      // Keyboard: Rename, type, Escape: nothing changed, the keyboard is back on Rename.
      const rename = desk.getByRole('button', { name: `Rename the challenge “${audience}”` });
      await rename.focus();
      await desk.keyboard.press('Enter');
      await expect.poll(() => isActive(desk, 'Challenge title')).toBe(true);
      await desk.keyboard.press('Control+A');
      await desk.keyboard.type('Thrown away');
      await desk.keyboard.press('Escape');
      await expect.poll(() => rename.evaluate((el) => el === document.activeElement)).toBe(true);
      expect(await titles(desk)).toContain(audience);

      // Enter saves: both screens show the new title.
      await desk.keyboard.press('Enter');
      await desk.keyboard.press('Control+A');
      await desk.keyboard.type('Finding our audience');
      await desk.keyboard.press('Enter');
      for (const page of [desk, phone])
        await expect.poll(() => titles(page), { timeout: EXPECT_MS }).toContain('Finding our audience');
      expect(await titles(phone)).not.toContain(audience);
      expect(await accessibilityViolations(desk)).toEqual([]);

      // Undo in Goals brings the old title back, everywhere.
      await desk.getByRole('button', { name: 'Undo', exact: true }).click();
      for (const page of [desk, phone])
        await expect.poll(() => titles(page), { timeout: EXPECT_MS }).toContain(audience);

      // The phone, by touch: add a challenge, rename it with Save, then delete it.
      const lane = phone.getByTestId('challenges-lane');
      await lane.getByLabel('New challenge').fill('No time to post');
      await lane.getByRole('button', { name: 'Add a challenge' }).tap();
      await expect.poll(() => titles(desk), { timeout: EXPECT_MS }).toContain('No time to post');
      await lane.getByRole('button', { name: 'Rename the challenge “No time to post”' }).tap();
      await lane.getByLabel('Challenge title').fill('No time to post every day');
      expect(await accessibilityViolations(phone)).toEqual([]);
      const fits = await lane.evaluate(
        (element) => element.getBoundingClientRect().right <= window.innerWidth,
      );
      expect(fits).toBe(true);
      await lane.getByRole('button', { name: 'Save' }).tap();
      await expect.poll(() => titles(desk), { timeout: EXPECT_MS }).toContain('No time to post every day');
      await lane.getByRole('button', { name: 'Delete the challenge “No time to post every day”' }).tap();
      await expect
        .poll(() => titles(desk), { timeout: EXPECT_MS })
        .not.toContain('No time to post every day');

      for (const list of [problems, phoneProblems]) expect(list.list()).toEqual([]);
    },
  );
});
