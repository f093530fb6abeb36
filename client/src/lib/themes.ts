/**
 * What the discovery lanes may do with themes (docs/product.md#themes): each gesture is one
 * command of shared/board/themes.ts, made by BoardState with the origin of the section on screen,
 * so it is one undo step. Refusals are reported like any other.
 */
export interface ThemeActions {
  /** A new theme holding these answers (of one question). */
  group(cardIds: string[]): void;
  /** The answer joins the theme (leaving the one it was in). */
  join(themeId: string, cardId: string): void;
  /** The answer leaves its theme. */
  ungroupCard(cardId: string): void;
  /** The whole theme is ungrouped; its answers stay. */
  dissolve(themeId: string): void;
  /** A draft goal from the theme; true once made. */
  makeGoal(themeId: string): boolean;
}

/** The type of the data a dragged answer card carries. */
export const CARD_DRAG_TYPE = 'application/x-atelier-card';

/** Whether the element is inside a disabled fieldset (a locked board, for a participant). */
export function isFrozen(element: Element | null): boolean {
  return (element?.closest('fieldset:disabled') ?? null) !== null;
}

/** The answer card in `list` where a drag event happened (on it or inside it), if any. */
function cardAt(event: DragEvent): HTMLElement | null {
  const node = event.target instanceof Node ? event.target : null;
  // A dragged selection of text starts its drag on the text node itself.
  const element = node instanceof Element ? node : (node?.parentElement ?? null);
  const card = element?.closest<HTMLElement>('li.card[data-card-id]') ?? null;
  return card && event.currentTarget instanceof Element && event.currentTarget.contains(card) ? card : null;
}

/**
 * Drag and drop of answer cards (docs/product.md#themes), handled by the list that holds them rather
 * than by each card: a lane may hold thousands (docs/quality.md#the-client-on-a-big-board), and
 * four listeners per card cost their mount. A card whose `draggable` is false (being edited) is not
 * picked up; the card another hovers shows it (class `dropping`); `onDrop` gets the card let go on
 * another card, and the target's id. Nothing moves while the board is frozen.
 */
export function cardListDrag(onDrop: (target: string, dragged: string) => void): {
  ondragstart: (event: DragEvent) => void;
  ondragover: (event: DragEvent) => void;
  ondragleave: (event: DragEvent) => void;
  ondrop: (event: DragEvent) => void;
} {
  return {
    ondragstart(event) {
      const card = cardAt(event);
      if (!card) return;
      if (isFrozen(card) || !card.draggable) return event.preventDefault();
      event.dataTransfer?.setData(CARD_DRAG_TYPE, card.dataset.cardId ?? '');
      if (event.dataTransfer) event.dataTransfer.effectAllowed = 'move';
    },
    ondragover(event) {
      const card = cardAt(event);
      if (!card || !event.dataTransfer?.types.includes(CARD_DRAG_TYPE)) return;
      event.preventDefault();
      card.classList.add('dropping');
    },
    ondragleave(event) {
      cardAt(event)?.classList.remove('dropping');
    },
    ondrop(event) {
      const card = cardAt(event);
      if (!card) return;
      card.classList.remove('dropping');
      const target = card.dataset.cardId ?? '';
      const dragged = event.dataTransfer?.getData(CARD_DRAG_TYPE);
      if (!dragged || dragged === target || isFrozen(card)) return;
      event.preventDefault();
      event.stopPropagation();
      onDrop(target, dragged);
    },
  };
}
