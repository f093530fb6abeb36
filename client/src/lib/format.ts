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
