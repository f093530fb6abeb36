/** The kickoff template drawn from the seed article (docs/product.md#template), written into a new board's document. */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  LOCALES,
  readCards,
  readGoals,
  readHats,
  readMeta,
  readQuestions,
  ROOT,
  templateContent,
  writeTemplate,
  type Locale,
  type TemplateContent,
} from '../../shared/board';
import { isId } from '../../shared/ids';

const CREATED_AT = 1_780_000_000_000;

function boardFrom(locale: Locale, template: 'social-kickoff' | 'blank' = 'social-kickoff'): Y.Doc {
  const doc = new Y.Doc();
  writeTemplate(doc, { title: 'Kickoff', locale, template, createdAt: CREATED_AT });
  return doc;
}

describe('writeTemplate: social-kickoff', () => {
  it('[product#template] writes the meta fields', () => {
    expect(readMeta(boardFrom('fr'))).toEqual({
      title: 'Kickoff',
      locale: 'fr',
      template: 'social-kickoff',
      createdAt: CREATED_AT,
      nextCheckIn: null,
    });
  });

  it('[product#discovery-questions] in French, writes the six discovery questions of the seed in order', () => {
    const texts = readQuestions(boardFrom('fr'), 'discover').map((q) => q.text);
    expect(texts).toHaveLength(6);
    expect(texts.slice(0, 3)).toEqual([
      'Quel est notre public cible ?',
      'Sur quelles plateformes sociales nous concentrons-nous et pourquoi ?',
      'Pour une nouvelle marque qui doit soudainement mettre le pied sur la pédale, comment pouvons-nous faire découvrir notre marque et augmenter notre part de voix sur les réseaux sociaux ?',
    ]);
    expect(texts[3]).toMatch(/^Comment utilisons-nous les données des réseaux sociaux \?/);
    expect(texts[4]).toMatch(/^Sur quelles métriques faisons-nous rapport/);
    expect(texts[5]).toBe(
      'Comment puis-je faciliter votre travail et vous aider à atteindre vos objectifs sociaux ?',
    );
  });

  it('[product#discovery-questions] in English, writes the six discovery questions in order', () => {
    const texts = readQuestions(boardFrom('en'), 'discover').map((q) => q.text);
    expect(texts).toHaveLength(6);
    expect(texts.slice(0, 3)).toEqual([
      'Who is our target audience?',
      'Which social platforms do we focus on, and why?',
      'As a new brand that must suddenly step on the gas, how do we get discovered and grow our share of voice on social?',
    ]);
    expect(texts[3]).toMatch(/^How do we use social data\?/);
    expect(texts[4]).toMatch(/^Which metrics do we report on/);
    expect(texts[5]).toBe('How can I make your work easier and help you reach your social goals?');
  });

  it('[product#day-to-day] writes the three recurring-task questions of the day-to-day map, the last asking how often', () => {
    const fr = readQuestions(boardFrom('fr'), 'day-to-day').map((q) => q.text);
    const en = readQuestions(boardFrom('en'), 'day-to-day').map((q) => q.text);
    expect(fr).toEqual([
      'Combien de temps faut-il pour répondre aux messages entrants ?',
      'Combien de temps faut-il pour créer, rédiger et programmer le calendrier social ?',
      'À quelle fréquence analysons-nous et rapportons-nous les données ?',
    ]);
    expect(en).toHaveLength(3);
    expect(en[0]).toMatch(/^How long .* answer incoming messages\?$/);
    expect(en[1]).toMatch(/^How long .* create, write and schedule the social calendar\?$/);
    expect(en[2]).toMatch(/^How often /);
  });

  it('[product#day-to-day] writes the ten hats of the article, in its order', () => {
    expect(readHats(boardFrom('en')).map((h) => h.label)).toEqual([
      'Content creator',
      'Community manager',
      'Digital strategist',
      'Data analyst',
      'Graphic designer',
      'Videographer',
      'Writer',
      'Photographer',
      'Crisis communicator',
      'Ad buyer',
    ]);
    const fr = readHats(boardFrom('fr')).map((h) => h.label);
    expect(fr).toHaveLength(10);
    expect(fr[0]).toBe('Créateur de contenu');
    expect(fr[9]).toBe("Acheteur d'annonces");
  });

  it('[product#goal-suggestions] adds no goals and no cards: suggestions are added only when someone picks one', () => {
    const doc = boardFrom('fr');
    expect(readGoals(doc)).toEqual([]);
    expect(doc.getMap(ROOT.goals).size).toBe(0);
    expect(readCards(doc)).toEqual([]);
    expect(templateContent('social-kickoff', 'en').goalSuggestions.map((g) => g.title)).toEqual([
      'Grow our audience',
      'Increase brand awareness',
    ]);
  });

  it('[sync#ids-and-order] gives every question and hat a valid id equal to its key and a distinct order key', () => {
    const doc = boardFrom('en');
    for (const root of [ROOT.questions, ROOT.hats]) {
      for (const [key, item] of doc.getMap(root).entries()) {
        expect(isId(key)).toBe(true);
        expect((item as Y.Map<unknown>).get('id')).toBe(key);
      }
    }
    const questionOrders = readQuestions(doc).map((q) => q.order);
    expect(questionOrders.every((order) => order !== '')).toBe(true);
    expect(new Set(questionOrders).size).toBe(9);
    expect(new Set(readHats(doc).map((h) => h.order)).size).toBe(10);
  });

  it('[sync#the-sync-endpoint] writes everything in one transaction with the origin "template"', () => {
    const doc = new Y.Doc();
    const origins: unknown[] = [];
    doc.on('afterTransaction', (transaction: Y.Transaction) => origins.push(transaction.origin));
    writeTemplate(doc, { title: 'Kickoff', locale: 'en', template: 'social-kickoff', createdAt: CREATED_AT });
    expect(origins).toEqual(['template']);
  });
});

