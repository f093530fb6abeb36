/**
 * The words under a goal's check-in chart (docs/product.md#check-ins): baseline → each check-in →
 * target, in one line, a missing baseline or target said plainly rather than drawn as a dash.
 */
import type { enCheckins } from './i18n/checkins';

type Words = Pick<
  typeof enCheckins,
  | 'caption'
  | 'captionBaseline'
  | 'captionPoint'
  | 'captionTarget'
  | 'captionNothing'
  | 'captionNoBaseline'
  | 'captionNoTarget'
  | 'captionEmpty'
>;

/** One check-in's value, date and confidence, already written in the interface's language. */
export interface CaptionPoint {
  value: string;
  date: string;
  confidence: string;
}

/** `baseline` and `target` as they should read (a number already formatted); empty: not set. */
export function checkinCaption(
  words: Words,
  baseline: string,
  target: string,
  points: readonly CaptionPoint[],
): string {
  const start = baseline.trim();
  const end = target.trim();
  if (start === '' && end === '' && points.length === 0) return words.captionEmpty;
  const parts = [start === '' ? words.captionNoBaseline : words.captionBaseline(start)];
  if (points.length === 0) parts.push(words.captionNothing);
  for (const point of points) parts.push(words.captionPoint(point.value, point.date, point.confidence));
  parts.push(end === '' ? words.captionNoTarget : words.captionTarget(end));
  return words.caption(parts);
}
