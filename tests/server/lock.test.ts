/**
 * The board lock (docs/sync.md#lock, docs/session.md#lock) against a real server: the facilitator locks on the session plane
 * (socket.io) and the sync endpoint enforces it on real y-websocket providers — a participant's
 * edit closes its connection with 4423 and reaches nobody; the facilitator's edits go through; a
 * participant's edits are kept by its client and merge once the lock lifts.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { Joined } from '../../shared/api';
import { addCard, deleteCard } from '../../shared/board';
import { CLOSE } from '../../shared/sync';
import {
  cardTexts,
  closeCodes,
  freshView,
  liveMeeting,
  member,
  participant,
  storedDoc,
  type Meeting,
} from '../helpers/facilitation';
import { OK, firstQuestion, refused, syncRoundTrip, waitFor } from '../helpers/expect';
import { useServer } from '../helpers/fixtures';
import type { ProviderClient } from '../helpers/sync-clients';

/** Adds a card to the first question, as a browser does, and returns its id. */
function writeCard(client: ProviderClient, text: string, author: string): string {
  return addCard(client.doc, { questionId: firstQuestion(client.doc), text, authorId: author });
}

const hasCard = (client: ProviderClient, text: string): boolean => cardTexts(client.doc).includes(text);

/**
 * The close code of the next connection the provider loses (null if it closed it itself), or
 * 'still open' after `timeoutMs`, so that a failing test says so at its own line.
 */
function nextClose(client: ProviderClient, timeoutMs = 5_000): Promise<number | null | 'still open'> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve('still open'), timeoutMs);
    client.provider.once('connection-close', (event: { code: number } | null) => {
      clearTimeout(timer);
      resolve(event?.code ?? null);
    });
  });
}

