/**
 * The board document as reactive state for the components, which never see Yjs. Reads are
 * derived from the document; every gesture is one command of shared/board with the origin of the
 * section on my screen (`#origin`), so undo and redo act on my own edits made in that section only,
 * never a teammate's, never out of sight (./undo.ts). Commands answer with an acknowledgement
 * (`Ack`), as session requests do: refusals are data, never thrown.
 */
import { createSubscriber } from 'svelte/reactivity';
import type * as Y from 'yjs';
import { AppError } from '../../../shared/errors';
import type { Ack } from '../../../shared/session/events';
import {
  addCard,
  addCommitment,
  addGoal,
  addHat,
  removeHat,
  addQuestion,
  addTask,
  deleteCard,
  deleteCommitment,
  deleteGoal,
  deleteQuestion,
  moveQuestion,
  observeBoard,
  readCommitments,
  readGoals,
  readMeta,
  readQuestions,
  readTasks,
  readWornHats,
  setEstimate,
  setNextCheckIn,
  summariseLoad,
  toggleHat,
  updateCard,
  updateCommitment,
  updateGoal,
  updateQuestion,
  spliceText,
  textItem,
  writeText,
  type TextRef,
  type Card,
  type Commitment,
  type Estimate,
  type Goal,
  type GoalFields,
  type LoadSummary,
  type Question,
  type Section,
  type Task,
  type TaskKind,
  type WornHat,
  type Theme,
  readThemesByQuestion,
  createTheme,
  addToTheme,
  removeFromTheme,
  dissolveTheme,
  goalFromTheme,
} from '../../../shared/board';
import { readCheckins, type Checkin } from '../../../shared/board/checkins';
import type { ThemeActions } from './themes';
import { TextBinding } from './text-binding';
import { keepGroups, keepItems } from './keep-unchanged';
import { CardReader } from './card-reader';
import { GoalLinksState } from './goal-links.svelte';
import { SectionUndo, type UndoneChange, type UndoSection } from './undo';

/**
 * Runs a command of shared/board and answers like the server answers a session request: a
 * refusal (an `AppError`, e.g. an empty text or a hat someone just put on) becomes an error
 * acknowledgement, so the interface handles both the same way. Anything else is a bug: thrown.
 */
function run<T extends object>(command: () => T | void): Ack<T> {
  try {
    return { ok: true, ...(command() as T) };
  } catch (error) {
    if (error instanceof AppError) return { ok: false, error: error.toBody() };
    throw error;
  }
}

export interface BoardStateOptions {
  /** The section on my screen (WorkshopState `viewing`): my edits are undone from there. */
  section: () => UndoSection;
  /** Told of every undo or redo that changed something, to say so. */
  onUndone?: (change: UndoneChange) => void;
}

export class BoardState {
  readonly #doc: Y.Doc;
  readonly #undo: SectionUndo;
  readonly #cards: CardReader;
  readonly #section: () => UndoSection;
  readonly #onUndone: (change: UndoneChange) => void;
  /** Readers call this: the document is observed while something on screen reads the board. */
  readonly #watchDoc = createSubscriber((update) => observeBoard(this.#doc, update));
  /** The same for the undo stacks, which change on my edits, undos and redos. */
  readonly #watchUndo = createSubscriber((update) => this.#undo.subscribe(update));

