/**
 * Generators of Yjs updates for property-based tests of the update guard (docs/sync.md, "What the
 * server accepts"): hand-built structs with random places, contents, references and deletes;
 * honest edits made on a replica; honest updates with bytes changed; deep chains. They aim at a
 * known board (`FUZZ_BOARD`), so that generated ids often name real structs.
 */
import fc from 'fast-check';
import * as Y from 'yjs';
import { ROOT, writeTemplate } from '../../shared/board';
import { deepMapChain, deleteRange, encodeUpdate } from './hostile-updates';

export const CLIENTS = [1_000_000_001, 1_000_000_002, 1_000_000_003];

/** A board with some content by a known client, so that generated ids often hit real structs. */
function board(): Y.Doc {
  const doc = new Y.Doc();
  doc.clientID = CLIENTS[0] as number;
  writeTemplate(doc, { title: 'Fuzz', locale: 'en', template: 'social-kickoff', createdAt: 1 });
  doc.transact(() => {
    const card = new Y.Map<unknown>();
    doc.getMap(ROOT.cards).set('card-fuzz-01', card);
    card.set('text', 'hello');
    const text = new Y.Text('typed text');
    card.set('notes', text);
    const nested = new Y.Map<unknown>();
    card.set('nested', nested);
    nested.set('deeper', new Y.Map());
  });
  return doc;
}

const base = board();
/** The whole fuzz board as one update (to give a live board the same ids). */
export const FUZZ_BOARD = Y.encodeStateAsUpdate(base);
const baseUpdate = FUZZ_BOARD;
const baseState = Y.getState(base.store, CLIENTS[0] as number);

/** A fresh copy of the fuzz board. */
export function fresh(): Y.Doc {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, baseUpdate);
  return doc;
}

/** Ids of what the board holds: every struct, and the types among them. */
const heldIds: Y.ID[] = [];
const typeIds: Y.ID[] = [];
for (const structs of base.store.clients.values()) {
  for (const struct of structs) {
    heldIds.push(struct.id, Y.createID(struct.id.client, struct.id.clock + struct.length - 1));
    if (struct instanceof Y.Item && struct.content instanceof Y.ContentType) typeIds.push(struct.id);
  }
}
const clientArb = fc.constantFrom(...CLIENTS, 7, 2 ** 31);
const idArb = fc.oneof(
  { arbitrary: fc.constantFrom(...heldIds), weight: 6 },
  {
    arbitrary: fc
      .record({ client: clientArb, clock: fc.oneof(fc.nat(baseState + 5), fc.nat(2 ** 20)) })
      .map(({ client, clock }) => Y.createID(client, clock)),
    weight: 1,
  },
);
const primitiveArb = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
);
const contentArb = fc.oneof(
  { arbitrary: primitiveArb.map((value) => new Y.ContentAny([value])), weight: 6 },
  {
    arbitrary: fc.string({ minLength: 1, maxLength: 20 }).map((text) => new Y.ContentString(text)),
    weight: 4,
  },
  { arbitrary: fc.constant(null).map(() => new Y.ContentType(new Y.Map())), weight: 3 },
  { arbitrary: fc.constant(null).map(() => new Y.ContentType(new Y.Text())), weight: 2 },
  fc
    .array(fc.anything({ maxDepth: 3 }), { minLength: 1, maxLength: 3 })
    .map((values) => new Y.ContentAny(values)),
  fc.string({ minLength: 1, maxLength: 20 }).map((text) => new Y.ContentString(text)),
  fc.constant(null).map(() => new Y.ContentType(new Y.Map())),
  fc.constant(null).map(() => new Y.ContentType(new Y.Text())),
  fc.constant(null).map(() => new Y.ContentType(new Y.Array())),
  fc.constant(null).map(() => new Y.ContentType(new Y.XmlElement('p'))),
  fc.integer({ min: 1, max: 5 }).map((len) => new Y.ContentDeleted(len)),
  fc.uint8Array({ maxLength: 8 }).map((bytes) => new Y.ContentBinary(bytes)),
  fc.string({ maxLength: 8 }).map((key) => new Y.ContentFormat(key, true)),
  fc.constant(null).map(() => new Y.ContentEmbed({ image: 'x' })),
);
const parentArb = fc.oneof(
  { arbitrary: fc.constantFrom(...Object.values(ROOT)), weight: 3 },
  { arbitrary: fc.constantFrom(...typeIds), weight: 4 },
  { arbitrary: fc.constantFrom('unknown-root', ''), weight: 1 },
  { arbitrary: idArb, weight: 1 },
  { arbitrary: fc.constant(null), weight: 1 },
);

