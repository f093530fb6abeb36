/**
 * Every string of the interface, in English and French. The French dictionary is typed by the
 * English one, so a missing translation is a type error.
 */
import type { ErrorCode } from '../../../../shared/errors';
import type { Phase } from '../../../../shared/session/phases';

const en = {
  appName: 'Atelier',
  language: 'Language',
  languageNames: { en: 'English', fr: 'Français' },

  home: {
    tagline:
      'Run a live kickoff workshop with your team: discover together, set shared goals, vote on priorities and agree — in real time.',
    createHeading: 'Create a board',
    titleLabel: 'Board title',
    localeLabel: 'Board language',
    localeHint: 'The language of the questions and suggestions on the board.',
    templateLabel: 'Template',
    templates: {
      'social-kickoff': {
        name: 'Social team kickoff',
        description:
          'Six discovery questions, the team’s day-to-day, shared goals and dot voting — from a guide for new marketing leaders.',
      },
      blank: { name: 'Blank board', description: 'No questions: write your own.' },
    },
    nameLabel: 'Your name',
    nameHint: 'Shown to your team. You will facilitate the workshop.',
    create: 'Create the board',
    creating: 'Creating…',
    steps: [
      'Create a board and share its link.',
      'Your team joins from a laptop or a phone, with just a name.',
      'Work through the questions together, live.',
    ],
  },

  join: {
    heading: (title: string) => `Join “${title}”`,
    hint: 'Just your name — no account needed.',
    asFacilitator: 'This link makes you a facilitator of this board.',
    nameLabel: 'Your name',
    submit: 'Join the board',
    submitting: 'Joining…',
    expired: 'Your saved access to this board is no longer valid. Join again with your name.',
  },

  board: {
    loading: 'Loading the board…',
    notFound: 'This board does not exist',
    notFoundHint: 'Check the link you were given, or create a new board.',
    goHome: 'Create a board',
    retry: 'Try again',
    phase: 'Phase',
    share: 'Share',
    undo: 'Undo',
    redo: 'Redo',
    online: (count: number) => `${count} online`,
    you: 'you',
    facilitator: 'facilitator',
    people: 'People on this board',
    unknownAuthor: 'Someone',
  },

  phases: {
    discover: 'Discover',
    'day-to-day': 'Day-to-day',
    goals: 'Goals',
    prioritise: 'Prioritise',
    agree: 'Agree',
    'wrap-up': 'Wrap-up',
  } satisfies Record<Phase, string>,

  connection: {
    connected: 'Connected',
    connecting: 'Connecting…',
    reconnecting: 'Reconnecting…',
    offline: 'Offline',
    waiting: (count: number) =>
      count === 1 ? '1 change waiting to sync' : `${count} changes waiting to sync`,
    unknownBoard: 'This board no longer exists.',
    badToken: 'Your access to this board is no longer valid.',
  },

  discover: {
    heading: 'Discover',
    intro: 'Answer each question with cards. Everyone sees every answer as it is written.',
    question: (n: number) => `Question ${n}`,
    answers: (count: number) => (count === 1 ? '1 answer' : `${count} answers`),
    noCards: 'No answers yet — be the first.',
    addCardLabel: (n: number) => `Your answer to question ${n}`,
    addCardPlaceholder: 'Add an answer…',
    addCard: 'Add',
    addHint: 'Enter to add, Shift+Enter for a new line',
    editCard: 'Edit',
    deleteCard: 'Delete',
    save: 'Save',
    cancel: 'Cancel',
    cardBy: (name: string) => `Answer by ${name}`,
    noQuestionsFacilitator: 'No questions yet. Add the first one below.',
    noQuestionsParticipant: 'The facilitator has not added any questions yet.',
    addQuestion: 'Add a question',
    newQuestionLabel: 'New question',
    newQuestionPlaceholder: 'Type a question for the team…',
    editQuestion: 'Edit question',
    moveUp: 'Move up',
    moveDown: 'Move down',
    deleteQuestion: 'Delete question',
    confirmDeleteQuestion: (answers: number) =>
      answers === 0
        ? 'Delete this question?'
        : `Delete this question and its ${answers === 1 ? 'answer' : `${answers} answers`}?`,
  },

  share: {
    heading: 'Invite your team',
    participantLink: 'Participant link',
    participantHint: 'Anyone with this link can join with just a name.',
    facilitatorLink: 'Facilitator link',
    facilitatorWarning: 'This link gives full control of the workshop. Share it only with co-facilitators.',
    copy: 'Copy',
    copied: 'Copied',
    close: 'Close',
    localhost: (host: string) =>
      `This link points to ${host}, which your teammates’ devices cannot open. Restart Atelier with HOST=0.0.0.0 and PUBLIC_URL set to an address they can reach (for example PUBLIC_URL=http://192.168.1.20:3000), then share the new link.`,
  },

  errors: {
    network: 'The server cannot be reached. Check your connection and try again.',
    generic: 'Something went wrong. Please try again.',
    codes: {
      bad_request: 'Please check what you typed.',
      unknown_board: 'This board does not exist.',
      wrong_key: 'This facilitator link is not valid for this board.',
      too_large: 'That is too long.',
      rate_limited: 'Too many requests: wait a moment and try again.',
    } as Partial<Record<ErrorCode, string>>,
  },
};

