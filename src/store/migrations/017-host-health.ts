import type { Kysely, Migration } from 'kysely';

/**
 * Per-host health (issue #17): one row per paused host, shared by every node, so the cluster
 * agrees on a pause and only one node probes at a time (`probe_by`, `probe_until_ms` are the
 * probe's lease). The id is a hash of owner and host name (a host name may come from a secret
 * in the URL template, so the name itself is kept only as the owner's masker shows it, in
 * `host`). A row exists only while its host is paused. Deliveries held back for a paused host
 * carry its id in `held_host`, so a resume makes exactly those due at once.
 */
export function hostHealthMigration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('host_health')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('owner', 'text', (c) => c.notNull())
        .addColumn('host', 'text', (c) => c.notNull())
        .addColumn('paused_at_ms', 'bigint', (c) => c.notNull())
        .addColumn('errors', 'integer', (c) => c.notNull())
        .addColumn('successes', 'integer', (c) => c.notNull())
        .addColumn('last_error', 'text')
        .addColumn('probe_at_ms', 'bigint', (c) => c.notNull())
        .addColumn('probe_interval_ms', 'bigint', (c) => c.notNull())
        .addColumn('probes', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('probe_by', 'text')
        .addColumn('probe_until_ms', 'bigint')
        .execute();
      await db.schema.createIndex('host_health_owner').on('host_health').column('owner').execute();
      await db.schema.alterTable('deliveries').addColumn('held_host', 'text').execute();
      await db.schema.createIndex('deliveries_held_host').on('deliveries').column('held_host').execute();
    },
  };
}
