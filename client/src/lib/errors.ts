/** A failure as a sentence for the person in front of the screen, in their language. */
import { ApiError } from './api';
import { i18n } from './i18n/i18n.svelte';

export function errorMessage(failure: unknown): string {
  const t = i18n.t.errors;
  if (failure instanceof ApiError) {
    if (failure.code === 'network') return t.network;
    return t.codes[failure.code] ?? failure.message ?? t.generic;
  }
  return t.generic;
}
