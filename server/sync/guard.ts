/**
 * The gate every Yjs update passes before it may touch a live board document (docs/sync.md, "What
 * the server accepts"). Anyone holding a board's link can send any bytes, and Yjs trusts what it
 * integrates: it recurses on nested types, keeps content whose dependencies are missing, and
 * spends time quadratic in the number of insertions competing for one position. So an update is
 * decoded first, without touching the document, and held to the board's rules:
 *
 * - readable, and made only of what the board's layout uses: maps under the known roots, map
 *   entries holding primitives, maps or texts, texts holding strings;
 * - types nested at most `maxDepth` below a root, so Yjs's recursive delete and garbage collection
 *   stay shallow;
 * - no string value, map key or text longer than the field limits;
 * - an insertion that competes with others for one position (concurrent edits of one map key, or
 *   of one place in a text) may have to scan at most `maxContested` of them, so integrating it —
 *   now, and each time the board is loaded again — costs bounded time;
 * - every struct and every deleted range it refers to is known: in the document, in the update
 *   itself, or (for deletes) in what the same sender is waiting to deliver. Otherwise the update
 *   waits (see `needs`) — or, for deletes of content nobody has shown the server, is refused, so a
 *   delete can never be planted to strike content that does not exist yet.
 *
 * Every walk here is iterative: a hostile update may chain thousands of items.
 * This module only judges; the room decides what to do with the verdict.
 */
import * as Y from 'yjs';
import { CHECKINS_ROOT } from '../../shared/board/checkins';
import { ROOT } from '../../shared/board/layout';
import { themeEntryProblem, type EntryKind } from '../../shared/board/themes';
import { encodeStructs, type Struct } from '../../shared/updates';
import { shapeProblem } from './shapes';

export interface DocRules {
  /** How deep types may nest below a root (the layout uses 3: workload → person → estimates → one estimate). */
  maxDepth: number;
  /** The longest string value, and the longest text, in UTF-16 code units. */
  maxFieldChars: number;
  /** The longest map key. */
  maxKeyChars: number;
  /** How many competing insertions one insertion may have to scan past. */
  maxContested: number;
}

export const DEFAULT_DOC_RULES: DocRules = {
  maxDepth: 6,
  maxFieldChars: 10_000,
  maxKeyChars: 128,
  maxContested: 32,
};

/** Any shared type, whatever its events (as the document's roots are typed). */
type AnyType = Y.Doc['share'] extends Map<string, infer T> ? T : never;

const KNOWN_ROOTS: ReadonlySet<string> = new Set([...Object.values(ROOT), CHECKINS_ROOT]);

/**
 * Roots only the server writes (docs/sync.md#check-ins): a client's update that adds, changes or
 * deletes anything under them is refused whole. What is stored there loads like the rest.
 */
const SERVER_ROOTS: ReadonlySet<string> = new Set([CHECKINS_ROOT]);

/** The name of the root a type of the document lives under (null: not under a root). */
function rootNameOf(type: AnyType, cache: Map<AnyType, string | null>): string | null {
  let top = type;
  for (let depth = 0; top._item && depth < 64; depth += 1) {
    const parent = top._item.parent;
    if (!(parent instanceof Y.AbstractType)) return null;
    top = parent as AnyType;
  }
  if (top._item) return null;
  let name = cache.get(top);
  if (name === undefined) {
    try {
      name = Y.findRootTypeKey(top);
    } catch {
      name = null;
    }
    cache.set(top, name);
  }
  return name;
}

/** Whether a delete set strikes live content under a server-only root. */
function deletesServerContent(doc: Y.Doc, ds: Decoded['ds']): boolean {
  const cache = new Map<AnyType, string | null>();
  for (const [client, ranges] of ds.clients) {
    const structs = doc.store.clients.get(client);
    if (!structs) continue;
    const known = Y.getState(doc.store, client);
    for (const { clock, len } of ranges) {
      if (clock >= known) continue;
      const end = Math.min(clock + len, known);
      for (let index = Y.findIndexSS(structs, clock); index < structs.length; index += 1) {
        const struct = structs[index] as Y.Item | Y.GC;
        if (struct.id.clock >= end) break;
        if (!(struct instanceof Y.Item) || struct.deleted) continue;
        const parent = struct.parent;
        if (!(parent instanceof Y.AbstractType)) continue;
        const root = rootNameOf(parent as AnyType, cache);
        if (root !== null && SERVER_ROOTS.has(root)) return true;
      }
    }
  }
  return false;
}