  readonly meta = $derived.by(() => (this.#watchDoc(), readMeta(this.#doc)));
  #lastQuestions: Question[] | undefined;
  readonly discoverQuestions: Question[] = $derived.by(
    () => (
      this.#watchDoc(),
      (this.#lastQuestions = keepItems(this.#lastQuestions, readQuestions(this.#doc, 'discover')))
    ),
  );
  readonly goals: Goal[] = $derived.by(() => (this.#watchDoc(), readGoals(this.#doc)));
  readonly commitments: Commitment[] = $derived.by(() => (this.#watchDoc(), readCommitments(this.#doc)));
  /** docs/sync.md#check-ins: written by the server only, read here. */
  readonly checkins: Checkin[] = $derived.by(() => (this.#watchDoc(), readCheckins(this.#doc)));
  /** What the last read gave, so that unchanged cards and themes stay the same objects (./keep-unchanged.ts). */
  #lastCards: Map<string, Card[]> | undefined;
  #lastThemes: Map<string, Theme[]> | undefined;
  readonly cardsByQuestion: Map<string, Card[]> = $derived.by(
    () => (this.#watchDoc(), (this.#lastCards = keepGroups(this.#lastCards, this.#cards.byQuestion()))),
  );
  /** Answers grouped into themes, per question (docs/product.md#themes). */
  readonly themesByQuestion: Map<string, Theme[]> = $derived.by(
    () => (
      this.#watchDoc(),
      (this.#lastThemes = keepGroups(this.#lastThemes, readThemesByQuestion(this.#doc)))
    ),
  );
  /** The day-to-day map: hats with who wears them, recurring tasks with everyone's answers. */
  readonly hats: WornHat[] = $derived.by(() => (this.#watchDoc(), readWornHats(this.#doc)));
  readonly tasks: Task[] = $derived.by(() => (this.#watchDoc(), readTasks(this.#doc)));
  readonly load: LoadSummary = $derived(summariseLoad(this.hats, this.tasks));
  /** Whether I have an edit to undo (redo) in the section on my screen. */
  readonly canUndo = $derived.by(() => (this.#watchUndo(), this.#undo.canUndo(this.#section())));
  readonly canRedo = $derived.by(() => (this.#watchUndo(), this.#undo.canRedo(this.#section())));
  /** The challenges lane and the metric glossary (./goal-links.svelte.ts). */
  readonly links: GoalLinksState;

  constructor(doc: Y.Doc, { section, onUndone = () => undefined }: BoardStateOptions) {
    this.#doc = doc;
    this.#section = section;
    this.#onUndone = onUndone;
    this.#undo = new SectionUndo(doc);
    this.#cards = new CardReader(doc);
    this.links = new GoalLinksState(doc, () => this.#origin);
  }

  /** The origin of every transaction I make now: that of the section on my screen (./undo.ts). */
  get #origin(): symbol {
    return this.#undo.origin(this.#section());
  }

  /**
   * One text field bound for a collaborative editor (docs/sync.md#text-fields): its value, its
   * changes by anyone, and edits of mine as deltas. Null when the item does not exist (any more).
   * The caller destroys it when the editor goes.
   */
  text(ref: TextRef): TextBinding | null {
    const item = textItem(this.#doc, ref);
    if (!item) return null;
    return new TextBinding(item, ref, {
      replace: (target, after, caret) =>
        run(() => void writeText(this.#doc, target, after, this.#origin, caret)),
      splice: (target, index, remove, insert) =>
        run(() => void spliceText(this.#doc, target, index, remove, insert, this.#origin)),
    });
  }

  addCard(questionId: string, text: string, authorId: string): Ack<{ id: string }> {
    return run(() => ({ id: addCard(this.#doc, { questionId, text, authorId }, this.#origin) }));
  }

  updateCard(id: string, text: string): Ack {
    return run(() => updateCard(this.#doc, id, text, this.#origin));
  }

  deleteCard(id: string): Ack {
    return run(() => deleteCard(this.#doc, id, this.#origin));
  }

  addQuestion(text: string, section: Section): Ack<{ id: string }> {
    return run(() => ({ id: addQuestion(this.#doc, { text, section }, this.#origin) }));
  }

  /** The theme gestures, made as `authorId`, each refusal passed to `report`. */
  themeActions(authorId: string, report: (ack: Ack) => void): ThemeActions {
    const doc = this.#doc;
    /** Each theme gesture is one undo step of its own (docs/product.md#themes), never merged. */
    const step = <T extends object>(command: () => T | void): Ack<T> => {
      this.#undo.stopCapturing(this.#section());
      const ack = run(command);
      this.#undo.stopCapturing(this.#section());
      report(ack);
      return ack;
    };
    return {
      group: (cardIds) => void step(() => void createTheme(doc, { cardIds, authorId }, this.#origin)),
      join: (themeId, cardId) => void step(() => addToTheme(doc, themeId, cardId, this.#origin)),
      ungroupCard: (cardId) => void step(() => removeFromTheme(doc, cardId, this.#origin)),
      dissolve: (themeId) => void step(() => dissolveTheme(doc, themeId, this.#origin)),
      makeGoal: (themeId) => step(() => void goalFromTheme(doc, themeId, authorId, this.#origin)).ok,
    };
  }

  addGoal(fields: Partial<GoalFields> & { title: string }, authorId: string): Ack<{ id: string }> {
    return run(() => ({ id: addGoal(this.#doc, fields, authorId, this.#origin) }));
  }

  updateGoal(id: string, fields: Partial<GoalFields>): Ack {
    return run(() => updateGoal(this.#doc, id, fields, this.#origin));
  }

  deleteGoal(id: string): Ack {
    return run(() => deleteGoal(this.#doc, id, this.#origin));
  }

  addCommitment(text: string, owner = ''): Ack<{ id: string }> {
    return run(() => ({ id: addCommitment(this.#doc, { text, owner }, this.#origin) }));
  }

  updateCommitment(id: string, fields: { text?: string; owner?: string }): Ack {
    return run(() => updateCommitment(this.#doc, id, fields, this.#origin));
  }

  deleteCommitment(id: string): Ack {
    return run(() => deleteCommitment(this.#doc, id, this.#origin));
  }

  setNextCheckIn(date: string | null): Ack {
    return run(() => setNextCheckIn(this.#doc, date, this.#origin));
  }

  updateQuestion(id: string, text: string): Ack {
    return run(() => updateQuestion(this.#doc, id, text, this.#origin));
  }

  moveQuestion(id: string, index: number): Ack {
    return run(() => moveQuestion(this.#doc, id, index, this.#origin));
  }

  deleteQuestion(id: string): Ack {
    return run(() => deleteQuestion(this.#doc, id, this.#origin));
  }

  /** Puts a hat on me, or takes it off; `worn` says which. */
  toggleHat(hatId: string, participantId: string): Ack<{ worn: boolean }> {
    return run(() => ({ worn: toggleHat(this.#doc, hatId, participantId, this.#origin) }));
  }

  addHat(label: string): Ack<{ id: string }> {
    return run(() => ({ id: addHat(this.#doc, label, this.#origin) }));
  }

  /** Refused while someone wears the hat (it may have been put on since the last render). */
  removeHat(hatId: string): Ack {
    return run(() => removeHat(this.#doc, hatId, this.#origin));
  }

  /** My answer to a recurring-task question; null removes it. */
  setEstimate(questionId: string, participantId: string, estimate: Estimate | null): Ack {
    return run(() => setEstimate(this.#doc, questionId, participantId, estimate, this.#origin));
  }

  addTask(text: string, kind: TaskKind): Ack<{ id: string }> {
    return run(() => ({ id: addTask(this.#doc, { text, kind }, this.#origin) }));
  }

  /** Undoes my last edit made in the section on my screen. */
  undo(): void {
    const change = this.#undo.undo(this.#section());
    if (change) this.#onUndone(change);
  }

  /** Redoes my last undone edit in the section on my screen. */
  redo(): void {
    const change = this.#undo.redo(this.#section());
    if (change) this.#onUndone(change);
  }

  destroy(): void {
    this.#cards.destroy();
    this.#undo.destroy();
  }
}
