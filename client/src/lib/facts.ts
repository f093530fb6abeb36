/**
 * A goal's facts as a list of labelled values (client/src/components/GoalFacts.svelte), so that
 * the views that show a goal's metric, target, due date or owner say which and how, and share the
 * markup. A fact without a value is not shown.
 */
export interface Fact {
  label: string;
  /** The value as text; empty means "not shown". */
  text?: string;
  /** A calendar date (`YYYY-MM-DD`) with its words, shown as a `<time>`. */
  date?: { iso: string; words: string } | null;
  /** Spans the whole row in the columns layout. */
  wide?: boolean;
}

/** A date fact from a goal's due date (null when there is none). */
export function dateFact(label: string, iso: string | null, words: (iso: string) => string): Fact {
  return { label, date: iso ? { iso, words: words(iso) } : null };
}

/** "baseline → target" when either is set, `none` standing for the one missing. */
export function changeFact(label: string, baseline: string, target: string, none: string): Fact {
  return { label, text: baseline || target ? `${baseline || none} → ${target || none}` : '' };
}
