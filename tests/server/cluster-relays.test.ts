/**
 * What processes say to each other (server/cluster/messages.ts) and what a meeting's relay does
 * and a board's relays do with it (server/cluster/session-relay.ts, presence.ts, doc-relay.ts), in
 * one process, on a bus kept in memory: every message reads back as it was written, anything else
 * is dropped and logged before it reaches a room, presence is believed for PRESENCE_TRUST_MS, and a
 * document catches up from the store on its own.
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { Bus } from '../../server/cluster/bus';
import {
  decodeDocMessage,
  decodeSessionMessage,
  encodeDocMessage,
  encodeSessionMessage,
  type SessionMessage,
} from '../../server/cluster/messages';
import { DocRelay } from '../../server/cluster/doc-relay';
import { PRESENCE_TRUST_MS, PresenceElsewhere } from '../../server/cluster/presence';
import { SessionRelay } from '../../server/cluster/session-relay';
import type { SessionRoom } from '../../server/session/room';
import type { Store, StoredDoc } from '../../server/storage/store';
import type { DocRoom } from '../../server/sync/room';
import type { Reaction } from '../../shared/session/events';
import { waitFor } from '../helpers/expect';

/** One channel's subscribers in this process; `deliver` plays another process speaking. */
class MemoryBus implements Bus {
  readonly processId = 'here';
  readonly published: Array<{ channel: string; kind: number; payload: Uint8Array }> = [];
  readonly #handlers = new Map<string, (kind: number, payload: Uint8Array, sender: string) => void>();

  publish(channel: string, kind: number, payload: Uint8Array): void {
    this.published.push({ channel, kind, payload });
  }

  subscribe(channel: string, handler: (kind: number, payload: Uint8Array, sender: string) => void) {
    this.#handlers.set(channel, handler);
    return () => void this.#handlers.delete(channel);
  }

  deliver(channel: string, kind: number, payload: Uint8Array, sender = 'elsewhere'): void {
    this.#handlers.get(channel)?.(kind, payload, sender);
  }

  async close(): Promise<void> {}
}

/** What a relay sees of a meeting, recording what it is told. */
function meeting(online: string[] = []) {
  const told = { reactions: [] as Reaction[], refreshes: 0, reloads: 0 };
  const room = {
    boardId: 'b0ard',
    onlineHere: online,
    refresh: () => void (told.refreshes += 1),
    reload: async () => void (told.reloads += 1),
    relayReaction: (reaction: Reaction) => void told.reactions.push(reaction),
  };
  return { room: room as unknown as SessionRoom, told };
}

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('messages between processes', () => {
  const relays: SessionRelay[] = [];
  afterEach(() => {
    for (const relay of relays.splice(0)) relay.stopped();
  });

  it('[running#several-processes] every message reads back as it was written', () => {
    const session: SessionMessage[] = [
      { type: 'changed' },
      { type: 'reaction', reaction: { emoji: '🎉', participantId: 'p1' } },
      { type: 'presence', online: ['p1', 'p2'] },
      { type: 'presence-wanted' },
    ];
    for (const message of session) {
      expect(decodeSessionMessage(...encodeSessionMessage(message))).toEqual({ ok: true, message });
    }
    const update = new Uint8Array([1, 2, 3]);
    for (const type of ['update', 'awareness'] as const) {
      expect(decodeDocMessage(...encodeDocMessage({ type, update }))).toEqual({
        ok: true,
        message: { type, update },
      });
    }
  });

  it('[running#several-processes] a message of no known kind, or whose payload is not what its kind says, does not read', () => {
    expect(decodeDocMessage(7, new Uint8Array()).ok).toBe(false);
    expect(decodeSessionMessage(9, new Uint8Array()).ok).toBe(false);
    expect(decodeSessionMessage(1, bytes('not json')).ok).toBe(false);
    expect(decodeSessionMessage(1, bytes('{"emoji":5,"participantId":"p1"}')).ok).toBe(false);
    expect(decodeSessionMessage(2, bytes('{"online":true}')).ok).toBe(false);
    expect(decodeSessionMessage(2, bytes('["p1",3]')).ok).toBe(false);
  });

  it('[running#several-processes] a malformed message is dropped and logged, and the meeting only hears the good one after it', () => {
    const bus = new MemoryBus();
    const logged: string[] = [];
    const { room, told } = meeting();
    relays.push(new SessionRelay(room, bus, { log: (message) => logged.push(message) }));
    const channel = 'atelier:session:b0ard';

    bus.deliver(channel, 1, bytes('not json'));
    bus.deliver(channel, 1, bytes('{"emoji":5}'));
    bus.deliver(channel, 2, bytes('{"p1":true}'));
    bus.deliver(channel, 42, new Uint8Array());
    // The sentinel: a good reaction after the bad ones.
    bus.deliver(
      channel,
      ...encodeSessionMessage({ type: 'reaction', reaction: { emoji: '👍', participantId: 'p1' } }),
    );

    expect(logged).toHaveLength(4);
    for (const line of logged) expect(line).toMatch(/dropped a malformed message/);
    expect(told.reactions).toEqual([{ emoji: '👍', participantId: 'p1' }]);
    expect(told.refreshes).toBe(0);
  });

  it('[running#several-processes] a relay says who is online here at the heartbeat it is given, and answers who asks', async () => {
    const bus = new MemoryBus();
    const { room } = meeting(['p1']);
    relays.push(new SessionRelay(room, bus, { heartbeatMs: 20, log: () => undefined }));
    const said = (): SessionMessage[] =>
      bus.published.flatMap(({ kind, payload }) => {
        const read = decodeSessionMessage(kind, payload);
        return read.ok ? [read.message] : [];
      });
    expect(said()).toEqual([{ type: 'presence-wanted' }]);
    await waitFor(() => said().filter((m) => m.type === 'presence').length >= 2, 2_000, 'two heartbeats');
    expect(said().filter((m) => m.type === 'presence')).toContainEqual({ type: 'presence', online: ['p1'] });
  });

  it('[running#several-processes] presence from another process is believed for PRESENCE_TRUST_MS, renewed by each heartbeat, and only news counts', () => {
    const presence = new PresenceElsewhere();
    expect(presence.heard('B', ['p1'], 0)).toBe(true);
    expect(presence.heard('B', ['p1'], 10_000)).toBe(false);
    expect(presence.has('p1', 10_000 + PRESENCE_TRUST_MS)).toBe(true);
    expect(presence.expire(10_000 + PRESENCE_TRUST_MS)).toBe(0);
    expect(presence.has('p1', 10_001 + PRESENCE_TRUST_MS)).toBe(false);
    expect(presence.expire(10_001 + PRESENCE_TRUST_MS)).toBe(1);
    expect(presence.heard('B', ['p1'], 40_000)).toBe(true);
  });
});

