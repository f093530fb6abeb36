/**
 * Multi: W1's board (N lightweight participants, each 1 edit/s and awareness at 4 Hz from a random
 * phase) on three set-ups of Atelier, all pinned to the server core:
 *
 *   sqlite    one process on SQLite (the default);
 *   postgres  one process on PostgreSQL, no Redis;
 *   cluster   two processes on PostgreSQL + Redis, participant i on process i mod 2.
 *
 * The bench starts an embedded PostgreSQL and a redis-server for it (lib/services.ts). The ladder
 * runs interleaved (every set-up at N, then every set-up at the next N), so that a noisy minute of
 * the machine spoils all three alike. For the cluster, each receipt is also counted as same-process
 * (sender and receiver on one process) or cross-process (through PostgreSQL and Redis). Server CPU
 * is the sum over the Atelier processes; PostgreSQL's (every process of its tree, reaped backends
 * included) and Redis's are reported apart. Probes on every process check convergence.
 */
import { connectClients, EditTracker, LightClient } from '../lib/loadgen';
import { machineBusySeconds, sampleProcess, treesCpuSeconds } from '../lib/proc';
import { startBenchPostgres, startBenchRedis, type BenchPostgres, type BenchRedis } from '../lib/services';
import { Histogram, median } from '../lib/stats';
import { createBoard, openProbe, RunningServer, sleep, TARGETS, waitFor, type Probe } from '../lib/targets';
import { FILLER, Framer, markerText, BENCH_ROOT } from '../lib/wire';
import { DELIVERY_MIN, GENERATOR_LIMIT, NOISE_LIMIT, P99_LIMIT_MS, type FanoutConfig } from './fanout';

export type SetupId = 'sqlite' | 'postgres' | 'cluster';

export const SETUP_IDS: SetupId[] = ['sqlite', 'postgres', 'cluster'];

export const SETUPS: Record<SetupId, { label: string; durability: string }> = {
  sqlite: {
    label: '1 process, SQLite',
    durability:
      'SQLite in the process (WAL, synchronous=NORMAL): every batch committed before it is broadcast; ' +
      'survives a crash of the process, a power loss may drop the last commits',
  },
  postgres: {
    label: '1 process, PostgreSQL',
    durability:
      'PostgreSQL: every batch committed before it is broadcast; the bench’s embedded server runs with ' +
      'fsync=off (the tests’ helper), so commits never wait for the disk — it survives a crash of Atelier ' +
      'or of PostgreSQL, not of the machine; a production server (fsync on) pays a WAL flush per commit',
  },
  cluster: {
    label: '2 processes, PostgreSQL + Redis',
    durability:
      'as 1 process on PostgreSQL (committed before broadcast or publication, fsync=off here); Redis ' +
      '(no RDB, no AOF) only carries messages, and what it drops is read back from PostgreSQL within ' +
      'CATCH_UP_MS (2 s)',
  },
};

export interface Setup {
  id: SetupId;
  /** The Atelier processes; participant i connects to servers[i mod length]. */
  servers: RunningServer[];
  /** PostgreSQL's postmaster and Redis, when this set-up uses them. */
  infraPids: number[];
}

export interface MultiConfig extends FanoutConfig {
  ladder: number[];
  runs: number;
  noiseRetries: number;
}

export interface MultiResult {
  setup: SetupId;
  n: number;
  processes: number;
  /** Every receipt by a peer (same- and cross-process together). */
  p50: number | null;
  p99: number | null;
  maxMs: number | null;
  /** Receipts by peers / (edits sent while measuring × (N − 1)). */
  delivery: number;
  /** Sender and receiver on the same process. */
  sameP50: number | null;
  sameP99: number | null;
  sameDelivery: number | null;
  /** Sender and receiver on different processes (cluster only). */
  crossP50: number | null;
  crossP99: number | null;
  crossDelivery: number | null;
  /** Percent of a core, summed over the Atelier processes. */
  serverCpu: number;
  /** Percent of a core, each Atelier process. */
  processCpu: number[];
  /** Percent of a core: PostgreSQL (its whole tree) and Redis, for the set-ups that use them. */
  infraCpu: number | null;
  generatorCpu: number;
  /** Percent of a core used by processes the bench did not start. */
  otherCpu: number;
  framesPerSec: number;
  deliveredPerSec: number;
  editsPerSec: number;
  serverRssBytes: number;
  noisy: boolean;
  invalid: boolean;
  verified: boolean;
  verifyNote: string;
  pass: boolean;
  /** The measured window on the monotonic clock, in µs (the clock of V8's CPU profiles). */
  windowUs: [number, number];
}

