/**
 * The summary model and its Markdown and CSV (shared/export/summary.ts, markdown.ts, csv.ts;
 * docs/export.md#summary): built from a real board document through the board's readers, with
 * the agreed-goals export's ranks, ties and hidden votes.
 */
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import {
  addCard,
  addCommitment,
  addGoal,
  readQuestions,
  readTasks,
  readWornHats,
  setEstimate,
  setNextCheckIn,
  toggleHat,
  writeTemplate,
  type Locale,
} from '../../shared/board';
import { CSV_BOM, csvDelimiterFor, csvField, neutraliseFormula, toCsv } from '../../shared/export/csv';
import { escapeMarkdown, toMarkdown } from '../../shared/export/markdown';
import {
  buildSummary,
  readSummaryContent,
  summaryFileName,
  type SummaryInput,
} from '../../shared/export/summary';
import { newId } from '../../shared/ids';

const T0 = Date.UTC(2026, 10, 26, 9, 0, 0);
const NOW = new Date('2026-11-27T10:00:00.000Z');
const HOSTILE = '# [x](javascript:alert(1)) | * _';

interface Board {
  doc: Y.Doc;
  people: Array<{ id: string; name: string }>;
  goals: string[];
}

/** A kickoff board: goals g0 (full), g1, g2; a hostile card; hats and a task answered; a commitment. */
function board(locale: Locale = 'en'): Board {
  const doc = new Y.Doc();
  writeTemplate(doc, { title: 'Équipe sociale, Q1', locale, template: 'social-kickoff', createdAt: T0 });
  const people = [
    { id: newId(), name: 'Zoé' },
    { id: newId(), name: 'Malik' },
  ];
  const [zoe, malik] = people as [{ id: string; name: string }, { id: string; name: string }];
  const goals = [
    addGoal(
      doc,
      {
        title: 'Grow the audience',
        why: 'Qualified leads, for sales',
        metric: 'Followers',
        baseline: '1,200',
        target: '5,000',
        due: '2027-03-31',
        owner: 'Zoé',
      },
      zoe.id,
      null,
      T0 + 1_000,
    ),
    addGoal(doc, { title: '=HYPERLINK("http://evil","click")' }, zoe.id, null, T0 + 2_000),
    addGoal(doc, { title: 'Measure ROI', owner: '@SUM(A1)' }, malik.id, null, T0 + 3_000),
  ];
  const [first, second] = readQuestions(doc, 'discover');
  addCard(doc, { questionId: first?.id ?? '', text: HOSTILE, authorId: zoe.id }, null, T0 + 10);
  addCard(doc, { questionId: first?.id ?? '', text: 'Plain answer', authorId: malik.id }, null, T0 + 20);
  void second;
  const hat = readWornHats(doc)[0];
  if (hat) toggleHat(doc, hat.id, zoe.id);
  const task = readTasks(doc).find((candidate) => candidate.kind === 'duration');
  if (task) setEstimate(doc, task.id, zoe.id, { amount: 3, unit: 'hours', per: 'week' });
  addCommitment(doc, { text: 'Weekly review', owner: 'Zoé' }, null, T0 + 30);
  setNextCheckIn(doc, '2027-01-15');
  return { doc, people, goals };
}

function input(b: Board, overrides: Partial<SummaryInput> = {}): SummaryInput {
  const [zoe, malik] = b.people as [{ id: string; name: string }, { id: string; name: string }];
  const [g0, g1, g2] = b.goals as [string, string, string];
  return {
    board: { id: 'BoardId0000000000000001', url: 'https://atelier.test/b/BoardId0000000000000001' },
    content: readSummaryContent(b.doc),
    participants: b.people,
    votes: { [zoe.id]: { [g2]: 2, [g1]: 1 }, [malik.id]: { [g1]: 1, [g0]: 1 } },
    voting: { open: false, revealed: true, votesPerPerson: 5, maxPerItem: 3 },
    agreed: [g0, g2],
    showVotes: true,
    status: 'all',
    pulse: { average: null, distribution: null, helps: null, shownCount: null },
    now: NOW,
    ...overrides,
  };
}

