/**
 * Check-ins in real Chromium pages (docs/product.md#check-ins): the facilitator starts one on a
 * desktop page in English, a participant on a phone in French records a value, a confidence and a
 * note, and both pages show the goal's chart and caption — live, without reloading.
 */
import { mkdir } from 'node:fs/promises';
import { join as joinPath } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { screenshotDir } from '../helpers/browser';
import { OK } from '../helpers/expect';
import { liveMeeting } from '../helpers/facilitation';
import { useBrowser, useServer } from '../helpers/fixtures';
import { joinAndWait, openPage, type JoinLabels, type PageProblems } from '../helpers/page';
import { GoalWriter } from '../helpers/workshop';
import { axeCleanLightAndDark } from './axe';

const EXPECT_MS = 10_000;
const SHOTS = joinPath(screenshotDir, 'checkins');

const server = useServer();
const chromium = useBrowser();

const open = (locale: 'en-US' | 'fr-FR', phone: boolean): Promise<{ page: Page; problems: PageProblems }> =>
  openPage(chromium, { locale, phone, reducedMotion: true });

const join = (page: Page, url: string, name: string, labels: JoinLabels) =>
  joinAndWait(page, url, name, '#checkins-heading', labels);

const caption = (page: Page) => page.getByTestId('checkin-caption').first().textContent();

describe('check-ins in the browser', () => {
  it(
    '[product#check-ins] a facilitator starts a check-in, a participant on a phone in French records it, both see the chart and its caption',
    { timeout: 120_000 },
    async () => {
      const m = await liveMeeting(server, server.sessions, 1);
      const writer = await GoalWriter.open(server, server.sync, m.board.id, m.facilitator);
      const [goalId] = (await writer.add([
        { title: 'Reply faster', metric: 'Median reply time (h)', baseline: '10 h', target: '3 h' },
      ])) as [string];
      expect(await m.lead.request('agree', { goalId, agreed: true })).toEqual(OK);
      expect(await m.lead.request('phase', { phase: 'wrap-up' })).toEqual(OK);

      const { page: lead, problems: leadProblems } = await open('en-US', false);
      await join(lead, m.board.facilitatorUrl, 'Camille', { name: 'Your name', join: 'Join the board' });
      const { page: phone, problems: phoneProblems } = await open('fr-FR', true);
      await join(phone, m.board.participantUrl, 'Zoé', { name: 'Votre nom', join: 'Rejoindre le tableau' });

      // Before any check-in: the participant waits, no record form is offered.
      await expect
        .poll(() => phone.getByTestId('checkin-open').textContent(), { timeout: EXPECT_MS })
        .toContain('Aucun point d’étape n’est ouvert');
      expect(await phone.getByRole('button', { name: 'Enregistrer' }).count()).toBe(0);
      expect(await caption(lead)).toBe('baseline 10 → nothing recorded yet → target 3');

      // The facilitator starts one.
      await lead.getByLabel('Date of the check-in').fill('2027-01-15');
      await lead.getByLabel('Label (optional)').fill('30 days');
      await lead.getByRole('button', { name: 'Start the check-in' }).click();
      await expect
        .poll(() => lead.getByTestId('checkin-open').textContent(), { timeout: EXPECT_MS })
        .toContain('Check-in of January 15, 2027 (30 days) is open.');
      await expect
        .poll(() => phone.getByTestId('checkin-open').textContent(), { timeout: EXPECT_MS })
        .toContain('Le point d’étape du 15 janvier 2027 (30 days) est ouvert.');

      // The participant records, on the phone, with the keyboard-reachable controls.
      const form = phone.getByRole('form', { name: 'Noter « Reply faster »' });
      await form.getByLabel('Valeur actuelle').fill('6.5');
      await form.getByRole('radio', { name: 'À risque' }).check();
      await form.getByLabel('Note (facultative)').fill('recrutement gelé');
      await form.getByRole('button', { name: 'Enregistrer' }).click();

      // Both pages show the point, its shape and the caption in their own language.
      await expect
        .poll(() => caption(phone), { timeout: EXPECT_MS })
        .toBe('départ 10 → 6,5 le 15 janvier 2027 (À risque) → cible 3');
      await expect
        .poll(() => caption(lead), { timeout: EXPECT_MS })
        .toBe('baseline 10 → 6.5 on January 15, 2027 (At risk) → target 3');
      for (const page of [lead, phone]) {
        const chart = page.getByTestId('checkin-chart').first();
        expect(await chart.locator('svg[role="img"] [data-shape="at-risk"]').count()).toBe(1);
        expect(await chart.locator('svg[role="img"] [data-shape="baseline"]').count()).toBe(1);
        expect(await chart.locator('svg[role="img"] [data-shape="target"]').count()).toBe(1);
      }
      await expect
        .poll(() => lead.getByTestId('checkin-history').textContent(), { timeout: EXPECT_MS })
        .toContain('Reply faster · 6.5 · At risk — recrutement gelé');
      expect(await phone.getByTestId('checkin-history').textContent()).toContain(
        'Reply faster · 6,5 · À risque — recrutement gelé',
      );
      // One check-in at a time: the facilitator closes it before starting the next.
      expect(await lead.getByRole('button', { name: 'Start the check-in' }).count()).toBe(0);

      // For a person to look at: the panel on both pages.
      await mkdir(SHOTS, { recursive: true });
      await phone.locator('section.checkins').screenshot({ path: joinPath(SHOTS, 'phone-fr.png') });
      await lead.locator('section.checkins').screenshot({ path: joinPath(SHOTS, 'desktop-en.png') });

      // The panel fits the phone's width.
      const overflow = await phone.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow).toBeLessThanOrEqual(0);

      // The facilitator closes it: the form goes from the phone.
      await lead.getByRole('button', { name: 'Close the check-in' }).click();
      await expect
        .poll(() => phone.getByRole('button', { name: 'Enregistrer' }).count(), { timeout: EXPECT_MS })
        .toBe(0);
      await lead.getByRole('button', { name: 'Start the check-in' }).waitFor({ timeout: EXPECT_MS });

      await axeCleanLightAndDark(lead, 'facilitator page');
      await axeCleanLightAndDark(phone, 'phone page (fr)');

      // The summary page lists the check-in with what was recorded.
      await lead.goto(`${server.url}/b/${m.board.id}/summary`);
      const section = lead.getByTestId('summary-checkins');
      await section.waitFor({ timeout: EXPECT_MS });
      expect(await section.locator('h3').allTextContents()).toEqual(['January 15, 2027 — 30 days']);
      expect(await section.locator('li').allTextContents()).toEqual([
        'Reply faster: 6.5 · at risk — recrutement gelé',
      ]);
      await axeCleanLightAndDark(lead, 'the summary page');
      expect(leadProblems.list()).toEqual([]);
      expect(phoneProblems.list()).toEqual([]);
    },
  );
});