/** Clocks `start` (inclusive) to `end` (exclusive) of one client. */
export interface ClockRange {
  start: number;
  end: number;
}

/** A struct id that must be in the document before the update can be integrated. */
export interface Need {
  client: number;
  clock: number;
}

export type Verdict =
  /** Safe to apply now. `structs` is how many structs it adds at most. */
  | { kind: 'apply'; structs: number }
  /**
   * Well-formed so far, but it refers to content the document does not have yet. `brings`: per
   * client, the clock range of the structs in this update.
   */
  | { kind: 'wait'; structs: number; needs: Need[]; brings: Map<number, ClockRange> }
  /**
   * Breaks the rules. `unseen`: it deletes content nobody has shown the server — a planted delete,
   * or an honest client whose edit overtook the content it deletes (it resyncs).
   */
  | { kind: 'refuse'; reason: string; unseen?: true; unreadable?: true };

interface Decoded {
  structs: Struct[];
  ds: ReturnType<typeof Y.decodeUpdate>['ds'];
}

function decode(update: Uint8Array): Decoded | null {
  try {
    return Y.decodeUpdate(update);
  } catch {
    // Truncated bytes, unknown struct kinds, or values nested so deep that decoding overflows.
    return null;
  }
}

/**
 * Judges `update` against the live document `doc`. `pendingCovers` is what the same sender is
 * already waiting to deliver (per client, the end of its structs): deleting that content is
 * honest (a client deleting what it has just typed) and waits for it.
 */
export function checkUpdate(
  doc: Y.Doc,
  update: Uint8Array,
  rules: DocRules,
  pendingCovers: ReadonlyMap<number, number> = new Map(),
): Verdict {
  const decoded = decode(update);
  if (!decoded) return { kind: 'refuse', reason: 'unreadable update', unreadable: true };
  const { structs, ds } = decoded;
  let count = 0;
  // Each client in one section: Yjs keeps only a client's last section, so a second one would be
  // judged here and ignored there.
  const sections = new Set<number>();
  let section: number | null = null;
  for (const struct of structs) {
    if (struct.id.client !== section) {
      if (sections.has(struct.id.client)) return { kind: 'refuse', reason: 'a client twice in one update' };
      section = struct.id.client;
      sections.add(section);
    }
    if (struct instanceof Y.Skip) continue;
    count += 1;
    const problem = struct instanceof Y.Item ? contentProblem(struct, rules) : null;
    if (problem) return { kind: 'refuse', reason: problem };
  }

  // What is known of each client once this update is in: the document's, extended by the update.
  const ends = new Map<number, number>();
  const needs: Need[] = [];
  for (const struct of structs) {
    const { client, clock } = struct.id;
    const end = ends.get(client) ?? Y.getState(doc.store, client);
    if (struct instanceof Y.Skip) continue;
    if (clock > end)
      needs.push({ client, clock: clock - 1 }); // a gap before this struct
    else ends.set(client, Math.max(end, clock + struct.length));
  }
  const endOf = (client: number): number => ends.get(client) ?? Y.getState(doc.store, client);
  const need = (id: Y.ID | null): void => {
    if (id && id.clock >= endOf(id.client)) needs.push({ client: id.client, clock: id.clock });
  };
  for (const struct of structs) {
    if (!(struct instanceof Y.Item)) continue;
    need(struct.origin);
    need(struct.rightOrigin);
    if (struct.parent instanceof Y.ID) need(struct.parent);
  }
  for (const [client, ranges] of ds.clients) {
    for (const { clock, len } of ranges) {
      const last = clock + len - 1;
      if (last < endOf(client)) continue;
      if (last >= (pendingCovers.get(client) ?? 0)) {
        return { kind: 'refuse', reason: 'deletes content the board has not seen', unseen: true };
      }
      needs.push({ client, clock: last });
    }
  }
  if (needs.length > 0) {
    const brings = new Map<number, ClockRange>();
    for (const struct of structs) {
      if (struct instanceof Y.Skip) continue;
      const { client, clock } = struct.id;
      const range = brings.get(client);
      if (range) range.end = Math.max(range.end, clock + struct.length);
      else brings.set(client, { start: clock, end: clock + struct.length });
    }
    return { kind: 'wait', structs: count, needs, brings };
  }

  if (deletesServerContent(doc, ds)) return { kind: 'refuse', reason: 'only the server writes check-ins' };
  const problems = judgePlacement(doc, structs, rules, true, true, ds);
  const [first] = problems.values();
  return first ? { kind: 'refuse', reason: first } : { kind: 'apply', structs: count };
}

