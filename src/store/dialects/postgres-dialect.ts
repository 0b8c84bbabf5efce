import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from '../database-types.ts';

// bigint columns hold epoch milliseconds and counters, all far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (v: string) => Number(v));

export interface PostgresOptions {
  readonly url: string;
  readonly poolSize: number;
  readonly statementTimeoutMs: number;
  /** Schema to use (tests isolate themselves in one); defaults to the server's search_path. */
  readonly schema?: string;
}

/** Builds a pg pool with the configured size and statement timeout. */
export function createPgPool(opts: PostgresOptions): pg.Pool {
  const options: string[] = [];
  if (opts.statementTimeoutMs > 0) options.push(`-c statement_timeout=${opts.statementTimeoutMs}`);
  if (opts.schema) options.push(`-c search_path=${opts.schema}`);
  return new pg.Pool({
    connectionString: opts.url,
    max: opts.poolSize,
    options: options.length > 0 ? options.join(' ') : undefined,
  });
}

/** Opens the PostgreSQL store. */
export function openPostgres(opts: PostgresOptions): { db: Kysely<Database>; pool: pg.Pool } {
  const pool = createPgPool(opts);
  return { db: new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }), pool };
}
