/**
 * One kickoff in real Chromium that uses every facilitation feature once (issue #12): a
 * facilitator on a laptop (English), a participant on a laptop (French), a participant on a phone
 * (390×844, touch) and the room's stage view. In a workshop's order: a private, anonymous
 * question and its reveal; themes grouped by drag and drop, named and made a draft goal; a metric
 * added to the glossary; answer rights; ready marks; the focus, followed by every screen and the
 * stage; then the goal's challenge and glossary metric, the open challenge at Agree, and a consent
 * round. Each step asserts on what each screen shows.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useBrowser, useServer } from '../helpers/fixtures';
import { boardIdOf, createBoardFromHome, joinFromLink, openPage, openStagePage } from '../helpers/page';
import { accessibilityViolations } from './axe';
import { inView } from './in-view';

const EXPECT_MS = 10_000;
const FRENCH_JOIN = { name: 'Votre nom', join: 'Rejoindre le tableau' };

const server = useServer();
const chromium = useBrowser();

const lane = (page: Page, n: number) => page.locator('section.lane[data-question-id]').nth(n - 1);
const card = (page: Page, text: string) => page.locator('li.card', { hasText: text });
const cardTexts = (page: Page, n: number) => lane(page, n).locator('li.card .card-text').allTextContents();
const theme = (page: Page) => page.locator('section.theme');
const heading = (page: Page) => page.locator('#section-heading').textContent();
const readyCount = (page: Page) => page.getByTestId('ready-count').textContent();

async function answer(page: Page, label: string, text: string): Promise<void> {
  await page.getByLabel(label).fill(text);
  await page.getByLabel(label).press('Enter');
}

async function axeClean(page: Page, where: string): Promise<void> {
  expect({ where, violations: await accessibilityViolations(page) }).toEqual({ where, violations: [] });
}

/** The facilitator opens a phase's tab and moves everyone there. */
async function moveEveryone(lead: Page, phase: string): Promise<void> {
  await lead.locator('.phase-tab', { hasText: phase }).click();
  await lead.getByRole('button', { name: `Move everyone to ${phase}` }).click();
}

