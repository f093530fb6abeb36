/**
 * Child processes and temporary folders of one bench run: every server runs in its own child (so
 * CPU and memory are per server), pinned to core 0 when `taskset` exists, and everything started
 * or made here is killed or removed when the bench exits, on success, error or signal.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const children = new Set<ChildProcess>();
const tempDirs = new Set<string>();
const exitHooks: Array<() => void> = [];

export const HAS_TASKSET = spawnSync('taskset', ['-V'], { stdio: 'ignore' }).status === 0;
export const HAS_PRLIMIT = spawnSync('prlimit', ['--version'], { stdio: 'ignore' }).status === 0;
export const SERVER_CORE = 0;
export const GENERATOR_CORE = 1;
const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.add(dir);
  return dir;
}

export function removeTempDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  tempDirs.delete(dir);
}

/** Runs `hook` synchronously when the bench exits (e.g. closing sockets). */
export function onExit(hook: () => void): void {
  exitHooks.push(hook);
}

function cleanUp(): void {
  for (const hook of exitHooks.splice(0)) {
    try {
      hook();
    } catch {
      // exiting anyway
    }
  }
  for (const child of children) {
    try {
      child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
  children.clear();
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  tempDirs.clear();
}

let installed = false;
/** Kills every child and removes every temporary folder on exit, on SIGINT/SIGTERM and on a crash. */
export function installCleanup(): void {
  if (installed) return;
  installed = true;
  process.on('exit', cleanUp);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      console.error(`\n${signal}: stopping every server the bench started…`);
      cleanUp();
      process.exit(130);
    });
  }
  process.on('uncaughtException', (error) => {
    console.error('bench crashed:', error);
    cleanUp();
    process.exit(1);
  });
  process.on('unhandledRejection', (error) => {
    console.error('bench crashed (unhandled rejection):', error);
    cleanUp();
    process.exit(1);
  });
}

/** Pins this process (all its threads) to the generator's core. */
export function pinSelf(): boolean {
  if (!HAS_TASKSET) return false;
  return (
    spawnSync('taskset', ['-a', '-p', '-c', String(GENERATOR_CORE), String(process.pid)], { stdio: 'ignore' })
      .status === 0
  );
}

export interface ChildOptions {
  name: string;
  /** Node arguments before the script (e.g. --cpu-prof). */
  nodeArgs?: string[];
  /** A file Node runs (unless `command` is given): JavaScript as it is, TypeScript with `--import tsx`. */
  script?: string;
  /** Another program instead of Node: `[file, ...args]` (e.g. redis-server). */
  command?: string[];
  /** The port, when the ready line does not carry it (the program was told which one to use). */
  port?: number;
  env: Record<string, string>;
  cwd: string;
  /** Pin to this core with taskset when available. */
  core?: number;
  /** Open files (soft and hard limit) the child may hold, set with prlimit when available. */
  nofile?: number;
  /** Where the child's memory hook writes its readings (see servers/memory-hook.mjs). */
  memoryFile?: string;
  /** A line of stdout that says the child is ready; its first capture group, if any, is the port. */
  ready: RegExp;
  timeoutMs: number;
}

export interface Child {
  readonly name: string;
  readonly process: ChildProcess;
  readonly pid: number;
  readonly port: number;
  readonly memoryFile: string;
  /** The last lines the child printed (for error messages). */
  output(): string;
  /** Resolves when the child has exited. */
  readonly exited: Promise<number | null>;
  kill(signal?: NodeJS.Signals, timeoutMs?: number): Promise<void>;
}

