/**
 * A goal's consent result as the exports carry it (docs/export.md#consent-fields): the result of
 * its last consent round (docs/session.md#consent-rounds), with its close as an ISO date-time.
 */
import type { Locale } from '../board/layout';
import type { ConsentRemark, ConsentResult } from '../session/consent';

export interface ExportedConsent {
  yes: number;
  concerns: ConsentRemark[];
  objections: ConsentRemark[];
  closedAt: string;
}

/** The results per goal id, as the session stores them. */
export type ConsentResults = Readonly<Record<string, ConsentResult>>;

const remarks = (list: readonly ConsentRemark[]): ConsentRemark[] =>
  list.map((remark) =>
    remark.name === undefined ? { text: remark.text } : { text: remark.text, name: remark.name },
  );

/** `{consent}` for a goal whose consent was checked; nothing for any other. */
export function consentField(
  results: ConsentResults | undefined,
  goalId: string,
): { consent?: ExportedConsent } {
  const result = results && Object.hasOwn(results, goalId) ? results[goalId] : undefined;
  if (!result) return {};
  return {
    consent: {
      yes: result.yes,
      concerns: remarks(result.concerns),
      objections: remarks(result.objections),
      closedAt: new Date(result.closedAt).toISOString(),
    },
  };
}

const CONSENT_WORDS = {
  en: {
    counts: (yes: number, concerns: number, objections: number) =>
      `Consent: ${yes} yes, ${concerns} with a concern, ${objections} ${objections === 1 ? 'objection' : 'objections'}`,
    concern: 'Concern',
    objection: 'Objection',
  },
  fr: {
    counts: (yes: number, concerns: number, objections: number) =>
      `Consentement : ${yes} oui, ${concerns} avec une réserve, ${objections} ${objections <= 1 ? 'objection' : 'objections'}`,
    concern: 'Réserve',
    objection: 'Objection',
  },
} satisfies Record<Locale, unknown>;

/**
 * docs/export.md#consent-fields: the Markdown lines under a checked goal, the counts then each
 * remark (`escape` makes a remark inert text), indented as the goal's details are.
 */
export function consentLines(
  consent: ExportedConsent | undefined,
  locale: Locale,
  escape: (text: string) => string,
): string[] {
  if (!consent) return [];
  const words = CONSENT_WORDS[locale];
  const colon = locale === 'fr' ? ' : ' : ': ';
  const remark = (label: string, { text, name }: ConsentRemark): string =>
    `      - ${label}${name === undefined ? '' : ` (${escape(name)})`}${colon}${escape(text)}`;
  return [
    `   - ${words.counts(consent.yes, consent.concerns.length, consent.objections.length)}`,
    ...consent.concerns.map((entry) => remark(words.concern, entry)),
    ...consent.objections.map((entry) => remark(words.objection, entry)),
  ];
}