describe('the summary model', () => {
  it('[export#summary] holds the title, date, names, ranked goals with votes and ties, commitments, discovery and load', () => {
    const b = board();
    const [g0, g1, g2] = b.goals as [string, string, string];
    const summary = buildSummary(input(b));
    expect(summary.board.title).toBe('Équipe sociale, Q1');
    expect(summary.board.locale).toBe('en');
    expect(summary.date).toBe('2026-11-26');
    expect(summary.people).toEqual(['Zoé', 'Malik']);
    // g1 and g2 have 2 votes each (tied: creation order), then g0 with 1.
    expect(summary.goals.map((g) => [g.rank, g.id, g.votes, g.tied, g.place, g.status])).toEqual([
      [1, g1, 2, true, 1, 'proposed'],
      [2, g2, 2, true, 1, 'agreed'],
      [3, g0, 1, false, 3, 'agreed'],
    ]);
    expect(summary.goals[2]).toMatchObject({ metric: 'Followers', baseline: '1,200', due: '2027-03-31' });
    expect(summary.commitments).toEqual([{ text: 'Weekly review', owner: 'Zoé' }]);
    expect(summary.nextCheckIn).toBe('2027-01-15');
    expect(summary.discovery[0]?.answers).toEqual([HOSTILE, 'Plain answer']);
    expect(summary.discovery.length).toBeGreaterThan(1);
    expect(summary.load.people).toEqual([expect.objectContaining({ name: 'Zoé', hoursPerWeek: 3 })]);
    expect(summary.load.tasks.find((task) => task.answered === 1)?.perWeek).toBe(3);
    expect(summary.pulse).toBeNull();
  });

  it('[export#hidden-votes] hides votes, ties and places until revealed, and lists goals in creation order', () => {
    const b = board();
    const [g0, , g2] = b.goals as [string, string, string];
    const summary = buildSummary(input(b, { showVotes: false, status: 'agreed' }));
    expect(summary.votesShown).toBe(false);
    expect(summary.goals.map((g) => [g.id, g.votes, g.place, 'tied' in g])).toEqual([
      [g0, null, null, false],
      [g2, null, null, false],
    ]);
    expect(toMarkdown(summary, 'en')).not.toMatch(/\d votes?\b/);
    expect(toCsv(summary, 'en').split('\r\n')[1]).toMatch(/,,yes$/);
  });

  it('[export#summary] shows the pulse aggregate and its help texts only while the facilitator shows it', () => {
    const b = board();
    const hidden = buildSummary(
      input(b, { pulse: { average: null, distribution: null, helps: null, shownCount: null } }),
    );
    expect(hidden.pulse).toBeNull();
    expect(toMarkdown(hidden, 'en')).not.toContain('Team pulse');
    expect(toMarkdown(hidden, 'en')).not.toContain('What would help');
    const helps = ['Fewer meetings', '# [x](javascript:alert(1)) *bold*'];
    const shown = buildSummary(
      input(b, { pulse: { average: 3.7, distribution: [0, 1, 0, 2, 1], helps, shownCount: 4 } }),
    );
    expect(shown.pulse).toEqual({ average: 3.7, count: 4, distribution: [0, 1, 0, 2, 1], helps });
    const fr = toMarkdown(shown, 'fr');
    expect(fr).toContain('Moyenne 3,7 / 5 sur 4 réponses');
    expect(fr).toContain(
      '\n### Ce qui aiderait\n\n- Fewer meetings\n- \\# \\[x\\](javascript:alert(1)) \\*bold\\*\n',
    );
    expect(toMarkdown(shown, 'en')).toContain('\n### What would help\n\n- Fewer meetings\n');
    // Results shown without any help text: the aggregate alone, no empty list.
    const noHelp = buildSummary(
      input(b, { pulse: { average: 3, distribution: [0, 0, 3, 0, 0], helps: [], shownCount: 3 } }),
    );
    expect(noHelp.pulse?.helps).toEqual([]);
    expect(toMarkdown(noHelp, 'en')).toContain('## Team pulse');
    expect(toMarkdown(noHelp, 'en')).not.toContain('What would help');
    // The agreed goals alone never carry the pulse.
    expect(toMarkdown(shown, 'en', 'goals')).not.toContain('Fewer meetings');
  });

  it('[export#summary] names only people still on the board in the load', () => {
    const b = board();
    const summary = buildSummary(input(b, { participants: b.people.slice(1) }));
    expect(summary.people).toEqual(['Malik']);
    expect(summary.load.people).toEqual([]);
  });

  it('[http#summary-exports] names the files after the title slug', () => {
    expect(summaryFileName('Équipe sociale, Q1', 'md')).toBe('equipe-sociale-q1-summary.md');
    expect(summaryFileName('日本語', 'csv')).toBe('board-goals.csv');
  });
});

