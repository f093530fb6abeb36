/**
 * Private and anonymous answers (docs/product.md#private-and-anonymous-answers), in English and
 * French: the `answers` part of the interface's dictionaries (messages.ts), read as
 * `i18n.t.answers`. The French part is typed by the English one.
 */

export const enAnswers = {
  /** The facilitator's group of mode switches for one question. */
  modesLabel: (n: number) => `How question ${n} takes answers`,
  privateToggle: 'Private until reveal',
  anonymousToggle: 'Anonymous',
  reveal: 'Reveal',
  revealLabel: (n: number) => `Reveal the answers to question ${n}`,
  /** The mode as everyone reads it, under the question. */
  privateMode: 'Private until reveal: only you see your answers until the facilitator reveals them.',
  anonymousMode: 'Anonymous: answers carry no name, for anyone.',
  namedEarlier: (count: number) =>
    count === 1
      ? '1 answer given before this question became anonymous still shows its author.'
      : `${count} answers given before this question became anonymous still show their author.`,
  /** What the others see of the held answers. */
  heldCount: (count: number) =>
    count === 0
      ? 'No answers yet.'
      : count === 1
        ? 'Someone is writing · 1 answer so far'
        : `Someone is writing · ${count} answers so far`,
  myAnswersHeading: 'Your private answers',
  onlyYou: 'Only you see these until the reveal.',
  editAnswer: 'Edit',
  saveAnswer: 'Save',
  cancelEdit: 'Cancel',
  deleteAnswer: 'Delete',
  editLabel: 'Edit your private answer',
  editAnonymousLabel: 'Edit your anonymous answer',
  anonymousAuthor: 'Anonymous',
};

export const frAnswers: typeof enAnswers = {
  modesLabel: (n) => `Comment la question ${n} reçoit les réponses`,
  privateToggle: 'Privé jusqu’au dévoilement',
  anonymousToggle: 'Anonyme',
  reveal: 'Dévoiler',
  revealLabel: (n) => `Dévoiler les réponses à la question ${n}`,
  privateMode:
    'Privé jusqu’au dévoilement : vous seul voyez vos réponses, jusqu’à ce que l’animateur les dévoile.',
  anonymousMode: 'Anonyme : les réponses ne portent aucun nom, pour personne.',
  namedEarlier: (count) =>
    count === 1
      ? '1 réponse donnée avant le passage en anonyme montre encore son auteur.'
      : `${count} réponses données avant le passage en anonyme montrent encore leur auteur.`,
  heldCount: (count) =>
    count === 0
      ? 'Pas encore de réponse.'
      : count === 1
        ? 'Quelqu’un écrit · 1 réponse pour l’instant'
        : `Quelqu’un écrit · ${count} réponses pour l’instant`,
  myAnswersHeading: 'Vos réponses privées',
  onlyYou: 'Vous seul les voyez jusqu’au dévoilement.',
  editAnswer: 'Modifier',
  saveAnswer: 'Enregistrer',
  cancelEdit: 'Annuler',
  deleteAnswer: 'Supprimer',
  editLabel: 'Modifier votre réponse privée',
  editAnonymousLabel: 'Modifier votre réponse anonyme',
  anonymousAuthor: 'Anonyme',
};
