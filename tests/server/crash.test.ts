/**
 * Crash safety (docs/errors.md#durability: "Nothing acknowledged is lost … killing the server (SIGKILL)
 * mid-workshop loses none of them, and clients reconnect and resync by themselves") against a real
 * server in a child process. In each trial a facilitator and five participants add cards and vote
 * at a brisk rate until the server is SIGKILLed at a random moment. Then:
 *
 * - what is on disk (read before anything reconnects, so clients cannot fill gaps) holds every card
 *   any client had received from the server and every vote it had acknowledged;
 * - the same providers and sockets, never recreated, reconnect to the restarted server by
 *   themselves, edits made while it was down merge, and every client converges on one board with
 *   each card exactly once and the votes exactly as acknowledged.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { readCards, ROOT } from '../../shared/board';
import { sleep, waitFor } from '../helpers/expect';
import { useClients } from '../helpers/fixtures';
import {
  busyWorkshop,
  cardIds,
  editLoop,
  held,
  possibleVotes,
  restartAndWaitForEveryone,
  sumVotes,
  voteLoop,
  writeCard,
  type Votes,
} from '../helpers/busy-workshop';
import { readStoredBoard, startServerProcess, stopServerProcesses } from '../helpers/server-process';
import { seededRandom } from '../helpers/random';

const PARTICIPANTS = 5;
const SEEDS = [1, 2, 3];

/** A document's state vector as sorted pairs (equal state vectors: the same updates seen). */
function stateVector(doc: Y.Doc): Array<[number, number]> {
  return [...Y.decodeStateVector(Y.encodeStateVector(doc)).entries()].sort(([a], [b]) => a - b);
}

describe('a server killed mid-workshop (SIGKILL)', () => {
  const { sessions, sync } = useClients({ afterClients: stopServerProcesses });

  for (const [trial, seed] of SEEDS.entries()) {
    it(
      `[errors#durability] trial ${trial + 1}: loses no card a client received and no acknowledged vote; the same clients reconnect by themselves, merge their offline edits and converge`,
      { timeout: 60_000 },
      async () => {
        const random = seededRandom(seed);
        const server = await startServerProcess();
        const board = await busyWorkshop(server, sync, sessions, PARTICIPANTS);
        const voters = board.members;

        // Everyone edits and votes briskly; the server dies at a moment chosen by the seed.
        let running = true;
        const isRunning = (): boolean => running;
        const loops = [
          ...board.everyone.map((m) => editLoop(board, m, seededRandom(random.below(2 ** 31)), isRunning)),
          ...voters.map((m) => voteLoop(board, m, seededRandom(random.below(2 ** 31)), isRunning)),
        ];
        // Time is the point: the loops run until a moment the seed picks, then the server dies.
        await sleep(700 + random.below(1_500));
        expect(await server.kill('SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });
        running = false;
        await Promise.all(loops);
        await waitFor(
          () => board.everyone.every((m) => !m.sync.provider.wsconnected && !m.session.socket.connected),
          10_000,
          'every client to notice that the server is gone',
        );

        // What the server had sent out and acknowledged is on disk, without any client's help.
        const received = [...board.received];
        const ackedVotes = voters.reduce((sum, m) => sum + m.votes.ackedCount, 0);
        expect(received.length, 'cards received from the server before the kill').toBeGreaterThan(10);
        expect(ackedVotes, 'votes acknowledged before the kill').toBeGreaterThan(5);
        const disk = await readStoredBoard(server.dataDir, board.boardId);
        const onDisk = new Set(disk.doc.getMap(ROOT.cards).keys());
        expect(
          received.filter((id) => !onDisk.has(id)),
          'cards clients had received from the server, missing on disk',
        ).toEqual([]);
        const storedVotes = new Map<string, Votes>();
        for (const m of voters) {
          const stored = held(disk.session?.votes[m.joined.participantId] ?? {});
          storedVotes.set(m.name, stored);
          expect(
            possibleVotes(m.votes),
            `${m.name}'s votes on disk (${m.votes.ackedCount} acknowledged, refused: ${m.votes.refused.join() || 'none'})`,
          ).toContainEqual(stored);
        }

        // Edits made while the server is down.
        const offline = board.everyone.map((m) =>
          writeCard(board, m, `${m.name}, while the server was down`, random),
        );

        // The same providers and sockets come back by themselves.
        await restartAndWaitForEveryone(server, board);

        // Every card any client made, each exactly once, everywhere.
        const expected = [...board.initialCards, ...board.everyone.flatMap((m) => m.created)].sort();
        expect(new Set(expected).size).toBe(expected.length);
        const fresh = await sync.syncedProvider(server, board.boardId);
        const everyone = [fresh, ...board.everyone.map((m) => m.sync)];
        await waitFor(
          () => everyone.every((client) => cardIds(client).join() === expected.join()),
          20_000,
          'every client and a new one to hold every card made',
        );
        expect(cardIds(fresh)).toEqual(expected);
        for (const id of offline) expect(cardIds(fresh)).toContain(id);
        const cards = readCards(fresh.doc);
        expect(cards).toHaveLength(expected.length);
        const texts = cards.map((card) => card.text);
        expect(new Set(texts).size, 'no card content twice').toBe(texts.length);
        const content = fresh.doc.getMap(ROOT.cards).toJSON();
        for (const m of board.everyone) {
          expect(stateVector(m.sync.doc), `${m.name}'s document`).toEqual(stateVector(fresh.doc));
          expect(m.sync.doc.getMap(ROOT.cards).toJSON(), `${m.name}'s cards`).toEqual(content);
        }

        // The votes are exactly what was stored, for each voter and in the facilitator's tallies.
        for (const m of voters) {
          expect(m.session.latest().myVotes, `${m.name}'s votes after the restart`).toEqual(
            storedVotes.get(m.name),
          );
        }
        expect(board.lead.session.latest().tallies).toEqual(sumVotes([...storedVotes.values()]));
      },
    );
  }
});
