/**
 * What undo and redo say once done (client/src/lib/undo.ts), in English and French: the `undo`
 * part of the interface's dictionaries (messages.ts), read as `i18n.t.undo`. The French part is
 * typed by the English one.
 */
import type { RootName } from '../../../../shared/board/layout';

export const enUndo = {
  /** Announced after an undo; `what` names what it changed back, when known. */
  undone: (what: string | null) => (what ? `Undone: ${what}` : 'Undone'),
  redone: (what: string | null) => (what ? `Redone: ${what}` : 'Redone'),
  what: {
    questions: 'a question',
    cards: 'an answer card',
    goals: 'a goal',
    hats: 'a hat',
    workload: 'your hats or estimates',
    commitments: 'a commitment',
    meta: 'the next regular check-in',
    challenges: 'a challenge',
    glossary: 'a glossary entry',
    themes: 'a theme',
  } satisfies Record<RootName, string>,
};

export const frUndo: typeof enUndo = {
  undone: (what) => (what ? `Annulé : ${what}` : 'Annulé'),
  redone: (what) => (what ? `Rétabli : ${what}` : 'Rétabli'),
  what: {
    questions: 'une question',
    cards: 'une carte réponse',
    goals: 'un objectif',
    hats: 'une casquette',
    workload: 'vos casquettes ou estimations',
    commitments: 'un engagement',
    meta: 'le prochain point régulier',
    challenges: 'un défi',
    glossary: 'une entrée du glossaire',
    themes: 'un thème',
  },
};
