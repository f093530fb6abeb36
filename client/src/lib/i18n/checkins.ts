/**
 * The Check-ins panel's strings (docs/product.md#check-ins), in English and French: the `checkins`
 * part of the interface's dictionaries (messages.ts), read as `i18n.t.checkins`; the French part
 * is typed by the English one.
 */
import type { Confidence } from '../../../../shared/board/checkins';

export const enCheckins = {
  heading: 'Check-ins',
  intro:
    'Every 30, 60 or 90 days, meet again: record where each agreed goal stands now, and how confident you are.',
  noGoals: 'Check-ins follow the agreed goals: agree on a goal first.',
  none: 'No check-in yet.',
  startHeading: 'Start a check-in',
  date: 'Date of the check-in',
  label: 'Label (optional)',
  labelPlaceholder: 'e.g. 30 days',
  start: 'Start the check-in',
  close: 'Close the check-in',
  openNow: (date: string, label: string) => `Check-in of ${date}${label ? ` (${label})` : ''} is open.`,
  waiting: 'No check-in is open: the facilitator starts one.',
  current: 'Current value',
  confidence: 'Confidence',
  note: 'Note (optional)',
  record: 'Record',
  recorded: 'Recorded.',
  confidenceName: {
    'on-track': 'On track',
    'at-risk': 'At risk',
    'off-track': 'Off track',
  } satisfies Record<Confidence, string>,
  baseline: 'Baseline',
  target: 'Target',
  chartLabel: (title: string) => `Progress of “${title}”`,
  caption: (parts: string[]) => parts.join(' → '),
  captionBaseline: (value: string) => `baseline ${value}`,
  captionPoint: (value: string, date: string, confidence: string) => `${value} on ${date} (${confidence})`,
  captionTarget: (value: string) => `target ${value}`,
  captionNothing: 'nothing recorded yet',
  history: 'History',
  open: 'open',
  closed: 'closed',
  nothingRecorded: 'Nothing recorded.',
  recordFor: (title: string) => `Record for “${title}”`,
};

export const frCheckins: typeof enCheckins = {
  heading: 'Points d’étape',
  intro:
    'Tous les 30, 60 ou 90 jours, retrouvez-vous : notez où en est chaque objectif retenu, et votre confiance.',
  noGoals: 'Les points d’étape suivent les objectifs retenus : retenez d’abord un objectif.',
  none: 'Aucun point d’étape pour l’instant.',
  startHeading: 'Ouvrir un point d’étape',
  date: 'Date du point d’étape',
  label: 'Libellé (facultatif)',
  labelPlaceholder: 'p. ex. 30 jours',
  start: 'Ouvrir le point d’étape',
  close: 'Clore le point d’étape',
  openNow: (date: string, label: string) =>
    `Le point d’étape du ${date}${label ? ` (${label})` : ''} est ouvert.`,
  waiting: 'Aucun point d’étape n’est ouvert : l’animateur en ouvre un.',
  current: 'Valeur actuelle',
  confidence: 'Confiance',
  note: 'Note (facultative)',
  record: 'Enregistrer',
  recorded: 'Enregistré.',
  confidenceName: {
    'on-track': 'En bonne voie',
    'at-risk': 'À risque',
    'off-track': 'En retard',
  },
  baseline: 'Départ',
  target: 'Cible',
  chartLabel: (title: string) => `Progression de « ${title} »`,
  caption: (parts: string[]) => parts.join(' → '),
  captionBaseline: (value: string) => `départ ${value}`,
  captionPoint: (value: string, date: string, confidence: string) => `${value} le ${date} (${confidence})`,
  captionTarget: (value: string) => `cible ${value}`,
  captionNothing: 'rien de noté pour l’instant',
  history: 'Historique',
  open: 'en cours',
  closed: 'clos',
  nothingRecorded: 'Rien de noté.',
  recordFor: (title: string) => `Noter « ${title} »`,
};
