/**
 * The stage's discovery questions in real Chromium (docs/product.md#the-stage-view): a private
 * question says how many answers are held and that they are revealed together (never their
 * texts), an anonymous one says so and names nobody, and each question lists its themes — on a
 * projector's 1280×720 and in French.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { addCard, createTheme, readQuestions } from '../../shared/board';
import { OK } from '../helpers/expect';
import { useBrowser, useServer } from '../helpers/fixtures';
import { openStagePage } from '../helpers/page';
import { liveMeeting, member as memberOf, participant } from '../helpers/facilitation';
import { accessibilityViolations } from './axe';

const EXPECT_MS = 10_000;

const server = useServer();
const chromium = useBrowser();

const question = (page: Page, id: string) => page.locator(`.stage-question[data-question-id="${id}"]`);

describe('questions on the stage', () => {
  it(
    '[product#the-stage-view][session#private-and-anonymous-answers][product#themes] shows a private question’s held count, an anonymous question’s mode without names, and the themes',
    { timeout: 90_000 },
    async () => {
      const m = await liveMeeting(server, server.sessions, 1);
      const { board, lead } = m;
      const member = participant(m, 0);
      const ana = memberOf(m, 0);
      const writer = await server.sync.syncedProvider(server, board.id);
      const [held, anonymous, themed] = readQuestions(writer.doc, 'discover') as unknown as [
        { id: string },
        { id: string },
        { id: string },
      ];
      expect(await lead.request('questionMode', { questionId: held.id, private: true })).toEqual(OK);
      expect(await lead.request('questionMode', { questionId: anonymous.id, anonymous: true })).toEqual(OK);
      for (const text of ['SECRET-ONE', 'SECRET-TWO']) {
        expect(await ana.request('answer', { questionId: held.id, text })).toMatchObject(OK);
      }
      expect(
        await ana.request('answer', { questionId: anonymous.id, text: 'Said without a name' }),
      ).toMatchObject(OK);
      const cards = ['Too many tools', 'Tools everywhere'].map((text) =>
        addCard(writer.doc, { questionId: themed.id, text, authorId: member.participantId }),
      );
      createTheme(writer.doc, { cardIds: cards, name: 'Tooling', authorId: member.participantId });

      const { page: stage, problems } = await openStagePage(chromium, server.url, board.id, {
        width: 1280,
        height: 720,
      });

      // The private question: the count and the promise, never a held text.
      await expect
        .poll(() => question(stage, held.id).getByTestId('stage-held').textContent(), { timeout: EXPECT_MS })
        .toBe('2 answers held, revealed together');
      expect(await question(stage, held.id).getByTestId('stage-modes').textContent()).toContain(
        'Private until reveal',
      );
      expect(await stage.content()).not.toContain('SECRET-');

      // The anonymous question: its mode, and its answer with no name.
      const anon = question(stage, anonymous.id);
      await anon.locator('.stage-answer', { hasText: 'Said without a name' }).waitFor({ timeout: EXPECT_MS });
      expect(await anon.getByTestId('stage-modes').textContent()).toContain('Anonymous');
      expect(await anon.locator('.stage-answer small').textContent()).toBe('Anonymous');
      expect(await anon.textContent()).not.toContain('Member 1');

      // The themes of a question, with how many answers each holds.
      await expect
        .poll(() => question(stage, themed.id).getByTestId('stage-themes').textContent(), {
          timeout: EXPECT_MS,
        })
        .toContain('Tooling');
      expect(await question(stage, themed.id).getByTestId('stage-themes').textContent()).toContain(
        '2 answers',
      );
      expect(await accessibilityViolations(stage)).toEqual([]);

      // A third answer is held live; the French stage says it in French.
      expect(await ana.request('answer', { questionId: held.id, text: 'SECRET-THREE' })).toMatchObject(OK);
      await expect
        .poll(() => question(stage, held.id).getByTestId('stage-held').textContent(), { timeout: EXPECT_MS })
        .toBe('3 answers held, revealed together');
      const french = await chromium.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 720 } });
      const scene = await french.newPage();
      await scene.goto(`${server.url}/b/${board.id}/stage`);
      await expect
        .poll(() => question(scene, held.id).getByTestId('stage-held').textContent(), { timeout: EXPECT_MS })
        .toBe('3 réponses gardées, dévoilées ensemble');
      // The held count comes with the session, the themes with the document: wait for both.
      await expect
        .poll(() => question(scene, themed.id).getByTestId('stage-themes').textContent(), {
          timeout: EXPECT_MS,
        })
        .toContain('2 réponses');
      expect(await scene.locator('h3', { hasText: 'Thèmes' }).count()).toBe(1);
      expect(problems.list()).toEqual([]);
      await stage.context().close();
      await french.close();
    },
  );
});
