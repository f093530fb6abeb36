/**
 * The consent columns of the goals CSV (docs/export.md#consent-fields): present once some goal of
 * the summary has a consent result, like the check-in columns. One cell counts the answers, the
 * other lists each concern and objection on a line of its own, with its author's name only when
 * the round was named.
 */
import type { Locale } from '../board/layout';
import type { ConsentRemark } from '../session/consent';
import type { ExportedConsent } from './consent';

const plural = (count: number, one: string, many: string): string => `${count} ${count === 1 ? one : many}`;

export const CONSENT_CSV_WORDS = {
  en: {
    header: ['Consent', 'Concerns and objections'],
    counts: (yes: number, concerns: number, objections: number) =>
      `${yes} yes / ${plural(concerns, 'concern', 'concerns')} / ${plural(objections, 'objection', 'objections')}`,
    concern: 'Concern',
    objection: 'Objection',
    colon: ': ',
  },
  fr: {
    // French keeps 0 and 1 in the singular.
    header: ['Consentement', 'Réserves et objections'],
    counts: (yes: number, concerns: number, objections: number) =>
      `${yes} oui / ${concerns} ${concerns <= 1 ? 'réserve' : 'réserves'} / ${objections} ${objections <= 1 ? 'objection' : 'objections'}`,
    concern: 'Réserve',
    objection: 'Objection',
    colon: ' : ',
  },
} satisfies Record<Locale, unknown>;

/** A remark as one line: its own line breaks and control characters become spaces. */
const oneLine = (text: string): string =>
  // eslint-disable-next-line no-control-regex -- control characters are what this removes
  text.replace(/[\u0000-\u001f\u007f]+/g, ' ');

/** The two header cells. */
export function consentCsvHeader(locale: Locale): string[] {
  return [...CONSENT_CSV_WORDS[locale].header];
}

/** A goal's two cells: empty when its consent was never checked. */
export function consentCsvCells(consent: ExportedConsent | undefined, locale: Locale): string[] {
  if (!consent) return ['', ''];
  const words = CONSENT_CSV_WORDS[locale];
  const line = (label: string, { text, name }: ConsentRemark): string =>
    `${label}${name === undefined ? '' : ` (${oneLine(name)})`}${words.colon}${oneLine(text)}`;
  const remarks = [
    ...consent.concerns.map((remark) => line(words.concern, remark)),
    ...consent.objections.map((remark) => line(words.objection, remark)),
  ];
  return [words.counts(consent.yes, consent.concerns.length, consent.objections.length), remarks.join('\n')];
}
