/**
 * User text is never interpreted as HTML (docs/errors.md#headers): a corpus of XSS payloads in every text field —
 * typed in the interface, or written into the document by a rogue client — renders as inert text
 * in every phase. The page runs WITHOUT its Content-Security-Policy here (bypassCSP), so that the
 * CSP cannot hide an injection: the rendering itself must be safe.
 */
import { afterAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { io, type Socket } from 'socket.io-client';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { addCard, addCommitment, addGoal, addHat, addQuestion, readQuestions } from '../../shared/board';
import type { SessionView } from '../../shared/session/state';
import { waitFor } from '../helpers/expect';
import { useBrowser, useServer } from '../helpers/fixtures';
import { joinBoard } from '../helpers/server';

const EXPECT_MS = 10_000;

/** Each payload sets window.__xss if it ever runs. */
const PAYLOADS = [
  '<img src=x onerror="window.__xss=1">',
  '<script>window.__xss=1</script>',
  '"><svg onload="window.__xss=1">',
  "'><iframe srcdoc='<script>parent.__xss=1</script>'>",
  '<a href="javascript:window.__xss=1">click</a>',
  '{@html "<img src=x onerror=window.__xss=1>"}',
  '<style>body{display:none}</style>',
  '<details open ontoggle="window.__xss=1">',
];
/** Names and titles are short: payloads that fit 40 characters. */
const SHORT = '<img src=x onerror=window.__xss=1>';

const server = useServer();
const chromium = useBrowser();
const sockets: Socket[] = [];
const providers: WebsocketProvider[] = [];

// Runs before the fixtures close the pages, the browser and the server (after hooks run in reverse order).
afterAll(() => {
  for (const socket of sockets) socket.close();
  for (const provider of providers) provider.destroy();
});

async function open(): Promise<Page> {
  const context = await chromium.newContext({ locale: 'en-US', bypassCSP: true });
  const page = await context.newPage();
  await page.addInitScript(() => {
    (window as unknown as { __xss?: number }).__xss = undefined;
  });
  return page;
}

/** Elements a payload would have created if it had been parsed as HTML. */
async function injected(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    const app = document.getElementById('app');
    if (!app) return ['no app'];
    for (const selector of [
      'img[src="x"]',
      'script',
      'svg[onload]',
      'iframe',
      'a[href^="javascript"]',
      'style',
      'details[ontoggle]',
    ]) {
      if (app.querySelector(selector)) found.push(selector);
    }
    if ((window as unknown as { __xss?: number }).__xss !== undefined) found.push('window.__xss was set');
    return found;
  });
}

