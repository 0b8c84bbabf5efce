import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import type { Database, Dialect } from '../database-types.ts';
import { foundationMigration } from './001-foundation.ts';
import { eventsMigration } from './002-events.ts';

/** Every migration in order. Later modules append theirs here. */
function allMigrations(dialect: Dialect): Record<string, Migration> {
  return {
    '001-foundation': foundationMigration(dialect),
    '002-events': eventsMigration(dialect),
  };
}

/**
 * Brings the schema up to date. Kysely's migrator takes a lock first (an advisory lock
 * on PostgreSQL), so several nodes starting at once run each migration exactly once.
 */
export async function migrateToLatest(db: Kysely<Database>, dialect: Dialect): Promise<string[]> {
  const provider: MigrationProvider = { getMigrations: async () => allMigrations(dialect) };
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
