import { sql } from 'kysely';
import type pg from 'pg';
import type { Db, Dialect } from './database-types.ts';
import { openPostgres } from './dialects/postgres-dialect.ts';
import { openSqlite } from './dialects/sqlite-dialect.ts';
import { migrateToLatest } from './migrations/migrations.ts';

/** An open database with the schema at the latest version. */
export interface StoreHandle {
  readonly db: Db;
  readonly dialect: Dialect;
  /** The PostgreSQL pool (for LISTEN/NOTIFY and advisory locks); null on SQLite. */
  readonly pgPool: pg.Pool | null;
  readonly pgUrl: string | null;
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export interface OpenStoreOptions {
  readonly dataDir: string;
  readonly databaseUrl: string | null;
  readonly poolSize?: number;
  readonly statementTimeoutMs?: number;
  readonly pgSchema?: string;
  /** Run migrations (default true). */
  readonly migrate?: boolean;
}

/** Opens SQLite in `dataDir` or PostgreSQL at `databaseUrl`, then migrates. */
export async function openStore(opts: OpenStoreOptions): Promise<StoreHandle> {
  let db: Db;
  let dialect: Dialect;
  let pgPool: pg.Pool | null = null;
  let closeSqlite: (() => Promise<void>) | null = null;
  if (opts.databaseUrl) {
    const opened = openPostgres({
      url: opts.databaseUrl,
      poolSize: opts.poolSize ?? 10,
      statementTimeoutMs: opts.statementTimeoutMs ?? 15_000,
      schema: opts.pgSchema,
    });
    db = opened.db;
    pgPool = opened.pool;
    dialect = 'postgres';
  } else {
    const opened = openSqlite(opts.dataDir);
    db = opened.db;
    closeSqlite = opened.close;
    dialect = 'sqlite';
  }
  const close = () => closeSqlite?.() ?? db.destroy();
  try {
    if (opts.migrate !== false) await migrateToLatest(db, dialect);
  } catch (e) {
    await close();
    throw e;
  }
  return {
    db,
    dialect,
    pgPool,
    pgUrl: opts.databaseUrl,
    async ping() {
      try {
        await sql`select 1`.execute(db);
        return true;
      } catch {
        return false;
      }
    },
    close,
  };
}
