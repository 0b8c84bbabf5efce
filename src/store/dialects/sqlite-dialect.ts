import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Database } from '../database-types.ts';

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
        return Promise.resolve(db);
      },
    }),
  });
}
