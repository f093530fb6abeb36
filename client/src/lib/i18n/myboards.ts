/**
 * "My boards" on the home page and the check-in's calendar file, in English and French: the
 * `myBoards` part of the interface's dictionaries (messages.ts), read as `i18n.t.myBoards`; the
 * French part is typed by the English one.
 */

export const enMyBoards = {
  heading: 'My boards',
  intro: 'Boards created or joined in this browser. They are kept on this device only.',
  empty: 'No board yet. The boards you create or join here will be listed.',
  open: (title: string) => `Open “${title}”`,
  phase: (name: string) => `Phase: ${name}`,
  lastActivity: 'Last activity:',
  facilitator: 'Facilitator',
  gone: 'This board no longer exists.',
  remove: 'Remove',
  removeLabel: (title: string) => `Remove “${title}” from this list`,
  removed: (title: string) => `“${title}” was removed from this device.`,
  undo: 'Undo',
  addToCalendar: 'Add to calendar',
  addToCalendarHint: 'Downloads an .ics file for your calendar app.',
};

export const frMyBoards: typeof enMyBoards = {
  heading: 'Mes tableaux',
  intro: 'Les tableaux créés ou rejoints dans ce navigateur. Ils ne sont gardés que sur cet appareil.',
  empty: 'Aucun tableau pour l’instant. Ceux que vous créez ou rejoignez ici seront listés.',
  open: (title: string) => `Ouvrir « ${title} »`,
  phase: (name: string) => `Étape : ${name}`,
  lastActivity: 'Dernière activité :',
  facilitator: 'Animateur',
  gone: 'Ce tableau n’existe plus.',
  remove: 'Retirer',
  removeLabel: (title: string) => `Retirer « ${title} » de cette liste`,
  removed: (title: string) => `« ${title} » a été retiré de cet appareil.`,
  undo: 'Annuler',
  addToCalendar: 'Ajouter à l’agenda',
  addToCalendarHint: 'Télécharge un fichier .ics pour votre application d’agenda.',
};
