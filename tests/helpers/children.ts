/**
 * Child processes that tests start (Atelier servers, redis-server): the tracking the bench shares
 * with the tests lives in scripts/lib/children.ts; what only the tests need is here.
 */
export {
  freePort,
  spawnTracked,
  untilOutput,
  type Exit,
  type SpawnTrackedOptions,
  type TrackedChild,
} from '../../scripts/lib/children';

/**
 * Runs `attempt` again while it fails because the port it starts on is still held (by the process
 * just killed, which the OS may take a moment to release), for at most `retryMs`.
 */
export async function whilePortBusy<T>(
  attempt: () => Promise<T>,
  portWasBusy: () => boolean,
  retryMs = 5_000,
): Promise<T> {
  const deadline = Date.now() + retryMs;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (!portWasBusy() || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
