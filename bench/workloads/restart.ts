/**
 * W5 restart: B boards × P stock providers, each of which has made one edit; the server is killed
 * (SIGKILL) and started again on the same port (Atelier: same data directory). Measured: from the
 * kill until every provider has resynced by itself, and from the new server being ready until
 * then; afterwards every provider must still hold every edit of its board. The providers reconnect
 * with jittered delays from a low start (JITTERED_BACKOFF), as Atelier's client does on its own
 * scale: a room does not come back in one instant, and no figure sits on a fixed backoff step.
 */
import { BENCH_ROOT } from '../lib/wire';
import { createBoard, openProbe, RunningServer, waitFor, type Probe, type Target } from '../lib/targets';

export interface RestartResult {
  clients: number;
  boards: number;
  /** Kill → the new process listening. */
  startMs: number;
  /** Kill → every client resynced. */
  resyncedMs: number | null;
  /** New process listening → every client resynced. */
  afterReadyMs: number | null;
  contentKept: boolean;
  note: string;
}

export async function runRestart(target: Target, boards: number, perBoard: number): Promise<RestartResult> {
  const server = await RunningServer.start(target);
  const probes: Probe[][] = [];
  try {
    for (let b = 0; b < boards; b++) {
      const board = await createBoard(server);
      const group: Probe[] = [];
      for (let p = 0; p < perBoard; p++) group.push(openProbe(server, board.id, { jitter: true }));
      probes.push(group);
    }
    const all = probes.flat();
    await waitFor(() => all.every((p) => p.synced), 30_000, 'every provider to sync');
    for (const probe of all)
      probe.doc.getMap<string>(BENCH_ROOT).set(`c${probe.doc.clientID}`, 'before the restart');
    await waitFor(
      () => all.every((p) => p.doc.getMap(BENCH_ROOT).size === perBoard),
      30_000,
      'every board to converge before the restart',
    );

    const down = new Set<Probe>();
    const resynced = new Map<Probe, number>();
    for (const probe of all) {
      probe.onDisconnected(() => {
        down.add(probe);
        resynced.delete(probe);
      });
      probe.onSynced(() => {
        if (down.has(probe) && !resynced.has(probe)) resynced.set(probe, performance.now());
      });
    }
    const { killedAt, readyAt } = await server.restart('SIGKILL');
    let note = '';
    try {
      await waitFor(() => resynced.size === all.length, 60_000, 'every provider to resync');
    } catch {
      note = `${resynced.size} of ${all.length} resynced within 60 s`;
    }
    const last = resynced.size === all.length ? Math.max(...resynced.values()) : null;
    let contentKept = true;
    try {
      await waitFor(() => all.every((p) => p.doc.getMap(BENCH_ROOT).size === perBoard), 10_000, 'content');
    } catch {
      contentKept = false;
    }
    return {
      clients: all.length,
      boards,
      startMs: readyAt - killedAt,
      resyncedMs: last === null ? null : last - killedAt,
      afterReadyMs: last === null ? null : last - readyAt,
      contentKept,
      note:
        note || (target.hasDocument && target.id !== 'atelier' ? 'content came back from the clients' : ''),
    };
  } finally {
    for (const probe of probes.flat()) probe.destroy();
    await server.stop();
  }
}
