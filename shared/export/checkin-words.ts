/**
 * The words the summary's Markdown and CSV use for check-ins (docs/export.md#check-in-fields), in
 * the board's language; the interface has its own (client/src/lib/i18n/checkins.ts).
 */
import type { Confidence } from '../board/checkins';
import type { Locale } from '../board/layout';

export interface CheckinWords {
  checkins: string;
  open: string;
  noRecord: string;
  confidence: Record<Confidence, string>;
  csv: { date: string; current: string; confidence: string; note: string };
}

export const CHECKIN_WORDS: Record<Locale, CheckinWords> = {
  en: {
    checkins: 'Check-ins',
    open: 'open',
    noRecord: 'Nothing recorded.',
    confidence: { 'on-track': 'on track', 'at-risk': 'at risk', 'off-track': 'off track' },
    csv: {
      date: 'Last check-in',
      current: 'Current value',
      confidence: 'Confidence',
      note: 'Check-in note',
    },
  },
  fr: {
    checkins: 'Points d’étape',
    open: 'en cours',
    noRecord: 'Rien de noté.',
    confidence: { 'on-track': 'en bonne voie', 'at-risk': 'à risque', 'off-track': 'en retard' },
    csv: {
      date: 'Dernier point d’étape',
      current: 'Valeur actuelle',
      confidence: 'Confiance',
      note: 'Note du point d’étape',
    },
  },
};

/** A recorded value as people of `locale` write it, with up to four decimals. */
export function formatValue(value: number, locale: Locale): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 4 }).format(value);
}
