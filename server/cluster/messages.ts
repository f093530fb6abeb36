/**
 * What processes say to each other about a board, as data (docs/running.md#several-processes): one discriminated union per
 * plane, checked with valibot when it arrives. On the bus a message is a kind number and a payload
 * (bus.ts): Yjs bytes on the document channel, JSON on the session channel. A message that does not
 * read as one of these is dropped by the relay that hears it (and logged): it never reaches a room.
 */
import * as v from 'valibot';

const Bytes = v.custom<Uint8Array>((input) => input instanceof Uint8Array, 'bytes expected');

/** A board's document channel: what one process stored, and what its peers' presence became. */
export const DocMessage = v.variant('type', [
  /** An update the sender stored (durable: applied, never stored again). */
  v.object({ type: v.literal('update'), update: Bytes }),
  /** Awareness entries of the sender's peers (y-protocols' encoding). */
  v.object({ type: v.literal('awareness'), update: Bytes }),
]);
export type DocMessage = v.InferOutput<typeof DocMessage>;

/** A board's session channel. */
export const SessionMessage = v.variant('type', [
  /** The sender stored a change (state or participants): reload from the store. */
  v.object({ type: v.literal('changed') }),
  /** A reaction sent on the sender (relayed, never stored). */
  v.object({
    type: v.literal('reaction'),
    reaction: v.object({ emoji: v.string(), participantId: v.string() }),
  }),
  /** Who is online on the sender now (said on every change and as a heartbeat). */
  v.object({ type: v.literal('presence'), online: v.array(v.string()) }),
  /** The sender just loaded the board: everyone says who is online on them. */
  v.object({ type: v.literal('presence-wanted') }),
]);
export type SessionMessage = v.InferOutput<typeof SessionMessage>;

/**
 * The kind numbers on the wire, one table per channel (as they always were: processes of two
 * versions may share a bus during an upgrade).
 */
const DOC_KINDS = ['update', 'awareness'] as const;
const SESSION_KINDS = ['changed', 'reaction', 'presence', 'presence-wanted'] as const;

const EMPTY = new Uint8Array();
const text = new TextEncoder();
const untext = new TextDecoder();

export function encodeDocMessage(message: DocMessage): [kind: number, payload: Uint8Array] {
  return [DOC_KINDS.indexOf(message.type), message.update];
}

export function encodeSessionMessage(message: SessionMessage): [kind: number, payload: Uint8Array] {
  const kind = SESSION_KINDS.indexOf(message.type);
  switch (message.type) {
    case 'reaction':
      return [kind, text.encode(JSON.stringify(message.reaction))];
    case 'presence':
      return [kind, text.encode(JSON.stringify(message.online))];
    default:
      return [kind, EMPTY];
  }
}

/** The outcome of reading a message: the message, or why it was dropped. */
export type Read<T> = { ok: true; message: T } | { ok: false; reason: string };

export function decodeDocMessage(kind: number, payload: Uint8Array): Read<DocMessage> {
  return check(DocMessage, { type: DOC_KINDS[kind], update: payload });
}

export function decodeSessionMessage(kind: number, payload: Uint8Array): Read<SessionMessage> {
  const type = SESSION_KINDS[kind];
  if (type !== 'reaction' && type !== 'presence') return check(SessionMessage, { type });
  let body: unknown;
  try {
    body = JSON.parse(untext.decode(payload));
  } catch {
    return { ok: false, reason: `a ${type} whose payload is not JSON` };
  }
  return check(SessionMessage, type === 'reaction' ? { type, reaction: body } : { type, online: body });
}

function check<T>(schema: v.GenericSchema<unknown, T>, input: unknown): Read<T> {
  const result = v.safeParse(schema, input);
  if (result.success) return { ok: true, message: result.output };
  return { ok: false, reason: v.summarize(result.issues) };
}
