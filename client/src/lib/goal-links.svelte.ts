/**
 * The challenges lane and the metric glossary as reactive state (docs/product.md#challenges,
 * docs/product.md#metric-glossary). Made by BoardState, which lends it the document and the origin
 * of the section on my screen, so undo treats these gestures like any other edit there. Components
 * reach it through a Svelte context (`getGoalLinks`), like the text editors reach `collab`.
 */
import { getContext, setContext } from 'svelte';
import { createSubscriber } from 'svelte/reactivity';
import type * as Y from 'yjs';
import { AppError } from '../../../shared/errors';
import type { Ack } from '../../../shared/session/events';
import {
  addChallenge,
  addGlossaryEntry,
  deleteChallenge,
  deleteGlossaryEntry,
  metricLacksDefinition,
  observeBoard,
  readChallenges,
  readGlossary,
  readGoalChallenges,
  readGoalMetrics,
  readQuestions,
  setGoalChallenge,
  setGoalMetric,
  updateChallenge,
  type Challenge,
  type GlossaryEntry,
  type Goal,
} from '../../../shared/board';

function run<T extends object>(command: () => T | void): Ack<T> {
  try {
    return { ok: true, ...(command() as T) };
  } catch (error) {
    if (error instanceof AppError) return { ok: false, error: error.toBody() };
    throw error;
  }
}

/**
 * Whether a question asks which metrics the team reports: the kickoff template's fifth question,
 * or any question that names metrics (docs/product.md#metric-glossary).
 */
export function asksForMetrics(text: string): boolean {
  return /metric|métrique/i.test(text);
}

export class GoalLinksState {
  readonly #doc: Y.Doc;
  readonly #origin: () => unknown;
  readonly #watch = createSubscriber((update) => observeBoard(this.#doc, update));

  readonly challenges: Challenge[] = $derived.by(() => (this.#watch(), readChallenges(this.#doc)));
  readonly glossary: GlossaryEntry[] = $derived.by(() => (this.#watch(), readGlossary(this.#doc)));
  readonly goalChallenges: Map<string, Challenge[]> = $derived.by(
    () => (this.#watch(), readGoalChallenges(this.#doc)),
  );
  readonly goalMetrics: Map<string, GlossaryEntry> = $derived.by(
    () => (this.#watch(), readGoalMetrics(this.#doc)),
  );
  /** Ids of the questions that ask for metrics: their cards offer "add to the glossary". */
  readonly metricsQuestions: Set<string> = $derived.by(
    () => (
      this.#watch(),
      // eslint-disable-next-line svelte/prefer-svelte-reactivity -- a fresh set per read, never mutated
      new Set(
        readQuestions(this.#doc, 'discover')
          .filter((question) => asksForMetrics(question.text))
          .map((question) => question.id),
      )
    ),
  );

  constructor(doc: Y.Doc, origin: () => unknown) {
    this.#doc = doc;
    this.#origin = origin;
  }

  /** The flag on a goal card: its metric has no definition in the glossary. */
  lacksDefinition(goal: Goal): boolean {
    return metricLacksDefinition(goal, this.goalMetrics.get(goal.id));
  }

  addChallenge(title: string): Ack<{ id: string }> {
    return run(() => ({ id: addChallenge(this.#doc, title, this.#origin()) }));
  }

  /** docs/product.md#challenges: one undo step, like any edit in the section. */
  renameChallenge(id: string, title: string): Ack {
    return run(() => updateChallenge(this.#doc, id, title, this.#origin()));
  }

  deleteChallenge(id: string): Ack {
    return run(() => deleteChallenge(this.#doc, id, this.#origin()));
  }

  setGoalChallenge(goalId: string, challengeId: string, addressed: boolean): Ack {
    return run(() => setGoalChallenge(this.#doc, goalId, challengeId, addressed, this.#origin()));
  }

  addEntry(fields: { name: string; definition?: string }): Ack<{ id: string }> {
    return run(() => ({ id: addGlossaryEntry(this.#doc, fields, this.#origin()) }));
  }

  deleteEntry(id: string): Ack {
    return run(() => deleteGlossaryEntry(this.#doc, id, this.#origin()));
  }

  setGoalMetric(goalId: string, entryId: string | null): Ack {
    return run(() => setGoalMetric(this.#doc, goalId, entryId, this.#origin()));
  }
}

export interface GoalLinksContext {
  links: GoalLinksState;
  /** Shows a refused gesture; true when it went through. */
  report: (ack: Ack) => boolean;
}

const KEY = Symbol('goal-links');

export function setGoalLinks(context: GoalLinksContext): void {
  setContext(KEY, context);
}

/** The open board's challenges and glossary, or null outside a board (the parts then show nothing). */
export function getGoalLinks(): GoalLinksContext | null {
  return getContext<GoalLinksContext | undefined>(KEY) ?? null;
}
