/**
 * Undo and redo per section: what I change while looking at a section is undone from that
 * section only, never out of sight in another. Every local transaction carries the origin of the
 * section on my screen; one Yjs undo manager per section tracks that origin alone, so it holds my
 * own changes made there (a teammate's changes have the sync provider as their origin, and are
 * never undone). No Svelte here: BoardState (board.svelte.ts) makes it reactive.
 */
import * as Y from 'yjs';
import { UNDO_ROOTS, undoScope, type RootName } from '../../../shared/board';
import { PHASES, type Phase } from '../../../shared/session/phases';

/** A section of the board with its own undo history: each phase is one. */
export type UndoSection = Phase;

/** The origin of this browser's transactions made while `section` is on screen. */
export const SECTION_ORIGINS: Readonly<Record<UndoSection, symbol>> = Object.freeze(
  Object.fromEntries(PHASES.map((phase) => [phase, Symbol(`local ${phase}`)])) as Record<UndoSection, symbol>,
);

const LOCAL_ORIGINS: ReadonlySet<unknown> = new Set(Object.values(SECTION_ORIGINS));

/**
 * Whether a transaction with this origin was made in this browser: a change I made in any
 * section, or an undo or redo of mine (whose origin is the undo manager that made it).
 */
export function isLocalOrigin(origin: unknown): boolean {
  return LOCAL_ORIGINS.has(origin) || origin instanceof Y.UndoManager;
}

/** What an undo or redo changed back: the part of the board it touched, when known. */
export interface UndoneChange {
  kind: 'undo' | 'redo';
  /** The first root of UNDO_ROOTS the change touched (deleting a question also deletes its cards: question). */
  what: RootName | null;
}

/** Where an undo stack item keeps the root its change touched. */
const WHAT = 'what';

/** What Yjs tells of a step added to an undo stack (the part read here). */
interface StackEvent {
  stackItem: { meta: Map<unknown, unknown> };
  /** Every shared type the step changed, with their parents up to the roots. */
  changedParentTypes: { keys(): Iterable<object> };
}

const isRootName = (value: unknown): value is RootName =>
  typeof value === 'string' && (UNDO_ROOTS as readonly string[]).includes(value);

/** One undo manager per section over the board's editable roots, each tracking its section's origin. */
export class SectionUndo {
  readonly #managers: Record<UndoSection, Y.UndoManager>;
  /** The root name of each shared type in the undo scope. */
  readonly #roots: Map<object, RootName>;

  /** `captureTimeout`: edits closer together than this (ms) are undone as one. */
  constructor(doc: Y.Doc, captureTimeout = 500) {
    const scope = undoScope(doc);
    this.#roots = new Map(
      scope.map((type, index): [object, RootName] => [type, UNDO_ROOTS[index] as RootName]),
    );
    this.#managers = Object.fromEntries(
      PHASES.map((section) => {
        const manager = new Y.UndoManager(scope, {
          // Read by Yjs only, never rendered: a plain Set.
          trackedOrigins: new Set([SECTION_ORIGINS[section]]),
          captureTimeout,
        });
        // Each step remembers what it touched, so that undoing it can say so.
        manager.on('stack-item-added', (event: StackEvent) => this.#remember(event));
        manager.on('stack-item-updated', (event: StackEvent) => this.#remember(event));
        return [section, manager];
      }),
    ) as Record<UndoSection, Y.UndoManager>;
  }

  #remember({ stackItem, changedParentTypes }: StackEvent): void {
    if (stackItem.meta.has(WHAT)) return;
    const touched = new Set<RootName>();
    for (const type of changedParentTypes.keys()) {
      const root = this.#roots.get(type);
      if (root) touched.add(root);
    }
    const first = UNDO_ROOTS.find((root) => touched.has(root));
    if (first) stackItem.meta.set(WHAT, first);
  }

  /** The origin of my transactions while `section` is on screen. */
  origin(section: UndoSection): symbol {
    return SECTION_ORIGINS[section];
  }

  canUndo(section: UndoSection): boolean {
    return this.#managers[section].canUndo();
  }

  canRedo(section: UndoSection): boolean {
    return this.#managers[section].canRedo();
  }

  /** Makes my next change in `section` a step of its own, however soon it follows the last. */
  stopCapturing(section: UndoSection): void {
    this.#managers[section].stopCapturing();
  }

  /** Undoes my last change made in `section`; null when there was none. */
  undo(section: UndoSection): UndoneChange | null {
    return this.#undone('undo', this.#managers[section].undo());
  }

  /** Redoes my last undone change in `section`; null when there was none. */
  redo(section: UndoSection): UndoneChange | null {
    return this.#undone('redo', this.#managers[section].redo());
  }

  #undone(kind: UndoneChange['kind'], item: { meta: Map<unknown, unknown> } | null): UndoneChange | null {
    if (!item) return null;
    const what = item.meta.get(WHAT);
    return { kind, what: isRootName(what) ? what : null };
  }

  /** Calls `listener` whenever any section's stacks change; returns how to stop. */
  subscribe(listener: () => void): () => void {
    const events = ['stack-item-added', 'stack-item-popped', 'stack-cleared'] as const;
    const managers = Object.values(this.#managers);
    for (const manager of managers) for (const event of events) manager.on(event, listener);
    return () => {
      for (const manager of managers) for (const event of events) manager.off(event, listener);
    };
  }

  destroy(): void {
    for (const manager of Object.values(this.#managers)) manager.destroy();
  }
}
