/**
 * The room on every screen, in real Chromium: the phone's one-row header and its menu, popovers
 * inside the screen at 360 and 390 px, the phase tabs and the votes left in sight while voting,
 * the reaction button that covers nothing, a desktop header that keeps one row as people join,
 * the skip link and the keyboard shortcuts, one toast at a time, a "Time is up" that settles.
 * Screenshots go to test-results/room/ (not committed).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { screenshotDir } from '../helpers/browser';
import { useBrowser, useServer } from '../helpers/fixtures';
import { createBoardFromHome, watchPage, type PageProblems } from '../helpers/page';
import { GoalWriter, workshop } from '../helpers/workshop';
import { joinBoard } from '../helpers/server';
import { accessibilityViolations } from './axe';

const EXPECT_MS = 10_000;
const SHOTS = join(screenshotDir, 'room');
mkdirSync(SHOTS, { recursive: true });

const PHONES = [
  { name: '360x640', width: 360, height: 640 },
  { name: '390x844', width: 390, height: 844 },
] as const;

const server = useServer();
const chromium = useBrowser();

interface OpenOptions {
  viewport: { width: number; height: number };
  phone?: boolean;
  colorScheme?: 'light' | 'dark';
  locale?: string;
}

async function open(options: OpenOptions): Promise<{ page: Page; problems: PageProblems }> {
  const phone = options.phone ?? true;
  const context = await chromium.newContext({
    locale: options.locale ?? 'en-US',
    colorScheme: options.colorScheme ?? 'light',
    viewport: options.viewport,
    isMobile: phone,
    hasTouch: phone,
  });
  const page = await context.newPage();
  return { page, problems: watchPage(page) };
}

/** A board created in the page, as a facilitator; the share dialog it opens with is closed. */
async function createBoard(page: Page, name = 'Camille'): Promise<string> {
  await createBoardFromHome(page, server.url, name);
  await page.locator('section.lane[data-question-id]').first().waitFor({ timeout: EXPECT_MS });
  return page.url();
}

async function box(locator: Locator): Promise<{ x: number; y: number; width: number; height: number }> {
  const found = await locator.boundingBox();
  if (!found) throw new Error('the element is not on screen');
  return found;
}

/** The element's box lies fully inside the viewport (what a person can see without scrolling). */
async function expectInsideViewport(page: Page, locator: Locator, what: string): Promise<void> {
  await locator.waitFor({ state: 'visible', timeout: EXPECT_MS });
  const { x, y, width, height } = await box(locator);
  const viewport = page.viewportSize() ?? { width: 0, height: 0 };
  const inside = x >= 0 && y >= 0 && x + width <= viewport.width + 0.5 && y + height <= viewport.height + 0.5;
  expect({ what, inside, box: { x, y, width, height }, viewport }).toEqual({
    what,
    inside: true,
    box: { x, y, width, height },
    viewport,
  });
}

function overlaps(
  a: { x: number; y: number; width: number; height: number },
  b: { x: number; y: number; width: number; height: number },
): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

const menuToggle = (page: Page) => page.getByRole('button', { name: /^Menu: people/ });
const heading = (page: Page) => page.locator('#section-heading').textContent();

async function goTo(page: Page, phase: string): Promise<void> {
  await page.locator('.phase-tab', { hasText: phase }).click();
  await expect.poll(() => heading(page), { timeout: EXPECT_MS }).toBe(phase);
}

