/**
 * Answer rights on the document (docs/sync.md#answer-rights, docs/session.md#answer-rights). While
 * a board's setting is `own`, a participant's update may not delete, overwrite or edit an answer
 * card (an entry of the `cards` root) written by someone else, nor change any card's `authorId`.
 * Facilitators may always. Runs on an update the guard (guard.ts) has already accepted, so every
 * struct it names is in the document or in the update itself.
 */
import * as Y from 'yjs';
import { ROOT, SECTIONS } from '../../shared/board/layout';
import type { AnswerRights } from '../../shared/session/readyfocus';

type AnyType = Y.Doc['share'] extends Map<string, infer T> ? T : never;

interface Sender {
  readonly participantId: string | null;
  readonly role: string;
}

/** The fields a question is read by (shared/board/read.ts), and the values that keep it readable. */
const READABLE_BY = new Map<string, (content: Y.Item['content']) => boolean>([
  [
    'text',
    (content) =>
      (content instanceof Y.ContentAny && typeof content.getContent().at(-1) === 'string') ||
      (content instanceof Y.ContentType && content.type instanceof Y.Text),
  ],
  [
    'section',
    (content) =>
      content instanceof Y.ContentAny &&
      (SECTIONS as readonly unknown[]).includes(content.getContent().at(-1)),
  ],
]);

/** The card item (an entry of `cards`) that holds `type`, if any. */
function cardHolding(type: AnyType, cards: AnyType): Y.Item | null {
  for (let item = type._item; item; item = (item.parent as AnyType)._item) {
    if (item.parent === cards) return item;
  }
  return null;
}

function authorOf(card: Y.Item): unknown {
  const type = card.content instanceof Y.ContentType ? card.content.type : null;
  return type instanceof Y.Map ? type.get('authorId') : undefined;
}

/** The update's own structs, found by id (an id may point inside a struct). */
function structIndex(structs: ReadonlyArray<Y.Item | Y.GC | Y.Skip>): (id: Y.ID) => Y.Item | null {
  const byClient = new Map<number, Y.Item[]>();
  for (const struct of structs) {
    if (!(struct instanceof Y.Item)) continue;
    const list = byClient.get(struct.id.client);
    if (list) list.push(struct);
    else byClient.set(struct.id.client, [struct]);
  }
  return (id) => {
    const list = byClient.get(id.client) ?? [];
    let low = 0;
    let high = list.length - 1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      const struct = list[middle] as Y.Item;
      if (id.clock < struct.id.clock) high = middle - 1;
      else if (id.clock >= struct.id.clock + struct.length) low = middle + 1;
      else return struct;
    }
    return null;
  };
}

/**
 * Why `sender` may not send `update` under `rights`, or null when it may. Only `own` refuses,
 * and only a participant's (or a connection without a token's) update.
 */
