/**
 * The board document as reactive state for the components, which never see Yjs. Reads are
 * derived from the document; every gesture is one command of shared/board with the local origin,
 * so the undo manager undoes my own edits only, never a teammate's. Commands answer with an
 * acknowledgement (`Ack`), as session requests do: refusals are data, never thrown.
 */
import { createSubscriber } from 'svelte/reactivity';
import * as Y from 'yjs';
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
  readCardsByQuestion,
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
  undoScope,
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
} from '../../../shared/board';

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

const UNDO_STACK_EVENTS = ['stack-item-added', 'stack-item-popped', 'stack-cleared'] as const;

/** The origin of every transaction made by this browser's user. */
export const LOCAL_ORIGIN = Symbol('local');

export class BoardState {
  readonly #doc: Y.Doc;
  readonly #undo: Y.UndoManager;
  /** Readers call this: the document is observed while something on screen reads the board. */
  readonly #watchDoc = createSubscriber((update) => observeBoard(this.#doc, update));
  /** The same for the undo stacks, which change on my edits, undos and redos. */
  readonly #watchUndo = createSubscriber((update) => {
    for (const event of UNDO_STACK_EVENTS) this.#undo.on(event, update);
    return () => {
      for (const event of UNDO_STACK_EVENTS) this.#undo.off(event, update);
    };
  });

  readonly meta = $derived.by(() => (this.#watchDoc(), readMeta(this.#doc)));
  readonly discoverQuestions: Question[] = $derived.by(
    () => (this.#watchDoc(), readQuestions(this.#doc, 'discover')),
  );
  readonly goals: Goal[] = $derived.by(() => (this.#watchDoc(), readGoals(this.#doc)));
  readonly commitments: Commitment[] = $derived.by(() => (this.#watchDoc(), readCommitments(this.#doc)));
  readonly cardsByQuestion: Map<string, Card[]> = $derived.by(
    () => (this.#watchDoc(), readCardsByQuestion(this.#doc)),
  );
  /** The day-to-day map: hats with who wears them, recurring tasks with everyone's answers. */
  readonly hats: WornHat[] = $derived.by(() => (this.#watchDoc(), readWornHats(this.#doc)));
  readonly tasks: Task[] = $derived.by(() => (this.#watchDoc(), readTasks(this.#doc)));
  readonly load: LoadSummary = $derived(summariseLoad(this.hats, this.tasks));
  readonly canUndo = $derived.by(() => (this.#watchUndo(), this.#undo.canUndo()));
  readonly canRedo = $derived.by(() => (this.#watchUndo(), this.#undo.canRedo()));

  constructor(doc: Y.Doc) {
    this.#doc = doc;
    this.#undo = new Y.UndoManager(undoScope(doc), {
      // Read by Yjs only, never rendered: a plain Set is right.
      // eslint-disable-next-line svelte/prefer-svelte-reactivity
      trackedOrigins: new Set([LOCAL_ORIGIN]),
      captureTimeout: 500,
    });
  }

  addCard(questionId: string, text: string, authorId: string): Ack<{ id: string }> {
    return run(() => ({ id: addCard(this.#doc, { questionId, text, authorId }, LOCAL_ORIGIN) }));
  }

  updateCard(id: string, text: string): Ack {
    return run(() => updateCard(this.#doc, id, text, LOCAL_ORIGIN));
  }

  deleteCard(id: string): Ack {
    return run(() => deleteCard(this.#doc, id, LOCAL_ORIGIN));
  }

  addQuestion(text: string, section: Section): Ack<{ id: string }> {
    return run(() => ({ id: addQuestion(this.#doc, { text, section }, LOCAL_ORIGIN) }));
  }

  addGoal(fields: Partial<GoalFields> & { title: string }, authorId: string): Ack<{ id: string }> {
    return run(() => ({ id: addGoal(this.#doc, fields, authorId, LOCAL_ORIGIN) }));
  }

  updateGoal(id: string, fields: Partial<GoalFields>): Ack {
    return run(() => updateGoal(this.#doc, id, fields, LOCAL_ORIGIN));
  }

  deleteGoal(id: string): Ack {
    return run(() => deleteGoal(this.#doc, id, LOCAL_ORIGIN));
  }

  addCommitment(text: string, owner = ''): Ack<{ id: string }> {
    return run(() => ({ id: addCommitment(this.#doc, { text, owner }, LOCAL_ORIGIN) }));
  }

  updateCommitment(id: string, fields: { text?: string; owner?: string }): Ack {
    return run(() => updateCommitment(this.#doc, id, fields, LOCAL_ORIGIN));
  }

  deleteCommitment(id: string): Ack {
    return run(() => deleteCommitment(this.#doc, id, LOCAL_ORIGIN));
  }

  setNextCheckIn(date: string | null): Ack {
    return run(() => setNextCheckIn(this.#doc, date, LOCAL_ORIGIN));
  }

  updateQuestion(id: string, text: string): Ack {
    return run(() => updateQuestion(this.#doc, id, text, LOCAL_ORIGIN));
  }

  moveQuestion(id: string, index: number): Ack {
    return run(() => moveQuestion(this.#doc, id, index, LOCAL_ORIGIN));
  }

  deleteQuestion(id: string): Ack {
    return run(() => deleteQuestion(this.#doc, id, LOCAL_ORIGIN));
  }

  /** Puts a hat on me, or takes it off; `worn` says which. */
  toggleHat(hatId: string, participantId: string): Ack<{ worn: boolean }> {
    return run(() => ({ worn: toggleHat(this.#doc, hatId, participantId, LOCAL_ORIGIN) }));
  }

  addHat(label: string): Ack<{ id: string }> {
    return run(() => ({ id: addHat(this.#doc, label, LOCAL_ORIGIN) }));
  }

  /** Refused while someone wears the hat (it may have been put on since the last render). */
  removeHat(hatId: string): Ack {
    return run(() => removeHat(this.#doc, hatId, LOCAL_ORIGIN));
  }

  /** My answer to a recurring-task question; null removes it. */
  setEstimate(questionId: string, participantId: string, estimate: Estimate | null): Ack {
    return run(() => setEstimate(this.#doc, questionId, participantId, estimate, LOCAL_ORIGIN));
  }

  addTask(text: string, kind: TaskKind): Ack<{ id: string }> {
    return run(() => ({ id: addTask(this.#doc, { text, kind }, LOCAL_ORIGIN) }));
  }

  undo(): void {
    this.#undo.undo();
  }

  redo(): void {
    this.#undo.redo();
  }

  destroy(): void {
    this.#undo.destroy();
  }
}
