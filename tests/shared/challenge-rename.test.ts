/** Renaming a challenge (shared/board/challenges.ts, docs/product.md#challenges). */
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { deleteChallenge, readChallenges, updateChallenge, writeTemplate } from '../../shared/board';
import { AppError } from '../../shared/errors';

function lane(): { doc: Y.Doc; id: string; title: string } {
  const doc = new Y.Doc();
  writeTemplate(doc, { title: 'Kickoff', locale: 'en', template: 'social-kickoff', createdAt: 1 });
  const [first] = readChallenges(doc);
  if (!first) throw new Error('the kickoff template starts the lane');
  return { doc, id: first.id, title: first.title };
}

const codeOf = (run: () => void): string | null => {
  try {
    run();
    return null;
  } catch (error) {
    return error instanceof AppError ? error.code : 'not an AppError';
  }
};

describe('renaming a challenge', () => {
  it('[product#challenges] trims the new title and keeps its place in the lane', () => {
    const { doc, id } = lane();
    const order = readChallenges(doc).map((challenge) => challenge.id);
    updateChallenge(doc, id, '  Finding our audience  ');
    expect(readChallenges(doc)[0]).toMatchObject({ id, title: 'Finding our audience' });
    expect(readChallenges(doc).map((challenge) => challenge.id)).toEqual(order);
  });

  it('[product#challenges][errors#validation] refuses an empty or over-long title and a deleted challenge, changing nothing', () => {
    const { doc, id, title } = lane();
    expect(codeOf(() => updateChallenge(doc, id, '   '))).toBe('bad_request');
    expect(codeOf(() => updateChallenge(doc, id, 'x'.repeat(501)))).toBe('too_large');
    expect(readChallenges(doc)[0]?.title).toBe(title);
    deleteChallenge(doc, id);
    expect(codeOf(() => updateChallenge(doc, id, 'Back again'))).toBe('not_found');
    expect(readChallenges(doc).some((challenge) => challenge.id === id)).toBe(false);
  });
});