/** What a document relay sees of a room, recording what it is given. */
function docRoom(lastSeq: number) {
  const applied: Uint8Array[] = [];
  const room = {
    boardId: 'b0ard',
    lastSeq,
    closed: false,
    doc: new Y.Doc(),
    applyStored: (update: Uint8Array) => applied.push(update) > 0,
    applyRemoteAwareness: () => undefined,
  };
  return { room: room as unknown as DocRoom, applied };
}

/** A store holding `updates` after sequence number `from` (what the other processes appended). */
function storeAfter(from: number, updates: Uint8Array[]): Store {
  const loadDocSince = async (_boardId: string, afterSeq: number): Promise<StoredDoc> => ({
    snapshot: null,
    updates: updates.slice(Math.max(0, afterSeq - from)),
    lastSeq: from + updates.length,
    checked: true,
  });
  return { loadDocSince } as unknown as Store;
}

describe('a board document between processes', () => {
  const relays: DocRelay[] = [];
  afterEach(() => {
    for (const relay of relays.splice(0)) relay.stopped();
  });

  it('[running#several-processes] a malformed message is dropped and logged; the update after it is applied', () => {
    const bus = new MemoryBus();
    const logged: string[] = [];
    const { room, applied } = docRoom(0);
    relays.push(new DocRelay(room, bus, storeAfter(0, []), { log: (message) => logged.push(message) }));
    const update = new Uint8Array([0, 0]);
    bus.deliver('atelier:doc:b0ard', 5, update);
    bus.deliver('atelier:doc:b0ard', ...encodeDocMessage({ type: 'update', update }));
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatch(/dropped a malformed message/);
    expect(applied).toEqual([update]);
  });

  it('[running#several-processes] what the others stored is read from the store at the catch-up interval it is given, even with no message', async () => {
    const bus = new MemoryBus();
    const stored = [new Uint8Array([1]), new Uint8Array([2])];
    const { room, applied } = docRoom(3);
    relays.push(new DocRelay(room, bus, storeAfter(3, stored), { catchUpMs: 10, log: () => undefined }));
    await waitFor(() => applied.length === 2, 2_000, 'the stored updates applied');
    expect(applied).toEqual(stored);
  });

  it('[running#several-processes] a compaction folds only up to the cursor of the previous one, after catching up', async () => {
    const bus = new MemoryBus();
    const { room } = docRoom(3);
    const relay = new DocRelay(room, bus, storeAfter(3, [new Uint8Array([1])]), {
      catchUpMs: 60_000,
      log: () => undefined,
    });
    relays.push(relay);
    expect(await relay.compactThrough()).toBe(3);
    expect(await relay.compactThrough()).toBe(4);
  });
});
