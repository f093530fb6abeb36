/**
 * The summary page's and the Wrap-up's take-away strings, in English and French: buttons, states
 * and the page's own words (the summary's headings are the shared ones of
 * shared/export/summary-words.ts). The `summary` part of the interface's dictionaries
 * (messages.ts), read as `i18n.t.summary`; the French part is typed by the English one.
 */

export const enSummary = {
  pageTitle: (title: string) => `Summary — ${title}`,
  loading: 'Loading the summary…',
  joinFirst:
    'This summary is open to the board’s members. Join the board with your name first, then come back here.',
  joinLink: 'Join the board',
  backToBoard: 'Back to the board',
  actions: 'Take it away',
  open: 'Open the summary',
  copyMarkdown: 'Copy as Markdown',
  copyGoals: 'Copy the agreed goals as Markdown',
  downloadCsv: 'Download CSV',
  print: 'Print or save as PDF',
  copied: 'Copied to the clipboard.',
  copyFailed: 'Copying was refused by the browser.',
  generated: (date: string) => `Summary made on ${date}.`,
  place: (place: number) => `#${place}`,
};

export const frSummary: typeof enSummary = {
  pageTitle: (title: string) => `Synthèse — ${title}`,
  loading: 'Chargement de la synthèse…',
  joinFirst:
    'Cette synthèse est réservée aux membres du tableau. Rejoignez d’abord le tableau avec votre nom, puis revenez ici.',
  joinLink: 'Rejoindre le tableau',
  backToBoard: 'Retour au tableau',
  actions: 'À emporter',
  open: 'Ouvrir la synthèse',
  copyMarkdown: 'Copier en Markdown',
  copyGoals: 'Copier les objectifs retenus en Markdown',
  downloadCsv: 'Télécharger le CSV',
  print: 'Imprimer ou enregistrer en PDF',
  copied: 'Copié dans le presse-papiers.',
  copyFailed: 'Le navigateur a refusé la copie.',
  generated: (date: string) => `Synthèse établie le ${date}.`,
  place: (place: number) => `n° ${place}`,
};
