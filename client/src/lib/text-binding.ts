/**
 * One text field of the board, bound for an editor (docs/sync.md#text-fields). The editor reads
 * `value`, writes what the person typed through `replace` (a delta on the field's `Y.Text`, made by
 * BoardState with the local origin) or `splice` (a change already placed), and hears of everyone
 * else's changes through `onChange`, with a function that maps a position in the old text to the
 * same place in the new one, so that a caret stays where it was in the words around it.
 */
import type * as Y from 'yjs';
import type { Ack } from '../../../shared/session/events';
import { textChange, textOf, type TextRef } from '../../../shared/board/text';

/** Maps a position (UTF-16 code units) in the text before a change to the text after it. */
export type PositionMap = (index: number) => number;

export type TextListener = (value: string, map: PositionMap) => void;

/** What BoardState does with an edit: one transaction with the local origin, answered as an Ack. */
export interface TextWriter {
  replace(ref: TextRef, after: string, caret?: number): Ack;
  splice(ref: TextRef, index: number, remove: number, insert: string): Ack;
}

type Delta = Array<{ insert?: unknown; retain?: number; delete?: number }>;

/** Positions through a Yjs delta: an insertion at the position itself leaves it before the insertion. */
function mapThroughDelta(delta: Delta): PositionMap {
  return (index) => {
    let old = 0;
    let shift = 0;
    for (const op of delta) {
      // Nothing at or after the position moves it.
      if (old >= index) break;
      if (op.retain !== undefined) old += op.retain;
      else if (typeof op.insert === 'string') {
        if (old < index) shift += op.insert.length;
      } else if (op.delete !== undefined) {
        shift -= Math.max(0, Math.min(op.delete, index - old));
        old += op.delete;
      }
    }
    return index + shift;
  };
}

/** Positions through a whole replacement (a stock client's string, a conversion): prefix and suffix kept. */
function mapThroughReplacement(before: string, after: string): PositionMap {
  const change = textChange(before, after);
  if (!change) return (index) => index;
  return (index) => {
    if (index <= change.index) return index;
    if (index >= change.index + change.remove) return index - change.remove + change.insert.length;
    return change.index + change.insert.length;
  };
}

export class TextBinding {
  readonly ref: TextRef;
  readonly #item: Y.Map<unknown>;
  readonly #writer: TextWriter;
  readonly #listeners = new Set<TextListener>();
  readonly #observer: (events: Array<Y.YEvent<Y.AbstractType<unknown>>>) => void;
  #last: string;

  constructor(item: Y.Map<unknown>, ref: TextRef, writer: TextWriter) {
    this.ref = ref;
    this.#item = item;
    this.#writer = writer;
    this.#last = this.value;
    this.#observer = (events) => {
      const field = this.#item.get(this.ref.field);
      const steps: PositionMap[] = [];
      let replaced = false;
      for (const event of events) {
        if (event.target === field) steps.push(mapThroughDelta(event.delta));
        else if (
          event.target === this.#item &&
          (event as Y.YMapEvent<unknown>).keysChanged.has(this.ref.field)
        )
          replaced = true;
      }
      const value = this.value;
      if (value === this.#last) return;
      const mapped: PositionMap = replaced
        ? mapThroughReplacement(this.#last, value)
        : (index) => steps.reduce((at, step) => step(at), index);
      this.#last = value;
      for (const listener of this.#listeners) listener(value, mapped);
    };
    item.observeDeep(this.#observer);
  }

  /** The text now (empty when the field is missing). */
  get value(): string {
    return textOf(this.#item.get(this.ref.field)) ?? '';
  }

  /** Makes the text `after` by the smallest change; `caret` (in `after`) places an ambiguous one. */
  replace(after: string, caret?: number): Ack {
    return this.#written(this.#writer.replace(this.ref, after, caret));
  }

  /** Deletes `remove` code units at `index` and inserts `insert` there (a change placed by the editor). */
  splice(index: number, remove: number, insert: string): Ack {
    return this.#written(this.#writer.splice(this.ref, index, remove, insert));
  }

  /** Calls `listener` after every change of the text, mine included (the editor compares values). */
  onChange(listener: TextListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  destroy(): void {
    this.#listeners.clear();
    this.#item.unobserveDeep(this.#observer);
  }

  #written(ack: Ack): Ack {
    this.#last = this.value;
    return ack;
  }
}