describe('the phone layout', () => {
  it(
    '[product#every-screen] in French at 360x640: the longer words keep the header to one row and the popovers inside the screen',
    { timeout: 90_000 },
    async () => {
      const { board } = await workshop(server, 1, { title: 'Lancement de l’équipe sociale', locale: 'fr' });
      const context = await chromium.newContext({
        locale: 'fr-FR',
        viewport: { width: 360, height: 640 },
        isMobile: true,
        hasTouch: true,
      });
      const page = await context.newPage();
      const problems = watchPage(page);
      await page.goto(`${board.participantUrl}#key=${board.facilitatorKey}`);
      await page.getByLabel('Votre nom').fill('Dominique');
      await page.getByRole('button', { name: 'Rejoindre le tableau' }).click();
      await page.locator('section.lane[data-question-id]').first().waitFor({ timeout: EXPECT_MS });
      expect(await page.locator('.phase-badge').textContent()).toMatch(/Découverte/);
      const bar = await box(page.locator('header.board-bar'));
      expect(bar.height).toBeLessThanOrEqual(64);
      await page.locator('.timer-menu summary').click();
      await expectInsideViewport(page, page.locator('.timer-panel'), 'timer menu');
      await page.keyboard.press('Escape');
      await page.locator('.menu-toggle').click();
      await expectInsideViewport(page, page.getByTestId('board-menu'), 'menu');
      await page.locator('.presence summary').click();
      await expectInsideViewport(page, page.locator('.people'), 'people list');
      expect(await accessibilityViolations(page)).toEqual([]);
      await page.screenshot({ path: join(SHOTS, 'phone-360x640-fr-menu.png') });
      expect(problems.list()).toEqual([]);
      await context.close();
    },
  );

  for (const size of PHONES) {
    it(
      `[product#every-screen] at ${size.name}: a one-row header of at most 64 px, and every popover inside the screen`,
      { timeout: 90_000 },
      async () => {
        const { page, problems } = await open({ viewport: size });
        await createBoard(page);
        const header = page.locator('header.board-bar');
        const bar = await box(header);
        expect(bar.height).toBeLessThanOrEqual(64);
        // One row: the phase, the timer, the connection and the menu button all sit within it.
        for (const part of [
          page.locator('.phase-badge'),
          page.locator('[data-testid="timer"]'),
          page.locator('.connection .dot'),
          menuToggle(page),
        ]) {
          const inner = await box(part);
          expect(inner.y).toBeGreaterThanOrEqual(bar.y);
          expect(inner.y + inner.height).toBeLessThanOrEqual(bar.y + bar.height);
        }
        await page.screenshot({ path: join(SHOTS, `phone-${size.name}-discover.png`) });

        // The timer's menu, across the screen under the header.
        await page.locator('.timer-menu summary').click();
        await expectInsideViewport(page, page.locator('.timer-panel'), 'timer menu');
        await page.screenshot({ path: join(SHOTS, `phone-${size.name}-timer.png`) });
        await page.keyboard.press('Escape');

        // The menu, and what is in it: people, language, sharing, shortcuts.
        await menuToggle(page).click();
        await expectInsideViewport(page, page.getByTestId('board-menu'), 'menu');
        await page.locator('.presence summary').click();
        await expectInsideViewport(page, page.locator('.people'), 'people list');
        await expectInsideViewport(page, page.getByLabel('Language', { exact: true }), 'language switch');
        await page.screenshot({ path: join(SHOTS, `phone-${size.name}-menu.png`) });
        await page.getByTestId('board-menu').getByRole('button', { name: 'Share' }).click();
        const share = page.getByRole('dialog', { name: 'Invite your team' });
        await page.getByTestId('share-qr').waitFor({ timeout: EXPECT_MS });
        await expectInsideViewport(page, share, 'share dialog');
        await page.screenshot({ path: join(SHOTS, `phone-${size.name}-share.png`) });
        await share.getByRole('button', { name: 'Close' }).last().click();
        await menuToggle(page).click();
        await page.getByTestId('board-menu').getByRole('button', { name: 'Keyboard shortcuts' }).click();
        await expectInsideViewport(
          page,
          page.getByRole('dialog', { name: 'Keyboard shortcuts' }),
          'shortcuts',
        );
        await page.keyboard.press('Escape');

        // The reactions: one button, whose bar opens inside the screen.
        await page.getByRole('button', { name: 'Send a reaction' }).click();
        await expectInsideViewport(page, page.getByTestId('reaction-bar'), 'reaction bar');
        await page.screenshot({ path: join(SHOTS, `phone-${size.name}-reactions.png`) });
        await page.getByRole('button', { name: 'Reaction 👏' }).click();
        await page.locator('.floating-reaction').first().waitFor({ timeout: EXPECT_MS });
        expect(problems.list()).toEqual([]);
      },
    );
  }

  it(
    '[product#every-screen] the reaction button covers no card, scrolled or not: it sits in the sticky phase row',
    { timeout: 60_000 },
    async () => {
      const { page } = await open({ viewport: { width: 390, height: 844 } });
      await createBoard(page);
      for (const [lane, text] of [
        [1, 'Marketing leads in mid-size companies'],
        [1, 'Founders of small agencies'],
        [2, 'LinkedIn and Instagram'],
        [3, 'Case studies and short videos'],
      ] as const) {
        await page.getByLabel(`Your answer to question ${lane}`).fill(text);
        await page.keyboard.press('Enter');
        await page.locator('.card', { hasText: text }).waitFor({ timeout: EXPECT_MS });
      }
      await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
      const toggle = page.getByRole('button', { name: 'Send a reaction' });
      for (const scroll of [0, 600, 100_000]) {
        await page.evaluate((y) => window.scrollTo(0, y), scroll);
        const chrome = await box(page.locator('.board-chrome'));
        const button = await box(toggle);
        // Within the sticky header's own area, which is on screen whatever the scroll.
        expect(button.y).toBeGreaterThanOrEqual(chrome.y);
        expect(button.y + button.height).toBeLessThanOrEqual(chrome.y + chrome.height);
        // A card scrolled up under the sticky header is hidden by the header, button or not: the
        // cards the button could cover are those below it.
        for (const card of await page.locator('.card').all()) {
          const cardBox = await card.boundingBox();
          if (cardBox && cardBox.y >= chrome.y + chrome.height) expect(overlaps(cardBox, button)).toBe(false);
        }
      }
      // What is at the button's place is the button (nothing drawn over it, nothing under it shows through).
      const button = await box(toggle);
      const hit = await page.evaluate(
        ([x, y]) => document.elementFromPoint(x as number, y as number)?.closest('.reactions') !== null,
        [button.x + button.width / 2, button.y + button.height / 2],
      );
      expect(hit).toBe(true);
    },
  );

  it(
    '[product#every-screen] on a touch screen every control a finger meets is at least 44 px: the header, the tabs, a card’s buttons, the fields, the boxes to tick',
    { timeout: 60_000 },
    async () => {
      const { page, problems } = await open({ viewport: { width: 390, height: 844 } });
      await createBoard(page);
      await page.getByLabel('Your answer to question 1').fill('Founders of small agencies');
      await page.keyboard.press('Enter');
      await page.locator('.card', { hasText: 'Founders of small agencies' }).waitFor({ timeout: EXPECT_MS });
      const tooSmall = () =>
        page.evaluate(() => {
          const small: string[] = [];
          const controls = document.querySelectorAll<HTMLElement>(
            'button, a.button, summary, select, textarea, input:not([type="checkbox"], [type="radio"])',
          );
          // A box to tick is as big as its label, which a finger may touch anywhere.
          for (const tick of document.querySelectorAll('input[type="checkbox"], input[type="radio"]')) {
            const r = (tick.closest('label') ?? tick).getBoundingClientRect();
            if (r.width > 0 && r.height < 43.5)
              small.push(`${tick.closest('label')?.textContent?.trim()} ${r.height}`);
          }
          for (const control of controls) {
            const r = control.getBoundingClientRect();
            // Not drawn, or kept off screen until focused (the skip link).
            if (r.width === 0 || r.height === 0 || r.bottom <= 0 || r.right <= 0) continue;
            const field = control.matches('select, textarea, input');
            if (r.height < 43.5 || (!field && r.width < 43.5))
              small.push(
                `${control.getAttribute('aria-label') ?? control.textContent?.trim()} ${r.width}×${r.height}`,
              );
          }
          return small;
        });
      expect(await tooSmall()).toEqual([]);
      // The facilitator's own controls at Goals (the goal form, the glossary's fields).
      await page.locator('.phase-tab', { hasText: 'Goals' }).tap();
      await page.locator('#section-heading', { hasText: 'Goals' }).waitFor({ timeout: EXPECT_MS });
      expect(await tooSmall()).toEqual([]);
      // Agree, with a goal: "Check consent" and its "named" box.
      const boardId = new URL(page.url()).pathname.split('/')[2] as string;
      const writer = await GoalWriter.open(
        server,
        server.sync,
        boardId,
        await joinBoard(server, boardId, 'Dana'),
      );
      await writer.add([{ title: 'Grow our audience' }]);
      await page.locator('.phase-tab', { hasText: 'Agree' }).tap();
      await page.getByRole('button', { name: 'Check consent' }).waitFor({ timeout: EXPECT_MS });
      expect(await tooSmall()).toEqual([]);
      // On a tablet the box's label fits on one line beside the button: still a finger's height.
      await page.setViewportSize({ width: 820, height: 1180 });
      const named = page.getByLabel('Show names with concerns and objections');
      expect((await box(named.locator('xpath=ancestor::label'))).height).toBeGreaterThanOrEqual(43.5);
      await page.setViewportSize({ width: 390, height: 844 });
      // The wrap-up's exports and their "Include goals not agreed" box.
      await page.locator('.phase-tab', { hasText: 'Wrap-up' }).tap();
      await page.locator('#section-heading', { hasText: 'Wrap-up' }).waitFor({ timeout: EXPECT_MS });
      expect(await tooSmall()).toEqual([]);
      expect(problems.list()).toEqual([]);
    },
  );

  it(
    '[product#every-screen] on a phone the tab of the phase the facilitator moves everyone to scrolls into sight in the row of tabs',
    { timeout: 60_000 },
    async () => {
      const { page: lead } = await open({ viewport: { width: 1280, height: 800 }, phone: false });
      const url = await createBoard(lead);
      const { page, problems } = await open({ viewport: { width: 390, height: 844 } });
      await page.goto(url.split('#')[0] as string);
      await page.getByLabel('Your name').fill('Zoé');
      await page.getByRole('button', { name: 'Join the board' }).click();
      await page.locator('.phase-nav').waitFor({ timeout: EXPECT_MS });
      const tabInSight = (name: string) =>
        page.evaluate((name) => {
          const row = document.querySelector('.phase-nav ol')?.getBoundingClientRect();
          const tab = [...document.querySelectorAll('.phase-tab')].find((t) => t.textContent?.includes(name));
          const box = tab?.getBoundingClientRect();
          return !!row && !!box && box.left >= row.left - 1 && box.right <= row.right + 1;
        }, name);
      expect(await tabInSight('Discover')).toBe(true);
      for (const phase of ['Wrap-up', 'Prioritise', 'Discover']) {
        await lead.locator('.phase-tab', { hasText: phase }).click();
        await lead.getByRole('button', { name: `Move everyone to ${phase}` }).click();
        await page.locator('#section-heading', { hasText: phase }).waitFor({ timeout: EXPECT_MS });
        await expect.poll(() => tabInSight(phase), { timeout: EXPECT_MS }).toBe(true);
      }
      expect(problems.list()).toEqual([]);
    },
  );

  it(
    '[product#every-screen] on a phone in French, a facilitator’s card keeps its buttons inside it and its author’s name on one line',
    { timeout: 60_000 },
    async () => {
      const { page, problems } = await open({ viewport: { width: 390, height: 844 }, locale: 'fr-FR' });
      await page.goto(server.url);
      await page.getByLabel('Votre nom').fill('Benoît-Marie');
      await page.getByRole('button', { name: 'Créer le tableau' }).click();
      await page.waitForURL(/\/b\//);
      await page.getByRole('dialog').getByRole('button', { name: 'Fermer' }).last().click();
      // The metrics question: its cards carry "Ajouter au glossaire" too, four buttons in all.
      await page.getByLabel('Votre réponse à la question 5').fill('Délai de validation');
      await page.keyboard.press('Enter');
      const card = page.locator('li.card', { hasText: 'Délai de validation' });
      await card.getByRole('button', { name: /Ajouter au glossaire/ }).waitFor({ timeout: EXPECT_MS });
      const cardBox = await box(card);
      for (const button of await card.getByRole('button').all()) {
        const b = await box(button);
        expect(b.x).toBeGreaterThanOrEqual(cardBox.x);
        expect(b.x + b.width).toBeLessThanOrEqual(cardBox.x + cardBox.width + 0.5);
      }
      const face = await box(card.locator('.person-face'));
      const name = await box(card.locator('.person-label'));
      expect(name.height).toBeLessThan(face.height * 1.5);
      expect(problems.list()).toEqual([]);
    },
  );

  it(
    '[product#every-screen] while voting, the phase tabs and the votes left stay in sight after scrolling down',
    { timeout: 90_000 },
    async () => {
      const { board, facilitator } = await workshop(server, 0);
      const writer = await GoalWriter.open(server, server.sync, board.id, facilitator);
      await writer.add(
        [
          'Grow our audience',
          'More qualified leads',
          'A weekly video',
          'Faster replies',
          'A content calendar',
          'Fewer late posts',
        ].map((title) => ({ title, why: 'Because the team said so in the discovery.' })),
      );
      const { page } = await open({ viewport: { width: 360, height: 640 } });
      await page.goto(`${board.participantUrl}#key=${board.facilitatorKey}`);
      await page.getByLabel('Your name').fill('Camille');
      await page.getByRole('button', { name: 'Join the board' }).click();
      await page.locator('.phase-nav').waitFor({ timeout: EXPECT_MS });
      await goTo(page, 'Prioritise');
      await page.getByRole('button', { name: 'Open voting' }).click();
      await page.getByTestId('votes-left').waitFor({ timeout: EXPECT_MS });
      await page.locator('.vote-item').last().scrollIntoViewIfNeeded();
      await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
      expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(200);
      await expectInsideViewport(page, page.locator('.phase-nav ol'), 'phase tabs');
      await expectInsideViewport(page, page.getByTestId('votes-left'), 'votes left');
      // Not hidden under the header: what is drawn at its centre is the votes left itself.
      const left = await box(page.getByTestId('votes-left'));
      const visible = await page.evaluate(
        ([x, y]) =>
          document.elementFromPoint(x as number, y as number)?.closest('[data-testid="votes-left"]') !== null,
        [left.x + left.width / 2, left.y + left.height / 2],
      );
      expect(visible).toBe(true);
      // A vote from down here updates what is in sight.
      await page
        .locator('.vote-item')
        .last()
        .getByRole('button', { name: /^Add a vote/ })
        .click();
      await expect
        .poll(() => page.getByTestId('votes-left').textContent(), { timeout: EXPECT_MS })
        .toBe('4 of 5 votes left');
      await page.screenshot({ path: join(SHOTS, 'phone-360x640-voting-scrolled.png') });
    },
  );

  for (const colorScheme of ['light', 'dark'] as const) {
    it(
      `[product#every-screen] has no axe-core violations on the phone layout, its menu and its reactions (${colorScheme})`,
      { timeout: 60_000 },
      async () => {
        const { page } = await open({ viewport: { width: 390, height: 844 }, colorScheme });
        await createBoard(page);
        expect(await accessibilityViolations(page)).toEqual([]);
        await menuToggle(page).click();
        await page.locator('.presence summary').click();
        expect(await accessibilityViolations(page)).toEqual([]);
        await menuToggle(page).click();
        await page.getByRole('button', { name: 'Send a reaction' }).click();
        await page.locator('.timer-menu summary').click();
        expect(await accessibilityViolations(page)).toEqual([]);
        await page.screenshot({ path: join(SHOTS, `phone-390x844-${colorScheme}.png`) });
      },
    );
  }
});

/** A desktop, and tablets upright and on their side: between the phone and the desktop. */
const WIDER = [
  { name: '1440x900', width: 1440, height: 900, touch: false },
  { name: '1024x768', width: 1024, height: 768, touch: true },
  { name: '820x1180', width: 820, height: 1180, touch: true },
] as const;

describe('the desktop header and the board’s chrome', () => {
  for (const size of WIDER) {
    it(
      `[product#every-screen] at ${size.name} the header keeps one row as people join: a bounded stack of faces, then +N; its popovers inside the screen`,
      { timeout: 60_000 },
      async () => {
        const { board, facilitator, participants } = await workshop(server, 8);
        const { page } = await open({ viewport: size, phone: size.touch });
        await page.goto(`${board.participantUrl}#key=${board.facilitatorKey}`);
        await page.getByLabel('Your name').fill('Lead on the big screen');
        await page.getByRole('button', { name: 'Join the board' }).click();
        await page.locator('.phase-nav').waitFor({ timeout: EXPECT_MS });
        await expect
          .poll(() => page.locator('.presence .count').textContent(), { timeout: EXPECT_MS })
          .toBe('1 online');
        const alone = await box(page.locator('header.board-bar'));
        for (const person of [facilitator, ...participants]) {
          await server.sessions.connect(server, { boardId: board.id, token: person.token });
        }
        await expect
          .poll(() => page.locator('.presence .count').textContent(), { timeout: EXPECT_MS })
          .toBe('10 online');
        expect(await page.locator('.presence .face').count()).toBe(5);
        expect(await page.locator('.presence .face.more').textContent()).toBe('+6');
        const crowded = await box(page.locator('header.board-bar'));
        expect(crowded.height).toBe(alone.height);
        expect(crowded.height).toBeLessThanOrEqual(64);
        // The title gives way to the rest of the bar (cut short); pointed at, it reads in full.
        expect(await page.locator('.board-title h1').getAttribute('title')).toBe('Kickoff');
        await page.screenshot({ path: join(SHOTS, `wide-${size.name}-ten-online.png`) });

        // Whatever holds the rest (the menu on a narrower screen), every popover opens in sight.
        if (await menuToggle(page).isVisible()) await menuToggle(page).click();
        await page.locator('.presence summary').click();
        await expectInsideViewport(page, page.locator('.people'), 'people list');
        await page.keyboard.press('Escape');
        await page.locator('.timer-menu summary').click();
        await expectInsideViewport(page, page.locator('.timer-panel'), 'timer menu');
        await page.keyboard.press('Escape');
      },
    );
  }

  it(
    '[product#every-screen] the share dialog a new board opens with leaves the focus on the board when closed, not on the page’s body',
    { timeout: 60_000 },
    async () => {
      const { page, problems } = await open({ viewport: { width: 1280, height: 800 }, phone: false });
      await createBoard(page);
      const focused = () =>
        page.evaluate(() => document.activeElement?.id || document.activeElement?.tagName);
      await expect.poll(focused, { timeout: EXPECT_MS }).toBe('board-main');
      // The next Tab goes on into the board rather than starting over from the top of the page.
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.closest('#board-main') !== null)).toBe(true);
      // Opened from Share, it gives the focus back to Share.
      await page.getByRole('button', { name: 'Share' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.waitFor({ timeout: EXPECT_MS });
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'hidden', timeout: EXPECT_MS });
      await expect
        .poll(() => page.evaluate(() => document.activeElement?.textContent?.trim()), { timeout: EXPECT_MS })
        .toBe('Share');
      expect(problems.list()).toEqual([]);
    },
  );

  it(
    '[product#every-screen] a skip link first, and keyboard shortcuts listed by "?": sections, lanes, never while typing',
    { timeout: 60_000 },
    async () => {
      const { page } = await open({ viewport: { width: 1280, height: 800 }, phone: false });
      await createBoard(page);
      // Opened afresh (the board's own tab, with nothing focused yet), the first Tab is the skip link.
      await page.reload();
      await page.locator('section.lane[data-question-id]').first().waitFor({ timeout: EXPECT_MS });
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe(
        'Skip to the board',
      );
      await page.keyboard.press('Enter');
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('board-main');
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.closest('#board-main') !== null)).toBe(true);
      await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());

      await page.keyboard.press('?');
      const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
      await help.waitFor({ timeout: EXPECT_MS });
      expect(await help.textContent()).toContain('Next section');
      await page.keyboard.press('Escape');
      await help.waitFor({ state: 'hidden', timeout: EXPECT_MS });

      // The dialog hands the focus back as it closes: the shortcut acts once it has.
      await expect
        .poll(() => page.evaluate(() => document.activeElement?.closest('[role="dialog"]') === null), {
          timeout: EXPECT_MS,
        })
        .toBe(true);
      await page.keyboard.press('j');
      await expect
        .poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-question-id') ?? null), {
          timeout: EXPECT_MS,
        })
        .not.toBeNull();
      const first = await page.evaluate(() => document.activeElement?.getAttribute('data-question-id'));
      await page.keyboard.press('j');
      const second = await page.evaluate(() => document.activeElement?.getAttribute('data-question-id'));
      expect(second).not.toBe(first);
      await page.keyboard.press('k');
      expect(await page.evaluate(() => document.activeElement?.getAttribute('data-question-id'))).toBe(first);

      await page.keyboard.press('n');
      await expect.poll(() => heading(page), { timeout: EXPECT_MS }).toBe('Day-to-day');
      await page.keyboard.press('p');
      await expect.poll(() => heading(page), { timeout: EXPECT_MS }).toBe('Discover');
      // Typing in a field is typing: "n" and "?" are letters there.
      await page.getByLabel('Your answer to question 1').fill('');
      await page.getByLabel('Your answer to question 1').pressSequentially('n?');
      expect(await page.getByLabel('Your answer to question 1').inputValue()).toBe('n?');
      expect(await heading(page)).toBe('Discover');
      expect(await help.isVisible()).toBe(false);
    },
  );

  it(
    '[product#every-screen] one toast at a time: a new notice replaces the one on screen',
    { timeout: 60_000 },
    async () => {
      const { page } = await open({ viewport: { width: 1280, height: 800 }, phone: false });
      await createBoard(page);
      await page.getByRole('button', { name: 'Lock edits' }).click();
      await page.locator('.toast', { hasText: 'Editing is locked.' }).waitFor({ timeout: EXPECT_MS });
      await page.getByRole('button', { name: /Unlock edits/ }).click();
      await page.locator('.toast', { hasText: 'Editing is open again.' }).waitFor({ timeout: EXPECT_MS });
      expect(await page.locator('.toast').count()).toBe(1);
    },
  );

  it(
    '[product#every-screen] a toast never covers the field being typed in: it moves to the top when the field is near the bottom',
    { timeout: 60_000 },
    async () => {
      const { board, facilitator } = await workshop(server, 0);
      const { page } = await open({ viewport: { width: 390, height: 844 } });
      await page.goto(board.participantUrl);
      await page.getByLabel('Your name').fill('Ana');
      await page.getByRole('button', { name: 'Join the board' }).click();
      const field = page.getByLabel('Your answer to question 3');
      await field.waitFor({ timeout: EXPECT_MS });
      await field.focus();
      // Its bottom edge just above the screen's, where a toast at the bottom would sit on it.
      await field.evaluate((element) =>
        window.scrollBy(0, element.getBoundingClientRect().bottom - (window.innerHeight - 12)),
      );
      const typing = await box(field);
      expect(typing.y + typing.height).toBeGreaterThan(844 - 160);
      const lead = await server.sessions.connect(server, { boardId: board.id, token: facilitator.token });
      expect((await lead.request('timer', { action: 'start', durationMs: 1_000 })).ok).toBe(true);
      const toast = page.locator('.toast', { hasText: 'Time is up' });
      await toast.waitFor({ timeout: EXPECT_MS });
      expect(overlaps(await box(toast), await box(field))).toBe(false);
      await expectInsideViewport(page, toast, 'toast');
      expect(await page.locator('.toast').count()).toBe(1);
    },
  );

  it(
    '[product#every-screen][session#consent-rounds] on a phone the notice of a move to Agree covers none of the consent choices the same moment brings up, wherever they are on screen',
    { timeout: 60_000 },
    async () => {
      const { board, facilitator } = await workshop(server, 0);
      const writer = await GoalWriter.open(server, server.sync, board.id, facilitator);
      const [goalId] = (await writer.add([{ title: 'Grow our audience' }])) as [string];
      const { page, problems } = await open({ viewport: { width: 390, height: 844 } });
      await page.goto(board.participantUrl);
      await page.getByLabel('Your name').fill('Ana');
      await page.getByRole('button', { name: 'Join the board' }).click();
      await page.locator('.phase-nav').waitFor({ timeout: EXPECT_MS });
      const lead = await server.sessions.connect(server, { boardId: board.id, token: facilitator.token });
      expect((await lead.request('phase', { phase: 'agree' })).ok).toBe(true);
      expect((await lead.request('consent', { action: 'start', goalId, named: false })).ok).toBe(true);
      await page
        .locator('.toast', { hasText: 'The workshop moved to Agree.' })
        .waitFor({ timeout: EXPECT_MS });
      await page.locator('.consent .choice').first().waitFor({ timeout: EXPECT_MS });
      // The choices near the bottom of the screen, then in its middle: what a finger finds at each
      // choice's centre is that choice, never the notice, which stays clear of the content.
      const covered = await page.evaluate(() => {
        const toast = document.querySelector('.toast');
        if (!toast) return ['no notice on screen'];
        const found: string[] = [];
        const chrome = document.querySelector('.board-chrome')?.getBoundingClientRect();
        if (!chrome) return ['no header'];
        for (const block of ['end', 'center'] as const) {
          for (const choice of document.querySelectorAll<HTMLElement>('.consent .choice')) {
            choice.scrollIntoView({ block });
            const r = choice.getBoundingClientRect();
            const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
            if (!choice.contains(hit))
              found.push(`${block}: ${choice.textContent?.trim()} under ${hit?.className}`);
          }
        }
        const notice = toast.getBoundingClientRect();
        if (notice.bottom > chrome.bottom + 0.5)
          found.push(`the notice reaches below the header (${notice.bottom} > ${chrome.bottom})`);
        return found;
      });
      expect(covered).toEqual([]);
      await expectInsideViewport(page, page.locator('.toast'), 'notice');
      await page.screenshot({ path: join(SHOTS, 'phone-390x844-consent-notice.png') });
      expect(problems.list()).toEqual([]);
    },
  );

  it(
    '[product#every-screen] "Time is up" shows for a few seconds, then settles; the facilitator’s timer still says it is over',
    { timeout: 60_000 },
    async () => {
      const { board, facilitator, participants } = await workshop(server, 1);
      const member = participants[0];
      if (!member) throw new Error('no participant');
      const { page } = await open({ viewport: { width: 390, height: 844 } });
      await page.goto(board.participantUrl);
      await page.getByLabel('Your name').fill('Ana');
      await page.getByRole('button', { name: 'Join the board' }).click();
      const { page: lead } = await open({ viewport: { width: 1280, height: 800 }, phone: false });
      await lead.goto(`${board.participantUrl}#key=${board.facilitatorKey}`);
      await lead.getByLabel('Your name').fill('Lead');
      await lead.getByRole('button', { name: 'Join the board' }).click();
      const session = await server.sessions.connect(server, { boardId: board.id, token: facilitator.token });
      expect((await session.request('timer', { action: 'start', durationMs: 1_000 })).ok).toBe(true);
      const timer = page.locator('[data-testid="timer"]');
      await expect.poll(() => timer.getAttribute('class'), { timeout: EXPECT_MS }).toContain('ended');
      expect(await timer.locator('.timer-clock').textContent()).toBe('Time is up');
      // Settled: no longer red, and the participant's timer rests at 0:00.
      await expect.poll(() => timer.getAttribute('class'), { timeout: 20_000 }).toContain('over');
      expect(await timer.getAttribute('class')).not.toContain('ended');
      expect(await timer.locator('.timer-clock').textContent()).toBe('0:00');
      const leadTimer = lead.locator('[data-testid="timer"]');
      await expect.poll(() => leadTimer.getAttribute('class'), { timeout: EXPECT_MS }).toContain('over');
      expect(await leadTimer.locator('.timer-clock').textContent()).toBe('Time is up');
      expect(await leadTimer.getAttribute('class')).not.toContain('ended');
    },
  );
});
