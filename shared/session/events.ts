/**
 * Session-plane events (docs/session.md#requests): what a client may send, with the schema each payload must pass,
 * and what the server sends back. Handlers live in server/session; this file is the contract.
 */
import * as v from 'valibot';
import type { ErrorBody } from '../errors';
import { isId } from '../ids';
import { PHASES } from './phases';
import type { SessionView } from './state';
import { PULSE_HELP_MAX_LENGTH } from './pulse';
import { ANSWER_RIGHTS, FOCUS_KINDS } from './readyfocus';
import { ANSWER_PAYLOADS, type AnswerReplies } from './answers';
import { MAX_TIMER_MS, MIN_TIMER_MS } from './timer';
import { MAX_VOTES_PER_ITEM, MAX_VOTES_PER_PERSON } from './voting';
import { CheckinPayload, CheckinRecordPayload } from './checkins';
import { CONSENT_PAYLOADS, type ConsentReplies } from './consent';

export const EMOJI_MAX_LENGTH = 16;

const GoalId = v.pipe(
  v.string('goalId must be text'),
  v.check((id: string) => isId(id), 'goalId is not a goal id'),
);
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
  timer: v.variant(
    'action',
    [
      v.object({
        action: v.literal('start'),
        durationMs: v.optional(
          v.pipe(
            v.number('durationMs must be a number'),
            v.integer('durationMs must be a whole number of milliseconds'),
            v.minValue(MIN_TIMER_MS, `durationMs must be at least ${MIN_TIMER_MS}`),
            v.maxValue(MAX_TIMER_MS, `durationMs is at most ${MAX_TIMER_MS} (60 minutes)`),
          ),
        ),
      }),
      v.object({ action: v.picklist(['pause', 'resume', 'reset']) }),
      v.object({
        action: v.literal('extend'),
        deltaMs: v.pipe(
          v.number('deltaMs must be a number'),
          v.integer('deltaMs must be a whole number of milliseconds'),
          v.minValue(-MAX_TIMER_MS, 'deltaMs is out of range'),
          v.maxValue(MAX_TIMER_MS, 'deltaMs is out of range'),
        ),
      }),
    ],
    'action must be start, pause, resume, reset or extend',
  ),
  lock: v.object({ locked: v.boolean('locked must be true or false') }),
  pulseResults: v.object({ shown: v.boolean('shown must be true or false') }),
  pulse: v.object({
    score: v.pipe(
      v.number('score must be a number'),
      v.integer('score must be a whole number'),
      v.minValue(1, 'score is 1 to 5'),
      v.maxValue(5, 'score is 1 to 5'),
    ),
    help: v.optional(
      v.pipe(
        v.string('help must be text'),
        v.trim(),
        v.maxLength(PULSE_HELP_MAX_LENGTH, `help is limited to ${PULSE_HELP_MAX_LENGTH} characters`),
      ),
      '',
    ),
  }),
  /** A facilitator removes someone: their tokens stop working, their votes and pulse answer go. */
  removeParticipant: v.object({
    participantId: v.pipe(
      v.string('participantId must be text'),
      v.check((id: string) => isId(id), 'participantId is not a participant id'),
    ),
  }),
  reaction: v.object({
    emoji: v.pipe(
      v.string('emoji must be text'),
      v.minLength(1, 'emoji cannot be empty'),
      v.maxLength(EMOJI_MAX_LENGTH, `emoji is limited to ${EMOJI_MAX_LENGTH} characters`),
    ),
  }),
  /** docs/session.md#check-ins: the facilitator starts or closes a check-in. */
  checkin: CheckinPayload,
  /** docs/session.md#check-ins: anyone present records an agreed goal's value. */
  checkinRecord: CheckinRecordPayload,
  /** docs/session.md#ready: anyone says they are done (or not) in the current phase. */
  ready: v.object({ done: v.boolean('done must be true or false') }),
  /** docs/session.md#focus: the facilitator brings everyone to one item, or lets them go. */
  focus: v.object({
    target: v.nullable(
      v.object({
        kind: v.picklist(FOCUS_KINDS, 'kind must be question, answer, goal or theme'),
        id: v.pipe(
          v.string('id must be text'),
          v.check((id: string) => isId(id), 'id is not an item id'),
        ),
      }),
    ),
  }),
  /** docs/session.md#answer-rights: whether participants may change others' answers. */
  answerRights: v.object({ rights: v.picklist(ANSWER_RIGHTS, 'rights must be everyone or own') }),
  /** docs/session.md#private-and-anonymous-answers */
  ...ANSWER_PAYLOADS,
  /** docs/session.md#consent-rounds */
  ...CONSENT_PAYLOADS,
} as const;

export type ClientEventName = keyof typeof ClientPayload;

/** Whether `name` is a request a client may send (anything else a client emits is refused). */
export function isClientEventName(name: unknown): name is ClientEventName {
  return typeof name === 'string' && Object.hasOwn(ClientPayload, name);
}

/** An acknowledgement that carries nothing but `ok: true`. */
export type NoReply = Record<never, never>;

/** What each request's acknowledgement carries besides `ok: true` (docs/session.md#requests). */
export interface ClientReplies extends AnswerReplies, ConsentReplies {
  /** My votes after the change: goal id → count. */
  vote: { myVotes: Record<string, number> };
  voting: NoReply;
  agree: NoReply;
  phase: NoReply;
  timer: NoReply;
  lock: NoReply;
  pulse: NoReply;
  pulseResults: NoReply;
  removeParticipant: NoReply;
  reaction: NoReply;
  /** The check-in started or closed. */
  checkin: { checkinId: string };
  checkinRecord: NoReply;
  ready: NoReply;
  focus: NoReply;
  answerRights: NoReply;
}

/**
 * Every request a client may send, declared once: the payload as a client sends it, as the
 * server's handler receives it after validation, and what its acknowledgement carries.
 */
export type ClientEvents = {
  [E in ClientEventName]: {
    request: v.InferInput<(typeof ClientPayload)[E]>;
    payload: v.InferOutput<(typeof ClientPayload)[E]>;
    reply: ClientReplies[E];
  };
};

/** A payload as the server's handler receives it, after validation. */
export type ClientPayloadOf<E extends ClientEventName> = ClientEvents[E]['payload'];
/** A payload as a client sends it. */
export type ClientRequestOf<E extends ClientEventName> = ClientEvents[E]['request'];
/** What a successful acknowledgement of `E` carries besides `ok: true`. */
export type ReplyOf<E extends ClientEventName> = ClientEvents[E]['reply'];

export type Ack<T extends object = object> = ({ ok: true } & T) | { ok: false; error: ErrorBody };
/** The acknowledgement of one request. */
export type AckOf<E extends ClientEventName> = Ack<ReplyOf<E>>;
/** The callback socket.io hands the server for acknowledging one request. */
export type AckCallback<E extends ClientEventName> = (ack: AckOf<E>) => void;

export interface Reaction {
  emoji: string;
  participantId: string;
}

export interface ServerToClientEvents {
  session: (view: SessionView) => void;
  reaction: (reaction: Reaction) => void;
  /** Sent to a removed participant's connections just before the server closes them. */
  removed: () => void;
}

export type ClientToServerEvents = {
  [E in ClientEventName]: (payload: ClientRequestOf<E>, ack: AckCallback<E>) => void;
};

/** What a client passes as socket.io `auth` (docs/session.md#connecting). */
export interface SessionAuth {
  boardId: string;
  token: string;
}
