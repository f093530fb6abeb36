/**
 * A lock that locks and undo that stays in sight, in real Chromium (docs/session.md#lock,
 * docs/product.md#undo): while the facilitator locks the board during the vote, a participant on a
 * phone sees the banner wherever they scroll, finds the vote buttons disabled, and a vote sent
 * anyway — through the page or a raw socket.io client with their token — is refused `locked`;
 * after the unlock, voting works. Undo in Goals never removes what I added in Discover.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { OK, refused } from '../helpers/expect';
import { useBrowser, useServer } from '../helpers/fixtures';
import { createBoardFromHome, watchPage, type PageProblems } from '../helpers/page';
import { accessibilityViolations } from './axe';

const EXPECT_MS = 10_000;
const PHONE = { width: 390, height: 844 };

const server = useServer();
const chromium = useBrowser();

async function open(
  options: { phone?: boolean; dark?: boolean } = {},
): Promise<{ page: Page; problems: PageProblems }> {
  const context = await chromium.newContext({
    locale: 'en-US',
    viewport: options.phone ? PHONE : { width: 1280, height: 800 },
    isMobile: options.phone ?? false,
    hasTouch: options.phone ?? false,
    colorScheme: options.dark ? 'dark' : 'light',
  });
  const page = await context.newPage();
  return { page, problems: watchPage(page) };
}

const heading = (page: Page) => page.locator('#section-heading');
const votesLeft = (page: Page) => page.getByTestId('votes-left').textContent();
const addVote = (page: Page, title: string) => page.getByRole('button', { name: `Add a vote to “${title}”` });
const takeBack = (page: Page, title: string) =>
  page.getByRole('button', { name: `Take a vote back from “${title}”` });
const banner = (page: Page) => page.getByTestId('lock-banner');

/** The facilitator creates a board and a participant joins it; both on the Discover section. */
async function workshopPages(participant: { phone?: boolean; dark?: boolean } = {}): Promise<{
  lead: Page;
  mate: Page;
  boardId: string;
  problems: PageProblems[];
}> {
  const { page: lead, problems: leadProblems } = await open();
  const boardUrl = await createBoardFromHome(lead, server.url, 'Camille', 'Kickoff');
  const { page: mate, problems: mateProblems } = await open(participant);
  await mate.goto(boardUrl);
  await mate.getByLabel('Your name').fill('Sami');
  await mate.getByRole('button', { name: 'Join the board' }).click();
  await expect.poll(() => heading(mate).textContent(), { timeout: EXPECT_MS }).toBe('Discover');
  const boardId = new URL(boardUrl).pathname.split('/').at(-1) as string;
  return { lead, mate, boardId, problems: [leadProblems, mateProblems] };
}

/** The facilitator moves everyone to `phase` (whose tab name starts with it). */
async function moveEveryone(lead: Page, others: Page[], phase: string): Promise<void> {
  await lead
    .getByRole('button', { name: new RegExp(`^${phase}`) })
    .first()
    .click();
  await lead.getByRole('button', { name: `Move everyone to ${phase}` }).click();
  for (const page of [lead, ...others]) {
    await expect.poll(() => heading(page).textContent(), { timeout: EXPECT_MS }).toBe(phase);
  }
}

/** The join token this page keeps for the board (docs/product.md#identity). */
async function tokenOf(page: Page, boardId: string): Promise<string> {
  const stored = await page.evaluate((key) => localStorage.getItem(key), `atelier:identity:${boardId}`);
  return (JSON.parse(stored ?? '{}') as { token: string }).token;
}

