/**
 * The goals as CSV (docs/export.md#csv): one row per goal, RFC 4180 (CRLF line ends, fields with
 * the separator, a quote or a line break quoted, quotes doubled), UTF-8 with a byte order mark so
 * that Excel reads accents, headers in the board's language. A cell that a spreadsheet would take
 * for a formula is made text. The separator is a comma, or a semicolon for spreadsheets whose
 * decimal mark is the comma (docs/export.md#csv-delimiter).
 */
import type { Locale } from '../board/layout';
import type { Summary } from './summary';
import { CHECKIN_WORDS } from './checkin-words';
import { SUMMARY_WORDS } from './summary-words';
import { consentCsvCells, consentCsvHeader } from './consent-csv';

export const CSV_BOM = '\uFEFF';

/** The separators a CSV may use, by name (the `?delimiter=` of docs/http.md#summary-exports). */
export const CSV_DELIMITERS = ['comma', 'semicolon'] as const;
export type CsvDelimiter = (typeof CSV_DELIMITERS)[number];

const SEPARATOR: Record<CsvDelimiter, string> = { comma: ',', semicolon: ';' };

/**
 * The separator a spreadsheet in this language expects: French Excel and LibreOffice write
 * decimals with a comma, so they split a line on semicolons (docs/export.md#csv-delimiter).
 */
export function csvDelimiterFor(locale: Locale): CsvDelimiter {
  return locale === 'fr' ? 'semicolon' : 'comma';
}

/**
 * A cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return is a formula to Excel and
 * LibreOffice: a leading `'` makes it text (the apostrophe is what both show as "text" marker).
 */
export function neutraliseFormula(cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}

/** One field, quoted when it holds the separator, a quote, a line break, or spaces at its ends. */
export function csvField(value: string, delimiter: CsvDelimiter = 'comma'): string {
  const quote = value.includes(SEPARATOR[delimiter]) || /["\r\n]|^\s|\s$/.test(value);
  return quote ? `"${value.replace(/"/g, '""')}"` : value;
}

export function csvLine(cells: readonly string[], delimiter: CsvDelimiter = 'comma'): string {
  return cells.map((cell) => csvField(cell, delimiter)).join(SEPARATOR[delimiter]) + '\r\n';
}

export function toCsv(summary: Summary, locale: Locale, delimiter: CsvDelimiter = 'comma'): string {
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
  // docs/export.md#consent-fields: two more, once some goal has a consent result.
  const consent = summary.goals.some((goal) => goal.consent !== undefined);
  if (consent) header.push(...consentCsvHeader(locale));
  const rows = summary.goals.map((goal) => {
    const cells = goalCells(goal);
    return consent ? [...cells, ...consentCsvCells(goal.consent, locale).map(neutraliseFormula)] : cells;
  });
  return CSV_BOM + [header, ...rows].map((cells) => csvLine(cells, delimiter)).join('');

  function goalCells(goal: Summary['goals'][number]): string[] {
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
          // With `;` the spreadsheet reads a comma as the decimal mark (docs/export.md#csv-delimiter).
          delimiter === 'semicolon' ? String(latest.current).replace('.', ',') : String(latest.current),
          own.confidence[latest.confidence],
          neutraliseFormula(latest.note),
        ]
      : [...row, '', '', '', ''];
  }
}
