/**
 * Goals, dot voting, agreement and the export, in three real Chromium contexts: a facilitator and
 * two participants propose goals, vote live, the facilitator reveals and agrees, and the
 * downloaded export file holds the agreed goals with their votes (docs/product.md#phases, docs/session.md#votes, docs/export.md#agreed-goals-export).
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useBrowser, useServer } from '../helpers/fixtures';
import { createBoardFromHome, openPage } from '../helpers/page';

const EXPECT_MS = 10_000;

const server = useServer();
const chromium = useBrowser();

const open = (phone = false) => openPage(chromium, { phone, acceptDownloads: true });

const heading = (page: Page) => page.locator('#section-heading');
const goal = (page: Page, title: string) => page.locator('.vote-item', { hasText: title });
const votesLeft = (page: Page) => page.getByTestId('votes-left').textContent();

async function vote(page: Page, title: string, times: number): Promise<void> {
  for (let i = 0; i < times; i++) {
    const before = await votesLeft(page);
    await page.getByRole('button', { name: `Add a vote to “${title}”` }).click();
    // Each click is acknowledged by the server before the next (the count of votes left moves).
    await expect.poll(() => votesLeft(page), { timeout: EXPECT_MS }).not.toBe(before);
  }
}

describe('[session#votes][export#agreed-goals-export] goals, dot voting, agreement and export', () => {
  it(
    'three people propose goals, vote within their budget, and the facilitator reveals, agrees and exports',
    { timeout: 90_000 },
    async () => {
      const { page: lead, problems: leadProblems } = await open();
      const boardUrl = await createBoardFromHome(
        lead,
        server.url,
        'Camille',
        'Équipe sociale — objectifs T1',
      );

      const { page: ana, problems: anaProblems } = await open(true);
      const { page: ben, problems: benProblems } = await open();
      for (const [page, name] of [
        [ana, 'Ana'],
        [ben, 'Ben'],
      ] as const) {
        await page.goto(boardUrl);
        await page.getByLabel('Your name').fill(name);
        await page.getByRole('button', { name: 'Join the board' }).click();
        await expect.poll(() => heading(page).textContent(), { timeout: EXPECT_MS }).toBe('Discover');
      }

      // The facilitator moves everyone to Goals.
      await lead.getByRole('button', { name: /Goals/ }).first().click();
      await lead.getByRole('button', { name: 'Move everyone to Goals' }).click();
      for (const page of [ana, ben]) {
        await expect.poll(() => heading(page).textContent(), { timeout: EXPECT_MS }).toBe('Goals');
      }

      // Ana proposes a structured goal; Ben picks a suggestion from the guide; Camille adds one.
      await ana.locator('#new-goal-title').fill('Reply faster to messages');
      await ana.locator('#new-goal-why').fill('Customers who get answers buy again');
      await ana.locator('#new-goal-metric').fill('Median reply time');
      await ana.locator('#new-goal-baseline').fill('9 h');
      await ana.locator('#new-goal-target').fill('2 h');
      await ana.getByRole('button', { name: 'Add the goal' }).click();
      await ben.getByRole('button', { name: 'Add “Grow our audience”' }).click();
      await lead.locator('#new-goal-title').fill('Measure social ROI');
      await lead.locator('#new-goal-title').press('Enter');
      // Added, the focus goes on: to a fresh form's first field, or to the next suggestion.
      const focused = (page: Page) =>
        page.evaluate(() =>
          document.activeElement === document.body
            ? 'the page’s body'
            : document.activeElement?.id || document.activeElement?.textContent?.trim(),
        );
      await expect.poll(() => focused(ana), { timeout: EXPECT_MS }).toBe('new-goal-title');
      await expect.poll(() => focused(lead), { timeout: EXPECT_MS }).toBe('new-goal-title');
      expect(await lead.locator('#new-goal-title').inputValue()).toBe('');
      await expect.poll(() => focused(ben), { timeout: EXPECT_MS }).toBe('Add “Increase brand awareness”');
      for (const page of [lead, ana, ben]) {
        await expect.poll(() => page.locator('article.goal').count(), { timeout: EXPECT_MS }).toBe(3);
      }
      // A goal with no target is marked incomplete, gently.
      await expect
        .poll(() =>
          lead.locator('article.goal', { hasText: 'Measure social ROI' }).locator('.goal-hint').count(),
        )
        .toBe(1);

      // Prioritise: the facilitator opens voting with the defaults (5 votes, at most 3 per goal).
      await lead
        .getByRole('button', { name: /Prioritise/ })
        .first()
        .click();
      await lead.getByRole('button', { name: 'Move everyone to Prioritise' }).click();
      await lead.getByRole('button', { name: 'Open voting' }).click();
      for (const page of [lead, ana, ben]) {
        await expect.poll(() => votesLeft(page), { timeout: EXPECT_MS }).toBe('5 of 5 votes left');
      }

      // Ana: three on one goal (the cap), two on another (the budget). Then every + is disabled.
      await vote(ana, 'Reply faster to messages', 3);
      expect(
        await ana.getByRole('button', { name: 'Add a vote to “Reply faster to messages”' }).isDisabled(),
      ).toBe(true);
      await vote(ana, 'Grow our audience', 2);
      expect(await votesLeft(ana)).toBe('0 of 5 votes left');
      expect(await ana.getByRole('button', { name: 'Add a vote to “Measure social ROI”' }).isDisabled()).toBe(
        true,
      );
      // Taking one back frees it.
      await ana.getByRole('button', { name: 'Take a vote back from “Grow our audience”' }).click();
      await expect.poll(() => votesLeft(ana), { timeout: EXPECT_MS }).toBe('1 of 5 votes left');

      await vote(ben, 'Grow our audience', 2);
      await vote(ben, 'Measure social ROI', 1);
      await vote(lead, 'Reply faster to messages', 1);

      // Tallies: hidden from participants, live for the facilitator.
      await expect
        .poll(() => lead.getByTestId('voting-progress').textContent(), { timeout: EXPECT_MS })
        .toBe('3 people have voted · 8 votes cast');
      expect(await ana.getByTestId('tally').count()).toBe(0);
      expect(await goal(lead, 'Reply faster to messages').getByTestId('tally').textContent()).toContain(
        '4 votes',
      );
      expect(await goal(lead, 'Grow our audience').getByTestId('tally').textContent()).toContain('3 votes');

      // The facilitator reveals: everyone sees the tallies.
      await lead.getByRole('button', { name: 'Reveal results' }).click();
      await expect
        .poll(() => goal(ben, 'Reply faster to messages').getByTestId('tally').textContent(), {
          timeout: EXPECT_MS,
        })
        .toContain('4 votes');

      // Agree: ranked by votes; the facilitator agrees two goals and confirms an owner.
      await lead.getByRole('button', { name: /Agree/ }).first().click();
      await lead.getByRole('button', { name: 'Move everyone to Agree' }).click();
      const ranked = lead.locator('li.ranked strong');
      await expect
        .poll(() => ranked.allTextContents(), { timeout: EXPECT_MS })
        .toEqual(['Reply faster to messages', 'Grow our audience', 'Measure social ROI']);
      const first = lead.locator('li.ranked', { hasText: 'Reply faster to messages' });
      await first.getByLabel('Owner').fill('Ana');
      await first.getByLabel('Owner').press('Enter');
      await first.getByRole('button', { name: 'Mark as agreed' }).click();
      await lead
        .locator('li.ranked', { hasText: 'Grow our audience' })
        .getByRole('button', { name: 'Mark as agreed' })
        .click();
      // It has no target: the facilitator confirms (docs/product.md#how-the-board-reads).
      await lead.getByRole('button', { name: 'Agree anyway' }).click();
      await expect
        .poll(() => ana.getByTestId('agree-summary').textContent(), { timeout: EXPECT_MS })
        .toBe('2 of 3 goals agreed');
      expect(await ana.locator('li.ranked.agreed').count()).toBe(2);
      // Participants cannot agree.
      expect(await ana.getByRole('button', { name: 'Mark as agreed' }).count()).toBe(0);

      // Wrap-up: the facilitator downloads the export file.
      await lead
        .getByRole('button', { name: /Wrap-up/ })
        .first()
        .click();
      await lead.getByRole('button', { name: 'Move everyone to Wrap-up' }).click();
      await expect.poll(() => lead.locator('.agreed-list li').count(), { timeout: EXPECT_MS }).toBe(2);
      const [download] = await Promise.all([
        lead.waitForEvent('download'),
        lead.getByRole('button', { name: 'Download JSON' }).click(),
      ]);
      expect(download.suggestedFilename()).toBe('equipe-sociale-objectifs-t1-goals.json');
      const exported = JSON.parse(await readFile(await download.path(), 'utf8')) as {
        schema: string;
        board: { title: string; url: string };
        voting: { votesPerPerson: number; voters: number; votesCast: number };
        goals: Array<{
          rank: number;
          title: string;
          status: string;
          votes: number;
          owner: string;
          metric: string;
          target: string;
        }>;
      };
      expect(exported.schema).toBe('atelier/goals-export@1');
      expect(exported.board).toMatchObject({ title: 'Équipe sociale — objectifs T1', url: boardUrl });
      expect(exported.voting).toEqual({ votesPerPerson: 5, voters: 3, votesCast: 8 });
      expect(
        exported.goals.map(({ rank, title, status, votes, owner }) => ({
          rank,
          title,
          status,
          votes,
          owner,
        })),
      ).toEqual([
        { rank: 1, title: 'Reply faster to messages', status: 'agreed', votes: 4, owner: 'Ana' },
        { rank: 2, title: 'Grow our audience', status: 'agreed', votes: 3, owner: '' },
      ]);
      expect(exported.goals[0]).toMatchObject({ metric: 'Median reply time', target: '2 h' });

      for (const problems of [leadProblems, anaProblems, benProblems]) expect(problems.list()).toEqual([]);
    },
  );
});
