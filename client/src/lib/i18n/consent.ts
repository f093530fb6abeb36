/**
 * Consent rounds (docs/session.md#consent-rounds) in English and French: the `consent` part of
 * the interface's dictionaries (messages.ts), read as `i18n.t.consent`. The French part is typed
 * by the English one.
 */
import type { ConsentAnswer } from '../../../../shared/session/consent';

export const enConsent = {
  check: 'Check consent',
  named: 'Show names with concerns and objections',
  question: (goal: string) => `Can you live with “${goal}”?`,
  legend: 'Your answer',
  answers: {
    yes: 'Yes, I can live with it',
    concern: 'Yes, with a concern',
    objection: 'I object',
  } satisfies Record<ConsentAnswer, string>,
  textLabel: {
    concern: 'Your concern',
    objection: 'Your reason',
  },
  send: 'Send my answer',
  change: 'Change my answer',
  sent: (answer: string) => `Your answer: ${answer}. You can change it until the round closes.`,
  answeredOf: (answered: number, of: number) => `${answered} of ${of} answered`,
  close: 'Close the round',
  namedNote: 'Names are shown with concerns and objections.',
  anonymousNote: 'Concerns and objections are anonymous.',
  result: (yes: number, concerns: number, objections: number) =>
    `Consent: ${yes} yes, ${concerns} with a concern, ${objections} ${objections === 1 ? 'objection' : 'objections'}`,
  concern: 'Concern',
  objection: 'Objection',
};

export const frConsent: typeof enConsent = {
  check: 'Vérifier le consentement',
  named: 'Afficher les noms avec les réserves et objections',
  question: (goal) => `Pouvez-vous vivre avec « ${goal} » ?`,
  legend: 'Votre réponse',
  answers: {
    yes: 'Oui, je peux vivre avec',
    concern: 'Oui, avec une réserve',
    objection: 'Je m’y oppose',
  },
  textLabel: {
    concern: 'Votre réserve',
    objection: 'Votre raison',
  },
  send: 'Envoyer ma réponse',
  change: 'Changer ma réponse',
  sent: (answer) => `Votre réponse : ${answer}. Vous pouvez la changer jusqu’à la clôture du tour.`,
  answeredOf: (answered, of) => `${answered} sur ${of} ont répondu`,
  close: 'Clore le tour',
  namedNote: 'Les noms accompagnent les réserves et objections.',
  anonymousNote: 'Les réserves et objections sont anonymes.',
  result: (yes, concerns, objections) =>
    `Consentement : ${yes} oui, ${concerns} avec une réserve, ${objections} ${objections <= 1 ? 'objection' : 'objections'}`,
  concern: 'Réserve',
  objection: 'Objection',
};
