/** Same-name participants told apart (client/src/lib/people.ts): a label, initials and a colour each. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { describePeople, hueOf, HUES, initialsOf } from '../../client/src/lib/people';

const labels = (list: Array<{ id: string; name: string }>): string[] =>
  [...describePeople(list).values()].map((person) => person.label);

describe('describePeople', () => {
  it('keeps a name that nobody else chose as it is', () => {
    expect(
      labels([
        { id: 'p1', name: 'Alex' },
        { id: 'p2', name: 'Sam' },
      ]),
    ).toEqual(['Alex', 'Sam']);
  });

  it('gives later namesakes a suffix in join order: the first keeps the plain name', () => {
    const people = [
      { id: 'p1', name: 'Alex' },
      { id: 'p2', name: 'Sam' },
      { id: 'p3', name: 'Alex' },
      { id: 'p4', name: 'Alex' },
    ];
    expect(labels(people)).toEqual(['Alex', 'Sam', 'Alex · 2', 'Alex · 3']);
    // Stable: the first Alex's label does not change when a namesake joins.
    expect(describePeople(people.slice(0, 1)).get('p1')?.label).toBe('Alex');
  });

  it('counts names that read the same as the same: case, spaces and Unicode forms aside', () => {
    const composed = 'Zoé';
    const decomposed = 'Zoe\u0301';
    expect(
      labels([
        { id: 'p1', name: 'alex' },
        { id: 'p2', name: ' ALEX ' },
        { id: 'p3', name: composed },
        { id: 'p4', name: decomposed },
      ]),
    ).toEqual(['alex', ' ALEX  · 2', composed, `${decomposed} · 2`]);
  });

  it('gives namesakes different colours even when their ids hash alike', () => {
    // Find two ids with the same hue.
    const first = 'participant-0';
    let second = '';
    for (let i = 1; second === ''; i++)
      if (hueOf(`participant-${i}`) === hueOf(first)) second = `participant-${i}`;
    const people = describePeople([
      { id: first, name: 'Alex' },
      { id: second, name: 'Alex' },
    ]);
    expect(people.get(first)?.hue).toBe(hueOf(first));
    expect(people.get(second)?.hue).not.toBe(people.get(first)?.hue);
    // People with different names keep the colour of their id.
    const others = describePeople([
      { id: first, name: 'Alex' },
      { id: second, name: 'Sam' },
    ]);
    expect(others.get(second)?.hue).toBe(hueOf(second));
  });

  it('gives a colour among the twelve, the same for an id on every call', () => {
    for (const id of ['a', 'participant-1', 'Zx9_-long-id-000000']) {
      expect(hueOf(id)).toBeGreaterThanOrEqual(0);
      expect(hueOf(id)).toBeLessThan(HUES);
      expect(hueOf(id)).toBe(hueOf(id));
    }
  });
});

describe('initialsOf', () => {
  it('takes the first letters of the first and the last word, in capitals', () => {
    expect(initialsOf('Marie Curie')).toBe('MC');
    expect(initialsOf('jean-paul de la salle')).toBe('JS');
    expect(initialsOf('  alex  ')).toBe('A');
    expect(initialsOf('Élodie')).toBe('É');
    expect(initialsOf('')).toBe('');
  });
});

describe('the colours of participants', () => {
  /** WCAG 2 relative luminance of `#rrggbb`. */
  function luminance(hex: string): number {
    const channels = [1, 3, 5].map((at) => parseInt(hex.slice(at, at + 2), 16) / 255);
    const [r = 0, g = 0, b = 0] = channels.map((v) =>
      v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4,
    );
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  }

  it('[product#how-the-board-reads] every colour has a rule in the stylesheet, dark enough for white initials (4.5:1)', () => {
    const css = readFileSync(new URL('../../client/src/app.css', import.meta.url), 'utf8');
    const palette = new Map(
      [...css.matchAll(/\[data-hue='(\d+)'\]\s*\{\s*--person:\s*(#[0-9a-f]{6});/gi)].map((match) => [
        Number(match[1]),
        match[2] ?? '',
      ]),
    );
    expect([...palette.keys()].sort((a, b) => a - b)).toEqual([...Array(HUES).keys()]);
    for (const [hue, colour] of palette) {
      const contrast = 1.05 / (luminance(colour) + 0.05);
      expect({ hue, colour, enough: contrast >= 4.5 }).toEqual({ hue, colour, enough: true });
    }
  });
});