describe('writeTemplate: blank', () => {
  it('[product#day-to-day] writes the meta and no questions, hats or goals', () => {
    for (const locale of LOCALES) {
      const doc = boardFrom(locale, 'blank');
      expect(readMeta(doc)).toMatchObject({ locale, template: 'blank' });
      expect(doc.getMap(ROOT.questions).size).toBe(0);
      expect(doc.getMap(ROOT.hats).size).toBe(0);
      expect(doc.getMap(ROOT.goals).size).toBe(0);
      const content = templateContent('blank', locale);
      for (const list of Object.values(content) as unknown[][]) expect(list).toEqual([]);
    }
  });
});

describe('templateContent', () => {
  it('[product#template] has the same number of entries in French and English for every list', () => {
    const fr = templateContent('social-kickoff', 'fr');
    const en = templateContent('social-kickoff', 'en');
    const lists = Object.keys(fr) as Array<keyof TemplateContent>;
    expect(lists.sort()).toEqual([
      'challenges',
      'commitments',
      'discover',
      'goalSuggestions',
      'hats',
      'tasks',
    ]);
    for (const list of lists) expect(en[list].length, list).toBe(fr[list].length);
    expect({
      discover: fr.discover.length,
      tasks: fr.tasks.length,
      hats: fr.hats.length,
      goalSuggestions: fr.goalSuggestions.length,
      challenges: fr.challenges.length,
      commitments: fr.commitments.length,
    }).toEqual({ discover: 6, tasks: 3, hats: 10, goalSuggestions: 2, challenges: 2, commitments: 3 });
  });

  it('[product#challenges] offers the two challenges of the article: reaching the target audience, then measuring ROI', () => {
    expect(templateContent('social-kickoff', 'fr').challenges).toEqual([
      'Identifier et atteindre notre public cible',
      'Mesurer le retour sur investissement (ROI)',
    ]);
    expect(templateContent('social-kickoff', 'en').challenges[1]).toMatch(/ROI/);
  });

  it('[product#template][errors#text-limits] keeps every template text within the 500-unit limit and non-empty', () => {
    for (const locale of LOCALES) {
      const content = templateContent('social-kickoff', locale);
      const texts = [
        ...content.discover,
        ...content.tasks,
        ...content.hats,
        ...content.challenges,
        ...content.commitments,
        ...content.goalSuggestions.flatMap((g) => [g.title, g.why, g.metric]),
      ];
      for (const text of texts) {
        expect(text.trim()).toBe(text);
        expect(text.length).toBeGreaterThan(0);
        expect(text.length).toBeLessThanOrEqual(500);
      }
    }
  });
});
