/**
 * Boards and participants: the use cases behind the HTTP API (docs/http.md#http-api). Routes parse and answer;
 * this module decides.
 */
import * as Y from 'yjs';
import {
  DEFAULT_TITLES,
  type BoardSummary,
  type CreateBoardBody,
  type CreatedBoard,
  type JoinBody,
  type Joined,
} from '../shared/api';
import { readCheckins } from '../shared/board/checkins';
import { readGoalLinks } from '../shared/board/goal-links';
import { writeBoardFile } from '../shared/board/from-file';
import { readCommitments, readGoals, readMeta } from '../shared/board/read';
import { writeTemplate } from '../shared/board/template';
import { AppError } from '../shared/errors';
import {
  buildBoardFile,
  type BoardFile,
  type BoardFileVariant,
  type ParsedBoardFile,
} from '../shared/export/board-file';
import { readBoardFileContent } from '../shared/export/board-file-content';
import { buildGoalsExport, type ExportStatus, type GoalsExport } from '../shared/export/goals-export';
import { buildCheckInIcs, CHECK_IN_TEXT } from '../shared/export/ics';
import { buildSummary, readSummaryContent, type Summary } from '../shared/export/summary';
import { pulseView } from '../shared/session/pulse';
import { isId, newId } from '../shared/ids';
import { hashKey, keyMatches, newFacilitatorKey } from './auth/keys';
import type { TokenSigner } from './auth/tokens';
import type { SessionRooms } from './session/rooms';
import type { BoardRecord, ParticipantRecord, Store } from './storage/store';
import { isClean } from './sync/clean';
import type { DocRooms } from './sync/rooms';

export interface BoardService {
  create(body: CreateBoardBody, origin: string): Promise<CreatedBoard>;
  /** The board's summary; loading its document is charged to `address` (the memory budget). */
  summary(boardId: string, origin: string, address: string): Promise<BoardSummary>;
  /**
   * A join from `address`. A participant's is refused when the board is full (`board_full`) or
   * that address has taken its share of places (`too_many_joins`); a facilitator's — one with a
   * valid facilitator key — never is, so that whoever runs the board can always get in.
   */
  join(boardId: string, body: JoinBody, address: string): Promise<Joined>;
  /**
   * The agreed-goals export (docs/export.md#hidden-votes). Votes show once revealed, or to a facilitator's token; a
   * token that is not valid for this board is refused rather than ignored.
   */
  exportGoals(
    boardId: string,
    request: { status: ExportStatus; token: string | null },
    origin: string,
    address: string,
  ): Promise<{ title: string; body: GoalsExport }>;
  /** The next check-in as an iCalendar file (docs/http.md#check-in-calendar); `not_found` while none is set. */
  checkInCalendar(boardId: string, origin: string, address: string): Promise<string>;
  /**
   * The summary (docs/export.md#summary) for the Markdown and CSV exports: the same token rule and
   * the same privacy of votes as `exportGoals`.
   */
  exportSummary(
    boardId: string,
    request: { status: ExportStatus; token: string | null },
    origin: string,
    address: string,
  ): Promise<Summary>;
  /** The whole board as one file (docs/export.md#whole-board-file), for a facilitator's token only. */
  exportBoard(
    boardId: string,
    request: { variant: BoardFileVariant; token: string | null },
    address: string,
  ): Promise<{ title: string; body: BoardFile }>;
  /**
   * A new board from a checked file (docs/export.md#importing-a-board-file): its document and its
   * people written in one go, or nothing.
   */
  importBoard(file: ParsedBoardFile, origin: string): Promise<CreatedBoard>;
}

/** Board ids carry 22 × 6 = 132 bits of randomness (docs/http.md#create-a-board: at least 128). */
const BOARD_ID_LENGTH = 22;

export function participantUrl(origin: string, boardId: string): string {
  return `${origin}/b/${boardId}`;
}