/** Whether everything `needs` names is in the document now (the update may be checked again). */
export function needsMet(doc: Y.Doc, needs: readonly Need[]): boolean {
  return needs.every(({ client, clock }) => clock < Y.getState(doc.store, client));
}

/**
 * Stored content from before these rules (or written by another tool): each item that breaks
 * them is replaced by a garbage-collected placeholder of the same id and length, so that the rest
 * of the board loads (Yjs then drops whatever sat inside a dropped type). `update` must be
 * self-contained (the whole stored document). Content whose dependencies are missing is left as
 * it is: it stays pending once applied, and the loader drops it.
 */
export function sanitizeStored(update: Uint8Array, rules: DocRules): { update: Uint8Array; dropped: number } {
  const decoded = decode(update);
  if (!decoded) throw new Error('the stored document cannot be read');
  const problems = new Map<Y.Item, string>();
  for (const struct of decoded.structs) {
    if (!(struct instanceof Y.Item)) continue;
    const problem = contentProblem(struct, rules);
    if (problem) problems.set(struct, problem);
  }
  const empty = new Y.Doc();
  for (const [item, problem] of judgePlacement(empty, decoded.structs, rules, false, false, decoded.ds))
    problems.set(item, problem);
  empty.destroy();
  if (problems.size === 0) return { update, dropped: 0 };
  const placeholder = (struct: Struct): Struct =>
    struct instanceof Y.Item && problems.has(struct) ? new Y.GC(struct.id, struct.length) : struct;
  return { update: encodeStructs(decoded.structs, decoded.ds.clients, placeholder), dropped: problems.size };
}

/** What is wrong with an item's content in itself, wherever it goes (null: nothing). */
function contentProblem(item: Y.Item, rules: DocRules): string | null {
  const parent = item.parent as unknown;
  if (typeof parent === 'string' && !KNOWN_ROOTS.has(parent)) return `unknown root "${parent.slice(0, 40)}"`;
  if (item.parentSub !== null && item.parentSub.length > rules.maxKeyChars) return 'map key too long';
  const content = item.content;
  if (content instanceof Y.ContentAny) {
    for (const value of content.arr as unknown[]) {
      if (value === null || value === undefined) continue;
      if (typeof value === 'boolean' || typeof value === 'number') continue;
      if (typeof value === 'string' && value.length <= rules.maxFieldChars) continue;
      return typeof value === 'string'
        ? 'text value too long'
        : 'values must be text, numbers, true/false or null';
    }
    return null;
  }
  if (content instanceof Y.ContentString) {
    return content.str.length > rules.maxFieldChars ? 'text too long' : null;
  }
  if (content instanceof Y.ContentType) {
    return isMapType(content.type) || isTextType(content.type) ? null : 'only maps and texts may be nested';
  }
  if (content instanceof Y.ContentDeleted) return null;
  return 'content of a kind the board does not use';
}

// Exact constructors: Y.XmlText extends Y.Text, and XML types are not part of the layout.
function isMapType(type: unknown): boolean {
  return type instanceof Y.Map && type.constructor === Y.Map;
}
function isTextType(type: unknown): boolean {
  return type instanceof Y.Text && type.constructor === Y.Text;
}

/**
 * A type an item lives in once integrated: a map (a root or a Y.Map) or a text, `depth` types
 * below its root; `docType` when it is in the document already, `holder` when this update
 * creates it. One object per type, shared by every item in it.
 */
