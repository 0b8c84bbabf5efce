import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';

/** The store's file name inside the data dir (see openSqlite). */
export const SQLITE_FILE = 'hush.db';

/** Every page in one step: the copy is one read transaction, so it is a consistent snapshot. */
const ALL_PAGES = 0x7fffffff;

function isBusy(e: unknown): boolean {
  const code = (e as { code?: unknown }).code;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED';
}

/**
 * Copies the live store to `dest` with SQLite's online backup API while servers keep
 * writing. The copy is written beside `dest` first and renamed into place, mode 0600, and
 * is a single self-contained file (rollback journal, no -wal file needed).
 */
export async function backupSqlite(dataDir: string, dest: string): Promise<void> {
  const file = path.join(dataDir, SQLITE_FILE);
  if (!fs.existsSync(file)) throw new Error(`no store at ${file}: is HUSH_DATA_DIR right?`);
  const tmp = `${dest}.${process.pid}.partial`;
  const src = new BetterSqlite3(file, { fileMustExist: true });
  try {
    src.pragma('busy_timeout = 10000');
    await src.backup(tmp, { progress: () => ALL_PAGES });
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  } finally {
    src.close();
  }
  try {
    const copy = new BetterSqlite3(tmp, { fileMustExist: true });
    try {
      copy.pragma('journal_mode = DELETE');
      const ok = copy.pragma('quick_check', { simple: true });
      if (ok !== 'ok') throw new Error(`the copy failed SQLite's quick_check: ${String(ok)}`);
    } finally {
      copy.close();
    }
    fs.chmodSync(tmp, 0o600);
    fs.renameSync(tmp, dest);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

/** Thrown when another connection (a server, another command) has the store open. */
export class StoreInUseError extends Error {}

/** Where `hush restore` stages the copy it checks before swapping it in. */
export const STAGED_FILE = `${SQLITE_FILE}.restoring`;

/** Copies `source` into the data dir as the staged store (mode 0600) and returns its path. */
export function stageSqliteCopy(dataDir: string, source: string): string {
  const staged = path.join(dataDir, STAGED_FILE);
  for (const side of ['', '-wal', '-shm', '-journal']) fs.rmSync(staged + side, { force: true });
  fs.copyFileSync(source, staged);
  fs.chmodSync(staged, 0o600);
  return staged;
}

/**
 * Opens the store, leaves WAL mode and takes the exclusive lock, or throws StoreInUseError
 * while any other process has it open: leaving WAL mode needs every other connection
 * closed, and servers keep theirs open for as long as they run.
 */
function lockStore(dataDir: string): BetterSqlite3.Database {
  const file = path.join(dataDir, SQLITE_FILE);
  const lock = new BetterSqlite3(file, { fileMustExist: true });
  try {
    lock.pragma('busy_timeout = 0');
    lock.pragma('journal_mode = DELETE');
    lock.exec('BEGIN EXCLUSIVE');
    return lock;
  } catch (e) {
    lock.close();
    if (isBusy(e)) throw new StoreInUseError(`${file} is in use: stop every server (and hush command) on ${dataDir} first`);
    throw e;
  }
}

/** Throws StoreInUseError while a server (or command) uses the data dir's store. */
export function assertStoreUnused(dataDir: string): void {
  if (fs.existsSync(path.join(dataDir, SQLITE_FILE))) lockStore(dataDir).close();
}

/**
 * Puts the staged copy in place of the data dir's store, holding the exclusive lock so a
 * server that starts meanwhile waits until the swap is done. The replaced store is kept as
 * `hush.db.before-restore-<time>`; that name is returned (null if there was none).
 */
export function swapInStaged(dataDir: string, staged: string, now: Date): string | null {
  const file = path.join(dataDir, SQLITE_FILE);
  for (const side of ['-wal', '-shm']) fs.rmSync(staged + side, { force: true });
  if (!fs.existsSync(file)) {
    fs.renameSync(staged, file);
    return null;
  }
  const lock = lockStore(dataDir);
  try {
    const kept = `${file}.before-restore-${now.toISOString().replace(/[:.]/g, '-')}`;
    fs.copyFileSync(file, kept);
    fs.chmodSync(kept, 0o600);
    for (const side of ['-wal', '-shm', '-journal']) fs.rmSync(file + side, { force: true });
    fs.renameSync(staged, file);
    return kept;
  } finally {
    // Nothing was written under the lock; it was held on the file now replaced.
    lock.close();
  }
}
