/** What the browser keeps (client/src/lib/storage.ts): checked on the way back, never throwing. */
import { describe, expect, it } from 'vitest';
import { createStorage, type StorageArea } from '../../client/src/lib/storage';
import { memoryArea } from '../helpers/memory-storage';

const refusing: StorageArea = {
  getItem: () => {
    throw new Error('SecurityError');
  },
  setItem: () => {
    throw new Error('QuotaExceededError');
  },
  removeItem: () => {
    throw new Error('SecurityError');
  },
};

const identity = { participantId: 'p1234567', token: 'tok', role: 'participant', name: 'Ada' } as const;

describe('browser storage', () => {
  it('gives back what was kept, in the formats earlier versions wrote', () => {
    const local = memoryArea();
    const storage = createStorage(
      () => local,
      () => null,
    );
    storage.identity('board-1').set(identity);
    storage.language.set('fr');
    storage.timerSound.set('off');
    storage.unsynced('board-1').set(3);
    storage.facilitatorKey('board-1').set('k_ey-1');
    expect(storage.identity('board-1').get()).toEqual(identity);
    expect(local.data.get('atelier:identity:board-1')).toBe(JSON.stringify(identity));
    expect(local.data.get('atelier:language')).toBe('fr');
    expect(local.data.get('atelier:timer-sound')).toBe('off');
    expect(local.data.get('atelier:unsynced:board-1')).toBe('3');
    expect(local.data.get('atelier:facilitator-key:board-1')).toBe('k_ey-1');
    expect(storage.unsynced('board-1').get()).toBe(3);
  });

  it('reads an absent value as the default', () => {
    const storage = createStorage(memoryArea, memoryArea);
    expect(storage.identity('b').get()).toBeNull();
    expect(storage.language.get()).toBeNull();
    expect(storage.timerSound.get()).toBe('on');
    expect(storage.unsynced('b').get()).toBe(0);
    expect(storage.justCreated('b').get()).toBeNull();
  });

  it('reads a value of the wrong shape as the default', () => {
    const local = memoryArea();
    const storage = createStorage(
      () => local,
      () => null,
    );
    local.data.set('atelier:identity:b', '{not json');
    local.data.set('atelier:summary:b', JSON.stringify({ id: 'b', title: 3 }));
    local.data.set('atelier:pulse:b', JSON.stringify({ score: 9, help: '' }));
    local.data.set('atelier:language', 'de');
    local.data.set('atelier:timer-sound', 'loud');
    local.data.set('atelier:unsynced:b', 'many');
    expect(storage.identity('b').get()).toBeNull();
    expect(storage.summary('b').get()).toBeNull();
    expect(storage.pulse('b').get()).toBeNull();
    expect(storage.language.get()).toBeNull();
    expect(storage.timerSound.get()).toBe('on');
    expect(storage.unsynced('b').get()).toBe(0);
    local.data.set('atelier:identity:b', JSON.stringify({ ...identity, role: 'owner' }));
    expect(storage.identity('b').get()).toBeNull();
  });

  it('keeps the one-tab flag in the session area', () => {
    const local = memoryArea();
    const session = memoryArea();
    const storage = createStorage(
      () => local,
      () => session,
    );
    storage.justCreated('b').set('1');
    expect(session.data.get('atelier:just-created:b')).toBe('1');
    expect(local.data.size).toBe(0);
    storage.justCreated('b').remove();
    expect(storage.justCreated('b').get()).toBeNull();
  });

  it('never throws when the browser refuses its storage, or has none', () => {
    for (const area of [() => refusing, () => null]) {
      const storage = createStorage(area, area);
      expect(() => storage.identity('b').set(identity)).not.toThrow();
      expect(() => storage.identity('b').remove()).not.toThrow();
      expect(storage.identity('b').get()).toBeNull();
      expect(storage.timerSound.get()).toBe('on');
    }
  });
});
