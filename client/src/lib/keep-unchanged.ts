/**
 * Structural sharing for what the readers give: after a change of the document, every item whose
 * content did not change is given back as the very object read before, and a group whose items all
 * stayed is given back as the array it was. Svelte compares by identity, so a keystroke in one card
 * updates that card on screen, not the 2,000 around it (docs/quality.md#the-client-on-a-big-board).
 */
import { sameData } from './equal';

/** `next` with each item equal to one in `previous` (same id, same content) replaced by it. */
export function keepItems<T extends { id: string }>(previous: readonly T[] | undefined, next: T[]): T[] {
  if (!previous || previous.length === 0) return next;
  const before = new Map(previous.map((item) => [item.id, item]));
  let changed = previous.length !== next.length;
  const result = next.map((item, index) => {
    const old = before.get(item.id);
    const kept = old !== undefined && sameData(old, item) ? old : item;
    if (kept !== previous[index]) changed = true;
    return kept;
  });
  return changed ? result : (previous as T[]);
}

/** The same for groups by key (cards by question, themes by question). */
export function keepGroups<T extends { id: string }>(
  previous: ReadonlyMap<string, T[]> | undefined,
  next: Map<string, T[]>,
): Map<string, T[]> {
  if (!previous) return next;
  for (const [key, group] of next) next.set(key, keepItems(previous.get(key), group));
  return next;
}
