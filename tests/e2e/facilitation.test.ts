/**
 * Facilitation in real Chromium (issue "Facilitation and a board people enjoy using"): a whole
 * mini-workshop in three contexts, one at a phone's size; a keyboard-only path; and axe-core on
 * every screen, in light and dark.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useBrowser, useServer } from '../helpers/fixtures';
import { accessibilityViolations } from './axe';
import { createBoardFromHome, joinAndWait, watchPage, type PageProblems } from '../helpers/page';

const EXPECT_MS = 10_000;
/** The phone's clock runs seven minutes ahead: the timer must not care. */
const PHONE_CLOCK_SKEW_MS = 7 * 60_000;

const server = useServer();
const chromium = useBrowser();

interface OpenOptions {
  phone?: boolean;
  colorScheme?: 'light' | 'dark';
  clockSkewMs?: number;
}

async function open(options: OpenOptions = {}): Promise<{ page: Page; problems: PageProblems }> {
  const context = await chromium.newContext({
    locale: 'en-US',
    colorScheme: options.colorScheme ?? 'light',
    viewport: options.phone ? { width: 390, height: 844 } : { width: 1280, height: 900 },
    isMobile: options.phone ?? false,
    hasTouch: options.phone ?? false,
  });
  if (options.clockSkewMs) {
    await context.addInitScript((skew: number) => {
      const realNow = Date.now.bind(Date);
      Date.now = () => realNow() + skew;
    }, options.clockSkewMs);
  }
  const page = await context.newPage();
  return { page, problems: watchPage(page) };
}

async function createBoard(page: Page, name: string): Promise<string> {
  return createBoardFromHome(page, server.url, name);
}

const join = (page: Page, url: string, name: string) => joinAndWait(page, url, name, '.phase-nav');

const heading = (page: Page) => page.locator('#section-heading').textContent();
const clockSeconds = async (page: Page): Promise<number> => {
  const text = (await page.locator('.timer-clock').textContent()) ?? '';
  const match = /(\d+):(\d{2})/.exec(text);
  return match ? Number(match[1]) * 60 + Number(match[2]) : Number.NaN;
};

async function goTo(page: Page, phase: string): Promise<void> {
  await page.locator('.phase-tab', { hasText: phase }).click();
  await expect.poll(() => heading(page), { timeout: EXPECT_MS }).toBe(phase === 'Agree' ? 'Agree' : phase);
}

