/**
 * The strings of collaborative text editing (CollabText and the editors that use it), in English and
 * French: the `collab` part of the interface's dictionaries (messages.ts), read as `i18n.t.collab`.
 */

function enList(names: readonly string[]): string {
  return new Intl.ListFormat('en', { type: 'conjunction' }).format(names);
}

function frList(names: readonly string[]): string {
  return new Intl.ListFormat('fr', { type: 'conjunction' }).format(names);
}

export const enCollab = {
  /** Shown on a text while others edit it. */
  editing: (names: readonly string[]) => `${enList(names)} ${names.length === 1 ? 'is' : 'are'} editing`,
  done: 'Done',
  editHint: 'Saved as you type. Enter or Escape to close.',
  rename: 'Rename',
  renameHat: (label: string) => `Rename the hat “${label}”`,
  hatLabel: 'Hat name',
  editTask: 'Edit the task',
  taskText: 'Task question',
  commitmentText: 'Commitment',
};

export const frCollab: typeof enCollab = {
  editing: (names) => `${frList(names)} ${names.length === 1 ? 'modifie' : 'modifient'}`,
  done: 'Terminé',
  editHint: 'Enregistré au fil de la frappe. Entrée ou Échap pour fermer.',
  rename: 'Renommer',
  renameHat: (label) => `Renommer la casquette « ${label} »`,
  hatLabel: 'Nom de la casquette',
  editTask: 'Modifier la tâche',
  taskText: 'Question de la tâche',
  commitmentText: 'Engagement',
};
