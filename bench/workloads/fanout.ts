/**
 * W1 fan-out: one board, N lightweight participants, each 1 edit/s and awareness at 4 Hz from a
 * random phase, plus two stock-provider probes; after the measurement a fresh probe must see every
 * participant's last edit (so the server converged), as must the two probes that were there all along.
 */
import { connectClients, EditTracker, LightClient } from '../lib/loadgen';
import { CpuMeter, waitForQuiet } from '../lib/proc';
import { median } from '../lib/stats';
import { createBoard, openProbe, sleep, waitFor, type Probe, type RunningServer } from '../lib/targets';
import { FILLER, Framer, markerText, BENCH_ROOT } from '../lib/wire';

export interface FanoutConfig {
  warmupS: number;
  measureS: number;
  drainMs: number;
  /** How long to wait for the rest of the machine to be quiet before measuring. */
  quietWaitMs: number;
}

export interface FanoutResult {
  n: number;
  p50: number | null;
  p99: number | null;
  maxMs: number | null;
  /** Receipts by peers / (edits sent while measuring × (N − 1)). */
  delivery: number;
  serverCpu: number;
  generatorCpu: number;
  /** Frames per second received by the N lightweight clients (≈ what the server sends them). */
  framesPerSec: number;
  /** Edit receipts per second by peers. */
  deliveredPerSec: number;
  /** Edits sent per second. */
  editsPerSec: number;
  serverRssBytes: number;
  /** Percent of a core used by other processes on this machine during the measurement. */
  otherCpu: number;
  /** Other processes used more than NOISE_LIMIT % of a core: the run is repeated if it can be. */
  noisy: boolean;
  /** The generator used more than 90 % of its core: the figures say more about it than the server. */
  invalid: boolean;
  verified: boolean;
  verifyNote: string;
  pass: boolean;
  /** The measured window on the monotonic clock, in µs (the clock of V8's CPU profiles). */
  windowUs: [number, number];
  error?: string;
}

export const P99_LIMIT_MS = 100;
export const DELIVERY_MIN = 0.999;
export const GENERATOR_LIMIT = 90;
export const NOISE_LIMIT = 25;

export async function runFanout(
  server: RunningServer,
  n: number,
  config: FanoutConfig,
): Promise<FanoutResult> {
  await waitForQuiet([server.pid], config.quietWaitMs);
  const board = await createBoard(server);
  const framer = new Framer(server.target.dialect, board.id);
  const editsPerClient = Math.ceil(config.warmupS + config.measureS) + 3;
  const tracker = new EditTracker(n * editsPerClient);
  const relay = !server.target.hasDocument;
  let clients: LightClient[] = [];
  const probes: Probe[] = [];
  try {
    clients = await connectClients(
      n,
      (index) =>
        new LightClient({
          url: server.socketUrl(board.id),
          framer,
          index,
          clientId: 100_000 + index,
          tracker,
          answersStep1: !relay || index === 0,
          sendsStep1: !relay,
        }),
      30_000,
    );
    for (const client of clients) client.prepare(editsPerClient, client.index * editsPerClient);
    for (let i = 0; i < 2; i++) probes.push(openProbe(server, board.id, { echoAwareness: false }));
    await waitFor(() => probes.every((p) => p.synced), 15_000, 'the probes to sync');

    for (const client of clients) client.start(1000, 250);
    await sleep(config.warmupS * 1000);
    tracker.measuring = true;
    const meter = new CpuMeter(server.pid);
    const windowStart = Number(process.hrtime.bigint() / 1000n);
    await sleep(config.measureS * 1000);
    const usage = meter.read();
    const windowEnd = Number(process.hrtime.bigint() / 1000n);
    tracker.measuring = false;
    for (const client of clients) client.stop();

    const expected = tracker.measuredEdits * (n - 1);
    const drainUntil = performance.now() + config.drainMs;
    while (tracker.measuredReceipts < expected && performance.now() < drainUntil) await sleep(20);

    // Convergence: every participant's last edit, on the long-lived probes and on a fresh one.
    const want = new Map<string, string>();
    for (const client of clients) {
      if (client.lastEditId >= 0) want.set(`c${client.clientId}`, markerText(client.lastEditId, FILLER));
    }
    const fresh = openProbe(server, board.id, { echoAwareness: false });
    probes.push(fresh);
    const matches = (probe: Probe): number => {
      const map = probe.doc.getMap<string>(BENCH_ROOT);
      let ok = 0;
      for (const [key, value] of want) if (map.get(key) === value) ok++;
      return ok;
    };
    let verifyNote = 'all probes hold every last edit';
    let verified = true;
    try {
      await waitFor(() => probes.every((p) => matches(p) === want.size), 15_000, 'the probes to converge');
    } catch {
      verified = false;
      verifyNote = `probes hold ${probes.map((p) => matches(p)).join('/')} of ${want.size} last edits`;
    }

    const delivery = expected === 0 ? 0 : tracker.measuredReceipts / expected;
    const p99 = tracker.latency.percentile(99);
    const invalid = usage.generatorCpu > GENERATOR_LIMIT;
    return {
      n,
      p50: tracker.latency.percentile(50),
      p99,
      maxMs: tracker.latency.count > 0 ? tracker.latency.max : null,
      delivery,
      serverCpu: usage.serverCpu,
      generatorCpu: usage.generatorCpu,
      framesPerSec: tracker.frames / usage.seconds,
      deliveredPerSec: tracker.measuredReceipts / usage.seconds,
      editsPerSec: tracker.measuredEdits / usage.seconds,
      serverRssBytes: usage.rssBytes,
      otherCpu: usage.otherCpu,
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
    void relay;
  }
}

/** The median of several runs of one step, field by field; it passes if the medians pass. */
export function medianFanout(runs: FanoutResult[]): FanoutResult {
  const pick = (f: (r: FanoutResult) => number | null): number | null => median(runs.map(f));
  const first = runs[0] as FanoutResult;
  const p99 = pick((r) => r.p99);
  const delivery = pick((r) => r.delivery) ?? 0;
  const generatorCpu = pick((r) => r.generatorCpu) ?? 0;
  const invalid = generatorCpu > GENERATOR_LIMIT;
  const verified = runs.every((r) => r.verified);
  return {
    n: first.n,
    p50: pick((r) => r.p50),
    p99,
    maxMs: pick((r) => r.maxMs),
    delivery,
    serverCpu: pick((r) => r.serverCpu) ?? 0,
    generatorCpu,
    framesPerSec: pick((r) => r.framesPerSec) ?? 0,
    deliveredPerSec: pick((r) => r.deliveredPerSec) ?? 0,
    editsPerSec: pick((r) => r.editsPerSec) ?? 0,
    serverRssBytes: pick((r) => r.serverRssBytes) ?? 0,
    otherCpu: pick((r) => r.otherCpu) ?? 0,
    noisy: runs.some((r) => r.noisy),
    invalid,
    verified,
    verifyNote: runs.map((r) => r.verifyNote).join('; '),
    pass: !invalid && verified && p99 !== null && p99 < P99_LIMIT_MS && delivery >= DELIVERY_MIN,
    windowUs: first.windowUs,
  };
}
