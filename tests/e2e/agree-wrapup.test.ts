/**
 * How the board reads (docs/product.md#how-the-board-reads), in real Chromium pages: ties at Agree,
 * a confirmation before agreeing a goal that is not measurable, hints naming what is missing, the
 * wrap-up as a summary with its JSON on demand, French dates and numbers, namesakes told apart,
 * lanes that show they scroll, and question tools only in the facilitator's edit mode. The rest of
 * the meeting (two participants both called Alex, a third, the votes, the pulse) is played by real
 * socket.io and y-websocket clients.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { addCard, readQuestions, setNextCheckIn } from '../../shared/board';
import { OK } from '../helpers/expect';
import { liveMeeting, type Meeting } from '../helpers/facilitation';
import { useBrowser, useServer } from '../helpers/fixtures';
import { joinFromLink, type JoinLabels, watchPage, type PageProblems } from '../helpers/page';
import { GoalWriter } from '../helpers/workshop';
import { axeCleanLightAndDark } from './axe';

const EXPECT_MS = 10_000;

const server = useServer();
const chromium = useBrowser();

async function open(locale: 'en-US' | 'fr-FR'): Promise<{ page: Page; problems: PageProblems }> {
  const context = await chromium.newContext({
    locale,
    viewport: { width: 1440, height: 900 },
    reducedMotion: 'reduce',
  });
  const page = await context.newPage();
  return { page, problems: watchPage(page) };
}

async function join(page: Page, url: string, name: string, labels?: JoinLabels) {
  await joinFromLink(page, url, name, labels);
  await page.locator('section.lane[data-question-id]').first().waitFor({ timeout: EXPECT_MS });
}

const heading = (page: Page) => page.locator('#section-heading').textContent();

/** Every page shows `title` as its section once the facilitator moved everyone there. */
async function moveEveryone(m: Meeting, phase: string, pages: Array<[Page, string]>): Promise<void> {
  expect(await m.lead.request('phase', { phase })).toEqual(OK);
  for (const [page, title] of pages)
    await expect.poll(() => heading(page), { timeout: EXPECT_MS }).toBe(title);
}

/**
 * A meeting with a facilitator session ("Lead"), two participants called Alex and one called Sam;
 * three goals — complete, without a target, without a metric — and votes that tie the first two
 * (2 each) ahead of the third (1), revealed. Each Alex wrote a card in the first question.
 */
async function scene() {
  const m = await liveMeeting(server, server.sessions, ['Alex', 'Alex', 'Sam']);
  const writer = await GoalWriter.open(server, server.sync, m.board.id, m.facilitator);
  const [complete, noTarget, noMetric] = (await writer.add([
    {
      title: 'Reply faster to messages',
      why: 'Customers who get answers buy again',
      metric: 'Median reply time',
      baseline: '9 h',
      target: '2 h',
      due: '2027-03-31',
      owner: 'Ana',
    },
    { title: 'Grow our audience', metric: 'Followers' },
    { title: 'Know our audience', target: 'Three personas' },
  ])) as [string, string, string];
  for (const [index, text] of ['Written by the first Alex', 'Written by the second Alex'].entries()) {
    const author = m.participants[index];
    if (!author) throw new Error('two Alexes expected');
    const client = await server.sync.syncedProvider(server, m.board.id, { token: author.token });
    const question = readQuestions(client.doc, 'discover')[0];
    if (!question) throw new Error('the template has discovery questions');
    addCard(client.doc, { questionId: question.id, text, authorId: author.participantId });
  }
  const [alex1, alex2, sam] = m.members as [Meeting['lead'], Meeting['lead'], Meeting['lead']];
  expect(await m.lead.request('voting', { open: true })).toEqual(OK);
  for (const [client, goalId] of [
    [alex1, complete],
    [alex1, complete],
    [alex2, noTarget],
    [sam, noTarget],
    [sam, noMetric],
  ] as const) {
    expect(await client.request('vote', { goalId, delta: 1 })).toMatchObject({ ok: true });
  }
  expect(await m.lead.request('voting', { revealed: true })).toEqual(OK);
  return { m, writer, goals: { complete, noTarget, noMetric } };
}

