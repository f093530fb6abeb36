/**
 * Themes in the discovery lanes (docs/product.md#themes), in English and French: the `themes` part
 * of the interface's dictionaries (messages.ts), read as `i18n.t.themes`; the French part is typed by
 * the English one.
 */

export const enThemes = {
  theme: 'Theme',
  unnamed: 'Unnamed theme',
  label: (name: string) => `Theme: ${name}`,
  answers: (count: number) => (count === 1 ? '1 answer' : `${count} answers`),
  rename: 'Name',
  renameLabel: 'Theme name',
  namePlaceholder: 'What these answers say',
  ungroup: 'Ungroup',
  ungroupLabel: (name: string) => `Ungroup the theme “${name}”`,
  takeOut: 'Take out',
  takeOutLabel: 'Take out of the theme',
  makeGoal: 'Make a goal',
  goalMade: (name: string) => `Draft goal “${name}” added to Goals.`,
  groupWith: 'Group with…',
  groupWithLabel: 'Group with… (this answer)',
  intoTheme: (name: string) => `Into the theme “${name}”`,
  newThemeWith: (text: string) => `New theme with “${text}”`,
  newThemeAlone: 'New theme with this answer only',
  nothingToGroup: 'No other answer to group with yet.',
  close: 'Close',
  dragHint: 'Drag an answer onto another, or onto a theme, to group them.',
};

export const frThemes: typeof enThemes = {
  theme: 'Thème',
  unnamed: 'Thème sans nom',
  label: (name: string) => `Thème : ${name}`,
  answers: (count: number) => (count === 1 ? '1 réponse' : `${count} réponses`),
  rename: 'Nommer',
  renameLabel: 'Nom du thème',
  namePlaceholder: 'Ce que disent ces réponses',
  ungroup: 'Dégrouper',
  ungroupLabel: (name: string) => `Dégrouper le thème « ${name} »`,
  takeOut: 'Retirer',
  takeOutLabel: 'Retirer du thème',
  makeGoal: 'En faire un objectif',
  goalMade: (name: string) => `Objectif brouillon « ${name} » ajouté aux Objectifs.`,
  groupWith: 'Grouper avec…',
  groupWithLabel: 'Grouper avec… (cette réponse)',
  intoTheme: (name: string) => `Dans le thème « ${name} »`,
  newThemeWith: (text: string) => `Nouveau thème avec « ${text} »`,
  newThemeAlone: 'Nouveau thème avec cette seule réponse',
  nothingToGroup: 'Pas encore d’autre réponse avec laquelle grouper.',
  close: 'Fermer',
  dragHint: 'Glissez une réponse sur une autre, ou sur un thème, pour les grouper.',
};
