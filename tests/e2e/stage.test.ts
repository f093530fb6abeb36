/**
 * The stage view (`/b/<id>/stage`) on a room's shared screen, in real Chromium: it follows the
 * facilitator's phase, shows answers as they arrive and the vote's progress but never a tally
 * before the reveal, ends on the agreed goals, and adds nobody to the meeting
 * (docs/session.md#stage-connections). Screenshots go to test-results/room/ (not committed).
 */
import { mkdirSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { lanAddresses } from '../../server/http/routes/network';
import { addCard, addCommitment, setNextCheckIn } from '../../shared/board';
import { firstQuestion } from '../helpers/expect';
import { screenshotDir } from '../helpers/browser';
import { useBrowser, useServer } from '../helpers/fixtures';
import { openStagePage, type PageProblems } from '../helpers/page';
import { liveMeeting, member as memberOf, participant } from '../helpers/facilitation';
import { GoalWriter, workshop } from '../helpers/workshop';
import { accessibilityViolations, axeCleanLightAndDark } from './axe';

const EXPECT_MS = 10_000;
const SHOTS = join(screenshotDir, 'room');
mkdirSync(SHOTS, { recursive: true });

const server = useServer();
const chromium = useBrowser();

const openStage = (
  boardId: string,
  viewport: { width: number; height: number },
  colorScheme: 'light' | 'dark' = 'light',
  locale = 'en-US',
): Promise<{ page: Page; problems: PageProblems }> =>
  openStagePage(chromium, server.url, boardId, viewport, colorScheme, locale);

const phaseShown = (page: Page) => page.getByTestId('stage-phase').textContent();
const mainText = async (page: Page) => (await page.locator('.stage-main').textContent()) ?? '';

describe('the stage view', () => {
  it(
    '[session#stage-connections] follows the phase, shows answers live and the vote’s progress, never a tally before the reveal, then the agreed goals; adds nobody',
    { timeout: 90_000 },
    async () => {
      const m = await liveMeeting(server, server.sessions, 1);
      const { board, lead } = m;
      const member = participant(m, 0);
      const voter = memberOf(m, 0);
      const people = (await lead.waitForSession((view) => view.participants.every((p) => p.online)))
        .participants;

      const { page, problems } = await openStage(board.id, { width: 1920, height: 1080 });
      expect(await phaseShown(page)).toBe('Discover');
      await page.getByTestId('stage-qr').waitFor({ timeout: EXPECT_MS });
      expect(await page.getByTestId('stage-link').textContent()).toBe(board.participantUrl);
      // No controls: nothing on the stage to press or fill in.
      expect(await page.locator('.stage button, .stage input, .stage textarea, .stage select').count()).toBe(
        0,
      );

      // An answer written by a teammate arrives on the stage as it is written.
      const writer = await GoalWriter.open(server, server.sync, board.id, member);
      addCard(writer.client.doc, {
        questionId: firstQuestion(writer.client),
        text: 'Marketing leads in mid-size companies',
        authorId: member.participantId,
      });
      await page
        .locator('.stage-answer', { hasText: 'Marketing leads in mid-size companies' })
        .waitFor({ timeout: EXPECT_MS });
      expect(await page.locator('.stage-answer', { hasText: 'Marketing leads' }).textContent()).toContain(
        'Member 1',
      );
      await page.screenshot({ path: join(SHOTS, 'stage-1920x1080-discover.png') });

      // Voting: the progress, and no tally until the facilitator reveals them.
      const [grow, leads] = (await writer.add([
        { title: 'Grow our audience' },
        { title: 'More qualified leads' },
      ])) as [string, string];
      expect((await lead.request('phase', { phase: 'prioritise' })).ok).toBe(true);
      await expect.poll(() => phaseShown(page), { timeout: EXPECT_MS }).toBe('Prioritise');
      expect((await lead.request('voting', { open: true })).ok).toBe(true);
      for (const goalId of [grow, grow, leads])
        expect((await voter.request('vote', { goalId, delta: 1 })).ok).toBe(true);
      await expect
        .poll(() => page.getByTestId('stage-progress').textContent(), { timeout: EXPECT_MS })
        .toMatch(/1\s*person has voted\s*3\s*votes cast/);
      const beforeReveal = await mainText(page);
      expect(beforeReveal).toContain('The results stay hidden');
      expect(beforeReveal).not.toContain('Grow our audience');
      // Besides the count of votes cast, no number of votes anywhere (a tally would read "2 votes").
      expect(beforeReveal.replace(/\d+\s*votes? cast/, '')).not.toMatch(/\d+\s*votes?\b/);
      expect(await page.getByTestId('stage-results').count()).toBe(0);
      expect(await page.locator('.stage meter').count()).toBe(0);
      await page.screenshot({ path: join(SHOTS, 'stage-1920x1080-voting-hidden.png') });
      expect((await lead.request('voting', { revealed: true })).ok).toBe(true);
      await page.getByTestId('stage-results').waitFor({ timeout: EXPECT_MS });
      const results = (await page.getByTestId('stage-results').textContent()) ?? '';
      expect(results.indexOf('Grow our audience')).toBeLessThan(results.indexOf('More qualified leads'));
      expect(results).toContain('2 votes');
      await page.screenshot({ path: join(SHOTS, 'stage-1920x1080-voting-revealed.png') });

      // The end: the agreed goals, with what makes them measurable.
      await writer.update(
        grow,
        { metric: 'Followers', target: '10,000', owner: 'Ana' },
        async () => (await page.locator('.stage').textContent())?.includes('Grow our audience') ?? false,
      );
      expect((await lead.request('agree', { goalId: grow, agreed: true })).ok).toBe(true);
      expect((await lead.request('phase', { phase: 'wrap-up' })).ok).toBe(true);
      await expect.poll(() => phaseShown(page), { timeout: EXPECT_MS }).toBe('Wrap-up');
      const agreed = page.getByTestId('stage-agreed');
      await expect.poll(() => agreed.textContent(), { timeout: EXPECT_MS }).toContain('Grow our audience');
      expect(await agreed.textContent()).toContain('10,000');
      expect(await agreed.textContent()).not.toContain('More qualified leads');
      await page.screenshot({ path: join(SHOTS, 'stage-1920x1080-wrap-up.png') });

      // Nobody was added: the people list is the one before the stage opened.
      const after = await lead.waitForSession((view) => view.phase === 'wrap-up');
      expect(after.participants).toEqual(people);
      expect(await page.locator('.stage-online').textContent()).toBe('2 people here');
      expect(problems.list()).toEqual([]);
    },
  );

  it(
    '[product#the-stage-view][session#stage-connections] at Agree follows a consent round (never an answer before the close) and the revealed ranking; at Wrap-up shows five agreed goals with their facts and the commitments on one screen',
    { timeout: 120_000 },
    async () => {
      const { board, facilitator, participants } = await workshop(server, 2);
      const [first, second] = participants;
      if (!first || !second) throw new Error('two participants expected');
      const lead = await server.sessions.connect(server, { boardId: board.id, token: facilitator.token });
      const ana = await server.sessions.connect(server, { boardId: board.id, token: first.token });
      const ben = await server.sessions.connect(server, { boardId: board.id, token: second.token });
      await lead.waitForSession((view) => view.participants.filter((p) => p.online).length === 3);
      const writer = await GoalWriter.open(server, server.sync, board.id, facilitator);
      const goals = await writer.add([
        {
          title: 'Grow our audience',
          metric: 'Followers',
          baseline: '1,000',
          target: '10,000',
          due: '2027-06-30',
          owner: 'Ana',
        },
        { title: 'Faster approvals', metric: 'Days to approve', target: '2 days', owner: 'Ben' },
        { title: 'Two videos a week', metric: 'Videos', baseline: '0', target: '8 a month', owner: 'Chloé' },
        { title: 'A shared calendar', metric: 'Posts planned ahead', baseline: '20%', target: '80%' },
        { title: 'Answer every comment', metric: 'Replies within a day', baseline: '40%', target: '90%' },
      ]);
      const [grow, faster] = goals as [string, string];
      expect((await lead.request('phase', { phase: 'agree' })).ok).toBe(true);
      const { page, problems } = await openStage(board.id, { width: 1920, height: 1080 });
      await expect.poll(() => phaseShown(page), { timeout: EXPECT_MS }).toBe('Agree');
      const ranking = page.getByTestId('stage-ranking');
      await expect
        .poll(() => ranking.textContent(), { timeout: EXPECT_MS })
        .toContain('Answer every comment');
      expect(await mainText(page)).toContain('The votes stay hidden');
      expect(await ranking.textContent()).not.toMatch(/\d+\s*votes?\b/);

      // The votes, hidden, then revealed: places and totals in their order.
      expect((await lead.request('voting', { open: true })).ok).toBe(true);
      for (const [voter, goalId] of [
        [ana, faster],
        [ana, faster],
        [ben, faster],
        [ben, grow],
      ] as const)
        expect((await voter.request('vote', { goalId, delta: 1 })).ok).toBe(true);
      await lead.waitForSession((view) => view.voting.votesCast === 4);
      expect(await ranking.textContent()).not.toMatch(/\d+\s*votes?\b/);
      expect((await lead.request('voting', { revealed: true })).ok).toBe(true);
      await expect.poll(() => ranking.textContent(), { timeout: EXPECT_MS }).toContain('3 votes');
      const rows = ranking.locator('li');
      expect(await rows.nth(0).textContent()).toMatch(/^\s*1\b[\s\S]*Faster approvals[\s\S]*3 votes/);
      expect(await rows.nth(1).textContent()).toMatch(/^\s*2\b[\s\S]*Grow our audience[\s\S]*1 vote\b/);
      expect(await rows.nth(2).textContent()).toMatch(/^\s*3\b[\s\S]*tied[\s\S]*0 votes/);
      expect(await page.locator('.stage-main h2').first().textContent()).toBe('The ranking');

      // A named consent round: how many answered, never what, until the close.
      const started = (await lead.request('consent', { action: 'start', goalId: faster, named: true })) as {
        ok: boolean;
        roundId?: string;
      };
      expect(started.ok).toBe(true);
      const roundId = started.roundId as string;
      const round = page.getByTestId('stage-consent-round');
      await expect
        .poll(() => round.textContent(), { timeout: EXPECT_MS })
        .toContain('Can you live with “Faster approvals”?');
      const count = page.getByTestId('stage-consent-count');
      await expect.poll(() => count.textContent(), { timeout: EXPECT_MS }).toMatch(/^\s*0 of 2 answered\s*$/);
      expect(
        (await ana.request('consentAnswer', { roundId, answer: 'objection', text: 'Legal needs a week' })).ok,
      ).toBe(true);
      await expect.poll(() => count.textContent(), { timeout: EXPECT_MS }).toMatch(/^\s*1 of 2 answered\s*$/);
      expect(await page.locator('.stage').textContent()).not.toContain('Legal needs a week');
      expect(await page.getByTestId('stage-consent-result').count()).toBe(0);
      await axeCleanLightAndDark(page, 'the stage during a consent round');
      await page.emulateMedia({ colorScheme: 'light' });
      await page.screenshot({ path: join(SHOTS, 'stage-1920x1080-agree-round.png') });
      // The last participant's answer closes the round (docs/session.md#consent-rounds).
      expect((await ben.request('consentAnswer', { roundId, answer: 'yes' })).ok).toBe(true);
      const result = page.getByTestId('stage-consent-result');
      await expect.poll(() => result.textContent(), { timeout: EXPECT_MS }).toContain('Legal needs a week');
      expect(await result.textContent()).toMatch(/Objection \(Member 1\):\s*Legal needs a week/);
      expect(await result.textContent()).toContain('1 yes');
      expect(await round.count()).toBe(0);
      await page.screenshot({ path: join(SHOTS, 'stage-1920x1080-agree-result.png') });

      // Wrap-up: the five agreed goals, their facts, the commitments and the next check-in.
      for (const goalId of goals)
        expect((await lead.request('agree', { goalId, agreed: true })).ok).toBe(true);
      addCommitment(writer.client.doc, { text: 'Protect two hours a week for video', owner: 'Dana' });
      addCommitment(writer.client.doc, { text: 'Sign off posts within a day', owner: 'Dana' });
      addCommitment(writer.client.doc, { text: 'Share the numbers every month' });
      setNextCheckIn(writer.client.doc, '2027-03-15');
      expect((await lead.request('phase', { phase: 'wrap-up' })).ok).toBe(true);
      const agreed = page.getByTestId('stage-agreed');
      await expect.poll(() => agreed.locator('li').count(), { timeout: EXPECT_MS }).toBe(5);
      await expect
        .poll(() => page.getByTestId('stage-commitments').textContent(), { timeout: EXPECT_MS })
        .toContain('Share the numbers every month');
      const goalRows = agreed.locator('li');
      const top = (await goalRows.nth(0).textContent()) ?? '';
      expect(top).toMatch(/^\s*1\b[\s\S]*Faster approvals[\s\S]*3 votes/);
      expect(top).toContain('Days to approve');
      expect(top).toContain('not set → 2 days');
      expect(top).toContain('Ben');
      const second2 = (await goalRows.nth(1).textContent()) ?? '';
      expect(second2).toContain('Grow our audience');
      expect(second2).toContain('1,000 → 10,000');
      expect(second2).toContain('June 30, 2027');
      expect(await page.getByTestId('stage-commitments').textContent()).toContain(
        'Protect two hours a week for video — Dana',
      );
      expect(await mainText(page)).toContain('Next check-in: March 15, 2027');
      await page.screenshot({ path: join(SHOTS, 'stage-1920x1080-wrap-up-full.png') });

      // Read on one screen, from a projector too, light and dark (once the page has settled: the
      // connection's notice and late parts may stand for a moment).
      const fitsOneScreen = (stage: Page) =>
        stage.evaluate(() => {
          const root = document.documentElement;
          return root.scrollHeight <= window.innerHeight && root.scrollWidth <= window.innerWidth;
        });
      expect(await fitsOneScreen(page)).toBe(true);
      const small = await openStage(board.id, { width: 1280, height: 720 });
      await expect
        .poll(() => small.page.getByTestId('stage-commitments').textContent(), { timeout: EXPECT_MS })
        .toContain('Share the numbers every month');
      expect(await small.page.getByTestId('stage-agreed').locator('li').count()).toBe(5);
      await expect.poll(() => fitsOneScreen(small.page), { timeout: EXPECT_MS }).toBe(true);
      await axeCleanLightAndDark(small.page, 'the stage at wrap-up, 1280×720', async (scheme) => {
        await small.page.screenshot({ path: join(SHOTS, `stage-1280x720-wrap-up-${scheme}.png`) });
      });
      await axeCleanLightAndDark(page, 'the stage at wrap-up, 1920×1080');

      // In French: the same screen, its words and dates written the French way.
      const french = await openStage(board.id, { width: 1280, height: 720 }, 'light', 'fr-FR');
      const frenchAgreed = french.page.getByTestId('stage-agreed');
      await expect.poll(() => frenchAgreed.locator('li').count(), { timeout: EXPECT_MS }).toBe(5);
      const frenchText = await mainText(french.page);
      for (const expected of [
        'Nos objectifs retenus',
        'Point de départ → cible\u00a0: non renseigné → 2 days',
        'Échéance\u00a0: 30 juin 2027',
        '3 points',
        'Les engagements du leader',
        'Prochain point\u00a0: 15 mars 2027',
      ])
        expect(frenchText).toContain(expected);
      await expect.poll(() => fitsOneScreen(french.page), { timeout: EXPECT_MS }).toBe(true);
      expect(problems.list()).toEqual([]);
      expect(small.problems.list()).toEqual([]);
      expect(french.problems.list()).toEqual([]);
    },
  );

  it('[product#the-stage-view] is opened from the share dialog', { timeout: 60_000 }, async () => {
    const context = await chromium.newContext({ locale: 'en-US', viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(server.url);
    await page.getByLabel('Your name').fill('Camille');
    await page.getByRole('button', { name: 'Create the board' }).click();
    await page.waitForURL(/\/b\//);
    const link = page.getByRole('dialog').getByRole('link', { name: 'Open the stage view' });
    const [stage] = await Promise.all([context.waitForEvent('page'), link.click()]);
    await stage.waitForURL(/\/b\/[A-Za-z0-9_-]+\/stage$/);
    await stage.getByTestId('stage-phase').waitFor({ timeout: EXPECT_MS });
    expect(await stage.getByTestId('stage-phase').textContent()).toBe('Discover');
  });

  for (const viewport of [
    { width: 1920, height: 1080 },
    { width: 1280, height: 720 },
  ]) {
    for (const colorScheme of ['light', 'dark'] as const) {
      it(
        `[product#the-stage-view] fits ${viewport.width}×${viewport.height} with no axe-core violations (${colorScheme})`,
        { timeout: 60_000 },
        async () => {
          const { board, facilitator } = await workshop(server, 0);
          const lead = await server.sessions.connect(server, { boardId: board.id, token: facilitator.token });
          const writer = await GoalWriter.open(server, server.sync, board.id, facilitator);
          for (const text of ['Heads of marketing', 'Founders of agencies', 'Community managers']) {
            addCard(writer.client.doc, {
              questionId: firstQuestion(writer.client),
              text,
              authorId: facilitator.participantId,
            });
          }
          expect((await lead.request('timer', { action: 'start', durationMs: 5 * 60_000 })).ok).toBe(true);
          const { page } = await openStage(board.id, viewport, colorScheme);
          await page
            .locator('.stage-answer', { hasText: 'Community managers' })
            .waitFor({ timeout: EXPECT_MS });
          await page.getByTestId('stage-timer').waitFor({ timeout: EXPECT_MS });
          await page.getByTestId('stage-qr').waitFor({ timeout: EXPECT_MS });
          expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(
            true,
          );
          // The QR code and the phase are on the first screen, without scrolling.
          for (const part of [page.getByTestId('stage-qr'), page.getByTestId('stage-phase')]) {
            const found = await part.boundingBox();
            expect(found && found.y + found.height <= viewport.height).toBe(true);
          }
          expect(await accessibilityViolations(page)).toEqual([]);
          await page.screenshot({
            path: join(SHOTS, `stage-${viewport.width}x${viewport.height}-${colorScheme}.png`),
          });
        },
      );
    }
  }
});

describe('sharing on the LAN', () => {
  // HOST=0.0.0.0, the default: teammates on the network reach this server at the machine's addresses.
  const lanServer = useServer({ env: { HOST: '0.0.0.0' } });
  const lanAddress = lanAddresses(networkInterfaces(), '0.0.0.0')[0];

  it.skipIf(lanAddress === undefined)(
    '[http#network-addresses] a board opened on localhost shares its LAN address, as the link, the QR code and on the stage',
    { timeout: 60_000 },
    async () => {
      const port = lanServer.running.port;
      const context = await chromium.newContext({ locale: 'en-US', viewport: { width: 1280, height: 800 } });
      const page = await context.newPage();
      await page.goto(`http://localhost:${port}`);
      await page.getByLabel('Your name').fill('Camille');
      await page.getByRole('button', { name: 'Create the board' }).click();
      await page.waitForURL(/\/b\//);
      const dialog = page.getByRole('dialog', { name: 'Invite your team' });
      await dialog.getByTestId('lan-note').waitFor({ timeout: EXPECT_MS });
      expect(await dialog.getByTestId('localhost-warning').count()).toBe(0);
      const boardPath = new URL(page.url()).pathname;
      const lanLink = `http://${lanAddress}:${port}${boardPath}`;
      await expect
        .poll(() => dialog.getByLabel('Participant link').inputValue(), { timeout: EXPECT_MS })
        .toBe(lanLink);
      expect(await dialog.getByLabel('Facilitator link').inputValue()).toMatch(
        new RegExp(`^http://${lanAddress?.replace(/\./g, '\\.')}:${port}${boardPath}#key=`),
      );
      await dialog.getByTestId('share-qr').waitFor({ timeout: EXPECT_MS });
      await page.screenshot({ path: join(SHOTS, 'share-dialog-lan.png') });

      const stage = await context.newPage();
      await stage.goto(`http://localhost:${port}${boardPath}/stage`);
      await expect
        .poll(() => stage.getByTestId('stage-link').textContent(), { timeout: EXPECT_MS })
        .toBe(lanLink);
    },
  );
});
