import { Kysely, PostgresDialect, PostgresIntrospector, type DatabaseIntrospector, type DatabaseMetadataOptions } from 'kysely';
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

/** PostgreSQL's "invalid_schema_name": a schema named by a query no longer exists. */
const SCHEMA_GONE = '3F000';
const INTROSPECTION_TRIES = 50;

/**
 * Kysely's table listing (which its Migrator uses to find its own tables) calls
 * `has_schema_privilege(nspname, 'USAGE')` for every schema in the catalog, looking each
 * up by name again: a schema dropped by someone else between the catalog scan and that
 * call fails the whole listing with "schema … does not exist", so one database holding
 * many schemas (tenants, test runs) could fail a node's start. The listing is simply
 * taken again; a dropped schema is not in the next scan.
 */
class RetryingIntrospector implements DatabaseIntrospector {
  readonly #inner: PostgresIntrospector;
  constructor(db: Kysely<any>) {
    this.#inner = new PostgresIntrospector(db);
  }
  getSchemas() {
    return this.#inner.getSchemas();
  }
  async getTables(options?: DatabaseMetadataOptions) {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.#inner.getTables(options);
      } catch (error) {
        if ((error as { code?: string }).code !== SCHEMA_GONE || attempt >= INTROSPECTION_TRIES) throw error;
      }
    }
  }
  async getMetadata(options?: DatabaseMetadataOptions) {
    return { tables: await this.getTables(options) };
  }
}

class HushPostgresDialect extends PostgresDialect {
  override createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    return new RetryingIntrospector(db);
  }
}

/** Opens the PostgreSQL store. */
export function openPostgres(opts: PostgresOptions): { db: Kysely<Database>; pool: pg.Pool } {
  const pool = createPgPool(opts);
  return { db: new Kysely<Database>({ dialect: new HushPostgresDialect({ pool }) }), pool };
}