interface Place {
  kind: 'map' | 'text';
  /** The root it lives under (null: unknown). */
  root: string | null;
  depth: number;
  docType: AnyType | null;
  holder: Y.Item | null;
  /** The root's name, then the map keys down to this type (what shapes.ts judges entries by). */
  path: readonly string[];
}
/**
 * `gone`: the item's parent or neighbour is garbage already, so Yjs turns the item into garbage
 * itself; `unknown`: it depends on content that is missing; `loop`: its parent is not a type, or
 * its neighbours place each other in a circle.
 */
type Outcome = Place | 'gone' | 'unknown' | 'loop';

function contains(struct: Y.Item | Y.GC, id: Y.ID): boolean {
  return (
    struct.id.client === id.client &&
    id.clock >= struct.id.clock &&
    id.clock < struct.id.clock + struct.length
  );
}

/**
 * The update's structs by client, in clock order, found by binary search — as Yjs will see them:
 * an id the document has already is the document's (Yjs skips what it knows), so it is never
 * found here.
 */
class UpdateStructs {
  readonly #byClient = new Map<number, Array<Y.Item | Y.GC>>();
  readonly #all = new Set<Y.Item | Y.GC>();
  readonly #doc: Y.Doc;

  constructor(doc: Y.Doc, structs: readonly Struct[]) {
    this.#doc = doc;
    for (const struct of structs) {
      if (struct instanceof Y.Skip) continue;
      this.#all.add(struct);
      const list = this.#byClient.get(struct.id.client);
      if (list) list.push(struct);
      else this.#byClient.set(struct.id.client, [struct]);
    }
  }

  has(struct: Y.Item | Y.GC): boolean {
    return this.#all.has(struct);
  }

