/**
 * The consent columns of the goals CSV (shared/export/consent-csv.ts, docs/export.md#consent-fields)
 * from a real board document through the summary model.
 */
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { addGoal, writeTemplate, type Locale } from '../../shared/board';
import { toCsv, type CsvDelimiter } from '../../shared/export/csv';
import { buildSummary, readSummaryContent } from '../../shared/export/summary';
import type { ConsentResult } from '../../shared/session/consent';
import { newId } from '../../shared/ids';

const T0 = Date.UTC(2026, 10, 26, 9, 0, 0);
const ANA = newId();

function board(): { doc: Y.Doc; grow: string; reach: string } {
  const doc = new Y.Doc();
  writeTemplate(doc, { title: 'Kickoff', locale: 'en', template: 'social-kickoff', createdAt: T0 });
  const grow = addGoal(doc, { title: 'Grow' }, ANA, null, T0 + 1);
  const reach = addGoal(doc, { title: 'Reach' }, ANA, null, T0 + 2);
  return { doc, grow, reach };
}

function csv(
  doc: Y.Doc,
  consent: Record<string, ConsentResult> | undefined,
  locale: Locale = 'en',
  delimiter: CsvDelimiter = 'comma',
): string[] {
  doc.getMap('meta').set('locale', locale);
  const summary = buildSummary({
    board: { id: newId(), url: 'https://atelier.example/b/x' },
    content: readSummaryContent(doc),
    participants: [{ id: ANA, name: 'Ana' }],
    votes: {},
    voting: { open: false, revealed: true, votesPerPerson: 5, maxPerItem: 3 },
    agreed: [],
    showVotes: true,
    status: 'all',
    ...(consent ? { consent } : {}),
    pulse: { average: null, distribution: null, helps: null, shownCount: null },
    now: new Date(T0 + 10_000),
  });
  return toCsv(summary, locale, delimiter)
    .replace(/^\uFEFF/, '')
    .split('\r\n');
}

const HEADER = 'Rank,Title,Business objective,Metric,Baseline,Target,Due,Owner,Votes,Agreed';

describe('consent in the goals CSV', () => {
  it('[export#consent-fields][export#csv] adds two columns only once some goal has a consent result', () => {
    const { doc, grow } = board();
    expect(csv(doc, undefined)[0]).toBe(HEADER);
    expect(csv(doc, {})[0]).toBe(HEADER);
    const lines = csv(doc, {
      [grow]: { goalId: grow, yes: 3, concerns: [{ text: 'Tight' }], objections: [], closedAt: T0 },
    });
    expect(lines[0]).toBe(`${HEADER},Consent,Concerns and objections`);
    expect(lines[1]).toBe('1,Grow,,,,,,,0,no,3 yes / 1 concern / 0 objections,Concern: Tight');
    // A goal never checked has the two cells empty.
    expect(lines[2]).toBe('2,Reach,,,,,,,0,no,,');
  });

  it('[export#consent-fields][export#csv] one remark a line, names only in a named round, quoted and neutralised as RFC 4180 says', () => {
    const { doc, grow, reach } = board();
    const lines = csv(doc, {
      [grow]: {
        goalId: grow,
        yes: 1,
        concerns: [{ text: 'say "when"', name: 'Zoé' }],
        objections: [{ text: '=HYPERLINK("http://evil")\nsecond line', name: '@Malik' }],
        closedAt: T0,
      },
      [reach]: { goalId: reach, yes: 0, concerns: [], objections: [{ text: '-1, no' }], closedAt: T0 },
    });
    const rows = lines.slice(1).join('\r\n');
    expect(rows).toContain(
      '1 yes / 1 concern / 1 objection,"Concern (Zoé): say ""when""\nObjection (@Malik): =HYPERLINK(""http://evil"") second line"',
    );
    expect(rows).toContain('0 yes / 0 concerns / 1 objection,"Objection: -1, no"');
    // No cell starts with a character a spreadsheet reads as a formula.
    expect(rows).not.toMatch(/(^|,)"?[=+\-@]/m);
  });

  it('[export#consent-fields][export#csv-delimiter] French headers and counts, with semicolons', () => {
    const { doc, grow } = board();
    const lines = csv(
      doc,
      {
        [grow]: {
          goalId: grow,
          yes: 2,
          concerns: [{ text: 'Délai; court' }, { text: 'Budget' }],
          objections: [],
          closedAt: T0,
        },
      },
      'fr',
      'semicolon',
    );
    expect(lines[0]).toMatch(/;Consentement;Réserves et objections$/);
    expect(lines[1]).toMatch(
      /;2 oui \/ 2 réserves \/ 0 objection;"Réserve : Délai; court\nRéserve : Budget"$/,
    );
  });
});
