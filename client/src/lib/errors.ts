/** A failure as a sentence for the person in front of the screen, in their language. */
import { isErrorCode, type ErrorBody } from '../../../shared/errors';
import { ApiError } from './api';
import { i18n } from './i18n/i18n.svelte';

/** Every known code has its sentence (messages.ts); a code this page does not know yet keeps the server's words. */
function codeMessage(code: string, message: string | undefined): string {
  const t = i18n.t.errors;
  return isErrorCode(code) ? t.codes[code] : message || t.generic;
}

export function errorMessage(failure: unknown): string {
  const t = i18n.t.errors;
  if (failure instanceof ApiError) {
    if (failure.code === 'network') return t.network;
    return codeMessage(failure.code, failure.message);
  }
  return t.generic;
}

/** A refused session request (an error acknowledgement) as a sentence. */
export function ackErrorMessage(error: ErrorBody): string {
  return codeMessage(error.code, error.message);
}