/**
 * W1's bookkeeping, with each receipt also sorted by whether sender and receiver are on the same
 * process (and the measured edits counted per process, for the expected receipts of each kind).
 */
class SplitTracker extends EditTracker {
  readonly same = new Histogram();
  readonly cross = new Histogram();
  sameReceipts = 0;
  crossReceipts = 0;
  readonly editsBy: number[];
  readonly #processOf: (client: number) => number;

  constructor(totalEdits: number, processes: number, processOf: (client: number) => number) {
    super(totalEdits);
    this.editsBy = new Array<number>(processes).fill(0);
    this.#processOf = processOf;
  }

  override sent(id: number, client: number): void {
    super.sent(id, client);
    if (this.measuring) {
      const p = this.#processOf(client);
      this.editsBy[p] = (this.editsBy[p] ?? 0) + 1;
    }
  }

  override receipt(id: number, receiver: number, now: number): void {
    const before = this.measuredReceipts;
    super.receipt(id, receiver, now);
    if (this.measuredReceipts === before) return; // not a measured receipt by a peer
    const latency = now - (this.sendTime[id] as number);
    if (this.#processOf(this.sender[id] as number) === this.#processOf(receiver)) {
      this.sameReceipts++;
      this.same.add(latency);
    } else {
      this.crossReceipts++;
      this.cross.add(latency);
    }
  }
}

/** CPU of groups of process trees, of this generator and of the rest of the machine, over a window. */
class GroupMeter {
  readonly #groups: Record<string, number[]>;
  readonly #start: Record<string, number>;
  readonly #self: NodeJS.CpuUsage;
  readonly #machine: number;
  readonly #at: number;

  constructor(groups: Record<string, number[]>) {
    this.#groups = groups;
    this.#start = GroupMeter.#sample(groups);
    this.#self = process.cpuUsage();
    this.#machine = machineBusySeconds();
    this.#at = performance.now();
  }