describe('board lock', () => {
  const server = useServer();
  const { sessions, sync } = server;

  const meeting = (count: number): Promise<Meeting> => liveMeeting(server, sessions, count);
  const provider = (m: Meeting, joined?: Joined, doc?: Y.Doc): Promise<ProviderClient> =>
    sync.syncedProvider(server, m.board.id, {
      ...(joined ? { token: joined.token } : {}),
      ...(doc ? { doc } : {}),
    });

  async function lock(m: Meeting, locked: boolean): Promise<void> {
    expect(await m.lead.request('lock', { locked })).toEqual(OK);
    await Promise.all(
      m.everyone.map((client) => client.waitForSession((v) => v.locked === locked, 'the lock')),
    );
  }

  describe('on the session plane', () => {
    it('[session#lock] only a facilitator locks: a participant gets not_facilitator and the board stays unlocked', async () => {
      const m = await meeting(2);
      expect(await member(m, 0).request('lock', { locked: true })).toEqual(refused('not_facilitator'));
      expect((await freshView(server, sessions, m.board.id, participant(m, 1))).locked).toBe(false);
      // Editing still works for that participant: nothing was locked.
      const lead = await provider(m, m.facilitator);
      const writer = await provider(m, participant(m, 0));
      writeCard(writer, 'Still open', participant(m, 0).participantId);
      await waitFor(() => hasCard(lead, 'Still open'), 5_000, 'the card at the facilitator');

      await lock(m, true);
      expect(await member(m, 1).request('lock', { locked: false })).toEqual(refused('not_facilitator'));
      expect((await freshView(server, sessions, m.board.id, m.facilitator)).locked).toBe(true);
    });

    it('[session#lock] a lock shows as session.locked for everyone, and an unlock clears it for everyone', async () => {
      const m = await meeting(3);
      expect(m.everyone.every((client) => client.latest().locked === false)).toBe(true);
      await lock(m, true);
      await lock(m, false);
    });

    it('[session#lock][errors#validation] answers a malformed lock request with bad_request and changes nothing', async () => {
      const m = await meeting(1);
      for (const payload of [{}, { locked: 'yes' }, { locked: 1 }, null]) {
        expect(await m.lead.request('lock', payload), JSON.stringify(payload)).toEqual(
          refused('bad_request'),
        );
      }
      expect((await freshView(server, sessions, m.board.id, m.facilitator)).locked).toBe(false);
    });
  });

  describe('on the sync endpoint', () => {
    it("[sync#lock] while locked, a participant's edit closes its connection with 4423 and reaches neither the others nor the store", async () => {
      const m = await meeting(2);
      const lead = await provider(m, m.facilitator);
      const writer = await provider(m, participant(m, 0));
      const watcher = await provider(m, participant(m, 1));
      const writerCloses = closeCodes(writer);
      const watcherCloses = closeCodes(watcher);
      await lock(m, true);

      const closed = nextClose(writer);
      writeCard(writer, 'Written while locked', participant(m, 0).participantId);
      expect(await closed).toBe(CLOSE.locked);
      // The client keeps the edit locally (docs/sync.md#lock) and does not hammer the server meanwhile.
      expect(hasCard(writer, 'Written while locked')).toBe(true);

      // The facilitator's edit goes through to the others and to the store…
      writeCard(lead, 'Facilitator note', m.facilitator.participantId);
      await waitFor(() => hasCard(watcher, 'Facilitator note'), 5_000, "the facilitator's card");
      await waitFor(
        async () => cardTexts(await storedDoc(server, m.board.id)).includes('Facilitator note'),
        5_000,
        "the facilitator's card on disk",
      );
      // …and, stored before it, nothing of the locked participant's.
      expect(hasCard(watcher, 'Written while locked')).toBe(false);
      expect(hasCard(lead, 'Written while locked')).toBe(false);
      expect(cardTexts(await storedDoc(server, m.board.id))).not.toContain('Written while locked');
      expect(watcherCloses).toEqual([]);
      expect(writerCloses).toEqual([CLOSE.locked]);
    });

    it('[sync#lock] while locked, a provider without a token has participant rights: its edit closes it with 4423', async () => {
      const m = await meeting(1);
      const lead = await provider(m, m.facilitator);
      const anonymous = await provider(m);
      await lock(m, true);
      const closed = nextClose(anonymous);
      writeCard(anonymous, 'Anonymous while locked', 'anonymous-0001');
      expect(await closed).toBe(CLOSE.locked);

      writeCard(lead, 'After the anonymous edit', m.facilitator.participantId);
      await waitFor(
        async () => cardTexts(await storedDoc(server, m.board.id)).includes('After the anonymous edit'),
        5_000,
        "the facilitator's card on disk",
      );
      expect(cardTexts(await storedDoc(server, m.board.id))).not.toContain('Anonymous while locked');
    });

    it("[sync#lock] while locked, the facilitator's edits, deletions included, reach every participant", async () => {
      const m = await meeting(2);
      const lead = await provider(m, m.facilitator);
      const readers = [await provider(m, participant(m, 0)), await provider(m)];
      const closes = readers.map(closeCodes);
      await lock(m, true);
      const id = writeCard(lead, 'Agenda for today', m.facilitator.participantId);
      for (const reader of readers)
        await waitFor(() => hasCard(reader, 'Agenda for today'), 5_000, 'the card');
      deleteCard(lead.doc, id);
      for (const reader of readers)
        await waitFor(() => !hasCard(reader, 'Agenda for today'), 5_000, 'the deletion');
      expect(closes).toEqual([[], []]);
    });

    it('[sync#lock] a participant that reconnects while locked, with no edit of its own, stays connected and keeps receiving', async () => {
      const m = await meeting(1);
      const lead = await provider(m, m.facilitator);
      const reader = await provider(m, participant(m, 0));
      // Some history before the lock, deletions included, so the reconnect's sync answer is not empty.
      const gone = writeCard(reader, 'Soon deleted', participant(m, 0).participantId);
      writeCard(reader, 'Kept', participant(m, 0).participantId);
      await waitFor(() => hasCard(lead, 'Kept') && hasCard(lead, 'Soon deleted'), 5_000, 'the cards');
      deleteCard(reader.doc, gone);
      await waitFor(() => !hasCard(lead, 'Soon deleted'), 5_000, 'the deletion');
      await lock(m, true);

      const closes = closeCodes(reader);
      reader.provider.disconnect();
      writeCard(lead, 'While you were away', m.facilitator.participantId);
      await waitFor(
        async () => cardTexts(await storedDoc(server, m.board.id)).includes('While you were away'),
        5_000,
        'the card on disk',
      );
      reader.provider.connect();
      await waitFor(() => reader.provider.synced, 5_000, 'the reconnect to sync');
      await waitFor(() => hasCard(reader, 'While you were away'), 5_000, 'what it missed');
      // Its sync answer changed nothing: the server leaves the connection open. The answer went
      // out before the provider synced; the server reads a socket's frames in order, so a close for
      // it would come before the answer to a later query on the same socket.
      await syncRoundTrip(reader);
      expect(reader.provider.wsconnected).toBe(true);
      writeCard(lead, 'Next question', m.facilitator.participantId);
      await waitFor(() => hasCard(reader, 'Next question'), 5_000, "the facilitator's next card");
      expect(closes).toEqual([null]); // only its own disconnect()

      // A brand-new client (a page opened while locked, no token) syncs and stays, too.
      const newcomer = await provider(m);
      const newcomerCloses = closeCodes(newcomer);
      expect(cardTexts(newcomer.doc)).toEqual(cardTexts(lead.doc));
      // A close for its sync answer would come before the answer to this later query (same socket).
      await syncRoundTrip(newcomer);
      writeCard(lead, 'Welcome', m.facilitator.participantId);
      await waitFor(() => hasCard(newcomer, 'Welcome'), 5_000, 'the welcome card');
      expect(newcomerCloses).toEqual([]);
    });

    it('[sync#lock] after the unlock, edits made during the lock merge when their clients reconnect, and reach everyone', async () => {
      const m = await meeting(3);
      const lead = await provider(m, m.facilitator);
      const watcher = await provider(m, participant(m, 2));
      // One participant's client reconnects its own provider; another's opens a new provider on the same doc.
      const first = await provider(m, participant(m, 0));
      const secondDoc = new Y.Doc();
      const second = await provider(m, participant(m, 1), secondDoc);
      await lock(m, true);

      const firstClosed = nextClose(first);
      writeCard(first, 'First, written while locked', participant(m, 0).participantId);
      expect(await firstClosed).toBe(CLOSE.locked);
      const secondClosed = nextClose(second);
      writeCard(second, 'Second, written while locked', participant(m, 1).participantId);
      expect(await secondClosed).toBe(CLOSE.locked);
      writeCard(lead, 'Facilitator, during the lock', m.facilitator.participantId);
      await waitFor(() => hasCard(watcher, 'Facilitator, during the lock'), 5_000, "the facilitator's card");
      expect(hasCard(watcher, 'First, written while locked')).toBe(false);

      await lock(m, false);
      first.provider.connect();
      second.provider.destroy();
      const reopened = await provider(m, participant(m, 1), secondDoc);

      const all = [
        'Facilitator, during the lock',
        'First, written while locked',
        'Second, written while locked',
      ].sort();
      for (const client of [lead, watcher, first, reopened]) {
        await waitFor(() => all.every((text) => hasCard(client, text)), 5_000, 'every card everywhere');
      }
      // Broadcast means stored (docs/errors.md#durability): they are on disk already.
      const stored = cardTexts(await storedDoc(server, m.board.id));
      for (const text of all) expect(stored).toContain(text);
    });
  });
});

