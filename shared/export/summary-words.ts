/**
 * The words of the summary's Markdown and CSV, in the board's language (docs/export.md#summary).
 * Shared by the server's exports and the browser's copy and download.
 */
import type { Locale } from '../board/layout';

export interface SummaryWords {
  summary: string;
  date: string;
  people: string;
  goals: string;
  agreedGoals: string;
  noGoals: string;
  votes: (count: number) => string;
  votesHidden: string;
  tied: string;
  why: string;
  metric: string;
  baseline: string;
  target: string;
  due: string;
  owner: string;
  commitments: string;
  nextCheckIn: string;
  none: string;
  discovery: string;
  noAnswers: string;
  /** What a group of answers is called, and an unnamed one (docs/product.md#themes). */
  theme: string;
  unnamedTheme: string;
  load: string;
  hoursPerWeek: (hours: string) => string;
  timesPerWeek: (times: string) => string;
  answered: (count: number) => string;
  pulse: string;
  pulseAverage: (average: string, count: number) => string;
  pulseHelps: string;
  link: string;
  /** What follows a label: ": " in English, " : " (no-break space) in French. */
  colon: string;
  csv: {
    rank: string;
    title: string;
    why: string;
    metric: string;
    baseline: string;
    target: string;
    due: string;
    owner: string;
    votes: string;
    agreed: string;
    yes: string;
    no: string;
  };
}

const en: SummaryWords = {
  summary: 'Workshop summary',
  date: 'Date',
  people: 'Who took part',
  goals: 'Goals',
  agreedGoals: 'Agreed goals',
  noGoals: 'No goal agreed yet.',
  votes: (count) => (count === 1 ? '1 vote' : `${count} votes`),
  votesHidden: 'votes not revealed yet',
  tied: 'tied',
  why: 'Business objective',
  metric: 'Metric',
  baseline: 'Baseline',
  target: 'Target',
  due: 'Due',
  owner: 'Owner',
  commitments: 'Commitments',
  nextCheckIn: 'Next check-in',
  none: 'None.',
  discovery: 'Discovery',
  noAnswers: 'No answer.',
  theme: 'theme',
  unnamedTheme: 'Unnamed theme',
  load: 'Day-to-day load',
  hoursPerWeek: (hours) => `${hours} h/week`,
  timesPerWeek: (times) => `${times} times/week`,
  answered: (count) => (count === 1 ? '1 answer' : `${count} answers`),
  pulse: 'Team pulse',
  pulseAverage: (average, count) => `Average ${average} / 5 from ${count} answers`,
  pulseHelps: 'What would help',
  link: 'Board',
  colon: ': ',
  csv: {
    rank: 'Rank',
    title: 'Title',
    why: 'Business objective',
    metric: 'Metric',
    baseline: 'Baseline',
    target: 'Target',
    due: 'Due',
    owner: 'Owner',
    votes: 'Votes',
    agreed: 'Agreed',
    yes: 'yes',
    no: 'no',
  },
};

const fr: SummaryWords = {
  summary: 'Synthèse de l’atelier',
  date: 'Date',
  people: 'Participants',
  goals: 'Objectifs',
  agreedGoals: 'Objectifs retenus',
  noGoals: 'Aucun objectif retenu pour l’instant.',
  votes: (count) => (count <= 1 ? `${count} vote` : `${count} votes`),
  votesHidden: 'votes pas encore révélés',
  tied: 'ex æquo',
  why: 'Objectif business',
  metric: 'Indicateur',
  baseline: 'Point de départ',
  target: 'Cible',
  due: 'Échéance',
  owner: 'Responsable',
  commitments: 'Engagements',
  nextCheckIn: 'Prochain point d’étape',
  none: 'Aucun.',
  discovery: 'Découverte',
  noAnswers: 'Aucune réponse.',
  theme: 'thème',
  unnamedTheme: 'Thème sans nom',
  load: 'Charge au quotidien',
  hoursPerWeek: (hours) => `${hours} h/semaine`,
  timesPerWeek: (times) => `${times} fois/semaine`,
  answered: (count) => (count <= 1 ? `${count} réponse` : `${count} réponses`),
  pulse: 'Météo de l’équipe',
  pulseAverage: (average, count) => `Moyenne ${average} / 5 sur ${count} réponses`,
  pulseHelps: 'Ce qui aiderait',
  link: 'Tableau',
  colon: '\u00a0: ',
  csv: {
    rank: 'Rang',
    title: 'Titre',
    why: 'Objectif business',
    metric: 'Indicateur',
    baseline: 'Point de départ',
    target: 'Cible',
    due: 'Échéance',
    owner: 'Responsable',
    votes: 'Votes',
    agreed: 'Retenu',
    yes: 'oui',
    no: 'non',
  },
};

export const SUMMARY_WORDS: Record<Locale, SummaryWords> = { en, fr };

/** A number as people of `locale` write it, at most one decimal. */
export function formatNumber(value: number, locale: Locale): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(value);
}

/** A calendar date (`YYYY-MM-DD`) written out in `locale`, e.g. "31 March 2027". */
export function formatDay(day: string, locale: Locale): string {
  const date = new Date(`${day}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return day;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(date);
}