export function startChild(options: ChildOptions): Promise<Child> {
  if (!options.command && !options.script) throw new Error(`${options.name}: no script and no command`);
  // A JavaScript file runs on bare Node, as it would be deployed; only TypeScript needs tsx, whose
  // loader would also stand between the program and every module it imports (it doubled
  // Atelier's start-up: 700 against 315 ms).
  const script = options.script as string;
  const program = options.command ?? [
    process.execPath,
    ...(/\.[cm]?js$/.test(script) ? [] : ['--import', 'tsx']),
    ...(options.nodeArgs ?? []),
    script,
  ];
  const useTaskset = HAS_TASKSET && options.core !== undefined;
  const pinned = useTaskset ? ['taskset', '-c', String(options.core), ...program] : program;
  // prlimit and taskset both exec the program: the child's pid is the server's. The soft limit
  // only: the hard one is inherited, and only a privileged process may raise it.
  const own = options.nofile === undefined ? null : openFilesLimits('self');
  const files = own === null || options.nofile === undefined ? null : Math.min(options.nofile, own.hard);
  const full =
    HAS_PRLIMIT && files !== null && own !== null && files > own.soft
      ? ['prlimit', `--nofile=${files}:${own.hard}`, ...pinned]
      : pinned;
  const command = full[0] as string;
  const args = full.slice(1);
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env, NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  const lines: string[] = [];
  const remember = (chunk: Buffer): void => {
    for (const line of chunk.toString().split('\n')) {
      if (line.trim() === '') continue;
      lines.push(line);
      if (lines.length > 40) lines.shift();
    }
  };
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      children.delete(child);
      resolve(code);
    });
  });
  child.stderr?.on('data', remember);

  return new Promise<Child>((resolve, reject) => {
    let buffer = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${options.name} did not start within ${options.timeoutMs} ms:\n${lines.join('\n')}`));
    }, options.timeoutMs);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${options.name} exited (${code}) before it was ready:\n${lines.join('\n')}`));
    });
    const onData = (chunk: Buffer): void => {
      remember(chunk);
      buffer += chunk.toString();
      const match = options.ready.exec(buffer);
      if (!match) return;
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stdout?.on('data', remember);
      const port = match[1] === undefined ? (options.port ?? 0) : Number(match[1]);
      resolve({
        name: options.name,
        process: child,
        pid: child.pid ?? -1,
        port,
        memoryFile: options.memoryFile ?? '',
        output: () => lines.join('\n'),
        exited,
        async kill(signal = 'SIGKILL', timeoutMs = 10_000) {
          if (child.exitCode !== null || child.signalCode !== null) return;
          child.kill(signal);
          const timeout = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), timeoutMs).unref());
          if ((await Promise.race([exited, timeout])) === 'timeout') {
            child.kill('SIGKILL');
            await exited;
          }
        },
      });
    };
    child.stdout?.on('data', onData);
  });
}

export interface ProcSample {
  /** CPU seconds used so far (user + system, all threads). */
  cpuSeconds: number;
  rssBytes: number;
}

/** CPU time and resident memory of a process, from /proc (Linux). */
export function sampleProcess(pid: number): ProcSample {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After the command: state is field 3, utime 14, stime 15 (1-based over the whole line).
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rss = /VmRSS:\s+(\d+) kB/.exec(status);
  return { cpuSeconds: (utime + stime) / CLK_TCK, rssBytes: rss ? Number(rss[1]) * 1024 : 0 };
}

/**
 * Seconds the main thread of `pid` (the event loop, for Node) has spent running and waiting for a
 * core while ready to run, from /proc/<pid>/schedstat (null if the kernel does not keep it). A
 * thread that waits while its core serves other processes is late for reasons not its own.
 */
export function schedStat(pid: number): { runS: number; waitS: number } | null {
  try {
    const [run, wait] = readFileSync(`/proc/${pid}/schedstat`, 'utf8').trim().split(/\s+/).map(Number);
    if (run === undefined || wait === undefined || !Number.isFinite(wait)) return null;
    return { runS: run / 1e9, waitS: wait / 1e9 };
  } catch {
    return null;
  }
}

/** The open-files limits (soft, hard) of a process, from /proc/<pid>/limits; null if unreadable. */
export function openFilesLimits(pid: number | 'self'): { soft: number; hard: number } | null {
  try {
    const line = /^Max open files\s+(\d+|unlimited)\s+(\d+|unlimited)/m.exec(
      readFileSync(`/proc/${pid}/limits`, 'utf8'),
    );
    if (!line) return null;
    const value = (v: string | undefined): number =>
      v === 'unlimited' ? Number.POSITIVE_INFINITY : Number(v);
    return { soft: value(line[1]), hard: value(line[2]) };
  } catch {
    return null;
  }
}

/** The open-files limit (soft) of a process; null if unreadable. */
export function openFilesLimit(pid: number | 'self'): number | null {
  return openFilesLimits(pid)?.soft ?? null;
}

/**
 * Open files to ask for, for this process and the servers it starts: `wanted`, or the hard limit
 * this process has if that is lower (raising a hard limit needs CAP_SYS_RESOURCE, which a container
 * often lacks even as root). Raises this process's soft limit to it with prlimit; returns the soft
 * limit it then has.
 */
export function raiseOwnOpenFiles(wanted: number): number | null {
  const limits = openFilesLimits('self');
  if (limits === null) return null;
  const target = Math.min(wanted, limits.hard);
  if (limits.soft < target && HAS_PRLIMIT) {
    spawnSync('prlimit', ['--pid', String(process.pid), `--nofile=${target}:${limits.hard}`], {
      stdio: 'ignore',
    });
  }
  return openFilesLimit('self');
}