describe('Markdown', () => {
  it('[export#markdown] escapes what a card could use to make a heading, link, table or emphasis', () => {
    expect(escapeMarkdown(HOSTILE)).toBe('\\# \\[x\\](javascript:alert(1)) \\| \\* \\_');
    expect(escapeMarkdown('![img](x) <script> `code` ~~s~~ $x$')).toBe(
      '\\!\\[img\\](x) \\<script\\> \\`code\\` \\~\\~s\\~\\~ \\$x\\$',
    );
    // Block openers at the start, and line breaks that would start a block of their own.
    expect(escapeMarkdown('- item')).toBe('\\- item');
    expect(escapeMarkdown('> quote')).toBe('\\> quote');
    expect(escapeMarkdown('1. one')).toBe('1\\. one');
    // Mid-line, `#` and `=` open nothing: the line breaks that would have made them block openers are gone.
    expect(escapeMarkdown('line\n# heading\r\n===')).toBe('line # heading ===');
    expect(escapeMarkdown('=== \n')).toBe('\\===');
    expect(escapeMarkdown('a\\b')).toBe('a\\\\b');
  });

  it('[export#markdown] lays out the summary: a title, sections, ranked goals with details, escaped answers', () => {
    const md = toMarkdown(buildSummary(input(board())), 'en');
    expect(md.endsWith('\n')).toBe(true);
    expect(md).toMatch(
      /^# Équipe sociale, Q1\n\nWorkshop summary · November 26, 2026 · \[Board\]\(<https:\/\/atelier\.test\/b\/BoardId0000000000000001>\)\n/,
    );
    for (const heading of [
      '## Who took part',
      '## Goals',
      '## Commitments',
      '## Discovery',
      '## Day-to-day load',
    ]) {
      expect(md).toContain(`\n${heading}\n`);
    }
    expect(md).toContain('\nZoé, Malik\n');
    expect(md).toContain('1. **\\=HYPERLINK("http://evil","click")** (2 votes, tied)\n');
    expect(md).toContain(
      '3. **Grow the audience** (1 vote)\n   - Business objective: Qualified leads, for sales\n   - Metric: Followers\n   - Baseline: 1,200\n   - Target: 5,000\n   - Due: March 31, 2027\n   - Owner: Zoé\n',
    );
    expect(md).toContain('\n- \\# \\[x\\](javascript:alert(1)) \\| \\* \\_\n');
    expect(md).toContain('- Weekly review (Zoé)\n\n**Next check-in**: January 15, 2027');
    expect(md).toContain('- **Zoé**: 3 h/week');
    // Nothing the user wrote makes a line that starts a heading, a table row or a raw link.
    const userLines = md.split('\n').filter((line) => line.includes('javascript'));
    expect(userLines).toEqual(['- \\# \\[x\\](javascript:alert(1)) \\| \\* \\_']);
  });

  it('[export#markdown] in French, and the agreed goals alone', () => {
    const summary = buildSummary(input(board('fr'), { status: 'agreed' }));
    const md = toMarkdown(summary, 'fr', 'goals');
    expect(md).toContain('## Objectifs retenus\n');
    expect(md).toContain('Synthèse de l’atelier · 26 novembre 2026');
    expect(md).toContain('   - Échéance\u00a0: 31 mars 2027');
    expect(md).not.toContain('## Participants');
    expect(md).not.toContain('## Découverte');
    expect(md.match(/^\d\. /gm)).toHaveLength(2);
  });
});

