/**
 * Renaming a challenge in the lane (docs/product.md#challenges), in English and French: the
 * `challenges` part of the interface's dictionaries (messages.ts). The French part is typed by the
 * English one.
 */

export const enChallenges = {
  rename: 'Rename',
  renameLabel: (title: string) => `Rename the challenge “${title}”`,
  titleLabel: 'Challenge title',
  hint: 'Enter saves, Escape cancels.',
  save: 'Save',
  cancel: 'Cancel',
};

export const frChallenges: typeof enChallenges = {
  rename: 'Renommer',
  renameLabel: (title) => `Renommer le défi « ${title} »`,
  titleLabel: 'Intitulé du défi',
  hint: 'Entrée enregistre, Échap annule.',
  save: 'Enregistrer',
  cancel: 'Annuler',
};
