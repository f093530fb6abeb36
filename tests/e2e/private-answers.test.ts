/**
 * Private and anonymous answers in real Chromium (issue #12): a facilitator makes a question
 * private and anonymous, two participants — one on a phone — write, each sees only their own and
 * the count, the reveal shows every answer to everyone, with no name; axe-core on each screen.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useBrowser, useServer } from '../helpers/fixtures';
import { createBoardFromHome, joinAndWait, openPage } from '../helpers/page';
import { accessibilityViolations } from './axe';

const EXPECT_MS = 10_000;

const server = useServer();
const chromium = useBrowser();

const open = (phone = false) => openPage(chromium, { phone });

const createBoard = (page: Page, name: string) => createBoardFromHome(page, server.url, name);

const join = (page: Page, url: string, name: string) => joinAndWait(page, url, name, '.phase-nav');

const firstLane = (page: Page) => page.locator('.lane[data-question-id]').first();

async function write(page: Page, text: string): Promise<void> {
  const box = page.getByLabel('Your answer to question 1');
  await box.fill(text);
  await box.press('Enter');
}

/** The texts of the answer cards on the board (held answers are not cards). */
const boardCards = (page: Page) =>
  firstLane(page).locator('.card[data-card-id] .card-text').allTextContents();

describe('private and anonymous answers, live', () => {
  it(
    '[product#private-and-anonymous-answers] [session#private-and-anonymous-answers] each writes alone, sees the count, and the reveal shows all without names',
    { timeout: 120_000 },
    async () => {
      const { page: lead, problems: leadProblems } = await open();
      const url = await createBoard(lead, 'Camille');
      const { page: desk, problems: deskProblems } = await open();
      const { page: phone, problems: phoneProblems } = await open(true);
      await join(desk, url, 'Ben');
      await join(phone, url, 'Ana');

      // A named answer from before the modes: it keeps its name, and the lane says so.
      await write(lead, 'Camille said this openly');
      await expect
        .poll(() => boardCards(phone), { timeout: EXPECT_MS })
        .toEqual(['Camille said this openly']);

      const modes = lead.getByRole('group', { name: 'How question 1 takes answers' });
      await modes.getByRole('button', { name: 'Private until reveal' }).click();
      await modes.getByRole('button', { name: 'Anonymous' }).click();
      await expect
        .poll(() => modes.getByRole('button', { name: 'Anonymous' }).getAttribute('aria-pressed'))
        .toBe('true');

      // Everyone reads the mode in plain words.
      for (const page of [lead, desk, phone]) {
        const label = firstLane(page).getByTestId('answer-mode');
        await expect
          .poll(() => label.textContent(), { timeout: EXPECT_MS })
          .toContain('Private until reveal');
        expect(await label.textContent()).toContain('Anonymous: answers carry no name');
        expect(await label.textContent()).toContain(
          '1 answer given before this question became anonymous still shows its author.',
        );
      }
      // A participant has no switches.
      expect(await desk.getByRole('group', { name: 'How question 1 takes answers' }).count()).toBe(0);

      await write(desk, 'Ben keeps this to himself');
      await write(phone, 'Ana writes from her phone');

      // Each sees their own held answer, never the other's, and the count.
      await expect
        .poll(() => desk.getByTestId('my-held-answers').textContent(), { timeout: EXPECT_MS })
        .toContain('Ben keeps this to himself');
      await expect
        .poll(() => phone.getByTestId('my-held-answers').textContent(), { timeout: EXPECT_MS })
        .toContain('Ana writes from her phone');
      for (const page of [lead, desk, phone]) {
        await expect
          .poll(() => firstLane(page).getByTestId('held-count').textContent(), { timeout: EXPECT_MS })
          .toBe('Someone is writing · 2 answers so far');
      }
      expect(await desk.content()).not.toContain('Ana writes from her phone');
      expect(await phone.content()).not.toContain('Ben keeps this to himself');
      expect(await lead.content()).not.toContain('Ben keeps this to himself');
      expect(await boardCards(desk)).toEqual(['Camille said this openly']);

      // The phone's author changes her answer before the reveal.
      const mine = phone.getByTestId('my-held-answers');
      await mine.getByRole('button', { name: 'Edit' }).click();
      await phone.getByLabel('Edit your private answer').fill('Ana, edited on her phone');
      await phone.getByLabel('Edit your private answer').press('Enter');
      await expect
        .poll(() => mine.textContent(), { timeout: EXPECT_MS })
        .toContain('Ana, edited on her phone');

      expect(await accessibilityViolations(phone)).toEqual([]);
      expect(await accessibilityViolations(lead)).toEqual([]);

      // The reveal: every answer on every screen, in the order written, with no name on it.
      await modes.getByRole('button', { name: 'Reveal the answers to question 1' }).click();
      for (const page of [lead, desk, phone]) {
        await expect
          .poll(() => boardCards(page), { timeout: EXPECT_MS })
          .toEqual(['Camille said this openly', 'Ben keeps this to himself', 'Ana, edited on her phone']);
        await expect.poll(() => page.getByTestId('my-held-answers').count()).toBe(0);
        const authors = await firstLane(page).locator('.card[data-card-id] .person-label').allTextContents();
        expect(authors).toEqual(['Camille', 'Anonymous', 'Anonymous']);
        expect(await firstLane(page).getByTestId('answer-mode').textContent()).not.toContain('Private');
      }

      // Ben edits his own anonymous card (through the server); Ana has no Edit on it.
      const bens = (page: Page) =>
        firstLane(page).locator('.card[data-card-id]', { hasText: 'Ben keeps this to himself' });
      expect(await bens(phone).getByRole('button', { name: 'Edit' }).count()).toBe(0);
      await bens(desk).getByRole('button', { name: 'Edit' }).click();
      await desk.getByLabel('Edit your anonymous answer').fill('Ben, edited without a name');
      await desk.getByLabel('Edit your anonymous answer').press('Enter');
      await expect
        .poll(() => boardCards(phone), { timeout: EXPECT_MS })
        .toEqual(['Camille said this openly', 'Ben, edited without a name', 'Ana, edited on her phone']);

      // Still anonymous: an answer written now goes on the board at once, with no name.
      await write(desk, 'Ben, after the reveal');
      await expect.poll(() => boardCards(phone), { timeout: EXPECT_MS }).toContain('Ben, after the reveal');
      const last = firstLane(phone).locator('.card[data-card-id]').last();
      expect(await last.locator('.person-label').textContent()).toBe('Anonymous');

      expect(await accessibilityViolations(desk)).toEqual([]);
      expect(leadProblems.list()).toEqual([]);
      expect(deskProblems.list()).toEqual([]);
      expect(phoneProblems.list()).toEqual([]);
    },
  );
});
