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
