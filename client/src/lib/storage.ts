/**
 * Everything this browser keeps between visits, in one place: each key is declared once with the
 * shape of its value. What is read back is checked, since another version of the page, an
 * extension or a person may have written anything there: a value that is absent, unreadable or of
 * the wrong shape reads as the key's default. Reading and writing never throw (private windows and
 * full quotas make the browser's storage refuse): a refused write is simply not kept.
 *
 * Stored formats are those earlier versions wrote (plain text for a few keys, JSON for the rest),
 * so what a browser kept before still reads.
 */
import * as v from 'valibot';
import type { BoardSummary, Joined } from '../../../shared/api';
import { LOCALES, TEMPLATE_IDS } from '../../../shared/board/layout';
import { PULSE_HELP_MAX_LENGTH } from '../../../shared/session/pulse';
import { PHASES } from '../../../shared/session/phases';
import { ROLES } from '../../../shared/session/state';
import { LANGUAGES, type Language } from './i18n/messages';

/** The part of the Web Storage interface used here (so tests can pass a Map-backed one). */
export interface StorageArea {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** How a value is written as text, and read back (undefined: not a value of this key). */
export interface Codec<T> {
  decode(raw: string): T | undefined;
  encode(value: T): string;
}

/** One key: `get` gives the stored value or the default, `set` keeps one, `remove` forgets it. */
export interface Stored<T, D = T> {
  get(): T | D;
  set(value: T): void;
  remove(): void;
}

/** JSON text checked by a valibot schema. */
export function json<S extends v.GenericSchema>(schema: S): Codec<v.InferOutput<S>> {
  return {
    decode(raw) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(raw);
      } catch {
        return undefined;
      }
      const result = v.safeParse(schema, parsed);
      return result.success ? result.output : undefined;
    },
    encode: (value) => JSON.stringify(value),
  };
}

/** Plain text checked by a valibot schema (for keys stored without JSON). */
export function text<S extends v.GenericSchema<string, unknown>>(schema: S): Codec<v.InferOutput<S>> {
  return {
    decode(raw) {
      const result = v.safeParse(schema, raw);
      return result.success ? result.output : undefined;
    },
    encode: (value) => String(value),
  };
}

function stored<T, D>(
  area: () => StorageArea | null,
  key: string,
  codec: Codec<T>,
  fallback: D,
): Stored<T, D> {
  return {
    get() {
      try {
        const raw = area()?.getItem(key) ?? null;
        if (raw === null) return fallback;
        const value = codec.decode(raw);
        return value === undefined ? fallback : value;
      } catch {
        return fallback;
      }
    },
    set(value) {
      try {
        area()?.setItem(key, codec.encode(value));
      } catch {
        // Storage refused (quota, private mode): the value lives for this page only.
      }
    },
    remove() {
      try {
        area()?.removeItem(key);
      } catch {
        // Nothing to do: a storage that refuses access keeps nothing of ours either.
      }
    },
  };
}

const IdentitySchema = v.object({
  participantId: v.string(),
  token: v.string(),
  role: v.picklist(ROLES),
  name: v.string(),
}) satisfies v.GenericSchema<unknown, Joined & { name: string }>; // identity.ts's Identity

const SummarySchema = v.object({
  id: v.string(),
  title: v.string(),
  locale: v.picklist(LOCALES),
  template: v.picklist(TEMPLATE_IDS),
  phase: v.picklist(PHASES),
  createdAt: v.number(),
  goals: v.number(),
  agreed: v.number(),
  participants: v.number(),
  participantUrl: v.string(),
}) satisfies v.GenericSchema<unknown, BoardSummary>;

const PulseAnswerSchema = v.object({
  score: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(5)),
  help: v.pipe(v.string(), v.maxLength(PULSE_HELP_MAX_LENGTH)),
});
export type PulseAnswer = v.InferOutput<typeof PulseAnswerSchema>;

/**
 * A board in "My boards": what the home page lists without asking the server. No facilitator key:
 * that one is kept under its own key and never leaves this device.
 */
const MyBoardSchema = v.object({
  id: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{8,64}$/)),
  title: v.string(),
  phase: v.picklist(PHASES),
  role: v.picklist(ROLES),
  /** Epoch milliseconds of the last time this browser saw the board active (opened, moved, edited). */
  lastActivity: v.number(),
});
export type MyBoard = v.InferOutput<typeof MyBoardSchema>;

/** The list of my boards: a stored entry of the wrong shape is dropped, the others kept. */
const MyBoardsSchema = v.pipe(
  v.array(v.unknown()),
  v.transform((items): MyBoard[] =>
    items.flatMap((item) => {
      const result = v.safeParse(MyBoardSchema, item);
      return result.success ? [result.output] : [];
    }),
  ),
);

/** A count written as decimal digits (`String(count)`). */
const Count = v.pipe(v.string(), v.regex(/^\d{1,9}$/), v.transform(Number));

/** Every key this browser keeps. `local` and `session` give the storage areas (null: none). */
export function createStorage(local: () => StorageArea | null, session: () => StorageArea | null) {
  return {
    /** The interface language the person picked; null until they pick one. */
    language: stored<Language, null>(local, 'atelier:language', text(v.picklist(LANGUAGES)), null),
    /** Whether the timer chimes at its end on this device. */
    timerSound: stored<'on' | 'off', 'on'>(
      local,
      'atelier:timer-sound',
      text(v.picklist(['on', 'off'])),
      'on',
    ),
    /** Who I am on a board, so a reload reconnects as the same participant (docs/product.md#identity). */
    identity: (boardId: string) => stored(local, `atelier:identity:${boardId}`, json(IdentitySchema), null),
    /** The facilitator key of a board, kept only by those who opened a facilitator link. */
    facilitatorKey: (boardId: string) =>
      stored(local, `atelier:facilitator-key:${boardId}`, text(v.pipe(v.string(), v.minLength(1))), null),
    /** The last summary of a board seen here, so a board kept in this browser opens offline too. */
    summary: (boardId: string) => stored(local, `atelier:summary:${boardId}`, json(SummarySchema), null),
    /** My own pulse answer, shown back to me only (the server keeps it anonymous). */
    pulse: (boardId: string) => stored(local, `atelier:pulse:${boardId}`, json(PulseAnswerSchema), null),
    /** How many of my changes wait to sync, so a reload while offline still shows it. */
    unsynced: (boardId: string) => stored(local, `atelier:unsynced:${boardId}`, text(Count), 0),
    /** The boards this browser created or joined, for the home page (docs/product.md#my-boards). */
    myBoards: stored<MyBoard[], MyBoard[]>(local, 'atelier:my-boards', json(MyBoardsSchema), []),
    /** Set by the tab that created a board, until its share dialog has opened once. */
    justCreated: (boardId: string) =>
      stored(session, `atelier:just-created:${boardId}`, text(v.literal('1')), null),
  };
}

/** The browser's own storage; null where there is none (or reading it is refused). */
function area(name: 'localStorage' | 'sessionStorage'): () => StorageArea | null {
  return () => {
    try {
      return (globalThis as Partial<Record<typeof name, StorageArea>>)[name] ?? null;
    } catch {
      return null;
    }
  };
}

export const storage = createStorage(area('localStorage'), area('sessionStorage'));