/** CPU seconds the whole machine has been busy (all cores), from /proc/stat. */
export function machineBusySeconds(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? '';
  const [, user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).map(Number);
  return ((user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0)) / CLK_TCK;
}

interface ProcEntry {
  ppid: number;
  /** utime + stime + cutime + cstime, in clock ticks. */
  ticks: number;
}

/** Every process on the machine: its parent and its CPU (own and reaped children's), from /proc. */
function procTable(): Map<number, ProcEntry> {
  const table = new Map<number, ProcEntry>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // After the command: state, ppid, … utime, stime, cutime, cstime (fields 14–17 of the line).
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      table.set(Number(name), {
        ppid: Number(fields[1]),
        ticks: Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]),
      });
    } catch {
      // ended meanwhile: its time is now in its parent's cutime
    }
  }
  return table;
}

function treeOf(table: Map<number, ProcEntry>, pid: number): number[] {
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) {
    for (const [child, entry] of table) if (entry.ppid === tree[i]) tree.push(child);
  }
  return tree;
}

/** `pid` and every process below it (children, grandchildren…) that is alive now. */
export function processTree(pid: number): number[] {
  return treeOf(procTable(), pid);
}

/**
 * CPU seconds used by each of several process trees (one /proc scan for all): every live
 * process's own time plus the time of the children it has already reaped (cutime, cstime).
 * PostgreSQL forks a backend per connection and reaps it when it ends, so its work is counted
 * whether the backend is still there or not.
 */
export function treesCpuSeconds(roots: number[][]): number[] {
  const table = procTable();
  return roots.map((pids) => {
    let ticks = 0;
    for (const root of pids) {
      for (const member of treeOf(table, root)) ticks += table.get(member)?.ticks ?? 0;
    }
    return ticks / CLK_TCK;
  });
}

/** Pins `pid` and every thread and child process it has now to `core` (children forked later inherit it). */
export function pinTree(pid: number, core: number): boolean {
  if (!HAS_TASKSET) return false;
  let ok = true;
  for (const member of processTree(pid)) {
    const status = spawnSync('taskset', ['-a', '-p', '-c', String(core), String(member)], {
      stdio: 'ignore',
    }).status;
    ok &&= status === 0;
  }
  return ok;
}

/** Percent of one core that processes other than `pids` and this one use, over `ms`. */
export async function foreignCpu(pids: number[], ms: number): Promise<number> {
  const meter = new CpuMeter(pids);
  await new Promise((resolve) => setTimeout(resolve, ms));
  return meter.read().otherCpu;
}

/**
 * Waits (up to `maxMs`) until the rest of the machine is quiet: this machine may be shared, and
 * another process's work on either core spoils a measurement. Returns the last reading.
 */
export async function waitForQuiet(pids: number[], maxMs: number, limit = 15): Promise<number> {
  const deadline = performance.now() + maxMs;
  let other = await foreignCpu(pids, 1000);
  while (other > limit && performance.now() < deadline) other = await foreignCpu(pids, 1000);
  return other;
}

/** Measures the CPU share of children, of this process and of everything else over a window. */
export class CpuMeter {
  readonly #pids: number[];
  #servers: ProcSample[];
  #self: NodeJS.CpuUsage;
  #machine: number;
  #at: number;

  constructor(pids: number | number[]) {
    this.#pids = Array.isArray(pids) ? pids : [pids];
    this.#servers = this.#pids.map(sampleProcess);
    this.#self = process.cpuUsage();
    this.#machine = machineBusySeconds();
    this.#at = performance.now();
  }

  /**
   * Percent of one core used since construction: the (first) server's, this generator's, and
   * the rest of the machine's (other processes: noise).
   */
  read(): { serverCpu: number; generatorCpu: number; otherCpu: number; seconds: number; rssBytes: number } {
    const now = performance.now();
    const seconds = (now - this.#at) / 1000;
    const servers = this.#pids.map(sampleProcess);
    const self = process.cpuUsage(this.#self);
    const selfSeconds = (self.user + self.system) / 1e6;
    const serverSeconds = servers.reduce(
      (sum, s, i) => sum + s.cpuSeconds - (this.#servers[i]?.cpuSeconds ?? 0),
      0,
    );
    const machine = machineBusySeconds() - this.#machine;
    return {
      seconds,
      serverCpu: (((servers[0]?.cpuSeconds ?? 0) - (this.#servers[0]?.cpuSeconds ?? 0)) / seconds) * 100,
      generatorCpu: (selfSeconds / seconds) * 100,
      otherCpu: Math.max(0, ((machine - selfSeconds - serverSeconds) / seconds) * 100),
      rssBytes: servers[0]?.rssBytes ?? 0,
    };
  }
}
