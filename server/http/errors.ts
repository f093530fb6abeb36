/** Error codes to HTTP statuses, in one place (docs/http.md#status-codes). */
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ErrorCode } from '../../shared/errors';

export const HTTP_STATUS: Record<ErrorCode, ContentfulStatusCode> = {
  bad_request: 400,
  bad_token: 401,
  not_facilitator: 403,
  wrong_key: 403,
  unknown_board: 404,
  not_found: 404,
  unknown_goal: 404,
  voting_closed: 409,
  budget_spent: 409,
  item_cap: 409,
  below_zero: 409,
  votes_exceed_budget: 409,
  votes_exceed_cap: 409,
  too_large: 413,
  locked: 423,
  timer_not_running: 409,
  timer_not_paused: 409,
  not_participant: 403,
  board_full: 429,
  pulse_too_few: 409,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
  not_on_ballot: 409,
  ballot_full: 409,
  pulse_not_open: 409,
  pulse_joined_late: 403,
  board_unreadable: 500,
  too_many_joins: 429,
  removed: 403,
  // Not 503: the server is up and still serves what it has, and a proxy must not retry the write
  // elsewhere (every process shares the full store). 507 says exactly this: no room to store it.
  storage_full: 507,
  checkin_closed: 409,
  consent_closed: 409,
  consent_open: 409,
  // docs/http.md#observer-link: the link existed and was withdrawn, for good.
  observer_revoked: 410,
};
