/**
 * One open board, from the moment I am known on it until I leave: the document's connection, the
 * meeting's session, the board model and the export preview are built and owned here, and what
 * the workshop's views render is read from here. Refusals of commands and of requests reach me the
 * same way, as notices; so do the meeting's announcements (phase moved, lock, votes revealed).
 */
import type { BoardSummary } from '../../../shared/api';
import { templateContent, type GoalSuggestion } from '../../../shared/board';
import type { Ack } from '../../../shared/session/events';
import type { Phase } from '../../../shared/session/phases';
import type { ParticipantView } from '../../../shared/session/state';
import { BoardState } from './board.svelte';
import type { Collab } from './collab';
import { EditingPresence } from './editing.svelte';
import { ackErrorMessage } from './errors';
import { ExportPreview } from './export-preview.svelte';
import { myBoards } from './my-boards';
import { i18n } from './i18n/i18n.svelte';
import type { Identity } from './identity';
import { notices } from './notices.svelte';
import { absentPerson, describePeople, type Person } from './people';
import { SessionConnection } from './session.svelte';
import { takeJustCreated } from './share';
import { SyncConnection } from './sync.svelte';
import type { UndoneChange } from './undo';

/** Why my access ended: it is no longer valid, or a facilitator removed me. */
export type AccessRevoked = 'expired' | 'removed';

export interface WorkshopOptions {
  boardId: string;
  summary: BoardSummary;
  identity: Identity;
  facilitatorKey: string | null;
  onAccessRevoked: (reason: AccessRevoked) => void;
}

/** Inputs that take no typing: undo keys on them are the board's. */
const NOT_TEXT_INPUTS = ['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color', 'file', 'image'];

/** Where the browser's own text undo applies: a text field, or a region being edited. */
function isTextEntry(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target instanceof HTMLTextAreaElement) return true;
  return target instanceof HTMLInputElement && !NOT_TEXT_INPUTS.includes(target.type);
}

/** What an undo or redo says once done, in the polite live region of the notices. */
function undoneMessage({ kind, what }: UndoneChange): string {
  const t = i18n.t.undo;
  const thing = what ? t.what[what] : null;
  return kind === 'undo' ? t.undone(thing) : t.redone(thing);
}

export class WorkshopState {
  readonly boardId: string;
  readonly summary: BoardSummary;
  readonly identity: Identity;
  readonly sync: SyncConnection;
  readonly session: SessionConnection;
  readonly board: BoardState;
  /** Who edits which text (presence on the sync connection). */
  readonly editing: EditingPresence;
  /** What the collaborative text editors use (client/src/lib/collab.ts). */
  readonly collab: Collab;
  /** The wrap-up's export, fetched while the wrap-up shows it. */
  readonly exportPreview: ExportPreview;
  /** The link that makes its holder a facilitator; null for participants. */
  readonly facilitatorUrl: string | null;
  readonly isFacilitator: boolean;

  /** The share dialog: open by itself right after this browser created the board. */
  shareOpen = $state(false);
  /** The section on my screen: follows the live phase when it moves, otherwise stays where I look. */
  viewing = $state<Phase>('discover');

  readonly phase: Phase = $derived.by(() => this.session.view?.phase ?? this.summary.phase);
  readonly title: string = $derived.by(() => this.board.meta.title || this.summary.title);
  /** The board was deleted (or never existed): nothing to show but that. */
  readonly gone: boolean = $derived.by(
    () => this.sync.failure === 'unknown_board' || this.session.failure === 'unknown_board',
  );
  readonly locked: boolean = $derived.by(() => this.session.view?.locked ?? false);
  /** Content edits are frozen for participants while the board is locked (the server enforces it too). */
  readonly canEdit: boolean = $derived.by(() => !this.locked || this.isFacilitator);
  readonly suggestions: readonly GoalSuggestion[] = $derived.by(
    () => templateContent(this.board.meta.template, this.board.meta.locale).goalSuggestions,
  );
  readonly commitmentStarters: readonly string[] = $derived.by(
    () => templateContent(this.board.meta.template, this.board.meta.locale).commitments,
  );

  readonly #stopFollowing: () => void;

  constructor({ boardId, summary, identity, facilitatorKey, onAccessRevoked }: WorkshopOptions) {
    this.boardId = boardId;
    this.summary = summary;
    this.identity = identity;
    this.isFacilitator = identity.role === 'facilitator';
    this.facilitatorUrl = facilitatorKey ? `${summary.participantUrl}#key=${facilitatorKey}` : null;
    this.sync = new SyncConnection(boardId, identity.token);
    this.session = new SessionConnection(boardId, identity.token);
    this.board = new BoardState(this.sync.doc, {
      section: () => this.viewing,
      onUndone: (change) => notices.show(undoneMessage(change)),
    });
    this.editing = new EditingPresence(this.sync.awareness, identity.participantId);
    this.collab = {
      bind: (ref) => this.board.text(ref),
      editorsOf: (ref) => this.editing.editorsOf(ref).map((id) => this.nameOf(id)),
      editedTexts: () => this.editing.editedTexts(),
      setEditing: (ref) => this.editing.setEditing(ref),
      canEdit: () => this.canEdit,
      report: (ack) => this.report(ack),
    };
    this.exportPreview = new ExportPreview(boardId, identity.token, () => [
      this.board.goals,
      this.board.commitments,
      this.board.meta.nextCheckIn,
      this.session.view?.agreed,
      this.session.view?.tallies,
    ]);
    this.shareOpen = takeJustCreated(boardId);
    this.viewing = summary.phase;
    this.#stopFollowing = $effect.root(() => this.#follow(onAccessRevoked));
  }

