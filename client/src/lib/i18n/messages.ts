/**
 * Every string of the interface, in English and French. The French dictionary is typed by the
 * English one, and every error code has a sentence in each, so a missing translation is a type
 * error.
 */
import type { ErrorCode } from '../../../../shared/errors';
import type { Phase } from '../../../../shared/session/phases';
import { formatNumber } from '../format';
import { enCollab, frCollab } from './collab';
import { enBoardFile, frBoardFile } from './boardfile';
import { enDayToDay, frDayToDay } from './daytoday';
import { enDetails, frDetails } from './details';
import { enUndo, frUndo } from './undo';
import { enAnswers, frAnswers } from './answers';
import { enRoom, frRoom } from './room';
import { enMyBoards, frMyBoards } from './myboards';
import { enPunctuation, frPunctuation } from './punctuation';
import { enObserver, frObserver } from './observer';
import { enGlossary, frGlossary } from './glossary';
import { enSummary, frSummary } from './summary';
import { enCheckins, frCheckins } from './checkins';
import { enThemes, frThemes } from './themes';
import { enReadyFocus, frReadyFocus } from './readyfocus';
import { enConsent, frConsent } from './consent';
import { enStageQuestions, frStageQuestions } from './stagequestions';
import { enChallenges, frChallenges } from './challenges';
import { enStageWrap, frStageWrap } from './stagewrap';

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
    removed:
      'A facilitator removed you from this board: your votes and your pulse answer were withdrawn, what you wrote stays. If that was a mistake, join again with your name.',
  },

  board: {
    loading: 'Loading the board…',
    notFound: 'This board does not exist',
    notFoundHint: 'Check the link you were given, or create a new board.',
    cannotOpen: 'This board cannot be opened',
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
    notifications: 'Notifications',
    unknownAuthor: 'Someone',
    remove: (name: string) => `Remove ${name}`,
    confirmRemove: (name: string) =>
      `Remove ${name} from the board? Their access stops at once, their votes and pulse answer are withdrawn; what they wrote stays. They can only come back by joining again.`,
    removedSomeone: (name: string) => `${name} was removed from the board.`,
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
    paused: 'Paused while the board is locked',
    waiting: (count: number) =>
      count === 1 ? '1 change waiting to sync' : `${count} changes waiting to sync`,
    unknownBoard: 'This board no longer exists.',
    badToken: 'Your access to this board is no longer valid.',
    tooLarge:
      'This board has reached its size limit: new content is not saved. Export what you need, or ask the host to raise MAX_DOC_BYTES.',
    storageFull:
      'The server’s disk is full: your changes are kept on this device and will be saved once the host frees space.',
    refused:
      'The server refused a change made on this device (it breaks the board’s rules). This device no longer syncs: reload the page.',
    unreadable:
      'This board’s stored data cannot be read, so the meeting cannot start. Ask whoever runs the Atelier server: the details are in its log. Other boards are not affected.',
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

  nav: {
    label: 'Workshop phases',
    live: 'live',
    liveHint: (phase: string) => `The team is in ${phase}.`,
    moveEveryone: (phase: string) => `Move everyone to ${phase}`,
    backToLive: (phase: string) => `Back to ${phase}`,
    moved: (phase: string) => `The workshop moved to ${phase}.`,
  },

  goals: {
    heading: 'Goals',
    intro:
      'Propose shared goals. Tie each one to a business objective and give it a metric and a target, so that progress can be seen.',
    propose: 'Propose a goal',
    fields: {
      title: 'Goal',
      why: 'Business objective it serves',
      metric: 'Metric',
      baseline: 'Baseline',
      target: 'Target',
      due: 'Due date',
      owner: 'Owner',
    },
    placeholders: {
      title: 'e.g. Grow our audience',
      why: 'e.g. More qualified leads for sales',
      metric: 'e.g. Followers on LinkedIn',
      baseline: 'e.g. 4,200',
      target: 'e.g. 6,000',
      owner: 'Who carries it',
    },
    add: 'Add the goal',
    save: 'Save',
    cancel: 'Cancel',
    edit: 'Edit',
    delete: 'Delete',
    confirmDelete: (title: string) => `Delete the goal “${title}”?`,
    suggestions: 'Suggestions from the guide',
    addSuggestion: (title: string) => `Add “${title}”`,
    empty: 'No goals yet. Propose one, or start from a suggestion.',
    proposedBy: (name: string) => `Proposed by ${name}`,
    noDue: 'No due date',
    count: (n: number) => (n === 1 ? '1 goal' : `${n} goals`),
  },

  voting: {
    heading: 'Prioritise',
    intro: 'Spend your dots on the goals that matter most. You can take a dot back while voting is open.',
    notOpen: 'Voting is not open.',
    notOpenHint: 'The facilitator opens it when the team is ready.',
    left: (left: number, total: number) => `${left} of ${total} votes left`,
    capHint: (cap: number) => `At most ${cap} on one goal.`,
    addVote: (title: string) => `Add a vote to “${title}”`,
    removeVote: (title: string) => `Take a vote back from “${title}”`,
    myVotes: (n: number) => (n === 1 ? 'your vote: 1' : `your votes: ${n}`),
    votes: (n: number) => (n === 1 ? '1 vote' : `${formatNumber(n, 'en')} votes`),
    hidden: 'Results stay hidden until the facilitator reveals them.',
    onlyYou: 'Only facilitators see these results until you reveal them.',
    progress: (voters: number, votes: number) =>
      `${voters === 1 ? '1 person has' : `${voters} people have`} voted · ${votes === 1 ? '1 vote' : `${votes} votes`} cast`,
    controls: 'Voting controls',
    open: 'Open voting',
    close: 'Close voting',
    reveal: 'Reveal results',
    hide: 'Hide results',
    reset: 'Reset all votes',
    confirmReset: 'Clear every vote of every participant?',
    votesPerPerson: 'Votes per person',
    maxPerItem: 'Max per goal',
    apply: 'Apply',
    noGoals: 'There are no goals to vote on yet.',
    revealed: 'The results are revealed.',
    notOnBallot: 'Added after voting opened: not part of this vote.',
    notOnBallotHint: 'The facilitator can reopen voting to include it.',
    include: (count: number) =>
      count === 1 ? 'Include the new goal in the vote' : `Include the ${count} new goals in the vote`,
    includeHint: (count: number) =>
      count === 1
        ? '1 goal was added after voting opened: nobody can vote on it until you include it.'
        : `${count} goals were added after voting opened: nobody can vote on them until you include them.`,
    deletedGoal: (n: number) =>
      n === 1
        ? 'A deleted goal still holds 1 of your votes (kept in case it comes back).'
        : `A deleted goal still holds ${n} of your votes (kept in case it comes back).`,
    takeBackDeleted: 'Take a vote back from the deleted goal',
  },

  agree: {
    heading: 'Agree',
    intro: 'Goals ranked by votes. Mark the goals the team commits to, and confirm who owns each.',
    hiddenOrder: 'Votes are still hidden: goals are listed in the order they were proposed.',
    rank: (n: number) => `#${n}`,
    agreed: 'Agreed',
    markAgreed: 'Mark as agreed',
    unmark: 'Undo agreement',
    owner: 'Owner',
    confirmOwner: 'Save owner',
    summary: (agreed: number, total: number) => `${agreed} of ${total} goals agreed`,
    empty: 'No goals yet.',
  },

  wrapUp: {
    heading: 'Wrap-up',
    intro: 'The goals the team agreed on, ready to take away.',
    noneAgreed: 'No goal has been agreed yet.',
    download: 'Download JSON',
    copy: 'Copy JSON',
    copied: 'Copied',
    includeAll: 'Include goals not agreed',
    preview: 'Preview of the export',
    failed: 'The export could not be loaded.',
  },

  timer: {
    label: 'Timer',
    idle: (minutes: number) => `${minutes} min`,
    remaining: (clock: string) => `${clock} left`,
    paused: 'paused',
    ended: 'Time is up',
    controls: 'Timer controls',
    presets: 'Presets',
    minutes: 'Minutes (1–60)',
    start: 'Start',
    pause: 'Pause',
    resume: 'Resume',
    reset: 'Reset',
    plusOne: '+1 min',
    sound: 'Sound at the end',
    minutesShort: (n: number) => `${n} min`,
  },

  lock: {
    lock: 'Lock edits',
    unlock: 'Unlock edits',
    lockedBanner: 'The facilitator has paused editing for the discussion. Your view stays live.',
    lockedBannerFacilitator: 'Editing is locked for participants. Unlock when the discussion is over.',
    locked: 'Editing is locked.',
    unlocked: 'Editing is open again.',
  },

  reactions: {
    label: 'React',
    sent: (emoji: string) => `Reaction ${emoji}`,
    from: (name: string, emoji: string) => `${name} reacted ${emoji}`,
  },

  commitments: {
    heading: 'The leader’s commitments',
    intro: 'What the leader will do to help the team reach its goals. Exported with the goals.',
    empty: 'No commitment yet.',
    starters: 'Starters from the guide',
    add: 'Add',
    addStarter: (text: string) => `Add: ${text}`,
    newLabel: 'A new commitment',
    newPlaceholder: 'e.g. Bring social insights to the monthly sales meeting',
    owner: 'Owner',
    delete: 'Delete',
    nextCheckIn: 'Next regular check-in',
    nextCheckInHint: 'Regular meetings keep learning what works and what does not.',
    notSet: 'Not set yet',
  },

  pulse: {
    heading: 'Team pulse',
    intro:
      'Anonymous: nobody sees who answered what. The facilitator shows the results once at least three people have answered.',
    question: 'How sustainable does your workload feel?',
    scale: ['Not at all', 'Barely', 'So-so', 'Mostly', 'Fully'] as readonly string[],
    help: 'One thing that would help (optional)',
    submit: 'Send anonymously',
    update: 'Update my answer',
    thanks: 'Thank you — your answer is in. You can change it.',
    waiting: (count: number) =>
      `${count} ${count === 1 ? 'answer' : 'answers'} so far; results can be shown from three.`,
    notShown: (count: number) => `${count} answers so far; the facilitator will show the results.`,
    results: (count: number, average: number) =>
      `${count} answers · average ${formatNumber(average, 'en')} / 5`,
    newSince: (count: number) =>
      count === 1 ? '1 answer given or changed since.' : `${count} answers given or changed since.`,
    show: 'Show the results',
    showNew: 'Show the new results',
    hide: 'Hide the results',
    showHint:
      'New results can be shown once three answers have been given or changed, so no single answer stands out.',
    helps: 'What would help',
    facilitatorNote: 'Facilitators lead the check-in and do not answer it.',
    revealed: 'The voting results are revealed.',
    notOpen: 'The pulse opens when the facilitator moves everyone to Wrap-up.',
    opensOnWrapUp:
      'Moving everyone to Wrap-up opens the pulse, once: only the participants who joined before then can answer.',
    joinedLate:
      'You joined after the pulse opened, so you cannot answer it: only those who were here before it opened can, so that nobody can add answers under made-up names.',
    limit:
      'A limit to know: anyone with the link can join, so someone who joined under several names before the pulse opened could narrow down the others’ answers.',
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
    qr: 'QR code of the participant link, for a shared screen',
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
      not_facilitator: 'Only a facilitator can do this.',
      voting_closed: 'Voting is not open.',
      budget_spent: 'You have used all your votes: take one back to move it.',
      item_cap: 'This goal already has as many of your votes as allowed.',
      below_zero: 'You have no vote on this goal.',
      unknown_goal: 'This goal no longer exists.',
      votes_exceed_budget: 'Someone already holds more votes than that: reset the votes first.',
      votes_exceed_cap: 'A goal already holds more votes than that from one person: reset the votes first.',
      unavailable: 'No answer from the server: check the connection and try again.',
      locked: 'The board is locked for the discussion.',
      timer_not_running: 'The timer is not running.',
      timer_not_paused: 'The timer is not paused.',
      not_participant: 'The team pulse is for participants.',
      pulse_too_few: 'Not enough answers yet to show results without exposing anyone.',
      not_on_ballot:
        'This goal was added after voting opened: the facilitator can reopen voting to include it.',
      ballot_full:
        'A vote holds at most 200 goals: delete some goals, or reset the votes to start a new vote.',
      pulse_not_open: 'The pulse opens when the facilitator moves everyone to Wrap-up.',
      checkin_closed: 'This check-in is closed: the facilitator can start a new one.',
      pulse_joined_late:
        'You joined after the pulse opened: only those who were here before it opened can answer.',
      too_many_joins:
        'Too many people have joined this board from your network: ask the facilitator to remove names nobody uses.',
      board_full: 'This board is full: ask the facilitator to remove names nobody uses.',
      removed: 'A facilitator removed you from this board.',
      not_found: 'Not found: it may already be gone.',
      board_unreadable:
        'This board’s stored data cannot be read. Ask whoever runs the Atelier server: the details are in its log.',
      storage_full:
        'The server’s storage is full: nothing new can be saved until its host frees space. Everything saved so far is safe.',
      bad_token: 'Your access to this board is no longer valid.',
      unsupported_media_type: 'The server could not read this request. Reload the page and try again.',
      internal: 'Something went wrong on the server. Please try again.',
      observer_revoked: 'This observer link was revoked by a facilitator.',
      consent_closed: 'This consent round is closed.',
      consent_open: 'A consent round is already open.',
    } satisfies Record<ErrorCode, string>,
  },

  dayToDay: enDayToDay,
  details: enDetails,
  undo: enUndo,
  answers: enAnswers,
  room: enRoom,
  myBoards: enMyBoards,
  punctuation: enPunctuation,
  observer: enObserver,
  glossary: enGlossary,
  themes: enThemes,
  summary: enSummary,
  checkins: enCheckins,
  readyFocus: enReadyFocus,
  consent: enConsent,
  stageQuestions: enStageQuestions,
  stageWrap: enStageWrap,
  challenges: enChallenges,
  boardFile: enBoardFile,
  collab: enCollab,
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
    removed:
      'Un animateur vous a retiré de ce tableau : vos points et votre réponse à la météo ont été retirés, ce que vous avez écrit reste. Si c’est une erreur, rejoignez-le à nouveau avec votre nom.',
  },

  board: {
    loading: 'Chargement du tableau…',
    notFound: 'Ce tableau n’existe pas',
    notFoundHint: 'Vérifiez le lien reçu, ou créez un nouveau tableau.',
    cannotOpen: 'Ce tableau ne peut pas être ouvert',
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
    notifications: 'Notifications',
    unknownAuthor: 'Quelqu’un',
    remove: (name: string) => `Retirer ${name}`,
    confirmRemove: (name: string) =>
      `Retirer ${name} du tableau ? Son accès cesse aussitôt, ses points et sa réponse à la météo sont retirés ; ce qu’il ou elle a écrit reste. Il ou elle ne pourra revenir qu’en rejoignant à nouveau.`,
    removedSomeone: (name: string) => `${name} a été retiré du tableau.`,
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
    paused: 'En pause pendant le verrouillage',
    waiting: (count: number) =>
      count === 1
        ? '1 modification en attente de synchronisation'
        : `${count} modifications en attente de synchronisation`,
    unknownBoard: 'Ce tableau n’existe plus.',
    unreadable:
      'Les données enregistrées de ce tableau sont illisibles : la réunion ne peut pas démarrer. Prévenez la personne qui gère le serveur Atelier : le détail est dans son journal. Les autres tableaux ne sont pas touchés.',
    badToken: 'Votre accès à ce tableau n’est plus valable.',
    tooLarge:
      'Ce tableau a atteint sa taille maximale : les nouveaux contenus ne sont pas enregistrés. Exportez ce dont vous avez besoin, ou demandez à l’hébergeur d’augmenter MAX_DOC_BYTES.',
    storageFull:
      'Le disque du serveur est plein : vos modifications sont gardées sur cet appareil et seront enregistrées dès que l’hébergeur aura libéré de la place.',
    refused:
      'Le serveur a refusé une modification faite sur cet appareil (elle enfreint les règles du tableau). Cet appareil ne se synchronise plus : rechargez la page.',
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

  nav: {
    label: 'Étapes de l’atelier',
    live: 'en cours',
    liveHint: (phase: string) => `L’équipe est à l’étape ${phase}.`,
    moveEveryone: (phase: string) => `Emmener tout le monde à ${phase}`,
    backToLive: (phase: string) => `Revenir à ${phase}`,
    moved: (phase: string) => `L’atelier passe à l’étape ${phase}.`,
  },

  goals: {
    heading: 'Objectifs',
    intro:
      'Proposez des objectifs communs. Reliez chacun à un objectif commercial et donnez-lui une métrique et une cible, pour que les progrès se voient.',
    propose: 'Proposer un objectif',
    fields: {
      title: 'Objectif',
      why: 'Objectif commercial servi',
      metric: 'Métrique',
      baseline: 'Point de départ',
      target: 'Cible',
      due: 'Échéance',
      owner: 'Responsable',
    },
    placeholders: {
      title: 'ex. Augmenter notre audience',
      why: 'ex. Plus de prospects qualifiés pour les ventes',
      metric: 'ex. Abonnés LinkedIn',
      baseline: 'ex. 4 200',
      target: 'ex. 6 000',
      owner: 'Qui le porte',
    },
    add: 'Ajouter l’objectif',
    save: 'Enregistrer',
    cancel: 'Annuler',
    edit: 'Modifier',
    delete: 'Supprimer',
    confirmDelete: (title: string) => `Supprimer l’objectif « ${title} » ?`,
    suggestions: 'Suggestions tirées du guide',
    addSuggestion: (title: string) => `Ajouter « ${title} »`,
    empty: 'Aucun objectif pour l’instant. Proposez-en un, ou partez d’une suggestion.',
    proposedBy: (name: string) => `Proposé par ${name}`,
    noDue: 'Sans échéance',
    count: (n: number) => (n <= 1 ? `${n} objectif` : `${n} objectifs`),
  },

  voting: {
    heading: 'Priorités',
    intro:
      'Placez vos points sur les objectifs qui comptent le plus. Vous pouvez reprendre un point tant que le vote est ouvert.',
    notOpen: 'Le vote n’est pas ouvert.',
    notOpenHint: 'L’animateur l’ouvre quand l’équipe est prête.',
    left: (left: number, total: number) => `Il vous reste ${left} point${left > 1 ? 's' : ''} sur ${total}`,
    capHint: (cap: number) => `${cap} au plus sur un même objectif.`,
    addVote: (title: string) => `Ajouter un point à « ${title} »`,
    removeVote: (title: string) => `Reprendre un point sur « ${title} »`,
    myVotes: (n: number) => (n <= 1 ? `votre point : ${n}` : `vos points : ${n}`),
    votes: (n: number) => (n <= 1 ? `${n} point` : `${formatNumber(n, 'fr')} points`),
    hidden: 'Les résultats restent cachés jusqu’à ce que l’animateur les révèle.',
    onlyYou: 'Seuls les animateurs voient ces résultats tant que vous ne les révélez pas.',
    progress: (voters: number, votes: number) =>
      `${voters <= 1 ? `${voters} personne a` : `${voters} personnes ont`} voté · ${votes <= 1 ? `${votes} point placé` : `${votes} points placés`}`,
    controls: 'Réglages du vote',
    open: 'Ouvrir le vote',
    close: 'Fermer le vote',
    reveal: 'Révéler les résultats',
    hide: 'Masquer les résultats',
    reset: 'Effacer tous les votes',
    confirmReset: 'Effacer tous les points de tous les participants ?',
    votesPerPerson: 'Points par personne',
    maxPerItem: 'Maximum par objectif',
    apply: 'Appliquer',
    noGoals: 'Il n’y a pas encore d’objectif à voter.',
    revealed: 'Les résultats sont révélés.',
    notOnBallot: 'Ajouté après l’ouverture du vote : ne fait pas partie de ce vote.',
    notOnBallotHint: 'L’animateur peut rouvrir le vote pour l’y inclure.',
    include: (count: number) =>
      count <= 1
        ? 'Inclure le nouvel objectif dans le vote'
        : `Inclure les ${count} nouveaux objectifs dans le vote`,
    includeHint: (count: number) =>
      count <= 1
        ? '1 objectif a été ajouté après l’ouverture du vote : personne ne peut voter pour lui tant que vous ne l’incluez pas.'
        : `${count} objectifs ont été ajoutés après l’ouverture du vote : personne ne peut voter pour eux tant que vous ne les incluez pas.`,
    deletedGoal: (n: number) =>
      n <= 1
        ? 'Un objectif supprimé porte encore 1 de vos points (gardé au cas où il reviendrait).'
        : `Un objectif supprimé porte encore ${n} de vos points (gardés au cas où il reviendrait).`,
    takeBackDeleted: 'Reprendre un point sur l’objectif supprimé',
  },

  agree: {
    heading: 'Accord',
    intro:
      'Les objectifs classés par points. Marquez ceux sur lesquels l’équipe s’engage et confirmez qui porte chacun.',
    hiddenOrder:
      'Les votes sont encore cachés : les objectifs sont listés dans l’ordre où ils ont été proposés.',
    rank: (n: number) => `n° ${n}`,
    agreed: 'Validé',
    markAgreed: 'Valider',
    unmark: 'Annuler la validation',
    owner: 'Responsable',
    confirmOwner: 'Enregistrer le responsable',
    summary: (agreed: number, total: number) =>
      `${agreed} objectif${agreed > 1 ? 's' : ''} validé${agreed > 1 ? 's' : ''} sur ${total}`,
    empty: 'Aucun objectif pour l’instant.',
  },

  wrapUp: {
    heading: 'Conclusion',
    intro: 'Les objectifs validés par l’équipe, prêts à emporter.',
    noneAgreed: 'Aucun objectif n’a encore été validé.',
    download: 'Télécharger le JSON',
    copy: 'Copier le JSON',
    copied: 'Copié',
    includeAll: 'Inclure les objectifs non validés',
    preview: 'Aperçu de l’export',
    failed: 'L’export n’a pas pu être chargé.',
  },

  timer: {
    label: 'Minuteur',
    idle: (minutes: number) => `${minutes} min`,
    remaining: (clock: string) => `reste ${clock}`,
    paused: 'en pause',
    ended: 'Temps écoulé',
    controls: 'Réglages du minuteur',
    presets: 'Durées',
    minutes: 'Minutes (1–60)',
    start: 'Démarrer',
    pause: 'Pause',
    resume: 'Reprendre',
    reset: 'Réinitialiser',
    plusOne: '+1 min',
    sound: 'Son à la fin',
    minutesShort: (n: number) => `${n} min`,
  },

  lock: {
    lock: 'Verrouiller',
    unlock: 'Déverrouiller',
    lockedBanner:
      'L’animateur a mis les modifications en pause pour la discussion. Votre vue reste en direct.',
    lockedBannerFacilitator:
      'Les modifications sont verrouillées pour les participants. Déverrouillez à la fin de la discussion.',
    locked: 'Les modifications sont verrouillées.',
    unlocked: 'Les modifications sont de nouveau ouvertes.',
  },

  reactions: {
    label: 'Réagir',
    sent: (emoji: string) => `Réaction ${emoji}`,
    from: (name: string, emoji: string) => `${name} a réagi ${emoji}`,
  },

  commitments: {
    heading: 'Les engagements du leader',
    intro:
      'Ce que le leader fera pour aider l’équipe à atteindre ses objectifs. Exportés avec les objectifs.',
    empty: 'Aucun engagement pour l’instant.',
    starters: 'Points de départ tirés du guide',
    add: 'Ajouter',
    addStarter: (text: string) => `Ajouter : ${text}`,
    newLabel: 'Un nouvel engagement',
    newPlaceholder: 'ex. Présenter les enseignements sociaux à la réunion commerciale mensuelle',
    owner: 'Responsable',
    delete: 'Supprimer',
    nextCheckIn: 'Prochain point régulier',
    nextCheckInHint:
      'Des réunions régulières permettent de voir ce qui fonctionne et ce qui ne fonctionne pas.',
    notSet: 'Pas encore fixé',
  },

  pulse: {
    heading: 'Météo de l’équipe',
    intro:
      'Anonyme : personne ne voit qui a répondu quoi. L’animateur affiche les résultats dès qu’au moins trois personnes ont répondu.',
    question: 'Votre charge de travail vous semble-t-elle tenable ?',
    scale: ['Pas du tout', 'À peine', 'Moyennement', 'Plutôt', 'Tout à fait'] as readonly string[],
    help: 'Une chose qui vous aiderait (facultatif)',
    submit: 'Envoyer anonymement',
    update: 'Mettre à jour ma réponse',
    thanks: 'Merci — votre réponse est enregistrée. Vous pouvez la modifier.',
    waiting: (count: number) =>
      `${count} réponse${count > 1 ? 's' : ''} pour l’instant ; les résultats peuvent s’afficher à partir de trois.`,
    notShown: (count: number) => `${count} réponses pour l’instant ; l’animateur affichera les résultats.`,
    results: (count: number, average: number) =>
      `${count} réponses · moyenne ${formatNumber(average, 'fr')} / 5`,
    newSince: (count: number) =>
      count <= 1
        ? `${count} réponse donnée ou modifiée depuis.`
        : `${count} réponses données ou modifiées depuis.`,
    show: 'Afficher les résultats',
    showNew: 'Afficher les nouveaux résultats',
    hide: 'Masquer les résultats',
    showHint:
      'De nouveaux résultats peuvent s’afficher une fois trois réponses données ou modifiées, pour qu’aucune ne ressorte seule.',
    helps: 'Ce qui aiderait',
    facilitatorNote: 'Les animateurs mènent ce point d’étape et n’y répondent pas.',
    revealed: 'Les résultats du vote sont révélés.',
    notOpen: 'La météo s’ouvre quand l’animateur amène tout le monde à la conclusion.',
    opensOnWrapUp:
      'Amener tout le monde à la conclusion ouvre la météo, une fois pour toutes : seuls les participants arrivés avant peuvent répondre.',
    joinedLate:
      'Vous êtes arrivé après l’ouverture de la météo, vous ne pouvez donc pas y répondre : seuls ceux qui étaient là avant le peuvent, pour que personne ne puisse ajouter des réponses sous des noms inventés.',
    limit:
      'Une limite à connaître : toute personne ayant le lien peut rejoindre le tableau ; quelqu’un qui l’aurait rejoint sous plusieurs noms avant l’ouverture de la météo pourrait recouper les réponses des autres.',
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
    qr: 'QR code du lien participant, pour un écran partagé',
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
      not_facilitator: 'Seul un animateur peut faire cela.',
      voting_closed: 'Le vote n’est pas ouvert.',
      budget_spent: 'Vous avez placé tous vos points : reprenez-en un pour le déplacer.',
      item_cap: 'Cet objectif a déjà autant de vos points que permis.',
      below_zero: 'Vous n’avez pas de point sur cet objectif.',
      unknown_goal: 'Cet objectif n’existe plus.',
      votes_exceed_budget: 'Quelqu’un a déjà plus de points que cela : effacez d’abord les votes.',
      votes_exceed_cap: 'Un objectif a déjà plus de points d’une même personne : effacez d’abord les votes.',
      unavailable: 'Pas de réponse du serveur : vérifiez la connexion et réessayez.',
      locked: 'Le tableau est verrouillé pour la discussion.',
      timer_not_running: 'Le minuteur ne tourne pas.',
      timer_not_paused: 'Le minuteur n’est pas en pause.',
      not_participant: 'La météo de l’équipe est réservée aux participants.',
      pulse_too_few: 'Pas encore assez de réponses pour afficher des résultats sans exposer personne.',
      not_on_ballot:
        'Cet objectif a été ajouté après l’ouverture du vote : l’animateur peut rouvrir le vote pour l’y inclure.',
      ballot_full:
        'Un vote porte sur 200 objectifs au plus : supprimez des objectifs, ou effacez les votes pour en commencer un nouveau.',
      pulse_not_open: 'La météo s’ouvre quand l’animateur amène tout le monde à la conclusion.',
      checkin_closed: 'Ce point d’étape est clos : l’animateur peut en ouvrir un nouveau.',
      pulse_joined_late:
        'Vous êtes arrivé après l’ouverture de la météo : seuls ceux qui étaient là avant peuvent répondre.',
      too_many_joins:
        'Trop de personnes ont rejoint ce tableau depuis votre réseau : demandez à l’animateur de retirer les noms inutilisés.',
      board_full: 'Ce tableau est complet : demandez à l’animateur de retirer les noms inutilisés.',
      removed: 'Un animateur vous a retiré de ce tableau.',
      not_found: 'Introuvable : c’est peut-être déjà parti.',
      board_unreadable:
        'Les données enregistrées de ce tableau sont illisibles. Prévenez la personne qui gère le serveur Atelier : le détail est dans son journal.',
      storage_full:
        'Le stockage du serveur est plein : rien de nouveau ne peut être enregistré tant que son hébergeur n’a pas libéré de place. Tout ce qui est déjà enregistré est en sécurité.',
      bad_token: 'Votre accès à ce tableau n’est plus valable.',
      unsupported_media_type: 'Le serveur n’a pas pu lire cette requête. Rechargez la page et réessayez.',
      internal: 'Une erreur est survenue sur le serveur. Veuillez réessayer.',
      observer_revoked: 'Ce lien d’observation a été révoqué par un·e facilitateur·rice.',
      consent_closed: 'Ce tour de consentement est clos.',
      consent_open: 'Un tour de consentement est déjà ouvert.',
    } satisfies Record<ErrorCode, string>,
  },

  dayToDay: frDayToDay,
  details: frDetails,
  undo: frUndo,
  answers: frAnswers,
  room: frRoom,
  myBoards: frMyBoards,
  punctuation: frPunctuation,
  observer: frObserver,
  glossary: frGlossary,
  themes: frThemes,
  summary: frSummary,
  checkins: frCheckins,
  readyFocus: frReadyFocus,
  consent: frConsent,
  stageQuestions: frStageQuestions,
  stageWrap: frStageWrap,
  challenges: frChallenges,
  boardFile: frBoardFile,
  collab: frCollab,
};

export const MESSAGES = { en, fr } as const;
export type Language = keyof typeof MESSAGES;
export const LANGUAGES = Object.keys(MESSAGES) as Language[];
