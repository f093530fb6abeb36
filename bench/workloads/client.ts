/**
 * The client: its JavaScript, gzipped (built by Vite into a temporary folder, so that a build
 * other people may be using in dist/client is left alone), and how long a 2,000-card board takes
 * to show in headless Chromium, from navigation to the 2,000th `.card` element being in the page.
 * The viewer is a participant joined over HTTP whose identity is put in localStorage first, as
 * a returning participant's browser has it, so no form is timed.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { readQuestions } from '../../shared/board/read';
import { launchBrowser } from '../../scripts/lib/chromium';
import { tempDir } from '../lib/proc';
import { median } from '../lib/stats';
import {
  atelierFrom,
  createBoard,
  joinBoard,
  openProbe,
  RunningServer,
  TARGETS,
  waitFor,
} from '../lib/targets';
import { timeFirstSync, writeCards } from './cold';

export interface BundleResult {
  files: Array<{ name: string; bytes: number; gzipBytes: number }>;
  jsBytes: number;
  jsGzipBytes: number;
  buildMs: number;
  outDir: string;
}

export async function buildClient(): Promise<BundleResult> {
  const outDir = join(tempDir('atelier-bench-client-'), 'client');
  const started = performance.now();
  await new Promise<void>((resolve, reject) => {
    const child = spawn(
      join(atelierFrom(), 'node_modules/.bin/vite'),
      ['build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'],
      {
        cwd: atelierFrom(),
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, ATELIER_CLIENT_BUILD: '1' },
      },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 300_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`vite build failed (${code}):\n${output.slice(-2000)}`));
    });
  });
  const buildMs = performance.now() - started;
  const assets = join(outDir, 'assets');
  const files = readdirSync(assets)
    .filter((name) => name.endsWith('.js'))
    .map((name) => {
      const bytes = readFileSync(join(assets, name));
      return { name, bytes: bytes.byteLength, gzipBytes: gzipSync(bytes).byteLength };
    });
  return {
    files,
    jsBytes: files.reduce((sum, f) => sum + f.bytes, 0),
    jsGzipBytes: files.reduce((sum, f) => sum + f.gzipBytes, 0),
    buildMs,
    outDir,
  };
}

export interface BrowserLoadResult {
  cards: number;
  loads: number[];
  medianMs: number | null;
  /** Navigation → the board's first lane is in the page (the app has started). */
  firstLaneMs: number | null;
  syncFromNodeMs: number | null;
  /** Typing into one card of the same board (null when it could not be measured). */
  keystrokes: KeystrokeResult | null;
  note: string;
}

/**
 * One keystroke's cost on the main thread, in ms: `workMs` from the keydown to the end of the
 * script work it causes (the text's delta, the document's observers, the page's update), `frameMs`
 * the next frame's own work (animation-frame callbacks, style, layout, paint), `costMs` their sum,
 * which one 16 ms frame must hold (docs/quality.md#the-client-on-a-big-board).
 */
export interface Keystroke {
  workMs: number;
  frameMs: number;
  costMs: number;
}

export interface KeystrokeResult {
  keys: Keystroke[];
  medianCostMs: number | null;
  maxCostMs: number | null;
  medianWorkMs: number | null;
  medianFrameMs: number | null;
  /** Tasks over 50 ms seen while typing (PerformanceObserver 'longtask'). */
  longTasks: number;
}

/** Typed into a card, one real key press at a time. */
const TYPED = 'quick brown foxes ok';

/** Runs in the page before its scripts: times each key pressed in a textarea (see `Keystroke`). */
const KEYSTROKE_PROBE = `
  window.__keys = [];
  window.__longTasks = 0;
  new PerformanceObserver((list) => (window.__longTasks += list.getEntries().length)).observe({ type: 'longtask' });
  addEventListener('keydown', (event) => {
    if (!(event.target instanceof HTMLTextAreaElement)) return;
    const start = performance.now();
    let workEnd = null;
    // After the page's own input handler (delegated below window): a microtask queued now runs
    // after the update the handler queued.
    addEventListener('input', () => queueMicrotask(() => (workEnd = performance.now())), { once: true });
    requestAnimationFrame(() => {
      const frameStart = performance.now();
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        const work = (workEnd ?? frameStart) - start;
        const frame = performance.now() - frameStart;
        window.__keys.push({ workMs: work, frameMs: frame, costMs: work + frame });
      };
      channel.port2.postMessage(null);
    });
  }, true);
`;

