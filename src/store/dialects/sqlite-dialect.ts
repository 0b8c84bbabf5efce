import fs from 'node:fs';
import path from 'node:path';
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

/** Opens (creating if needed) the embedded SQLite store in `dataDir`. */
export function openSqlite(dataDir: string, fileName = 'hush.db'): Kysely<Database> {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, fileName);
  return new Kysely<Database>({
    dialect: new SqliteDialect({
      database: () => {
        const db = new BetterSqlite3(file);
        // WAL lets the admin CLI read and write while the server runs; busy_timeout makes
        // a writer wait for the other process instead of failing at once.
        db.pragma('journal_mode = WAL');
        db.pragma('synchronous = NORMAL');
        db.pragma('busy_timeout = 10000');
        db.pragma('foreign_keys = ON');
        return Promise.resolve(withStatementCache(db));
      },
    }),
  });
}
