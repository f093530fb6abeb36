/**
 * Ready marks and the focus in real Chromium (docs/session.md#ready, docs/session.md#focus): a
 * facilitator and two participants, one on a phone (390×844), and the room's stage. Two say they
 * are done and everyone sees it; the facilitator focuses an answer, which every screen scrolls to
 * and highlights, and the stage shows; the phone scrolls away and "Back to focus" brings it back.
 */
import { mkdirSync } from 'node:fs';
import { join as joinPath } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { addCard, readQuestions } from '../../shared/board';
import { screenshotDir } from '../helpers/browser';
import { useBrowser, useServer } from '../helpers/fixtures';
import { createBoardFromHome, joinAndWait, openPage, openStagePage } from '../helpers/page';
import { accessibilityViolations } from './axe';
import { inView } from './in-view';

const EXPECT_MS = 10_000;
const SHOTS = joinPath(screenshotDir, 'readyfocus');
mkdirSync(SHOTS, { recursive: true });

const server = useServer();
const chromium = useBrowser();

const open = (phone = false) => openPage(chromium, { phone });

const createBoard = (page: Page, name: string) => createBoardFromHome(page, server.url, name);

const join = (page: Page, url: string, name: string) => joinAndWait(page, url, name, '.phase-nav');

const readyCount = (page: Page) => page.getByTestId('ready-count').textContent();

describe('ready and focus, live', () => {
  it(
    '[session#ready][session#focus] two say they are done and all see "2 of 3 done"; a focused answer is in view and highlighted everywhere, the stage included; "Back to focus" returns the phone to it',
    { timeout: 120_000 },
    async () => {
      const { page: lead, problems: leadProblems } = await open();
      const url = await createBoard(lead, 'Camille');
      const boardId = /\/b\/([^/?#]+)/.exec(url)?.[1] ?? '';
      const { page: phone, problems: phoneProblems } = await open(true);
      const { page: desk, problems: deskProblems } = await open();
      await join(phone, url, 'Ana');
      await join(desk, url, 'Ben');
      const pages = [lead, phone, desk];

      // Answers in every lane, so that the last one is far from the top on a phone.
      const writer = await server.sync.syncedProvider(server, boardId);
      const questions = readQuestions(writer.doc, 'discover');
      let target = '';
      for (const [index, question] of questions.entries()) {
        for (const n of [1, 2]) {
          target = addCard(writer.doc, {
            questionId: question.id,
            text: `Answer ${n} to question ${index + 1}`,
            authorId: 'someone-0000001',
          });
        }
      }
      const card = `[data-card-id="${target}"]`;
      for (const page of pages) await page.locator(card).waitFor({ timeout: EXPECT_MS });

      // Ready: two of the three say they are done.
      for (const page of pages)
        await expect.poll(() => readyCount(page), { timeout: EXPECT_MS }).toBe('0 of 3 done');
      await phone.getByRole('button', { name: 'I’m done' }).click();
      await desk.getByRole('button', { name: 'I’m done' }).click();
      for (const page of pages)
        await expect.poll(() => readyCount(page), { timeout: EXPECT_MS }).toBe('2 of 3 done');
      expect(await phone.getByRole('button', { name: 'I’m done' }).getAttribute('aria-pressed')).toBe('true');

      // The stage, opened on the room's screen.
      const { page: stage, problems: stageProblems } = await openStagePage(chromium, server.url, boardId);

      // Participants see no Focus button; the facilitator does, and focuses the last answer.
      expect(await phone.getByTestId('focus-button').count()).toBe(0);
      await lead.locator(card).getByRole('button', { name: 'Focus: bring everyone to this answer' }).click();
      for (const page of [phone, desk]) {
        await page.locator(`${card}[data-in-focus]`).waitFor({ timeout: EXPECT_MS });
        await expect.poll(() => inView(page, card), { timeout: EXPECT_MS }).toBe(true);
      }
      await stage.getByTestId('stage-focus').waitFor({ timeout: EXPECT_MS });
      expect(await stage.getByTestId('stage-focus').textContent()).toContain(
        `Answer 2 to question ${questions.length}`,
      );
      expect(await inView(stage, '[data-testid="stage-focus"]')).toBe(true);
      await desk.screenshot({ path: joinPath(SHOTS, 'desk-focused.png') });
      await stage.screenshot({ path: joinPath(SHOTS, 'stage-focused.png') });

      // The phone scrolls back to the top: "Back to focus" appears, and takes it back.
      await phone.evaluate(() => {
        window.scrollTo(0, 0);
        for (const element of document.querySelectorAll('*'))
          if (element.scrollLeft > 0) element.scrollLeft = 0;
      });
      await expect.poll(() => inView(phone, card), { timeout: EXPECT_MS }).toBe(false);
      const back = phone.getByRole('button', { name: 'Back to focus' });
      await back.waitFor({ timeout: EXPECT_MS });
      expect(await accessibilityViolations(phone)).toEqual([]);
      await phone.screenshot({ path: joinPath(SHOTS, 'phone-back-to-focus.png') });
      await back.click();
      await expect.poll(() => inView(phone, card), { timeout: EXPECT_MS }).toBe(true);
      await back.waitFor({ state: 'hidden', timeout: EXPECT_MS });
      await phone.screenshot({ path: joinPath(SHOTS, 'phone-focused.png') });

      // The facilitator ends the focus: the highlight and the stage's panel go.
      await lead.locator(card).getByRole('button', { name: 'End focus' }).click();
      await desk.locator(`${card}[data-in-focus]`).waitFor({ state: 'detached', timeout: EXPECT_MS });
      await stage.getByTestId('stage-focus').waitFor({ state: 'detached', timeout: EXPECT_MS });

      // docs/session.md#answer-rights: under "own", a participant no longer sees Edit or Delete on
      // someone else's answer; the facilitator still does.
      const editOn = (page: Page) => page.locator(card).getByRole('button', { name: 'Edit' }).count();
      expect(await editOn(desk)).toBe(1);
      await lead.getByRole('button', { name: 'Own answers only' }).click();
      await expect.poll(() => editOn(desk), { timeout: EXPECT_MS }).toBe(0);
      expect(await desk.locator(card).getByRole('button', { name: 'Delete' }).count()).toBe(0);
      expect(await editOn(lead)).toBe(1);

      for (const page of [lead, desk, stage]) expect(await accessibilityViolations(page)).toEqual([]);
      for (const problems of [leadProblems, phoneProblems, deskProblems, stageProblems])
        expect(problems.list()).toEqual([]);
    },
  );
});
