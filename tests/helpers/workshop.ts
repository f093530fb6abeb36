/**
 * A workshop on a real server for integration tests: a board, a facilitator and participants
 * joined over HTTP, and goals written into the board's document the way a browser writes them —
 * through a real y-websocket provider — then confirmed on the server over HTTP.
 */
import { addGoal, deleteGoal, updateGoal, type GoalFields } from '../../shared/board';
import type { BoardSummary, CreatedBoard, Joined } from '../../shared/api';
import { waitFor } from './expect';
import { createBoard, joinBoard } from './server';
import type { ProviderClient, SyncClients } from './sync-clients';

export interface Workshop {
  board: CreatedBoard;
  facilitator: Joined;
  participants: Joined[];
}

/** A board with a facilitator ("Lead") and `count` participants ("Member 1"…), all joined over HTTP. */
export async function workshop(
  server: { url: string },
  count: number,
  board: Record<string, unknown> = { title: 'Kickoff', locale: 'en' },
): Promise<Workshop> {
  const created = await createBoard(server, board);
  const facilitator = await joinBoard(server, created.id, 'Lead', created.facilitatorKey);
  const participants: Joined[] = [];
  for (let i = 0; i < count; i++) participants.push(await joinBoard(server, created.id, `Member ${i + 1}`));
  return { board: created, facilitator, participants };
}

/** The board summary (docs/http.md#read-a-board), whose `goals` counts the goals the server reads on its document. */
export async function boardSummary(server: { url: string }, boardId: string): Promise<BoardSummary> {
  const response = await fetch(`${server.url}/api/boards/${boardId}`);
  if (response.status !== 200) throw new Error(`summary: ${response.status} ${await response.text()}`);
  return (await response.json()) as BoardSummary;
}

/**
 * Goals of one board written through a real, synced provider. Each method returns once the
 * server's copy of the document shows the change (polled over HTTP), so that a vote or an export
 * that follows sees it.
 */
export class GoalWriter {
  readonly #server: { url: string };
  readonly #boardId: string;
  readonly #authorId: string;
  readonly client: ProviderClient;
  #count = 0;

  private constructor(server: { url: string }, boardId: string, authorId: string, client: ProviderClient) {
    this.#server = server;
    this.#boardId = boardId;
    this.#authorId = authorId;
    this.client = client;
  }

  static async open(
    server: { url: string; wsUrl: string },
    syncClients: SyncClients,
    boardId: string,
    author: Joined,
  ): Promise<GoalWriter> {
    const client = await syncClients.syncedProvider(server, boardId, { token: author.token });
    const writer = new GoalWriter(server, boardId, author.participantId, client);
    writer.#count = (await boardSummary(server, boardId)).goals;
    return writer;
  }

  /** Adds goals (created one second apart from `createdAt`, so creation order is plain); returns their ids. */
  async add(
    goals: Array<Partial<GoalFields> & { title: string }>,
    createdAt: number = Date.now(),
  ): Promise<string[]> {
    const ids = goals.map((fields, index) =>
      addGoal(this.client.doc, fields, this.#authorId, null, createdAt + index * 1_000),
    );
    this.#count += ids.length;
    await this.#serverCount(this.#count);
    return ids;
  }

  async delete(id: string): Promise<void> {
    deleteGoal(this.client.doc, id);
    this.#count -= 1;
    await this.#serverCount(this.#count);
  }

  /** Edits a goal; `confirmed` says when the server shows the edit (e.g. in an export). */
  async update(id: string, fields: Partial<GoalFields>, confirmed: () => Promise<boolean>): Promise<void> {
    updateGoal(this.client.doc, id, fields);
    await waitFor(confirmed, 5_000, 'the edit on the server');
  }

  async #serverCount(expected: number): Promise<void> {
    await waitFor(
      async () => (await boardSummary(this.#server, this.#boardId)).goals === expected,
      5_000,
      `${expected} goals on the server`,
    );
  }
}
