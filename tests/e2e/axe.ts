/**
 * Accessibility checks with axe-core, injected into the real page. It is evaluated through the
 * DevTools protocol, so the page's strict CSP (no inline scripts) needs no exception.
 */
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[]; failureSummary?: string }>;
}

/** The violations axe finds on the page as it is now, as readable lines (empty when none). */
export async function accessibilityViolations(page: Page): Promise<string[]> {
  const injected = await page.evaluate(() => 'axe' in window);
  if (!injected) await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: { run: (context: Document, options: object) => Promise<{ violations: AxeViolation[] }> };
      }
    ).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations;
  });
  return violations.map(
    (violation) =>
      `${violation.id} (${violation.impact ?? 'n/a'}): ${violation.help} — ${violation.nodes
        .slice(0, 3)
        .map((node) => node.target.join(' '))
        .join(', ')}`,
  );
}

/**
 * Expects no axe-core violation on the page in the light scheme, then in the dark one (with
 * `where` and the scheme in the failure), and leaves the page light. `after` runs once each
 * scheme is checked, to keep a screenshot for instance.
 */
export async function axeCleanLightAndDark(
  page: Page,
  where: string,
  after?: (colorScheme: 'light' | 'dark') => Promise<void>,
): Promise<void> {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    expect({ where, colorScheme, violations: await accessibilityViolations(page) }).toEqual({
      where,
      colorScheme,
      violations: [],
    });
    await after?.(colorScheme);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}