describe('[session#lock] a lock that locks, in the browser', () => {
  it(
    "while locked during the vote, a participant's vote buttons are disabled, the banner stays in sight on a phone, and any vote is refused locked; after the unlock voting works",
    { timeout: 120_000 },
    async () => {
      const { lead, mate, boardId, problems } = await workshopPages({ phone: true, dark: true });
      const goals = ['Grow our audience', 'Increase brand awareness'];
      await moveEveryone(lead, [mate], 'Goals');
      for (const title of goals) await lead.getByRole('button', { name: `Add “${title}”` }).click();
      for (const title of ['Reply faster to messages', 'Measure social ROI', 'Post every weekday']) {
        await lead.locator('#new-goal-title').fill(title);
        await lead.getByRole('button', { name: 'Add the goal' }).click();
      }
      await expect.poll(() => mate.locator('article.goal').count(), { timeout: EXPECT_MS }).toBe(5);
      await moveEveryone(lead, [mate], 'Prioritise');
      await lead.getByRole('button', { name: 'Open voting' }).click();
      await expect.poll(() => votesLeft(mate), { timeout: EXPECT_MS }).toBe('5 of 5 votes left');
      await addVote(mate, 'Grow our audience').click();
      await expect.poll(() => votesLeft(mate), { timeout: EXPECT_MS }).toBe('4 of 5 votes left');

      await lead.getByRole('button', { name: 'Lock edits' }).click();
      await banner(mate).waitFor({ timeout: EXPECT_MS });
      expect(await banner(mate).textContent()).toContain('paused editing');
      expect(await banner(lead).textContent()).toContain('locked for participants');
      // Every vote control of the participant is disabled, and looks it; the facilitator's are not.
      for (const title of goals) {
        await expect.poll(() => addVote(mate, title).isDisabled(), { timeout: EXPECT_MS }).toBe(true);
      }
      expect(await takeBack(mate, 'Grow our audience').isDisabled()).toBe(true);
      expect(
        await addVote(mate, 'Grow our audience').evaluate((button) =>
          Number(getComputedStyle(button).opacity),
        ),
      ).toBeLessThan(1);
      expect(await addVote(lead, 'Grow our audience').isDisabled()).toBe(false);

      // Scrolled to the bottom of a long page, the banner is still entirely on the phone's screen.
      await mate.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
      await expect.poll(() => mate.evaluate(() => window.scrollY), { timeout: EXPECT_MS }).toBeGreaterThan(0);
      const box = await banner(mate).boundingBox();
      expect(box).not.toBeNull();
      if (box) {
        expect(box.y).toBeGreaterThanOrEqual(0);
        expect(box.y + box.height).toBeLessThanOrEqual(PHONE.height);
        expect(box.height).toBeGreaterThan(0);
      }
      expect(await accessibilityViolations(mate)).toEqual([]);

      // A vote sent anyway: through a raw socket.io client with the participant's own token…
      const raw = await server.sessions.connect(server, { boardId, token: await tokenOf(mate, boardId) });
      const goalId = await mate
        .locator('.vote-item', { hasText: 'Increase brand awareness' })
        .getAttribute('data-goal-id');
      expect(await raw.request('vote', { goalId, delta: 1 })).toEqual(refused('locked'));
      // …and through the page itself, its controls forced open: the server's refusal is shown, in words.
      await mate.evaluate(() => {
        for (const scope of document.querySelectorAll('fieldset.edit-scope'))
          (scope as HTMLFieldSetElement).disabled = false;
      });
      await addVote(mate, 'Increase brand awareness').click();
      await expect
        .poll(() => mate.locator('.notices').textContent(), { timeout: EXPECT_MS })
        .toContain('The board is locked for the discussion.');
      expect(await votesLeft(mate)).toBe('4 of 5 votes left');
      expect(raw.latest().myVotes).toEqual({
        [(await mate
          .locator('.vote-item', { hasText: 'Grow our audience' })
          .getAttribute('data-goal-id')) as string]: 1,
      });

      await lead.getByRole('button', { name: /Unlock edits/ }).click();
      await expect.poll(() => banner(mate).count(), { timeout: EXPECT_MS }).toBe(0);
      await expect
        .poll(() => addVote(mate, 'Measure social ROI').isDisabled(), { timeout: EXPECT_MS })
        .toBe(false);
      await addVote(mate, 'Measure social ROI').click();
      await expect.poll(() => votesLeft(mate), { timeout: EXPECT_MS }).toBe('3 of 5 votes left');
      expect(await raw.request('vote', { goalId, delta: 1 })).toMatchObject({ ok: true });
      await expect.poll(() => votesLeft(mate), { timeout: EXPECT_MS }).toBe('2 of 5 votes left');
      expect(await raw.request('reaction', { emoji: '👏' })).toEqual(OK);

      // At the wrap-up, the pulse form is disabled too while locked, and works once unlocked.
      await moveEveryone(lead, [mate], 'Wrap-up');
      await lead.getByRole('button', { name: 'Lock edits' }).click();
      await banner(mate).waitFor({ timeout: EXPECT_MS });
      const helpField = mate.getByLabel('One thing that would help (optional)');
      await expect.poll(() => helpField.isDisabled(), { timeout: EXPECT_MS }).toBe(true);
      expect(await mate.getByRole('radio', { name: /Mostly/ }).isDisabled()).toBe(true);
      expect(await mate.getByRole('button', { name: 'Send anonymously' }).isDisabled()).toBe(true);
      expect(await raw.request('pulse', { score: 4 })).toEqual(refused('locked'));
      expect(await accessibilityViolations(mate)).toEqual([]);
      await lead.getByRole('button', { name: /Unlock edits/ }).click();
      await expect.poll(() => helpField.isDisabled(), { timeout: EXPECT_MS }).toBe(false);
      await mate.getByRole('radio', { name: /Mostly/ }).check();
      await mate.getByRole('button', { name: 'Send anonymously' }).click();
      await expect.poll(() => mate.getByText('your answer is in').count(), { timeout: EXPECT_MS }).toBe(1);

      for (const list of problems) expect(list.list()).toEqual([]);
    },
  );
});

