/**
 * What the stage says at Agree and Wrap-up (docs/product.md#the-stage-view), and the Wrap-up's
 * take-away panel (docs/product.md#the-summary-page), in English and French: the `stageWrap` part
 * of the interface's dictionaries (messages.ts). The French part is typed by the English one.
 */

export const enStageWrap = {
  /** The Agree phase's heading, once the tallies are revealed. */
  ranking: 'The ranking',
  /** Before the reveal: the goals in the order they were proposed. */
  proposed: 'Goals, in the order proposed',
  hiddenOrder: 'The votes stay hidden until the facilitator reveals them.',
  /** The open consent round's panel. */
  roundHeading: 'Consent round',
  roundHint: 'Answer on your phone. Nobody’s answer shows before the round closes.',
  commitments: 'The leader’s commitments',
  /** A goal's baseline → target with one or both missing. */
  notSet: 'not set',
  /** The take-away panel's part for the goals file. */
  goalsFile: 'The goals file (JSON)',
  goalsFileHint: 'The agreed goals as structured data, for a script or another tool.',
};

export const frStageWrap: typeof enStageWrap = {
  ranking: 'Le classement',
  proposed: 'Les objectifs, dans l’ordre où ils ont été proposés',
  hiddenOrder: 'Les votes restent cachés jusqu’à ce que l’animateur les révèle.',
  roundHeading: 'Tour de consentement',
  roundHint: 'Répondez sur votre téléphone. Aucune réponse n’apparaît avant la clôture du tour.',
  commitments: 'Les engagements du leader',
  notSet: 'non renseigné',
  goalsFile: 'Le fichier des objectifs (JSON)',
  goalsFileHint: 'Les objectifs retenus en données structurées, pour un script ou un autre outil.',
};
