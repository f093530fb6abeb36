/**
 * The day-to-day map's strings (views/DayToDay and its components), in English and French: the
 * `dayToDay` part of the interface's dictionaries (messages.ts), read as `i18n.t.dayToDay`. Kept
 * in their own file for their number formatting; the French part is typed by the English one.
 */
import type { DurationEstimate, Estimate, Period } from '../../../../shared/board/daytoday';
import { formatNumber } from '../format';

/** One decimal at most, in the language's own way (7.5 / 7,5). */
const n = {
  en: (value: number): string => formatNumber(value, 'en'),
  fr: (value: number): string => formatNumber(value, 'fr'),
};

function isDuration(estimate: Estimate): estimate is DurationEstimate {
  return 'amount' in estimate;
}

const enPeriods: Record<Period, string> = { day: 'a day', week: 'a week', month: 'a month' };
const enTimes = (times: number): string =>
  times === 1 ? 'once' : times === 2 ? 'twice' : `${n.en(times)} times`;
/** Under an hour reads better in minutes. */
const enHours = (hours: number): string =>
  hours > 0 && hours < 1 ? `${Math.round(hours * 60)} min` : `${n.en(hours)} h`;

export const enDayToDay = {
  heading: 'Day-to-day',
  intro:
    'Which hats do you wear, and how much time do the recurring tasks take you? Mark your hats and give your own estimates: the team load shows where someone needs relief.',

  hats: {
    heading: 'The hats we wear',
    intro: 'A social media manager wears many hats. Press each one you wear; press again to take it off.',
    wornBy: (names: string) => `Worn by ${names}`,
    nobody: 'Nobody yet',
    empty: 'No hats on this board yet. Add the first one below.',
    addLabel: 'Add a hat',
    addPlaceholder: 'A hat the list is missing…',
    add: 'Add',
    added: (label: string) => `“${label}” added. Press it if you wear it.`,
    exists: (label: string) => `“${label}” is already on the board.`,
    remove: (label: string) => `Remove “${label}”`,
    removed: (label: string) => `“${label}” removed. Undo (Ctrl+Z) brings it back.`,
    stillWorn: (label: string) => `Someone has just put on “${label}”: it stays.`,
  },

  tasks: {
    heading: 'Recurring tasks',
    intro: 'Your own estimate, for an ordinary week. Leave blank what you do not do.',
    empty: 'No recurring-task questions on this board yet.',
    number: (index: number) => `Task ${index}`,
    kinds: { duration: 'How long', frequency: 'How often' },
    mine: 'My answer',
    amount: 'How much time',
    times: 'How many times',
    unit: 'Unit',
    per: 'Per',
    units: { minutes: 'minutes', hours: 'hours' },
    timesWord: 'times',
    periods: enPeriods,
    saved: 'Saved',
    clear: 'Clear',
    clearLabel: 'Clear my answer',
    invalid: (max: number) => `Enter a number from 0 to ${n.en(max)}.`,
    noAnswers: 'Nobody has answered yet.',
    answers: (count: number) => (count === 1 ? '1 answer' : `${count} answers`),
    teamHours: (total: number, average: number) =>
      `Team: ${enHours(total)} a week in all, ${enHours(average)} per person`,
    teamTimes: (total: number, average: number) =>
      `Team: ${n.en(total)} times a week in all, ${n.en(average)} per person`,
    answersLabel: 'Everyone’s answers',
    addHeading: 'Add a recurring task',
    addLabel: 'Question',
    addPlaceholder: 'e.g. How long does community moderation take?',
    kindLabel: 'It asks',
    add: 'Add the task',
  },

  load: {
    heading: 'Team load',
    intro: 'Who carries the most, and which tasks eat the most time: where to lighten someone’s week.',
    people: 'Hats per person',
    noPeople: 'Nobody has marked a hat or answered yet.',
    hats: (count: number) => (count === 1 ? '1 hat' : `${count} hats`),
    taskHours: (hours: number) => `${enHours(hours)} a week of recurring tasks`,
    tasks: 'Where the time goes',
    noTasks: 'Nobody has answered the recurring-task questions yet.',
    hoursPerWeek: (hours: number) => `${enHours(hours)} / week`,
    timesPerWeek: (times: number) => `${n.en(times)}× / week`,
    often: 'How often',
    note: 'Per working week: “a day” counts five times, “a month” 52/12 weeks.',
  },

  /** One person's answer: “30 minutes a day”, “twice a month”. */
  estimate: (estimate: Estimate): string =>
    isDuration(estimate)
      ? `${n.en(estimate.amount)} ${estimate.unit === 'minutes' ? 'min' : 'h'} ${enPeriods[estimate.per]}`
      : `${enTimes(estimate.times)} ${enPeriods[estimate.per]}`,
};