describe('[product#undo] undo you can see', () => {
  it(
    'undo in Goals removes my goal and never my Discover card (on both screens); back in Discover, undo removes the card, and each undo says what it did',
    { timeout: 90_000 },
    async () => {
      const { lead, mate, problems } = await workshopPages();
      const card = (page: Page) => page.locator('.card', { hasText: 'Short weekly stand-ups' });
      await lead.getByLabel('Your answer to question 1').fill('Short weekly stand-ups');
      await lead.keyboard.press('Enter');
      await card(mate).waitFor({ timeout: EXPECT_MS });

      await moveEveryone(lead, [mate], 'Goals');
      await lead.getByRole('button', { name: 'Add “Grow our audience”' }).click();
      await expect.poll(() => mate.locator('article.goal').count(), { timeout: EXPECT_MS }).toBe(1);

      // Two undos in Goals: one with the button, one with the keyboard (outside any text field).
      const undo = lead.getByRole('button', { name: 'Undo', exact: true });
      await undo.click();
      await expect
        .poll(() => lead.locator('.notices').textContent(), { timeout: EXPECT_MS })
        .toContain('Undone: a goal');
      await expect.poll(() => mate.locator('article.goal').count(), { timeout: EXPECT_MS }).toBe(0);
      expect(await undo.isDisabled()).toBe(true);
      await lead.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
      await lead.keyboard.press('Control+z');
      expect(await lead.locator('article.goal').count()).toBe(0);

      // The card is still there on both screens (each only looks at Discover, nobody moves).
      for (const page of [mate, lead]) {
        await page
          .getByRole('button', { name: /^Discover/ })
          .first()
          .click();
        await card(page).waitFor({ timeout: EXPECT_MS });
      }
      expect(await heading(mate).textContent()).toBe('Discover');
      // In Discover, my card is mine to undo.
      await expect.poll(() => undo.isDisabled(), { timeout: EXPECT_MS }).toBe(false);
      await lead.keyboard.press('Control+z');
      await expect.poll(() => card(mate).count(), { timeout: EXPECT_MS }).toBe(0);
      await expect
        .poll(() => lead.locator('.notices').textContent(), { timeout: EXPECT_MS })
        .toContain('Undone: an answer card');
      // Redo brings it back, for everyone.
      await lead.keyboard.press('Control+Shift+z');
      await card(mate).waitFor({ timeout: EXPECT_MS });
      await expect
        .poll(() => lead.locator('.notices').textContent(), { timeout: EXPECT_MS })
        .toContain('Redone: an answer card');

      for (const list of problems) expect(list.list()).toEqual([]);
    },
  );
});
