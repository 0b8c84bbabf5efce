import {
  DEFAULT_MIGRATION_LOCK_TABLE,
  DEFAULT_MIGRATION_TABLE,
  Kysely,
  PostgresDialect,
  PostgresIntrospector,
  sql,
  type ColumnMetadata,
  type DatabaseIntrospector,
  type DatabaseMetadataOptions,
  type TableMetadata,
} from 'kysely';
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

/**
 * Kysely's own table listing (which its Migrator uses to find its bookkeeping tables)
 * scans every schema of the database and then looks each schema and table up by name
 * again (`has_schema_privilege(nspname)`, `pg_get_serial_sequence(name)`): a schema or
 * table another tenant or test run drops between the scan and that lookup fails the whole
 * listing ("schema … does not exist", "relation … does not exist"), so a node's start
 * depended on what its neighbours in the database were doing. A Hush node has no
 * business outside its own search path, so the listing reads only the schemas of
 * `current_schemas(false)`, which nobody else drops while the node holds them, and looks
 * nothing up by name. (Kysely has no option for this; written here for that reason.)
 */
class OwnSchemaIntrospector implements DatabaseIntrospector {
  readonly #db: Kysely<any>;
  readonly #inner: PostgresIntrospector;
  constructor(db: Kysely<any>) {
    this.#db = db;
    this.#inner = new PostgresIntrospector(db);
  }
  getSchemas() {
    return this.#inner.getSchemas();
  }
  async getTables(options?: DatabaseMetadataOptions): Promise<TableMetadata[]> {
    const rows = (await sql<ColumnRow>`
      select c.relname as table, c.relkind as kind, ns.nspname as schema, a.attname as column,
             a.attnotnull as not_null, a.atthasdef as has_default, typ.typname as type,
             dtns.nspname as type_schema, col_description(a.attrelid, a.attnum) as comment,
             (a.attidentity <> '' or coalesce(pg_get_expr(d.adbin, d.adrelid), '') like 'nextval(%') as auto
        from pg_catalog.pg_attribute a
        join pg_catalog.pg_class c on a.attrelid = c.oid
        join pg_catalog.pg_namespace ns on c.relnamespace = ns.oid
        join pg_catalog.pg_type typ on a.atttypid = typ.oid
        join pg_catalog.pg_namespace dtns on typ.typnamespace = dtns.oid
        left join pg_catalog.pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
       where ns.nspname = any (current_schemas(false))
         and c.relkind in ('r', 'v', 'p') and a.attnum >= 0 and not a.attisdropped
         and (${options?.withInternalKyselyTables ?? false} or c.relname not in (${DEFAULT_MIGRATION_TABLE}, ${DEFAULT_MIGRATION_LOCK_TABLE}))
       order by ns.nspname, c.relname, a.attnum`.execute(this.#db)).rows;
    const tables = new Map<string, TableMetadata & { columns: ColumnMetadata[] }>();
    for (const r of rows) {
      const key = `${r.schema}.${r.table}`;
      let table = tables.get(key);
      if (!table) tables.set(key, (table = { name: r.table, schema: r.schema, isView: r.kind === 'v', columns: [] }));
      table.columns.push({
        name: r.column,
        dataType: r.type,
        dataTypeSchema: r.type_schema,
        isNullable: !r.not_null,
        hasDefaultValue: r.has_default,
        isAutoIncrementing: r.auto,
        comment: r.comment ?? undefined,
      });
    }
    return [...tables.values()];
  }
  async getMetadata(options?: DatabaseMetadataOptions) {
    return { tables: await this.getTables(options) };
  }
}

interface ColumnRow {
  table: string;
  kind: string;
  schema: string;
  column: string;
  not_null: boolean;
  has_default: boolean;
  type: string;
  type_schema: string;
  comment: string | null;
  auto: boolean;
}

class HushPostgresDialect extends PostgresDialect {
  override createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    return new OwnSchemaIntrospector(db);
  }
}

/** Opens the PostgreSQL store. */
export function openPostgres(opts: PostgresOptions): { db: Kysely<Database>; pool: pg.Pool } {
  const pool = createPgPool(opts);
  return { db: new Kysely<Database>({ dialect: new HushPostgresDialect({ pool }) }), pool };
}
