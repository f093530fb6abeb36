/**
 * The whole-board file's strings, in English and French: downloading it at wrap-up, and creating a
 * board from a file on the home page. The `boardFile` part of the dictionaries (messages.ts); the
 * French part is typed by the English one.
 */

export const enBoardFile = {
  heading: 'The whole board',
  hint: 'Everything on the board as one file: questions, answers, the day-to-day map, goals and decisions. The template keeps the questions, hats and goal drafts only, without people or answers.',
  download: 'Download the whole board',
  downloadTemplate: 'Download as a template',
  fromFile: {
    heading: 'Or create from a file',
    hint: 'A whole board or a template downloaded from Atelier. Answers and people come along; votes start afresh.',
    fileLabel: 'Board file (.json)',
    create: 'Create from the file',
    creating: 'Creating…',
    needName: 'Enter your name above first.',
    tooLarge: (limit: string) => `This file is too large: the limit is ${limit}.`,
    refused: (detail: string) => `This file cannot be used. ${detail}`,
  },
};

export const frBoardFile: typeof enBoardFile = {
  heading: 'Le tableau entier',
  hint: 'Tout le tableau dans un seul fichier : questions, réponses, carte du quotidien, objectifs et décisions. Le modèle ne garde que les questions, les casquettes et les brouillons d’objectifs, sans personnes ni réponses.',
  download: 'Télécharger le tableau entier',
  downloadTemplate: 'Télécharger comme modèle',
  fromFile: {
    heading: 'Ou créer à partir d’un fichier',
    hint: 'Un tableau entier ou un modèle téléchargé depuis Atelier. Les réponses et les personnes suivent ; les votes repartent de zéro.',
    fileLabel: 'Fichier du tableau (.json)',
    create: 'Créer à partir du fichier',
    creating: 'Création…',
    needName: 'Saisissez d’abord votre nom ci-dessus.',
    tooLarge: (limit: string) => `Ce fichier est trop volumineux : la limite est de ${limit}.`,
    refused: (detail: string) => `Ce fichier ne peut pas être utilisé. ${detail}`,
  },
};
