/**
 * Session-plane events (SPEC §6): what a client may send, with the schema each payload must pass,
 * and what the server sends back. Handlers live in server/session; this file is the contract.
 */
import * as v from 'valibot';
import type { ErrorBody } from '../errors';
import { PHASES } from './phases';
import type { SessionView } from './state';

export const EMOJI_MAX_LENGTH = 16;

export const ClientPayload = {
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
