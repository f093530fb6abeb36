/**
 * W6 many workshops: many live boards of five people at once, in one server process on one core.
 * On Atelier each person is what a real client is on both planes: joined over HTTP
 * (docs/session.md#connecting), a sync connection carrying the token and a socket.io session
 * connection. Each person edits once every 10 s and refreshes its awareness every 15 s (what a
 * stock provider's keep-alive does), and now and then votes (docs/session.md#votes): on Atelier,
 * each board's facilitator writes three goals into the document and opens voting first.
 *
 * Boards are added rung after rung on the same server (the ladder), and each rung is measured with
 * everyone present: edit-to-peer latency (each receipt by one of the four others), vote
 * acknowledgement time, the server's CPU and event-loop delay, and its memory after a collection.
 * The peers have no session plane: there, the same people hold the sync connection alone.
 */
import type { Socket } from 'socket.io-client';
import * as Y from 'yjs';
import { addGoal } from '../../shared/board/goals';
import { connectClients, EditTracker, LightClient } from '../lib/loadgen';
import { CpuMeter, openFilesLimit, sampleProcess, schedStat, waitForQuiet } from '../lib/proc';
import { Histogram, median, percentileOf } from '../lib/stats';
import {
  connectSession,
  createBoard,
  joinBoard,
  RunningServer,
  sleep,
  type Joined,
  type MemoryReading,
  type Target,
} from '../lib/targets';
import { Framer, STEP } from '../lib/wire';

export interface ManyConfig {
  /** Board counts, in increasing order: each rung adds boards to the previous ones. */
  ladder: number[];
  perBoard: number;
  editMs: number;
  awarenessMs: number;
  /** Each person votes (or takes a vote back) once per period, from a random phase. */
  voteMs: number;
  warmupS: number;
  measureS: number;
  drainMs: number;
  /** Boards joined and connected at once. */
  joinConcurrency: number;
  /** Open files asked for the server and the generator (each socket is one on either side). */
  nofile: number;
  /** How long to wait for the rest of the machine to be quiet before a window. */
  quietWaitMs: number;
  /** Windows measured again when other processes were busy (the quietest is kept). */
  noiseRetries: number;
}

export const EDIT_P99_LIMIT_MS = 100;
export const VOTE_P99_LIMIT_MS = 250;
export const DELIVERY_MIN = 0.999;
export const GENERATOR_LIMIT = 90;
export const NOISE_LIMIT = 25;

export interface ManyStep {
  boards: number;
  people: number;
  /** Connections the server holds (sync, plus session on Atelier). */
  sockets: number;
  /** Seconds this rung's new boards took to join and connect, and people per second. */
  joinS: number;
  joinedPerS: number;
  p50: number | null;
  p99: number | null;
  maxMs: number | null;
  delivery: number;
  edits: number;
  votes: number;
  votesOk: number;
  voteP50: number | null;
  voteP99: number | null;
  serverCpu: number;
  generatorCpu: number;
  otherCpu: number;
  /** Percent of the window the server's main thread was ready to run but waited for its core. */
  waitedCpu: number | null;
  eventLoopP99: number | null;
  eventLoopMax: number | null;
  rssBytes: number;
  /** (RSS − the idle process's RSS) / boards. */
  rssPerBoard: number;
  heapBytes: number;
  invalid: boolean;
  /** Other processes used more than NOISE_LIMIT % of a core even in the quietest attempt. */
  noisy: boolean;
  /** Windows measured for this rung (a noisy one is measured again). */
  attempts: number;
  pass: boolean;
  /** Why the step failed, if it did. */
  failure: string;
}

export interface ManyResult {
  target: string;
  sessionPlane: boolean;
  baselineRssBytes: number;
  steps: ManyStep[];
  /** Least-squares slope of RSS over the boards of the rungs measured. */
  rssPerBoard: number | null;
  largestPassing: number | null;
  stoppedBy: string;
  serverOpenFiles: number | null;
  generatorOpenFiles: number | null;
  notes: string[];
}

interface Person {
  light: LightClient;
  session: Socket | null;
  index: number;
  board: number;
  /** Whether this person holds a vote now (votes alternate +1 / −1, across windows too). */
  holds: boolean;
}

interface Board {
  id: string;
  people: Person[];
  goals: string[];
}

/** Least-squares slope of y over x (null under two points). */
function slope(points: Array<[number, number]>): number | null {
  if (points.length < 2) return null;
  const n = points.length;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  let num = 0;
  let den = 0;
  for (const [x, y] of points) {
    num += (x - mx) * (y - my);
    den += (x - mx) ** 2;
  }
  return den === 0 ? null : num / den;
}

