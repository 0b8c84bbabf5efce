import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect, type SqliteDatabase } from 'kysely';
import type { Database } from '../database-types.ts';

/** Prepared statements kept per connection; the set of distinct SQL texts is small. */
const STATEMENT_CACHE_SIZE = 1000;

/**
 * Kysely prepares every query anew, which costs more than running it. Statements are
 * reusable (Kysely runs them one at a time on the single connection), so keep them by SQL text.
 */
function withStatementCache(db: BetterSqlite3.Database): SqliteDatabase {
  const cache = new Map<string, BetterSqlite3.Statement>();
  return {
    close: () => void db.close(),
    prepare(sql: string) {
      let stmt = cache.get(sql);
      if (stmt === undefined) {
        stmt = db.prepare(sql);
        if (cache.size >= STATEMENT_CACHE_SIZE) cache.clear();
        cache.set(sql, stmt);
      }
      return stmt;
    },
  };
}

/** Log size (4 KiB pages) at which the server's own connection checkpoints: a safety net. */
const WAL_AUTOCHECKPOINT_PAGES = 8192;

/** How often the checkpoint thread copies the write-ahead log into the database file. */
const CHECKPOINT_INTERVAL_MS = 500;

/**
 * Checkpoints the write-ahead log from a worker thread with its own connection. SQLite's
 * automatic checkpoint runs inside the committing call, i.e. on the server's event loop,
 * and includes an fsync: under load that stalled every request for up to tens of
 * milliseconds every few seconds. This thread checkpoints instead (PASSIVE: it never
 * blocks the writer), and the server's connection only at a much larger log size.
 */
function startCheckpointer(file: string): { stop(): Promise<void> } {
  const worker = new Worker(new URL('./wal-checkpoint-worker.cjs', import.meta.url), {
    workerData: { file, intervalMs: CHECKPOINT_INTERVAL_MS, busyTimeoutMs: 1000 },
  });
  worker.unref();
  worker.on('error', () => undefined); // a failed checkpoint thread leaves the log to grow until the next start
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  return {
    async stop() {
      worker.postMessage('stop');
      const timer = setTimeout(() => void worker.terminate(), 2000);
      await exited;
      clearTimeout(timer);
    },
  };
}

export interface SqliteHandle {
  readonly db: Kysely<Database>;
  /** Stops the checkpoint thread and closes the connection. */
  close(): Promise<void>;
}

/** Opens (creating if needed) the embedded SQLite store in `dataDir`. */
export function openSqlite(dataDir: string, fileName = 'hush.db'): SqliteHandle {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, fileName);
  let checkpointer: { stop(): Promise<void> } | null = null;
  const db = new Kysely<Database>({
    dialect: new SqliteDialect({
      database: () => {
        const conn = new BetterSqlite3(file);
        // WAL lets the admin CLI read and write while the server runs; busy_timeout makes
        // a writer wait for the other process instead of failing at once.
        conn.pragma('journal_mode = WAL');
        conn.pragma('synchronous = NORMAL');
        conn.pragma('busy_timeout = 10000');
        conn.pragma('foreign_keys = ON');
        // The checkpoint thread does the copying; under sustained writes it can never finish
        // between two commits, and the log only starts over after a complete checkpoint. So
        // the server's connection still checkpoints once the log passes 32 MB: by then
        // nearly everything is copied already, so that call is short.
        conn.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
        // After a burst, the log file is cut back to this size when it restarts.
        conn.pragma(`journal_size_limit = ${64 * 1024 * 1024}`);
        checkpointer = startCheckpointer(file);
        return Promise.resolve(withStatementCache(conn));
      },
    }),
  });
  return {
    db,
    async close() {
      await checkpointer?.stop();
      checkpointer = null;
      await db.destroy();
    },
  };
}