/** One hand-built update: a few structs with random places, content and references, and deletes. */
export const handBuiltArb = fc
  .record({
    structs: fc.array(
      fc.record({
        client: clientArb,
        parent: parentArb,
        parentSub: fc.option(fc.constantFrom('text', 'title', 'k', 'card-fuzz-01', 'x'.repeat(200))),
        origin: fc.option(idArb, { freq: 2 }),
        rightOrigin: fc.option(idArb, { freq: 3 }),
        content: contentArb,
      }),
      { maxLength: 5 },
    ),
    deletes: fc.oneof(
      { arbitrary: fc.constant([]), weight: 3 },
      {
        arbitrary: fc.array(
          fc.oneof(
            idArb.map(({ client, clock }) => ({ client, clock, len: 1 })),
            fc.record({
              client: clientArb,
              clock: fc.nat(baseState + 50),
              len: fc.integer({ min: 1, max: 2 ** 20 }),
            }),
          ),
          { minLength: 1, maxLength: 2 },
        ),
        weight: 2,
      },
    ),
  })
  .map(({ structs, deletes }) => {
    const clocks = new Map<number, number>();
    const items = structs.map((spec) => {
      const start = spec.client === CLIENTS[0] ? baseState : 0;
      const clock = clocks.get(spec.client) ?? start;
      const item = new Y.Item(
        Y.createID(spec.client, clock),
        null,
        spec.origin,
        null,
        spec.rightOrigin,
        (spec.origin || spec.rightOrigin ? null : (spec.parent ?? ROOT.cards)) as unknown as Y.ID,
        spec.origin || spec.rightOrigin ? null : spec.parentSub,
        spec.content,
      );
      clocks.set(spec.client, clock + item.length);
      return item;
    });
    return encodeUpdate(items, deletes);
  });

/** Honest-looking edits made on a replica, as a client would send them. */
export const honestArb = fc
  .array(
    fc.record({
      op: fc.constantFrom('set', 'nest', 'text', 'type', 'delete', 'untype'),
      key: fc.constantFrom('a', 'b', 'card-fuzz-01', 'title'),
      value: primitiveArb,
      at: fc.nat(20),
    }),
    { minLength: 1, maxLength: 15 },
  )
  .map((ops) => {
    const replica = fresh();
    replica.clientID = CLIENTS[1] as number;
    const before = Y.encodeStateVector(replica);
    const card = replica.getMap(ROOT.cards).get('card-fuzz-01') as Y.Map<unknown>;
    for (const { op, key, value, at } of ops) {
      const notes = card.get('notes');
      if (op === 'set') card.set(key, value);
      else if (op === 'nest') card.set(key, new Y.Map([['v', value]]));
      else if (op === 'text' && notes instanceof Y.Text)
        notes.insert(Math.min(at, notes.length), String(value));
      else if (op === 'untype' && notes instanceof Y.Text && notes.length > 0)
        notes.delete(0, Math.min(at + 1, notes.length));
      else if (op === 'delete') card.delete(key);
      else replica.getMap(ROOT.meta).set(key, value);
    }
    return Y.encodeStateAsUpdate(replica, before);
  });

/** An honest update with random bytes changed, inserted or removed. */
export const mutatedArb = fc
  .tuple(
    honestArb,
    fc.array(
      fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 }), fc.constantFrom('flip', 'insert', 'remove')),
      { minLength: 1, maxLength: 6 },
    ),
  )
  .map(([update, edits]) => {
    const bytes = [...update];
    for (const [where, value, kind] of edits) {
      const at = bytes.length === 0 ? 0 : where % bytes.length;
      if (kind === 'flip') bytes[at] = value;
      else if (kind === 'insert') bytes.splice(at, 0, value);
      else bytes.splice(at, 1);
    }
    return Uint8Array.from(bytes);
  });

/** Deep chains, with or without the delete of their top. */
export const deepArb = fc
  .tuple(fc.integer({ min: 1, max: 3_000 }), fc.boolean())
  .map(([depth, deleteTop]) => {
    const client = CLIENTS[2] as number;
    const chain = deepMapChain(depth, client);
    return deleteTop ? Y.mergeUpdates([chain, deleteRange(client, 0, 1)]) : chain;
  });