export type DayToDayMessages = typeof enDayToDay;

const frPeriods: Record<Period, string> = { day: 'par jour', week: 'par semaine', month: 'par mois' };
const frHours = (hours: number): string =>
  hours > 0 && hours < 1 ? `${Math.round(hours * 60)} min` : `${n.fr(hours)} h`;

export const frDayToDay: DayToDayMessages = {
  heading: 'Quotidien',
  intro:
    'Quelles casquettes portez-vous, et combien de temps vous prennent les tâches récurrentes ? Cochez vos casquettes et donnez vos propres estimations : la charge de l’équipe montre qui a besoin d’être soulagé.',

  hats: {
    heading: 'Les casquettes que nous portons',
    intro:
      'Un gestionnaire de réseaux sociaux porte de nombreuses casquettes. Appuyez sur chacune de celles que vous portez ; appuyez de nouveau pour l’enlever.',
    wornBy: (names: string) => `Portée par ${names}`,
    nobody: 'Personne pour l’instant',
    empty: 'Aucune casquette sur ce tableau pour l’instant. Ajoutez la première ci-dessous.',
    addLabel: 'Ajouter une casquette',
    addPlaceholder: 'Une casquette qui manque à la liste…',
    add: 'Ajouter',
    added: (label: string) => `« ${label} » ajoutée. Appuyez dessus si vous la portez.`,
    exists: (label: string) => `« ${label} » est déjà sur le tableau.`,
    remove: (label: string) => `Retirer « ${label} »`,
    removed: (label: string) => `« ${label} » retirée. Annuler (Ctrl+Z) la remet.`,
    stillWorn: (label: string) => `Quelqu’un vient de mettre « ${label} » : elle reste.`,
  },

  tasks: {
    heading: 'Tâches récurrentes',
    intro: 'Votre propre estimation, pour une semaine ordinaire. Laissez vide ce que vous ne faites pas.',
    empty: 'Aucune question sur les tâches récurrentes sur ce tableau pour l’instant.',
    number: (index: number) => `Tâche ${index}`,
    kinds: { duration: 'Combien de temps', frequency: 'À quelle fréquence' },
    mine: 'Ma réponse',
    amount: 'Combien de temps',
    times: 'Combien de fois',
    unit: 'Unité',
    per: 'Par',
    units: { minutes: 'minutes', hours: 'heures' },
    timesWord: 'fois',
    periods: frPeriods,
    saved: 'Enregistré',
    clear: 'Effacer',
    clearLabel: 'Effacer ma réponse',
    invalid: (max: number) => `Saisissez un nombre de 0 à ${n.fr(max)}.`,
    noAnswers: 'Personne n’a encore répondu.',
    answers: (count: number) => (count <= 1 ? `${count} réponse` : `${count} réponses`),
    teamHours: (total: number, average: number) =>
      `Équipe : ${frHours(total)} par semaine au total, ${frHours(average)} par personne`,
    teamTimes: (total: number, average: number) =>
      `Équipe : ${n.fr(total)} fois par semaine au total, ${n.fr(average)} par personne`,
    answersLabel: 'Les réponses de chacun',
    addHeading: 'Ajouter une tâche récurrente',
    addLabel: 'Question',
    addPlaceholder: 'p. ex. Combien de temps prend la modération de la communauté ?',
    kindLabel: 'Elle demande',
    add: 'Ajouter la tâche',
  },

  load: {
    heading: 'Charge de l’équipe',
    intro:
      'Qui en porte le plus, et quelles tâches prennent le plus de temps : où alléger la semaine de quelqu’un.',
    people: 'Casquettes par personne',
    noPeople: 'Personne n’a encore coché de casquette ni répondu.',
    hats: (count: number) => (count <= 1 ? `${count} casquette` : `${count} casquettes`),
    taskHours: (hours: number) => `${frHours(hours)} par semaine de tâches récurrentes`,
    tasks: 'Où passe le temps',
    noTasks: 'Personne n’a encore répondu aux questions sur les tâches récurrentes.',
    hoursPerWeek: (hours: number) => `${frHours(hours)} / semaine`,
    timesPerWeek: (times: number) => `${n.fr(times)} fois / semaine`,
    often: 'À quelle fréquence',
    note: 'Par semaine de travail : « par jour » compte cinq fois, « par mois » 52/12 semaines.',
  },

  estimate: (estimate: Estimate): string =>
    isDuration(estimate)
      ? `${n.fr(estimate.amount)} ${estimate.unit === 'minutes' ? 'min' : 'h'} ${frPeriods[estimate.per]}`
      : `${n.fr(estimate.times)} fois ${frPeriods[estimate.per]}`,
};