  at(id: Y.ID): Y.Item | Y.GC | null {
    const list = this.#byClient.get(id.client);
    if (!list || id.clock < Y.getState(this.#doc.store, id.client)) return null;
    let low = 0;
    let high = list.length - 1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      const struct = list[middle] as Y.Item | Y.GC;
      if (id.clock < struct.id.clock) high = middle - 1;
      else if (id.clock >= struct.id.clock + struct.length) low = middle + 1;
      else return struct;
    }
    return null;
  }
}

/**
 * Finds every item's place (iteratively, through parent ids and neighbours, in the update or the
 * document) and what is wrong with it: the parent kind, the depth, text lengths and competing
 * insertions. With `firstOnly`, stops at the first problem.
 */
function judgePlacement(
  doc: Y.Doc,
  structs: readonly Struct[],
  rules: DocRules,
  firstOnly: boolean,
  /** A client's update: nothing may land under a server-only root. */
  fromClient = false,
  /** The update's deletes: content deleted as it arrives is read by nobody. */
  ds?: Decoded['ds'],
): Map<Y.Item, string> {
  const problems = new Map<Y.Item, string>();
  const update = new UpdateStructs(doc, structs);
  const docStructAt = (id: Y.ID): Y.Item | Y.GC | null =>
    id.clock < Y.getState(doc.store, id.client) ? Y.getItem(doc.store, id) : null;

  let rootNames: Map<AnyType, string> | null = null;
  const rootName = (type: AnyType): string => {
    rootNames ??= new Map([...doc.share].map(([name, root]) => [root, name]));
    return rootNames.get(type) ?? '';
  };
  const rootPlaces = new Map<string, Place>();
  const docPlaces = new Map<AnyType, Outcome>();
  const rootNameCache = new Map<AnyType, string | null>();
  const holderPlaces = new Map<Y.Item, Place>();
  const rootPlace = (name: string): Place => {
    let place = rootPlaces.get(name);
    if (!place) {
      place = {
        kind: 'map',
        root: name,
        depth: 0,
        docType: doc.share.get(name) ?? null,
        holder: null,
        path: [name],
      };
      rootPlaces.set(name, place);
    }
    return place;
  };
  const docTypePlace = (type: AnyType): Outcome => {
    let place = docPlaces.get(type);
    if (place) return place;
    let depth = 0;
    const keys: string[] = [];
    let top: AnyType = type;
    for (let item = type._item; item && depth <= rules.maxDepth; item = (item.parent as AnyType)._item) {
      depth += 1;
      keys.unshift(item.parentSub ?? '');
      top = item.parent as AnyType;
    }
    // The document only ever holds checked content: deeper than the bound, it is garbage here.
    place =
      depth > rules.maxDepth
        ? 'gone'
        : {
            kind: isTextType(type) ? 'text' : 'map',
            root: rootNameOf(type, rootNameCache),
            depth,
            docType: type,
            holder: null,
            path: [rootName(top), ...keys],
          };
    docPlaces.set(type, place);
    return place;
  };
  const insideHolder = (holder: Y.Item, outer: Place): Place => {
    let place = holderPlaces.get(holder);
    if (!place) {
      const type = (holder.content as Y.ContentType).type;
      place = {
        kind: isTextType(type) ? 'text' : 'map',
        root: outer.root,
        depth: outer.depth + 1,
        docType: null,
        holder,
        path: [...outer.path, subOf(holder) ?? ''],
      };
      holderPlaces.set(holder, place);
    }
    return place;
  };

  const places = new Map<Y.Item, Outcome>();
  /** The map key of items placed through a neighbour (the others carry their own). */
  const inheritedSub = new Map<Y.Item, string | null>();
  /**
   * What an item's place depends on: an outcome known outright, or another item of the update
   * (its parent type: one level deeper; or its neighbour: the same place and key).
   */
  const step = (item: Y.Item): Outcome | { via: Y.Item; deeper: boolean } => {
    const parent = item.parent as unknown;
    if (typeof parent === 'string') return rootPlace(parent);
    if (parent instanceof Y.ID) {
      const holder = update.at(parent) ?? docStructAt(parent);
      if (!holder) return 'unknown';
      if (holder instanceof Y.GC) return 'gone';
      if (!(holder.content instanceof Y.ContentType) || holder.id.clock !== parent.clock) return 'loop';
      if (update.has(holder)) return { via: holder, deeper: true };
      return docTypePlace(holder.content.type as AnyType);
    }
    const neighbourId = item.origin ?? item.rightOrigin;
    const neighbour = neighbourId ? (update.at(neighbourId) ?? docStructAt(neighbourId)) : null;
    if (!neighbour) return 'unknown';
    if (neighbour instanceof Y.GC) return 'gone';
    if (update.has(neighbour)) return { via: neighbour, deeper: false };
    const type = neighbour.parent as AnyType | null;
    if (!type) return 'gone';
    inheritedSub.set(item, neighbour.parentSub);
    return docTypePlace(type);
  };
  const subOf = (item: Y.Item): string | null =>
    inheritedSub.has(item) ? (inheritedSub.get(item) ?? null) : item.parentSub;
  const resolve = (item: Y.Item): Outcome => {
    // Most items sit directly in a root or a known type: no chain to follow.
    const known = places.get(item);
    if (known) return known;
    const first = step(item);
    if (typeof first === 'string' || !('via' in first)) {
      places.set(item, first);
      return first;
    }
    const chain: Array<{ item: Y.Item; deeper: boolean; via: Y.Item }> = [];
    const visiting = new Set<Y.Item>();
    let cursor = item;
    let outcome: Outcome;
    for (;;) {
      const known = places.get(cursor);
      if (known) {
        outcome = known;
        break;
      }
      if (visiting.has(cursor)) {
        outcome = 'loop';
        break;
      }
      visiting.add(cursor);
      const next = step(cursor);
      if (typeof next === 'string' || !('via' in next)) {
        places.set(cursor, next);
        outcome = next;
        break;
      }
      chain.push({ item: cursor, deeper: next.deeper, via: next.via });
      cursor = next.via;
    }
    for (let i = chain.length - 1; i >= 0; i--) {
      const { item: link, deeper, via } = chain[i] as { item: Y.Item; deeper: boolean; via: Y.Item };
      if (typeof outcome !== 'string') {
        if (deeper) outcome = insideHolder(via, outcome);
        else inheritedSub.set(link, subOf(via));
      }
      places.set(link, outcome);
    }
    return outcome;
  };

  const textChars = new Map<Place, { chars: number; items: Y.Item[] }>();
  const keyItems = new Map<Place, Map<string, Y.Item[]>>();
  const textItems: Array<{ item: Y.Item; place: Place }> = [];
  for (const struct of structs) {
    if (!(struct instanceof Y.Item)) continue;
    const known = Y.getState(doc.store, struct.id.client) - struct.id.clock;
    // Clocks the document has already: Yjs skips them, and places what follows right after
    // them — which is only sound if the struct was placed there too (an honest re-send is).
    if (known >= struct.length) continue;
    const place = resolve(struct);
    if (place === 'gone' || place === 'unknown') continue;
    const sub = subOf(struct);
    const content = struct.content;
    let problem: string | null = null;
    if (known > 0 && !continuesInPlace(doc, struct, place, sub))
      problem = 'content that overlaps the board’s elsewhere';
    else if (place === 'loop') problem = 'a parent that is not a map or a text';
    else if (fromClient && place.root !== null && SERVER_ROOTS.has(place.root))
      problem = 'only the server writes check-ins';
    else if (place.kind === 'map') {
      if (sub === null) problem = 'a map holds entries under keys, not a list';
      else if (content instanceof Y.ContentString) problem = 'text pieces outside a text';
      else if (content instanceof Y.ContentType && place.depth + 1 > rules.maxDepth)
        problem = 'types nested too deep';
      // Yjs reads the last of a map entry's values, and every check here reads the first: a live
      // entry holds one (only a deleted run, from a client that keeps deleted content, holds more).
      else if (content instanceof Y.ContentAny && content.arr.length !== 1 && !deletedBy(ds, struct))
        problem = 'a map entry holds one value';
      else problem = shapeProblem(place.path, sub, content) ?? themeShapeProblem(place, sub, content);
      if (problem === null && sub !== null) {
        let keys = keyItems.get(place);
        if (!keys) keyItems.set(place, (keys = new Map<string, Y.Item[]>()));
        const items = keys.get(sub);
        if (items) items.push(struct);
        else keys.set(sub, [struct]);
      }
    } else if (sub !== null) problem = 'a text holds a list, not keys';
    else if (content instanceof Y.ContentString || content instanceof Y.ContentDeleted) {
      if (content instanceof Y.ContentString) {
        const added = textChars.get(place) ?? { chars: 0, items: [] };
        added.chars += content.str.length;
        added.items.push(struct);
        textChars.set(place, added);
      }
      textItems.push({ item: struct, place });
    } else problem = 'a text holds only text';
    if (problem) {
      problems.set(struct, problem);
      if (firstOnly) return problems;
    }
  }

  for (const [place, { chars, items }] of textChars) {
    if ((place.docType?._length ?? 0) + chars <= rules.maxFieldChars) continue;
    for (const item of items) problems.set(item, 'text too long');
    if (firstOnly) return problems;
  }
  for (const [place, keys] of keyItems) {
    for (const [sub, items] of keys) {
      for (const item of contestedMapItems(doc, place.docType, sub, items, update, rules)) {
        problems.set(item, 'too many concurrent edits of one field');
        if (firstOnly) return problems;
      }
    }
  }
  for (const item of contestedTextItems(doc, textItems, update, rules)) {
    problems.set(item, 'too many concurrent insertions at one place');
    if (firstOnly) return problems;
  }
  return problems;
}

/** Whether `ds` deletes the whole of `item`. */
function deletedBy(ds: Decoded['ds'] | undefined, item: Y.Item): boolean {
  const { client, clock } = item.id;
  return (ds?.clients.get(client) ?? []).some(
    (range) => range.clock <= clock && range.clock + range.len >= clock + item.length,
  );
}

/** What is wrong with a map entry given where it goes (the layout's field shapes; null: nothing). */
function themeShapeProblem(place: Place, key: string, content: Y.Item['content']): string | null {
  const [root = '', ...path] = place.path;
  if (content instanceof Y.ContentType) {
    return themeEntryProblem(root, path, key, isTextType(content.type) ? 'text' : 'map');
  }
  if (content instanceof Y.ContentDeleted) return null;
  if (!(content instanceof Y.ContentAny)) return null;
  for (const value of content.arr as unknown[]) {
    const kind: EntryKind =
      value === null || value === undefined
        ? 'null'
        : typeof value === 'string'
          ? 'string'
          : typeof value === 'number'
            ? 'number'
            : 'boolean';
    const problem = themeEntryProblem(root, path, key, kind, value);
    if (problem) return problem;
  }
  return null;
}

/**
 * Whether a struct that starts inside content the document has continues it in the same place:
 * the document's struct just before its new part is an item of the same type and key.
 */
function continuesInPlace(doc: Y.Doc, struct: Y.Item, place: Outcome, sub: string | null): boolean {
  const before = Y.getItem(
    doc.store,
    Y.createID(struct.id.client, Y.getState(doc.store, struct.id.client) - 1),
  ) as Y.Item | Y.GC;
  if (!(before instanceof Y.Item) || typeof place === 'string') return false;
  return place.docType !== null && before.parent === place.docType && before.parentSub === sub;
}

/**
 * Insertions under one map key that would scan past too many others. An edit made on the latest
 * value (its origin is the key's current entry, or its own previous edit in this update) lands
 * without a scan. An edit made on an older value scans the entries written since; a first write
 * of a key that exists already scans its whole history — now and on every later load of the
 * board. Both are allowed while what they scan is short.
 */
function contestedMapItems(
  doc: Y.Doc,
  docType: AnyType | null,
  sub: string,
  items: readonly Y.Item[],
  update: UpdateStructs,
  rules: DocRules,
): Y.Item[] {
  const cap = rules.maxContested;
  const rightmost = docType?._map.get(sub) ?? null;
  // The common case, one write of a key: no bookkeeping.
  if (items.length === 1) {
    const only = items[0] as Y.Item;
    if (only.origin === null ? rightmost === null : update.at(only.origin) !== null) return [];
  }
  let history = 0;
  for (let cursor = rightmost; cursor && history <= cap; cursor = cursor.left) history += 1;
  const children = new Map<string, number>();
  const over: Y.Item[] = [];
  for (const item of items) {
    const origin = item.origin;
    const originKey = origin ? `${origin.client}:${origin.clock}` : 'start';
    const siblings = (children.get(originKey) ?? 0) + 1;
    children.set(originKey, siblings);
    let scanned = siblings - 1;
    if (origin === null) {
      scanned += history;
    } else if (!update.at(origin)) {
      // Entries written after the origin, in the document.
      const left = Y.getItem(doc.store, origin) as Y.Item | Y.GC;
      for (
        let cursor = left instanceof Y.Item ? left.right : null;
        cursor && scanned <= cap;
        cursor = cursor.right
      ) {
        scanned += 1;
      }
    }
    if (scanned > cap) over.push(item);
  }
  return over;
}

/**
 * Insertions into texts that would scan past too many others. Typing lands right after its
 * origin with nothing in between; an insertion at a place where others were inserted
 * concurrently makes Yjs scan past them: allowed while they are few.
 */
function contestedTextItems(
  doc: Y.Doc,
  entries: ReadonlyArray<{ item: Y.Item; place: Place }>,
  update: UpdateStructs,
  rules: DocRules,
): Y.Item[] {
  const siblings = new Map<Place, Map<string, number>>();
  const over: Y.Item[] = [];
  for (const { item, place } of entries) {
    const origin = item.origin;
    const originKey = origin ? `${origin.client}:${origin.clock}` : 'start';
    let counts = siblings.get(place);
    if (!counts) siblings.set(place, (counts = new Map<string, number>()));
    const count = (counts.get(originKey) ?? 0) + 1;
    counts.set(originKey, count);
    let between = 0;
    const docType = place.docType;
    if (docType && !(origin && update.at(origin))) {
      // What lies between the origin and the right origin in the document (counted up to the cap).
      let next: Y.Item | null;
      if (origin) {
        const left = Y.getItem(doc.store, origin) as Y.Item | Y.GC;
        next =
          left instanceof Y.GC ? null : origin.clock < left.id.clock + left.length - 1 ? left : left.right;
      } else {
        next = docType._start;
      }
      const right = item.rightOrigin;
      while (next && !(right && contains(next, right)) && between <= rules.maxContested) {
        between += 1;
        next = next.right;
      }
    }
    if (between + count > rules.maxContested) over.push(item);
  }
  return over;
}
