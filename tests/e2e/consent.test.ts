/**
 * A consent round in real Chromium (docs/session.md#consent-rounds): the facilitator on a laptop
 * checks consent on a goal, naming who raises what; a participant on a phone (390×844) answers
 * with an objection and its reason; the round closes with the last answer and both screens show
 * the result next to the goal.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Ack } from '../../shared/session/events';
import { OK } from '../helpers/expect';
import { liveMeeting } from '../helpers/facilitation';
import { useBrowser, useServer } from '../helpers/fixtures';
import { joinFromLink, openPage, type PageProblems } from '../helpers/page';
import { GoalWriter } from '../helpers/workshop';
import { axeCleanLightAndDark } from './axe';

const EXPECT_MS = 10_000;

const server = useServer();
const chromium = useBrowser();

const open = (phone: boolean, locale = 'en-US'): Promise<{ page: Page; problems: PageProblems }> =>
  openPage(chromium, { phone, locale, reducedMotion: true });

describe('consent rounds, live', () => {
  it(
    '[session#consent-rounds] the facilitator checks consent, a participant on a phone objects with a reason, and both see the result by the goal',
    { timeout: 120_000 },
    async () => {
      const m = await liveMeeting(server, server.sessions, []);
      const writer = await GoalWriter.open(server, server.sync, m.board.id, m.facilitator);
      await writer.add([{ title: 'Reply faster to messages', metric: 'Median reply time', target: '2 h' }]);
      const { page: lead, problems: leadProblems } = await open(false);
      await joinFromLink(lead, m.board.facilitatorUrl, 'Camille');
      const { page: phone, problems: phoneProblems } = await open(true);
      await joinFromLink(phone, m.board.participantUrl, 'Dana');
      expect(await m.lead.request('phase', { phase: 'agree' })).toEqual(OK);

      const check = lead.getByRole('button', { name: 'Check consent' });
      await check.waitFor({ timeout: EXPECT_MS });
      await lead.getByLabel('Show names with concerns and objections').check();
      await check.click();

      // The phone: the question, how many answered, three big choices.
      const yes = phone.getByRole('radio', { name: 'Yes, I can live with it' });
      await yes.waitFor({ timeout: EXPECT_MS });
      await expect
        .poll(() => lead.getByTestId('consent-count').textContent(), { timeout: EXPECT_MS })
        .toBe('0 of 1 answered');
      expect(await phone.getByTestId('consent-count').textContent()).toBe('0 of 1 answered');
      const objection = phone.getByRole('radio', { name: 'I object' });
      const box = await objection.locator('xpath=..').boundingBox();
      expect(box?.height ?? 0).toBeGreaterThanOrEqual(44);
      await objection.check();
      const send = phone.getByRole('button', { name: 'Send my answer' });
      // An objection needs its reason: sending waits for it.
      expect(await send.isDisabled()).toBe(true);
      await axeCleanLightAndDark(phone, 'the consent round on a phone');
      await phone.getByLabel('Your reason').fill('Nobody owns the inbox yet');
      await send.click();

      // The only participant online answered: the round closes, and both see the result.
      for (const page of [lead, phone]) {
        const result = page.getByTestId('consent-result');
        await expect
          .poll(() => result.textContent(), { timeout: EXPECT_MS })
          .toContain('Consent: 0 yes, 0 with a concern, 1 objection');
        expect(await result.textContent()).toContain('Objection (Dana): Nobody owns the inbox yet');
      }
      expect(await phone.getByRole('radio').count()).toBe(0);
      await axeCleanLightAndDark(phone, 'the consent result on a phone');
      await axeCleanLightAndDark(lead, 'the consent result for the facilitator');
      expect(leadProblems.list()).toEqual([]);
      expect(phoneProblems.list()).toEqual([]);
    },
  );

  it(
    '[session#consent-rounds] a French participant on a phone answers the round and reads its result in French',
    { timeout: 120_000 },
    async () => {
      const m = await liveMeeting(server, server.sessions, ['Bea']);
      const writer = await GoalWriter.open(server, server.sync, m.board.id, m.facilitator);
      const [goalId] = (await writer.add([{ title: 'Répondre plus vite' }])) as [string];
      const { page: phone, problems } = await open(true, 'fr-FR');
      await joinFromLink(phone, m.board.participantUrl, 'Dana', {
        name: 'Votre nom',
        join: 'Rejoindre le tableau',
      });
      expect(await m.lead.request('phase', { phase: 'agree' })).toEqual(OK);
      const started = (await m.lead.request('consent', { action: 'start', goalId, named: false })) as Ack<{
        roundId: string;
      }>;
      if (!started.ok) throw new Error(started.error.code);
      const { roundId } = started;

      // The round, in French: the question, the count, the choices.
      const round = phone.getByRole('group', { name: 'Pouvez-vous vivre avec « Répondre plus vite » ?' });
      await round.waitFor({ timeout: EXPECT_MS });
      await expect
        .poll(() => phone.getByTestId('consent-count').textContent(), { timeout: EXPECT_MS })
        .toBe('0 sur 2 ont répondu');
      expect(await round.textContent()).toContain('Les réserves et objections sont anonymes.');
      await phone.getByRole('radio', { name: 'Oui, avec une réserve' }).check();
      await phone.getByLabel('Votre réserve').fill('Le week-end aussi ?');
      await phone.getByRole('button', { name: 'Envoyer ma réponse' }).click();
      await expect
        .poll(() => phone.getByTestId('consent-mine').textContent(), { timeout: EXPECT_MS })
        .toBe('Votre réponse : Oui, avec une réserve. Vous pouvez la changer jusqu’à la clôture du tour.');
      expect(await phone.getByRole('button', { name: 'Changer ma réponse' }).count()).toBe(1);
      await axeCleanLightAndDark(phone, 'the consent round in French');

      // The other participant's answer closes the round: the result, in French, names nobody.
      const bea = m.members[0];
      if (!bea) throw new Error('one participant expected');
      expect(await bea.request('consentAnswer', { roundId, answer: 'yes' })).toEqual(OK);
      const result = phone.getByTestId('consent-result');
      await expect
        .poll(() => result.textContent(), { timeout: EXPECT_MS })
        .toContain('Consentement : 1 oui, 1 avec une réserve, 0 objection');
      expect(await result.locator('li').allTextContents()).toEqual(['Réserve\u00a0: Le week-end aussi ?']);
      expect(problems.list()).toEqual([]);
    },
  );
});
