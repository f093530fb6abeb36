/**
 * The challenges lane and the metric glossary in real Chromium pages (docs/product.md#challenges,
 * docs/product.md#metric-glossary): an answer to the metrics question becomes a glossary entry,
 * its definition is written in place, a goal picks it and ticks a challenge, Agree lists the
 * challenge no goal addresses, and a phone sees the glossary. The rest of the meeting (a
 * participant's card, the goals) is written by real socket.io and y-websocket clients.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { addCard, readChallenges, readQuestions, setGoalChallenge } from '../../shared/board';
import { OK } from '../helpers/expect';
import { liveMeeting, type Meeting } from '../helpers/facilitation';
import { useBrowser, useServer } from '../helpers/fixtures';
import { joinAndWait, openPage } from '../helpers/page';
import { GoalWriter } from '../helpers/workshop';
import { accessibilityViolations } from './axe';

const EXPECT_MS = 10_000;

const server = useServer();
const chromium = useBrowser();

const open = (viewport: { width: number; height: number }, phone = false, locale = 'en-US') =>
  openPage(chromium, { viewport, phone, locale, reducedMotion: true });

const join = (page: Page, url: string, name: string) => joinAndWait(page, url, name, '#section-heading');

const heading = (page: Page) => page.locator('#section-heading').textContent();

async function moveEveryone(m: Meeting, phase: string, page: Page, title: string): Promise<void> {
  expect(await m.lead.request('phase', { phase })).toEqual(OK);
  await expect.poll(() => heading(page), { timeout: EXPECT_MS }).toBe(title);
}

async function axeClean(page: Page, where: string): Promise<void> {
  expect({ where, violations: await accessibilityViolations(page) }).toEqual({ where, violations: [] });
}

describe('[product#metric-glossary] the glossary and the challenges in the browser', () => {
  it(
    '[product#challenges] turns a metrics answer into a defined entry, links it and a challenge to a goal, lists the open challenge at Agree, and shows the glossary on a phone',
    { timeout: 120_000 },
    async () => {
      const m = await liveMeeting(server, server.sessions, ['Dana']);
      const dana = m.participants[0];
      if (!dana) throw new Error('one participant expected');
      const client = await server.sync.syncedProvider(server, m.board.id, { token: dana.token });
      const metrics = readQuestions(client.doc, 'discover')[4];
      if (!metrics) throw new Error('the kickoff template asks about metrics fifth');
      expect(metrics.text).toMatch(/metrics/);
      addCard(client.doc, { questionId: metrics.id, text: 'Engagement rate', authorId: dana.participantId });
      const writer = await GoalWriter.open(server, server.sync, m.board.id, m.facilitator);
      await writer.add([
        { title: 'Grow our audience', target: '5,000' },
        { title: 'Post more videos', metric: 'Views', target: '10 a month' },
      ]);

      const { page: lead, problems } = await open({ width: 1440, height: 900 });
      await join(lead, m.board.facilitatorUrl, 'Camille');

      // Discover: the answer becomes an entry, named after the card, with no definition yet.
      const glossary = lead.getByTestId('glossary-panel');
      await lead.getByRole('button', { name: 'Add to glossary: “Engagement rate”' }).click();
      const entry = glossary.locator('li[data-entry-id]', { hasText: 'Engagement rate' });
      await entry.waitFor({ timeout: EXPECT_MS });
      expect(await entry.textContent()).toContain('No definition yet');
      // Only the metrics question's cards offer it.
      expect(await lead.getByRole('button', { name: /^Add to glossary: “/ }).count()).toBe(1);

      // Its definition, written in place (the editor opens on it), by keyboard.
      await entry.getByRole('button', { name: 'Edit “Engagement rate”' }).click();
      const definition = entry.getByLabel('Definition');
      await expect.poll(() => definition.evaluate((el) => el === document.activeElement)).toBe(true);
      await lead.keyboard.type('Interactions divided by impressions, per post');
      await entry.getByLabel('Owner').fill('Ana');
      await entry.getByRole('button', { name: 'Done', exact: true }).click();
      await expect
        .poll(() => entry.textContent(), { timeout: EXPECT_MS })
        .toContain('Interactions divided by impressions, per post');

      // Goals: the lane holds the article's challenges, audience first; the free-text metric is flagged.
      await moveEveryone(m, 'goals', lead, 'Goals');
      const lane = lead.getByTestId('challenges-lane');
      expect(await lane.locator('li .title').allTextContents()).toEqual([
        'Identifying and reaching our target audience',
        'Measuring return on investment (ROI)',
      ]);
      const card = (title: string) => lead.locator('article.goal', { hasText: title });
      await expect
        .poll(() => card('Post more videos').getByTestId('metric-undefined').textContent(), {
          timeout: EXPECT_MS,
        })
        .toBe('Incomplete: the metric has no definition');
      await axeClean(lead, 'goals');

      // The goal editor: tick a challenge, pick the metric from the glossary.
      // Once open, the card's title is in a field: the card is found by its id.
      const goalId = await card('Grow our audience').getAttribute('data-goal-id');
      const editor = lead.locator(`article.goal[data-goal-id="${goalId}"]`);
      await editor.getByRole('button', { name: 'Edit', exact: true }).click();
      await editor.getByLabel('Identifying and reaching our target audience').check();
      await editor.getByLabel('Metric from the glossary').selectOption({ label: 'Engagement rate' });
      await expect
        .poll(() => editor.getByLabel('Metric', { exact: true }).inputValue())
        .toBe('Engagement rate');
      await axeClean(lead, 'goal editor');
      await editor.getByRole('button', { name: 'Done', exact: true }).click();
      await expect
        .poll(() => card('Grow our audience').textContent(), { timeout: EXPECT_MS })
        .toContain('Identifying and reaching our target audience');
      expect(await card('Grow our audience').getByTestId('metric-undefined').count()).toBe(0);
      expect(await lane.locator('li', { hasText: 'target audience' }).textContent()).toContain(
        'addressed by 1 goal',
      );

      // Agree: the challenge no goal addresses is pointed out, and only that one.
      await moveEveryone(m, 'agree', lead, 'Agree');
      const notice = lead.getByTestId('unaddressed-challenges');
      await notice.waitFor({ timeout: EXPECT_MS });
      expect(await notice.locator('li').allTextContents()).toEqual(['Measuring return on investment (ROI)']);
      await axeClean(lead, 'agree');

      // A phone: the glossary in the Goals section, with its definition.
      const { page: phone, problems: phoneProblems } = await open({ width: 390, height: 844 }, true);
      await join(phone, m.board.participantUrl, 'Eli');
      await phone.locator('.phase-tab', { hasText: 'Goals' }).click();
      const phoneEntry = phone.getByTestId('glossary-panel').locator('li', { hasText: 'Engagement rate' });
      await phoneEntry.waitFor({ timeout: EXPECT_MS });
      expect(await phoneEntry.textContent()).toContain('Interactions divided by impressions, per post');
      const fits = await phone
        .getByTestId('glossary-panel')
        .evaluate((element) => element.getBoundingClientRect().right <= window.innerWidth);
      expect(fits).toBe(true);
      await axeClean(phone, 'phone goals');

      for (const list of [problems, phoneProblems]) expect(list.list()).toEqual([]);
    },
  );

  it(
    '[product#challenges] a French participant on a phone reads the lane and Agree’s notice of unaddressed challenges in French',
    { timeout: 120_000 },
    async () => {
      const m = await liveMeeting(server, server.sessions, ['Dana']);
      const writer = await GoalWriter.open(server, server.sync, m.board.id, m.facilitator);
      const [goalId] = (await writer.add([{ title: 'Mieux connaître notre audience' }])) as [string];
      const client = await server.sync.syncedProvider(server, m.board.id, { token: m.facilitator.token });
      const [audience, roi] = readChallenges(client.doc);
      if (!audience || !roi) throw new Error('the kickoff template starts the lane with two challenges');
      setGoalChallenge(client.doc, goalId, audience.id, true);

      const { page: phone, problems } = await open({ width: 390, height: 844 }, true, 'fr-FR');
      await phone.goto(m.board.participantUrl);
      await phone.getByLabel('Votre nom').fill('Eli');
      await phone.getByRole('button', { name: 'Rejoindre le tableau' }).click();
      await phone.locator('#section-heading').waitFor({ timeout: EXPECT_MS });

      // Goals: the lane, in French, with what each challenge is addressed by.
      expect(await m.lead.request('phase', { phase: 'goals' })).toEqual(OK);
      const lane = phone.getByTestId('challenges-lane');
      await expect.poll(() => lane.locator('h3').textContent(), { timeout: EXPECT_MS }).toBe('Défis');
      await expect
        .poll(() => lane.locator('li', { hasText: roi.title }).textContent(), { timeout: EXPECT_MS })
        .toContain('aucun objectif ne le traite encore');
      expect(await lane.getByRole('button', { name: `Renommer le défi « ${roi.title} »` }).count()).toBe(1);
      expect(await lane.getByRole('button', { name: 'Ajouter un défi' }).count()).toBe(1);

      // Agree: the notice lists, in French, only the challenge no goal addresses.
      expect(await m.lead.request('phase', { phase: 'agree' })).toEqual(OK);
      const notice = phone.getByTestId('unaddressed-challenges');
      await notice.waitFor({ timeout: EXPECT_MS });
      expect(await notice.locator('h3').textContent()).toBe('Défis qu’aucun objectif ne traite');
      expect(await notice.locator('p').textContent()).toBe(
        'Aucun objectif du tableau ne traite encore ceux-ci :',
      );
      expect(await notice.locator('li').allTextContents()).toEqual([roi.title]);
      await axeClean(phone, 'Agree in French on a phone');
      expect(problems.list()).toEqual([]);
    },
  );
});