describe('board lock across a restart', () => {
  const server = useServer();
  const { sessions, sync } = server;

  it('[sync#lock][session#lock] the lock survives a restart: shown to everyone and still enforced on the sync endpoint', async () => {
    const m = await liveMeeting(server, sessions, 1);
    expect(await m.lead.request('lock', { locked: true })).toEqual(OK);
    await member(m, 0).waitForSession((v) => v.locked, 'the lock');
    await sessions.closeAll();

    await server.restart();

    // Nothing of the board is in memory: the first to arrive is a sync connection.
    const writer = await sync.syncedProvider(server, m.board.id, { token: participant(m, 0).token });
    const closed = nextClose(writer);
    writeCard(writer, 'After the restart', participant(m, 0).participantId);
    expect(await closed).toBe(CLOSE.locked);

    expect((await freshView(server, sessions, m.board.id, participant(m, 0))).locked).toBe(true);
    const lead = await sync.syncedProvider(server, m.board.id, { token: m.facilitator.token });
    writeCard(lead, 'Facilitator after the restart', m.facilitator.participantId);
    await waitFor(
      async () => cardTexts(await storedDoc(server, m.board.id)).includes('Facilitator after the restart'),
      5_000,
      "the facilitator's card on disk",
    );
    expect(cardTexts(await storedDoc(server, m.board.id))).not.toContain('After the restart');
  });

  it('[sync#lock][errors#durability] participants whose clients reconnect by themselves after a restart during a lock are not closed', async () => {
    const m = await liveMeeting(server, sessions, 2);
    const lead = await sync.syncedProvider(server, m.board.id, { token: m.facilitator.token });
    const readers = [
      await sync.syncedProvider(server, m.board.id, { token: participant(m, 0).token }),
      await sync.syncedProvider(server, m.board.id),
    ];
    // History with edits and deletions from several clients, all synced everywhere.
    const gone = writeCard(
      readers[0] as ProviderClient,
      'Deleted before the lock',
      participant(m, 0).participantId,
    );
    writeCard(readers[1] as ProviderClient, 'Kept from before the lock', 'anonymous-0002');
    await waitFor(
      () => hasCard(lead, 'Deleted before the lock') && hasCard(lead, 'Kept from before the lock'),
    );
    deleteCard(lead.doc, gone);
    for (const reader of readers) await waitFor(() => !hasCard(reader, 'Deleted before the lock'));
    expect(await m.lead.request('lock', { locked: true })).toEqual(OK);
    await member(m, 0).waitForSession((v) => v.locked, 'the lock');
    const closes = readers.map(closeCodes);

    await server.restart();

    for (const client of [lead, ...readers]) {
      await waitFor(() => client.provider.synced, 10_000, 'the provider to reconnect and sync');
    }
    // `synced` may still be the old connection's: wait until each reader has lost it and synced again.
    for (const [i, reader] of readers.entries()) {
      await waitFor(
        () => (closes[i]?.length ?? 0) > 0 && reader.provider.synced,
        10_000,
        'the reader to resync',
      );
    }
    // A close for a reader's sync answer would come before the answer to its later query (same socket).
    for (const reader of readers) await syncRoundTrip(reader);
    expect(readers.map((reader) => reader.provider.wsconnected)).toEqual([true, true]);
    writeCard(lead, 'Back after the restart', m.facilitator.participantId);
    for (const reader of readers) await waitFor(() => hasCard(reader, 'Back after the restart'));
    // Each lost exactly one connection: the restart's (1001), never 4423.
    expect(closes).toEqual([[CLOSE.goingAway], [CLOSE.goingAway]]);
  });

  it('[sync#lock][session#lock] the lock holds once the meeting has left memory, with nobody on the session plane', async () => {
    const m = await liveMeeting(server, sessions, 1);
    expect(await m.lead.request('lock', { locked: true })).toEqual(OK);
    await member(m, 0).waitForSession((v) => v.locked, 'the lock');
    await sessions.closeAll();
    await waitFor(() => server.running.sessions.loadedCount === 0, 5_000, 'the meeting to unload');

    const writer = await sync.syncedProvider(server, m.board.id, { token: participant(m, 0).token });
    const closed = nextClose(writer);
    writeCard(writer, 'Nobody is watching', participant(m, 0).participantId);
    expect(await closed).toBe(CLOSE.locked);
  });
});

