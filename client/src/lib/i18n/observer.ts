/**
 * Observer links (docs/product.md#observer-link), in English and French: the `observer` part of the
 * interface's dictionaries (messages.ts), read as `i18n.t.observer`; the French part is typed by
 * the English one.
 */

export const enObserver = {
  banner: 'Read-only — observer',
  bannerHint: 'You are watching this board live. You cannot edit, vote or answer, and nobody sees you.',
  board: 'Board',
  stage: 'Stage view',
  summary: 'Summary',
  views: 'Observer views',
  loading: 'Opening the board…',
  revokedHeading: 'This observer link no longer works',
  revoked:
    'A facilitator revoked this observer link. Ask them for a new one if you still need to follow the board.',
  notFound: 'This observer link is not valid. Check that it was copied whole.',
  readOnlyRefused: 'This page is read-only: it stopped following the board.',
  // The share dialog's part, for facilitators.
  heading: 'Observer link',
  hint: 'For someone who only watches (a manager, a sponsor): they see the board, the stage view and the summary live, and cannot change anything. Nobody sees them.',
  create: 'Create an observer link',
  replace: 'Create a new observer link',
  replaceHint: 'A new link stops the previous one.',
  revoke: 'Revoke the observer link',
  revokedNotice: 'The observer link was revoked: whoever had it no longer sees the board.',
  linkLabel: 'Observer link',
  copy: 'Copy',
  copied: 'Copied',
  working: 'Working…',
  // The observer's board (docs/product.md#observer-link).
  themes: 'Themes',
  unnamedTheme: 'Unnamed theme',
  tasks: 'Recurring tasks',
  noGoals: 'No goal yet.',
  noGlossary: 'No metric yet.',
  tally: 'Votes',
  hiddenTallies: 'The results show here once a facilitator reveals them.',
};

export const frObserver: typeof enObserver = {
  banner: 'Lecture seule — observation',
  bannerHint:
    'Vous suivez ce tableau en direct. Vous ne pouvez ni modifier, ni voter, ni répondre, et personne ne vous voit.',
  board: 'Tableau',
  stage: 'Vue salle',
  summary: 'Synthèse',
  views: 'Vues d’observation',
  loading: 'Ouverture du tableau…',
  revokedHeading: 'Ce lien d’observation ne fonctionne plus',
  revoked:
    'Un·e facilitateur·rice a révoqué ce lien d’observation. Demandez-lui un nouveau lien si vous devez encore suivre le tableau.',
  notFound: 'Ce lien d’observation n’est pas valide. Vérifiez qu’il a été copié en entier.',
  readOnlyRefused: 'Cette page est en lecture seule : elle a cessé de suivre le tableau.',
  heading: 'Lien d’observation',
  hint: 'Pour quelqu’un qui regarde seulement (un·e manager, un·e sponsor) : le tableau, la vue salle et la synthèse en direct, sans rien pouvoir modifier. Personne ne le ou la voit.',
  create: 'Créer un lien d’observation',
  replace: 'Créer un nouveau lien d’observation',
  replaceHint: 'Un nouveau lien arrête le précédent.',
  revoke: 'Révoquer le lien d’observation',
  revokedNotice: 'Le lien d’observation a été révoqué : qui l’avait ne voit plus le tableau.',
  linkLabel: 'Lien d’observation',
  copy: 'Copier',
  copied: 'Copié',
  working: 'Un instant…',
  themes: 'Thèmes',
  unnamedTheme: 'Thème sans nom',
  tasks: 'Tâches récurrentes',
  noGoals: 'Aucun objectif pour l’instant.',
  noGlossary: 'Aucune métrique pour l’instant.',
  tally: 'Votes',
  hiddenTallies: 'Les résultats s’affichent ici dès qu’un·e facilitateur·rice les révèle.',
};