describe('[product#every-screen] a whole kickoff with every facilitation feature', () => {
  it(
    '[product#private-and-anonymous-answers][product#themes][product#metric-glossary][product#challenges][session#answer-rights][session#ready][session#focus][session#consent-rounds][product#the-stage-view] three people and the stage run the kickoff, each feature once',
    { timeout: 90_000 },
    async () => {
      const { page: lead, problems: leadProblems } = await openPage(chromium);
      const url = await createBoardFromHome(lead, server.url, 'Camille');
      const { page: desk, problems: deskProblems } = await openPage(chromium, { locale: 'fr-FR' });
      const { page: phone, problems: phoneProblems } = await openPage(chromium, { phone: true });
      await joinFromLink(desk, url, 'Benoît', FRENCH_JOIN);
      await joinFromLink(phone, url, 'Ana');
      const { page: stage, problems: stageProblems } = await openStagePage(
        chromium,
        server.url,
        boardIdOf(url),
      );
      await expect.poll(() => heading(desk), { timeout: EXPECT_MS }).toBe('Découverte');
      await expect.poll(() => heading(phone), { timeout: EXPECT_MS }).toBe('Discover');
      const people = [lead, desk, phone];

      // 1–2. Question 1 private until the reveal, and anonymous: each writes alone, then all see all, no names.
      const modes = lead.getByRole('group', { name: 'How question 1 takes answers' });
      await modes.getByRole('button', { name: 'Private until reveal' }).click();
      await modes.getByRole('button', { name: 'Anonymous' }).click();
      await expect
        .poll(() => lane(desk, 1).getByTestId('answer-mode').textContent(), { timeout: EXPECT_MS })
        .toContain('Anonyme : les réponses ne portent aucun nom');
      await answer(desk, 'Votre réponse à la question 1', 'Les validations prennent une semaine');
      await answer(phone, 'Your answer to question 1', 'Approvals are slow');
      await answer(phone, 'Your answer to question 1', 'Nobody owns the calendar');
      await expect
        .poll(() => lane(lead, 1).getByTestId('held-count').textContent(), { timeout: EXPECT_MS })
        .toBe('Someone is writing · 3 answers so far');
      await expect
        .poll(() => desk.getByTestId('my-held-answers').textContent(), { timeout: EXPECT_MS })
        .toContain('Les validations prennent une semaine');
      expect(await desk.content()).not.toContain('Approvals are slow');
      expect(await phone.content()).not.toContain('Les validations');
      await axeClean(phone, 'the phone, holding private answers');

      await modes.getByRole('button', { name: 'Reveal the answers to question 1' }).click();
      for (const page of people) {
        await expect.poll(() => cardTexts(page, 1), { timeout: EXPECT_MS }).toHaveLength(3);
        const shown = (await lane(page, 1).innerHTML()) + (await lane(page, 1).textContent());
        for (const name of ['Benoît', 'Ana', 'Camille']) expect(shown).not.toContain(name);
      }
      expect(await lane(desk, 1).locator('li.card .person-label').allTextContents()).toEqual([
        'Anonyme',
        'Anonyme',
        'Anonyme',
      ]);
      await expect
        .poll(() => stage.locator('.stage-main').textContent(), { timeout: EXPECT_MS })
        .toContain('Approvals are slow');
      for (const name of ['Benoît', 'Ana']) {
        expect(await stage.locator('.stage-answers').first().textContent()).not.toContain(name);
      }

      // 3. Themes: the French laptop drags one answer onto another; the phone names the theme; a draft goal.
      await card(desk, 'Approvals are slow').dragTo(card(desk, 'Les validations prennent une semaine'));
      for (const page of people) {
        await expect.poll(() => theme(page).locator('li.card').count(), { timeout: EXPECT_MS }).toBe(2);
      }
      // Grouped, the answers still carry no name, and only their authors may edit them.
      for (const page of people) {
        const shown = (await theme(page).innerHTML()) + (await theme(page).textContent());
        for (const name of ['Benoît', 'Ana', 'Camille']) expect(shown).not.toContain(name);
      }
      expect(await theme(desk).locator('li.card .person-label').allTextContents()).toEqual([
        'Anonyme',
        'Anonyme',
      ]);
      expect(await card(desk, 'Approvals are slow').getByRole('button', { name: 'Modifier' }).count()).toBe(
        0,
      );
      expect(
        await card(phone, 'Approvals are slow').getByRole('button', { name: 'Edit', exact: true }).count(),
      ).toBe(1);
      await theme(phone).getByRole('button', { name: 'Name', exact: true }).tap();
      await phone.getByLabel('Theme name').fill('Slow approvals');
      await theme(phone).getByRole('button', { name: 'Done', exact: true }).tap();
      await expect
        .poll(() => theme(desk).locator('h4').textContent(), { timeout: EXPECT_MS })
        .toBe('Slow approvals');
      // The phone adds the third anonymous answer to it by touch, with "Group with…".
      await card(phone, 'Nobody owns the calendar')
        .getByRole('button', { name: 'Group with… (this answer)' })
        .tap();
      await phone.getByRole('button', { name: 'Into the theme “Slow approvals”' }).tap();
      await expect.poll(() => theme(desk).locator('li.card').count(), { timeout: EXPECT_MS }).toBe(3);
      expect(await theme(lead).locator('li.card .person-label').allTextContents()).toEqual([
        'Anonymous',
        'Anonymous',
        'Anonymous',
      ]);
      await theme(lead).getByRole('button', { name: 'Make a goal' }).click();

      // 5. The metrics question: the French laptop answers, the facilitator turns it into a defined entry.
      await answer(desk, 'Votre réponse à la question 5', 'Délai de validation');
      await lead.getByRole('button', { name: 'Add to glossary: “Délai de validation”' }).click();
      const entry = lead.getByTestId('glossary-panel').locator('li[data-entry-id]', {
        hasText: 'Délai de validation',
      });
      await entry.getByRole('button', { name: 'Edit “Délai de validation”' }).click();
      await entry.getByLabel('Definition').fill('Days from a draft to its approval');
      await entry.getByRole('button', { name: 'Done', exact: true }).click();
      await expect
        .poll(() => entry.textContent(), { timeout: EXPECT_MS })
        .toContain('Days from a draft to its approval');

      // 8. Answer rights: under "own", a participant has no Edit or Delete on someone else's answer.
      await answer(phone, 'Your answer to question 2', 'Ana posts the videos');
      const anas = (page: Page) => card(page, 'Ana posts the videos');
      await anas(desk).waitFor({ timeout: EXPECT_MS });
      expect(await anas(desk).getByRole('button', { name: 'Modifier' }).count()).toBe(1);
      await lead.getByRole('button', { name: 'Own answers only' }).click();
      await expect
        .poll(() => anas(desk).getByRole('button', { name: 'Modifier' }).count(), { timeout: EXPECT_MS })
        .toBe(0);
      expect(await anas(desk).getByRole('button', { name: 'Supprimer' }).count()).toBe(0);
      // Nor on someone else's anonymous answer (the server would refuse it); their own keeps both.
      expect(await card(desk, 'Approvals are slow').getByRole('button', { name: 'Supprimer' }).count()).toBe(
        0,
      );
      const bens = card(desk, 'Les validations prennent une semaine');
      expect(await bens.getByRole('button', { name: 'Supprimer' }).count()).toBe(1);
      expect(await bens.getByRole('button', { name: 'Modifier' }).count()).toBe(1);
      expect(await card(lead, 'Approvals are slow').getByRole('button', { name: 'Delete' }).count()).toBe(1);
      expect(await anas(phone).getByRole('button', { name: 'Edit', exact: true }).count()).toBe(1);
      expect(await anas(lead).getByRole('button', { name: 'Edit', exact: true }).count()).toBe(1);

      // 7. Ready: the two participants say they are done.
      await desk.getByRole('button', { name: 'J’ai fini' }).click();
      await phone.getByRole('button', { name: 'I’m done' }).click();
      await expect.poll(() => readyCount(desk), { timeout: EXPECT_MS }).toBe('2 sur 3 ont fini');
      for (const page of [lead, phone])
        await expect.poll(() => readyCount(page), { timeout: EXPECT_MS }).toBe('2 of 3 done');

      // 7. Focus: the metrics answer, far down the phone's page, is brought into view everywhere and on the stage.
      const metricCard = `li.card[data-card-id="${await card(lead, 'Délai de validation').getAttribute('data-card-id')}"]`;
      await lead
        .locator(metricCard)
        .getByRole('button', { name: 'Focus: bring everyone to this answer' })
        .click();
      for (const page of people) {
        await page.locator(`${metricCard}[data-in-focus]`).waitFor({ timeout: EXPECT_MS });
        await expect.poll(() => inView(page, metricCard), { timeout: EXPECT_MS }).toBe(true);
      }
      await expect
        .poll(() => stage.getByTestId('stage-focus').textContent(), { timeout: EXPECT_MS })
        .toContain('Délai de validation');
      // The phone steps away to the top; "Back to focus" takes it back.
      await phone.evaluate(() => window.scrollTo(0, 0));
      await expect.poll(() => inView(phone, metricCard), { timeout: EXPECT_MS }).toBe(false);
      await phone.getByRole('button', { name: 'Back to focus' }).tap();
      await expect.poll(() => inView(phone, metricCard), { timeout: EXPECT_MS }).toBe(true);
      // The focus moves to an anonymous answer: the stage shows it, still with no name.
      const anonymous = card(lead, 'Approvals are slow');
      await anonymous.getByRole('button', { name: 'Focus: bring everyone to this answer' }).click();
      await card(desk, 'Approvals are slow')
        .and(desk.locator('[data-in-focus]'))
        .waitFor({ timeout: EXPECT_MS });
      await expect
        .poll(() => stage.getByTestId('stage-focus').textContent(), { timeout: EXPECT_MS })
        .toContain('Approvals are slow');
      for (const name of ['Benoît', 'Ana']) {
        expect(await stage.getByTestId('stage-focus').textContent()).not.toContain(name);
      }
      await anonymous.getByRole('button', { name: 'End focus' }).click();
      await stage.getByTestId('stage-focus').waitFor({ state: 'detached', timeout: EXPECT_MS });

      // Goals: the phase change clears the ready marks, everywhere, the stage following.
      await moveEveryone(lead, 'Goals');
      await expect.poll(() => heading(desk), { timeout: EXPECT_MS }).toBe('Objectifs');
      await expect
        .poll(() => stage.getByTestId('stage-phase').textContent(), { timeout: EXPECT_MS })
        .toBe('Goals');
      await expect.poll(() => readyCount(phone), { timeout: EXPECT_MS }).toBe('0 of 3 done');
      expect(await phone.getByRole('button', { name: 'I’m done' }).getAttribute('aria-pressed')).toBe(
        'false',
      );

      // 4–5. The theme's draft goal: a metric typed freely is flagged; ticking a challenge and picking the glossary's metric.
      const goal = (page: Page) => page.locator('article.goal', { hasText: 'Slow approvals' });
      await goal(lead).waitFor({ timeout: EXPECT_MS });
      const goalId = await goal(lead).getAttribute('data-goal-id');
      const editor = lead.locator(`article.goal[data-goal-id="${goalId}"]`);
      await editor.getByRole('button', { name: 'Edit', exact: true }).click();
      await editor.getByLabel('Metric', { exact: true }).fill('Approval time');
      await editor.getByRole('button', { name: 'Done', exact: true }).click();
      await expect
        .poll(() => goal(phone).getByTestId('metric-undefined').textContent(), { timeout: EXPECT_MS })
        .toBe('Incomplete: the metric has no definition');
      await editor.getByRole('button', { name: 'Edit', exact: true }).click();
      await editor.getByLabel('Measuring return on investment (ROI)').check();
      await editor.getByLabel('Metric from the glossary').selectOption({ label: 'Délai de validation' });
      await editor.getByRole('button', { name: 'Done', exact: true }).click();
      await expect
        .poll(() => goal(desk).getByTestId('metric-undefined').count(), { timeout: EXPECT_MS })
        .toBe(0);
      await expect
        .poll(() => goal(phone).textContent(), { timeout: EXPECT_MS })
        .toContain('Measuring return on investment (ROI)');
      await axeClean(lead, 'the facilitator at Goals');

      // Agree: the challenge no goal addresses is pointed out; a consent round before agreeing.
      await moveEveryone(lead, 'Agree');
      await expect
        .poll(() => stage.getByTestId('stage-phase').textContent(), { timeout: EXPECT_MS })
        .toBe('Agree');
      const open = lead.getByTestId('unaddressed-challenges');
      await open.waitFor({ timeout: EXPECT_MS });
      expect(await open.locator('li').allTextContents()).toEqual([
        'Identifying and reaching our target audience',
      ]);
      await lead.getByRole('button', { name: 'Check consent' }).click();
      await desk.getByRole('radio', { name: 'Oui, je peux vivre avec' }).check({ timeout: EXPECT_MS });
      await desk.getByRole('button', { name: 'Envoyer ma réponse' }).click();
      await phone.getByRole('radio', { name: 'Yes, with a concern' }).check({ timeout: EXPECT_MS });
      await phone.getByLabel('Your concern').fill('Legal reviews take time too');
      await axeClean(phone, 'the phone in the consent round');
      await phone.getByRole('button', { name: 'Send my answer' }).tap();
      await expect
        .poll(() => lead.getByTestId('consent-result').textContent(), { timeout: EXPECT_MS })
        .toContain('Consent: 1 yes, 1 with a concern, 0 objections');
      expect(await lead.getByTestId('consent-result').textContent()).toContain('Legal reviews take time too');
      await expect
        .poll(() => desk.getByTestId('consent-result').textContent(), { timeout: EXPECT_MS })
        .toContain('Consentement : 1 oui, 1 avec une réserve, 0 objection');
      await axeClean(desk, 'the French laptop with the consent result');

      // Agreed after the round; the stage ends on it at the wrap-up.
      await lead.getByRole('button', { name: 'Mark as agreed' }).click();
      await lead.getByRole('button', { name: 'Agree anyway' }).click();
      await moveEveryone(lead, 'Wrap-up');
      await expect
        .poll(() => stage.getByTestId('stage-agreed').textContent(), { timeout: EXPECT_MS })
        .toContain('Slow approvals');
      await expect.poll(() => heading(desk), { timeout: EXPECT_MS }).toBe('Conclusion');

      for (const problems of [leadProblems, deskProblems, phoneProblems, stageProblems])
        expect(problems.list()).toEqual([]);
    },
  );
});
