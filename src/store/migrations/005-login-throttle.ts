import type { Kysely, Migration } from 'kysely';

/**
 * Failed sign-in counters (per account and per client address), shared by every node so
 * a password-guessing client cannot spread its attempts over the cluster.
 */
export function loginThrottleMigration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('login_throttle')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('failures', 'integer', (c) => c.notNull())
        .addColumn('window_start_ms', 'bigint', (c) => c.notNull())
        .addColumn('locked_until_ms', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('login_throttle_window').on('login_throttle').column('window_start_ms').execute();
    },
  };
}
