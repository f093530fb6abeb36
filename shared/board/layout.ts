/**
 * The board document's layout (docs/sync.md#document-layout). Root names and item shapes are known here and in the
 * readers and commands beside this file, nowhere else.
 */

export const ROOT = {
  meta: 'meta',
  questions: 'questions',
  cards: 'cards',
  goals: 'goals',
  hats: 'hats',
  /** One entry per participant: the hats they wear and their task estimates (shared/board/daytoday.ts). */
  workload: 'workload',
  /** The leader's commitments at wrap-up. */
  commitments: 'commitments',
  /** What stands in the team's way; goals name those they address (shared/board/challenges.ts). */
  challenges: 'challenges',
  /** The metrics the team reports, each precisely defined (shared/board/glossary.ts). */
  glossary: 'glossary',
  /** Answers grouped because they say the same thing (shared/board/themes.ts). */
  themes: 'themes',
} as const;

export type RootName = (typeof ROOT)[keyof typeof ROOT];

/** The roots a person edits by hand: an undo manager tracks these (all of them, today). */
export const UNDO_ROOTS: readonly RootName[] = [
  ROOT.questions,
  // Before cards: grouping changes both, and is told as a change of a theme.
  ROOT.themes,
  ROOT.cards,
  ROOT.goals,
  ROOT.hats,
  ROOT.workload,
  ROOT.commitments,
  ROOT.meta,
  ROOT.challenges,
  ROOT.glossary,
];

export const LOCALES = ['fr', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

export const TEMPLATE_IDS = ['social-kickoff', 'blank'] as const;
export type TemplateId = (typeof TEMPLATE_IDS)[number];

/** Which part of the workshop a question belongs to. */
export const SECTIONS = ['discover', 'day-to-day'] as const;
export type Section = (typeof SECTIONS)[number];

/** Text limits in UTF-16 code units, JavaScript's `length` (docs/errors.md#text-limits). */
export const LIMIT = {
  title: 120,
  name: 40,
  text: 500,
} as const;

export interface BoardMeta {
  title: string;
  locale: Locale;
  template: TemplateId;
  createdAt: number;
  /** The date of the next regular check-in (`YYYY-MM-DD`), set at wrap-up; null until then. */
  nextCheckIn: string | null;
}

export interface Commitment {
  id: string;
  text: string;
  /** Who carries it (free text: usually the leader). */
  owner: string;
  createdAt: number;
  order: string;
}

export interface Question {
  id: string;
  text: string;
  section: Section;
  order: string;
}

export interface Card {
  id: string;
  questionId: string;
  text: string;
  authorId: string;
  createdAt: number;
  /** '' when unset: cards sort by order, then creation time, then id. */
  order: string;
}

export interface Hat {
  id: string;
  label: string;
  order: string;
  /** Added on the board by someone (not one of the template's): it may be taken off again. */
  added: boolean;
}

export interface Goal {
  id: string;
  title: string;
  /** The business objective the goal serves. */
  why: string;
  metric: string;
  baseline: string;
  target: string;
  /** `YYYY-MM-DD`, or null when not set. */
  due: string | null;
  owner: string;
  authorId: string;
  createdAt: number;
  order: string;
  /** The theme the goal was drafted from, when it was (docs/product.md#themes). */
  source?: GoalSource;
}

/** Where a goal came from: a theme and the answers it held then. */
export interface GoalSource {
  themeId: string;
  cardIds: string[];
}

/** Answers to one question grouped because they say the same thing. */
export interface Theme {
  id: string;
  questionId: string;
  /** '' until someone names it. */
  name: string;
  authorId: string;
  createdAt: number;
  /** Its answers, in their display order; never empty. */
  cardIds: string[];
}
