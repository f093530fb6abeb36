/**
 * Stopping the server (docs/running.md#shutdown: "SIGTERM: stop accepting, flush, close sockets so that clients
 * reconnect elsewhere, exit 0") against a real server in a child process, while a workshop edits
 * and votes: the process exits 0; a new connection during or after the shutdown is refused rather
 * than left hanging; every card clients had received and every vote acknowledged is on disk; the
 * sync sockets are closed as "going away" (1001) and socket.io's without telling clients to stay
 * away, and the same clients reconnect by themselves once a server is back, and converge.
 */
import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../shared/board';
import { CLOSE } from '../../shared/sync';
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
  type Votes,
} from '../helpers/busy-workshop';
import {
  readStoredBoard,
  startServerProcess,
  stopServerProcesses,
  type ServerProcess,
} from '../helpers/server-process';
import { seededRandom } from '../helpers/random';

type Outcome = 'refused' | 'accepted' | 'hung';

/** How long a refused connection may take to be refused before we call it hanging. */
const SETTLE_MS = 5_000;

function settled(outcome: Promise<Outcome>): Promise<Outcome> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<Outcome>((resolve) => (timer = setTimeout(() => resolve('hung'), SETTLE_MS)));
  return Promise.race([outcome, hung]).finally(() => clearTimeout(timer));
}

describe('a server stopped with SIGTERM', () => {
  const { sessions, sync } = useClients({ afterClients: stopServerProcesses });

  /** A brand-new sync connection, an HTTP request and a socket.io connection, each on a new TCP connection. */
  function newConnections(server: ServerProcess, boardId: string, token: string): Promise<Outcome[]> {
    const raw = sync.raw(server, `/sync/${boardId}?token=${encodeURIComponent(token)}`);
    const syncOutcome = raw.opened.then(
      (): Outcome => 'accepted',
      (): Outcome => 'refused',
    );
    const httpOutcome = new Promise<Outcome>((resolve) => {
      const req = request(
        { host: '127.0.0.1', port: server.port, path: '/api/health', agent: false },
        (res) => {
          res.resume();
          resolve('accepted');
        },
      );
      req.on('error', () => resolve('refused'));
      req.end();
    });
    const sessionOutcome = sessions.connectError(server, { boardId, token }).then(
      (): Outcome => 'refused',
      (): Outcome => 'accepted',
    );
    return Promise.all([syncOutcome, httpOutcome, sessionOutcome].map(settled));
  }

  it(
    '[running#shutdown][errors#durability] SIGTERM mid-workshop: stops accepting, keeps everything received and acknowledged, closes sockets so that the same clients reconnect by themselves, and exits 0',
    { timeout: 60_000 },
    async () => {
      const random = seededRandom(9);
      const server = await startServerProcess();
      const board = await busyWorkshop(server, sync, sessions, 3);
      const disconnectReasons = board.everyone.map((m) => {
        const reasons: string[] = [];
        m.session.socket.on('disconnect', (reason) => reasons.push(reason));
        return reasons;
      });
      const token = board.lead.joined.token;

      // Edits and votes keep coming while the server stops.
      let running = true;
      const isRunning = (): boolean => running;
      const loops = [
        ...board.everyone.map((m) => editLoop(board, m, seededRandom(random.below(2 ** 31)), isRunning)),
        ...board.members.map((m) => voteLoop(board, m, seededRandom(random.below(2 ** 31)), isRunning)),
      ];
      // Time is the point: a second of edits and votes in flight before the signal.
      await sleep(1_000);
      expect(board.everyone.map((m) => m.closeCodes)).toEqual(board.everyone.map(() => []));

      const exit = server.kill('SIGTERM');
      await server.waitForOutput(/SIGTERM: /);
      const during = await newConnections(server, board.boardId, token);
      let exitTimer: NodeJS.Timeout | undefined;
      const exited = await Promise.race([
        exit,
        new Promise<'still running'>(
          (resolve) => (exitTimer = setTimeout(() => resolve('still running'), 10_000)),
        ),
      ]).finally(() => clearTimeout(exitTimer));
      running = false;
      await Promise.all(loops);

      expect(exited, `the process after SIGTERM; its output:\n${server.output}`).toEqual({
        code: 0,
        signal: null,
      });
      expect(during, 'new sync, HTTP and socket.io connections once the shutdown began').toEqual([
        'refused',
        'refused',
        'refused',
      ]);
      expect(await newConnections(server, board.boardId, token), 'new connections after the exit').toEqual([
        'refused',
        'refused',
        'refused',
      ]);

      // The server closed every connection itself, in a way that tells clients to come back.
      await waitFor(
        () => board.everyone.every((m) => !m.sync.provider.wsconnected && !m.session.socket.connected),
        5_000,
        'every client to be disconnected',
      );
      for (const m of board.everyone) {
        expect(m.closeCodes[0], `${m.name}'s sync connection close code`).toBe(CLOSE.goingAway);
        expect(m.sync.provider.shouldConnect, `${m.name}'s provider still wants to reconnect`).toBe(true);
      }
      expect(disconnectReasons.map((reasons) => reasons[0])).toEqual(
        board.everyone.map(() => 'transport close'),
      );

      // Flushed: everything clients had received and every acknowledged vote is on disk.
      const received = [...board.received];
      expect(received.length, 'cards received from the server before the shutdown').toBeGreaterThan(10);
      const disk = await readStoredBoard(server.dataDir, board.boardId);
      const onDisk = new Set(disk.doc.getMap(ROOT.cards).keys());
      expect(
        received.filter((id) => !onDisk.has(id)),
        'cards clients had received from the server, missing on disk',
      ).toEqual([]);
      const storedVotes = new Map<string, Votes>();
      for (const m of board.members) {
        const stored = held(disk.session?.votes[m.joined.participantId] ?? {});
        storedVotes.set(m.name, stored);
        expect(
          possibleVotes(m.votes),
          `${m.name}'s votes on disk (${m.votes.ackedCount} acknowledged)`,
        ).toContainEqual(stored);
      }
      expect(board.members.reduce((sum, m) => sum + m.votes.ackedCount, 0)).toBeGreaterThan(5);

      // Back up: the same providers and sockets reconnect by themselves, and everyone converges.
      await restartAndWaitForEveryone(server, board);
      const expected = [...board.initialCards, ...board.everyone.flatMap((m) => m.created)].sort();
      const fresh = await sync.syncedProvider(server, board.boardId);
      await waitFor(
        () =>
          [fresh, ...board.everyone.map((m) => m.sync)].every((c) => cardIds(c).join() === expected.join()),
        20_000,
        'every client and a new one to hold every card made',
      );
      expect(cardIds(fresh)).toEqual(expected);
      for (const m of board.members) {
        expect(m.session.latest().myVotes, `${m.name}'s votes after the restart`).toEqual(
          storedVotes.get(m.name),
        );
      }
      expect(board.lead.session.latest().tallies).toEqual(sumVotes([...storedVotes.values()]));
    },
  );
});
