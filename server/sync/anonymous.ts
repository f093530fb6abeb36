/**
 * Anonymous questions on the sync plane (docs/sync.md#anonymous-questions). The session plane says
 * which questions are anonymous (docs/session.md#private-and-anonymous-answers); here:
 *
 * - an update that would leave a card of an anonymous question naming an author — setting a
 *   card's `authorId`, or moving a named card to such a question — is refused before it reaches
 *   the document (the peer is closed 4422, as for any refused update);
 * - a presence state whose `editing` names a card of an anonymous question has it blanked
 *   before it is kept or relayed, so nobody learns who edits that card.
 *
 * Both read the update without touching the document, like guard.ts: every walk is bounded.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { questionOfCard } from '../../shared/board/answers';
import { ROOT } from '../../shared/board/layout';

/** The anonymous questions of a board now (empty: nothing to check). */
export type AnonymousQuestions = (boardId: string) => ReadonlySet<string>;

type Holder = { kind: 'doc'; map: Y.Map<unknown> } | { kind: 'update'; key: string };

interface CardFields {
  holder: Holder;
  /** Every value the update writes under the key, whichever Yjs ends up keeping. */
  authors: unknown[];
  questionIds: unknown[];
}

const names = (author: unknown): boolean => author !== '' && author !== null && author !== undefined;

function idKey(id: Y.ID): string {
  return `${id.client}:${id.clock}`;
}

/**
 * The update's items, found by any id they hold: an item covers clocks `id.clock` to
 * `id.clock + length - 1` (Yjs merges runs, e.g. a key's overwritten values, into one item), and a
 * neighbour's id may point anywhere inside it.
 */
class OwnItems {
  readonly #byClient = new Map<number, Y.Item[]>();
  readonly #byKey = new Map<string, Y.Item>();

  constructor(structs: ReadonlyArray<unknown>) {
    for (const struct of structs) {
      if (!(struct instanceof Y.Item)) continue;
      this.#byKey.set(idKey(struct.id), struct);
      const list = this.#byClient.get(struct.id.client);
      if (list) list.push(struct);
      else this.#byClient.set(struct.id.client, [struct]);
    }
    for (const list of this.#byClient.values()) list.sort((a, b) => a.id.clock - b.id.clock);
  }

  get size(): number {
    return this.#byKey.size;
  }

  values(): IterableIterator<Y.Item> {
    return this.#byKey.values();
  }

  /** The item that starts at `key` (a type's own id). */
  get(key: string): Y.Item | undefined {
    return this.#byKey.get(key);
  }

  /** The item holding `id`, wherever in it. */
  holding(id: Y.ID): Y.Item | null {
    const list = this.#byClient.get(id.client);
    if (!list) return null;
    let low = 0;
    let high = list.length - 1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      const item = list[middle] as Y.Item;
      if (id.clock < item.id.clock) high = middle - 1;
      else if (id.clock >= item.id.clock + item.length) low = middle + 1;
      else return item;
    }
    return null;
  }
}

/** The struct holding `id`: in the update (`own`), else in the document, else null. */
function structAt(doc: Y.Doc, own: OwnItems, id: Y.ID): Y.Item | null {
  const inUpdate = own.holding(id);
  if (inUpdate) return inUpdate;
  if (id.clock >= Y.getState(doc.store, id.client)) return null;
  const found = Y.getItem(doc.store, id) as Y.Item | Y.GC;
  return found instanceof Y.Item ? found : null;
}

type Place = { holder: Holder; key: string } | null;

/** Where an item with a parent of its own lives (null: not a map entry of a map). */
function placeFromParent(doc: Y.Doc, own: OwnItems, item: Y.Item): Place | undefined {
  const parent = item.parent as unknown;
  if (typeof parent === 'string') return null;
  if (parent instanceof Y.ID) {
    if (item.parentSub === null) return null;
    const holderItem = own.get(idKey(parent));
    if (holderItem) return { holder: { kind: 'update', key: idKey(parent) }, key: item.parentSub };
    const inDoc = structAt(doc, own, parent);
    if (!inDoc || !(inDoc.content instanceof Y.ContentType) || !(inDoc.content.type instanceof Y.Map))
      return null;
    return { holder: { kind: 'doc', map: inDoc.content.type }, key: item.parentSub };
  }
  if (parent instanceof Y.AbstractType) {
    // A struct of the document: its parent is a live type.
    if (item.parentSub === null || !(parent instanceof Y.Map)) return null;
    return { holder: { kind: 'doc', map: parent as Y.Map<unknown> }, key: item.parentSub };
  }
  return undefined; // found through its neighbours
}

/**
 * Where a map entry of the update lives: its holder map and key, or null if not a card field.
 * An entry that overwrote others names only its neighbour, which may name its own, and so on: the
 * whole chain is followed (each item once, remembered in `known`), however long the update made it.
 */
function placeOf(doc: Y.Doc, own: OwnItems, item: Y.Item, known: Map<Y.Item, Place>): Place {
  const chain: Y.Item[] = [];
  let current: Y.Item | null = item;
  let place: Place = null;
  while (current) {
    const remembered = known.get(current);
    if (remembered !== undefined) {
      place = remembered;
      break;
    }
    if (chain.length > own.size) break; // a loop: nothing in it is a card field
    chain.push(current);
    const direct = placeFromParent(doc, own, current);
    if (direct !== undefined) {
      place = direct;
      break;
    }
    const neighbourId: Y.ID | null = current.origin ?? current.rightOrigin;
    current = neighbourId ? structAt(doc, own, neighbourId) : null;
  }
  for (const visited of chain) known.set(visited, place);
  return place;
}

