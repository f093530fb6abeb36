/**
 * Writing together in real Chromium (docs/sync.md#text-fields, docs/sync.md#presence): two people
 * typing in one card at once both keep their words on every screen; what the other types arrives
 * in my open editor without moving my caret; their name shows while they edit; a board whose texts
 * were written as plain strings opens and edits.
 */
import { describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import * as Y from 'yjs';
import { readCards, ROOT } from '../../shared/board';
import { newId } from '../../shared/ids';
import { syncRoundTrip } from '../helpers/expect';
import { useBrowser, useServer } from '../helpers/fixtures';
import { createBoardFromHome, joinFromLink, watchPage, type PageProblems } from '../helpers/page';
import { workshop } from '../helpers/workshop';
import { accessibilityViolations } from './axe';

const EXPECT_MS = 10_000;

const server = useServer();
const chromium = useBrowser();

async function open(
  colorScheme: 'light' | 'dark' = 'light',
): Promise<{ page: Page; problems: PageProblems }> {
  const context = await chromium.newContext({
    locale: 'en-US',
    viewport: { width: 1280, height: 800 },
    colorScheme,
  });
  const page = await context.newPage();
  return { page, problems: watchPage(page) };
}

async function createBoard(page: Page, name: string): Promise<string> {
  return createBoardFromHome(page, server.url, name);
}

async function join(page: Page, url: string, name: string): Promise<void> {
  await joinFromLink(page, url, name);
  await page.locator('section.lane[data-question-id]').first().waitFor({ timeout: EXPECT_MS });
}

async function addCard(page: Page, text: string): Promise<string> {
  await page.getByLabel('Your answer to question 1').fill(text);
  await page.getByLabel('Your answer to question 1').press('Enter');
  const card = page.locator('.card', { hasText: text });
  await card.waitFor({ timeout: EXPECT_MS });
  return (await card.getAttribute('data-card-id')) ?? '';
}

const card = (page: Page, id: string): Locator => page.locator(`[data-card-id="${id}"]`);
const editor = (page: Page, id: string): Locator => card(page, id).getByLabel('Edit');

async function startEditing(page: Page, id: string): Promise<Locator> {
  await card(page, id).getByRole('button', { name: 'Edit' }).click();
  const box = editor(page, id);
  await box.waitFor({ timeout: EXPECT_MS });
  return box;
}

const selection = (box: Locator): Promise<[number, number]> =>
  box.evaluate((element: HTMLTextAreaElement) => [element.selectionStart, element.selectionEnd]);

describe('[sync#text-fields] writing together, in two browsers', () => {
  it(
    'two people typing in one card at the same time end with both texts, on every screen',
    { timeout: 60_000 },
    async () => {
      const { page: ana, problems: anaProblems } = await open();
      const url = await createBoard(ana, 'Ana');
      const { page: ben, problems: benProblems } = await open();
      await join(ben, url, 'Ben');
      const id = await addCard(ana, 'Our audience');
      await card(ben, id).waitFor({ timeout: EXPECT_MS });

      const anaBox = await startEditing(ana, id);
      const benBox = await startEditing(ben, id);
      await anaBox.press('Control+Home');
      await benBox.press('Control+End');
      // Both type at once, keystroke by keystroke.
      await Promise.all([
        anaBox.pressSequentially('Young ', { delay: 40 }),
        benBox.pressSequentially(', mostly online', { delay: 25 }),
      ]);
      const expected = 'Young Our audience, mostly online';
      // Live in both open editors, before anyone closes them.
      await expect.poll(() => anaBox.inputValue(), { timeout: EXPECT_MS }).toBe(expected);
      await expect.poll(() => benBox.inputValue(), { timeout: EXPECT_MS }).toBe(expected);
      await anaBox.press('Enter');
      await benBox.press('Escape');
      for (const page of [ana, ben])
        await expect
          .poll(() => card(page, id).locator('.card-text').textContent(), { timeout: EXPECT_MS })
          .toBe(expected);
      // A third screen, opened afterwards, reads the same from the server.
      const { page: cleo } = await open();
      await join(cleo, url, 'Cleo');
      await expect
        .poll(() => card(cleo, id).locator('.card-text').textContent(), { timeout: EXPECT_MS })
        .toBe(expected);

      expect(anaProblems.list()).toEqual([]);
      expect(benProblems.list()).toEqual([]);
    },
  );

  it(
    '[sync#presence] the other’s edit arrives in my open editor without moving my caret, and their name shows while they edit',
    { timeout: 60_000 },
    async () => {
      const { page: ana, problems } = await open();
      const url = await createBoard(ana, 'Ana');
      const { page: ben } = await open();
      await join(ben, url, 'Ben');
      const id = await addCard(ana, 'Weekly report');

      // Ben opens the card: Ana sees his name on it.
      const benBox = await startEditing(ben, id);
      await expect
        .poll(() => card(ana, id).locator('.card-editing').textContent(), { timeout: EXPECT_MS })
        .toBe('Ben is editing');
      expect(await accessibilityViolations(ana)).toEqual([]);

      // Ana opens it too, caret after "Weekly" (6); she sees Ben in her editor.
      const anaBox = await startEditing(ana, id);
      await anaBox.press('Control+Home');
      for (let i = 0; i < 6; i++) await anaBox.press('ArrowRight');
      expect(await selection(anaBox)).toEqual([6, 6]);
      await expect
        .poll(() => card(ana, id).getByRole('status').textContent(), { timeout: EXPECT_MS })
        .toBe('Ben is editing');

      // Ben types at the end: Ana's text follows, her caret stays put.
      await benBox.press('Control+End');
      await benBox.pressSequentially(' for the team');
      await expect.poll(() => anaBox.inputValue(), { timeout: EXPECT_MS }).toBe('Weekly report for the team');
      expect(await selection(anaBox)).toEqual([6, 6]);

      // Ben types before her caret: it moves with the words around it.
      await benBox.press('Control+Home');
      await benBox.pressSequentially('Our ');
      await expect
        .poll(() => anaBox.inputValue(), { timeout: EXPECT_MS })
        .toBe('Our Weekly report for the team');
      expect(await selection(anaBox)).toEqual([10, 10]);

      // Ana types where her caret is.
      await anaBox.pressSequentially(' sales');
      await expect
        .poll(() => benBox.inputValue(), { timeout: EXPECT_MS })
        .toBe('Our Weekly sales report for the team');

      // Ben leaves: his name goes from Ana's screen.
      await benBox.press('Enter');
      await expect.poll(() => card(ana, id).getByRole('status').count(), { timeout: EXPECT_MS }).toBe(0);
      await anaBox.press('Enter');
      expect(problems.list()).toEqual([]);
    },
  );

  it(
    'an input method’s composition is left alone while the other types, and lands where it belongs',
    { timeout: 60_000 },
    async () => {
      const { page: ana, problems } = await open();
      const url = await createBoard(ana, 'Ana');
      const { page: ben } = await open();
      await join(ben, url, 'Ben');
      const { page: cleo } = await open();
      await join(cleo, url, 'Cleo');
      const id = await addCard(ana, 'Hello world');
      await card(cleo, id).waitFor({ timeout: EXPECT_MS });
      const anaBox = await startEditing(ana, id);
      const benBox = await startEditing(ben, id);
      await anaBox.press('Control+Home');
      for (let i = 0; i < 5; i++) await anaBox.press('ArrowRight');

      // Ana composes Japanese with an input method (as Chromium's IME does, over the DevTools protocol).
      const ime = await ana.context().newCDPSession(ana);
      await ime.send('Input.imeSetComposition', { text: 'に', selectionStart: 1, selectionEnd: 1 });
      await ime.send('Input.imeSetComposition', { text: 'にほ', selectionStart: 2, selectionEnd: 2 });
      // Ben types at the start meanwhile; it reaches everyone.
      await benBox.press('Control+Home');
      await benBox.pressSequentially('Say ');
      await expect
        .poll(() => card(cleo, id).locator('.card-text').textContent(), { timeout: EXPECT_MS })
        .toBe('Say Hello world');
      // Ana's field is the input method's until she commits: never rewritten under it.
      expect(await anaBox.inputValue()).toBe('Helloにほ world');
      await ime.send('Input.insertText', { text: 'にほん' });

      const expected = 'Say Helloにほん world';
      await expect.poll(() => anaBox.inputValue(), { timeout: EXPECT_MS }).toBe(expected);
      expect(await selection(anaBox)).toEqual([12, 12]);
      await expect.poll(() => benBox.inputValue(), { timeout: EXPECT_MS }).toBe(expected);
      await expect
        .poll(() => card(cleo, id).locator('.card-text').textContent(), { timeout: EXPECT_MS })
        .toBe(expected);
      expect(problems.list()).toEqual([]);
    },
  );

  it(
    'the card editor grows with its text (dark, accessible), and a card emptied in it gets its text back when it closes',
    { timeout: 60_000 },
    async () => {
      const { page, problems } = await open('dark');
      await createBoard(page, 'Ana');
      const id = await addCard(page, 'Keep me');
      const box = await startEditing(page, id);
      const before = (await box.boundingBox())?.height ?? 0;
      await box.press('Control+End');
      // Shift+Enter makes a new line (Enter alone closes the editor).
      for (const word of ['and', 'then', 'some', 'more', 'lines']) {
        await box.press('Shift+Enter');
        await box.pressSequentially(word);
      }
      // Taller, and nothing hidden: no inner scrolling.
      expect((await box.boundingBox())?.height ?? 0).toBeGreaterThan(before * 2);
      expect(
        await box.evaluate(
          (element: HTMLTextAreaElement) => element.scrollHeight <= element.clientHeight + 1,
        ),
      ).toBe(true);
      expect(await accessibilityViolations(page)).toEqual([]);
      await box.fill('');
      await box.press('Enter');
      await expect
        .poll(() => card(page, id).locator('.card-text').textContent(), { timeout: EXPECT_MS })
        .toBe('Keep me');
      expect(problems.list()).toEqual([]);
    },
  );

  it(
    'a goal’s field merges two people’s edits; commitments, custom hats and tasks are edited in place',
    { timeout: 90_000 },
    async () => {
      const { page: ana, problems } = await open();
      const url = await createBoard(ana, 'Ana');
      const { page: ben } = await open();
      await join(ben, url, 'Ben');
      const view = async (page: Page, phase: string): Promise<void> => {
        await page.locator('.phase-tab', { hasText: phase }).click();
      };

      // A goal: both edit its "why" at once, at both ends.
      await view(ana, 'Goals');
      await view(ben, 'Goals');
      await ana.locator('#new-goal-title').fill('Grow');
      await ana.locator('#new-goal-why').fill('Reach');
      await ana.getByRole('button', { name: 'Add the goal' }).click();
      const goalId =
        (await ben.locator('article.goal').first().getAttribute('data-goal-id', { timeout: EXPECT_MS })) ??
        '';
      for (const page of [ana, ben])
        await page.locator(`[data-goal-id="${goalId}"]`).getByRole('button', { name: 'Edit' }).click();
      const anaWhy = ana.locator(`#edit-${goalId}-why`);
      const benWhy = ben.locator(`#edit-${goalId}-why`);
      await anaWhy.press('End');
      await benWhy.press('Home');
      await Promise.all([
        anaWhy.pressSequentially(' more people', { delay: 30 }),
        benWhy.pressSequentially('Sales: ', { delay: 30 }),
      ]);
      await ana.getByRole('button', { name: 'Done', exact: true }).click();
      await ben.getByRole('button', { name: 'Done', exact: true }).click();
      for (const page of [ana, ben])
        await expect
          .poll(() => page.locator(`[data-goal-id="${goalId}"] .goal-why`).textContent(), {
            timeout: EXPECT_MS,
          })
          .toBe('Sales: Reach more people');

      // A custom hat, renamed live.
      await view(ana, 'Day-to-day');
      await view(ben, 'Day-to-day');
      await ana.locator('#hat-add-label').fill('Analyts');
      await ana.locator('#hat-add-label').press('Enter');
      await ana.getByRole('button', { name: 'Rename the hat “Analyts”' }).click();
      const hatName = ana.getByLabel('Hat name');
      await hatName.press('End');
      await hatName.press('Backspace');
      await hatName.press('Backspace');
      await hatName.pressSequentially('sts');
      await hatName.press('Enter');
      await ben.locator('.hat-label', { hasText: 'Analysts' }).waitFor({ timeout: EXPECT_MS });

      // A recurring task's wording, edited by the facilitator.
      const task = ana.locator('article.task').first();
      await task.getByRole('button', { name: 'Edit the task' }).click();
      const taskText = ana.getByLabel('Task question');
      await taskText.press('Control+End');
      await taskText.pressSequentially(' (roughly)');
      await taskText.press('Enter');
      await expect
        .poll(() => ben.locator('article.task .task-question').first().textContent(), { timeout: EXPECT_MS })
        .toMatch(/\(roughly\)$/);

      // A commitment, written and then edited in place.
      await view(ana, 'Wrap-up');
      await view(ben, 'Wrap-up');
      await ana.getByLabel('A new commitment').fill('Weekly 1:1s');
      await ana.getByLabel('A new commitment').press('Enter');
      const commitment = ana.getByLabel('Commitment', { exact: true });
      await commitment.press('End');
      await commitment.pressSequentially(' with everyone');
      await commitment.press('Enter');
      await expect
        .poll(() => ben.locator('.commitment-text').first().textContent(), { timeout: EXPECT_MS })
        .toBe('Weekly 1:1s with everyone');
      expect(problems.list()).toEqual([]);
    },
  );

  it(
    'a board whose texts were written as plain strings opens and edits, and a stock client sees the edit',
    { timeout: 60_000 },
    async () => {
      const { board, facilitator } = await workshop(server, 0);
      const stock = await server.sync.syncedProvider(server, board.id, { token: facilitator.token });
      const [questionId] = [...stock.doc.getMap(ROOT.questions).keys()];
      const cardId = newId();
      const item = new Y.Map<unknown>();
      for (const [key, value] of Object.entries({
        id: cardId,
        questionId,
        text: 'Written as a string',
        authorId: facilitator.participantId,
        createdAt: 1,
      }))
        item.set(key, value);
      stock.doc.getMap(ROOT.cards).set(cardId, item);
      await syncRoundTrip(stock);

      const { page, problems } = await open();
      await join(page, board.participantUrl, 'Dana');
      await expect
        .poll(() => card(page, cardId).locator('.card-text').textContent(), { timeout: EXPECT_MS })
        .toBe('Written as a string');
      const box = await startEditing(page, cardId);
      await box.press('Control+End');
      await box.pressSequentially(', now edited');
      await box.press('Enter');
      await expect
        .poll(() => card(page, cardId).locator('.card-text').textContent(), { timeout: EXPECT_MS })
        .toBe('Written as a string, now edited');
      await expect
        .poll(() => readCards(stock.doc).find((c) => c.id === cardId)?.text, { timeout: EXPECT_MS })
        .toBe('Written as a string, now edited');
      expect((stock.doc.getMap(ROOT.cards).get(cardId) as Y.Map<unknown>).get('text')).toBeInstanceOf(Y.Text);
      expect(problems.list()).toEqual([]);
    },
  );
});