export async function runBrowserLoad(
  clientDir: string,
  cards: number,
  loads: number,
): Promise<BrowserLoadResult> {
  const server = await RunningServer.start(TARGETS.atelier, { env: { CLIENT_DIR: clientDir } });
  const browser = await launchBrowser();
  try {
    const board = await createBoard(server, 'social-kickoff');
    const author = await joinBoard(server, board.id, 'Author');
    const writer = openProbe(server, board.id, { token: author.token, echoAwareness: false });
    await waitFor(() => writer.synced, 15_000, 'the writer to sync');
    const first = readQuestions(writer.doc, 'discover')[0];
    if (!first) throw new Error('the kickoff template has no discover question');
    writeCards(writer.doc, cards, first.id, author.participantId);
    // Stored once a fresh provider sees every card (Atelier stores before it broadcasts).
    const syncFromNodeMs = await timeFirstSync(server, board.id, cards);
    writer.destroy();

    const viewer = await joinBoard(server, board.id, 'Viewer');
    const identity = JSON.stringify({ ...viewer, name: 'Viewer' });
    const results: number[] = [];
    const lanes: number[] = [];
    for (let i = 0; i < loads; i++) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      try {
        // Runs in the page before any of its scripts (a string: this file is compiled without DOM types).
        const key = JSON.stringify(`atelier:identity:${board.id}`);
        await context.addInitScript({
          content: `
            localStorage.setItem(${key}, ${JSON.stringify(identity)});
            const check = () => {
              if (window.__laneAt === undefined && document.querySelector('section.lane')) window.__laneAt = performance.now();
              if (document.querySelectorAll('.card').length >= ${cards}) window.__cardsAt = performance.now();
              else requestAnimationFrame(check);
            };
            requestAnimationFrame(check);
          `,
        });
        const page = await context.newPage();
        await page.goto(board.participantUrl ?? `${server.httpUrl}/b/${board.id}`, { waitUntil: 'commit' });
        // Functions, not strings: the page's Content-Security-Policy forbids eval.
        type Marks = { __cardsAt?: number; __laneAt?: number };
        await page.waitForFunction(() => (globalThis as unknown as Marks).__cardsAt !== undefined, null, {
          timeout: 60_000,
          polling: 50,
        });
        const times = await page.evaluate(() => {
          const marks = globalThis as unknown as Marks;
          return { cards: marks.__cardsAt as number, lane: marks.__laneAt ?? null };
        });
        results.push(times.cards);
        if (times.lane !== null) lanes.push(times.lane);
      } finally {
        await context.close();
      }
    }
    const typist = JSON.stringify({ ...author, name: 'Author' });
    let keystrokeNote = '';
    const keystrokes = await typeIntoCard(browser, board, server, typist, cards).catch((error: unknown) => {
      keystrokeNote = `; keystrokes not measured: ${error instanceof Error ? error.message : String(error)}`;
      return null;
    });
    return {
      cards,
      loads: results,
      keystrokes,
      medianMs: median(results),
      firstLaneMs: median(lanes),
      syncFromNodeMs,
      note: `fresh browser context each load (cold HTTP cache and IndexedDB); Chromium not pinned${keystrokeNote}`,
    };
  } finally {
    await browser.close();
    await server.stop();
  }
}

/** Opens the board as the cards' author, edits the first card and types `TYPED` into it, key by key. */
async function typeIntoCard(
  browser: Awaited<ReturnType<typeof launchBrowser>>,
  board: { id: string; participantUrl?: string },
  server: RunningServer,
  identity: string,
  cards: number,
): Promise<KeystrokeResult> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    const key = JSON.stringify(`atelier:identity:${board.id}`);
    await context.addInitScript({
      content: `localStorage.setItem(${key}, ${JSON.stringify(identity)});\n${KEYSTROKE_PROBE}`,
    });
    const page = await context.newPage();
    await page.goto(board.participantUrl ?? `${server.httpUrl}/b/${board.id}`);
    await page
      .locator('.card')
      .nth(cards - 1)
      .waitFor({ state: 'attached', timeout: 60_000 });
    await page.locator('.card').first().getByRole('button', { name: 'Edit', exact: true }).click();
    const field = page.locator('.card textarea').first();
    await field.waitFor();
    await field.press('End');
    type Probe = { __keys: Keystroke[]; __longTasks: number };
    for (let i = 0; i < TYPED.length; i++) {
      await page.keyboard.press(TYPED[i] === ' ' ? 'Space' : (TYPED[i] as string));
      await page.waitForFunction((count) => (globalThis as unknown as Probe).__keys.length >= count, i + 1, {
        polling: 'raf',
      });
    }
    const { keys, longTasks } = await page.evaluate(() => {
      const probe = globalThis as unknown as Probe;
      return { keys: probe.__keys, longTasks: probe.__longTasks };
    });
    return {
      keys,
      medianCostMs: median(keys.map((k) => k.costMs)),
      maxCostMs: keys.length > 0 ? Math.max(...keys.map((k) => k.costMs)) : null,
      medianWorkMs: median(keys.map((k) => k.workMs)),
      medianFrameMs: median(keys.map((k) => k.frameMs)),
      longTasks,
    };
  } finally {
    await context.close();
  }
}
