/**
 * The whole path in real headless Chromium: a facilitator creates a board in one browser
 * context, a participant joins through the shared link in another (at a phone's size), and both
 * see each other's work live; reloads and a server restart lose nothing.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useBrowser, useServer } from '../helpers/fixtures';
import { watchPage, type PageProblems } from '../helpers/page';

const EXPECT_MS = 10_000;

const server = useServer();
const chromium = useBrowser();

async function open(
  options: { phone?: boolean; locale?: string } = {},
): Promise<{ page: Page; problems: PageProblems }> {
  const context = await chromium.newContext({
    locale: options.locale ?? 'en-US',
    viewport: options.phone ? { width: 390, height: 844 } : { width: 1280, height: 800 },
    isMobile: options.phone ?? false,
    hasTouch: options.phone ?? false,
  });
  const page = await context.newPage();
  return { page, problems: watchPage(page) };
}

function lane(page: Page, index: number) {
  return page.locator('section.lane[data-question-id]').nth(index);
}

async function addCard(page: Page, questionNumber: number, text: string): Promise<void> {
  await page.getByLabel(`Your answer to question ${questionNumber}`).fill(text);
  await page.keyboard.press('Enter');
}

describe('[product#working-together][http#http-api][sync#the-sync-endpoint] a board, live, in two browsers', () => {
  it(
    'a facilitator creates and shares a board, a participant joins from the link, cards flow both ways and survive reloads and a restart',
    { timeout: 60_000 },
    async () => {
      // The facilitator creates the board.
      const { page: lead, problems: leadProblems } = await open();
      await lead.goto(server.url);
      await lead.getByLabel('Board title').fill('Social kickoff — e2e');
      await lead.getByLabel('Your name').fill('Camille');
      await lead.getByRole('button', { name: 'Create the board' }).click();
      await lead.waitForURL(/\/b\/[A-Za-z0-9_-]{22}$/);

      // The share dialog opens by itself: participant link, facilitator link apart with a warning,
      // and a warning that 127.0.0.1 cannot be opened by teammates.
      const dialog = lead.getByRole('dialog', { name: 'Invite your team' });
      await dialog.waitFor({ timeout: EXPECT_MS });
      const participantUrl = await dialog.getByLabel('Participant link').inputValue();
      expect(participantUrl).toBe(lead.url());
      const facilitatorUrl = await dialog.getByLabel('Facilitator link').inputValue();
      expect(facilitatorUrl).toMatch(new RegExp(`^${participantUrl}#key=[A-Za-z0-9_-]{40,}$`));
      await expect.poll(() => dialog.getByText('full control').count()).toBe(1);
      await expect.poll(() => dialog.getByTestId('localhost-warning').textContent()).toContain('PUBLIC_URL');
      await dialog.getByRole('button', { name: 'Close' }).last().click();

      // The six discovery questions of the template, in order.
      await expect
        .poll(() => lead.locator('section.lane[data-question-id]').count(), { timeout: EXPECT_MS })
        .toBe(6);
      await expect.poll(() => lane(lead, 0).locator('h3').textContent()).toBe('Who is our target audience?');

      // A teammate opens the participant link on a phone and gives only a name.
      const { page: mate, problems: mateProblems } = await open({ phone: true });
      await mate.goto(participantUrl);
      await mate.getByLabel('Your name').fill('Sami');
      await mate.getByRole('button', { name: 'Join the board' }).click();
      await expect
        .poll(() => mate.locator('section.lane[data-question-id]').count(), { timeout: EXPECT_MS })
        .toBe(6);
      // Questions are the facilitator's: a participant has no question tools.
      expect(await mate.getByRole('button', { name: 'Edit question' }).count()).toBe(0);

      // Who is online is visible to both.
      await expect
        .poll(() => lead.locator('.presence .count').textContent(), { timeout: EXPECT_MS })
        .toBe('2 online');

      // The participant answers; the facilitator sees it live, with the author's name.
      await addCard(mate, 1, 'Heads of marketing in mid-size companies');
      const leadCard = lane(lead, 0).locator('.card', {
        hasText: 'Heads of marketing in mid-size companies',
      });
      await leadCard.waitFor({ timeout: EXPECT_MS });
      expect(await leadCard.locator('.author .person-label').textContent()).toBe('Sami');

      // The facilitator edits that card; the participant sees the edit.
      const cardId = await leadCard.getAttribute('data-card-id');
      await leadCard.getByRole('button', { name: 'Edit' }).click();
      const editor = lead.locator(`[data-card-id="${cardId}"]`).getByLabel('Edit');
      await editor.fill('Heads of marketing in mid-size B2B companies');
      await editor.press('Enter');
      await lane(mate, 0)
        .locator('.card', { hasText: 'mid-size B2B companies' })
        .waitFor({ timeout: EXPECT_MS });

      // The facilitator adds a question; it reaches the participant.
      await lead.getByLabel('New question').fill('What should we stop doing?');
      await lead.getByLabel('New question').press('Enter');
      await expect
        .poll(() => mate.locator('section.lane[data-question-id]').count(), { timeout: EXPECT_MS })
        .toBe(7);

      // A reload keeps the participant's identity (no join form) and all content.
      await mate.reload();
      await lane(mate, 0)
        .locator('.card', { hasText: 'mid-size B2B companies' })
        .waitFor({ timeout: EXPECT_MS });
      expect(await mate.getByRole('button', { name: 'Join the board' }).count()).toBe(0);
      await expect
        .poll(() => lead.locator('.presence .count').textContent(), { timeout: EXPECT_MS })
        .toBe('2 online');

      // The server restarts: content is kept and both pages reconnect by themselves.
      await server.restart();
      await expect
        .poll(() => mate.locator('.connection').getAttribute('data-status'), { timeout: 15_000 })
        .toBe('connected');
      await expect
        .poll(() => lead.locator('.connection').getAttribute('data-status'), { timeout: 15_000 })
        .toBe('connected');
      await addCard(lead, 2, 'Instagram and LinkedIn: that is where our buyers are');
      await lane(mate, 1)
        .locator('.card', { hasText: 'Instagram and LinkedIn' })
        .waitFor({ timeout: EXPECT_MS });

      // A card deleted by one disappears for the other.
      await lane(mate, 1)
        .locator('.card', { hasText: 'Instagram and LinkedIn' })
        .getByRole('button', { name: 'Delete' })
        .click();
      await expect.poll(() => lane(lead, 1).locator('.card').count(), { timeout: EXPECT_MS }).toBe(0);

      // After a fresh load, the content came from the server, not from the page's memory.
      await lead.reload();
      await lane(lead, 0)
        .locator('.card', { hasText: 'mid-size B2B companies' })
        .waitFor({ timeout: EXPECT_MS });
      expect(await lead.locator('section.lane[data-question-id]').count()).toBe(7);

      expect(leadProblems.list()).toEqual([]);
      expect(mateProblems.list()).toEqual([]);
    },
  );

  it('a French board shows the seed article’s questions, and the interface follows the browser language with a switch', async () => {
    const { page, problems } = await open({ locale: 'fr-FR' });
    await page.goto(server.url);
    await page.getByLabel('Votre nom').fill('Inès');
    await page.getByRole('radio', { name: 'Français' }).check();
    await page.getByRole('button', { name: 'Créer le tableau' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Fermer' }).last().click();
    await expect
      .poll(() => lane(page, 0).locator('h3').textContent(), { timeout: EXPECT_MS })
      .toBe('Quel est notre public cible ?');
    await page.getByRole('combobox', { name: 'Langue' }).selectOption('en');
    await page.getByRole('button', { name: 'Share' }).waitFor();
    // The board's content stays in its own language.
    expect(await lane(page, 0).locator('h3').textContent()).toBe('Quel est notre public cible ?');
    expect(problems.list()).toEqual([]);
  });

  it('an unknown board says so instead of creating one', async () => {
    const { page } = await open();
    await page.goto(`${server.url}/b/ThisBoardDoesNotExist00`);
    await page.getByRole('heading', { name: 'This board does not exist' }).waitFor({ timeout: EXPECT_MS });
  });
});
