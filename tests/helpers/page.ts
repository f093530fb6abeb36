/** Collects what should never happen on a page: uncaught errors, console errors, CSP violations. */
import type { Page } from 'playwright-core';

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
