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

/**
 * Drag and drop of an answer card (docs/product.md#themes), for a card component: `start` when
 * it is picked up, `over` while another card hovers it (true when it accepts the drop), `dropped`
 * for the id of the card let go on it (undefined when there is none to take).
 */
export const cardDrag = {
  start(event: DragEvent, cardId: string): void {
    if (isFrozen(event.currentTarget as Element)) return event.preventDefault();
    event.dataTransfer?.setData(CARD_DRAG_TYPE, cardId);
    if (event.dataTransfer) event.dataTransfer.effectAllowed = 'move';
  },
  over(event: DragEvent): boolean {
    if (!event.dataTransfer?.types.includes(CARD_DRAG_TYPE)) return false;
    event.preventDefault();
    return true;
  },
  dropped(event: DragEvent, cardId: string): string | undefined {
    const dragged = event.dataTransfer?.getData(CARD_DRAG_TYPE);
    if (!dragged || dragged === cardId || isFrozen(event.currentTarget as Element)) return undefined;
    event.preventDefault();
    event.stopPropagation();
    return dragged;
  },
};
