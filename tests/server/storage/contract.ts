/**
 * The storage contract: the ONE suite every `Store` implementation must pass unchanged (SQLite
 * now, PostgreSQL later). A store file calls `describeStoreContract` with a way to open a store on
 * fresh, empty data.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BoardRecord, ParticipantRecord, Store } from '../../../server/storage/store';
import { newId } from '../../../shared/ids';

export interface OpenedStore {
  /** A store on fresh, empty data. */
  store: Store;
  /** Closes the store most recently opened and opens the same data again. */
  reopen: () => Promise<Store>;
  /** Closes whatever is open and removes the data. */
  cleanup: () => Promise<void>;
}

let boardCount = 0;

/** A board record with a distinct id and key hash. */
export function boardRecord(overrides: Partial<BoardRecord> = {}): BoardRecord {
  boardCount += 1;
  return {
    id: newId(22),
    title: `Board ${boardCount}`,
    locale: 'fr',
    template: 'social-kickoff',
    createdAt: 1_780_000_000_000 + boardCount,
    facilitatorKeyHash: Uint8Array.from({ length: 32 }, (_, i) => (i * 7 + boardCount) & 255),
    ...overrides,
  };
}

export function participantRecord(
  boardId: string,
  overrides: Partial<ParticipantRecord> = {},
): ParticipantRecord {
  return {
    boardId,
    id: newId(),
    name: 'Camille',
    role: 'participant',
    createdAt: 1_780_000_000_000,
    ...overrides,
  };
}

const bytes = (...values: number[]): Uint8Array => Uint8Array.from(values);

/** Plain arrays of numbers, so that any byte container (Buffer, Uint8Array) compares equal. */
const plain = (data: Uint8Array | null): number[] | null => (data === null ? null : Array.from(data));

