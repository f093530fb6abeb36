/**
 * Presence (y-protocols awareness) as a room accepts it from one connection (docs/sync.md,
 * "Presence"). An awareness update is a list of `(clientId, clock, state JSON)`, and the protocol
 * lets anyone write any client's entry. Here each client id belongs to whoever introduced it — the
 * participant when the connection carries a token (so a reload or a second tab gets its presence
 * back), else the connection itself — and entries for ids someone else owns are dropped: nobody
 * can overwrite or blank another person's presence. Stock providers echo everyone's presence back
 * to the server, so foreign entries are normal and simply skipped; only entries that are new and
 * the sender's own are kept.
 *
 * A state may name its participant (`participant`, what Atelier's client sets to show who edits
 * which text): the server makes it the connection's own participant, or drops it from a connection
 * without a token, so that nobody's edits can be shown under another's name.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type { Awareness } from 'y-protocols/awareness';

/** Client ids one owner may introduce (one tab is one id; a few spare for more tabs). */
export const MAX_AWARENESS_IDS_PER_OWNER = 8;
/** Entries one frame may carry (an echo lists everyone on the board); more: the frame is dropped. */
export const MAX_AWARENESS_ENTRIES_PER_FRAME = 2_000;
/** The largest presence state, in UTF-16 code units of its JSON (a name, a colour, a cursor). */
export const MAX_AWARENESS_STATE_CHARS = 4_096;

/** `state` (JSON) with its `participant`, if any, made the connection's own (none without a token). */
export function ownParticipant(state: string, participantId: string | null): string {
  if (!state.includes('"participant"')) return state;
  let parsed: unknown;
  try {
    parsed = JSON.parse(state);
  } catch {
    return state;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || !('participant' in parsed))
    return state;
  const fields = parsed as Record<string, unknown>;
  if (fields.participant === participantId) return state;
  if (participantId === null) delete fields.participant;
  else fields.participant = participantId;
  return JSON.stringify(fields);
}

/**
 * The part of `update` that `owner` may apply: entries of ids it owns, or new ids it may claim
 * (`claimsLeft`), with a clock newer than known. `update` is null when nothing is left (an echo, a
 * foreign write) or when the frame is over the bound; `claimed` lists the ids newly introduced.
 * Throws when the frame cannot be read.
 */
export function ownAwareness(
  awareness: Awareness,
  frame: Uint8Array,
  owner: unknown,
  owners: ReadonlyMap<number, unknown>,
  claimsLeft: number,
  participantId: string | null = null,
): { update: Uint8Array | null; claimed: number[] } {
  const decoder = decoding.createDecoder(frame);
  const count = decoding.readVarUint(decoder);
  const claimed: number[] = [];
  if (count > MAX_AWARENESS_ENTRIES_PER_FRAME) return { update: null, claimed };
  const kept: Array<{ clientId: number; clock: number; state: string }> = [];
  for (let i = 0; i < count; i++) {
    const clientId = decoding.readVarUint(decoder);
    const clock = decoding.readVarUint(decoder);
    const state = decoding.readVarString(decoder);
    const current = owners.get(clientId);
    if (current !== undefined && current !== owner) continue;
    const known = awareness.meta.get(clientId);
    if (known && known.clock >= clock) continue;
    if (state.length > MAX_AWARENESS_STATE_CHARS) continue;
    if (current === undefined) {
      if (state === 'null' || claimed.length >= claimsLeft) continue;
      claimed.push(clientId);
    }
    kept.push({ clientId, clock, state: ownParticipant(state, participantId) });
  }
  if (kept.length === 0) return { update: null, claimed };
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, kept.length);
  for (const { clientId, clock, state } of kept) {
    encoding.writeVarUint(encoder, clientId);
    encoding.writeVarUint(encoder, clock);
    encoding.writeVarString(encoder, state);
  }
  return { update: encoding.toUint8Array(encoder), claimed };
}