export function answerRightsRefusal(
  doc: Y.Doc,
  update: Uint8Array,
  sender: Sender,
  rights: AnswerRights | undefined,
): string | null {
  if (rights !== 'own' || sender.role === 'facilitator') return null;
  const cards = doc.share.get(ROOT.cards);
  if (!cards) return null;
  let decoded: ReturnType<typeof Y.decodeUpdate>;
  try {
    decoded = Y.decodeUpdate(update);
  } catch {
    return null; // the guard refuses what cannot be read
  }
  const store = doc.store;
  const me = sender.participantId;
  const mine = (card: Y.Item): boolean => me !== null && authorOf(card) === me;
  const liveItem = (id: Y.ID): Y.Item | null => {
    if (id.clock >= Y.getState(store, id.client)) return null;
    const struct = Y.getItem(store, id);
    return struct instanceof Y.Item ? struct : null;
  };

  const questions = doc.share.get(ROOT.questions);
  // docs/sync.md#answer-rights: a question deleted alone would hide its cards from every reader.
  const holdsOthersAnswers = (questionId: string | null): boolean => {
    if (questionId === null) return false;
    for (const card of cards._map.values()) {
      if (card.deleted || mine(card)) continue;
      const type = card.content instanceof Y.ContentType ? card.content.type : null;
      if (type instanceof Y.Map && type.get('questionId') === questionId) return true;
    }
    return false;
  };

  /** The question whose entry `type` is, when it holds another person's answers (null otherwise). */
  const guardedQuestion = (type: AnyType | null): boolean => {
    const item = type?._item;
    return !!item && !!questions && item.parent === questions && holdsOthersAnswers(item.parentSub);
  };

  // Deletes: of a card, or of anything inside one.
  for (const [client, ranges] of decoded.ds.clients) {
    const known = Y.getState(store, client);
    for (const { clock, len } of ranges) {
      for (let at = clock; at < Math.min(clock + len, known);) {
        const struct = Y.getItem(store, Y.createID(client, at));
        at = struct.id.clock + struct.length;
        if (!(struct instanceof Y.Item) || struct.deleted) continue;
        const card = struct.parent === cards ? struct : cardHolding(struct.parent as AnyType, cards);
        if (card && !card.deleted && !mine(card)) return 'deletes from another person’s answer';
        if (questions && struct.parent === questions && holdsOthersAnswers(struct.parentSub)) {
          return 'deletes a question that holds another person’s answers';
        }
        if (READABLE_BY.has(struct.parentSub ?? '') && guardedQuestion(struct.parent as AnyType)) {
          return 'breaks a question that holds another person’s answers';
        }
      }
    }
  }

  // Insertions: where each new struct enters the live document, and under which key.
  const inUpdate = structIndex(decoded.structs);
  for (const struct of decoded.structs) {
    if (!(struct instanceof Y.Item)) continue;
    if (struct.id.clock + struct.length <= Y.getState(store, struct.id.client)) continue;
    let cursor: Y.Item = struct;
    let entry: { type: AnyType; sub: string | null } | null = null;
    for (let steps = 0; steps < decoded.structs.length + 1 && entry === null; steps++) {
      const parent = cursor.parent as unknown;
      let next: Y.Item | null = null;
      if (typeof parent === 'string') {
        const root = doc.share.get(parent);
        if (!root) break;
        entry = { type: root, sub: cursor.parentSub };
      } else if (parent instanceof Y.ID) {
        const holder = liveItem(parent);
        if (holder && holder.content instanceof Y.ContentType)
          entry = { type: holder.content.type as AnyType, sub: cursor.parentSub };
        else next = inUpdate(parent);
      } else {
        const neighbourId = cursor.origin ?? cursor.rightOrigin;
        const neighbour = neighbourId ? liveItem(neighbourId) : null;
        if (neighbour && neighbour.parent)
          entry = { type: neighbour.parent as AnyType, sub: neighbour.parentSub };
        else next = neighbourId ? inUpdate(neighbourId) : null;
      }
      if (entry === null) {
        if (!next || next === cursor) break;
        cursor = next;
      }
    }
    if (!entry) continue;
    // A question holding someone else's answers stays readable (docs/sync.md#answer-rights).
    if (questions && entry.type === questions && entry.sub !== null && holdsOthersAnswers(entry.sub)) {
      return 'replaces a question that holds another person’s answers';
    }
    const keeps = entry.sub === null ? undefined : READABLE_BY.get(entry.sub);
    if (keeps && !keeps(struct.content) && guardedQuestion(entry.type)) {
      return 'breaks a question that holds another person’s answers';
    }
    if (entry.type === cards) {
      // A new entry under an existing card's id replaces that card.
      const existing = entry.sub === null ? undefined : (cards._map.get(entry.sub) ?? undefined);
      if (existing && !existing.deleted && !mine(existing)) return 'replaces another person’s answer';
      continue;
    }
    const card = cardHolding(entry.type, cards);
    if (!card || card.deleted) continue;
    const cardType = card.content instanceof Y.ContentType ? card.content.type : null;
    if (entry.type === cardType && entry.sub === 'authorId') return 'changes the author of an answer';
    if (!mine(card)) return 'edits another person’s answer';
  }
  return null;
}
