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
