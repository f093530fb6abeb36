/**
 * The observer link in real Chromium (docs/product.md#observer-link): a facilitator makes it in
 * the share dialog; the observer's page follows the board live with no way to change it, shows
 * the stage view and the summary, and says so once the facilitator revokes the link.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { addCard } from '../../shared/board';
import { addChallenge } from '../../shared/board/challenges';
import { addCommitment } from '../../shared/board/commitments';
import { addGlossaryEntry } from '../../shared/board/glossary';
import { createTheme } from '../../shared/board/themes';
import { readTasks, setEstimate } from '../../shared/board/daytoday';
import { firstQuestion } from '../helpers/expect';
import { useBrowser, useServer } from '../helpers/fixtures';
import { watchPage } from '../helpers/page';
import { joinBoard } from '../helpers/server';
import { GoalWriter, workshop } from '../helpers/workshop';
import { accessibilityViolations } from './axe';

const EXPECT_MS = 10_000;

const server = useServer();
const chromium = useBrowser();

async function newPage(viewport = { width: 1280, height: 900 }): Promise<Page> {
  const context = await chromium.newContext({ locale: 'en-US', viewport });
  return context.newPage();
}

/** The controls that would let someone change the board, anywhere on the page. */
const editControls = (page: Page) =>
  page.locator('main textarea, main input, main select, main form, .card-actions').count();

