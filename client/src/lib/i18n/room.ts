/**
 * The room's strings, in English and French: the board's chrome on every screen (skip link, the
 * phone menu, reactions, keyboard shortcuts, sharing on the network) and the stage view for the
 * room's shared screen. The `room` part of the interface's dictionaries (messages.ts), read as
 * `i18n.t.room`; the French part is typed by the English one.
 */

export const enRoom = {
  skipToBoard: 'Skip to the board',
  menu: 'Menu',
  menuLabel: 'Menu: people, sharing, language and more',
  more: (count: number) => `+${count}`,
  moreLabel: (count: number) => (count === 1 ? '1 more person online' : `${count} more people online`),

  reactions: {
    open: 'Send a reaction',
    close: 'Close the reactions',
  },

  timer: {
    over: 'Time is up',
  },

  shortcuts: {
    heading: 'Keyboard shortcuts',
    open: 'Keyboard shortcuts',
    close: 'Close',
    hint: 'They work whenever you are not typing in a field.',
    keys: {
      help: 'Show these shortcuts',
      nextSection: 'Next section',
      previousSection: 'Previous section',
      nextLane: 'Next lane (question)',
      previousLane: 'Previous lane (question)',
      undo: 'Undo my last edit',
      redo: 'Redo',
      escape: 'Close a menu or a dialog',
    },
  },

  share: {
    lanHeading: 'Teammates on your network',
    lanHint: (host: string) =>
      `This page is open on ${host}, which other devices cannot open: the link and QR code below use this machine’s network address instead. Their devices must be on the same network.`,
    lanAddress: 'Network address',
    stage: 'Open the stage view',
    stageHint:
      'For the room’s shared screen: the current phase, the answers as they arrive and this QR code, with no controls.',
  },

  stage: {
    title: (board: string) => `${board} · stage`,
    join: 'Join from your phone',
    joinHint: 'Scan the code, or open',
    connecting: 'Connecting…',
    offline: 'Reconnecting…',
    online: (count: number) => (count === 1 ? '1 person here' : `${count} people here`),
    answers: (count: number) => (count === 1 ? '1 answer' : `${count} answers`),
    noAnswers: 'No answer yet',
    latest: 'Latest answers',
    hats: 'The hats we wear',
    wornBy: (count: number) => (count === 1 ? '1 person' : `${count} people`),
    noHats: 'Nobody has marked a hat yet.',
    goals: 'Goals so far',
    noGoals: 'No goal yet.',
    votingClosed: 'Voting has not started.',
    votingOpen: 'Voting is open: spend your dots on your phone.',
    votingDone: 'Voting is closed.',
    voters: (count: number): string => (count === 1 ? 'person has voted' : 'people have voted'),
    votesCast: (count: number): string => (count === 1 ? 'vote cast' : 'votes cast'),
    hidden: 'The results stay hidden until the facilitator reveals them.',
    results: 'Results',
    agreed: 'Agreed',
    agreedHeading: 'Our agreed goals',
    noneAgreed: 'No goal agreed yet.',
    metric: 'Metric',
    target: 'Target',
    owner: 'Owner',
    due: 'Due',
    nextCheckIn: 'Next check-in',
    wrapUpHint: 'Answer the team pulse on your phone.',
  },
};

export type RoomMessages = typeof enRoom;

export const frRoom: RoomMessages = {
  skipToBoard: 'Aller au tableau',
  menu: 'Menu',
  menuLabel: 'Menu : personnes, partage, langue et plus',
  more: (count) => `+${count}`,
  moreLabel: (count) => (count === 1 ? '1 autre personne en ligne' : `${count} autres personnes en ligne`),

  reactions: {
    open: 'Envoyer une réaction',
    close: 'Fermer les réactions',
  },

  timer: {
    over: 'Temps écoulé',
  },

  shortcuts: {
    heading: 'Raccourcis clavier',
    open: 'Raccourcis clavier',
    close: 'Fermer',
    hint: 'Ils fonctionnent dès que vous n’écrivez pas dans un champ.',
    keys: {
      help: 'Afficher ces raccourcis',
      nextSection: 'Étape suivante',
      previousSection: 'Étape précédente',
      nextLane: 'Colonne suivante (question)',
      previousLane: 'Colonne précédente (question)',
      undo: 'Annuler ma dernière modification',
      redo: 'Rétablir',
      escape: 'Fermer un menu ou une fenêtre',
    },
  },

  share: {
    lanHeading: 'Vos collègues sur le réseau',
    lanHint: (host) =>
      `Cette page est ouverte sur ${host}, que les autres appareils ne peuvent pas ouvrir : le lien et le QR code ci-dessous utilisent l’adresse de cette machine sur le réseau. Leurs appareils doivent être sur le même réseau.`,
    lanAddress: 'Adresse réseau',
    stage: 'Ouvrir la vue salle',
    stageHint:
      'Pour l’écran partagé de la salle : l’étape en cours, les réponses à mesure qu’elles arrivent et ce QR code, sans aucune commande.',
  },

  stage: {
    title: (board) => `${board} · salle`,
    join: 'Rejoignez depuis votre téléphone',
    joinHint: 'Scannez le code, ou ouvrez',
    connecting: 'Connexion…',
    offline: 'Reconnexion…',
    online: (count) => (count === 1 ? '1 personne présente' : `${count} personnes présentes`),
    answers: (count) => (count === 1 ? '1 réponse' : `${count} réponses`),
    noAnswers: 'Pas encore de réponse',
    latest: 'Dernières réponses',
    hats: 'Les casquettes que nous portons',
    wornBy: (count) => (count === 1 ? '1 personne' : `${count} personnes`),
    noHats: 'Personne n’a encore choisi de casquette.',
    goals: 'Les objectifs proposés',
    noGoals: 'Pas encore d’objectif.',
    votingClosed: 'Le vote n’a pas commencé.',
    votingOpen: 'Le vote est ouvert : placez vos points sur votre téléphone.',
    votingDone: 'Le vote est clos.',
    voters: (count) => (count === 1 ? 'personne a voté' : 'personnes ont voté'),
    votesCast: (count) => (count === 1 ? 'vote exprimé' : 'votes exprimés'),
    hidden: 'Les résultats restent cachés jusqu’à ce que l’animateur les révèle.',
    results: 'Résultats',
    agreed: 'Retenu',
    agreedHeading: 'Nos objectifs retenus',
    noneAgreed: 'Aucun objectif retenu pour l’instant.',
    metric: 'Indicateur',
    target: 'Cible',
    owner: 'Responsable',
    due: 'Échéance',
    nextCheckIn: 'Prochain point',
    wrapUpHint: 'Répondez à la météo de l’équipe sur votre téléphone.',
  },
};
