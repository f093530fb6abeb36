/**
 * Error codes shared by the HTTP API, socket.io acknowledgements and `connect_error` (docs/errors.md#error-codes).
 * A code keeps its meaning forever: add new ones, never reuse one.
 */
export const ERROR_CODES = [
  'bad_request',
  'bad_token',
  'unknown_board',
  'not_found',
  'not_facilitator',
  'wrong_key',
  'voting_closed',
  'budget_spent',
  'item_cap',
  'unknown_goal',
  'below_zero',
  'votes_exceed_budget',
  'votes_exceed_cap',
  'locked',
  'timer_not_running',
  'timer_not_paused',
  'not_participant',
  'board_full',
  'pulse_too_few',
  'unsupported_media_type',
  'too_large',
  'rate_limited',
  'unavailable',
  'internal',
  'not_on_ballot',
  'ballot_full',
  'pulse_not_open',
  'pulse_joined_late',
  'board_unreadable',
  'too_many_joins',
  'removed',
  'storage_full',
  'checkin_closed',
  'observer_revoked',
  'consent_closed',
  'consent_open',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorBody {
  code: ErrorCode;
  message: string;
}

/** The one error type thrown on purpose; mapped to HTTP statuses, acks and close codes at the edges. */
export class AppError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'AppError';
    this.code = code;
  }
  toBody(): ErrorBody {
    return { code: this.code, message: this.message };
  }
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}
