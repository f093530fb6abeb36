/**
 * The built-in templates (docs/product.md#template), drawn from the seed article, in French (its language) and
 * English. `writeTemplate` runs once, on the server, when a board is created; never on load.
 */
import type * as Y from 'yjs';
import { newId } from '../ids';
import { keyBetween } from './order';
import { newItem } from './commands';
import { templateTaskKind } from './daytoday';
import { writeTemplateChallenges } from './challenges';
import { ROOT, type Locale, type TemplateId } from './layout';
import { newText } from './text';

export interface GoalSuggestion {
  title: string;
  why: string;
  metric: string;
}

export interface TemplateContent {
  /** Discovery questions, each a lane of answer cards. */
  discover: readonly string[];
  /** The recurring-task questions of the day-to-day map. */
  tasks: readonly string[];
  /** The hats one "social media manager" wears; people may add their own. */
  hats: readonly string[];
  /** Offered in the goals phase; added to the board only when someone picks one. */
  goalSuggestions: readonly GoalSuggestion[];
  /** Prompts for the "what stands in our way" lane. */
  challenges: readonly string[];
  /** The leader's commitments, offered as editable starters at wrap-up. */
  commitments: readonly string[];
}

const EMPTY: TemplateContent = {
  discover: [],
  tasks: [],
  hats: [],
  goalSuggestions: [],
  challenges: [],
  commitments: [],
};

const SOCIAL_KICKOFF: Record<Locale, TemplateContent> = {
  fr: {
    discover: [
      'Quel est notre public cible ?',
      'Sur quelles plateformes sociales nous concentrons-nous et pourquoi ?',
      'Pour une nouvelle marque qui doit soudainement mettre le pied sur la pédale, comment pouvons-nous faire découvrir notre marque et augmenter notre part de voix sur les réseaux sociaux ?',
      'Comment utilisons-nous les données des réseaux sociaux ? Avons-nous un système pour suivre et rapporter les données sociales ? Sinon, de quoi avons-nous besoin pour en établir un ?',
      'Sur quelles métriques faisons-nous rapport et que signifient réellement ces métriques ? (Demandons des définitions précises.)',
      'Comment puis-je faciliter votre travail et vous aider à atteindre vos objectifs sociaux ?',
    ],
    tasks: [
      'Combien de temps faut-il pour répondre aux messages entrants ?',
      'Combien de temps faut-il pour créer, rédiger et programmer le calendrier social ?',
      'À quelle fréquence analysons-nous et rapportons-nous les données ?',
    ],
    hats: [
      'Créateur de contenu',
      'Gestionnaire de communauté',
      'Stratège numérique',
      'Analyste de données',
      'Designer graphique',
      'Vidéaste',
      'Rédacteur',
      'Photographe',
      'Communicant de crise',
      "Acheteur d'annonces",
    ],
    goalSuggestions: [
      {
        title: 'Augmenter notre audience',
        why: "58 % des spécialistes du marketing en font un objectif principal (Sprout Social Index 2020) ; une audience qui grandit est aussi le signe d'une notoriété accrue.",
        metric: "Nombre d'abonnés",
      },
      {
        title: 'Accroître la notoriété de la marque',
        why: '35 % des spécialistes du marketing la placent parmi leurs 3 priorités (Sprout Social Index 2020).',
        metric: 'Part de voix sur les réseaux sociaux',
      },
    ],
    challenges: ['Identifier et atteindre notre public cible', 'Mesurer le retour sur investissement (ROI)'],
    commitments: [
      "Inviter l'équipe aux réunions des autres départements pour partager les informations sociales",
      "Aider à construire l'analyse de rentabilisation pour obtenir les ressources de veille concurrentielle ou de mesure du ROI",
      'Encourager les recommandations proactives et montrer quels objectifs commerciaux les données sociales peuvent éclairer',
    ],
  },
  en: {
    discover: [
      'Who is our target audience?',
      'Which social platforms do we focus on, and why?',
      'As a new brand that must suddenly step on the gas, how do we get discovered and grow our share of voice on social?',
      'How do we use social data? Do we have a system to track and report it? If not, what do we need to build one?',
      'Which metrics do we report on, and what do they really mean? (Ask for exact definitions.)',
      'How can I make your work easier and help you reach your social goals?',
    ],
    tasks: [
      'How long does it take to answer incoming messages?',
      'How long does it take to create, write and schedule the social calendar?',
      'How often do we analyse and report on our data?',
    ],
    hats: [
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
    ],
    goalSuggestions: [
      {
        title: 'Grow our audience',
        why: '58% of marketers name it a primary goal (2020 Sprout Social Index); a growing audience also shows growing awareness.',
        metric: 'Followers',
      },
      {
        title: 'Increase brand awareness',
        why: '35% of marketers name it a top-3 priority (2020 Sprout Social Index).',
        metric: 'Share of voice on social',
      },
    ],
    challenges: ['Identifying and reaching our target audience', 'Measuring return on investment (ROI)'],
    commitments: [
      "Invite the team to other departments' meetings to share social insights",
      'Help build the business case for the resources to monitor competitors or measure ROI',
      'Encourage proactive recommendations and show which business goals social data can inform',
    ],
  },
};

export function templateContent(template: TemplateId, locale: Locale): TemplateContent {
  return template === 'social-kickoff' ? SOCIAL_KICKOFF[locale] : EMPTY;
}

/** Writes a new board's meta and template content in one transaction. */
export function writeTemplate(
  doc: Y.Doc,
  board: { title: string; locale: Locale; template: TemplateId; createdAt: number },
): void {
  const content = templateContent(board.template, board.locale);
  doc.transact(() => {
    const meta = doc.getMap(ROOT.meta);
    meta.set('title', board.title);
    meta.set('locale', board.locale);
    meta.set('template', board.template);
    meta.set('createdAt', board.createdAt);

    let order: string | null = null;
    const questions = doc.getMap(ROOT.questions);
    const sections = [
      ['discover', content.discover],
      ['day-to-day', content.tasks],
    ] as const;
    for (const [section, texts] of sections) {
      for (const [index, text] of texts.entries()) {
        order = keyBetween(order, null);
        const id = newId();
        const fields = { id, text: newText(text), section, order };
        // A recurring task says whether it asks how long or how often (shared/board/daytoday).
        const kind = section === 'day-to-day' ? templateTaskKind(board.template, index) : undefined;
        questions.set(id, newItem(kind ? { ...fields, kind } : fields));
      }
    }

    order = null;
    const hats = doc.getMap(ROOT.hats);
    for (const label of content.hats) {
      order = keyBetween(order, null);
      const id = newId();
      hats.set(id, newItem({ id, label: newText(label), order }));
    }
    // The article's challenges start the lane beside the goals (docs/product.md#challenges).
    writeTemplateChallenges(doc, content.challenges, board.createdAt);
  }, 'template');
}
