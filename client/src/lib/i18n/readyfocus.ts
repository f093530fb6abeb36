/**
 * The ready bar, the focus and the answer rights (docs/session.md#ready, docs/session.md#focus,
 * docs/session.md#answer-rights), in English and French: the `readyFocus` part of the interface's
 * dictionaries (messages.ts), read as `i18n.t.readyFocus`. The French part is typed by the English one.
 */
import type { FocusKind } from '../../../../shared/session/readyfocus';

export const enReadyFocus = {
  /** The toggle: pressed once I said I am done. */
  imDone: 'I’m done',
  /** "6 of 8 done". */
  doneOf: (done: number, of: number) => `${done} of ${of} done`,
  readyLabel: 'Who is done with this phase',
  focus: 'Focus',
  focusOn: (what: string) => `Focus: bring everyone to ${what}`,
  unfocus: 'End focus',
  backToFocus: 'Back to focus',
  inFocus: 'In focus',
  /** Announced to screen readers when the facilitator brings everyone to something. */
  announce: (what: string) => `In focus: ${what}`,
  kinds: {
    question: 'this question',
    answer: 'this answer',
    goal: 'this goal',
    theme: 'this theme',
  } satisfies Record<FocusKind, string>,
  kindNames: {
    question: 'Question',
    answer: 'Answer',
    goal: 'Goal',
    theme: 'Theme',
  } satisfies Record<FocusKind, string>,
  rights: {
    label: 'Answers',
    everyone: 'Anyone may edit or delete any answer',
    own: 'People may edit or delete only their own answers',
    toEveryone: 'Let anyone edit answers',
    toOwn: 'Own answers only',
  },
};

export const frReadyFocus: typeof enReadyFocus = {
  imDone: 'J’ai fini',
  doneOf: (done, of) => `${done} sur ${of} ont fini`,
  readyLabel: 'Qui a fini cette étape',
  focus: 'Focus',
  focusOn: (what) => `Focus : amener tout le monde sur ${what}`,
  unfocus: 'Terminer le focus',
  backToFocus: 'Revenir au focus',
  inFocus: 'En focus',
  announce: (what) => `En focus : ${what}`,
  kinds: {
    question: 'cette question',
    answer: 'cette réponse',
    goal: 'cet objectif',
    theme: 'ce thème',
  },
  kindNames: {
    question: 'Question',
    answer: 'Réponse',
    goal: 'Objectif',
    theme: 'Thème',
  },
  rights: {
    label: 'Réponses',
    everyone: 'Chacun peut modifier ou supprimer toutes les réponses',
    own: 'Chacun ne peut modifier ou supprimer que ses propres réponses',
    toEveryone: 'Laisser chacun modifier les réponses',
    toOwn: 'Ses réponses seulement',
  },
};
