import type { Kysely, Migration } from 'kysely';

/**
 * Access by consumer (issue #19): per secret and consumer (an integration or a Logic
 * function) the last use, and use counts per UTC day. Keyed by the secret's owner and name
 * (a secret has no other row id); a delete removes the rows in its own transaction, and the
 * coalesced flush writes only for secrets that exist. Day rows older than 30 days are trimmed.
 */
export function secretConsumersMigration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('secret_consumers')
        .addColumn('owner', 'text', (c) => c.notNull())
        .addColumn('secret_name', 'text', (c) => c.notNull())
        .addColumn('consumer_kind', 'text', (c) => c.notNull())
        .addColumn('consumer_id', 'text', (c) => c.notNull())
        .addColumn('consumer_name', 'text')
        .addColumn('last_used_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('secret_consumers_pk', ['owner', 'secret_name', 'consumer_kind', 'consumer_id'])
        .execute();
      await db.schema.createIndex('secret_consumers_last_used').on('secret_consumers').column('last_used_at').execute();
      await db.schema
        .createTable('secret_consumer_days')
        .addColumn('owner', 'text', (c) => c.notNull())
        .addColumn('secret_name', 'text', (c) => c.notNull())
        .addColumn('consumer_kind', 'text', (c) => c.notNull())
        .addColumn('consumer_id', 'text', (c) => c.notNull())
        .addColumn('day', 'text', (c) => c.notNull())
        .addColumn('uses', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('secret_consumer_days_pk', ['owner', 'secret_name', 'consumer_kind', 'consumer_id', 'day'])
        .execute();
      await db.schema.createIndex('secret_consumer_days_day').on('secret_consumer_days').column('day').execute();
    },
  };
}