export function describeStoreContract(name: string, open: () => Promise<OpenedStore>): void {
  describe(`Store contract: ${name}`, () => {
    let opened: OpenedStore;
    let store: Store;

    beforeEach(async () => {
      opened = await open();
      store = opened.store;
    });
    afterEach(async () => {
      await opened.cleanup();
    });

    async function createdBoard(initialState = bytes(1, 2, 3)): Promise<BoardRecord> {
      const board = boardRecord();
      await store.createBoard(board, initialState);
      return board;
    }

    describe('boards', () => {
      it('[§4] getBoard returns what createBoard stored, key hash bytes included', async () => {
        const board = boardRecord({
          title: 'Lancement de l’équipe sociale 🚀',
          locale: 'fr',
          template: 'blank',
        });
        await store.createBoard(board, bytes(9));
        const read = await store.getBoard(board.id);
        expect(read).not.toBeNull();
        const { facilitatorKeyHash, ...fields } = read as BoardRecord;
        const { facilitatorKeyHash: expectedHash, ...expectedFields } = board;
        expect(fields).toEqual(expectedFields);
        expect(facilitatorKeyHash).toBeInstanceOf(Uint8Array);
        expect(plain(facilitatorKeyHash)).toEqual(plain(expectedHash));
      });

      it('[§4] getBoard of an unknown id is null', async () => {
        await createdBoard();
        expect(await store.getBoard(newId(22))).toBeNull();
        expect(await store.getBoard('__proto__')).toBeNull();
        expect(await store.getBoard('')).toBeNull();
      });

      it('createBoard stores the initial document state as the snapshot, with no updates', async () => {
        const board = await createdBoard(bytes(5, 6, 7, 8));
        const doc = await store.loadDoc(board.id);
        expect(plain(doc.snapshot)).toEqual([5, 6, 7, 8]);
        expect(doc.updates).toEqual([]);
      });

      it('createBoard refuses an id that exists and keeps the first board', async () => {
        const board = await createdBoard(bytes(1));
        await expect(store.createBoard({ ...board, title: 'Impostor' }, bytes(2))).rejects.toThrow();
        expect((await store.getBoard(board.id))?.title).toBe(board.title);
        expect(plain((await store.loadDoc(board.id)).snapshot)).toEqual([1]);
      });
    });

    describe('documents', () => {
      it('appendUpdates returns growing sequence numbers, and loadDoc returns the snapshot then the updates in order', async () => {
        const board = await createdBoard(bytes(0));
        const first = await store.appendUpdates(board.id, [bytes(1)]);
        const second = await store.appendUpdates(board.id, [bytes(2), bytes(3, 3)]);
        const third = await store.appendUpdates(board.id, [bytes(4)]);
        expect(second).toBeGreaterThan(first);
        expect(third).toBeGreaterThan(second);
        const doc = await store.loadDoc(board.id);
        expect(plain(doc.snapshot)).toEqual([0]);
        expect(doc.updates.map(plain)).toEqual([[1], [2], [3, 3], [4]]);
        expect(doc.lastSeq).toBe(third);
      });

      it('keeps each board’s updates to itself, and sequence numbers grow across boards', async () => {
        const a = await createdBoard();
        const b = await createdBoard();
        const seqA = await store.appendUpdates(a.id, [bytes(10)]);
        const seqB = await store.appendUpdates(b.id, [bytes(20)]);
        const seqA2 = await store.appendUpdates(a.id, [bytes(11)]);
        expect(seqB).toBeGreaterThan(seqA);
        expect(seqA2).toBeGreaterThan(seqB);
        expect((await store.loadDoc(a.id)).updates.map(plain)).toEqual([[10], [11]]);
        expect((await store.loadDoc(b.id)).updates.map(plain)).toEqual([[20]]);
      });

      it('stores large updates byte for byte', async () => {
        const board = await createdBoard();
        const large = Uint8Array.from({ length: 300_000 }, (_, i) => (i * 31) & 255);
        await store.appendUpdates(board.id, [large]);
        const [stored] = (await store.loadDoc(board.id)).updates;
        expect(stored?.length).toBe(large.length);
        expect(Buffer.from(stored as Uint8Array).equals(Buffer.from(large))).toBe(true);
      });

      it('compactDoc replaces the snapshot and drops the updates up to throughSeq, keeping later ones', async () => {
        const board = await createdBoard(bytes(0));
        await store.appendUpdates(board.id, [bytes(1)]);
        const through = await store.appendUpdates(board.id, [bytes(2)]);
        const later = await store.appendUpdates(board.id, [bytes(3)]);
        await store.compactDoc(board.id, bytes(0, 1, 2), through);
        const doc = await store.loadDoc(board.id);
        expect(plain(doc.snapshot)).toEqual([0, 1, 2]);
        expect(doc.updates.map(plain)).toEqual([[3]]);
        expect(doc.lastSeq).toBe(later);
      });

      it('after compacting everything, lastSeq is the compacted sequence and new updates come after it', async () => {
        const board = await createdBoard(bytes(0));
        const through = await store.appendUpdates(board.id, [bytes(1), bytes(2)]);
        await store.compactDoc(board.id, bytes(0, 1, 2), through);
        const compacted = await store.loadDoc(board.id);
        expect(compacted.updates).toEqual([]);
        expect(compacted.lastSeq).toBe(through);
        const next = await store.appendUpdates(board.id, [bytes(3)]);
        expect(next).toBeGreaterThan(through);
        expect((await store.loadDoc(board.id)).updates.map(plain)).toEqual([[3]]);
      });

      it('an older compaction (lower throughSeq) never overwrites a newer snapshot', async () => {
        const board = await createdBoard(bytes(0));
        const older = await store.appendUpdates(board.id, [bytes(1)]);
        const newer = await store.appendUpdates(board.id, [bytes(2)]);
        const later = await store.appendUpdates(board.id, [bytes(3)]);
        await store.compactDoc(board.id, bytes(0, 1, 2), newer);
        await store.compactDoc(board.id, bytes(0, 1), older);
        const doc = await store.loadDoc(board.id);
        expect(plain(doc.snapshot)).toEqual([0, 1, 2]);
        expect(doc.updates.map(plain)).toEqual([[3]]);
        expect(doc.lastSeq).toBe(later);
      });

      it('compacting one board leaves the others alone', async () => {
        const a = await createdBoard(bytes(0));
        const b = await createdBoard(bytes(9));
        await store.appendUpdates(b.id, [bytes(8)]);
        const seqA = await store.appendUpdates(a.id, [bytes(1)]);
        await store.compactDoc(a.id, bytes(0, 1), seqA);
        const docB = await store.loadDoc(b.id);
        expect(plain(docB.snapshot)).toEqual([9]);
        expect(docB.updates.map(plain)).toEqual([[8]]);
      });
    });

    describe('participants', () => {
      it('[§4] addParticipant then getParticipant returns the record; another board does not see it', async () => {
        const board = await createdBoard();
        const other = await createdBoard();
        const camille = participantRecord(board.id, { name: 'Camille', role: 'facilitator' });
        await store.addParticipant(camille);
        expect(await store.getParticipant(board.id, camille.id)).toEqual(camille);
        expect(await store.getParticipant(other.id, camille.id)).toBeNull();
        expect(await store.getParticipant(board.id, newId())).toBeNull();
      });

      it('[§6] listParticipants lists a board’s participants in creation order', async () => {
        const board = await createdBoard();
        const other = await createdBoard();
        expect(await store.listParticipants(board.id)).toEqual([]);
        // Ids in reverse alphabetical order, so that only creation time can give this order.
        const names = ['Zoé', 'Yann', 'Xavier', 'Wassim'];
        const added = names.map((name, index) =>
          participantRecord(board.id, {
            id: `${'zyxw'[index]}${newId(21)}`,
            name,
            createdAt: 1_780_000_000_000 + index,
          }),
        );
        for (const participant of added) await store.addParticipant(participant);
        await store.addParticipant(participantRecord(other.id, { name: 'Elsewhere' }));
        expect(await store.listParticipants(board.id)).toEqual(added);
        expect((await store.listParticipants(other.id)).map((p) => p.name)).toEqual(['Elsewhere']);
      });
    });

    describe('sessions', () => {
      it('[§6] loadSession is null for a board never saved, then returns what saveSession stored', async () => {
        const board = await createdBoard();
        expect(await store.loadSession(board.id)).toBeNull();
        const state = {
          rev: 1_780_000_000_123,
          phase: 'goals',
          locked: false,
          timer: { durationMs: 300_000, endsAt: null, pausedRemainingMs: 12_345 },
          votes: { [newId()]: { [newId()]: 2 } },
          agreed: [newId()],
          note: 'accents é and emoji 🚀',
        };
        await store.saveSession(board.id, state);
        expect(await store.loadSession(board.id)).toEqual(state);
      });

      it('[§6] saveSession replaces the previous state, board by board', async () => {
        const a = await createdBoard();
        const b = await createdBoard();
        await store.saveSession(a.id, { rev: 1, phase: 'discover' });
        await store.saveSession(a.id, { rev: 2, phase: 'agree' });
        await store.saveSession(b.id, { rev: 7, phase: 'goals' });
        expect(await store.loadSession(a.id)).toEqual({ rev: 2, phase: 'agree' });
        expect(await store.loadSession(b.id)).toEqual({ rev: 7, phase: 'goals' });
      });
    });

    describe('token secret', () => {
      it('[§4] is at least 32 bytes and the same on every call', async () => {
        const secret = await store.tokenSecret();
        expect(secret).toBeInstanceOf(Uint8Array);
        expect(secret.length).toBeGreaterThanOrEqual(32);
        expect(new Set(secret).size).toBeGreaterThan(1);
        expect(plain(await store.tokenSecret())).toEqual(plain(secret));
      });

      it('[§4] is the same after the store is closed and opened again', async () => {
        const secret = plain(await store.tokenSecret());
        store = await opened.reopen();
        expect(plain(await store.tokenSecret())).toEqual(secret);
      });
    });

    describe('durability', () => {
      it('[§8] keeps boards, documents, participants and sessions across close and reopen', async () => {
        const board = await createdBoard(bytes(0));
        await store.appendUpdates(board.id, [bytes(1)]);
        const through = await store.appendUpdates(board.id, [bytes(2)]);
        await store.compactDoc(board.id, bytes(0, 1, 2), through);
        const lastSeq = await store.appendUpdates(board.id, [bytes(3)]);
        const camille = participantRecord(board.id);
        await store.addParticipant(camille);
        await store.saveSession(board.id, { rev: 42, phase: 'wrap-up' });

        store = await opened.reopen();

        const read = await store.getBoard(board.id);
        expect(read?.title).toBe(board.title);
        expect(plain(read?.facilitatorKeyHash ?? null)).toEqual(plain(board.facilitatorKeyHash));
        const doc = await store.loadDoc(board.id);
        expect(plain(doc.snapshot)).toEqual([0, 1, 2]);
        expect(doc.updates.map(plain)).toEqual([[3]]);
        expect(doc.lastSeq).toBe(lastSeq);
        expect(await store.listParticipants(board.id)).toEqual([camille]);
        expect(await store.loadSession(board.id)).toEqual({ rev: 42, phase: 'wrap-up' });
        expect(await store.appendUpdates(board.id, [bytes(4)])).toBeGreaterThan(lastSeq);
      });
    });
  });
}
