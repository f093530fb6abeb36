/**
 * Two Atelier processes on one PostgreSQL and one Redis serve one board to two browsers (docs/running.md#several-processes):
 * each browser talks to its own process, and each sees the other's work live — cards, votes and
 * presence — as if there were one server.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser } from '../helpers/browser';
import { nth, startProcesses, useCluster } from '../helpers/cluster';
import { watchPage } from '../helpers/page';
import { describeWithRedis } from '../helpers/redis';

const EXPECT_MS = 10_000;

describeWithRedis('two processes, two browsers', () => {
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const { services } = useCluster(async () => {
    for (const context of contexts.splice(0)) await context.close();
  });

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  async function open(): Promise<Page> {
    const context = await browser.newContext({ locale: 'en-US' });
    contexts.push(context);
    return context.newPage();
  }

  it(
    '[running#several-processes] a board created on one process is shared live with a browser on the other: cards, votes and who is online',
    { timeout: 90_000 },
    async () => {
      const processes = await startProcesses(2, await services());
      const [one, two] = [nth(processes, 0), nth(processes, 1)];

      const lead = await open();
      const leadProblems = watchPage(lead);
      await lead.goto(one.url);
      await lead.getByLabel('Your name').fill('Camille');
      await lead.getByRole('button', { name: 'Create the board' }).click();
      await lead.waitForURL(/\/b\//);
      await lead.getByRole('dialog').getByRole('button', { name: 'Close' }).last().click();
      const boardPath = new URL(lead.url()).pathname;

      // The teammate's browser reaches the other process (as a proxy could send it).
      const mate = await open();
      const mateProblems = watchPage(mate);
      await mate.goto(`${two.url}${boardPath}`);
      await mate.getByLabel('Your name').fill('Sami');
      await mate.getByRole('button', { name: 'Join the board' }).click();

      await expect
        .poll(() => lead.locator('.presence .count').textContent(), { timeout: EXPECT_MS })
        .toBe('2 online');
      await expect
        .poll(() => mate.locator('.presence .count').textContent(), { timeout: EXPECT_MS })
        .toBe('2 online');

      await mate.getByLabel('Your answer to question 1').fill('Written through process two');
      await mate.keyboard.press('Enter');
      await lead.locator('.card', { hasText: 'Written through process two' }).waitFor({ timeout: EXPECT_MS });
      await lead.getByLabel('Your answer to question 2').fill('Written through process one');
      await lead.keyboard.press('Enter');
      await mate.locator('.card', { hasText: 'Written through process one' }).waitFor({ timeout: EXPECT_MS });

      // A goal, voting opened on one process, a vote cast on the other: the facilitator sees it.
      await lead.locator('.phase-tab', { hasText: 'Goals' }).click();
      await lead.getByRole('button', { name: 'Add “Grow our audience”' }).click();
      await lead.locator('.phase-tab', { hasText: 'Prioritise' }).click();
      await lead.getByRole('button', { name: 'Move everyone to Prioritise' }).click();
      await lead.getByRole('button', { name: 'Open voting' }).click();
      await expect
        .poll(() => mate.getByTestId('votes-left').textContent(), { timeout: EXPECT_MS })
        .toBe('5 of 5 votes left');
      await mate.getByRole('button', { name: 'Add a vote to “Grow our audience”' }).click();
      await expect
        .poll(() => lead.getByTestId('voting-progress').textContent(), { timeout: EXPECT_MS })
        .toBe('1 person has voted · 1 vote cast');
      await expect
        .poll(() => lead.getByTestId('tally').first().textContent(), { timeout: EXPECT_MS })
        .toContain('1 vote');

      expect(leadProblems.list()).toEqual([]);
      expect(mateProblems.list()).toEqual([]);
    },
  );
});
