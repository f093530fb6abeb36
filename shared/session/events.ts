/**
 * Session-plane events (SPEC §6): what a client may send, with the schema each payload must pass,
 * and what the server sends back. Handlers live in server/session; this file is the contract.
 */
import * as v from 'valibot';
import type { ErrorBody } from '../errors';
import { ID_PATTERN } from '../ids';
import { PHASES } from './phases';
import type { SessionView } from './state';
import { MAX_VOTES_PER_ITEM, MAX_VOTES_PER_PERSON } from './voting';

export const EMOJI_MAX_LENGTH = 16;

const GoalId = v.pipe(v.string('goalId must be text'), v.regex(ID_PATTERN, 'goalId is not a goal id'));
const Count = (max: number, what: string) =>
  v.pipe(
    v.number(`${what} must be a number`),
    v.integer(`${what} must be a whole number`),
    v.minValue(1, `${what} must be at least 1`),
    v.maxValue(max, `${what} is at most ${max}`),
  );

export const ClientPayload = {
  vote: v.object({
    goalId: GoalId,
    delta: v.picklist([1, -1], 'delta must be 1 or -1'),
  }),
  voting: v.pipe(
    v.object({
      open: v.optional(v.boolean('open must be true or false')),
      revealed: v.optional(v.boolean('revealed must be true or false')),
      votesPerPerson: v.optional(Count(MAX_VOTES_PER_PERSON, 'votesPerPerson')),
      maxPerItem: v.optional(Count(MAX_VOTES_PER_ITEM, 'maxPerItem')),
      reset: v.optional(v.literal(true, 'reset must be true')),
    }),
    v.check((change) => Object.keys(change).length > 0, 'nothing to change'),
  ),
  agree: v.object({ goalId: GoalId, agreed: v.boolean('agreed must be true or false') }),
  phase: v.object({ phase: v.picklist(PHASES, 'unknown phase') }),
  reaction: v.object({
    emoji: v.pipe(
      v.string('emoji must be text'),
      v.minLength(1, 'emoji cannot be empty'),
      v.maxLength(EMOJI_MAX_LENGTH, `emoji is limited to ${EMOJI_MAX_LENGTH} characters`),
    ),
  }),
} as const;

export type ClientEventName = keyof typeof ClientPayload;
/** A payload as the server's handler receives it, after validation. */
export type ClientPayloadOf<E extends ClientEventName> = v.InferOutput<(typeof ClientPayload)[E]>;
/** A payload as a client sends it. */
export type ClientRequestOf<E extends ClientEventName> = v.InferInput<(typeof ClientPayload)[E]>;

export type Ack<T extends object = object> = ({ ok: true } & T) | { ok: false; error: ErrorBody };

export interface Reaction {
  emoji: string;
  participantId: string;
}

export interface ServerToClientEvents {
  session: (view: SessionView) => void;
  reaction: (reaction: Reaction) => void;
}

export type ClientToServerEvents = {
  [E in ClientEventName]: (payload: ClientRequestOf<E>, ack: (reply: Ack) => void) => void;
};

/** What a client passes as socket.io `auth` (SPEC §6). */
export interface SessionAuth {
  boardId: string;
  token: string;
}
