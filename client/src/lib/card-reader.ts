/**
 * The board's cards by question, as `readCardsByQuestion` gives them, but each card read again only
 * when something in it changed: a keystroke in one card of 2,000 then reads one card, not 2,000
 * (docs/quality.md#the-client-on-a-big-board). One deep observer on the cards root says which.
 */
import type * as Y from 'yjs';
import { readCard, ROOT, sortCards, type Card } from '../../../shared/board';

export class CardReader {
  readonly #root: Y.Map<unknown>;
  /** Each entry of the root as read last (null: not a well-formed card); dropped when it changes. */
  readonly #read = new Map<string, Card | null>();
  readonly #forget: (events: Array<Y.YEvent<Y.AbstractType<unknown>>>) => void;

  constructor(doc: Y.Doc) {
    this.#root = doc.getMap(ROOT.cards);
    this.#forget = (events) => {
      for (const event of events) {
        if (event.target === this.#root) {
          const changed = (event as Y.YMapEvent<unknown>).keysChanged as Set<string>;
          for (const id of changed) this.#read.delete(id);
        } else {
          // Something inside one card (a field, its text): the first step of the path is its id.
          const id = event.path[0];
          if (typeof id === 'string') this.#read.delete(id);
        }
      }
    };
    this.#root.observeDeep(this.#forget);
  }

  /** Well-formed cards grouped by question id, each group in display order. */
  byQuestion(): Map<string, Card[]> {
    const groups = new Map<string, Card[]>();
    for (const [id, value] of this.#root.entries()) {
      let card = this.#read.get(id);
      if (card === undefined) {
        card = readCard(id, value);
        this.#read.set(id, card);
      }
      if (!card) continue;
      const group = groups.get(card.questionId);
      if (group) group.push(card);
      else groups.set(card.questionId, [card]);
    }
    for (const group of groups.values()) sortCards(group);
    return groups;
  }

  destroy(): void {
    this.#root.unobserveDeep(this.#forget);
  }
}
