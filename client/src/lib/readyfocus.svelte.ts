/**
 * Ready marks, the focus and answer rights on the open board (docs/session.md#ready,
 * docs/session.md#focus, docs/session.md#answer-rights), handed down as a Svelte context so that
 * the cards, lanes and goals between the workshop and the buttons need not carry it.
 */
import { getContext, setContext } from 'svelte';
import type { Ack } from '../../../shared/session/events';
import type { Focus, FocusKind } from '../../../shared/session/readyfocus';
import type { BoardState } from './board.svelte';
import type { SessionConnection } from './session.svelte';

export interface ReadyFocus {
  readonly session: SessionConnection;
  readonly isFacilitator: boolean;
  /** My participant id. */
  readonly me: string;
  /** Shows a refused request to me. */
  report(ack: Ack): unknown;
}

const KEY = Symbol('ready-focus');

export function setReadyFocus(readyFocus: ReadyFocus): void {
  setContext(KEY, readyFocus);
}

/** The board's ready and focus controls, or null outside a board (the buttons then show nothing). */
export function getReadyFocus(): ReadyFocus | null {
  return getContext<ReadyFocus | undefined>(KEY) ?? null;
}

/**
 * Whether I may edit and delete an answer written by `authorId`: facilitators always may; under
 * `own`, participants only their own (the server refuses the rest: docs/sync.md#answer-rights).
 */
export function mayChangeAnswer(readyFocus: ReadyFocus | null, authorId: string): boolean {
  if (!readyFocus || readyFocus.isFacilitator) return true;
  return readyFocus.session.view?.answerRights !== 'own' || authorId === readyFocus.me;
}

/** The attribute each kind of item carries on screen, by which the focused one is found. */
export const FOCUS_ATTRIBUTE: Record<FocusKind, string> = {
  question: 'data-question-id',
  answer: 'data-card-id',
  goal: 'data-goal-id',
  theme: 'data-theme-id',
};

/** The element that shows `target` on this page, if any. */
export function focusElement(target: NonNullable<Focus>): HTMLElement | null {
  return document.querySelector<HTMLElement>(`[${FOCUS_ATTRIBUTE[target.kind]}="${CSS.escape(target.id)}"]`);
}

/**
 * What the focused item says, and who wrote it (answers and goals), read from the board. A theme
 * says its name ('' while unnamed) and lists its answers' texts.
 */
export function focusedItem(
  board: BoardState,
  target: NonNullable<Focus>,
): { text: string; authorId: string | null; answers?: string[] } | null {
  switch (target.kind) {
    case 'answer': {
      for (const cards of board.cardsByQuestion.values()) {
        const card = cards.find((c) => c.id === target.id);
        if (card) return { text: card.text, authorId: card.authorId };
      }
      return null;
    }
    case 'question': {
      const question = board.discoverQuestions.find((q) => q.id === target.id);
      return question ? { text: question.text, authorId: null } : null;
    }
    case 'goal': {
      const goal = board.goals.find((g) => g.id === target.id);
      return goal ? { text: goal.title, authorId: goal.authorId } : null;
    }
    case 'theme':
      return focusedTheme(board, target.id);
    default:
      return null;
  }
}

/** docs/session.md#focus: a theme in focus, its name and its answers in their order. */
function focusedTheme(
  board: BoardState,
  themeId: string,
): { text: string; authorId: null; answers: string[] } | null {
  for (const [questionId, themes] of board.themesByQuestion) {
    const theme = themes.find((candidate) => candidate.id === themeId);
    if (!theme) continue;
    const cards = new Map((board.cardsByQuestion.get(questionId) ?? []).map((card) => [card.id, card.text]));
    return { text: theme.name, authorId: null, answers: theme.cardIds.flatMap((id) => cards.get(id) ?? []) };
  }
  return null;
}
