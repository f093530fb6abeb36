/**
 * Strings for what makes the workshop read well: ties in a ranking, goals that lack a metric or a
 * target, the wrap-up's summary, lanes wider than the screen and the facilitator's question tools.
 * The `details` part of the interface's dictionaries (messages.ts), read as `i18n.t.details`; the
 * French part is typed by the English one.
 */
import type { MissingPart } from '../goal-check';

const enMissing = (missing: readonly MissingPart[]): string =>
  missing.length > 1 ? 'a metric and a target' : missing[0] === 'metric' ? 'a metric' : 'a target';

export const enDetails = {
  ties: {
    tied: 'tied',
    /** The place, read out with the mark: "#2, tied with another goal". */
    placeLabel: (place: number, tied: boolean) =>
      tied ? `Rank ${place}, tied with another goal` : `Rank ${place}`,
  },

  measurable: {
    hint: (missing: readonly MissingPart[]) => `Add ${enMissing(missing)} to make it measurable.`,
    confirm: (title: string, missing: readonly MissingPart[]) =>
      `“${title}” has no ${missing.length > 1 ? 'metric and no target' : missing[0]} yet: nobody will be able to tell whether it is reached. Agree it anyway?`,
    agreeAnyway: 'Agree anyway',
    notYet: 'Not yet',
  },

  summary: {
    label: 'Agreed goals',
    why: 'Business objective',
    metric: 'Metric',
    change: 'Baseline → target',
    due: 'Due',
    owner: 'Owner',
    votes: 'Votes',
    none: '—',
    showJson: 'Show JSON',
    hideJson: 'Hide JSON',
  },

  lanes: {
    editQuestions: 'Edit questions',
    previous: 'Scroll to the previous questions',
    next: 'Scroll to the next questions',
  },
};

export type Details = typeof enDetails;

const frMissing = (missing: readonly MissingPart[]): string =>
  missing.length > 1 ? 'une métrique et une cible' : missing[0] === 'metric' ? 'une métrique' : 'une cible';

export const frDetails: Details = {
  ties: {
    tied: 'ex aequo',
    placeLabel: (place: number, tied: boolean) =>
      tied ? `Rang ${place}, ex aequo avec un autre objectif` : `Rang ${place}`,
  },

  measurable: {
    hint: (missing: readonly MissingPart[]) => `Ajoutez ${frMissing(missing)} pour le rendre mesurable.`,
    confirm: (title: string, missing: readonly MissingPart[]) =>
      `« ${title} » n’a pas encore ${missing.length > 1 ? 'de métrique ni de cible' : missing[0] === 'metric' ? 'de métrique' : 'de cible'} : personne ne pourra dire s’il est atteint. Le valider quand même ?`,
    agreeAnyway: 'Valider quand même',
    notYet: 'Pas encore',
  },

  summary: {
    label: 'Objectifs validés',
    why: 'Objectif commercial',
    metric: 'Métrique',
    change: 'Point de départ → cible',
    due: 'Échéance',
    owner: 'Responsable',
    votes: 'Points',
    none: '—',
    showJson: 'Afficher le JSON',
    hideJson: 'Masquer le JSON',
  },

  lanes: {
    editQuestions: 'Modifier les questions',
    previous: 'Faire défiler vers les questions précédentes',
    next: 'Faire défiler vers les questions suivantes',
  },
};