/** Memory after a collection (and the event-loop delay since the last reading), with a settled RSS. */
async function memory(server: RunningServer): Promise<{ reading: MemoryReading; rssBytes: number }> {
  const reading = await server.memoryAfterGc(15_000);
  const values: number[] = [];
  for (let i = 0; i < 3; i++) {
    await sleep(300);
    values.push(sampleProcess(server.pid).rssBytes);
  }
  return { reading, rssBytes: median(values) ?? 0 };
}

/** Runs `task` over `items`, at most `concurrency` at a time; the first error stops it. */
async function pool<T>(items: T[], concurrency: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await task(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}

export async function runMany(
  target: Target,
  config: ManyConfig,
  progress: (text: string) => void,
): Promise<ManyResult> {
  const sessionPlane = target.id === 'atelier';
  const { perBoard } = config;
  const server = await RunningServer.start(target, {
    env: { MAX_JOINS_PER_ADDRESS: '100000', BENCH_EVENT_LOOP: '1' },
    nofile: config.nofile,
  });
  const notes: string[] = [];
  const boards: Board[] = [];
  const people: Person[] = [];
  const steps: ManyStep[] = [];
  const editsPerRung = Math.ceil(((config.warmupS + config.measureS) * 1000) / config.editMs) + 2;
  const top = config.ladder.at(-1) ?? 0;
  const tracker = new EditTracker(
    config.ladder.reduce((sum, b) => sum + b * perBoard * editsPerRung, 0) * (config.noiseRetries + 1) +
      top * perBoard,
  );
  let nextEditId = 0;
  let stoppedBy = 'passed the whole ladder';
  const serverOpenFiles = openFilesLimit(server.pid);
  const generatorOpenFiles = openFilesLimit('self');
  const socketsPerPerson = sessionPlane ? 2 : 1;
  try {
    await sleep(1_000);
    const baseline = await memory(server);

    /** One board: created, its people joined, connected on both planes, its goals written, voting open. */
    const addBoard = async (): Promise<void> => {
      const created = await createBoard(server);
      const framer = new Framer(target.dialect, created.id);
      const joined: Joined[] = [];
      if (sessionPlane) {
        for (let i = 0; i < perBoard; i++)
          joined.push(
            await joinBoard(
              server,
              created.id,
              `Person ${i + 1}`,
              i === 0 ? created.facilitatorKey : undefined,
            ),
          );
      }
      const first = people.length;
      const boardIndex = boards.length;
      const board: Board = { id: created.id, people: [], goals: [] };
      boards.push(board);
      // Reserved now: the indexes are the tracker's, whatever order the boards finish in.
      const indexes = Array.from({ length: perBoard }, (_, i) => first + i);
      people.length += perBoard;
      const light = await connectClients(
        perBoard,
        (i) =>
          new LightClient({
            url: sessionPlane
              ? `${server.socketUrl(created.id)}?token=${encodeURIComponent(joined[i]!.token)}`
              : server.socketUrl(created.id),
            framer,
            index: indexes[i] as number,
            clientId: 1_000_000 + (indexes[i] as number),
            tracker,
            answersStep1: true,
            sendsStep1: true,
          }),
        60_000,
        perBoard,
      );
      const sessions = sessionPlane
        ? await Promise.all(joined.map((j) => connectSession(server, created.id, j.token)))
        : [];
      for (let i = 0; i < perBoard; i++) {
        const person: Person = {
          light: light[i] as LightClient,
          session: sessions[i] ?? null,
          index: indexes[i] as number,
          board: boardIndex,
          holds: false,
        };
        people[person.index] = person;
        board.people.push(person);
      }
      if (!sessionPlane) return;
      // The facilitator writes three goals (a real update, as its client would) and opens voting.
      const doc = new Y.Doc();
      for (let g = 0; g < 3; g++)
        board.goals.push(addGoal(doc, { title: `Goal ${g + 1}` }, joined[0]!.participantId));
      (light[0] as LightClient).ws.send(framer.sync(STEP.update, Y.encodeStateAsUpdate(doc)));
      doc.destroy();
      const lead = sessions[0] as Socket;
      let ballot = 0;
      lead.on('session', (view: { voting?: { ballot?: string[] } }) => {
        ballot = view.voting?.ballot?.length ?? ballot;
      });
      // The update and the request travel on two connections: open again until the ballot holds them.
      for (let attempt = 0; ballot < 3; attempt++) {
        if (attempt === 50) throw new Error(`board ${boardIndex}: the ballot never held the 3 goals`);
        const ack = (await lead.timeout(15_000).emitWithAck('voting', { open: true })) as { ok: boolean };
        if (!ack.ok) throw new Error(`board ${boardIndex}: voting did not open (${JSON.stringify(ack)})`);
        const until = performance.now() + 200;
        while (ballot < 3 && performance.now() < until) await sleep(20);
      }
    };

    for (const [rung, count] of config.ladder.entries()) {
      // Sockets this rung needs on each side, with room for the rest (files, SQLite, the probes).
      const needed = count * perBoard * socketsPerPerson + 200;
      const limit = Math.min(serverOpenFiles ?? Infinity, generatorOpenFiles ?? Infinity);
      if (needed > limit) {
        stoppedBy = `open-files limit: ${count} boards need about ${needed} files per side, the limit is ${limit}`;
        notes.push(`${target.label}: ${stoppedBy}.`);
        break;
      }
      const joinStart = performance.now();
      const before = people.length;
      try {
        await pool(
          Array.from({ length: count - boards.length }, () => undefined),
          config.joinConcurrency,
          addBoard,
        );
      } catch (error) {
        stoppedBy = `joining failed at ${count} boards: ${error instanceof Error ? error.message : String(error)}`;
        notes.push(`${target.label}: ${stoppedBy}`);
        break;
      }
      const joinS = (performance.now() - joinStart) / 1000;
      progress(
        `${target.label}: ${count} boards, ${people.length} people connected (${(people.length - before).toLocaleString('en-US')} joined in ${joinS.toFixed(0)} s)`,
      );

      const measure = async (attempt: number): Promise<ManyStep> => {
        // Fresh edits for everyone (a fresh Yjs client per window: see LightClient.prepare).
        for (const person of people) {
          person.light.prepare(
            editsPerRung,
            nextEditId,
            10_000_000 + (rung * (config.noiseRetries + 1) + attempt) * 100_000 + person.index,
          );
          nextEditId += editsPerRung;
        }
        await waitForQuiet([server.pid], config.quietWaitMs);
        // The event-loop reading starts here (the collection it forces comes before the load).
        await server.memoryAfterGc(15_000);
        const voteTimes: number[] = [];
        let votes = 0;
        let votesOk = 0;
        let measuring = false;
        const voteTimers: NodeJS.Timeout[] = [];
        for (const person of people) {
          person.light.start(config.editMs, config.awarenessMs);
          const socket = person.session;
          if (!socket) continue;
          const goals = (boards[person.board] as Board).goals;
          const vote = (): void => {
            const counted = measuring;
            const sent = performance.now();
            const delta = person.holds ? -1 : 1;
            person.holds = !person.holds;
            socket
              .timeout(10_000)
              .emitWithAck('vote', { goalId: goals[person.index % goals.length], delta })
              .then((ack: { ok?: boolean }) => {
                if (!counted) return;
                votes++;
                if (ack.ok === true) votesOk++;
                voteTimes.push(performance.now() - sent);
              })
              .catch(() => {
                if (!counted) return;
                votes++;
                voteTimes.push(performance.now() - sent);
              });
          };
          voteTimers.push(
            setTimeout(() => {
              vote();
              voteTimers.push(setInterval(vote, config.voteMs));
            }, Math.random() * config.voteMs),
          );
        }
        await sleep(config.warmupS * 1000);
        tracker.measuring = true;
        measuring = true;
        const editsBefore = tracker.measuredEdits;
        const receiptsBefore = tracker.measuredReceipts;
        const latency = new Histogram();
        tracker.latency = latency;
        const meter = new CpuMeter(server.pid);
        const schedBefore = schedStat(server.pid);
        await sleep(config.measureS * 1000);
        const usage = meter.read();
        const schedAfter = schedStat(server.pid);
        const waitedCpu =
          schedBefore && schedAfter ? ((schedAfter.waitS - schedBefore.waitS) / usage.seconds) * 100 : null;
        tracker.measuring = false;
        measuring = false;
        for (const person of people) person.light.stop();
        for (const timer of voteTimers) {
          clearTimeout(timer);
          clearInterval(timer);
        }
        const edits = tracker.measuredEdits - editsBefore;
        const expected = edits * (perBoard - 1);
        const drainUntil = performance.now() + config.drainMs;
        while (tracker.measuredReceipts - receiptsBefore < expected && performance.now() < drainUntil)
          await sleep(50);
        // Votes sent in the window have their answer or their timeout by now.
        const votesUntil = performance.now() + 11_000;
        while (performance.now() < votesUntil && voteTimes.length < votes) await sleep(50);
        const { reading, rssBytes } = await memory(server);
        const delivery = expected === 0 ? 0 : (tracker.measuredReceipts - receiptsBefore) / expected;
        const p99 = latency.percentile(99);
        const voteP99 = percentileOf(voteTimes, 99);
        const invalid = usage.generatorCpu > GENERATOR_LIMIT;
        const failures: string[] = [];
        if (invalid) failures.push(`generator at ${usage.generatorCpu.toFixed(0)} % of its core`);
        if (p99 === null || p99 >= EDIT_P99_LIMIT_MS) failures.push(`edit p99 ${p99?.toFixed(1) ?? '—'} ms`);
        if (delivery < DELIVERY_MIN) failures.push(`delivery ${(delivery * 100).toFixed(2)} %`);
        if (sessionPlane) {
          if (voteP99 === null || voteP99 >= VOTE_P99_LIMIT_MS)
            failures.push(`vote p99 ${voteP99?.toFixed(1) ?? '—'} ms`);
          if (votesOk < votes) failures.push(`${votes - votesOk} of ${votes} votes refused or unanswered`);
        }
        const step: ManyStep = {
          boards: count,
          people: people.length,
          sockets: people.length * socketsPerPerson,
          joinS,
          joinedPerS: (people.length - before) / Math.max(joinS, 0.001),
          p50: latency.percentile(50),
          p99,
          maxMs: latency.count > 0 ? latency.max : null,
          delivery,
          edits,
          votes,
          votesOk,
          voteP50: percentileOf(voteTimes, 50),
          voteP99,
          serverCpu: usage.serverCpu,
          generatorCpu: usage.generatorCpu,
          otherCpu: usage.otherCpu,
          waitedCpu,
          eventLoopP99: reading.eventLoop?.p99Ms ?? null,
          eventLoopMax: reading.eventLoop?.maxMs ?? null,
          rssBytes,
          rssPerBoard: (rssBytes - baseline.rssBytes) / count,
          heapBytes: reading.heapUsed + reading.external,
          invalid,
          noisy: usage.otherCpu > NOISE_LIMIT,
          attempts: 1,
          pass: failures.length === 0,
          failure: failures.join(', '),
        };
        return step;
      };
      // Another process's burst spoils a window: measure again, and keep the quietest attempt.
      const attempts = [await measure(0)];
      for (let retry = 1; (attempts.at(-1) as ManyStep).noisy && retry <= config.noiseRetries; retry++) {
        progress(
          `${target.label} ${count} boards: other processes used ${(attempts.at(-1) as ManyStep).otherCpu.toFixed(0)} % of a core; again`,
        );
        attempts.push(await measure(retry));
      }
      const step = attempts.reduce((a, b) => (b.otherCpu < a.otherCpu ? b : a));
      step.attempts = attempts.length;
      steps.push(step);
      progress(
        `${target.label} ${count} boards: edit p50 ${step.p50?.toFixed(1)} / p99 ${step.p99?.toFixed(1)} ms, ` +
          `delivery ${(step.delivery * 100).toFixed(2)} %, ${sessionPlane ? `vote p99 ${step.voteP99?.toFixed(1)} ms (${step.votesOk}/${step.votes} ok), ` : ''}` +
          `server ${step.serverCpu.toFixed(0)} % (waited ${step.waitedCpu?.toFixed(0)} %), loop p99 ${step.eventLoopP99?.toFixed(1)} ms, generator ${step.generatorCpu.toFixed(0)} %, ` +
          `other ${step.otherCpu.toFixed(0)} %, RSS ${(step.rssBytes / 1048576).toFixed(0)} MiB${step.pass ? '' : ` — FAIL (${step.failure})`}`,
      );
      // A failure in a window the machine spoiled (⚠) does not stop the ladder: the next rungs
      // show whether the server's own limit lies there. Any other failure does.
      if (!step.pass && (step.invalid || !step.noisy)) {
        stoppedBy = step.invalid
          ? `generator saturated at ${count} boards`
          : `failed at ${count} boards (${step.failure})`;
        break;
      }
    }
    let largestPassing: number | null = null;
    const noisyFailures: number[] = [];
    for (const step of steps) {
      if (step.pass) largestPassing = step.boards;
      else if (step.noisy && !step.invalid) noisyFailures.push(step.boards);
      else break;
    }
    if (noisyFailures.length > 0)
      stoppedBy += `; failed in noisy windows (other processes above ${NOISE_LIMIT} % of a core) at ${noisyFailures.join(', ')} boards`;
    return {
      target: target.id,
      sessionPlane,
      baselineRssBytes: baseline.rssBytes,
      steps,
      rssPerBoard: slope(steps.map((s) => [s.boards, s.rssBytes])),
      largestPassing,
      stoppedBy,
      serverOpenFiles,
      generatorOpenFiles,
      notes,
    };
  } finally {
    for (const person of people) {
      if (!person) continue;
      person.session?.disconnect();
    }
    await Promise.all(people.filter(Boolean).map((p) => p.light.close()));
    await server.stop();
  }
}