describe('facilitation, live', () => {
  it(
    'a mini-workshop: phases, a skew-proof timer, the lock, reactions, the day-to-day map and the anonymous pulse',
    { timeout: 120_000 },
    async () => {
      const { page: lead, problems: leadProblems } = await open();
      const url = await createBoard(lead, 'Camille');
      const { page: phone, problems: phoneProblems } = await open({
        phone: true,
        clockSkewMs: PHONE_CLOCK_SKEW_MS,
      });
      const { page: desk, problems: deskProblems } = await open();
      await join(phone, url, 'Ana');
      await join(desk, url, 'Ben');

      // Phases: the facilitator moves everyone; a participant may look elsewhere without moving others.
      await goTo(lead, 'Day-to-day');
      await lead.getByRole('button', { name: 'Move everyone to Day-to-day' }).click();
      for (const page of [phone, desk])
        await expect.poll(() => heading(page), { timeout: EXPECT_MS }).toBe('Day-to-day');
      await goTo(desk, 'Discover');
      expect(await heading(lead)).toBe('Day-to-day');
      await expect.poll(() => phone.locator('.phase-tab.live').textContent()).toContain('Day-to-day');

      // The day-to-day map: hats worn by each, and the team's load.
      await goTo(desk, 'Day-to-day');
      await phone.getByRole('button', { name: /Community manager/ }).click();
      await phone.getByRole('button', { name: /Videographer/ }).click();
      await desk.getByRole('button', { name: /Community manager/ }).click();
      await expect
        .poll(
          () =>
            lead.locator('.load-person', { hasText: 'Ana' }).locator('.load-figure').first().textContent(),
          {
            timeout: EXPECT_MS,
          },
        )
        .toBe('2 hats');
      expect(
        await lead
          .getByRole('button', { name: /Community manager/ })
          .first()
          .getAttribute('aria-pressed'),
      ).toBe('false');
      expect(
        await phone
          .getByRole('button', { name: /Community manager/ })
          .first()
          .getAttribute('aria-pressed'),
      ).toBe('true');
      // A hat added with a typo, then taken off the board by the one who added it: gone for all.
      await desk.getByLabel('Add a hat').fill('Podcsat host');
      await desk.getByLabel('Add a hat').press('Enter');
      await expect
        .poll(() => lead.locator('.hat-label', { hasText: 'Podcsat host' }).count(), { timeout: EXPECT_MS })
        .toBe(1);
      await desk.getByRole('button', { name: 'Remove “Podcsat host”' }).click();
      await expect
        .poll(() => lead.locator('.hat-label', { hasText: 'Podcsat host' }).count(), { timeout: EXPECT_MS })
        .toBe(0);
      // The article's hats stay: none of them offers a way to remove it.
      expect(await desk.locator('.hat-remove').count()).toBe(0);

      // The timer: the phone's clock is seven minutes ahead, yet it shows what the others show.
      await lead.locator('.timer-menu summary').click();
      await lead.locator('.timer-panel').getByRole('button', { name: '5 min', exact: true }).click();
      await expect.poll(() => clockSeconds(desk), { timeout: EXPECT_MS }).toBeLessThanOrEqual(300);
      await expect.poll(() => clockSeconds(desk), { timeout: EXPECT_MS }).toBeGreaterThan(280);
      const [leadLeft, phoneLeft] = [await clockSeconds(lead), await clockSeconds(phone)];
      expect(Math.abs(leadLeft - phoneLeft)).toBeLessThanOrEqual(2);
      await lead.locator('.timer-menu summary').click();
      await lead.locator('.timer-panel').getByRole('button', { name: 'Pause' }).click();
      await expect
        .poll(() => phone.locator('.timer').getAttribute('class'), { timeout: EXPECT_MS })
        .toContain('paused');
      await lead.locator('.timer-menu summary').click();
      await lead.locator('.timer-panel').getByRole('button', { name: '+1 min' }).click();
      await expect.poll(() => clockSeconds(phone), { timeout: EXPECT_MS }).toBeGreaterThan(330);
      // A reload keeps the timer as it is: paused, with its extra minute.
      await phone.reload();
      await expect.poll(() => clockSeconds(phone), { timeout: EXPECT_MS }).toBeGreaterThan(330);
      expect(await phone.locator('.timer').getAttribute('class')).toContain('paused');

      // The lock: participants cannot edit; the facilitator can; unlocking gives editing back.
      await goTo(lead, 'Discover');
      await lead.getByRole('button', { name: 'Move everyone to Discover' }).click();
      await lead.getByRole('button', { name: 'Lock edits' }).click();
      await expect.poll(() => desk.locator('.lock-banner').count(), { timeout: EXPECT_MS }).toBe(1);
      expect(await desk.getByLabel('Your answer to question 1').isDisabled()).toBe(true);
      expect(await lead.getByLabel('Your answer to question 1').isDisabled()).toBe(false);
      await lead.getByLabel('Your answer to question 1').fill('Noted during the discussion');
      await lead.keyboard.press('Enter');
      await desk.locator('.card', { hasText: 'Noted during the discussion' }).waitFor({ timeout: EXPECT_MS });
      await lead.getByRole('button', { name: /Unlock edits/ }).click();
      await expect
        .poll(() => desk.getByLabel('Your answer to question 1').isDisabled(), { timeout: EXPECT_MS })
        .toBe(false);
      await desk.getByLabel('Your answer to question 1').fill('After the lock');
      await desk.keyboard.press('Enter');
      await lead.locator('.card', { hasText: 'After the lock' }).waitFor({ timeout: EXPECT_MS });

      // Reactions: a burst from one reaches everyone.
      // On a phone the reactions are one button, which opens the bar.
      await phone.getByRole('button', { name: 'Send a reaction' }).click();
      await phone.getByRole('button', { name: 'Reaction 👏' }).click();
      await expect
        .poll(() => lead.locator('.floating-reaction').count(), { timeout: EXPECT_MS })
        .toBeGreaterThan(0);
      await expect
        .poll(() => desk.locator('.floating-reaction').count(), { timeout: EXPECT_MS })
        .toBeGreaterThan(0);

      // The pulse, anonymous: nothing shows before three participants answered.
      const { page: third } = await open();
      await join(third, url, 'Chloé');
      await goTo(lead, 'Wrap-up');
      await lead.getByRole('button', { name: 'Move everyone to Wrap-up' }).click();
      const answers: Array<[Page, string, string]> = [
        [phone, '2', 'Fewer late-night crisis posts'],
        [desk, '4', 'A shared content calendar'],
      ];
      for (const [page, score, help] of answers) {
        await expect.poll(() => heading(page), { timeout: EXPECT_MS }).toBe('Wrap-up');
        await page.locator('.pulse-option', { hasText: score }).click();
        await page.getByLabel('One thing that would help (optional)').fill(help);
        await page.getByRole('button', { name: 'Send anonymously' }).click();
      }
      await expect
        .poll(() => lead.getByTestId('pulse-results').textContent(), { timeout: EXPECT_MS })
        .toContain('2 answers so far');
      expect(await lead.getByTestId('pulse-results').textContent()).not.toContain('calendar');
      await expect.poll(() => heading(third), { timeout: EXPECT_MS }).toBe('Wrap-up');
      await third.locator('.pulse-option', { hasText: '3' }).click();
      await third.getByRole('button', { name: 'Send anonymously' }).click();
      // Three answers: still nothing shown until the facilitator takes a snapshot of the results.
      await expect
        .poll(() => desk.getByTestId('pulse-results').textContent(), { timeout: EXPECT_MS })
        .toContain('3 answers so far; the facilitator will show the results');
      await lead.getByRole('button', { name: 'Show the results' }).click();
      await expect
        .poll(() => desk.getByTestId('pulse-results').textContent(), { timeout: EXPECT_MS })
        .toContain('3 answers · average 3 / 5');
      // A changed answer does not change what is shown (it would expose who changed what).
      await phone.locator('.pulse-option', { hasText: '5' }).click();
      await phone.getByRole('button', { name: 'Update my answer' }).click();
      await expect
        .poll(() => lead.getByTestId('pulse-results').textContent(), { timeout: EXPECT_MS })
        .toContain('1 answer given or changed since');
      expect(await lead.getByTestId('pulse-results').textContent()).toContain('average 3 / 5');
      expect(await lead.getByRole('button', { name: 'Show the new results' }).isDisabled()).toBe(true);
      const results = (await desk.getByTestId('pulse-results').textContent()) ?? '';
      expect(results).toContain('A shared content calendar');
      expect(results).toContain('Fewer late-night crisis posts');
      for (const name of ['Ana', 'Ben', 'Chloé']) expect(results).not.toContain(name);
      // The facilitator leads the check-in and has no form.
      expect(await lead.getByRole('button', { name: 'Send anonymously' }).count()).toBe(0);

      for (const problems of [leadProblems, phoneProblems, deskProblems]) expect(problems.list()).toEqual([]);
    },
  );

  it('adds a card and casts a vote with the keyboard only', { timeout: 60_000 }, async () => {
    const { page } = await open();
    await createBoard(page, 'Kim');
    // What has focus, by its accessible label or its text ('' for the page itself).
    const focused = () =>
      page.evaluate(() => {
        const active = document.activeElement;
        if (!active || active === document.body) return '';
        return active.getAttribute('aria-label') ?? active.textContent?.trim() ?? '';
      });
    async function tabTo(label: RegExp, limit = 80): Promise<void> {
      for (let i = 0; i < limit; i++) {
        if (label.test(await focused())) return;
        await page.keyboard.press('Tab');
      }
      throw new Error(`Tab never reached ${label}`);
    }

    await tabTo(/^Your answer to question 1$/);
    await page.keyboard.type('Found with the keyboard');
    await page.keyboard.press('Enter');
    await page.locator('.card', { hasText: 'Found with the keyboard' }).waitFor({ timeout: EXPECT_MS });

    // A goal, then voting: the phase tabs and every control are reachable and operable by keys.
    await tabTo(/Goals/);
    await page.keyboard.press('Enter');
    await expect.poll(() => heading(page)).toBe('Goals');
    await tabTo(/^Add “Grow our audience”$/);
    await page.keyboard.press('Enter');
    await page.locator('article.goal').first().waitFor({ timeout: EXPECT_MS });
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await tabTo(/Prioritise/);
    await page.keyboard.press('Enter');
    await expect.poll(() => heading(page)).toBe('Prioritise');
    await tabTo(/^Open voting$/);
    await page.keyboard.press('Enter');
    await tabTo(/^Add a vote to “Grow our audience”$/);
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.getByTestId('votes-left').textContent(), { timeout: EXPECT_MS })
      .toBe('4 of 5 votes left');
    // Focus is visible where the keyboard is.
    const outline = await page.evaluate(
      () => getComputedStyle(document.activeElement as Element).outlineStyle,
    );
    expect(outline).not.toBe('none');
  });

  for (const colorScheme of ['light', 'dark'] as const) {
    it(
      `has no axe-core violations on the home page, the share dialog, every phase and the export view (${colorScheme})`,
      { timeout: 90_000 },
      async () => {
        const { page } = await open({ colorScheme });
        await page.goto(server.url);
        expect(await accessibilityViolations(page)).toEqual([]);
        await page.getByLabel('Your name').fill('Axel');
        await page.getByRole('button', { name: 'Create the board' }).click();
        await page.getByRole('dialog').waitFor();
        await page.locator('[data-testid="share-qr"]').waitFor({ timeout: EXPECT_MS });
        expect(await accessibilityViolations(page)).toEqual([]);
        await page.getByRole('dialog').getByRole('button', { name: 'Close' }).last().click();

        // Some content in every phase, so that cards, goals, tallies and the export are checked too.
        await page.getByLabel('Your answer to question 1').fill('Small businesses in Lyon');
        await page.keyboard.press('Enter');
        await page.locator('.timer-menu summary').click();
        await page.locator('.timer-panel').getByRole('button', { name: '3 min', exact: true }).click();
        for (const phase of ['Discover', 'Day-to-day', 'Goals', 'Prioritise', 'Agree', 'Wrap-up']) {
          await goTo(page, phase);
          if (phase === 'Day-to-day') await page.getByRole('button', { name: /Writer/ }).click();
          if (phase === 'Goals') await page.getByRole('button', { name: 'Add “Grow our audience”' }).click();
          if (phase === 'Prioritise') {
            await page.getByRole('button', { name: 'Open voting' }).click();
            await page.getByRole('button', { name: 'Add a vote to “Grow our audience”' }).click();
            await page.getByRole('button', { name: 'Reveal results' }).click();
            await page.getByTestId('tally').first().waitFor({ timeout: EXPECT_MS });
          }
          if (phase === 'Agree') {
            // The goal has no target: agreeing it asks to confirm first.
            await page.getByRole('button', { name: 'Mark as agreed' }).click();
            await page.getByRole('button', { name: 'Agree anyway' }).click();
          }
          if (phase === 'Wrap-up') {
            await page.getByRole('button', { name: 'Show JSON' }).click();
            await page.locator('.export-preview').waitFor({ timeout: EXPECT_MS });
          }
          expect({ phase, violations: await accessibilityViolations(page) }).toEqual({
            phase,
            violations: [],
          });
        }
        // A locked board, with its banner.
        await page.getByRole('button', { name: 'Lock edits' }).click();
        await page.locator('.lock-banner').waitFor();
        expect(await accessibilityViolations(page)).toEqual([]);
      },
    );
  }
});
