/**
 * The goals as CSV (docs/export.md#csv): one row per goal, RFC 4180 (CRLF line ends, fields with a
 * comma, a quote or a line break quoted, quotes doubled), UTF-8 with a byte order mark so that
 * Excel reads accents, headers in the board's language. A cell that a spreadsheet would take for
 * a formula is made text.
 */
import type { Locale } from '../board/layout';
import type { Summary } from './summary';
import { CHECKIN_WORDS } from './checkin-words';
import { SUMMARY_WORDS } from './summary-words';

export const CSV_BOM = '\uFEFF';

/**
 * A cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return is a formula to Excel and
 * LibreOffice: a leading `'` makes it text (the apostrophe is what both show as "text" marker).
 */
export function neutraliseFormula(cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}

/** One field, quoted when it holds a comma, a quote, a line break, or spaces at its ends. */
export function csvField(value: string): string {
  return /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function csvLine(cells: readonly string[]): string {
  return cells.map(csvField).join(',') + '\r\n';
}

export function toCsv(summary: Summary, locale: Locale): string {
  const words = SUMMARY_WORDS[locale].csv;
  const header = [
    words.rank,
    words.title,
    words.why,
    words.metric,
    words.baseline,
    words.target,
    words.due,
    words.owner,
    words.votes,
    words.agreed,
  ];
  // docs/export.md#check-in-fields: four more columns, once the board has held a check-in.
  const checkins = summary.checkins.length > 0;
  const own = CHECKIN_WORDS[locale];
  if (checkins) header.push(own.csv.date, own.csv.current, own.csv.confidence, own.csv.note);
  const rows = summary.goals.map((goal) => {
    const row = [
      String(goal.rank),
      ...[goal.title, goal.why, goal.metric, goal.baseline, goal.target].map(neutraliseFormula),
      goal.due ?? '',
      neutraliseFormula(goal.owner),
      goal.votes === null ? '' : String(goal.votes),
      goal.status === 'agreed' ? words.yes : words.no,
    ];
    if (!checkins) return row;
    const latest = goal.checkins?.at(-1);
    return latest
      ? [
          ...row,
          latest.date,
          String(latest.current),
          own.confidence[latest.confidence],
          neutraliseFormula(latest.note),
        ]
      : [...row, '', '', '', ''];
  });
  return CSV_BOM + [header, ...rows].map(csvLine).join('');
}
