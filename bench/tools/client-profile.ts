/**
 * Where the time goes when a 2,000-card board shows in Chromium: the client built unminified, the
 * board written as the client workload writes it, then one load with the CDP profiler running from
 * navigation to the 2,000th `.card`. Prints the self time by script and the top functions, and the
 * page's own timeline (first WebSocket message, first lane, cards shown).
 *   npx tsx bench/tools/client-profile.ts [cards=2000] [--no-minify]
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { readQuestions } from '../../shared/board/read';
import { launchBrowser } from '../../scripts/lib/chromium';
import { tempDir } from '../lib/proc';
import {
  atelierFrom,
  useAtelierFrom,
  createBoard,
  joinBoard,
  openProbe,
  RunningServer,
  TARGETS,
  waitFor,
} from '../lib/targets';
import { timeFirstSync, writeCards } from '../workloads/cold';

/** `--atelier-dir=DIR`: the client and server of another checkout (e.g. the commit before a change). */
const from = process.argv.find((arg) => arg.startsWith('--atelier-dir='))?.slice('--atelier-dir='.length);
if (from) useAtelierFrom(from);
const cards = Number(process.argv.find((arg) => /^\d+$/.test(arg)) ?? 2000);
const minify = !process.argv.includes('--no-minify');
/** `--type`: the profile covers typing 20 keys into a card after the load, not the load. */
const typing = process.argv.includes('--type');
/** `--loads=N`: N loads timed without the profiler, with Chromium's own task metrics. */
const timedLoads = Number(process.argv.find((arg) => arg.startsWith('--loads='))?.slice(8) ?? 0);

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface TraceEvent {
  name: string;
  ph: string;
  dur?: number;
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const outDir = join(tempDir('atelier-client-profile-'), 'client');
const built = spawnSync(
  join(atelierFrom(), 'node_modules/.bin/vite'),
  [
    'build',
    '--outDir',
    outDir,
    '--emptyOutDir',
    '--logLevel',
    'warn',
    ...(minify ? [] : ['--minify', 'false']),
  ],
  { cwd: atelierFrom(), env: { ...process.env, ATELIER_CLIENT_BUILD: '1' }, encoding: 'utf8' },
);
if (built.status !== 0) throw new Error(`vite build failed: ${built.stderr}`);

const server = await RunningServer.start(TARGETS.atelier, { env: { CLIENT_DIR: outDir } });
const browser = await launchBrowser();
try {
  const board = await createBoard(server, 'social-kickoff');
  const author = await joinBoard(server, board.id, 'Author');
  const writer = openProbe(server, board.id, { token: author.token, echoAwareness: false });
  await waitFor(() => writer.synced, 15_000, 'the writer to sync');
  const first = readQuestions(writer.doc, 'discover')[0];
  if (!first) throw new Error('no discover question');
  writeCards(writer.doc, cards, first.id, author.participantId);
  await timeFirstSync(server, board.id, cards);
  writer.destroy();
  const viewer = await joinBoard(server, board.id, 'Viewer');
  const identity = JSON.stringify(typing ? { ...author, name: 'Author' } : { ...viewer, name: 'Viewer' });

  const rounds = timedLoads > 0 ? Array.from({ length: timedLoads }, (_, i) => i + 1) : [1, 2];
  const summary: string[] = [];
  for (const round of rounds) {
    // `--css=…` (a style added before typing, to try a layout change) needs the page's CSP lifted.
    const bypassCSP = process.argv.some((arg) => arg.startsWith('--css='));
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, bypassCSP });
    const key = JSON.stringify(`atelier:identity:${board.id}`);
    await context.addInitScript({
      content: `
        localStorage.setItem(${key}, ${JSON.stringify(identity)});
        const RealSocket = WebSocket;
        window.WebSocket = class extends RealSocket {
          constructor(...args) {
            super(...args);
            if (String(args[0]).includes('/sync')) this.addEventListener('message', () => {
              if (window.__firstSyncMessage === undefined) window.__firstSyncMessage = performance.now();
            });
          }
        };
        const check = () => {
          if (window.__laneAt === undefined && document.querySelector('section.lane')) window.__laneAt = performance.now();
          if (document.querySelectorAll('.card').length >= ${cards}) window.__cardsAt = performance.now();
          else requestAnimationFrame(check);
        };
        requestAnimationFrame(check);
      `,
    });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    if (timedLoads === 0 && !typing) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
      await cdp.send('Profiler.start');
    }
    await page.goto(board.participantUrl ?? `${server.httpUrl}/b/${board.id}`, { waitUntil: 'commit' });
    type Marks = { __cardsAt?: number; __laneAt?: number; __firstSyncMessage?: number };
    await page.waitForFunction(() => (globalThis as unknown as Marks).__cardsAt !== undefined, null, {
      timeout: 60_000,
      polling: 50,
    });
    let { metrics } = await cdp.send('Performance.getMetrics');
    if (typing) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
      const css = process.argv.find((arg) => arg.startsWith('--css='))?.slice('--css='.length);
      await page.locator('.card').first().getByRole('button', { name: 'Edit', exact: true }).click();
      if (css) await page.addStyleTag({ content: css });
      await page.locator('.card textarea').first().press('End');
      await cdp.send('Profiler.start');
      const before = metrics;
      const events: TraceEvent[] = [];
      cdp.on('Tracing.dataCollected', ({ value }) => events.push(...(value as unknown as TraceEvent[])));
      await cdp.send('Tracing.start', {
        categories: 'devtools.timeline,disabled-by-default-devtools.timeline',
        transferMode: 'ReportEvents',
      });
      await page.keyboard.type('quick brown foxes ok', { delay: 80 });
      const done = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
      await cdp.send('Tracing.end');
      await done;
      // Main-thread time by trace event (complete events; nested ones counted inside their parents too).
      const byName = new Map<string, number>();
      for (const event of events) {
        if (event.ph !== 'X' || event.dur === undefined) continue;
        byName.set(event.name, (byName.get(event.name) ?? 0) + event.dur / 1000);
      }
      console.log(
        'trace while typing (ms, summed):\n' +
          [...byName.entries()]
            .sort((a, b) => b[1] - a[1])
            .slice(0, 25)
            .map(([name, ms]) => `  ${ms.toFixed(1).padStart(8)}  ${name}`)
            .join('\n'),
      );
      ({ metrics } = await cdp.send('Performance.getMetrics'));
      // From here on, the figures are the typing's alone.
      metrics = metrics.map((m) => ({
        ...m,
        value: m.value - (before.find((b) => b.name === m.name)?.value ?? 0),
      }));
      const counts = ['LayoutCount', 'RecalcStyleCount'].map(
        (name) => `${name} ${metrics.find((m) => m.name === name)?.value}`,
      );
      console.log(`typing 20 keys: ${counts.join(', ')}`);
    }
    const metric = (name: string) => Math.round((metrics.find((m) => m.name === name)?.value ?? 0) * 1000);
    const tasks = ['TaskDuration', 'ScriptDuration', 'LayoutDuration', 'RecalcStyleDuration']
      .map((name) => `${name.replace('Duration', '')} ${metric(name)}`)
      .join(', ');
    const marks = await page.evaluate(() => {
      const m = globalThis as unknown as Marks;
      type Navigation = { responseEnd: number; domContentLoadedEventEnd: number };
      const nav = performance.getEntriesByType('navigation' as never)[0] as unknown as Navigation | undefined;
      return {
        responseEnd: nav?.responseEnd ?? null,
        domContentLoaded: nav?.domContentLoadedEventEnd ?? null,
        firstSyncMessage: m.__firstSyncMessage ?? null,
        lane: m.__laneAt ?? null,
        cards: m.__cardsAt ?? null,
        heapMb:
          ((performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0) /
          1048576,
      };
    });
    const profile =
      timedLoads > 0 && !typing
        ? null
        : ((await cdp.send('Profiler.stop')) as unknown as { profile: CpuProfile }).profile;
    await context.close();
    console.log(`\nload ${round}:`, JSON.stringify(marks), tasks);
    summary.push(`${Math.round(marks.cards ?? 0)} ms (${tasks})`);
    if (!profile) continue;

    const selfUs = new Map<number, number>();
    profile.samples.forEach((id, index) =>
      selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0)),
    );
    const byFunction = new Map<string, number>();
    const byScript = new Map<string, number>();
    for (const node of profile.nodes) {
      const us = selfUs.get(node.id) ?? 0;
      const script = node.callFrame.url.split('/').pop() || `(${node.callFrame.functionName || 'native'})`;
      const name = `${node.callFrame.functionName || '(anonymous)'} ${script}:${node.callFrame.lineNumber + 1}`;
      byFunction.set(name, (byFunction.get(name) ?? 0) + us);
      byScript.set(script, (byScript.get(script) ?? 0) + us);
    }
    const top = (map: Map<string, number>, n: number) =>
      [...map.entries()]
        .sort((a, b) => b[1] - a[1])
        .slice(0, n)
        .map(([name, us]) => `  ${(us / 1000).toFixed(1).padStart(8)} ms  ${name}`)
        .join('\n');
    console.log('by script:\n' + top(byScript, 8));
    console.log('top functions (self):\n' + top(byFunction, 30));
    // Inclusive time: a function's own samples and its callees' (counted once per stack).
    const parentOf = new Map<number, number>();
    for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
    const nodeById = new Map(profile.nodes.map((node) => [node.id, node]));
    const inclusive = new Map<string, number>();
    for (const [id, us] of selfUs) {
      const seen = new Set<string>();
      for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) {
        const node = nodeById.get(at);
        if (!node) break;
        const name = `${node.callFrame.functionName || '(anonymous)'} ${node.callFrame.url.split('/').pop()}:${node.callFrame.lineNumber + 1}`;
        if (seen.has(name)) continue;
        seen.add(name);
        inclusive.set(name, (inclusive.get(name) ?? 0) + us);
      }
    }
    console.log('top functions (inclusive):\n' + top(inclusive, 110));
  }
  console.log(`\ncards shown: ${summary.join('; ')}`);
} finally {
  await browser.close();
  await server.stop();
}
