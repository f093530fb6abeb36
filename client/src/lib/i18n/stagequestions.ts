/**
 * What the stage says of a discovery question beyond its answers (docs/product.md#the-stage-view):
 * its mode and its themes, in English and French: the `stageQuestions` part of the interface's
 * dictionaries (messages.ts). The French part is typed by the English one.
 */

export const enStageQuestions = {
  privateMode: 'Private until reveal',
  anonymousMode: 'Anonymous',
  /** How many answers the server holds for a private question. */
  held: (count: number) =>
    count === 0
      ? 'No answer held yet: they will be revealed together'
      : count === 1
        ? '1 answer held, revealed together'
        : `${count} answers held, revealed together`,
  themes: 'Themes',
  modeLabel: 'How this question takes answers',
};

export const frStageQuestions: typeof enStageQuestions = {
  privateMode: 'Privé jusqu’au dévoilement',
  anonymousMode: 'Anonyme',
  held: (count) =>
    count === 0
      ? 'Aucune réponse gardée pour l’instant : elles seront dévoilées ensemble'
      : count === 1
        ? '1 réponse gardée, dévoilée avec les autres'
        : `${count} réponses gardées, dévoilées ensemble`,
  themes: 'Thèmes',
  modeLabel: 'Comment cette question reçoit les réponses',
};