/**
 * Whether a holder is a card (a map directly under the `cards` root). A map the update writes over
 * an earlier one under the same id names only that earlier one, which may name its own, and so on:
 * the chain is followed to the first that names its parent (each item once, remembered in `known`).
 */
function isCard(doc: Y.Doc, own: OwnItems, holder: Holder, known: Map<Y.Item, boolean>): boolean {
  const cards = doc.getMap(ROOT.cards);
  if (holder.kind === 'doc') {
    const item = holder.map._item;
    return item !== null && item.parent === cards;
  }
  const chain: Y.Item[] = [];
  let current: Y.Item | null = own.get(holder.key) ?? null;
  let result = false;
  while (current) {
    const remembered = known.get(current);
    if (remembered !== undefined) {
      result = remembered;
      break;
    }
    if (chain.length > own.size) break; // a loop: not a card
    chain.push(current);
    const parent = current.parent as unknown;
    if (parent !== null) {
      result = parent === ROOT.cards || parent === cards;
      break;
    }
    const neighbourId: Y.ID | null = current.origin ?? current.rightOrigin;
    current = neighbourId ? structAt(doc, own, neighbourId) : null;
  }
  for (const visited of chain) known.set(visited, result);
  return result;
}

/** Every value a map entry holds (Yjs reads the last; the guard refuses more than one). */
function valuesOf(item: Y.Item): unknown[] {
  return item.content instanceof Y.ContentAny ? item.content.getContent() : [];
}

/**
 * Why `update` may not reach the document, or null: it leaves a card of an anonymous question
 * with an author. Reads only the update and the document's current state.
 */
export function namesAnonymousAuthor(
  doc: Y.Doc,
  update: Uint8Array,
  anonymous: ReadonlySet<string>,
): string | null {
  if (anonymous.size === 0) return null;
  let structs: ReturnType<typeof Y.decodeUpdate>['structs'];
  try {
    structs = Y.decodeUpdate(update).structs;
  } catch {
    return null; // The guard has refused unreadable updates already.
  }
  const own = new OwnItems(structs);
  const cards = new Map<unknown, CardFields>();
  const known = new Map<Y.Item, Place>();
  const cardHolders = new Map<Y.Item, boolean>();
  for (const item of own.values()) {
    const place = placeOf(doc, own, item, known);
    if (!place || (place.key !== 'authorId' && place.key !== 'questionId')) continue;
    if (!isCard(doc, own, place.holder, cardHolders)) continue;
    const identity = place.holder.kind === 'doc' ? place.holder.map : place.holder.key;
    let fields = cards.get(identity);
    if (!fields) {
      fields = { holder: place.holder, authors: [], questionIds: [] };
      cards.set(identity, fields);
    }
    if (place.key === 'authorId') fields.authors.push(...valuesOf(item));
    else fields.questionIds.push(...valuesOf(item));
  }
  // Several writes of one key (from several Yjs clients in one update) race: which one Yjs keeps
  // depends on client ids and neighbours, so every written value is judged, not the last listed.
  const isAnonymous = (questionId: unknown): boolean =>
    typeof questionId === 'string' && anonymous.has(questionId);
  for (const fields of cards.values()) {
    const inDoc = fields.holder.kind === 'doc' ? fields.holder.map : null;
    const movesIn = fields.questionIds.some(isAnonymous);
    if (!movesIn && !isAnonymous(inDoc?.get('questionId'))) continue;
    if (fields.authors.some(names)) return 'an answer to an anonymous question cannot name its author';
    // A named card moved to an anonymous question: refused even with a blank author written beside
    // it, since that blank may be placed where it loses to the name.
    if (movesIn && names(inDoc?.get('authorId'))) {
      return 'an answer to an anonymous question cannot name its author';
    }
  }
  return null;
}

/**
 * The awareness update with every `editing` that names a card of an anonymous question set to
 * null. The update has already been reduced to the sender's own entries (awareness.ts).
 */
export function hideAnonymousEditing(
  doc: Y.Doc,
  update: Uint8Array,
  anonymous: ReadonlySet<string>,
): Uint8Array {
  if (anonymous.size === 0) return update;
  const decoder = decoding.createDecoder(update);
  const count = decoding.readVarUint(decoder);
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, count);
  for (let i = 0; i < count; i++) {
    encoding.writeVarUint(encoder, decoding.readVarUint(decoder));
    encoding.writeVarUint(encoder, decoding.readVarUint(decoder));
    encoding.writeVarString(encoder, hideEditing(doc, decoding.readVarString(decoder), anonymous));
  }
  return encoding.toUint8Array(encoder);
}

function hideEditing(doc: Y.Doc, state: string, anonymous: ReadonlySet<string>): string {
  if (!state.includes(`"${ROOT.cards}/`)) return state;
  let parsed: unknown;
  try {
    parsed = JSON.parse(state);
  } catch {
    return state;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return state;
  const fields = parsed as Record<string, unknown>;
  let changed = false;
  for (const [name, value] of Object.entries(fields)) {
    if (typeof value !== 'string' || !value.startsWith(`${ROOT.cards}/`)) continue;
    const questionId = questionOfCard(doc, value.split('/')[1] ?? '');
    if (questionId !== null && anonymous.has(questionId)) {
      fields[name] = null;
      changed = true;
    }
  }
  return changed ? JSON.stringify(fields) : state;
}
