/**
 * Answer cards the server writes itself (docs/session.md#private-and-anonymous-answers): a held
 * answer keeps its id when it reaches the board, so writing it twice (a reveal retried after a
 * failed store) places one card, not two.
 */
import * as Y from 'yjs';
import { isId } from '../ids';
import { newItem } from './commands';
import { ROOT } from './layout';
import { newText } from './text';

export interface PlacedAnswer {
  id: string;
  questionId: string;
  text: string;
  /** '' for an anonymous answer: the card names nobody. */
  authorId: string;
  createdAt: number;
}

/** Writes each answer as a card, in the order given, skipping ids already on the board. */
export function placeAnswers(doc: Y.Doc, answers: readonly PlacedAnswer[], origin: unknown): void {
  if (answers.length === 0) return;
  doc.transact(() => {
    const cards = doc.getMap(ROOT.cards);
    for (const answer of answers) {
      if (cards.has(answer.id)) continue;
      cards.set(
        answer.id,
        newItem({
          id: answer.id,
          questionId: answer.questionId,
          text: newText(answer.text),
          authorId: isId(answer.authorId) ? answer.authorId : '',
          createdAt: answer.createdAt,
        }),
      );
    }
  }, origin);
}

/** Whether the board has this question (of any section). */
export function hasQuestion(doc: Y.Doc, questionId: string): boolean {
  return isId(questionId) && doc.getMap(ROOT.questions).get(questionId) instanceof Y.Map;
}

/** The question a card answers, or null when there is no such card. */
export function questionOfCard(doc: Y.Doc, cardId: string): string | null {
  const card = doc.getMap(ROOT.cards).get(cardId);
  if (!(card instanceof Y.Map)) return null;
  const questionId: unknown = card.get('questionId');
  return isId(questionId) ? questionId : null;
}