  /** What this state keeps in step with the connections, for as long as it lives. */
  #follow(onAccessRevoked: (reason: AccessRevoked) => void): void {
    $effect(() => {
      if (this.session.failure === 'removed') onAccessRevoked('removed');
      // A sync refusal while the meeting is still connected waits for the meeting's word, which
      // says whether I was removed (it comes before the meeting lets me go).
      else if (
        this.session.failure === 'bad_token' ||
        (this.sync.failure === 'bad_token' && !this.session.connected)
      )
        onAccessRevoked('expired');
    });

    $effect(() => {
      document.title = `${this.title} · Atelier`;
    });

    // "My boards" on the home page (docs/product.md#my-boards): opened now, its title, its phase…
    $effect(() => {
      myBoards.opened({ id: this.boardId, title: this.title, phase: this.phase, role: this.identity.role });
    });
    // …and the last time an edit was seen on it.
    $effect(() => {
      const doc = this.sync.doc;
      const onUpdate = () => myBoards.active(this.boardId);
      doc.on('update', onUpdate);
      return () => doc.off('update', onUpdate);
    });

    let lastLive: Phase | null = null;
    $effect(() => {
      const live = this.phase;
      if (live === lastLive) return;
      if (lastLive !== null) notices.show(i18n.t.nav.moved(i18n.t.phases[live]));
      lastLive = live;
      this.viewing = live;
    });

    // Announce what changes for everyone: the lock, the reveal of the votes.
    let lastLocked: boolean | null = null;
    let lastRevealed: boolean | null = null;
    $effect(() => {
      const view = this.session.view;
      if (!view) return;
      if (lastLocked !== null && view.locked !== lastLocked) {
        notices.show(view.locked ? i18n.t.lock.locked : i18n.t.lock.unlocked);
      }
      if (lastRevealed === false && view.voting.revealed) notices.show(i18n.t.voting.revealed);
      lastLocked = view.locked;
      lastRevealed = view.voting.revealed;
      // Edits kept while locked out are sent as soon as the lock lifts.
      if (!view.locked) this.sync.resumeAfterLock();
    });
  }

  /** Shows a refused command or request to the person who made it; true when it went through. */
  readonly report = (ack: Ack): boolean => {
    if (!ack.ok) notices.show(ackErrorMessage(ack.error), 'error');
    return ack.ok;
  };

  /** Everyone on the board as shown: namesakes told apart (client/src/lib/people.ts). */
  readonly people: Map<string, Person> = $derived.by(() =>
    describePeople(this.session.view?.participants ?? []),
  );

  /** How to show a participant id: label, initials, colour (someone who left the board is "Someone"). */
  readonly personOf = (participantId: string): Person =>
    this.people.get(participantId) ?? absentPerson(participantId, i18n.t.board.unknownAuthor);

  /** A name to show for a participant id, told apart from namesakes ("Alex · 2"). */
  readonly nameOf = (participantId: string): string => this.personOf(participantId).label;

  /** A facilitator removes someone, once they confirmed it. */
  readonly remove = (person: ParticipantView): void => {
    if (!confirm(i18n.t.board.confirmRemove(this.nameOf(person.id)))) return;
    void this.session.removeParticipant(person.id).then((ack) => {
      if (this.report(ack)) notices.show(i18n.t.board.removedSomeone(this.nameOf(person.id)));
    });
  };

  /**
   * Ctrl/Cmd+Z undoes my last edit in the section on screen, Ctrl/Cmd+Shift+Z or Ctrl/Cmd+Y redoes
   * it; not while typing in a text field, where the browser's own text undo applies.
   */
  readonly onKeydown = (event: KeyboardEvent): void => {
    if (isTextEntry(event.target)) return;
    if (!(event.ctrlKey || event.metaKey)) return;
    const key = event.key.toLowerCase();
    if (!this.canEdit) return;
    if (key === 'z' && !event.shiftKey) {
      event.preventDefault();
      this.board.undo();
    } else if ((key === 'z' && event.shiftKey) || key === 'y') {
      event.preventDefault();
      this.board.redo();
    }
  };

  destroy(): void {
    this.#stopFollowing();
    this.board.destroy();
    this.session.destroy();
    this.sync.destroy();
  }
}
