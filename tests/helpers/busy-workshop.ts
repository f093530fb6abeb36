/**
 * A busy workshop against a real server (usually a child process, see server-process.ts): each member a
 * stock y-websocket provider and a socket.io client, adding cards and voting at a brisk rate,
 * while the test records what the server demonstrably did — every card a client received from it
 * and every vote it acknowledged — so that a crash or a shutdown can be checked against what is on
 * disk (docs/errors.md#bad-input-and-faults, docs/running.md#running).
 */
import type { Joined } from '../../shared/api';
import { addCard, readQuestions, ROOT } from '../../shared/board';
import type { Ack } from '../../shared/session/events';
import type { ServerProcess } from './server-process';
import type { Random } from './random';
import { sleep, waitFor } from './expect';
import type { SessionClient, SessionClients } from './session-clients';
import type { ProviderClient, SyncClients } from './sync-clients';
import { GoalWriter, workshop } from './workshop';

export type Votes = Record<string, number>;

export interface VoteLog {
  /** The voter's votes as the last acknowledged vote reported them (`myVotes` of its ack). */
  acked: Votes;
  /** Votes acknowledged {ok: true}, take-backs among them. */
  ackedCount: number;
  takeBacks: number;
  /** A vote sent whose answer never came (the server died): it may or may not have counted. */
  inDoubt: { goalId: string; delta: 1 | -1 } | null;
  /** Refusals, by code (none expected; kept for failure messages). */
  refused: string[];
}

export interface Member {
  name: string;
  joined: Joined;
  sync: ProviderClient;
  session: SessionClient;
  /** Ids of the cards this member's client made, in order. */
  created: string[];
  votes: VoteLog;
  /** The close code of every sync connection the provider lost, in order (null: closed by itself). */
  closeCodes: Array<number | null>;
}

export interface BusyWorkshop {
  boardId: string;
  lead: Member;
  members: Member[];
  everyone: Member[];
  goals: string[];
  questions: string[];
  /** Ids of cards any client received through its provider, i.e. from the server. */
  received: Set<string>;
  /** Card ids on the board before anyone edited (the template's). */
  initialCards: string[];
}

/** Votes with counts of zero left out, as `myVotes` shows them. */
export function held(votes: Votes): Votes {
  return Object.fromEntries(Object.entries(votes).filter(([, count]) => count > 0));
}

/** What a voter may hold after a crash: what was acknowledged, or that plus the vote in doubt. */
export function possibleVotes(log: VoteLog): Votes[] {
  const options = [held(log.acked)];
  if (log.inDoubt) {
    const { goalId, delta } = log.inDoubt;
    options.push(held({ ...log.acked, [goalId]: (log.acked[goalId] ?? 0) + delta }));
  }
  return options;
}

export function sumVotes(all: Votes[]): Votes {
  const total: Votes = {};
  for (const votes of all) {
    for (const [goalId, count] of Object.entries(votes)) total[goalId] = (total[goalId] ?? 0) + count;
  }
  return held(total);
}

export function cardIds(client: { doc: ProviderClient['doc'] }): string[] {
  return [...client.doc.getMap(ROOT.cards).keys()].sort();
}

/**
 * A board with a facilitator ("Lead") and `count` participants, each connected on both planes,
 * three goals, and voting open with room for many votes. Goals are written by the facilitator's
 * provider, which then edits like everyone else's.
 */