  static #sample(groups: Record<string, number[]>): Record<string, number> {
    const names = Object.keys(groups);
    const seconds = treesCpuSeconds(names.map((name) => groups[name] ?? []));
    return Object.fromEntries(names.map((name, i) => [name, seconds[i] ?? 0]));
  }

  /** Percent of one core since construction: per group, this process, everything else. */
  read(): { seconds: number; groups: Record<string, number>; generatorCpu: number; otherCpu: number } {
    const seconds = (performance.now() - this.#at) / 1000;
    const now = GroupMeter.#sample(this.#groups);
    const self = process.cpuUsage(this.#self);
    const selfSeconds = (self.user + self.system) / 1e6;
    const machine = machineBusySeconds() - this.#machine;
    const groups: Record<string, number> = {};
    let ours = selfSeconds;
    for (const name of Object.keys(this.#groups)) {
      const used = (now[name] ?? 0) - (this.#start[name] ?? 0);
      ours += used;
      groups[name] = (used / seconds) * 100;
    }
    return {
      seconds,
      groups,
      generatorCpu: (selfSeconds / seconds) * 100,
      otherCpu: Math.max(0, ((machine - ours) / seconds) * 100),
    };
  }
}

/** Waits (up to `maxMs`) until processes the bench did not start use at most `limit` % of a core. */
async function waitForQuiet(ours: number[], maxMs: number, limit = 15): Promise<number> {
  const deadline = performance.now() + maxMs;
  for (;;) {
    const meter = new GroupMeter({ ours });
    await sleep(1000);
    const other = meter.read().otherCpu;
    if (other <= limit || performance.now() > deadline) return other;
  }
}

/**
 * One step: a new board, N participants spread over the set-up's processes, two probes (one per
 * process for the cluster), warm-up, measured window, drain, then convergence on those probes and
 * on a fresh probe per process. `ours` is every process the bench started (not "other" CPU).
 */
export async function runMultiStep(
  setup: Setup,
  n: number,
  config: FanoutConfig,
  ours: number[],
): Promise<MultiResult> {
  await waitForQuiet(ours, config.quietWaitMs);
  const { servers } = setup;
  const processes = servers.length;
  const processOf = (client: number): number => client % processes;
  const board = await createBoard(servers[0] as RunningServer);
  const framer = new Framer('y-websocket', board.id);
  const editsPerClient = Math.ceil(config.warmupS + config.measureS) + 3;
  const tracker = new SplitTracker(n * editsPerClient, processes, processOf);
  let clients: LightClient[] = [];
  const probes: Probe[] = [];
  try {
    clients = await connectClients(
      n,
      (index) =>
        new LightClient({
          url: (servers[processOf(index)] as RunningServer).socketUrl(board.id),
          framer,
          index,
          clientId: 100_000 + index,
          tracker,
          answersStep1: true,
          sendsStep1: true,
        }),
      30_000,
    );
    for (const client of clients) client.prepare(editsPerClient, client.index * editsPerClient);
    for (let i = 0; i < 2; i++) {
      probes.push(openProbe(servers[i % processes] as RunningServer, board.id, { echoAwareness: false }));
    }
    await waitFor(() => probes.every((p) => p.synced), 15_000, 'the probes to sync');

    for (const client of clients) client.start(1000, 250);
    await sleep(config.warmupS * 1000);
    const atelierPids = servers.map((s) => s.pid);
    const idle = ours.filter((pid) => !atelierPids.includes(pid) && !setup.infraPids.includes(pid));
    tracker.measuring = true;
    const perProcess = Object.fromEntries(atelierPids.map((pid, i) => [`p${i}`, [pid]]));
    const meter = new GroupMeter({ ...perProcess, infra: setup.infraPids, idle });
    const windowStart = Number(process.hrtime.bigint() / 1000n);
    await sleep(config.measureS * 1000);
    const usage = meter.read();
    const windowEnd = Number(process.hrtime.bigint() / 1000n);
    const rss = atelierPids.reduce((sum, pid) => sum + sampleProcess(pid).rssBytes, 0);
    tracker.measuring = false;
    for (const client of clients) client.stop();

    const expected = tracker.measuredEdits * (n - 1);
    const drainUntil = performance.now() + config.drainMs;
    while (tracker.measuredReceipts < expected && performance.now() < drainUntil) await sleep(20);

    const want = new Map<string, string>();
    for (const client of clients) {
      if (client.lastEditId >= 0) want.set(`c${client.clientId}`, markerText(client.lastEditId, FILLER));
    }
    for (const server of servers) probes.push(openProbe(server, board.id, { echoAwareness: false }));
    const matches = (probe: Probe): number => {
      const map = probe.doc.getMap<string>(BENCH_ROOT);
      let ok = 0;
      for (const [key, value] of want) if (map.get(key) === value) ok++;
      return ok;
    };
    let verified = true;
    let verifyNote = `all ${probes.length} probes (${processes === 1 ? 'one process' : 'on both processes'}) hold every last edit`;
    try {
      await waitFor(() => probes.every((p) => matches(p) === want.size), 15_000, 'the probes to converge');
    } catch {
      verified = false;
      verifyNote = `probes hold ${probes.map((p) => matches(p)).join('/')} of ${want.size} last edits`;
    }

    // Expected receipts of each kind: an edit from process p goes to its n_p − 1 neighbours there
    // and to the N − n_p participants elsewhere.
    const onProcess = servers.map((_, p) => clients.filter((c) => processOf(c.index) === p).length);
    let expectedSame = 0;
    let expectedCross = 0;
    tracker.editsBy.forEach((edits, p) => {
      const here = onProcess[p] ?? 0;
      expectedSame += edits * (here - 1);
      expectedCross += edits * (n - here);
    });
    const delivery = expected === 0 ? 0 : tracker.measuredReceipts / expected;
    const p99 = tracker.latency.percentile(99);
    const processCpu = atelierPids.map((_, i) => usage.groups[`p${i}`] ?? 0);
    const invalid = usage.generatorCpu > GENERATOR_LIMIT;
    return {
      setup: setup.id,
      n,
      processes,
      p50: tracker.latency.percentile(50),
      p99,
      maxMs: tracker.latency.count > 0 ? tracker.latency.max : null,
      delivery,
      sameP50: tracker.same.percentile(50),
      sameP99: tracker.same.percentile(99),
      sameDelivery: expectedSame === 0 ? null : tracker.sameReceipts / expectedSame,
      crossP50: processes > 1 ? tracker.cross.percentile(50) : null,
      crossP99: processes > 1 ? tracker.cross.percentile(99) : null,
      crossDelivery: expectedCross === 0 ? null : tracker.crossReceipts / expectedCross,
      serverCpu: processCpu.reduce((a, b) => a + b, 0),
      processCpu,
      infraCpu: setup.infraPids.length > 0 ? (usage.groups.infra ?? 0) : null,
      generatorCpu: usage.generatorCpu,
      otherCpu: usage.otherCpu,
      framesPerSec: tracker.frames / usage.seconds,
      deliveredPerSec: tracker.measuredReceipts / usage.seconds,
      editsPerSec: tracker.measuredEdits / usage.seconds,
      serverRssBytes: rss,
      noisy: usage.otherCpu > NOISE_LIMIT,
      invalid,
      verified,
      verifyNote,
      pass: !invalid && verified && p99 !== null && p99 < P99_LIMIT_MS && delivery >= DELIVERY_MIN,
      windowUs: [windowStart, windowEnd],
    };
  } finally {
    await Promise.all(clients.map((c) => c.close()));
    for (const probe of probes) probe.destroy();
  }
}

/** The median of several runs of one step, field by field; it passes if the medians pass. */
export function medianMulti(runs: MultiResult[]): MultiResult {
  const pick = (f: (r: MultiResult) => number | null): number | null => median(runs.map(f));
  const first = runs[0] as MultiResult;
  const p99 = pick((r) => r.p99);
  const delivery = pick((r) => r.delivery) ?? 0;
  const generatorCpu = pick((r) => r.generatorCpu) ?? 0;
  const invalid = generatorCpu > GENERATOR_LIMIT;
  const verified = runs.every((r) => r.verified);
  return {
    setup: first.setup,
    n: first.n,
    processes: first.processes,
    p50: pick((r) => r.p50),
    p99,
    maxMs: pick((r) => r.maxMs),
    delivery,
    sameP50: pick((r) => r.sameP50),
    sameP99: pick((r) => r.sameP99),
    sameDelivery: pick((r) => r.sameDelivery),
    crossP50: pick((r) => r.crossP50),
    crossP99: pick((r) => r.crossP99),
    crossDelivery: pick((r) => r.crossDelivery),
    serverCpu: pick((r) => r.serverCpu) ?? 0,
    processCpu: first.processCpu.map((_, i) => median(runs.map((r) => r.processCpu[i])) ?? 0),
    infraCpu: pick((r) => r.infraCpu),
    generatorCpu,
    otherCpu: pick((r) => r.otherCpu) ?? 0,
    framesPerSec: pick((r) => r.framesPerSec) ?? 0,
    deliveredPerSec: pick((r) => r.deliveredPerSec) ?? 0,
    editsPerSec: pick((r) => r.editsPerSec) ?? 0,
    serverRssBytes: pick((r) => r.serverRssBytes) ?? 0,
    noisy: runs.some((r) => r.noisy),
    invalid,
    verified,
    verifyNote: runs.map((r) => r.verifyNote).join('; '),
    pass: !invalid && verified && p99 !== null && p99 < P99_LIMIT_MS && delivery >= DELIVERY_MIN,
    windowUs: first.windowUs,
  };
}

export interface MultiRun {
  steps: Record<SetupId, MultiResult[]>;
  notes: string[];
  services: {
    postgres: {
      version: string;
      fsync: string;
      synchronousCommit: string;
      startupMs: number;
      pinned: boolean;
    } | null;
    redis: { version: string } | null;
  };
  /** Set-ups that ran (one that cannot start is left out, with a note). */
  ran: SetupId[];
}

/**
 * Starts PostgreSQL, Redis and the three set-ups, runs the ladder interleaved, and stops
 * everything (servers first, then Redis, then PostgreSQL) whatever happens.
 */
export async function runMulti(config: MultiConfig, progress: (text: string) => void): Promise<MultiRun> {
  const steps: Record<SetupId, MultiResult[]> = { sqlite: [], postgres: [], cluster: [] };
  const notes: string[] = [];
  const setups: Setup[] = [];
  let postgres: BenchPostgres | null = null;
  let redis: BenchRedis | null = null;
  const fmt = (v: number | null, digits = 1): string => (v === null ? '—' : v.toFixed(digits));
  try {
    try {
      postgres = await startBenchPostgres();
      progress(
        `PostgreSQL ${postgres.version} up in ${fmt(postgres.startupMs, 0)} ms (fsync=${postgres.fsync}, pinned to the server core: ${postgres.pinned ? 'yes' : 'no'})`,
      );
    } catch (error) {
      notes.push(`PostgreSQL did not start: ${error instanceof Error ? error.message : String(error)}`);
    }
    try {
      redis = await startBenchRedis();
      progress(`redis-server ${redis.version} up on ${redis.url}`);
    } catch (error) {
      notes.push(`Redis did not start: ${error instanceof Error ? error.message : String(error)}`);
    }

    const atelier = TARGETS.atelier;
    const start = async (id: SetupId, make: () => Promise<Setup>): Promise<void> => {
      try {
        setups.push(await make());
      } catch (error) {
        notes.push(
          `${SETUPS[id].label}: did not start — ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    };
    await start('sqlite', async () => ({
      id: 'sqlite',
      servers: [await RunningServer.start(atelier)],
      infraPids: [],
    }));
    if (postgres) {
      const pg = postgres;
      await start('postgres', async () => ({
        id: 'postgres',
        servers: [await RunningServer.start(atelier, { env: { DATABASE_URL: await pg.createDatabase() } })],
        infraPids: [pg.pid],
      }));
      if (redis) {
        const env = { DATABASE_URL: await pg.createDatabase(), REDIS_URL: redis.url };
        const bus = redis;
        await start('cluster', async () => {
          const servers: RunningServer[] = [];
          try {
            // One after the other: the first creates the schema, the second finds it.
            for (let i = 0; i < 2; i++) servers.push(await RunningServer.start(atelier, { env }));
          } catch (error) {
            await Promise.all(servers.map((s) => s.stop()));
            throw error;
          }
          return { id: 'cluster', servers, infraPids: [pg.pid, bus.pid] };
        });
      }
    }

    const ours = [
      ...setups.flatMap((s) => s.servers.map((server) => server.pid)),
      ...(postgres ? [postgres.pid] : []),
      ...(redis ? [redis.pid] : []),
    ];
    const stopped = new Set<SetupId>();
    for (const n of config.ladder) {
      for (const setup of setups) {
        if (stopped.has(setup.id)) continue;
        const label = SETUPS[setup.id].label;
        try {
          const runs: MultiResult[] = [];
          for (let r = 0; r < config.runs; r++) {
            const attempts = [await runMultiStep(setup, n, config, ours)];
            for (
              let retry = 0;
              (attempts.at(-1) as MultiResult).noisy && retry < config.noiseRetries;
              retry++
            ) {
              progress(
                `${label} N=${n}: other processes used ${fmt((attempts.at(-1) as MultiResult).otherCpu, 0)} % of a core; again`,
              );
              attempts.push(await runMultiStep(setup, n, config, ours));
            }
            runs.push(attempts.reduce((a, b) => (b.otherCpu < a.otherCpu ? b : a)));
          }
          const step = medianMulti(runs);
          steps[setup.id].push(step);
          const split =
            step.processes > 1
              ? ` (same process p99 ${fmt(step.sameP99)} ms, cross-process p50 ${fmt(step.crossP50)} / p99 ${fmt(step.crossP99)} ms)`
              : '';
          progress(
            `${label} N=${n}: p50 ${fmt(step.p50)} ms, p99 ${fmt(step.p99)} ms${split}, delivery ${(step.delivery * 100).toFixed(2)} %, ` +
              `Atelier CPU ${fmt(step.serverCpu, 0)} %${step.infraCpu === null ? '' : `, PostgreSQL+Redis ${fmt(step.infraCpu, 0)} %`}, ` +
              `generator ${fmt(step.generatorCpu, 0)} %, other ${fmt(step.otherCpu, 0)} %` +
              `${step.invalid ? ' — INVALID (generator saturated)' : ''}${step.verified ? '' : ` — NOT CONVERGED (${step.verifyNote})`}`,
          );
          if (step.invalid) {
            notes.push(`${label}: the generator saturated its core at N=${n}; that ladder stopped there.`);
            stopped.add(setup.id);
          } else if (!step.pass && n >= 100) {
            stopped.add(setup.id);
          }
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          notes.push(`${label} N=${n}: ${message}`);
          progress(`${label} N=${n}: failed — ${message}`);
          stopped.add(setup.id);
        }
      }
    }
  } finally {
    await Promise.all(setups.flatMap((s) => s.servers.map((server) => server.stop())));
    await redis?.stop().catch((error: unknown) => notes.push(`stopping Redis: ${String(error)}`));
    await postgres?.stop().catch((error: unknown) => notes.push(`stopping PostgreSQL: ${String(error)}`));
  }
  return {
    steps,
    notes,
    services: {
      postgres: postgres && {
        version: postgres.version,
        fsync: postgres.fsync,
        synchronousCommit: postgres.synchronousCommit,
        startupMs: postgres.startupMs,
        pinned: postgres.pinned,
      },
      redis: redis && { version: redis.version },
    },
    ran: setups.map((s) => s.id),
  };
}
