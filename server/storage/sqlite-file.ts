/**
 * The SQLite file at start-up. Found as Atelier left it, it is opened; anything else stops the
 * start with a message naming the path and what to do, and is never replaced: a database that
 * comes back empty after a bad restore or a full disk must not quietly become a new, empty one
 * (every board would answer "no such board" and nothing would say why).
 *
 * - DATA_DIR must be a directory this user can write: SQLite keeps its journal beside the file.
 * - An existing `atelier.sqlite` must start with SQLite's header: an empty file or another kind
 *   of file is refused. A journal without its database is refused too.
 * - A new database is made under another name and linked into place once complete, so a start
 *   cut short never leaves an empty `atelier.sqlite` that the next start would refuse.
 * - Damage inside the file (corrupt pages) is looked for after opening by SQLite's quick_check,
 *   in a worker thread: it reads the whole file (about a second per GB), which must neither delay
 *   the start nor stall requests. Damage is reported in the log; the boards that can be read are
 *   still served.
 */
import {
  accessSync,
  closeSync,
  constants,
  linkSync,
  mkdirSync,
  openSync,
  readSync,
  rmSync,
  statSync,
  type Stats,
} from 'node:fs';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { StartupError, systemReason } from '../lib/startup-error';

const HEADER = Buffer.from('SQLite format 3\0', 'latin1');
const RESTORE = 'Restore it from a backup, or move it away to start with no boards.';

function statOrNull(path: string): Stats | null {
  try {
    return statSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new StartupError(`cannot read ${path}: ${systemReason(error)}.`);
  }
}

function prepareDataDir(dataDir: string): void {
  try {
    mkdirSync(dataDir, { recursive: true });
  } catch (error) {
    throw new StartupError(
      `cannot create the data directory ${dataDir}: ${systemReason(error)}. Set DATA_DIR to a directory this user can write.`,
    );
  }
  try {
    accessSync(dataDir, constants.R_OK | constants.W_OK | constants.X_OK);
  } catch (error) {
    throw new StartupError(
      `the data directory ${dataDir} is not writable by this user (${systemReason(error)}): the database and its journal live there. Give this user write access to it, or set DATA_DIR to another directory.`,
    );
  }
}

/** Refuses an existing `path` that is not an SQLite database this user can write. */
function checkExisting(path: string, stats: Stats): void {
  if (!stats.isFile()) throw new StartupError(`${path} is not a file. Move it away to start afresh.`);
  if (stats.size === 0) {
    throw new StartupError(`${path} is empty (0 bytes): it holds no boards. ${RESTORE}`);
  }
  const head = Buffer.alloc(HEADER.length);
  try {
    const fd = openSync(path, 'r');
    try {
      readSync(fd, head, 0, head.length, 0);
    } finally {
      closeSync(fd);
    }
    accessSync(path, constants.R_OK | constants.W_OK);
  } catch (error) {
    throw new StartupError(
      `cannot open ${path} for reading and writing: ${systemReason(error)}. Give it back to the user Atelier runs as.`,
    );
  }
  if (!head.equals(HEADER)) {
    throw new StartupError(`${path} is not an SQLite database (it lacks SQLite's header). ${RESTORE}`);
  }
}

/** An SQLite error met while opening `path`, said as what it means for the operator. */
function openingError(path: string, error: unknown): unknown {
  if (error instanceof StartupError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return error;
  const reason = error instanceof Error ? error.message : code;
  if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) {
    return new StartupError(`${path} is damaged (${reason}). ${RESTORE}`);
  }
  if (code === 'SQLITE_FULL' || code === 'ENOSPC') {
    return new StartupError(`no space left to open ${path} (${reason}): free space on its disk.`);
  }
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new StartupError(`${path} is locked (${reason}): is another Atelier using this DATA_DIR?`);
  }
  if (code.startsWith('SQLITE_')) {
    return new StartupError(
      `cannot open ${path} (${reason}). Check that this user can read and write it and its directory.`,
    );
  }
  return new StartupError(`cannot create ${path}: ${systemReason(error)}.`);
}

/** Makes a new database at `path` with `setUp`, complete before it appears under its name. */
function createDatabase(path: string, setUp: (db: Database.Database) => void): void {
  const temporary = `${path}.new-${process.pid}`;
  const leftovers = [temporary, `${temporary}-wal`, `${temporary}-shm`];
  for (const file of leftovers) rmSync(file, { force: true });
  try {
    const db = new Database(temporary);
    try {
      setUp(db);
    } finally {
      db.close();
    }
    try {
      linkSync(temporary, path);
    } catch (error) {
      // Another process made it meanwhile: that one is the database.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  } finally {
    for (const file of leftovers) rmSync(file, { force: true });
  }
}

/**
 * Opens `dataDir/atelier.sqlite` as described above, running `setUp` (pragmas, migrations) on
 * it; every failure is a StartupError naming the path.
 */
export function openDatabaseFile(
  path: string,
  dataDir: string,
  setUp: (db: Database.Database) => void,
): Database.Database {
  prepareDataDir(dataDir);
  try {
    const existing = statOrNull(path);
    if (existing) {
      checkExisting(path, existing);
    } else {
      const journal = statOrNull(`${path}-wal`);
      if (journal && journal.size > 0) {
        throw new StartupError(
          `${path}-wal is there without its database ${path}: the boards in it cannot be read alone. Restore ${path} from a backup, or move ${path}-wal away to start with no boards.`,
        );
      }
      createDatabase(path, setUp);
    }
    const db = new Database(path, { fileMustExist: true });
    try {
      setUp(db);
    } catch (error) {
      db.close();
      throw error;
    }
    return db;
  } catch (error) {
    throw openingError(path, error);
  }
}

/** What the worker runs: its own read-only connection, SQLite's quick_check, the problems found. */
const CHECK = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
let db;
try {
  db = new Database(workerData.path, { readonly: true, fileMustExist: true });
  const rows = db.pragma('quick_check(' + workerData.max + ')');
  parentPort.postMessage(rows.map((row) => String(row.quick_check)).filter((line) => line !== 'ok'));
} catch (error) {
  parentPort.postMessage([String(error && error.message ? error.message : error)]);
} finally {
  if (db) db.close();
}
`;

/** Problems quoted in the log: enough to see where, not the whole list. */
const QUOTED = 3;

/**
 * Looks for damage in the database at `path` in the background and reports it with `report`
 * (once, only if there is any). Returns a function that abandons the check.
 */
export function checkIntegrityInBackground(path: string, report: (message: string) => void): () => void {
  const worker = new Worker(CHECK, {
    eval: true,
    workerData: { path, driver: createRequire(import.meta.url).resolve('better-sqlite3'), max: 100 },
  });
  // A check still running must not keep a stopping process alive.
  worker.unref();
  worker.once('message', (problems: string[]) => {
    if (problems.length === 0) return;
    const more = problems.length > QUOTED ? ` (and ${problems.length - QUOTED} more)` : '';
    report(
      `database damaged: ${path} fails SQLite's integrity check: ${problems.slice(0, QUOTED).join('; ')}${more}. Boards stored on the damaged pages may not open; the others are served. Restore a backup (or copy out what can be read with the sqlite3 shell's .recover) while Atelier is stopped.`,
    );
  });
  worker.once('error', (error) => report(`database check: could not check ${path}: ${error.message}`));
  return () => void worker.terminate();
}