describe('board lock after a storage failure', () => {
  const server = useServer();
  const { sessions, sync } = server;

  it('[sync#lock][errors#durability] the lock still holds once a failed write has made the server reload the board document', async () => {
    const m = await liveMeeting(server, sessions, 1);
    expect(await m.lead.request('lock', { locked: true })).toEqual(OK);
    await member(m, 0).waitForSession((v) => v.locked, 'the lock');
    const lead = await sync.syncedProvider(server, m.board.id, { token: m.facilitator.token });

    // One write fails (a full disk, say): the server drops that document's peers (1011) and loads
    // the board afresh on the next connection, while the meeting — and its lock — stays live.
    const store = server.running.store;
    const append = store.appendUpdates.bind(store);
    let failures = 1;
    store.appendUpdates = (boardId, updates) =>
      failures-- > 0 ? Promise.reject(new Error('disk full')) : append(boardId, updates);
    try {
      const leadClosed = nextClose(lead);
      writeCard(lead, 'Facilitator, written as the disk filled up', m.facilitator.participantId);
      expect(await leadClosed).toBe(CLOSE.serverError);
      await waitFor(() => lead.provider.synced, 10_000, 'the facilitator to reconnect');
      await waitFor(
        async () =>
          cardTexts(await storedDoc(server, m.board.id)).includes(
            'Facilitator, written as the disk filled up',
          ),
        5_000,
        "the facilitator's card, sent again and stored",
      );
    } finally {
      store.appendUpdates = append;
    }
    expect((await freshView(server, sessions, m.board.id, participant(m, 0))).locked).toBe(true);

    const writer = await sync.syncedProvider(server, m.board.id, { token: participant(m, 0).token });
    const closed = nextClose(writer);
    writeCard(writer, 'Participant, while still locked', participant(m, 0).participantId);
    expect(await closed).toBe(CLOSE.locked);
    writeCard(lead, 'Facilitator, afterwards', m.facilitator.participantId);
    await waitFor(
      async () => cardTexts(await storedDoc(server, m.board.id)).includes('Facilitator, afterwards'),
      5_000,
      "the facilitator's later card on disk",
    );
    expect(cardTexts(await storedDoc(server, m.board.id))).not.toContain('Participant, while still locked');
  });
});
