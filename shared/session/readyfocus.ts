/**
 * Ready marks, the focus and the answer rights (docs/session.md#ready, docs/session.md#focus,
 * docs/session.md#answer-rights), as pure functions over the session state the server holds.
 */
import type { Phase } from './phases';

export const FOCUS_KINDS = ['question', 'answer', 'goal', 'theme'] as const;
export type FocusKind = (typeof FOCUS_KINDS)[number];

/** What the facilitator brought everyone to, or null. */
export type Focus = { kind: FocusKind; id: string } | null;

export const ANSWER_RIGHTS = ['everyone', 'own'] as const;
/** Who may edit and delete an answer card: anyone, or only its author (facilitators always may). */
export type AnswerRights = (typeof ANSWER_RIGHTS)[number];

/** The ready marks as everyone sees them: who is done, how many of the online participants. */
export interface ReadyView {
  /** Participants who said they are done in the current phase, in the order they did. */
  ids: string[];
  /** How many of them are online now. */
  done: number;
  /** People in the meeting online now (facilitators too: anyone may say they are done). */
  of: number;
}

export interface ReadyState {
  /** The phase the marks belong to: a move to another phase clears them. */
  readyPhase: Phase;
  ready: string[];
}

/** Marks `participantId` done (or not) in the current phase. */
export function withReady(state: ReadyState & { phase: Phase }, participantId: string, done: boolean): void {
  if (state.readyPhase !== state.phase) {
    state.ready = [];
    state.readyPhase = state.phase;
  }
  const others = state.ready.filter((id) => id !== participantId);
  state.ready = done ? [...others, participantId] : others;
}

/** The marks that hold in `phase`: none when they were made in another one. */
export function readyIn(state: Readonly<ReadyState>, phase: Phase): readonly string[] {
  return state.readyPhase === phase ? state.ready : [];
}

/** The ready counts: the marks of online participants, out of the online participants. */
export function readyView(
  marks: readonly string[],
  participants: ReadonlyArray<{ id: string; online: boolean }>,
): ReadyView {
  const online = new Set(participants.filter((p) => p.online).map((p) => p.id));
  const known = new Set(participants.map((p) => p.id));
  const ids = marks.filter((id) => known.has(id));
  return { ids, done: ids.filter((id) => online.has(id)).length, of: online.size };
}
