/**
 * Focus on a theme in real Chromium (docs/session.md#focus, docs/product.md#themes): the
 * facilitator's "Focus" on a theme brings a phone participant (390×844) to it, highlighted; the
 * stage shows the theme's name and answers; scrolled away, "Back to focus" returns the phone to it.
 */
import { describe, expect, it } from 'vitest';
import { addCard, createTheme, readQuestions } from '../../shared/board';
import { useBrowser, useServer } from '../helpers/fixtures';
import { createBoardFromHome, joinFromLink, openPage, watchPage } from '../helpers/page';
import { accessibilityViolations } from './axe';
import { inView } from './in-view';

const EXPECT_MS = 10_000;

const server = useServer();
const chromium = useBrowser();

describe('focus on a theme', () => {
  it(
    '[session#focus][product#themes] the facilitator focuses a theme: the phone is brought to it, highlighted, the stage shows it, and "Back to focus" returns to it',
    { timeout: 120_000 },
    async () => {
      const { page: lead, problems: leadProblems } = await openPage(chromium, { phone: false });
      const url = await createBoardFromHome(lead, server.url, 'Camille');
      const boardId = /\/b\/([^/?#]+)/.exec(url)?.[1] ?? '';
      const { page: phone, problems: phoneProblems } = await openPage(chromium, { phone: true });
      await joinFromLink(phone, url, 'Ana');
      await phone.locator('.phase-nav').waitFor({ timeout: EXPECT_MS });

      // Answers in every lane; a theme in the last one, far from the top on a phone.
      const writer = await server.sync.syncedProvider(server, boardId);
      const questions = readQuestions(writer.doc, 'discover');
      const cards: string[] = [];
      for (const [index, question] of questions.entries()) {
        cards.length = 0;
        for (const n of [1, 2, 3]) {
          cards.push(
            addCard(writer.doc, {
              questionId: question.id,
              text: `Answer ${n} to question ${index + 1}`,
              authorId: 'someone-0000001',
            }),
          );
        }
      }
      const themeId = createTheme(writer.doc, {
        cardIds: cards.slice(0, 2),
        name: 'Too many tools',
        authorId: 'someone-0000001',
      });
      const theme = `section.theme[data-theme-id="${themeId}"]`;
      for (const page of [lead, phone]) await page.locator(theme).waitFor({ timeout: EXPECT_MS });

      const stageContext = await chromium.newContext({
        locale: 'en-US',
        viewport: { width: 1920, height: 1080 },
      });
      const stage = await stageContext.newPage();
      const stageProblems = watchPage(stage);
      await stage.goto(`${server.url}/b/${boardId}/stage`);
      await stage.getByTestId('stage-phase').waitFor({ timeout: EXPECT_MS });

      // Only the facilitator has the button; by keyboard, it focuses the theme.
      expect(await phone.locator(theme).getByTestId('focus-button').count()).toBe(0);
      const button = lead.locator(theme).getByRole('button', { name: 'Focus: bring everyone to this theme' });
      await button.focus();
      await lead.keyboard.press('Enter');
      await phone.locator(`${theme}[data-in-focus]`).waitFor({ timeout: EXPECT_MS });
      await expect.poll(() => inView(phone, theme), { timeout: EXPECT_MS }).toBe(true);
      expect(
        await lead.locator(theme).getByRole('button', { name: 'End focus' }).getAttribute('aria-pressed'),
      ).toBe('true');

      // The stage names the theme and lists its answers.
      const panel = stage.getByTestId('stage-focus');
      await panel.waitFor({ timeout: EXPECT_MS });
      await expect.poll(() => panel.textContent(), { timeout: EXPECT_MS }).toContain('Too many tools');
      expect(await panel.textContent()).toContain('Theme');
      // The answers render with the document: wait for them rather than read them once. Written in
      // one millisecond, the two answers' display order is their ids' (docs/sync.md#ids-and-order).
      await expect
        .poll(
          async () => (await stage.getByTestId('stage-focus-answers').locator('li').allTextContents()).sort(),
          { timeout: EXPECT_MS },
        )
        .toEqual([`Answer 1 to question ${questions.length}`, `Answer 2 to question ${questions.length}`]);

      // The phone scrolls back to the top: "Back to focus" takes it back to the theme.
      await phone.evaluate(() => {
        window.scrollTo(0, 0);
        for (const element of document.querySelectorAll('*'))
          if (element.scrollLeft > 0) element.scrollLeft = 0;
      });
      await expect.poll(() => inView(phone, theme), { timeout: EXPECT_MS }).toBe(false);
      const back = phone.getByRole('button', { name: 'Back to focus' });
      await back.waitFor({ timeout: EXPECT_MS });
      expect(await accessibilityViolations(phone)).toEqual([]);
      await back.click();
      await expect.poll(() => inView(phone, theme), { timeout: EXPECT_MS }).toBe(true);
      await back.waitFor({ state: 'hidden', timeout: EXPECT_MS });

      // The facilitator ends the focus: the highlight and the stage's panel go.
      await lead.locator(theme).getByRole('button', { name: 'End focus' }).click();
      await phone.locator(`${theme}[data-in-focus]`).waitFor({ state: 'detached', timeout: EXPECT_MS });
      await panel.waitFor({ state: 'detached', timeout: EXPECT_MS });

      for (const page of [lead, stage]) expect(await accessibilityViolations(page)).toEqual([]);
      for (const problems of [leadProblems, phoneProblems, stageProblems])
        expect(problems.list()).toEqual([]);
      await stageContext.close();
    },
  );
});
