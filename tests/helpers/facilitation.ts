/**
 * A live meeting for facilitation tests (docs/session.md#session-plane): a board, a facilitator and participants joined
 * over HTTP and connected as real socket.io clients, plus small readers of what the server stored
 * and recorders of how sync connections end.
 */
import { expect } from 'vitest';
import * as Y from 'yjs';
import type { Joined } from '../../shared/api';
import { readCards } from '../../shared/board';
import type { SessionView } from '../../shared/session/state';
import { OK } from './expect';
import { createBoard, joinBoard, type TestServer } from './server';
import type { SessionClient, SessionClients } from './session-clients';
import type { ProviderClient } from './sync-clients';
import type { Workshop } from './workshop';

export interface Meeting extends Workshop {
  lead: SessionClient;
  members: SessionClient[];
  /** The facilitator first, then the participants. */
  everyone: SessionClient[];
}

/** The meeting's `index`th participant's session client (its facilitator is `lead`). */
export const member = (m: Meeting, index: number): SessionClient => m.members[index] as SessionClient;

/** The meeting's `index`th participant's identity, as the join gave it. */
export const participant = (m: Meeting, index: number): Joined => m.participants[index] as Joined;

/**
 * A board with a facilitator ("Lead") and participants — `count` of them ("Member 1"…) or one per
 * name given — everyone joined over HTTP, connected, and seen online by all.
 */
export async function liveMeeting(
  server: TestServer,
  sessions: SessionClients,
  participants: number | string[],
): Promise<Meeting> {
  const names =
    typeof participants === 'number'
      ? Array.from({ length: participants }, (_, i) => `Member ${i + 1}`)
      : participants;
  const board = await createBoard(server);
  const facilitator = await joinBoard(server, board.id, 'Lead', board.facilitatorKey);
  const joined: Joined[] = [];
  for (const name of names) joined.push(await joinBoard(server, board.id, name));
  const w: Workshop = { board, facilitator, participants: joined };
  const connect = (joined: Joined) => sessions.connect(server, { boardId: w.board.id, token: joined.token });
  const lead = await connect(w.facilitator);
  const members: SessionClient[] = [];
  for (const participant of w.participants) members.push(await connect(participant));
  const everyone = [lead, ...members];
  const expected = w.participants.length + 1;
  for (const client of everyone) {
    await client.waitForSession(
      (view) => view.participants.filter((p) => p.online).length === expected,
      'everyone online',
    );
  }
  return { ...w, lead, members, everyone };
}

/**
 * The facilitator moves everyone to the wrap-up, which opens the team pulse to the participants
 * who joined before; resolves once everyone sees it open.
 */
export async function openPulse(m: Meeting): Promise<Meeting> {
  expect(await m.lead.request('phase', { phase: 'wrap-up' })).toEqual(OK);
  for (const client of m.everyone) {
    await client.waitForSession((view) => view.pulse.openedAt !== null, 'the pulse open');
  }
  return m;
}

/** A fresh connection's first `session` event: the server's current state for that person. */
export async function freshView(
  server: TestServer,
  sessions: SessionClients,
  boardId: string,
  joined: Joined,
): Promise<SessionView> {
  const client = await sessions.connect(server, { boardId, token: joined.token });
  return client.sessions[0] as SessionView;
}

/** The board document as the server's store holds it right now. */
export async function storedDoc(server: TestServer, boardId: string): Promise<Y.Doc> {
  const stored = await server.running.store.loadDoc(boardId);
  const doc = new Y.Doc();
  for (const update of [stored.snapshot, ...stored.updates]) if (update) Y.applyUpdate(doc, update);
  return doc;
}

export function cardTexts(doc: Y.Doc): string[] {
  return readCards(doc)
    .map((card) => card.text)
    .sort();
}

/** Records the close code of every connection a provider loses (null when it closed it itself). */
export function closeCodes(client: ProviderClient): Array<number | null> {
  const codes: Array<number | null> = [];
  client.provider.on('connection-close', (event: { code: number } | null) =>
    codes.push(event ? event.code : null),
  );
  return codes;
}