export async function busyWorkshop(
  server: { url: string; wsUrl: string },
  sync: SyncClients,
  sessions: SessionClients,
  count: number,
): Promise<BusyWorkshop> {
  const w = await workshop(server, count);
  const boardId = w.board.id;
  const writer = await GoalWriter.open(server, sync, boardId, w.facilitator);
  const goals = await writer.add([
    { title: 'Grow our audience' },
    { title: 'Increase brand awareness' },
    { title: 'Measure social ROI' },
  ]);
  const received = new Set<string>();

  const member = async (name: string, joined: Joined, client?: ProviderClient): Promise<Member> => {
    const syncClient = client ?? (await sync.syncedProvider(server, boardId, { token: joined.token }));
    const closeCodes: Array<number | null> = [];
    syncClient.provider.on('connection-close', (event: { code: number } | null) =>
      closeCodes.push(event?.code ?? null),
    );
    // A card that arrives in a transaction of the provider came from the server.
    syncClient.doc.getMap(ROOT.cards).observe((event) => {
      if (event.transaction.origin !== syncClient.provider) return;
      for (const [id, change] of event.changes.keys) if (change.action === 'add') received.add(id);
    });
    const session = await sessions.connect(server, { boardId, token: joined.token });
    return {
      name,
      joined,
      sync: syncClient,
      session,
      created: [],
      votes: { acked: {}, ackedCount: 0, takeBacks: 0, inDoubt: null, refused: [] },
      closeCodes,
    };
  };

  const lead = await member('Lead', w.facilitator, writer.client);
  const members: Member[] = [];
  for (const [index, joined] of w.participants.entries()) {
    members.push(await member(`Member ${index + 1}`, joined));
  }
  const opened = await lead.session.request('voting', { open: true, votesPerPerson: 100, maxPerItem: 100 });
  if (!opened.ok) throw new Error(`could not open voting: ${JSON.stringify(opened)}`);
  for (const m of members) await m.session.waitForSession((view) => view.voting.open, 'voting open');

  const questions = readQuestions(lead.sync.doc).map((question) => question.id);
  if (questions.length === 0) throw new Error('the board has no question');
  return {
    boardId,
    lead,
    members,
    everyone: [lead, ...members],
    goals,
    questions,
    received,
    initialCards: cardIds(lead.sync),
  };
}

/**
 * Restarts `server` and waits until every member's own provider and socket.io client have come
 * back by themselves: the provider synced again, the socket connected and given a fresh session.
 */
export async function restartAndWaitForEveryone(server: ServerProcess, board: BusyWorkshop): Promise<void> {
  const sessionEventsBefore = board.everyone.map((m) => m.session.sessions.length);
  await server.restart();
  await waitFor(
    () => board.everyone.every((m) => m.sync.provider.synced),
    20_000,
    'every provider to reconnect and resync by itself',
  );
  await waitFor(
    () =>
      board.everyone.every(
        (m, i) => m.session.socket.connected && m.session.sessions.length > (sessionEventsBefore[i] ?? 0),
      ),
    20_000,
    'every socket.io client to reconnect by itself and get the session',
  );
}

/** Adds a card to `member`'s own document (as its browser would) and remembers its id. */
export function writeCard(board: BusyWorkshop, member: Member, text: string, random: Random): string {
  const id = addCard(member.sync.doc, {
    questionId: board.questions[random.below(board.questions.length)] as string,
    text,
    authorId: member.joined.participantId,
  });
  member.created.push(id);
  return id;
}

/** Adds cards every few tens of milliseconds while `running()`. */
export async function editLoop(
  board: BusyWorkshop,
  member: Member,
  random: Random,
  running: () => boolean,
): Promise<void> {
  while (running()) {
    writeCard(board, member, `${member.name}, card ${member.created.length + 1}`, random);
    await sleep(30 + random.below(70));
  }
}

/**
 * Votes and takes votes back while `running()`, one request at a time, recording each answer.
 * Stops at the first vote left unanswered (the connection is gone).
 */
export async function voteLoop(
  board: BusyWorkshop,
  member: Member,
  random: Random,
  running: () => boolean,
): Promise<void> {
  const log = member.votes;
  while (running()) {
    if (member.session.socket.connected) {
      const goalId = board.goals[random.below(board.goals.length)] as string;
      const delta: 1 | -1 = (log.acked[goalId] ?? 0) > 0 && random.next() < 0.35 ? -1 : 1;
      log.inDoubt = { goalId, delta };
      let ack: Ack<{ myVotes?: Votes }>;
      try {
        ack = (await member.session.socket.timeout(10_000).emitWithAck('vote', { goalId, delta })) as Ack<{
          myVotes?: Votes;
        }>;
      } catch {
        return; // No answer: the vote stays in doubt.
      }
      log.inDoubt = null;
      if (ack.ok && ack.myVotes) {
        log.acked = ack.myVotes;
        log.ackedCount += 1;
        if (delta === -1) log.takeBacks += 1;
      } else if (!ack.ok) {
        log.refused.push(ack.error.code);
      }
    }
    await sleep(40 + random.below(60));
  }
}
