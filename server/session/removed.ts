/**
 * The store as the rest of the server sees it once a facilitator removed someone: that participant
 * is no longer found. So every door their token opened closes at once — the session plane, the
 * sync endpoint (a new connection gets 4401), the export — and their place on the board is free
 * again. Their row stays, and so do the cards that name them; who was removed is part of the
 * meeting's stored state (server/session/state.ts `removed`), read here on each look-up so that
 * every process agrees.
 */
import type { Store } from '../storage/store';
import { removedIn } from './state';

export function hidingRemovedParticipants(store: Store): Store {
  return {
    ...store,
    async getParticipant(boardId, id) {
      const [participant, saved] = await Promise.all([
        store.getParticipant(boardId, id),
        store.loadSession(boardId),
      ]);
      return participant && !removedIn(saved).has(id) ? participant : null;
    },
    async listParticipants(boardId) {
      const [participants, saved] = await Promise.all([
        store.listParticipants(boardId),
        store.loadSession(boardId),
      ]);
      const removed = removedIn(saved);
      return removed.size === 0 ? participants : participants.filter((p) => !removed.has(p.id));
    },
  };
}