it(
  '[errors#validation] renders a corpus of XSS payloads in every text field as inert text, in every phase',
  { timeout: 90_000 },
  async () => {
    // Typed in the interface: the board title and the facilitator's name.
    const lead = await open();
    await lead.goto(server.url);
    await lead.getByLabel('Board title').fill(SHORT);
    await lead.getByLabel('Your name').fill(SHORT);
    await lead.getByRole('button', { name: 'Create the board' }).click();
    await lead.waitForURL(/\/b\//);
    await lead.getByRole('dialog').getByRole('button', { name: 'Close' }).last().click();
    const boardId = new URL(lead.url()).pathname.split('/').pop() as string;
    await lead.getByLabel('Your answer to question 1').fill(PAYLOADS[0] as string);
    await lead.keyboard.press('Enter');
    await lead.getByLabel('New question').fill(PAYLOADS[1] as string);
    await lead.getByLabel('New question').press('Enter');

    // Written by a rogue client straight into the document: every other text field.
    const doc = new Y.Doc();
    const provider = new WebsocketProvider(`${server.wsUrl}/sync`, boardId, doc, {
      WebSocketPolyfill: WebSocket as never,
    });
    providers.push(provider);
    await waitFor(() => provider.synced, EXPECT_MS, 'the rogue client to sync');
    const question = readQuestions(doc, 'discover')[1]?.id as string;
    for (const payload of PAYLOADS)
      addCard(doc, { questionId: question, text: payload, authorId: 'rogue-author-01' });
    for (const payload of PAYLOADS.slice(0, 3)) addQuestion(doc, { text: payload, section: 'discover' });
    for (const payload of PAYLOADS.slice(0, 3)) addQuestion(doc, { text: payload, section: 'day-to-day' });
    const [a, b, c, d, e, f, g] = PAYLOADS as [string, string, string, string, string, string, string];
    const goalId = addGoal(
      doc,
      { title: a, why: b, metric: c, baseline: d, target: e, owner: f, due: null },
      'rogue',
    );
    addGoal(doc, { title: g, metric: a, target: b }, 'rogue');
    addHat(doc, SHORT);
    for (const payload of PAYLOADS.slice(0, 3)) addCommitment(doc, { text: payload, owner: SHORT });

    // Participants with hostile names answer the pulse with hostile help, and vote.
    const members = await Promise.all(
      [0, 1, 2].map((i) => joinBoard(server, boardId, `${SHORT.slice(0, 36)}#${i}`)),
    );
    const opened = new Set<number>();
    const memberSockets = members.map((member, i) => {
      const socket = io(server.url, { auth: { boardId, token: member.token }, transports: ['websocket'] });
      sockets.push(socket);
      socket.on('session', (view: SessionView) => {
        if (view.pulse.openedAt !== null) opened.add(i);
      });
      return socket;
    });
    // The pulse opens when the facilitator moves everyone to the wrap-up; they joined before.
    await lead.locator('.phase-tab', { hasText: 'Wrap-up' }).click();
    await lead.getByRole('button', { name: 'Move everyone to Wrap-up' }).click();
    await waitFor(() => opened.size === members.length, EXPECT_MS, 'the pulse open for everyone');
    for (const [i, socket] of memberSockets.entries()) {
      expect(await socket.emitWithAck('pulse', { score: 3, help: PAYLOADS[i] })).toEqual({ ok: true });
    }

    // The facilitator agrees a hostile goal, opens and reveals voting, and shows the pulse.
    await lead.locator('.phase-tab', { hasText: 'Prioritise' }).click();
    await lead.getByRole('button', { name: 'Open voting' }).click();
    await lead.getByRole('button', { name: 'Reveal results' }).click();
    await lead.locator('.phase-tab', { hasText: 'Agree' }).click();
    await lead
      .locator(`li.ranked[data-goal-id="${goalId}"]`)
      .getByRole('button', { name: 'Mark as agreed' })
      .click();
    await lead.locator('.phase-tab', { hasText: 'Wrap-up' }).click();
    await lead.getByRole('button', { name: 'Show the results' }).click();

    // A participant's view too, with hostile content everywhere.
    const member = await open();
    await member.goto(lead.url());
    await member.getByLabel('Your name').fill(SHORT);
    await member.getByRole('button', { name: 'Join the board' }).click();

    for (const page of [lead, member]) {
      for (const phase of ['Discover', 'Day-to-day', 'Goals', 'Prioritise', 'Agree', 'Wrap-up']) {
        await page.locator('.phase-tab', { hasText: phase }).click();
        await page.waitForTimeout(150);
        expect({ phase, injected: await injected(page) }).toEqual({ phase, injected: [] });
      }
      // The payloads are shown, as text.
      await page.locator('.phase-tab', { hasText: 'Discover' }).click();
      await expect
        .poll(() => page.locator('.card-text', { hasText: '<script>window.__xss=1</script>' }).count(), {
          timeout: EXPECT_MS,
        })
        .toBeGreaterThan(0);
      expect(await page.locator('h1').first().textContent()).toBe(SHORT);
      await page.locator('.people, .presence summary').first().click();
      expect(await injected(page)).toEqual([]);
      // Closed again: the list opens over the phase tabs, which are clicked next.
      await page.keyboard.press('Escape');
    }
    await lead.locator('.phase-tab', { hasText: 'Wrap-up' }).click();
    await expect
      .poll(() => lead.getByTestId('pulse-results').textContent(), { timeout: EXPECT_MS })
      .toContain('<script>');
    await lead.getByRole('button', { name: 'Show JSON' }).click();
    await lead.locator('.export-preview').waitFor({ timeout: EXPECT_MS });
    expect(await injected(lead)).toEqual([]);
  },
);
