/**
 * The next check-in as a calendar file (docs/http.md#check-in-calendar): one all-day
 * VEVENT in an iCalendar document (RFC 5545), which any calendar app imports. Pure: the moment it
 * is made (DTSTAMP) is given, never read from a clock.
 */
import type { Locale } from '../board/layout';

export interface CheckInEvent {
  boardId: string;
  /** The board's title: the event's summary. */
  title: string;
  /** The check-in's calendar date, `YYYY-MM-DD`. */
  date: string;
  /** The board's participant link: the event's URL, and in its description. */
  url: string;
  /** The sentence before the link in the description (in the board's language). */
  description: string;
  /** When the file is made: DTSTAMP. */
  now: Date;
}

const CALENDAR_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** The longest a content line may be, in octets, not counting its CRLF (RFC 5545, content lines). */
export const ICS_LINE_OCTETS = 75;

/** A real calendar date as its parts, or null (2027-02-30 is not one). */
function calendarDate(date: string): Date | null {
  const match = CALENDAR_DATE.exec(date);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const parsed = new Date(Date.UTC(year, month - 1, day));
  const real =
    parsed.getUTCFullYear() === year && parsed.getUTCMonth() === month - 1 && parsed.getUTCDate() === day;
  return real ? parsed : null;
}

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

/** A DATE value: `20270331`. */
function dateValue(date: Date): string {
  return `${pad(date.getUTCFullYear(), 4)}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}`;
}

/** A UTC DATE-TIME value: `20261205T133000Z`. */
function dateTimeValue(date: Date): string {
  return `${dateValue(date)}T${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}Z`;
}

/** A TEXT value escaped (RFC 5545, the TEXT value type): backslash, semicolon, comma, and line breaks as `\n`. */
export function escapeText(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n');
}

/** How many octets one character (one code point) takes in UTF-8. */
function utf8Octets(char: string): number {
  const code = char.codePointAt(0) ?? 0;
  return code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
}

/**
 * One content line folded so that no physical line is over 75 octets of UTF-8: a continuation
 * starts with one space (which counts in its 75). A character is never cut in the middle.
 */
export function foldLine(line: string): string {
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  for (const char of line) {
    const size = utf8Octets(char);
    const limit = parts.length === 0 ? ICS_LINE_OCTETS : ICS_LINE_OCTETS - 1;
    if (octets + size > limit) {
      parts.push(current);
      current = '';
      octets = 0;
    }
    current += char;
    octets += size;
  }
  parts.push(current);
  return parts.join('\r\n ');
}

/** The event's words, in the board's language. */
export const CHECK_IN_TEXT = {
  en: {
    summary: (title: string) => `Check-in: ${title}`,
    description: 'Regular check-in on the goals the team agreed. The board:',
  },
  fr: {
    summary: (title: string) => `Point régulier : ${title}`,
    description: 'Point régulier sur les objectifs que l’équipe a retenus. Le tableau :',
  },
} as const satisfies Record<Locale, { summary: (title: string) => string; description: string }>;

/** The check-in's file name: always the same, the board's title is in the event. */
export const CHECK_IN_FILE_NAME = 'atelier-check-in.ics';

/**
 * The iCalendar text of the check-in, CRLF line ends, or null when `date` is not a calendar date.
 * Its UID is the board's, so importing a later file updates the event instead of adding another.
 */
export function buildCheckInIcs(event: CheckInEvent): string | null {
  const start = calendarDate(event.date);
  if (!start) return null;
  const end = new Date(start.getTime() + 24 * 60 * 60 * 1000);
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Atelier//Check-in//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    'BEGIN:VEVENT',
    `UID:check-in-${event.boardId}@atelier`,
    `DTSTAMP:${dateTimeValue(event.now)}`,
    `DTSTART;VALUE=DATE:${dateValue(start)}`,
    `DTEND;VALUE=DATE:${dateValue(end)}`,
    `SUMMARY:${escapeText(event.title)}`,
    `DESCRIPTION:${escapeText(`${event.description}\n${event.url}`)}`,
    `URL:${event.url}`,
    'TRANSP:TRANSPARENT',
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return lines.map(foldLine).join('\r\n') + '\r\n';
}