describe('[export#ties] agree and wrap-up that read well', () => {
  it(
    'ties, the confirmation before agreeing, hints, the wrap-up summary, namesakes, the lanes at 1440 px and question tools',
    { timeout: 120_000 },
    async () => {
      const { m, goals } = await scene();
      const { page: lead, problems: leadProblems } = await open('en-US');
      await join(lead, m.board.facilitatorUrl, 'Camille');
      const { page: mate, problems: mateProblems } = await open('en-US');
      await join(mate, m.board.participantUrl, 'Dana');

      // Discover at 1440 px: six lanes do not fit, and the page says so.
      const lanes = (page: Page) => page.locator('section.lane[data-question-id]');
      await expect.poll(() => lanes(lead).count(), { timeout: EXPECT_MS }).toBe(6);
      const sixth = async (page: Page) => (await lanes(page).nth(5).boundingBox()) ?? { x: 0, width: 0 };
      const viewportWidth = 1440;
      const hidden = await sixth(lead);
      expect(hidden.x + hidden.width).toBeGreaterThan(viewportWidth);
      const next = lead.getByRole('button', { name: 'Scroll to the next questions' });
      const previous = lead.getByRole('button', { name: 'Scroll to the previous questions' });
      await next.waitFor({ timeout: EXPECT_MS });
      expect(await previous.isDisabled()).toBe(true);
      expect(await lead.getByTestId('lanes-frame').getAttribute('class')).toContain('more-after');
      // By keyboard: Enter on "next" until the lanes reach their end (the page scrolls without
      // animation here: the context asks for reduced motion, which the page honours).
      const scroller = lead.locator('#lanes');
      const scrolled = () => scroller.evaluate((element) => element.scrollLeft);
      const atEnd = () =>
        scroller.evaluate((element) => element.scrollLeft + element.clientWidth >= element.scrollWidth - 1);
      await next.focus();
      for (let i = 0; i < 5 && !(await atEnd()); i++) {
        const before = await scrolled();
        await lead.keyboard.press('Enter');
        await expect.poll(scrolled, { timeout: EXPECT_MS }).toBeGreaterThan(before);
      }
      expect(await atEnd()).toBe(true);
      await expect.poll(() => next.isDisabled(), { timeout: EXPECT_MS }).toBe(true);
      expect(await previous.isDisabled()).toBe(false);
      await expect
        .poll(async () => {
          const box = await sixth(lead);
          return box.x + box.width <= viewportWidth;
        })
        .toBe(true);
      expect(await lead.getByTestId('lanes-frame').getAttribute('class')).toContain('more-before');

      // Question tools: only in the facilitator's edit mode; never for a participant.
      const tools = (page: Page) => page.getByRole('button', { name: 'Edit question', exact: true });
      expect(await tools(lead).count()).toBe(0);
      await lead.getByRole('button', { name: 'Edit questions', exact: true }).click();
      expect(await tools(lead).count()).toBe(6);
      expect(
        await lead.getByRole('button', { name: 'Edit questions', exact: true }).getAttribute('aria-pressed'),
      ).toBe('true');
      expect(await tools(mate).count()).toBe(0);
      expect(await mate.getByRole('button', { name: 'Edit questions', exact: true }).count()).toBe(0);
      expect(await mate.getByRole('button', { name: 'Delete question' }).count()).toBe(0);

      // Two participants called Alex, told apart on the facilitator's screen: label, colour.
      const card = (text: string) => lead.locator('.card', { hasText: text });
      await card('Written by the second Alex').waitFor({ timeout: EXPECT_MS });
      expect(await card('Written by the first Alex').locator('.person-label').textContent()).toBe('Alex');
      expect(await card('Written by the second Alex').locator('.person-label').textContent()).toBe(
        'Alex · 2',
      );
      const hue = (text: string) => card(text).locator('.person-face').getAttribute('data-hue');
      expect(await hue('Written by the first Alex')).not.toBe(await hue('Written by the second Alex'));
      await lead.locator('.presence summary').click();
      const listed = await lead.locator('.people .person-label').allTextContents();
      expect(listed).toEqual(expect.arrayContaining(['Alex', 'Alex · 2', 'Sam', 'Camille', 'Dana']));
      await lead.locator('.presence summary').click();

      // Prioritise, tallies revealed: the tied goals share their place there too.
      await moveEveryone(m, 'prioritise', [
        [lead, 'Prioritise'],
        [mate, 'Prioritise'],
      ]);
      const voteRow = (title: string) => mate.locator('.vote-item', { hasText: title });
      await expect
        .poll(() => voteRow('Grow our audience').getByTestId('tied').textContent(), { timeout: EXPECT_MS })
        .toBe('tied');
      expect(await voteRow('Reply faster to messages').getByTestId('tied').count()).toBe(1);
      expect(await voteRow('Know our audience').getByTestId('tied').count()).toBe(0);
      expect(await voteRow('Know our audience').getByTestId('tally').textContent()).toContain('#3');

      // Goals: each hint names only what its goal lacks.
      await moveEveryone(m, 'goals', [
        [lead, 'Goals'],
        [mate, 'Goals'],
      ]);
      const goalCard = (page: Page, title: string) => page.locator('article.goal', { hasText: title });
      expect(await goalCard(lead, 'Reply faster to messages').locator('.goal-hint').count()).toBe(0);
      expect(await goalCard(lead, 'Grow our audience').locator('.goal-hint').textContent()).toBe(
        'Add a target to make it measurable.',
      );
      expect(await goalCard(lead, 'Know our audience').locator('.goal-hint').textContent()).toBe(
        'Add a metric to make it measurable.',
      );
      expect(await goalCard(lead, 'Reply faster to messages').locator('time').textContent()).toBe(
        'March 31, 2027',
      );

      // Agree: the two goals with 2 votes share the first place, marked tied; the third is third.
      await moveEveryone(m, 'agree', [
        [lead, 'Agree'],
        [mate, 'Agree'],
      ]);
      const row = (page: Page, title: string) => page.locator('li.ranked', { hasText: title });
      for (const page of [lead, mate]) {
        for (const title of ['Reply faster to messages', 'Grow our audience']) {
          await expect
            .poll(() => row(page, title).getByTestId('tied').textContent(), { timeout: EXPECT_MS })
            .toBe('tied');
          expect(await row(page, title).getByTestId('rank').textContent()).toContain('#1');
        }
        expect(await row(page, 'Know our audience').getByTestId('tied').count()).toBe(0);
        expect(await row(page, 'Know our audience').getByTestId('rank').textContent()).toContain('#3');
      }

      // Agreeing a goal without a target asks first; "Not yet" leaves it, "Agree anyway" agrees it.
      const noTarget = row(lead, 'Grow our audience');
      await noTarget.getByRole('button', { name: 'Mark as agreed' }).click();
      const confirmation = noTarget.getByTestId('confirm-agree');
      expect(await confirmation.textContent()).toContain('“Grow our audience” has no target yet');
      expect(await lead.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Agree anyway');
      await axeCleanLightAndDark(lead, 'Agree, with a confirmation');
      await confirmation.getByRole('button', { name: 'Not yet' }).click();
      expect(await confirmation.count()).toBe(0);
      expect(
        await noTarget.getByRole('button', { name: 'Mark as agreed' }).getAttribute('aria-pressed'),
      ).toBe('false');
      await noTarget.getByRole('button', { name: 'Mark as agreed' }).click();
      await confirmation.getByRole('button', { name: 'Agree anyway' }).click();
      await expect
        .poll(() => row(mate, 'Grow our audience').getAttribute('class'), { timeout: EXPECT_MS })
        .toContain('agreed');
      // A complete goal is agreed at once.
      await row(lead, 'Reply faster to messages').getByRole('button', { name: 'Mark as agreed' }).click();
      expect(await row(lead, 'Reply faster to messages').getByTestId('confirm-agree').count()).toBe(0);
      await expect
        .poll(() => mate.getByTestId('agree-summary').textContent(), { timeout: EXPECT_MS })
        .toBe('2 of 3 goals agreed');
      await axeCleanLightAndDark(lead, 'Agree');

      // Wrap-up: a summary to read, no ids; the JSON only once asked for.
      await moveEveryone(m, 'wrap-up', [
        [lead, 'Wrap-up'],
        [mate, 'Wrap-up'],
      ]);
      for (const page of [lead, mate]) {
        await expect.poll(() => page.locator('.agreed-list > li').count(), { timeout: EXPECT_MS }).toBe(2);
        const summary = (await page.locator('.agreed-list').textContent()) ?? '';
        for (const expected of [
          'Reply faster to messages',
          'Customers who get answers buy again',
          'Median reply time',
          '9 h → 2 h',
          'March 31, 2027',
          'Ana',
          '2 votes',
          'Grow our audience',
          'Followers',
        ]) {
          expect(summary).toContain(expected);
        }
        const main = (await page.locator('main').textContent()) ?? '';
        for (const id of Object.values(goals)) expect(main).not.toContain(id);
        expect(await page.locator('.export-preview').count()).toBe(0);
      }
      await axeCleanLightAndDark(mate, 'Wrap-up');
      const toggle = lead.getByRole('button', { name: 'Show JSON' });
      expect(await toggle.getAttribute('aria-expanded')).toBe('false');
      await toggle.click();
      await expect
        .poll(() => lead.locator('.export-preview').textContent(), { timeout: EXPECT_MS })
        .toContain(goals.complete);
      expect(await lead.getByRole('button', { name: 'Hide JSON' }).getAttribute('aria-expanded')).toBe(
        'true',
      );
      expect(await lead.getByRole('button', { name: 'Download JSON' }).isVisible()).toBe(true);
      expect(await lead.getByRole('button', { name: 'Copy JSON' }).isVisible()).toBe(true);
      await axeCleanLightAndDark(lead, 'Wrap-up, JSON shown');

      for (const problems of [leadProblems, mateProblems]) expect(problems.list()).toEqual([]);
    },
  );

  it(
    '[export#summary] in a French browser: "ex aequo", a due date in words, the pulse average with a decimal comma; the summary page shows the pulse and what would help only while the results are shown',
    { timeout: 90_000 },
    async () => {
      const { m, writer, goals } = await scene();
      const { page, problems } = await open('fr-FR');
      await join(page, m.board.participantUrl, 'Zoé', { name: 'Votre nom', join: 'Rejoindre le tableau' });
      // Participants never see the question tools, in French either.
      expect(await page.getByRole('button', { name: 'Modifier les questions' }).count()).toBe(0);

      await moveEveryone(m, 'goals', [[page, 'Objectifs']]);
      const goalCard = page.locator('article.goal', { hasText: 'Reply faster to messages' });
      expect(await goalCard.locator('time').textContent()).toBe('31 mars 2027');
      expect(
        await page
          .locator('article.goal', { hasText: 'Grow our audience' })
          .locator('.goal-hint')
          .textContent(),
      ).toBe('Ajoutez une cible pour le rendre mesurable.');

      await moveEveryone(m, 'agree', [[page, 'Accord']]);
      const tied = page.locator('li.ranked', { hasText: 'Grow our audience' }).getByTestId('tied');
      await expect.poll(() => tied.textContent(), { timeout: EXPECT_MS }).toBe('ex aequo');

      // Agreed, then the wrap-up: the pulse opens; three answers (3, 3, 2) average 2.7.
      expect(await m.lead.request('agree', { goalId: goals.complete, agreed: true })).toEqual(OK);
      await moveEveryone(m, 'wrap-up', [[page, 'Conclusion']]);
      await expect
        .poll(() => page.locator('.agreed-list time').first().textContent(), { timeout: EXPECT_MS })
        .toBe('31 mars 2027');
      setNextCheckIn(writer.client.doc, '2027-01-15');
      await expect
        .poll(() => page.locator('.check-in').textContent(), { timeout: EXPECT_MS })
        .toContain('15 janvier 2027');
      const helps = ['', 'Moins de réunions', ''];
      for (const [index, score] of [3, 3, 2].entries()) {
        expect(await m.members[index]?.request('pulse', { score, help: helps[index] })).toEqual(OK);
      }
      expect(await m.lead.request('pulseResults', { shown: true })).toEqual(OK);
      await expect
        .poll(() => page.getByTestId('pulse-results').textContent(), { timeout: EXPECT_MS })
        .toContain('moyenne 2,7 / 5');

      // The summary page (in the board's language, English): the pulse and what would help while
      // shown, neither once hidden again.
      await page.goto(`${server.url}/b/${m.board.id}/summary`);
      const pulse = page.getByTestId('summary-pulse');
      await pulse.waitFor({ timeout: EXPECT_MS });
      expect(await pulse.textContent()).toContain('Average 2.7 / 5 from 3 answers');
      expect(await pulse.locator('h3').textContent()).toBe('What would help');
      expect(await page.getByTestId('summary-pulse-helps').locator('li').allTextContents()).toEqual([
        'Moins de réunions',
      ]);
      expect(await m.lead.request('pulseResults', { shown: false })).toEqual(OK);
      await pulse.waitFor({ state: 'detached', timeout: EXPECT_MS });
      expect(await page.getByText('Moins de réunions').count()).toBe(0);
      expect(problems.list()).toEqual([]);
    },
  );
});
