/**
 * French punctuation in the interface (docs/product.md#how-the-board-reads): a space before a
 * colon, in every French string and after every label a component writes with its value.
 */
import { describe, expect, it } from 'vitest';
import { MESSAGES } from '../../client/src/lib/i18n/messages';

/** Every string of a dictionary, its functions called with a few sample words and numbers. */
function strings(value: unknown, path: string, out: Array<[string, string]>): Array<[string, string]> {
  if (typeof value === 'string') out.push([path, value]);
  else if (typeof value === 'function') {
    for (const args of [
      ['Zoé', 'Ana', 'Léo'],
      [0, 3, 5],
      [1, 1, 1],
      [2, 5, 3],
    ]) {
      // Some take an object rather than words or numbers: those are read where they are tested.
      let result: unknown;
      try {
        result = (value as (...args: unknown[]) => unknown)(...args);
      } catch {
        continue;
      }
      strings(result, `${path}()`, out);
    }
  } else if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) strings(inner, `${path}.${key}`, out);
  }
  return out;
}

describe('[product#how-the-board-reads] punctuation in French and English', () => {
  it('[product#how-the-board-reads] a label and its value: “Responsable : Zoé” in French, “Owner: Zoé” in English', () => {
    const fr = MESSAGES.fr.punctuation.label(MESSAGES.fr.glossary.fields.owner);
    const en = MESSAGES.en.punctuation.label(MESSAGES.en.glossary.fields.owner);
    expect(`${fr} Zoé`).toBe('Responsable\u00a0: Zoé');
    expect(`${en} Zoé`).toBe('Owner: Zoé');
    expect(MESSAGES.fr.punctuation.label(MESSAGES.fr.board.people)).toBe('Personnes sur ce tableau\u00a0:');
  });

  it('[product#how-the-board-reads] no French string glues a colon to the word before it (times and addresses aside)', () => {
    const glued = strings(MESSAGES.fr, 'fr', [])
      .filter(([, text]) => /[^\s\u00a0\u202f]:(?!\/\/|\d)/.test(text))
      .map(([path, text]) => `${path}: ${text}`);
    expect(glued).toEqual([]);
  });
});
