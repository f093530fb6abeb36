/**
 * Dates and numbers as the interface's language writes them (`Intl`): "31 mars 2027" and "2,8" in
 * French, "March 31, 2027" and "2.8" in English. Pure: the language is given, never read from a
 * global, so that the dictionaries and the tests call it alike. Formatters are made once per
 * language and kind (they are costly to build, cheap to use).
 */

const cache = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();

function numberFormat(language: string, maximumFractionDigits: number): Intl.NumberFormat {
  const key = `n|${language}|${maximumFractionDigits}`;
  let format = cache.get(key);
  if (!(format instanceof Intl.NumberFormat)) {
    format = new Intl.NumberFormat(language, { maximumFractionDigits });
    cache.set(key, format);
  }
  return format;
}

function dateFormat(language: string): Intl.DateTimeFormat {
  const key = `d|${language}`;
  let format = cache.get(key);
  if (!(format instanceof Intl.DateTimeFormat)) {
    // Calendar dates are read and written in UTC, so that no time zone moves them by a day.
    format = new Intl.DateTimeFormat(language, { dateStyle: 'long', timeZone: 'UTC' });
    cache.set(key, format);
  }
  return format;
}

/** A number with at most `maximumFractionDigits` decimals (one by default): "7,5", "1 200", "2.8". */
export function formatNumber(value: number, language: string, maximumFractionDigits = 1): string {
  return numberFormat(language, maximumFractionDigits).format(value);
}

const CALENDAR_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * A calendar date (`YYYY-MM-DD`, as goals and check-ins hold them) in words: "31 mars 2027".
 * Anything that is not a real calendar date is shown as it is.
 */
export function formatDate(date: string, language: string): string {
  const match = CALENDAR_DATE.exec(date);
  if (!match) return date;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const time = Date.UTC(year, month - 1, day);
  const parsed = new Date(time);
  // Date.UTC rolls 2027-02-30 over to March: such a date is not one.
  if (parsed.getUTCFullYear() !== year || parsed.getUTCMonth() !== month - 1 || parsed.getUTCDate() !== day) {
    return date;
  }
  return dateFormat(language).format(parsed);
}

const RELATIVE_UNITS: ReadonlyArray<[Intl.RelativeTimeFormatUnit, number]> = [
  ['year', 365 * 24 * 60 * 60 * 1000],
  ['month', 30 * 24 * 60 * 60 * 1000],
  ['week', 7 * 24 * 60 * 60 * 1000],
  ['day', 24 * 60 * 60 * 1000],
  ['hour', 60 * 60 * 1000],
  ['minute', 60 * 1000],
];

const relativeCache = new Map<string, Intl.RelativeTimeFormat>();

/**
 * How long ago `time` was, seen from `now` (both epoch milliseconds), in the largest whole unit:
 * "2 hours ago", "il y a 2 heures", "yesterday", "now" (under a minute, or in the future).
 */
export function formatRelativeTime(time: number, now: number, language: string): string {
  let format = relativeCache.get(language);
  if (!format) {
    format = new Intl.RelativeTimeFormat(language, { numeric: 'auto' });
    relativeCache.set(language, format);
  }
  const elapsed = Math.max(0, now - time);
  for (const [unit, size] of RELATIVE_UNITS) {
    if (elapsed >= size) return format.format(-Math.floor(elapsed / size), unit);
  }
  return format.format(0, 'second');
}
