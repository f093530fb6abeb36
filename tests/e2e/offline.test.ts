/**
 * Offline (docs/product.md#working-together, docs/sync.md#offline): a page that loses the network keeps editing, says it is offline and how
 * many changes wait, survives a reload while offline (the page from the service worker, the board
 * from IndexedDB), and merges both ways when the network returns.
 */
import { expect, it } from 'vitest';
import { useBrowser, useServer } from '../helpers/fixtures';
import type { BrowserContext, Page } from 'playwright-core';

const EXPECT_MS = 15_000;

const server = useServer();
const chromium = useBrowser();

async function open(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await chromium.newContext({ locale: 'en-US' });
  return { context, page: await context.newPage() };
}

const status = (page: Page) => page.locator('.connection').getAttribute('data-status');
const indicator = (page: Page) => page.locator('.connection').textContent();
const lane = (page: Page, index: number) => page.locator('section.lane[data-question-id]').nth(index);

async function addCard(page: Page, question: number, text: string): Promise<void> {
  await page.getByLabel(`Your answer to question ${question}`).fill(text);
  await page.getByLabel(`Your answer to question ${question}`).press('Enter');
}

it(
  '[product#working-together][sync#offline] edits made offline wait, survive a reload while offline, and merge both ways when the network returns',
  { timeout: 90_000 },
  async () => {
    const { context: offlineContext, page: away } = await open();
    await away.goto(server.url);
    await away.getByLabel('Your name').fill('Noor');
    await away.getByRole('button', { name: 'Create the board' }).click();
    await away.waitForURL(/\/b\//);
    await away.getByRole('dialog').getByRole('button', { name: 'Close' }).last().click();
    await expect.poll(() => status(away), { timeout: EXPECT_MS }).toBe('connected');
    // The service worker has taken the page in hand (so that it can serve it offline).
    await expect
      .poll(() => away.evaluate(() => navigator.serviceWorker.controller !== null), { timeout: EXPECT_MS })
      .toBe(true);

    const { page: here } = await open();
    await here.goto(away.url());
    await here.getByLabel('Your name').fill('Theo');
    await here.getByRole('button', { name: 'Join the board' }).click();
    await expect.poll(() => status(here), { timeout: EXPECT_MS }).toBe('connected');

    // The network goes: the page says so at once.
    await offlineContext.setOffline(true);
    await expect.poll(() => status(away), { timeout: EXPECT_MS }).toBe('offline');

    // Offline edits are kept and counted; nobody else sees them yet.
    await addCard(away, 1, 'Written on the train');
    await addCard(away, 2, 'Also offline');
    await expect.poll(() => indicator(away), { timeout: EXPECT_MS }).toContain('2 changes waiting to sync');
    await addCard(here, 3, 'Written in the office');
    await here.locator('.card', { hasText: 'Written in the office' }).waitFor();
    expect(await here.locator('.card', { hasText: 'Written on the train' }).count()).toBe(0);

    // A reload while offline: the page comes from the service worker, the board from IndexedDB.
    await away.reload();
    await lane(away, 0).locator('.card', { hasText: 'Written on the train' }).waitFor({ timeout: EXPECT_MS });
    await lane(away, 1).locator('.card', { hasText: 'Also offline' }).waitFor();
    await expect.poll(() => status(away), { timeout: EXPECT_MS }).toBe('offline');
    await expect.poll(() => indicator(away)).toContain('2 changes waiting to sync');

    // The network returns: both sides merge, and the count clears once the sync is done.
    await offlineContext.setOffline(false);
    await expect.poll(() => status(away), { timeout: EXPECT_MS }).toBe('connected');
    await expect.poll(() => indicator(away), { timeout: EXPECT_MS }).not.toContain('waiting');
    await lane(here, 0).locator('.card', { hasText: 'Written on the train' }).waitFor({ timeout: EXPECT_MS });
    await lane(here, 1).locator('.card', { hasText: 'Also offline' }).waitFor();
    await lane(away, 2)
      .locator('.card', { hasText: 'Written in the office' })
      .waitFor({ timeout: EXPECT_MS });

    // And it was stored: a fresh page loads everything from the server.
    const { page: later } = await open();
    await later.goto(away.url());
    await later.getByLabel('Your name').fill('Ivy');
    await later.getByRole('button', { name: 'Join the board' }).click();
    await lane(later, 0)
      .locator('.card', { hasText: 'Written on the train' })
      .waitFor({ timeout: EXPECT_MS });
    expect(await later.locator('.card').count()).toBe(3);
  },
);
