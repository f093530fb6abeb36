/**
 * Who is editing which text, over the sync connection's presence (docs/sync.md#presence): my state
 * is `{participant, editing}`, `editing` naming a text as `<root>/<id>/<field>` (or null). The server
 * keeps each entry its owner's; the names come from the meeting's participant list, never from here.
 */
import { createSubscriber } from 'svelte/reactivity';
import type { Awareness } from 'y-protocols/awareness';
import { textKey, type TextRef } from '../../../shared/board/text';

function stateOf(state: unknown): { participant: string; editing: string } | null {
  if (typeof state !== 'object' || state === null) return null;
  const { participant, editing } = state as Record<string, unknown>;
  return typeof participant === 'string' && typeof editing === 'string' ? { participant, editing } : null;
}

const NOBODY: string[] = [];

export class EditingPresence {
  readonly #awareness: Awareness;
  readonly #participantId: string;
  readonly #watch: () => void;
  /** Editors by text key, until presence changes (null: to be read again). */
  #editors: Map<string, string[]> | null = null;

  constructor(awareness: Awareness, participantId: string) {
    this.#awareness = awareness;
    this.#participantId = participantId;
    awareness.setLocalState({ participant: participantId, editing: null });
    awareness.on('change', () => (this.#editors = null));
    this.#watch = createSubscriber((update) => {
      awareness.on('change', update);
      return () => awareness.off('change', update);
    });
  }

  /** Says which text I am editing now (null: none). */
  setEditing(ref: TextRef | null): void {
    this.#awareness.setLocalStateField('editing', ref ? textKey(ref) : null);
  }

  /** The participant ids of the others editing this text now (each once; never me). */
  editorsOf(ref: TextRef): string[] {
    this.#watch();
    return this.#byText().get(textKey(ref)) ?? NOBODY;
  }

  /** The participant ids editing each text now, by text key (never me). */
  editedTexts(): ReadonlyMap<string, readonly string[]> {
    this.#watch();
    return this.#byText();
  }

  /**
   * Who edits what, read once per change of presence: every card on a board asks, and a board
   * may hold thousands (docs/quality.md#the-client-on-a-big-board).
   */
  #byText(): Map<string, string[]> {
    if (this.#editors) return this.#editors;
    // eslint-disable-next-line svelte/prefer-svelte-reactivity -- a cache, dropped on each change of presence
    const editors = new Map<string, string[]>();
    for (const [clientId, state] of this.#awareness.getStates()) {
      if (clientId === this.#awareness.clientID) continue;
      const entry = stateOf(state);
      if (!entry || entry.participant === this.#participantId) continue;
      const found = editors.get(entry.editing);
      if (!found) editors.set(entry.editing, [entry.participant]);
      else if (!found.includes(entry.participant)) found.push(entry.participant);
    }
    this.#editors = editors;
    return editors;
  }
}