describe('CSV', () => {
  it('[export#csv] quotes commas, quotes and line breaks as RFC 4180 says', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\r\nlf')).toBe('"cr\r\nlf"');
  });

  it('[export#csv] neutralises cells a spreadsheet would take for a formula', () => {
    expect(neutraliseFormula('=HYPERLINK("x")')).toBe('\'=HYPERLINK("x")');
    expect(neutraliseFormula('+1')).toBe("'+1");
    expect(neutraliseFormula('-2')).toBe("'-2");
    expect(neutraliseFormula('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(neutraliseFormula('\tx')).toBe("'\tx");
    expect(neutraliseFormula('\rx')).toBe("'\rx");
    expect(neutraliseFormula('a=b')).toBe('a=b');
  });

  it('[export#csv] one row per goal with a BOM, CRLF line ends, headers in the board language, accents kept', () => {
    const csv = toCsv(buildSummary(input(board('fr'))), 'fr');
    expect(csv.startsWith(CSV_BOM)).toBe(true);
    expect(new TextEncoder().encode(csv).slice(0, 3)).toEqual(new Uint8Array([0xef, 0xbb, 0xbf]));
    const lines = csv.slice(1).split('\r\n');
    expect(lines).toEqual([
      'Rang,Titre,Objectif business,Indicateur,Point de départ,Cible,Échéance,Responsable,Votes,Retenu',
      '1,"\'=HYPERLINK(""http://evil"",""click"")",,,,,,,2,non',
      "2,Measure ROI,,,,,,'@SUM(A1),2,oui",
      '3,Grow the audience,"Qualified leads, for sales",Followers,"1,200","5,000",2027-03-31,Zoé,1,oui',
      '',
    ]);
    expect(toCsv(buildSummary(input(board('en'))), 'en').split('\r\n')[0]).toBe(
      '\uFEFFRank,Title,Business objective,Metric,Baseline,Target,Due,Owner,Votes,Agreed',
    );
  });

  it('[export#csv-delimiter] quotes fields holding the separator in use: a semicolon, or a comma', () => {
    expect(csvField('a;b', 'semicolon')).toBe('"a;b"');
    expect(csvField('a,b', 'semicolon')).toBe('a,b');
    expect(csvField('a;b', 'comma')).toBe('a;b');
    expect(csvField('say "hi"', 'semicolon')).toBe('"say ""hi"""');
    expect(csvField('two\nlines', 'semicolon')).toBe('"two\nlines"');
    expect(csvField(' padded', 'semicolon')).toBe('" padded"');
  });

  it('[export#csv-delimiter] separates by semicolons on request (French boards in the browser), formulas still neutralised', () => {
    expect(csvDelimiterFor('fr')).toBe('semicolon');
    expect(csvDelimiterFor('en')).toBe('comma');
    const summary = buildSummary(input(board('fr')));
    expect(toCsv(summary, 'fr', 'comma')).toBe(toCsv(summary, 'fr'));
    const csv = toCsv(summary, 'fr', 'semicolon');
    expect(csv.startsWith(CSV_BOM)).toBe(true);
    expect(csv.slice(1).split('\r\n')).toEqual([
      'Rang;Titre;Objectif business;Indicateur;Point de départ;Cible;Échéance;Responsable;Votes;Retenu',
      '1;"\'=HYPERLINK(""http://evil"",""click"")";;;;;;;2;non',
      "2;Measure ROI;;;;;;'@SUM(A1);2;oui",
      '3;Grow the audience;Qualified leads, for sales;Followers;1,200;5,000;2027-03-31;Zoé;1;oui',
      '',
    ]);
  });
});