export function createBoardService(deps: {
  store: Store;
  /** Joins beyond this many participants on one board are refused. */
  maxParticipantsPerBoard: number;
  /** Joins from one address on one board beyond this many are refused. */
  maxJoinsPerAddress: number;
  docs: DocRooms;
  sessions: SessionRooms;
  tokens: TokenSigner;
}): BoardService {
  async function findBoard(boardId: string): Promise<BoardRecord> {
    const board = isId(boardId) ? await deps.store.getBoard(boardId) : null;
    if (!board) throw new AppError('unknown_board', 'There is no board at this address.');
    return board;
  }

  /**
   * Reads a board's stored data with `read`: a failure becomes what it means for whoever asked —
   * `board_unreadable` (this board's data cannot be read) or `unavailable` (the store is down).
   */
  async function fromStore<T>(boardId: string, read: () => Promise<T>): Promise<T> {
    try {
      return await read();
    } catch (error) {
      throw await deps.sessions.loadError(boardId, error);
    }
  }

  /**
   * Whether a request's token is a facilitator's: null (no token) is not; a token that is not
   * valid for this board is refused rather than ignored (docs/http.md#export).
   */
  async function askerIsFacilitator(boardId: string, token: string | null): Promise<boolean> {
    if (token === null) return false;
    const claims = deps.tokens.verify(token);
    const asker =
      claims?.boardId === boardId
        ? await fromStore(boardId, () => deps.store.getParticipant(boardId, claims.participantId))
        : null;
    if (!asker) throw new AppError('bad_token', 'This token is not valid for this board.');
    return asker.role === 'facilitator';
  }

  /** A new board: its document written by `write`, stored with its participants in one go. */
  async function createWith(
    board: Pick<BoardRecord, 'title' | 'locale' | 'template' | 'createdAt'>,
    origin: string,
    write: (doc: Y.Doc) => void,
    participantsOf: (boardId: string) => ParticipantRecord[] = () => [],
  ): Promise<CreatedBoard> {
    const id = newId(BOARD_ID_LENGTH);
    const facilitatorKey = newFacilitatorKey();
    const doc = new Y.Doc();
    try {
      write(doc);
      await deps.store.createBoard(
        { id, ...board, facilitatorKeyHash: hashKey(facilitatorKey) },
        Y.encodeStateAsUpdate(doc),
        participantsOf(id),
        isClean(doc),
      );
    } finally {
      doc.destroy();
    }
    const url = participantUrl(origin, id);
    return {
      id,
      title: board.title,
      participantUrl: url,
      facilitatorUrl: `${url}#key=${facilitatorKey}`,
      facilitatorKey,
    };
  }

  return {
    async create(body, origin) {
      const locale = body.locale ?? 'en';
      const template = body.template ?? 'social-kickoff';
      const title = body.title ?? DEFAULT_TITLES[template][locale];
      const createdAt = Date.now();
      return createWith({ title, locale, template, createdAt }, origin, (doc) =>
        writeTemplate(doc, { title, locale, template, createdAt }),
      );
    },

    async importBoard(file, origin) {
      const { title, locale, template } = file.board;
      const createdAt = Date.now();
      const people = file.people ?? [];
      if (people.length > deps.maxParticipantsPerBoard) {
        throw new AppError(
          'bad_request',
          `people: at most ${deps.maxParticipantsPerBoard} people fit on a board, the file lists ${people.length}.`,
        );
      }
      const ids = new Map(people.map((person) => [person.ref, newId()]));
      return createWith(
        { title, locale, template, createdAt },
        origin,
        (doc) => writeBoardFile(doc, file, { title, createdAt }, ids),
        (boardId) =>
          people.map((person, index) => ({
            boardId,
            id: ids.get(person.ref) ?? newId(),
            name: person.name,
            role: 'participant' as const,
            // Before the board's creation time, in the file's order: whoever joins later comes after.
            createdAt: createdAt - people.length + index,
          })),
      );
    },

    async exportBoard(boardId, { variant, token }, address) {
      const board = await findBoard(boardId);
      const claims = token === null ? null : deps.tokens.verify(token);
      const asker =
        claims?.boardId === boardId
          ? await fromStore(boardId, () => deps.store.getParticipant(boardId, claims.participantId))
          : null;
      if (!asker) throw new AppError('bad_token', 'Send a facilitator token for this board.');
      if (asker.role !== 'facilitator') {
        throw new AppError('not_facilitator', 'Only a facilitator can download the whole board.');
      }
      const [session, participants, content] = await fromStore(boardId, () =>
        Promise.all([
          deps.sessions.read(boardId),
          deps.store.listParticipants(boardId),
          deps.docs.read(boardId, (room) => readBoardFileContent(room.doc), address),
        ]),
      );
      const body = buildBoardFile({
        ...content,
        meta: { ...content.meta, title: board.title },
        participants: [...participants].sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1)),
        votes: session.votes,
        voting: session.voting,
        agreed: session.agreed,
        consent: session.consentResults,
        variant,
        now: new Date(),
      });
      return { title: board.title, body };
    },

    async summary(boardId, origin, address) {
      const board = await findBoard(boardId);
      const [session, participants, goalIds] = await fromStore(boardId, () =>
        Promise.all([
          deps.sessions.read(boardId),
          deps.store.listParticipants(boardId),
          deps.docs.read(boardId, (room) => new Set(readGoals(room.doc).map((goal) => goal.id)), address),
        ]),
      );
      return {
        id: board.id,
        title: board.title,
        locale: board.locale,
        template: board.template,
        phase: session.phase,
        createdAt: board.createdAt,
        goals: goalIds.size,
        agreed: session.agreed.filter((id) => goalIds.has(id)).length,
        participants: participants.length,
        participantUrl: participantUrl(origin, board.id),
      };
    },

    async join(boardId, body, address) {
      const board = await findBoard(boardId);
      let role: Joined['role'] = 'participant';
      if (body.facilitatorKey !== undefined) {
        if (!keyMatches(body.facilitatorKey, board.facilitatorKeyHash)) {
          throw new AppError('wrong_key', 'This facilitator link is not valid for this board.');
        }
        role = 'facilitator';
      }
      if (role === 'participant') {
        await fromStore(boardId, async () => {
          const joined = await deps.store.listParticipants(boardId);
          if (joined.length >= deps.maxParticipantsPerBoard) {
            throw new AppError(
              'board_full',
              `This board already has ${joined.length} participants, its limit: a facilitator can remove names nobody uses.`,
            );
          }
          await deps.sessions.admitJoin(boardId, address, deps.maxJoinsPerAddress);
        });
      }
      const participant = {
        boardId,
        id: newId(),
        name: body.name,
        role,
        createdAt: Date.now(),
      };
      await deps.store.addParticipant(participant);
      await deps.sessions.participantAdded(participant);
      return {
        participantId: participant.id,
        token: deps.tokens.sign({ boardId, participantId: participant.id }),
        role,
      };
    },

    async exportGoals(boardId, { status, token }, origin, address) {
      const board = await findBoard(boardId);
      const isFacilitator = await askerIsFacilitator(boardId, token);
      const [session, content] = await fromStore(boardId, () =>
        Promise.all([
          deps.sessions.read(boardId),
          deps.docs.read(
            boardId,
            (room) => ({
              goals: readGoals(room.doc),
              commitments: readCommitments(room.doc),
              nextCheckIn: readMeta(room.doc).nextCheckIn,
              checkins: readCheckins(room.doc),
              ...readGoalLinks(room.doc),
            }),
            address,
          ),
        ]),
      );
      const body = buildGoalsExport({
        board: { id: board.id, title: board.title, url: participantUrl(origin, board.id) },
        ...content,
        votes: session.votes,
        voting: session.voting,
        agreed: session.agreed,
        consent: session.consentResults,
        showVotes: session.voting.revealed || isFacilitator,
        status,
        now: new Date(),
      });
      return { title: board.title, body };
    },

    async checkInCalendar(boardId, origin, address) {
      const board = await findBoard(boardId);
      const meta = await fromStore(boardId, () =>
        deps.docs.read(boardId, (room) => readMeta(room.doc), address),
      );
      const words = CHECK_IN_TEXT[board.locale];
      const ics =
        meta.nextCheckIn === null
          ? null
          : buildCheckInIcs({
              boardId: board.id,
              title: words.summary(meta.title || board.title),
              date: meta.nextCheckIn,
              url: participantUrl(origin, board.id),
              description: words.description,
              now: new Date(),
            });
      if (ics === null) throw new AppError('not_found', 'This board has no next check-in date.');
      return ics;
    },

    async exportSummary(boardId, { status, token }, origin, address) {
      const board = await findBoard(boardId);
      const isFacilitator = await askerIsFacilitator(boardId, token);
      const [session, participants, content] = await fromStore(boardId, () =>
        Promise.all([
          deps.sessions.read(boardId),
          deps.store.listParticipants(boardId),
          deps.docs.read(boardId, (room) => readSummaryContent(room.doc), address),
        ]),
      );
      const removed = new Set(session.removed);
      return buildSummary({
        board: { id: board.id, url: participantUrl(origin, board.id) },
        content,
        participants: participants.filter((person) => !removed.has(person.id)),
        votes: session.votes,
        voting: session.voting,
        agreed: session.agreed,
        consent: session.consentResults,
        showVotes: session.voting.revealed || isFacilitator,
        status,
        pulse: pulseView(session.pulse, session.pulseResults),
        now: new Date(),
      });
    },
  };
}
