/** The words under a goal's check-in chart (client/src/lib/checkin-caption.ts, docs/product.md#check-ins). */
import { describe, expect, it } from 'vitest';
import { checkinCaption } from '../../client/src/lib/checkin-caption';
import { enCheckins, frCheckins } from '../../client/src/lib/i18n/checkins';

const march = { value: '1,200', date: 'March 3, 2027', confidence: 'On track' };

describe('checkinCaption', () => {
  it('[product#check-ins] reads baseline → each check-in → target when the goal has both', () => {
    expect(checkinCaption(enCheckins, '1,000', '10,000', [march])).toBe(
      'baseline 1,000 → 1,200 on March 3, 2027 (On track) → target 10,000',
    );
    expect(checkinCaption(enCheckins, '1,000', '10,000', [])).toBe(
      'baseline 1,000 → nothing recorded yet → target 10,000',
    );
  });

  it('[product#check-ins] says plainly that a baseline or a target is missing, never a bare dash', () => {
    expect(checkinCaption(enCheckins, '', '10,000', [])).toBe(
      'no baseline set → nothing recorded yet → target 10,000',
    );
    expect(checkinCaption(enCheckins, '1,000', '  ', [march])).toBe(
      'baseline 1,000 → 1,200 on March 3, 2027 (On track) → no target set',
    );
    expect(checkinCaption(frCheckins, '', '2 jours', [])).toBe(
      'pas de point de départ noté → rien de noté pour l’instant → cible 2 jours',
    );
  });

  it('[product#check-ins] a goal with neither and no check-in yet gets one plain sentence, in English and French', () => {
    expect(checkinCaption(enCheckins, '', '', [])).toBe(
      'No baseline or target set, and nothing recorded yet.',
    );
    expect(checkinCaption(frCheckins, '', '', [])).toBe(
      'Ni point de départ ni cible notés, et rien d’enregistré pour l’instant.',
    );
    for (const words of [enCheckins, frCheckins])
      expect(checkinCaption(words, '', '', [])).not.toMatch(/—|→/);
  });
});
