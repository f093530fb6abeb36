/** The wrap-up's commitments and next check-in (docs/product.md#commitments), and how they reach the export (docs/export.md#additive-fields). */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  addCommitment,
  deleteCommitment,
  readCommitments,
  readMeta,
  setNextCheckIn,
  templateContent,
  updateCommitment,
} from '../../shared/board';
import { buildGoalsExport } from '../../shared/export/goals-export';
import { exportValidator } from '../helpers/export-schema';

const validateExport = exportValidator();

function sync(from: Y.Doc, to: Y.Doc): void {
  Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)));
}

describe('commitments and the next check-in', () => {
  it('[product#commitments] offers the article’s three leader commitments as starters, in both languages', () => {
    expect(templateContent('social-kickoff', 'en').commitments).toHaveLength(3);
    expect(templateContent('social-kickoff', 'fr').commitments).toHaveLength(3);
    expect(templateContent('social-kickoff', 'fr').commitments[0]).toContain('réunions');
  });

  it('[product#commitments] adds, edits and deletes a commitment, trimmed, in creation order', () => {
    const doc = new Y.Doc();
    const first = addCommitment(
      doc,
      { text: '  Invite the team to sales meetings ', owner: ' Camille ' },
      null,
      1,
    );
    addCommitment(doc, { text: 'Build the ROI business case' }, null, 2);
    expect(readCommitments(doc).map(({ text, owner }) => ({ text, owner }))).toEqual([
      { text: 'Invite the team to sales meetings', owner: 'Camille' },
      { text: 'Build the ROI business case', owner: '' },
    ]);
    updateCommitment(doc, first, { owner: 'Camille and Ana' });
    expect(readCommitments(doc)[0]?.owner).toBe('Camille and Ana');
    deleteCommitment(doc, first);
    expect(readCommitments(doc).map((c) => c.text)).toEqual(['Build the ROI business case']);
  });

  it('[errors#text-limits] refuses an empty commitment and over-long text, changing nothing', () => {
    const doc = new Y.Doc();
    expect(() => addCommitment(doc, { text: '   ' })).toThrow(
      expect.objectContaining({ code: 'bad_request' }),
    );
    expect(() => addCommitment(doc, { text: 'x'.repeat(501) })).toThrow(
      expect.objectContaining({ code: 'too_large' }),
    );
    expect(readCommitments(doc)).toEqual([]);
  });

  it('[product#commitments] sets and clears the next check-in date, refusing dates that do not exist', () => {
    const doc = new Y.Doc();
    expect(readMeta(doc).nextCheckIn).toBeNull();
    setNextCheckIn(doc, '2027-01-15');
    expect(readMeta(doc).nextCheckIn).toBe('2027-01-15');
    expect(() => setNextCheckIn(doc, '2027-02-30')).toThrow(expect.objectContaining({ code: 'bad_request' }));
    expect(readMeta(doc).nextCheckIn).toBe('2027-01-15');
    setNextCheckIn(doc, null);
    expect(readMeta(doc).nextCheckIn).toBeNull();
  });

  it('[sync#document-layout] two people editing the text and the owner of one commitment at once keep both edits', () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    const id = addCommitment(a, { text: 'Share social insights monthly' });
    sync(a, b);
    updateCommitment(a, id, { text: 'Share social insights every month' });
    updateCommitment(b, id, { owner: 'Camille' });
    sync(a, b);
    sync(b, a);
    expect(readCommitments(a)).toEqual(readCommitments(b));
    expect(readCommitments(a)[0]).toMatchObject({
      text: 'Share social insights every month',
      owner: 'Camille',
    });
  });

  it('[export#additive-fields] the export carries the commitments and the next check-in, and still validates', () => {
    const doc = new Y.Doc();
    addCommitment(doc, { text: 'Invite the team to sales meetings', owner: 'Camille' });
    setNextCheckIn(doc, '2027-01-15');
    const exported = buildGoalsExport({
      board: {
        id: 'board-0000-0001',
        title: 'Kickoff',
        url: 'https://atelier.example.com/b/board-0000-0001',
      },
      goals: [],
      votes: {},
      voting: { open: false, revealed: false, votesPerPerson: 5, maxPerItem: 3 },
      agreed: [],
      commitments: readCommitments(doc),
      nextCheckIn: readMeta(doc).nextCheckIn,
      showVotes: false,
      status: 'agreed',
      now: new Date('2026-11-26T10:00:00Z'),
    });
    expect(exported.commitments).toEqual([{ text: 'Invite the team to sales meetings', owner: 'Camille' }]);
    expect(exported.nextCheckIn).toBe('2027-01-15');
    expect(validateExport(exported)).toEqual([]);
  });
});
