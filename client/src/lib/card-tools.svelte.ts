/**
 * What an answer card reads from the board around it, looked up once by its lane and handed to
 * each card: a board may hold thousands of cards (docs/quality.md#the-client-on-a-big-board), and a
 * context lookup made by every card is paid thousands of times (each copies its parent's contexts).
 */
import { getCollab, type Collab } from './collab';
import { getGoalLinks, type GoalLinksContext } from './goal-links.svelte';
import { isReadOnly } from './read-only';
import { getReadyFocus, type ReadyFocus } from './readyfocus.svelte';

const NOBODY: ReadonlyMap<string, unknown> = new Map();

export interface CardTools {
  /** An observer's page: no edit or delete (docs/product.md#observer-link). */
  readonly readOnly: boolean;
  /** The collaborative text and who edits it (client/src/lib/collab.ts). */
  readonly collab: Collab | null;
  /** The texts others are editing now, by key (`textKey`): read once per change for all the cards. */
  readonly edited: ReadonlyMap<string, unknown>;
  /** Focus and answer rights (docs/session.md#focus, docs/session.md#answer-rights). */
  readonly readyFocus: ReadyFocus | null;
  /**
   * The glossary, when the lane's question asks for metrics: its cards then offer "add to the
   * glossary" (docs/product.md#metric-glossary). Null otherwise.
   */
  readonly glossary: GoalLinksContext | null;
}

/**
 * The tools of the cards of the question `questionId` gives, under the calling component (to call
 * while it is created).
 */
export function cardTools(questionId: () => string): CardTools {
  const goalLinks = getGoalLinks();
  const collab = getCollab();
  const edited = $derived(collab ? collab.editedTexts() : NOBODY);
  const glossary = $derived(goalLinks?.links.metricsQuestions.has(questionId()) ? goalLinks : null);
  return {
    readOnly: isReadOnly(),
    collab,
    get edited() {
      return edited;
    },
    readyFocus: getReadyFocus(),
    get glossary() {
      return glossary;
    },
  };
}
