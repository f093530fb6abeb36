/**
 * "My boards" as this browser keeps them (client/src/lib/my-boards.ts over storage.ts): order,
 * removal with its undo, and stored data of the wrong shape ignored.
 */
import { describe, expect, it } from 'vitest';
import { formatRelativeTime } from '../../client/src/lib/format';
import { ACTIVITY_STEP_MS, createMyBoards, MY_BOARDS_MAX } from '../../client/src/lib/my-boards';
import { createStorage } from '../../client/src/lib/storage';
import { memoryArea } from '../helpers/memory-storage';

function setup() {
  const local = memoryArea();
  const storage = createStorage(
    () => local,
    () => null,
  );
  return { local, storage, boards: createMyBoards(storage) };
}

const T0 = Date.UTC(2026, 11, 5, 9, 0, 0);
const board = (id: string, title = id) => ({ id, title, phase: 'discover', role: 'participant' }) as const;

describe('my boards', () => {
  it('[product#my-boards] lists boards most recent first, one entry per board, its phase and title kept', () => {
    const { boards } = setup();
    expect(boards.list()).toEqual([]);
    boards.opened(board('board-aaa1', 'First'), T0);
    boards.opened({ ...board('board-bbb2', 'Second'), role: 'facilitator' }, T0 + 1_000);
    expect(boards.list().map((b) => b.id)).toEqual(['board-bbb2', 'board-aaa1']);

    // Opening the first again (it moved on to Goals) brings it to the top, once.
    boards.opened({ ...board('board-aaa1', 'First'), phase: 'goals' }, T0 + 2_000);
    expect(boards.list()).toEqual([
      { id: 'board-aaa1', title: 'First', phase: 'goals', role: 'participant', lastActivity: T0 + 2_000 },
      { id: 'board-bbb2', title: 'Second', phase: 'discover', role: 'facilitator', lastActivity: T0 + 1_000 },
    ]);

    // The server's summary updates title and phase, never the order.
    boards.refreshed('board-bbb2', { title: 'Second, renamed', phase: 'wrap-up' });
    expect(boards.list().map((b) => [b.id, b.title, b.phase])).toEqual([
      ['board-aaa1', 'First', 'goals'],
      ['board-bbb2', 'Second, renamed', 'wrap-up'],
    ]);
  });

  it('[product#my-boards] moves the last activity on edits at most once per step', () => {
    const { boards } = setup();
    boards.opened(board('board-aaa1'), T0);
    boards.opened(board('board-bbb2'), T0 + 1_000);
    boards.active('board-aaa1', T0 + ACTIVITY_STEP_MS - 1);
    expect(boards.list()[0]?.id).toBe('board-bbb2');
    boards.active('board-aaa1', T0 + ACTIVITY_STEP_MS);
    expect(boards.list()[0]).toMatchObject({ id: 'board-aaa1', lastActivity: T0 + ACTIVITY_STEP_MS });
    // A board not in the list is not added by an edit.
    boards.active('board-ccc3', T0 + 10 * ACTIVITY_STEP_MS);
    expect(boards.list()).toHaveLength(2);
  });

  it('[product#my-boards] keeps at most MY_BOARDS_MAX boards, forgetting the oldest', () => {
    const { boards } = setup();
    for (let i = 0; i <= MY_BOARDS_MAX; i++)
      boards.opened(board(`board-${String(i).padStart(4, '0')}`), T0 + i);
    const ids = boards.list().map((b) => b.id);
    expect(ids).toHaveLength(MY_BOARDS_MAX);
    expect(ids[0]).toBe(`board-${String(MY_BOARDS_MAX).padStart(4, '0')}`);
    expect(ids).not.toContain('board-0000');
  });

  it('[product#my-boards] removing forgets the board and my access to it on this device; undo puts both back', () => {
    const { boards, storage, local } = setup();
    boards.opened({ ...board('board-aaa1'), role: 'facilitator' }, T0);
    boards.opened(board('board-bbb2'), T0 + 1);
    storage
      .identity('board-aaa1')
      .set({ participantId: 'p1234567', token: 'tok', role: 'facilitator', name: 'Ada' });
    storage.facilitatorKey('board-aaa1').set('secret-key');
    storage
      .identity('board-bbb2')
      .set({ participantId: 'p7654321', token: 'tok2', role: 'participant', name: 'Ada' });

    const forgotten = boards.forget('board-aaa1');
    expect(boards.list().map((b) => b.id)).toEqual(['board-bbb2']);
    expect(storage.identity('board-aaa1').get()).toBeNull();
    expect(storage.facilitatorKey('board-aaa1').get()).toBeNull();
    expect([...local.data.values()].join()).not.toContain('secret-key');
    // The other board is untouched.
    expect(storage.identity('board-bbb2').get()?.token).toBe('tok2');

    forgotten?.restore();
    expect(boards.list().map((b) => b.id)).toEqual(['board-bbb2', 'board-aaa1']);
    expect(storage.facilitatorKey('board-aaa1').get()).toBe('secret-key');
    expect(storage.identity('board-aaa1').get()?.token).toBe('tok');
    expect(boards.forget('board-zzz9')).toBeNull();
  });

  it('[product#my-boards] never writes a facilitator key into the list', () => {
    const { boards, storage, local } = setup();
    storage.facilitatorKey('board-aaa1').set('secret-key');
    boards.opened({ ...board('board-aaa1'), role: 'facilitator' }, T0);
    expect(local.data.get('atelier:my-boards')).not.toContain('secret-key');
  });

  it('[product#my-boards] ignores stored data of the wrong shape, keeping the entries that are right', () => {
    const { boards, local } = setup();
    local.data.set('atelier:my-boards', '{not json');
    expect(boards.list()).toEqual([]);
    local.data.set('atelier:my-boards', JSON.stringify({ id: 'board-aaa1' }));
    expect(boards.list()).toEqual([]);
    const good = { ...board('board-aaa1'), lastActivity: T0 };
    local.data.set(
      'atelier:my-boards',
      JSON.stringify([
        { ...good, id: 'board-bad1', phase: 'party' },
        { ...good, id: 'bad id with spaces' },
        { ...good, id: 'board-bad2', lastActivity: 'yesterday' },
        null,
        'board-bad3',
        good,
      ]),
    );
    expect(boards.list()).toEqual([good]);
    // Writing again keeps only what was right.
    boards.opened(board('board-bbb2'), T0 + 1);
    expect(JSON.parse(local.data.get('atelier:my-boards') ?? '[]')).toHaveLength(2);
  });

  it('[product#my-boards] says how long ago in the interface language', () => {
    const now = T0;
    expect(formatRelativeTime(now - 2 * 60 * 60 * 1000, now, 'en')).toBe('2 hours ago');
    expect(formatRelativeTime(now - 2 * 60 * 60 * 1000, now, 'fr')).toBe('il y a 2 heures');
    expect(formatRelativeTime(now - 24 * 60 * 60 * 1000, now, 'en')).toBe('yesterday');
    expect(formatRelativeTime(now - 5_000, now, 'en')).toBe('now');
    expect(formatRelativeTime(now + 60_000, now, 'fr')).toBe('maintenant');
    expect(formatRelativeTime(now - 3 * 7 * 24 * 60 * 60 * 1000, now, 'en')).toBe('3 weeks ago');
  });
});
