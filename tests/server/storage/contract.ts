/**
 * The storage contract: the ONE suite every `Store` implementation must pass unchanged (SQLite
 * now, PostgreSQL later). A store file calls `describeStoreContract` with a way to open a store on
 * fresh, empty data.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { BoardRecord, ParticipantRecord, Store, StoredDoc } from '../../../server/storage/store';
import { addCard, addQuestion, readCards, updateCard, writeTemplate } from '../../../shared/board';
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

/** Applies a stored document (snapshot, then updates) to `doc`. */
function applyStored(doc: Y.Doc, stored: StoredDoc): Y.Doc {
  for (const update of [stored.snapshot, ...stored.updates]) if (update) Y.applyUpdate(doc, update);
  return doc;
}

/** A session state that counts its changes, as a test's `updateSession` reads and writes it. */
interface Counted {
  count: number;
}

const increment = (saved: unknown) => {
  const count = ((saved as Counted | null)?.count ?? 0) + 1;
  return { state: { count } satisfies Counted, result: count };
};

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
      it('[http#http-api] getBoard returns what createBoard stored, key hash bytes included', async () => {
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

      it('[http#http-api] getBoard of an unknown id is null', async () => {
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

    describe('catching up (loadDocSince)', () => {
      it('[running#running] returns the updates after a sequence number, in order, without the snapshot', async () => {
        const board = await createdBoard(bytes(0));
        const first = await store.appendUpdates(board.id, [bytes(1)]);
        await store.appendUpdates(board.id, [bytes(2), bytes(3, 3)]);
        const last = await store.appendUpdates(board.id, [bytes(4)]);
        const since = await store.loadDocSince(board.id, first);
        expect(since.snapshot).toBeNull();
        expect(since.updates.map(plain)).toEqual([[2], [3, 3], [4]]);
        expect(since.lastSeq).toBe(last);
      });

      it('[running#running] after a compaction folded updates past afterSeq, returns the snapshot and only the later updates', async () => {
        const board = await createdBoard(bytes(0));
        const first = await store.appendUpdates(board.id, [bytes(1)]);
        const through = await store.appendUpdates(board.id, [bytes(2), bytes(3)]);
        const last = await store.appendUpdates(board.id, [bytes(4)]);
        await store.compactDoc(board.id, bytes(0, 1, 2, 3), through);

        const folded = await store.loadDocSince(board.id, first);
        expect(plain(folded.snapshot)).toEqual([0, 1, 2, 3]);
        expect(folded.updates.map(plain)).toEqual([[4]]);
        expect(folded.lastSeq).toBe(last);

        // From the compaction's own sequence number on, the snapshot holds nothing new.
        const after = await store.loadDocSince(board.id, through);
        expect(after.snapshot).toBeNull();
        expect(after.updates.map(plain)).toEqual([[4]]);
        expect(after.lastSeq).toBe(last);

        await store.compactDoc(board.id, bytes(0, 1, 2, 3, 4), last);
        const all = await store.loadDocSince(board.id, first);
        expect(plain(all.snapshot)).toEqual([0, 1, 2, 3, 4]);
        expect(all.updates).toEqual([]);
        expect(all.lastSeq).toBe(last);
      });

      it('a snapshot written by createBoard or compactDoc is marked checked by the update guard', async () => {
        const board = await createdBoard(bytes(0));
        expect((await store.loadDoc(board.id)).checked).toBe(true);
        const last = await store.appendUpdates(board.id, [bytes(1)]);
        expect((await store.loadDoc(board.id)).checked).toBe(true);
        await store.compactDoc(board.id, bytes(0, 1), last);
        expect(await store.loadDoc(board.id)).toMatchObject({ checked: true, updates: [] });
      });

      it('[sync#cold-boards] a snapshot is clean only when its writer says so, each time it is written', async () => {
        const board = await createdBoard(bytes(0));
        expect(await store.loadDoc(board.id)).toMatchObject({ checked: true, clean: false });
        const clean = boardRecord();
        await store.createBoard(clean, bytes(0), [], true);
        expect(await store.loadDoc(clean.id)).toMatchObject({ checked: true, clean: true });

        // The updates after it are not covered: a store says so of the snapshot alone.
        let last = await store.appendUpdates(clean.id, [bytes(1)]);
        expect(await store.loadDoc(clean.id)).toMatchObject({
          checked: true,
          clean: true,
          updates: [bytes(1)],
        });
        await store.compactDoc(clean.id, bytes(0, 1), last);
        expect(await store.loadDoc(clean.id)).toMatchObject({ checked: true, clean: false });
        last = await store.appendUpdates(clean.id, [bytes(2)]);
        await store.compactDoc(clean.id, bytes(0, 1, 2), last, true);
        expect(await store.loadDoc(clean.id)).toMatchObject({ checked: true, clean: true, updates: [] });
        expect(await store.loadDocSince(clean.id, last - 1)).toMatchObject({ checked: true, clean: true });

        // An older compaction changes neither the snapshot nor its mark.
        await store.compactDoc(clean.id, bytes(9), last - 1, false);
        store = await opened.reopen();
        const reopened = await store.loadDoc(clean.id);
        expect(reopened).toMatchObject({ checked: true, clean: true });
        expect(plain(reopened.snapshot)).toEqual([0, 1, 2]);
      });

      it('[running#running] from the last sequence number on, there is nothing new, compacted or not', async () => {
        const board = await createdBoard(bytes(0));
        const last = await store.appendUpdates(board.id, [bytes(1), bytes(2)]);
        expect(await store.loadDocSince(board.id, last)).toEqual({
          snapshot: null,
          updates: [],
          lastSeq: last,
          checked: false,
          clean: false,
        });
        const beyond = await store.loadDocSince(board.id, last + 1000);
        expect(beyond.snapshot).toBeNull();
        expect(beyond.updates).toEqual([]);

        await store.compactDoc(board.id, bytes(0, 1, 2), last);
        expect(await store.loadDocSince(board.id, last)).toEqual({
          snapshot: null,
          updates: [],
          lastSeq: last,
          checked: false,
          clean: false,
        });
        // Another board's later updates are not this board's news.
        const other = await createdBoard();
        await store.appendUpdates(other.id, [bytes(7)]);
        expect((await store.loadDocSince(board.id, last)).updates).toEqual([]);
      });

      it('[errors#durability][running#running] a Yjs document loaded up to seq N, plus loadDocSince(N), equals the whole document, across a compaction', async () => {
        const original = new Y.Doc();
        writeTemplate(original, { title: 'Kickoff', locale: 'fr', template: 'social-kickoff', createdAt: 1 });
        const board = boardRecord();
        await store.createBoard(board, Y.encodeStateAsUpdate(original));
        const pending: Uint8Array[] = [];
        original.on('update', (update: Uint8Array) => pending.push(update));
        const questionId = addQuestion(original, { text: 'Qui est notre public ?', section: 'discover' });
        const cardIds: string[] = [];
        const edit = async (from: number, to: number): Promise<number> => {
          let seq = 0;
          for (let i = from; i < to; i++) {
            // One transaction, so one update per edit.
            original.transact(() => {
              cardIds.push(addCard(original, { questionId, text: `Réponse ${i}`, authorId: 'author-0001' }));
              if (i % 4 === 0) updateCard(original, cardIds[0] as string, `Réponse zéro, version ${i}`);
            });
            seq = await store.appendUpdates(board.id, pending.splice(0));
          }
          return seq;
        };

        // Two readers load the document after 10 edits, then miss what follows.
        await edit(0, 10);
        const atN = await store.loadDoc(board.id);
        const readers = [applyStored(new Y.Doc(), atN), applyStored(new Y.Doc(), atN)] as const;
        const [early, late] = readers;

        // The early reader catches up before any compaction: updates only.
        await edit(10, 20);
        const plainSince = await store.loadDocSince(board.id, atN.lastSeq);
        expect(plainSince.snapshot).toBeNull();
        applyStored(early, plainSince);
        expect(readCards(early)).toEqual(readCards(original));

        // Then a compaction folds updates past both readers' sequence numbers into the snapshot.
        const through = await edit(20, 30);
        await store.compactDoc(board.id, Y.encodeStateAsUpdate(original), through);
        await edit(30, 35);
        for (const [reader, afterSeq] of [
          [early, plainSince.lastSeq],
          [late, atN.lastSeq],
        ] as const) {
          const since = await store.loadDocSince(board.id, afterSeq);
          expect(since.snapshot).not.toBeNull();
          expect(since.updates).toHaveLength(5);
          applyStored(reader, since);
        }

        for (const reader of readers) {
          expect(Y.encodeStateVector(reader)).toEqual(Y.encodeStateVector(original));
          expect(readCards(reader)).toEqual(readCards(original));
          expect(reader.getMap('cards').toJSON()).toEqual(original.getMap('cards').toJSON());
        }
        expect(readCards(original)).toHaveLength(35);
      });
    });

    describe('session changes (updateSession)', () => {
      it('[session#session-state] hands null for a session never saved, then stores and returns the next state and the result', async () => {
        const board = await createdBoard();
        const other = await createdBoard();
        const seen: unknown[] = [];
        const outcome = await store.updateSession(board.id, (saved) => {
          seen.push(saved);
          return { state: { rev: 1, phase: 'goals', note: 'é 🚀' }, result: 'accepted' as const };
        });
        expect(seen).toEqual([null]);
        expect(outcome).toEqual({ state: { rev: 1, phase: 'goals', note: 'é 🚀' }, result: 'accepted' });
        expect(await store.loadSession(board.id)).toEqual({ rev: 1, phase: 'goals', note: 'é 🚀' });
        expect(await store.loadSession(other.id)).toBeNull();
      });

      it('[session#session-state] hands the state that saveSession stored, and replaces it', async () => {
        const board = await createdBoard();
        await store.saveSession(board.id, { rev: 7, phase: 'agree' });
        const outcome = await store.updateSession(board.id, (saved) => ({
          state: { ...(saved as object), rev: 8 },
          result: saved,
        }));
        expect(outcome.result).toEqual({ rev: 7, phase: 'agree' });
        expect(await store.loadSession(board.id)).toEqual({ rev: 8, phase: 'agree' });
      });

      it('[session#session-plane] a change that throws stores nothing, and its error comes back', async () => {
        const board = await createdBoard();
        const refused = new Error('budget_spent');
        const fail = (): never => {
          throw refused;
        };
        // Never saved: still nothing after the failed change.
        await expect(store.updateSession(board.id, fail)).rejects.toBe(refused);
        expect(await store.loadSession(board.id)).toBeNull();
        await store.saveSession(board.id, { count: 5 });
        await expect(store.updateSession(board.id, fail)).rejects.toBe(refused);
        expect(await store.loadSession(board.id)).toEqual({ count: 5 });
        // The store is still usable afterwards, and the next change sees the last stored state.
        expect((await store.updateSession(board.id, increment)).result).toBe(6);
      });

      it('[session#session-plane] sequential changes each see the previous one’s result', async () => {
        const board = await createdBoard();
        const results: number[] = [];
        for (let i = 0; i < 5; i++) results.push((await store.updateSession(board.id, increment)).result);
        expect(results).toEqual([1, 2, 3, 4, 5]);
        expect(await store.loadSession(board.id)).toEqual({ count: 5 });
      });

      it('[session#session-state] 100 concurrent changes of one board give exactly 100 increments, each seeing a different state', async () => {
        const board = await createdBoard();
        const other = await createdBoard();
        // Another board's changes run among them and must neither wait for nor disturb this one's.
        const calls = Array.from({ length: 120 }, (_, i) => (i % 6 === 5 ? other.id : board.id));
        const outcomes = await Promise.all(calls.map((id) => store.updateSession(id, increment)));
        const results = outcomes.filter((_, i) => calls[i] === board.id).map((outcome) => outcome.result);
        expect(results.sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
        expect(await store.loadSession(board.id)).toEqual({ count: 100 });
        expect(await store.loadSession(other.id)).toEqual({ count: 20 });
      });
    });

    describe('participants', () => {
      it('[http#http-api] addParticipant then getParticipant returns the record; another board does not see it', async () => {
        const board = await createdBoard();
        const other = await createdBoard();
        const camille = participantRecord(board.id, { name: 'Camille', role: 'facilitator' });
        await store.addParticipant(camille);
        expect(await store.getParticipant(board.id, camille.id)).toEqual(camille);
        expect(await store.getParticipant(other.id, camille.id)).toBeNull();
        expect(await store.getParticipant(board.id, newId())).toBeNull();
      });

      it('[session#session-plane] listParticipants lists a board’s participants in creation order', async () => {
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
      it('[session#session-plane] loadSession is null for a board never saved, then returns what saveSession stored', async () => {
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

      it('[session#session-state] saveSession replaces the previous state, board by board', async () => {
        const a = await createdBoard();
        const b = await createdBoard();
        await store.saveSession(a.id, { rev: 1, phase: 'discover' });
        await store.saveSession(a.id, { rev: 2, phase: 'agree' });
        await store.saveSession(b.id, { rev: 7, phase: 'goals' });
        expect(await store.loadSession(a.id)).toEqual({ rev: 2, phase: 'agree' });
        expect(await store.loadSession(b.id)).toEqual({ rev: 7, phase: 'goals' });
      });
    });

    describe('observer keys', () => {
      const hash = (seed: number): Uint8Array =>
        Uint8Array.from({ length: 32 }, (_, i) => (i * 13 + seed) & 255);

      it('[security#observer-links] finds a key by its hash, working; unknown hashes are null', async () => {
        const board = await createdBoard();
        await store.replaceObserverKey({ boardId: board.id, keyHash: hash(1), createdAt: 1_000 });
        const found = await store.findObserverKey(hash(1));
        expect(found && { ...found, keyHash: plain(found.keyHash) }).toEqual({
          boardId: board.id,
          keyHash: plain(hash(1)),
          createdAt: 1_000,
          revokedAt: null,
        });
        expect(await store.findObserverKey(hash(2))).toBeNull();
      });

      it('[http#observer-link] a new key revokes the previous one of the same board only', async () => {
        const board = await createdBoard();
        const other = await createdBoard();
        await store.replaceObserverKey({ boardId: board.id, keyHash: hash(3), createdAt: 1_000 });
        await store.replaceObserverKey({ boardId: other.id, keyHash: hash(4), createdAt: 1_500 });
        await store.replaceObserverKey({ boardId: board.id, keyHash: hash(5), createdAt: 2_000 });
        expect((await store.findObserverKey(hash(3)))?.revokedAt).toBe(2_000);
        expect((await store.findObserverKey(hash(5)))?.revokedAt).toBeNull();
        expect((await store.findObserverKey(hash(4)))?.revokedAt).toBeNull();
      });

      it('[http#observer-link] revoking says whether a working key was there, and keeps the revoked row', async () => {
        const board = await createdBoard();
        expect(await store.revokeObserverKey(board.id, 500)).toBe(false);
        await store.replaceObserverKey({ boardId: board.id, keyHash: hash(6), createdAt: 1_000 });
        expect(await store.revokeObserverKey(board.id, 3_000)).toBe(true);
        expect(await store.revokeObserverKey(board.id, 4_000)).toBe(false);
        store = await opened.reopen();
        expect((await store.findObserverKey(hash(6)))?.revokedAt).toBe(3_000);
      });
    });

    describe('token secret', () => {
      it('[http#join-a-board] is at least 32 bytes and the same on every call', async () => {
        const secret = await store.tokenSecret();
        expect(secret).toBeInstanceOf(Uint8Array);
        expect(secret.length).toBeGreaterThanOrEqual(32);
        expect(new Set(secret).size).toBeGreaterThan(1);
        expect(plain(await store.tokenSecret())).toEqual(plain(secret));
      });

      it('[http#join-a-board] is the same after the store is closed and opened again', async () => {
        const secret = plain(await store.tokenSecret());
        store = await opened.reopen();
        expect(plain(await store.tokenSecret())).toEqual(secret);
      });
    });

    describe('durability', () => {
      it('[errors#document-content] keeps boards, documents, participants and sessions across close and reopen', async () => {
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
