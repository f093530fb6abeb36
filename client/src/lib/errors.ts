/** A failure as a sentence for the person in front of the screen, in their language. */
import type { ErrorBody } from '../../../shared/errors';
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

/** A refused session request (an error acknowledgement) as a sentence. */
export function ackErrorMessage(error: ErrorBody): string {
  return i18n.t.errors.codes[error.code] ?? error.message ?? i18n.t.errors.generic;
}
