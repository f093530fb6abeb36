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

export class EditingPresence {
  readonly #awareness: Awareness;
  readonly #participantId: string;
  readonly #watch: () => void;

  constructor(awareness: Awareness, participantId: string) {
    this.#awareness = awareness;
    this.#participantId = participantId;
    awareness.setLocalState({ participant: participantId, editing: null });
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
    const key = textKey(ref);
    const found: string[] = [];
    for (const [clientId, state] of this.#awareness.getStates()) {
      if (clientId === this.#awareness.clientID) continue;
      const entry = stateOf(state);
      if (entry?.editing !== key || entry.participant === this.#participantId) continue;
      if (!found.includes(entry.participant)) found.push(entry.participant);
    }
    return found;
  }
}
