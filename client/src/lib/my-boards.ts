/**
 * "My boards" (docs/product.md#my-boards): the boards this browser created or joined, most recent
 * first, kept in its storage (storage.ts). The list functions are pure; `myBoards` reads and writes
 * the browser's storage through them. Nothing here is ever sent to the server.
 */
import type { Phase } from '../../../shared/session/phases';
import { storage as browserStorage, type MyBoard } from './storage';

export type { MyBoard };

/** The most boards kept: the oldest beyond it are forgotten. */
export const MY_BOARDS_MAX = 100;
/** Edits move a board's last activity at most this often (each move is a storage write). */
export const ACTIVITY_STEP_MS = 30_000;

/** Most recent first; boards last active at the same moment keep a stable order (by id). */
export function sortBoards(boards: readonly MyBoard[]): MyBoard[] {
  return [...boards].sort((a, b) => b.lastActivity - a.lastActivity || a.id.localeCompare(b.id));
}

/** The list with `board` in it (in place of an older entry of the same id), sorted and capped. */
export function withBoard(boards: readonly MyBoard[], board: MyBoard): MyBoard[] {
  return sortBoards([board, ...boards.filter((kept) => kept.id !== board.id)]).slice(0, MY_BOARDS_MAX);
}

/** The list without board `id`. */
export function withoutBoard(boards: readonly MyBoard[], id: string): MyBoard[] {
  return boards.filter((kept) => kept.id !== id);
}

type Storage = Pick<
  typeof browserStorage,
  'myBoards' | 'identity' | 'facilitatorKey' | 'summary' | 'pulse' | 'unsynced'
>;

/** What removing a board forgot, so that an undo puts it all back. */
export interface ForgottenBoard {
  board: MyBoard;
  restore: () => void;
}

export function createMyBoards(storage: Storage) {
  const list = (): MyBoard[] => sortBoards(storage.myBoards.get());
  return {
    list,

    /** Records that the board is open here now, with its title, phase and my role. */
    opened(
      board: { id: string; title: string; phase: Phase; role: MyBoard['role'] },
      now = Date.now(),
    ): void {
      storage.myBoards.set(withBoard(list(), { ...board, lastActivity: now }));
    },

    /** An edit was seen on the board: moves its last activity, at most once per ACTIVITY_STEP_MS. */
    active(id: string, now = Date.now()): void {
      const boards = list();
      const board = boards.find((kept) => kept.id === id);
      if (!board || now - board.lastActivity < ACTIVITY_STEP_MS) return;
      storage.myBoards.set(withBoard(boards, { ...board, lastActivity: now }));
    },

    /** What the server says of the board now (its title, its phase); its last activity stays. */
    refreshed(id: string, fresh: { title: string; phase: Phase }): void {
      const boards = list();
      const board = boards.find((kept) => kept.id === id);
      if (!board || (board.title === fresh.title && board.phase === fresh.phase)) return;
      storage.myBoards.set(withBoard(boards, { ...board, ...fresh }));
    },

    /**
     * Forgets the board on this device: its entry, and who I am on it (my token, a facilitator
     * key, my pulse answer, its cached summary). The server keeps the board and my place on it.
     */
    forget(id: string): ForgottenBoard | null {
      const board = list().find((kept) => kept.id === id);
      if (!board) return null;
      const keys = [
        storage.identity(id),
        storage.facilitatorKey(id),
        storage.summary(id),
        storage.pulse(id),
        storage.unsynced(id),
      ] as const;
      const [identity, facilitatorKey, summary, pulse, unsynced] = keys;
      const kept = {
        identity: identity.get(),
        facilitatorKey: facilitatorKey.get(),
        summary: summary.get(),
        pulse: pulse.get(),
        unsynced: unsynced.get(),
      };
      storage.myBoards.set(withoutBoard(list(), id));
      for (const key of keys) key.remove();
      return {
        board,
        restore() {
          if (kept.identity) identity.set(kept.identity);
          if (kept.facilitatorKey) facilitatorKey.set(kept.facilitatorKey);
          if (kept.summary) summary.set(kept.summary);
          if (kept.pulse) pulse.set(kept.pulse);
          if (kept.unsynced > 0) unsynced.set(kept.unsynced);
          storage.myBoards.set(withBoard(list(), board));
        },
      };
    },
  };
}

export const myBoards = createMyBoards(browserStorage);
