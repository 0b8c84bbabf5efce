import { Migrator, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import type { Database, Dialect } from '../database-types.ts';
import { foundationMigration } from './001-foundation.ts';
import { eventsMigration } from './002-events.ts';
import { integrationsMigration } from './003-integrations.ts';
import { logicMigration } from './004-logic.ts';
import { loginThrottleMigration } from './005-login-throttle.ts';
import { ledgerMigration } from './008-ledger.ts';

/** Every migration in order. Later modules append theirs here. */
function allMigrations(dialect: Dialect): Record<string, Migration> {
  return {
    '001-foundation': foundationMigration(dialect),
    '002-events': eventsMigration(dialect),
    '003-integrations': integrationsMigration(),
    '004-logic': logicMigration(),
    '005-login-throttle': loginThrottleMigration(),
    '008-ledger': ledgerMigration(),
  };
}

/**
 * Brings the schema up to date. Kysely's migrator takes a lock first (an advisory lock
 * on PostgreSQL), so several nodes starting at once run each migration exactly once.
 */
export async function migrateToLatest(db: Kysely<Database>, dialect: Dialect): Promise<string[]> {
  const provider: MigrationProvider = { getMigrations: async () => allMigrations(dialect) };
  // Kysely looks for its own bookkeeping tables in every schema it can see; naming ours
  // keeps another schema's tables (another app, another node's test schema) from being
  // mistaken for ours, which made it skip creating them and then fail.
  const migrationTableSchema =
    dialect === 'postgres' ? ((await sql<{ s: string | null }>`select current_schema() as s`.execute(db)).rows[0]?.s ?? undefined) : undefined;
  const migrator = new Migrator({ db, provider, migrationTableSchema });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
