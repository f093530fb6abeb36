/**
 * The check-in calendar file (docs/http.md#check-in-calendar): what calendar apps need to import it
 * — CRLF lines of at most 75 octets, escaped text, one all-day event — read back by a minimal
 * iCalendar reader.
 */
import { describe, expect, it } from 'vitest';
import { buildCheckInIcs, escapeText, foldLine } from '../../shared/export/ics';

const NOW = new Date(Date.UTC(2026, 11, 5, 13, 30, 7));
const event = {
  boardId: 'AbCdEfGhIjKlMnOpQrStUv',
  title: 'Kickoff',
  date: '2027-03-31',
  url: 'https://atelier.example/b/AbCdEfGhIjKlMnOpQrStUv',
  description: 'Check-in on our goals. The board:',
  now: NOW,
};

/** Content lines unfolded (RFC 5545, content lines), as [name with parameters, value]. */
function contentLines(ics: string): Array<[string, string]> {
  return ics
    .replace(/\r\n /g, '')
    .split('\r\n')
    .filter((line) => line !== '')
    .map((line) => {
      const colon = line.indexOf(':');
      return [line.slice(0, colon), line.slice(colon + 1)];
    });
}

/** A TEXT value unescaped. */
const unescape = (value: string) =>
  value.replace(/\\([\\;,nN])/g, (_, c: string) => (c === 'n' || c === 'N' ? '\n' : c));

function built(overrides: Partial<typeof event> = {}): string {
  const ics = buildCheckInIcs({ ...event, ...overrides });
  if (ics === null) throw new Error('no file');
  return ics;
}

describe('the check-in calendar file', () => {
  it('[http#check-in-calendar] is one VCALENDAR with one all-day VEVENT on the date, CRLF line ends', () => {
    const ics = built();
    expect(ics.endsWith('\r\n')).toBe(true);
    expect(ics.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    const lines = contentLines(ics);
    expect(lines[0]).toEqual(['BEGIN', 'VCALENDAR']);
    expect(lines.at(-1)).toEqual(['END', 'VCALENDAR']);
    expect(lines.filter(([name, value]) => name === 'BEGIN' && value === 'VEVENT')).toHaveLength(1);
    expect(lines.filter(([name, value]) => name === 'END' && value === 'VEVENT')).toHaveLength(1);
    const fields = new Map(lines);
    expect(fields.get('VERSION')).toBe('2.0');
    expect(fields.get('PRODID')).toBeTruthy();
    expect(fields.get('DTSTART;VALUE=DATE')).toBe('20270331');
    expect(fields.get('DTEND;VALUE=DATE')).toBe('20270401');
    expect(fields.get('DTSTAMP')).toBe('20261205T133007Z');
    expect(fields.get('SUMMARY')).toBe('Kickoff');
    expect(fields.get('URL')).toBe(event.url);
    expect(unescape(fields.get('DESCRIPTION') ?? '')).toBe(`${event.description}\n${event.url}`);
  });

  it('[http#check-in-calendar] has a UID that stays the same for the board, whatever the date or moment', () => {
    const uid = (ics: string) => new Map(contentLines(ics)).get('UID');
    const first = uid(built());
    expect(first).toMatch(/^check-in-AbCdEfGhIjKlMnOpQrStUv@/);
    expect(uid(built({ date: '2027-06-30', now: new Date() }))).toBe(first);
    expect(uid(built({ boardId: 'ZyXwVuTsRqPoNmLkJiHgFe' }))).not.toBe(first);
  });

  it('[http#check-in-calendar] escapes backslashes, semicolons, commas and line breaks in texts', () => {
    expect(escapeText('a\\b;c,d\ne\r\nf')).toBe('a\\\\b\\;c\\,d\\ne\\nf');
    const title = 'Q1; équipe, "social"\\\nline two';
    const fields = new Map(contentLines(built({ title })));
    expect(fields.get('SUMMARY')).toBe('Q1\\; équipe\\, "social"\\\\\\nline two');
    expect(unescape(fields.get('SUMMARY') ?? '')).toBe(title);
  });

  it('[http#check-in-calendar] folds lines at 75 octets without cutting a multi-byte character', () => {
    const title = 'Lancement de l’équipe — objectifs partagés 🚀 '.repeat(6);
    const ics = built({ title });
    const encoder = new TextEncoder();
    const physical = ics.split('\r\n').filter((line) => line !== '');
    for (const line of physical) expect(encoder.encode(line).length).toBeLessThanOrEqual(75);
    // A long line was folded, each continuation starts with one space, and no character was cut.
    expect(physical.some((line) => line.startsWith(' '))).toBe(true);
    expect(ics).not.toContain('\uFFFD');
    expect(new Map(contentLines(ics)).get('SUMMARY')).toBe(escapeText(title));

    // Exactly 75 octets stays whole; 76 folds, a 3-octet character is moved whole to the next line.
    expect(foldLine('x'.repeat(75))).toBe('x'.repeat(75));
    expect(foldLine('x'.repeat(73) + '€')).toBe('x'.repeat(73) + '\r\n €');
    expect(foldLine('x'.repeat(72) + '€')).toBe('x'.repeat(72) + '€');
  });

  it('[http#check-in-calendar] refuses what is not a calendar date', () => {
    expect(buildCheckInIcs({ ...event, date: '2027-02-30' })).toBeNull();
    expect(buildCheckInIcs({ ...event, date: 'tomorrow' })).toBeNull();
    expect(built({ date: '2028-02-29' })).toContain('DTSTART;VALUE=DATE:20280229\r\n');
    expect(built({ date: '2027-12-31' })).toContain('DTEND;VALUE=DATE:20280101\r\n');
  });
});
