/** Collects what should never happen on a page: uncaught errors, console errors, CSP violations. */
import type { Page } from 'playwright-core';
import type { BrowserFixture } from './fixtures';

export interface PageProblems {
  list(): string[];
}

export function watchPage(page: Page): PageProblems {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const text = message.text();
    // A server restart in a test drops connections on purpose; the browser logs those.
    if (/WebSocket connection to .* failed|ERR_CONNECTION_REFUSED|net::ERR_/.test(text)) return;
    problems.push(`console: ${text}`);
  });
  return { list: () => [...problems] };
}

/** The labels of the join form, English unless a test reads the page in another language. */
export interface JoinLabels {
  name: string;
  join: string;
}

const ENGLISH_JOIN: JoinLabels = { name: 'Your name', join: 'Join the board' };

/**
 * Creates a board from the home page at `origin` under `name` (titled `title` if given), as a
 * visitor does, and closes the share dialog the new board opens with. Returns the board's address
 * (the facilitator's).
 */
export async function createBoardFromHome(
  page: Page,
  origin: string,
  name: string,
  title?: string,
): Promise<string> {
  await page.goto(origin);
  if (title !== undefined) await page.getByLabel('Board title').fill(title);
  await page.getByLabel('Your name').fill(name);
  await page.getByRole('button', { name: 'Create the board' }).click();
  await page.waitForURL(/\/b\//);
  await page.getByRole('dialog').getByRole('button', { name: 'Close' }).last().click();
  return page.url();
}

/** Opens a board's link and joins it under `name` (the caller waits for what it needs next). */
export async function joinFromLink(
  page: Page,
  url: string,
  name: string,
  labels: JoinLabels = ENGLISH_JOIN,
): Promise<void> {
  await page.goto(url);
  await page.getByLabel(labels.name).fill(name);
  await page.getByRole('button', { name: labels.join }).click();
}

/**
 * Opens a board's link, joins it under `name` and waits until the board shows `ready` (a selector
 * of what the test needs first).
 */
export async function joinAndWait(
  page: Page,
  url: string,
  name: string,
  ready: string,
  labels: JoinLabels = ENGLISH_JOIN,
): Promise<void> {
  await joinFromLink(page, url, name, labels);
  await page.locator(ready).waitFor({ timeout: 10_000 });
}

/** A phone's screen, as the browser tests open it. */
export const PHONE = { width: 390, height: 844 };

/**
 * A new page in a context of its own (its own storage: another person), on a desktop screen or a
 * phone's (touch), English unless told, watched for problems. `viewport` overrides the screen's
 * size; `reducedMotion` asks the page for no animations.
 */
export async function openPage(
  chromium: BrowserFixture,
  options: {
    phone?: boolean;
    locale?: string;
    acceptDownloads?: boolean;
    viewport?: { width: number; height: number };
    reducedMotion?: boolean;
  } = {},
): Promise<{ page: Page; problems: PageProblems }> {
  const phone = options.phone ?? false;
  const context = await chromium.newContext({
    locale: options.locale ?? 'en-US',
    acceptDownloads: options.acceptDownloads ?? false,
    viewport: options.viewport ?? (phone ? PHONE : { width: 1280, height: 900 }),
    isMobile: phone,
    hasTouch: phone,
    ...(options.reducedMotion ? { reducedMotion: 'reduce' as const } : {}),
  });
  const page = await context.newPage();
  return { page, problems: watchPage(page) };
}

/**
 * The room's shared screen: a board's stage view (docs/product.md#the-stage-view) in a context of
 * its own, on a 1920×1080 screen and in the light scheme unless told, watched for problems;
 * resolves once it shows the phase.
 */
export async function openStagePage(
  chromium: BrowserFixture,
  origin: string,
  boardId: string,
  viewport: { width: number; height: number } = { width: 1920, height: 1080 },
  colorScheme: 'light' | 'dark' = 'light',
  locale = 'en-US',
): Promise<{ page: Page; problems: PageProblems }> {
  const context = await chromium.newContext({ locale, viewport, colorScheme });
  const page = await context.newPage();
  const problems = watchPage(page);
  await page.goto(`${origin}/b/${boardId}/stage`);
  await page.getByTestId('stage-phase').waitFor({ timeout: 10_000 });
  return { page, problems };
}

/** The board's id in a board's address (`/b/<id>`, with or without a key). */
export function boardIdOf(url: string): string {
  const id = /\/b\/([^/?#]+)/.exec(url)?.[1];
  if (!id) throw new Error(`no board in ${url}`);
  return id;
}
