/**
 * Themes against a real server (docs/sync.md#themes): honest grouping reaches everyone; a raw
 * client's theme of the wrong shape is refused whole (4422) and stored nowhere; while the board is
 * locked a participant's grouping closes it with 4423 (docs/sync.md#lock).
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { Joined } from '../../shared/api';
import { addCard, createTheme, readThemes, ROOT, THEME_KEY } from '../../shared/board';
import { CLOSE } from '../../shared/sync';
import { OK, firstQuestion, waitFor } from '../helpers/expect';
import { liveMeeting, storedDoc, type Meeting } from '../helpers/facilitation';
import { useServer } from '../helpers/fixtures';
import { updateFrame, type ProviderClient } from '../helpers/sync-clients';

/** Two answers to the first question, written by `client`; their ids. */
function twoCards(client: ProviderClient, author: string): [string, string] {
  const questionId = firstQuestion(client.doc);
  return [
    addCard(client.doc, { questionId, text: 'Too many meetings', authorId: author }),
    addCard(client.doc, { questionId, text: 'Meetings all day', authorId: author }),
  ];
}

describe('themes on the server', () => {
  const server = useServer();
  const { sessions, sync } = server;

  const meeting = (count: number): Promise<Meeting> => liveMeeting(server, sessions, count);
  const provider = (m: Meeting, joined: Joined): Promise<ProviderClient> =>
    sync.syncedProvider(server, m.board.id, { token: joined.token });

  it('[sync#themes] a theme made by the board’s own commands reaches the others and the store', async () => {
    const m = await meeting(1);
    const writer = await provider(m, m.participants[0] as Joined);
    const watcher = await provider(m, m.facilitator);
    const cards = twoCards(writer, (m.participants[0] as Joined).participantId);
    const theme = createTheme(writer.doc, { cardIds: cards, name: 'Meetings', authorId: 'author-0001' });
    await waitFor(() => readThemes(watcher.doc).length === 1, 5_000, 'the theme at the facilitator');
    const seen = readThemes(watcher.doc)[0];
    expect(seen).toMatchObject({ id: theme, name: 'Meetings' });
    // Both answers, in the lane's order: two cards made in the same millisecond sort by id.
    expect([...(seen?.cardIds ?? [])].sort()).toEqual([...cards].sort());
    await waitFor(
      async () => readThemes(await storedDoc(server, m.board.id)).length === 1,
      5_000,
      'the theme on disk',
    );
  });

  const garbage: Array<[string, (doc: Y.Doc, cardId: string) => void]> = [
    ['a theme that is not a map', (doc) => doc.getMap(ROOT.themes).set('theme-00001', 'hello')],
    ['a theme under a key that is not an id', (doc) => doc.getMap(ROOT.themes).set('bad key!', new Y.Map())],
    [
      'a theme with an unknown field',
      (doc) => {
        const theme = new Y.Map<unknown>();
        doc.getMap(ROOT.themes).set('theme-00001', theme);
        theme.set('questionId', 'question-0001');
        theme.set('colour', 'red');
      },
    ],
    [
      'a theme whose questionId is not an id',
      (doc) => {
        const theme = new Y.Map<unknown>();
        doc.getMap(ROOT.themes).set('theme-00001', theme);
        theme.set('questionId', 12);
      },
    ],
    [
      'a map nested in a theme',
      (doc) => {
        const theme = new Y.Map<unknown>();
        doc.getMap(ROOT.themes).set('theme-00001', theme);
        theme.set('name', new Y.Map());
      },
    ],
    [
      'a card themeId that is not an id',
      (doc, cardId) => (doc.getMap(ROOT.cards).get(cardId) as Y.Map<unknown>).set(THEME_KEY, true),
    ],
  ];

  for (const [what, write] of garbage) {
    it(`[sync#what-the-server-accepts][sync#themes] refuses ${what} from a raw client with 4422 and stores nothing of it`, async () => {
      const m = await meeting(1);
      const honest = await provider(m, m.facilitator);
      const [cardId] = twoCards(honest, m.facilitator.participantId);
      await waitFor(
        async () => (await storedDoc(server, m.board.id)).getMap(ROOT.cards).has(cardId),
        5_000,
        'the card on disk',
      );
      const stored = await storedDoc(server, m.board.id);
      const before = Y.encodeStateVector(stored);
      write(stored, cardId);
      const update = Y.encodeStateAsUpdate(stored, before);

      const raw = sync.raw(server, `/sync/${m.board.id}?token=${(m.participants[0] as Joined).token}`);
      await raw.opened;
      raw.ws.send(updateFrame(update));
      expect((await raw.closed).code).toBe(CLOSE.refused);
      const after = await storedDoc(server, m.board.id);
      expect(after.getMap(ROOT.themes).size).toBe(0);
      expect((after.getMap(ROOT.cards).get(cardId) as Y.Map<unknown>).has(THEME_KEY)).toBe(false);
      expect(honest.doc.getMap(ROOT.themes).size).toBe(0);
    });
  }

  it('[sync#lock][sync#themes] while locked, a participant’s grouping closes it with 4423; the facilitator’s goes through', async () => {
    const m = await meeting(1);
    const lead = await provider(m, m.facilitator);
    const cards = twoCards(lead, m.facilitator.participantId);
    const member = await provider(m, m.participants[0] as Joined);
    await waitFor(() => member.doc.getMap(ROOT.cards).size >= 2, 5_000, 'the cards at the participant');
    expect(await m.lead.request('lock', { locked: true })).toEqual(OK);
    await (m.members[0] as Meeting['lead']).waitForSession((view) => view.locked, 'the lock');

    const closed = new Promise<number | null>((resolve) =>
      member.provider.once('connection-close', (event: { code: number } | null) =>
        resolve(event?.code ?? null),
      ),
    );
    createTheme(member.doc, { cardIds: cards, authorId: 'author-0001' });
    expect(await closed).toBe(CLOSE.locked);

    createTheme(lead.doc, { cardIds: [cards[0]], name: 'Lead’s', authorId: 'author-0002' });
    await waitFor(
      async () => readThemes(await storedDoc(server, m.board.id)).length === 1,
      5_000,
      'the facilitator’s theme on disk',
    );
    const onDisk = readThemes(await storedDoc(server, m.board.id));
    expect(onDisk).toEqual([expect.objectContaining({ name: 'Lead’s', cardIds: [cards[0]] })]);
  });
});
