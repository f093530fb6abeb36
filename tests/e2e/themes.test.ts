/**
 * Themes in real Chromium (docs/product.md#themes): on a desktop, two answers are grouped by
 * keyboard alone ("Group with…"); a phone sees the theme live, renames it by touch, and the
 * desktop sees the name; undo ungroups; "Make a goal" drafts a goal that Goals lists under the
 * theme's name. Both pages stay clean under axe.
 */
import { describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { useBrowser, useServer } from '../helpers/fixtures';
import { createBoardFromHome, joinFromLink, openPage } from '../helpers/page';
import { accessibilityViolations } from './axe';

const EXPECT_MS = 10_000;

const server = useServer();
const chromium = useBrowser();

const open = (phone: boolean) => openPage(chromium, { phone });

const heading = (page: Page) => page.locator('#section-heading');
const firstLane = (page: Page) => page.locator('section.lane[data-question-id]').first();
const themes = (page: Page) => page.locator('section.theme');
const card = (page: Page, text: string) => page.locator('li.card', { hasText: text });

/** A drag by hand, as a person makes it: press on `from`, move to `to` in steps, release. */
async function dragByHand(page: Page, from: Locator, to: Locator): Promise<void> {
  const start = await from.boundingBox();
  const end = await to.boundingBox();
  if (!start || !end || end.y < 0) throw new Error('both ends of the drag are on screen');
  await page.mouse.move(start.x + start.width / 2, start.y + start.height / 2);
  await page.mouse.down();
  await page.mouse.move(end.x + end.width / 2, end.y + end.height / 2, { steps: 8 });
  await page.mouse.up();
}

describe('[product#themes] themes in the browser', () => {
  it(
    '[sync#themes][product#undo] groups two answers by keyboard, the phone sees it live and names it by touch, undo ungroups, a goal is drafted from the theme',
    { timeout: 120_000 },
    async () => {
      const { page: desk, problems: deskProblems } = await open(false);
      const boardUrl = await createBoardFromHome(desk, server.url, 'Camille', 'Kickoff');
      const { page: phone, problems: phoneProblems } = await open(true);
      await phone.goto(boardUrl);
      await phone.getByLabel('Your name').fill('Sami');
      await phone.getByRole('button', { name: 'Join the board' }).click();
      await expect.poll(() => heading(phone).textContent(), { timeout: EXPECT_MS }).toBe('Discover');

      // Two answers to the first question, from the desktop.
      for (const text of ['Too many meetings', 'Meetings all day']) {
        await desk.getByLabel('Your answer to question 1').fill(text);
        await desk.getByLabel('Your answer to question 1').press('Enter');
      }
      await expect.poll(() => firstLane(phone).locator('li.card').count(), { timeout: EXPECT_MS }).toBe(2);

      // By keyboard only: focus "Group with…" on the first answer, open it, pick the other answer.
      const groupWith = card(desk, 'Too many meetings').getByRole('button', {
        name: 'Group with… (this answer)',
      });
      await groupWith.focus();
      await desk.keyboard.press('Enter');
      const choice = desk.getByRole('button', { name: 'New theme with “Meetings all day”' });
      await expect
        .poll(() => choice.evaluate((element) => element === document.activeElement), {
          timeout: EXPECT_MS,
        })
        .toBe(true);
      await desk.keyboard.press('Enter');
      await expect.poll(() => themes(desk).count(), { timeout: EXPECT_MS }).toBe(1);
      expect(await themes(desk).locator('li.card').count()).toBe(2);

      // The phone sees the theme live, with both answers in it.
      await expect.poll(() => themes(phone).locator('li.card').count(), { timeout: EXPECT_MS }).toBe(2);
      expect(await themes(phone).locator('h4').textContent()).toBe('Unnamed theme');

      // The phone names it by touch; the desktop sees the name.
      await themes(phone).getByRole('button', { name: 'Name', exact: true }).tap();
      await phone.getByLabel('Theme name').fill('Meetings');
      await themes(phone).getByRole('button', { name: 'Done', exact: true }).tap();
      await expect
        .poll(() => themes(desk).locator('h4').textContent(), { timeout: EXPECT_MS })
        .toBe('Meetings');
      await expect
        .poll(() => themes(phone).locator('h4').textContent(), { timeout: EXPECT_MS })
        .toBe('Meetings');

      for (const page of [desk, phone]) expect(await accessibilityViolations(page)).toEqual([]);

      // Undo (the desktop's own grouping) ungroups, everywhere; the answers stay.
      await desk.getByRole('button', { name: 'Undo', exact: true }).click();
      await expect.poll(() => themes(desk).count(), { timeout: EXPECT_MS }).toBe(0);
      await expect.poll(() => themes(phone).count(), { timeout: EXPECT_MS }).toBe(0);
      expect(await firstLane(phone).locator('li.card').count()).toBe(2);
      await expect
        .poll(() => desk.getByRole('status').allTextContents(), { timeout: EXPECT_MS })
        .toContainEqual(expect.stringContaining('Undone: a theme'));

      // Grouped again on the phone, by touch, then made a goal: Goals lists it under the theme's name.
      await card(phone, 'Meetings all day').getByRole('button', { name: 'Group with… (this answer)' }).tap();
      await phone.getByRole('button', { name: 'New theme with “Too many meetings”' }).tap();
      await expect.poll(() => themes(desk).locator('li.card').count(), { timeout: EXPECT_MS }).toBe(2);
      await themes(desk).getByRole('button', { name: 'Name', exact: true }).click();
      await desk.getByLabel('Theme name').fill('Fewer meetings');
      await desk.getByLabel('Theme name').press('Enter');
      await expect
        .poll(() => themes(phone).locator('h4').textContent(), { timeout: EXPECT_MS })
        .toBe('Fewer meetings');
      await themes(phone).getByRole('button', { name: 'Make a goal' }).tap();
      await desk
        .getByRole('button', { name: /^Goals/ })
        .first()
        .click();
      await expect.poll(() => heading(desk).textContent(), { timeout: EXPECT_MS }).toBe('Goals');
      await expect
        .poll(() => desk.locator('article.goal').allTextContents(), { timeout: EXPECT_MS })
        .toContainEqual(expect.stringContaining('Fewer meetings'));
      expect(await accessibilityViolations(desk)).toEqual([]);

      expect(deskProblems.list()).toEqual([]);
      expect(phoneProblems.list()).toEqual([]);
    },
  );
  it(
    '[product#themes][sync#themes] a card dragged with the mouse onto another makes a theme, one dragged onto the theme or onto an answer in it joins it, a second screen sees each live, and a card being edited cannot be dragged',
    { timeout: 60_000 },
    async () => {
      const { page: desk, problems: deskProblems } = await open(false);
      const url = await createBoardFromHome(desk, server.url, 'Camille');
      const { page: other, problems: otherProblems } = await open(false);
      await joinFromLink(other, url, 'Ben');
      await expect.poll(() => heading(other).textContent(), { timeout: EXPECT_MS }).toBe('Discover');

      for (const text of [
        'Slow approvals',
        'Approvals take a week',
        'Nobody signs off',
        'Sign-off by email',
      ]) {
        await desk.getByLabel('Your answer to question 1').fill(text);
        await desk.getByLabel('Your answer to question 1').press('Enter');
      }
      await expect.poll(() => firstLane(other).locator('li.card').count(), { timeout: EXPECT_MS }).toBe(4);

      // A card being edited cannot be dragged (a drag in its text selects the text), and can again
      // once its editing is done.
      const signOffId = await card(desk, 'Sign-off by email').getAttribute('data-card-id');
      const signOff = desk.locator(`li.card[data-card-id="${signOffId}"]`);
      expect(await signOff.getAttribute('draggable')).toBe('true');
      await signOff.getByRole('button', { name: 'Edit', exact: true }).click();
      await expect.poll(() => signOff.getAttribute('draggable'), { timeout: EXPECT_MS }).toBe('false');
      const refused = await signOff.locator('textarea').evaluate((area) => {
        const start = new DragEvent('dragstart', {
          bubbles: true,
          cancelable: true,
          dataTransfer: new DataTransfer(),
        });
        area.dispatchEvent(start);
        return start.defaultPrevented;
      });
      expect(refused).toBe(true);
      await signOff.getByRole('button', { name: 'Done', exact: true }).click();
      await expect.poll(() => signOff.getAttribute('draggable'), { timeout: EXPECT_MS }).toBe('true');

      // A card dropped on another: a new theme holding both, on both screens.
      await card(desk, 'Approvals take a week').dragTo(card(desk, 'Slow approvals'));
      for (const page of [desk, other]) {
        await expect.poll(() => themes(page).locator('li.card').count(), { timeout: EXPECT_MS }).toBe(2);
      }
      expect(await themes(other).locator('li.card .card-text').allTextContents()).toEqual(
        expect.arrayContaining(['Slow approvals', 'Approvals take a week']),
      );
      expect(await themes(other).count()).toBe(1);

      // The third card, dragged by hand (press, move in steps, release) onto the theme's own
      // buttons' row, just above it.
      await card(desk, 'Nobody signs off').evaluate((element) => element.scrollIntoView({ block: 'center' }));
      await dragByHand(
        desk,
        card(desk, 'Nobody signs off').locator('.card-text'),
        themes(desk).locator('.theme-actions'),
      );
      await expect.poll(() => themes(other).locator('li.card').count(), { timeout: EXPECT_MS }).toBe(3);
      expect(await themes(other).count()).toBe(1);
      expect(await themes(other).locator('.theme-kind').textContent()).toContain('3');
      expect(await themes(desk).locator('li.card.dropping').count()).toBe(0);

      // An answer in the theme that another card is dragged over shows it, until the card leaves it.
      const inThemeText = themes(desk)
        .locator('li.card', { hasText: 'Slow approvals' })
        .locator('.card-text');
      const dataTransfer = await desk.evaluateHandle(() => {
        const data = new DataTransfer();
        data.setData('application/x-atelier-card', 'any');
        return data;
      });
      await inThemeText.dispatchEvent('dragover', { dataTransfer });
      expect(await themes(desk).locator('li.card.dropping').allTextContents()).toEqual([
        expect.stringContaining('Slow approvals'),
      ]);
      await inThemeText.dispatchEvent('dragleave', { dataTransfer });
      expect(await desk.locator('li.card.dropping').count()).toBe(0);

      // The fourth, dragged by hand onto an answer inside the theme: it joins that theme, no new one.
      await card(desk, 'Sign-off by email').evaluate((element) => element.scrollIntoView({ block: 'end' }));
      await dragByHand(desk, card(desk, 'Sign-off by email').locator('.card-text'), inThemeText);
      await expect.poll(() => themes(other).locator('li.card').count(), { timeout: EXPECT_MS }).toBe(4);
      expect(await themes(other).count()).toBe(1);
      expect(await desk.locator('li.card.dropping').count()).toBe(0);

      for (const list of [deskProblems, otherProblems]) expect(list.list()).toEqual([]);
    },
  );
});
