/**
 * What a collaborative text editor needs from the open board, handed down as a Svelte context so
 * that the views between the workshop and the editors need not carry it (components still never
 * see Yjs: a `TextBinding` is an object with a value, edits and change events).
 */
import { getContext, setContext } from 'svelte';
import type { TextRef } from '../../../shared/board/text';
import type { Ack } from '../../../shared/session/events';
import type { TextBinding } from './text-binding';

export interface Collab {
  /** The text bound for an editor, or null when its item is gone; the editor destroys it. */
  bind(ref: TextRef): TextBinding | null;
  /** The names of the others editing this text now. */
  editorsOf(ref: TextRef): string[];
  /**
   * The texts the others are editing now, by key (`textKey`): one read for a view that shows
   * thousands of texts, where `editorsOf` would be asked once per text.
   */
  editedTexts(): ReadonlyMap<string, unknown>;
  /** Says which text I edit now (null: none). */
  setEditing(ref: TextRef | null): void;
  /** False while the board is locked for me. */
  canEdit(): boolean;
  /** Shows a refused edit to me; true when it went through. */
  report(ack: Ack): boolean;
}

const KEY = Symbol('collab');

export function setCollab(collab: Collab): void {
  setContext(KEY, collab);
}

/** The board's collaboration, or null outside a board (an editor then shows nothing to bind). */
export function getCollab(): Collab | null {
  return getContext<Collab | undefined>(KEY) ?? null;
}
