/**
 * How a participant is shown wherever a name appears (presence, card and goal authors, the team
 * load): a colour of their own, their initials and, when several people chose the same name, a
 * short suffix in join order ("Alex", "Alex · 2"), so that two teammates called Alex are never
 * mistaken for one another. Pure: the same list of participants always gives the same result.
 */

/** Colours are twelve hues, 30° apart (the stylesheet's `[data-hue]`: the CSP forbids inline styles). */
export const HUES = 12;

export interface Person {
  id: string;
  /** The name as they typed it. */
  name: string;
  /** The name to show: with a suffix when another participant has the same name. */
  label: string;
  /** One or two letters for a round face. */
  initials: string;
  /** 0 to HUES − 1: their colour. */
  hue: number;
}

/** A colour from an id alone: the same on every screen and for every session. */
export function hueOf(id: string): number {
  let hash = 0;
  for (const char of id) hash = (hash * 31 + (char.codePointAt(0) ?? 0)) % HUES;
  return hash;
}

/** The first letters of the first and the last word: "Marie Curie" → "MC", "alex" → "A". */
export function initialsOf(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const first = [...(words[0] ?? '')][0] ?? '';
  const last = words.length > 1 ? ([...(words.at(-1) ?? '')][0] ?? '') : '';
  return (first + last).toLocaleUpperCase();
}

/** Names that people would read as the same: case, spacing and Unicode forms aside. */
export function sameNameKey(name: string): string {
  return name.normalize('NFC').trim().replace(/\s+/g, ' ').toLocaleLowerCase();
}

/**
 * Everyone in `participants` (in join order, as the meeting lists them), by id. The first to join
 * under a name keeps it as is; each later namesake gets " · 2", " · 3"…, and a colour that no
 * earlier namesake has (while any is left), so that faces differ too.
 */
export function describePeople(
  participants: ReadonlyArray<{ id: string; name: string }>,
): Map<string, Person> {
  const people = new Map<string, Person>();
  const namesakes = new Map<string, Person[]>();
  for (const { id, name } of participants) {
    const key = sameNameKey(name);
    const earlier = namesakes.get(key) ?? [];
    let hue = hueOf(id);
    const taken = new Set(earlier.map((person) => person.hue));
    for (let step = 0; step < HUES && taken.has(hue); step++) hue = (hue + 1) % HUES;
    const person: Person = {
      id,
      name,
      label: earlier.length === 0 ? name : `${name} · ${earlier.length + 1}`,
      initials: initialsOf(name),
      hue,
    };
    earlier.push(person);
    namesakes.set(key, earlier);
    people.set(id, person);
  }
  return people;
}

/** Someone no longer on the board (their cards stay): a name given by the interface, a neutral face. */
export function absentPerson(id: string, name: string): Person {
  return { id, name, label: name, initials: '?', hue: hueOf(id) };
}