describe('the observer link', () => {
  it(
    '[product#observer-link][security#observer-links] made in the share dialog, it shows the board live and read-only, the stage and the summary, until it is revoked',
    { timeout: 120_000 },
    async () => {
      const lead = await newPage();
      const leadProblems = watchPage(lead);
      await lead.goto(server.url);
      await lead.getByLabel('Your name').fill('Lead');
      await lead.getByRole('button', { name: 'Create the board' }).click();
      const dialog = lead.getByRole('dialog');
      await dialog.getByTestId('observer-link').waitFor({ timeout: EXPECT_MS });
      const boardId = new URL(lead.url()).pathname.split('/').at(-1) ?? '';

      await dialog.getByRole('button', { name: 'Create an observer link' }).click();
      const linkInput = dialog.getByRole('textbox', { name: 'Observer link' });
      await linkInput.waitFor({ timeout: EXPECT_MS });
      const url = await linkInput.inputValue();
      expect(url).toMatch(new RegExp(`^${server.url}/o/[A-Za-z0-9_-]{43}$`));
      expect(await accessibilityViolations(lead)).toEqual([]);

      // The observer, on a phone.
      const observer = await newPage({ width: 390, height: 844 });
      const problems = watchPage(observer);
      await observer.goto(url);
      await observer.getByTestId('observer-banner').getByText('Read-only — observer').waitFor({
        timeout: EXPECT_MS,
      });
      await observer.locator('.lane').first().waitFor({ timeout: EXPECT_MS });

      // A participant's card arrives on the observer's page as it is written.
      const member = await joinBoard(server, boardId, 'Member');
      const writer = await GoalWriter.open(server, server.sync, boardId, member);
      addCard(writer.client.doc, {
        questionId: firstQuestion(writer.client),
        text: 'Heads of marketing in mid-size companies',
        authorId: member.participantId,
      });
      await observer
        .locator('.card', { hasText: 'Heads of marketing in mid-size companies' })
        .waitFor({ timeout: EXPECT_MS });
      expect(await editControls(observer)).toBe(0);
      expect(await observer.getByRole('button', { name: /Add|Vote|Edit|Delete/ }).count()).toBe(0);
      expect(await accessibilityViolations(observer)).toEqual([]);

      // Nobody sees the observer among the people on the board.
      const people = await server.sessions.connect(server, { boardId, token: member.token });
      const view = await people.waitForSession((v) => v.participants.length > 0, 'the people');
      expect(view.participants.map((p) => p.name).sort()).toEqual(['Lead', 'Member']);

      await observer.goto(`${url}/stage`);
      await observer.getByTestId('stage-phase').waitFor({ timeout: EXPECT_MS });
      await observer
        .locator('.stage-answer', { hasText: 'Heads of marketing' })
        .waitFor({ timeout: EXPECT_MS });
      expect(await observer.getByTestId('stage-qr').count()).toBe(0);
      expect(await accessibilityViolations(observer)).toEqual([]);

      await observer.goto(`${url}/summary`);
      await observer.getByTestId('summary-people').waitFor({ timeout: EXPECT_MS });
      expect(await observer.getByTestId('summary-people').textContent()).toContain('Member');
      expect(await accessibilityViolations(observer)).toEqual([]);
      expect(problems.list()).toEqual([]);

      // Revoked while open: the page says so, at once.
      await dialog.getByRole('button', { name: 'Revoke the observer link' }).click();
      await dialog.getByText('The observer link was revoked').waitFor({ timeout: EXPECT_MS });
      await observer.getByTestId('observer-revoked').waitFor({ timeout: EXPECT_MS });
      expect(await observer.getByTestId('summary-people').count()).toBe(0);
      expect(await accessibilityViolations(observer)).toEqual([]);

      // Opened again later, it still says so.
      await observer.goto(url);
      await observer.getByTestId('observer-revoked').waitFor({ timeout: EXPECT_MS });
      // The one error the browser logs is the 410 of the revoked link itself.
      expect(problems.list().filter((problem) => !/status of 410/.test(problem))).toEqual([]);
      expect(leadProblems.list()).toEqual([]);
    },
  );

  it(
    '[product#observer-link][session#votes] the observer sees the whole board: a goal’s details, the day-to-day load, the phase the facilitator moves to and the tallies once revealed; nothing on the page writes',
    { timeout: 120_000 },
    async () => {
      const { board, facilitator, participants } = await workshop(server, 1);
      const member = participants[0];
      if (!member) throw new Error('no participant');
      const made = await fetch(`${server.url}/api/boards/${board.id}/observer`, {
        method: 'POST',
        headers: { authorization: `Bearer ${facilitator.token}` },
      });
      expect(made.status).toBe(201);
      const { url } = (await made.json()) as { url: string };
      const lead = await server.sessions.connect(server, { boardId: board.id, token: facilitator.token });
      const voter = await server.sessions.connect(server, { boardId: board.id, token: member.token });
      const writer = await GoalWriter.open(server, server.sync, board.id, member);
      const [grow, leads] = (await writer.add([
        {
          title: 'Grow our audience',
          why: 'More people hear about the product',
          metric: 'Followers',
          baseline: '1200',
          target: '2000',
          owner: 'Sam',
        },
        { title: 'More qualified leads' },
      ])) as [string, string];

      const firstTask = readTasks(writer.client.doc)[0];
      if (!firstTask) throw new Error('no recurring task');
      setEstimate(writer.client.doc, firstTask.id, member.participantId, {
        amount: 3,
        unit: 'hours',
        per: 'week',
      });
      const students = addCard(writer.client.doc, {
        questionId: firstQuestion(writer.client),
        text: 'Our audience is mostly students',
        authorId: member.participantId,
      });
      createTheme(writer.client.doc, {
        cardIds: [students],
        name: 'Who we talk to',
        authorId: member.participantId,
      });
      addChallenge(writer.client.doc, 'Too little time for video');
      addGlossaryEntry(writer.client.doc, {
        name: 'Reach',
        definition: 'People who saw a post at least once',
      });

      // On a phone.
      const observer = await newPage({ width: 390, height: 844 });
      const problems = watchPage(observer);
      await observer.goto(url);
      await observer.getByTestId('observer-banner').getByText('Read-only — observer').waitFor({
        timeout: EXPECT_MS,
      });
      await expect
        .poll(() => observer.getByTestId('observer-phase').textContent(), { timeout: EXPECT_MS })
        .toMatch(/Discover/);
      await observer.locator('.card', { hasText: 'Our audience is mostly students' }).waitFor({
        timeout: EXPECT_MS,
      });
      // Themes, challenges and the glossary, as on the participants' Discover.
      await observer
        .getByTestId('observer-themes')
        .getByText('Who we talk to')
        .waitFor({ timeout: EXPECT_MS });
      expect(await observer.getByTestId('observer-themes').textContent()).toContain(
        'Our audience is mostly students',
      );
      await observer.getByTestId('observer-challenges').getByText('Too little time for video').waitFor({
        timeout: EXPECT_MS,
      });
      expect(await observer.getByTestId('observer-glossary').textContent()).toMatch(
        /Reach.*People who saw a post at least once/,
      );
      expect(await observer.locator('main button:not(.phase-tab)').count()).toBe(0);
      // The links between the three observer views stay.
      for (const name of ['Board', 'Stage view', 'Summary'])
        expect(await observer.getByRole('link', { name }).count()).toBe(1);
      expect(await accessibilityViolations(observer)).toEqual([]);

      // The facilitator moves everyone to the goals: the observer follows, with each goal's details.
      expect((await lead.request('phase', { phase: 'goals' })).ok).toBe(true);
      await expect
        .poll(() => observer.getByTestId('observer-phase').textContent(), { timeout: EXPECT_MS })
        .toMatch(/Goals/);
      const goals = observer.getByTestId('observer-goals');
      await goals.waitFor({ timeout: EXPECT_MS });
      const grown = goals.locator(`[data-goal-id="${grow}"]`);
      for (const detail of ['Grow our audience', 'More people hear about the product', 'Followers', 'Sam'])
        expect(await grown.textContent()).toContain(detail);
      expect(await grown.textContent()).toMatch(/1200.*2000/);
      expect(await accessibilityViolations(observer)).toEqual([]);

      // The observer may look at another phase meanwhile: the day-to-day map, with its tasks.
      await observer.getByRole('button', { name: /Day-to-day/ }).click();
      const daytoday = observer.getByTestId('observer-daytoday');
      await daytoday.waitFor({ timeout: EXPECT_MS });
      const answered = daytoday.locator(`[data-task-id="${firstTask.id}"]`);
      expect(await answered.textContent()).toContain('How long does it take to answer incoming messages?');
      // The team's answers, by name, as the participants see them; no answer form of the observer's own.
      await expect
        .poll(() => answered.locator('.task-answers').textContent(), { timeout: EXPECT_MS })
        .toMatch(/Member 1\s*3 h/);
      expect(await daytoday.locator('form, input, select').count()).toBe(0);
      expect(await accessibilityViolations(observer)).toEqual([]);

      // Voting: the phase is followed again, the progress shows, a tally only once revealed.
      expect((await lead.request('phase', { phase: 'prioritise' })).ok).toBe(true);
      await observer.getByTestId('observer-tallies').waitFor({ timeout: EXPECT_MS });
      expect(await observer.getByTestId('observer-phase').textContent()).toMatch(/Prioritise/);
      expect((await lead.request('voting', { open: true })).ok).toBe(true);
      for (const goalId of [grow, grow, leads])
        expect((await voter.request('vote', { goalId, delta: 1 })).ok).toBe(true);
      await expect
        .poll(() => observer.getByTestId('voting-progress').textContent(), { timeout: EXPECT_MS })
        .toMatch(/1 person has voted\D*3 votes cast/);
      expect(await observer.getByTestId('observer-tally').count()).toBe(0);
      expect((await lead.request('voting', { revealed: true })).ok).toBe(true);
      await expect
        .poll(() => observer.getByTestId('observer-tallies').textContent(), { timeout: EXPECT_MS })
        .toMatch(/Grow our audience\s*2 votes.*More qualified leads\s*1 vote/);

      // Nothing that writes: no field, no form, no button but the phase tabs.
      expect(await editControls(observer)).toBe(0);
      expect(await observer.locator('main button:not(.phase-tab)').count()).toBe(0);
      expect(
        await observer
          .getByRole('button', { name: /Add|Vote|Edit|Delete|Ready|Done|Focus|Pulse|Mark|Record/ })
          .count(),
      ).toBe(0);
      expect(await accessibilityViolations(observer)).toEqual([]);

      // The wrap-up: the agreed goal with its details, and the leader's commitments.
      expect((await lead.request('agree', { goalId: grow, agreed: true })).ok).toBe(true);
      addCommitment(writer.client.doc, { text: 'Protect two hours a week for content', owner: 'Lead' });
      expect((await lead.request('phase', { phase: 'wrap-up' })).ok).toBe(true);
      const agreed = observer.getByTestId('observer-agreed');
      await agreed.waitFor({ timeout: EXPECT_MS });
      expect(await agreed.textContent()).toContain('Grow our audience');
      expect(await agreed.textContent()).not.toContain('More qualified leads');
      await observer
        .getByTestId('observer-commitments')
        .getByText('Protect two hours a week for content')
        .waitFor({ timeout: EXPECT_MS });
      expect(await observer.locator('main button:not(.phase-tab)').count()).toBe(0);
      expect(await accessibilityViolations(observer)).toEqual([]);

      // Nobody sees the observer among the people on the board.
      const view = await lead.waitForSession((v) => v.participants.length > 0, 'the people');
      expect(view.participants.map((p) => p.name).sort()).toEqual(['Lead', 'Member 1']);
      expect(problems.list()).toEqual([]);
    },
  );
});
