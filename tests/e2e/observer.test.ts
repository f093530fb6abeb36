/**
 * The observer link in real Chromium (docs/product.md#observer-link): a facilitator makes it in
 * the share dialog; the observer's page follows the board live with no way to change it, shows
 * the stage view and the summary, and says so once the facilitator revokes the link.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { addCard } from '../../shared/board';
import { firstQuestion } from '../helpers/expect';
import { useBrowser, useServer } from '../helpers/fixtures';
import { watchPage } from '../helpers/page';
import { joinBoard } from '../helpers/server';
import { GoalWriter } from '../helpers/workshop';
import { accessibilityViolations } from './axe';

const EXPECT_MS = 10_000;

const server = useServer();
const chromium = useBrowser();

async function newPage(viewport = { width: 1280, height: 900 }): Promise<Page> {
  const context = await chromium.newContext({ locale: 'en-US', viewport });
  return context.newPage();
}

/** The controls that would let someone change the board, anywhere on the page. */
const editControls = (page: Page) =>
  page.locator('main textarea, main input, main select, main form, .card-actions').count();

describe('the observer link', () => {
  it(
    '[product#observer-link][security#observer-links] made in the share dialog, it shows the board live and read-only, the stage and the summary, until it is revoked',
    { timeout: 120_000 },
    async () => {
      const lead = await newPage();
      const leadProblems = watchPage(lead);
      await lead.goto(server.url);
      await lead.getByLabel('Your name').fill('Lead');
      await lead.getByRole('button', { name: 'Create the board' }).click();
      const dialog = lead.getByRole('dialog');
      await dialog.getByTestId('observer-link').waitFor({ timeout: EXPECT_MS });
      const boardId = new URL(lead.url()).pathname.split('/').at(-1) ?? '';

      await dialog.getByRole('button', { name: 'Create an observer link' }).click();
      const linkInput = dialog.getByRole('textbox', { name: 'Observer link' });
      await linkInput.waitFor({ timeout: EXPECT_MS });
      const url = await linkInput.inputValue();
      expect(url).toMatch(new RegExp(`^${server.url}/o/[A-Za-z0-9_-]{43}$`));
      expect(await accessibilityViolations(lead)).toEqual([]);

      // The observer, on a phone.
      const observer = await newPage({ width: 390, height: 844 });
      const problems = watchPage(observer);
      await observer.goto(url);
      await observer.getByTestId('observer-banner').getByText('Read-only — observer').waitFor({
        timeout: EXPECT_MS,
      });
      await observer.locator('.lane').first().waitFor({ timeout: EXPECT_MS });

      // A participant's card arrives on the observer's page as it is written.
      const member = await joinBoard(server, boardId, 'Member');
      const writer = await GoalWriter.open(server, server.sync, boardId, member);
      addCard(writer.client.doc, {
        questionId: firstQuestion(writer.client),
        text: 'Heads of marketing in mid-size companies',
        authorId: member.participantId,
      });
      await observer
        .locator('.card', { hasText: 'Heads of marketing in mid-size companies' })
        .waitFor({ timeout: EXPECT_MS });
      expect(await editControls(observer)).toBe(0);
      expect(await observer.getByRole('button', { name: /Add|Vote|Edit|Delete/ }).count()).toBe(0);
      expect(await accessibilityViolations(observer)).toEqual([]);

      // Nobody sees the observer among the people on the board.
      const people = await server.sessions.connect(server, { boardId, token: member.token });
      const view = await people.waitForSession((v) => v.participants.length > 0, 'the people');
      expect(view.participants.map((p) => p.name).sort()).toEqual(['Lead', 'Member']);

      await observer.goto(`${url}/stage`);
      await observer.getByTestId('stage-phase').waitFor({ timeout: EXPECT_MS });
      await observer
        .locator('.stage-answer', { hasText: 'Heads of marketing' })
        .waitFor({ timeout: EXPECT_MS });
      expect(await observer.getByTestId('stage-qr').count()).toBe(0);
      expect(await accessibilityViolations(observer)).toEqual([]);

      await observer.goto(`${url}/summary`);
      await observer.getByTestId('summary-people').waitFor({ timeout: EXPECT_MS });
      expect(await observer.getByTestId('summary-people').textContent()).toContain('Member');
      expect(await accessibilityViolations(observer)).toEqual([]);
      expect(problems.list()).toEqual([]);

      // Revoked while open: the page says so, at once.
      await dialog.getByRole('button', { name: 'Revoke the observer link' }).click();
      await dialog.getByText('The observer link was revoked').waitFor({ timeout: EXPECT_MS });
      await observer.getByTestId('observer-revoked').waitFor({ timeout: EXPECT_MS });
      expect(await observer.getByTestId('summary-people').count()).toBe(0);
      expect(await accessibilityViolations(observer)).toEqual([]);

      // Opened again later, it still says so.
      await observer.goto(url);
      await observer.getByTestId('observer-revoked').waitFor({ timeout: EXPECT_MS });
      // The one error the browser logs is the 410 of the revoked link itself.
      expect(problems.list().filter((problem) => !/status of 410/.test(problem))).toEqual([]);
      expect(leadProblems.list()).toEqual([]);
    },
  );
});
