import { Migrator, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import type { Database, Dialect } from '../database-types.ts';
import { foundationMigration } from './001-foundation.ts';
import { eventsMigration } from './002-events.ts';
import { integrationsMigration } from './003-integrations.ts';
import { logicMigration } from './004-logic.ts';
import { loginThrottleMigration } from './005-login-throttle.ts';
import { ledgerMigration } from './008-ledger.ts';
import { envVarsMigration } from './010-env-vars.ts';
import { ledgerTriggersMigration } from './011-ledger-triggers.ts';
import { ledgerAuthorsMigration } from './012-ledger-authors.ts';
import { logicRunEventsMigration } from './013-logic-run-events.ts';
import { secretRotationExpiryMigration } from './014-secret-rotation-expiry.ts';
import { secretConsumersMigration } from './015-secret-consumers.ts';
import { deadLettersMigration } from './016-dead-letters.ts';
import { hostHealthMigration } from './017-host-health.ts';
import { deliveryPacingMigration } from './018-delivery-pacing.ts';

/** The names of every migration, in the order they run. */
export const migrationNames = (dialect: Dialect): string[] => Object.keys(allMigrations(dialect));

/** Every migration in order. Later modules append theirs here. */
function allMigrations(dialect: Dialect): Record<string, Migration> {
  return {
    '001-foundation': foundationMigration(dialect),
    '002-events': eventsMigration(dialect),
    '003-integrations': integrationsMigration(),
    '004-logic': logicMigration(),
    '005-login-throttle': loginThrottleMigration(),
    '008-ledger': ledgerMigration(),
    '010-env-vars': envVarsMigration(),
    '011-ledger-triggers': ledgerTriggersMigration(),
    '012-ledger-authors': ledgerAuthorsMigration(),
    '013-logic-run-events': logicRunEventsMigration(),
    '014-secret-rotation-expiry': secretRotationExpiryMigration(dialect),
    '015-secret-consumers': secretConsumersMigration(),
    '016-dead-letters': deadLettersMigration(),
    '017-host-health': hostHealthMigration(),
    '018-delivery-pacing': deliveryPacingMigration(),
  };
}

/**
 * Brings the schema up to date. On PostgreSQL the whole run (schema creation, Kysely's
 * bookkeeping tables, every migration) happens on one dedicated connection holding a
 * session advisory lock keyed by the schema, so several nodes and CLI commands starting
 * together on one database wait for each other and each migration runs exactly once.
 * Kysely's own lock is taken only after it has created (and looked up) its bookkeeping
 * tables, and it looks them up in every visible schema unless told which one: both let
 * concurrent starters see a half-made schema ("relation … does not exist").
 */
export async function migrateToLatest(db: Kysely<Database>, dialect: Dialect): Promise<string[]> {
  if (dialect !== 'postgres') return runMigrator(db, dialect, undefined);
  return db.connection().execute(async (conn) => {
    const schema = await targetSchema(conn);
    const key = `hush-migrate:${schema}`;
    // Waiting for another starter is not a slow statement: no statement_timeout while waiting.
    await sql`set statement_timeout = 0`.execute(conn);
    await sql`select pg_advisory_lock(hashtext(${key}))`.execute(conn);
    try {
      await sql`create schema if not exists ${sql.id(schema)}`.execute(conn);
      return await runMigrator(conn, dialect, schema);
    } finally {
      await sql`select pg_advisory_unlock(hashtext(${key}))`.execute(conn);
      await sql`reset statement_timeout`.execute(conn);
    }
  });
}

/** The schema new tables go to: current_schema(), or the first search_path entry not created yet. */
async function targetSchema(conn: Kysely<Database>): Promise<string> {
  const row = (await sql<{ s: string | null; p: string }>`select current_schema() as s, current_setting('search_path') as p`.execute(conn)).rows[0];
  if (row?.s) return row.s;
  const first = (row?.p ?? '')
    .split(',')
    .map((e) => e.trim().replace(/^"(.*)"$/, '$1'))
    .find((e) => e !== '' && e !== '$user');
  if (!first) throw new Error('no PostgreSQL schema selected: set search_path (or the schema option)');
  return first;
}

async function runMigrator(db: Kysely<Database>, dialect: Dialect, migrationTableSchema: string | undefined): Promise<string[]> {
  const provider: MigrationProvider = { getMigrations: async () => allMigrations(dialect) };
  const migrator = new Migrator({ db, provider, migrationTableSchema });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
