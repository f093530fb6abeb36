/**
 * Meetings across processes (docs/running.md#several-processes), as an extension of each SessionRoom (server/session/room.ts):
 * a change stored here makes the others reload from the store (which holds the truth), reactions
 * are relayed, and each process says who is online on it (presence.ts). Pub/sub may drop a
 * message, so a meeting also reloads every RELOAD_EVERY_MS: a lost change still shows within it.
 */
import type { SessionRoom, SessionRoomExtension } from '../session/room';
import type { SessionsExtension } from '../session/rooms';
import { channel, type Bus } from './bus';
import { decodeSessionMessage, encodeSessionMessage, type SessionMessage } from './messages';
import {
  PRESENCE_EXPIRY_CHECK_MS,
  PRESENCE_HEARTBEAT_MS,
  PRESENCE_TRUST_MS,
  PresenceElsewhere,
} from './presence';

/** A change whose message was lost still shows within this long. */
export const RELOAD_EVERY_MS = 3_000;

export interface SessionRelayOptions {
  /** How often this process says who is online on it (PRESENCE_HEARTBEAT_MS). */
  heartbeatMs?: number;
  /** How long what another process said is believed (PRESENCE_TRUST_MS). */
  trustMs?: number;
  /** How often processes that fell silent are looked for (PRESENCE_EXPIRY_CHECK_MS). */
  expiryCheckMs?: number;
  /** How often a meeting reloads from the store, in case a message was lost (RELOAD_EVERY_MS). */
  reloadEveryMs?: number;
  log: (message: string, error?: unknown) => void;
}

/** The extension to give the meetings (`SessionRooms` option `extension`). */
export function relaySessions(bus: Bus, options: SessionRelayOptions): SessionsExtension {
  return {
    extend: (room) => new SessionRelay(room, bus, options),
    // Nobody here holds the board's meeting: the others reload it all the same.
    participantAdded: (boardId) => publish(bus, boardId, { type: 'changed' }),
  };
}

function publish(bus: Bus, boardId: string, message: SessionMessage): void {
  bus.publish(channel.session(boardId), ...encodeSessionMessage(message));
}

/** One board's meeting, shared with the other processes. */
export class SessionRelay implements SessionRoomExtension {
  readonly #room: SessionRoom;
  readonly #bus: Bus;
  readonly #presence: PresenceElsewhere;
  readonly #unsubscribe: () => void;
  readonly #timers: NodeJS.Timeout[];
  #stopped = false;

  constructor(room: SessionRoom, bus: Bus, options: SessionRelayOptions) {
    this.#room = room;
    this.#bus = bus;
    this.#presence = new PresenceElsewhere(options.trustMs ?? PRESENCE_TRUST_MS);
    this.#unsubscribe = bus.subscribe(channel.session(room.boardId), (kind, payload, sender) => {
      if (this.#stopped) return;
      const read = decodeSessionMessage(kind, payload);
      if (read.ok) this.#heard(read.message, sender);
      else
        options.log(
          `board ${room.boardId}: dropped a malformed message from another process (${read.reason})`,
        );
    });
    this.#publish({ type: 'presence-wanted' });
    this.#timers = [
      setInterval(() => this.presenceChanged(room.onlineHere), options.heartbeatMs ?? PRESENCE_HEARTBEAT_MS),
      // People on a process that stopped speaking go offline.
      setInterval(() => {
        for (let n = this.#presence.expire(); n > 0; n -= 1) room.refresh();
      }, options.expiryCheckMs ?? PRESENCE_EXPIRY_CHECK_MS),
      setInterval(() => void room.reload().catch(() => undefined), options.reloadEveryMs ?? RELOAD_EVERY_MS),
    ];
    for (const timer of this.#timers) timer.unref();
  }

  changed(): void {
    this.#publish({ type: 'changed' });
  }

  reacted(reaction: { emoji: string; participantId: string }): void {
    this.#publish({ type: 'reaction', reaction });
  }

  presenceChanged(online: readonly string[]): void {
    this.#publish({ type: 'presence', online: [...online] });
  }

  onlineElsewhere(participantId: string): boolean {
    return this.#presence.has(participantId);
  }

  stopped(): void {
    this.#stopped = true;
    this.#unsubscribe();
    for (const timer of this.#timers) clearInterval(timer);
  }

  #heard(message: SessionMessage, sender: string): void {
    switch (message.type) {
      case 'changed':
        void this.#room.reload();
        break;
      case 'reaction':
        this.#room.relayReaction(message.reaction);
        break;
      case 'presence':
        if (this.#presence.heard(sender, message.online)) this.#room.refresh();
        break;
      case 'presence-wanted':
        this.presenceChanged(this.#room.onlineHere);
        break;
    }
  }

  #publish(message: SessionMessage): void {
    if (!this.#stopped) publish(this.#bus, this.#room.boardId, message);
  }
}