export type Messages = typeof en;

const fr: Messages = {
  appName: 'Atelier',
  language: 'Langue',
  languageNames: { en: 'English', fr: 'Français' },

  home: {
    tagline:
      'Animez un atelier de lancement en direct avec votre équipe : découvrez ensemble, fixez des objectifs communs, votez sur les priorités et mettez-vous d’accord — en temps réel.',
    createHeading: 'Créer un tableau',
    titleLabel: 'Titre du tableau',
    localeLabel: 'Langue du tableau',
    localeHint: 'La langue des questions et des suggestions du tableau.',
    templateLabel: 'Modèle',
    templates: {
      'social-kickoff': {
        name: 'Lancement de l’équipe sociale',
        description:
          'Six questions de découverte, le quotidien de l’équipe, des objectifs communs et le vote par points — d’après un guide pour les nouveaux leaders du marketing.',
      },
      blank: { name: 'Tableau vierge', description: 'Aucune question : écrivez les vôtres.' },
    },
    nameLabel: 'Votre nom',
    nameHint: 'Visible par votre équipe. Vous animerez l’atelier.',
    create: 'Créer le tableau',
    creating: 'Création…',
    steps: [
      'Créez un tableau et partagez son lien.',
      'Votre équipe le rejoint depuis un ordinateur ou un téléphone, avec juste un nom.',
      'Parcourez les questions ensemble, en direct.',
    ],
  },

  join: {
    heading: (title: string) => `Rejoindre « ${title} »`,
    hint: 'Juste votre nom — aucun compte nécessaire.',
    asFacilitator: 'Ce lien fait de vous un animateur de ce tableau.',
    nameLabel: 'Votre nom',
    submit: 'Rejoindre le tableau',
    submitting: 'Connexion…',
    expired: 'Votre accès enregistré à ce tableau n’est plus valable. Rejoignez-le à nouveau avec votre nom.',
  },

  board: {
    loading: 'Chargement du tableau…',
    notFound: 'Ce tableau n’existe pas',
    notFoundHint: 'Vérifiez le lien reçu, ou créez un nouveau tableau.',
    goHome: 'Créer un tableau',
    retry: 'Réessayer',
    phase: 'Étape',
    share: 'Partager',
    undo: 'Annuler',
    redo: 'Rétablir',
    online: (count: number) => `${count} en ligne`,
    you: 'vous',
    facilitator: 'animateur',
    people: 'Personnes sur ce tableau',
    unknownAuthor: 'Quelqu’un',
  },

  phases: {
    discover: 'Découverte',
    'day-to-day': 'Quotidien',
    goals: 'Objectifs',
    prioritise: 'Priorités',
    agree: 'Accord',
    'wrap-up': 'Conclusion',
  },

  connection: {
    connected: 'Connecté',
    connecting: 'Connexion…',
    reconnecting: 'Reconnexion…',
    offline: 'Hors ligne',
    waiting: (count: number) =>
      count === 1
        ? '1 modification en attente de synchronisation'
        : `${count} modifications en attente de synchronisation`,
    unknownBoard: 'Ce tableau n’existe plus.',
    badToken: 'Votre accès à ce tableau n’est plus valable.',
  },

  discover: {
    heading: 'Découverte',
    intro:
      'Répondez à chaque question avec des cartes. Chacun voit chaque réponse au moment où elle s’écrit.',
    question: (n: number) => `Question ${n}`,
    answers: (count: number) => (count <= 1 ? `${count} réponse` : `${count} réponses`),
    noCards: 'Pas encore de réponse — lancez-vous.',
    addCardLabel: (n: number) => `Votre réponse à la question ${n}`,
    addCardPlaceholder: 'Ajouter une réponse…',
    addCard: 'Ajouter',
    addHint: 'Entrée pour ajouter, Maj+Entrée pour aller à la ligne',
    editCard: 'Modifier',
    deleteCard: 'Supprimer',
    save: 'Enregistrer',
    cancel: 'Annuler',
    cardBy: (name: string) => `Réponse de ${name}`,
    noQuestionsFacilitator: 'Aucune question pour l’instant. Ajoutez la première ci-dessous.',
    noQuestionsParticipant: 'L’animateur n’a pas encore ajouté de question.',
    addQuestion: 'Ajouter une question',
    newQuestionLabel: 'Nouvelle question',
    newQuestionPlaceholder: 'Écrivez une question pour l’équipe…',
    editQuestion: 'Modifier la question',
    moveUp: 'Monter',
    moveDown: 'Descendre',
    deleteQuestion: 'Supprimer la question',
    confirmDeleteQuestion: (answers: number) =>
      answers === 0
        ? 'Supprimer cette question ?'
        : `Supprimer cette question et ${answers === 1 ? 'sa réponse' : `ses ${answers} réponses`} ?`,
  },

  share: {
    heading: 'Invitez votre équipe',
    participantLink: 'Lien participant',
    participantHint: 'Toute personne ayant ce lien peut rejoindre le tableau avec juste un nom.',
    facilitatorLink: 'Lien animateur',
    facilitatorWarning:
      'Ce lien donne le contrôle complet de l’atelier. Ne le partagez qu’avec les co-animateurs.',
    copy: 'Copier',
    copied: 'Copié',
    close: 'Fermer',
    localhost: (host: string) =>
      `Ce lien pointe vers ${host}, que les appareils de votre équipe ne peuvent pas ouvrir. Relancez Atelier avec HOST=0.0.0.0 et PUBLIC_URL réglé sur une adresse qu’ils peuvent joindre (par exemple PUBLIC_URL=http://192.168.1.20:3000), puis partagez le nouveau lien.`,
  },

  errors: {
    network: 'Le serveur est injoignable. Vérifiez votre connexion et réessayez.',
    generic: 'Une erreur est survenue. Veuillez réessayer.',
    codes: {
      bad_request: 'Vérifiez ce que vous avez saisi.',
      unknown_board: 'Ce tableau n’existe pas.',
      wrong_key: 'Ce lien animateur n’est pas valable pour ce tableau.',
      too_large: 'C’est trop long.',
      rate_limited: 'Trop de requêtes : patientez un instant et réessayez.',
    },
  },
};

export const MESSAGES = { en, fr } as const;
export type Language = keyof typeof MESSAGES;
export const LANGUAGES = Object.keys(MESSAGES) as Language[];
