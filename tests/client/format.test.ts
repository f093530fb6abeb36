/** Dates and numbers in the interface's language (client/src/lib/format.ts), through Intl. */
import { describe, expect, it } from 'vitest';
import { formatDate, formatNumber } from '../../client/src/lib/format';

// Intl writes French group separators as a narrow no-break space: compare with plain spaces.
const plain = (text: string): string => text.replace(/[\u202f\u00a0]/g, ' ');

describe('formatDate', () => {
  it('writes a calendar date in words, in French and in English', () => {
    expect(formatDate('2027-03-31', 'fr')).toBe('31 mars 2027');
    expect(formatDate('2027-03-31', 'en')).toBe('March 31, 2027');
    expect(formatDate('2027-01-01', 'fr')).toBe('1 janvier 2027');
  });

  it('keeps the day whatever the time zone: the first and the last day of a year stay in it', () => {
    expect(formatDate('2026-12-31', 'en')).toBe('December 31, 2026');
    expect(formatDate('2027-01-01', 'en')).toBe('January 1, 2027');
  });

  it('shows anything that is not a real calendar date as it is', () => {
    for (const raw of ['2027-02-30', '2027-13-01', '31/03/2027', '', 'soon']) {
      expect(formatDate(raw, 'fr')).toBe(raw);
    }
    expect(formatDate('2028-02-29', 'en')).toBe('February 29, 2028');
  });
});

describe('formatNumber', () => {
  it('uses the language’s decimal mark: a comma in French, a point in English', () => {
    expect(formatNumber(2.8, 'fr')).toBe('2,8');
    expect(formatNumber(2.8, 'en')).toBe('2.8');
  });

  it('keeps one decimal at most by default, and as many as asked', () => {
    expect(formatNumber(21.345, 'fr')).toBe('21,3');
    expect(formatNumber(3, 'en')).toBe('3');
    expect(formatNumber(2.666, 'en', 2)).toBe('2.67');
    expect(formatNumber(2.666, 'en', 0)).toBe('3');
  });

  it('groups thousands as each language does', () => {
    expect(plain(formatNumber(1200, 'fr'))).toBe('1 200');
    expect(formatNumber(1200, 'en')).toBe('1,200');
  });
});
