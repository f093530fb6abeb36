/**
 * A read-only page (an observer's, docs/product.md#observer-link): the board's components read this
 * context and show no composer, no edit or delete control. Pages that edit never set it.
 */
import { getContext, setContext } from 'svelte';

const KEY = Symbol('read-only');

export function setReadOnly(): void {
  setContext(KEY, true);
}

export function isReadOnly(): boolean {
  return getContext<boolean | undefined>(KEY) === true;
}

/**
 * The props of a page a member or an observer may open (the stage and the summary): the board, and
 * for an observer the link's key (docs/product.md#observer-link) with what to do once that link
 * stops working (revoked, docs/sync.md#observers).
 */
export interface ObservablePageProps {
  boardId: string;
  /** An observer link's key: the page reads with it instead of a member's identity. */
  observerKey?: string | null;
  onRevoked?: () => void;
}
