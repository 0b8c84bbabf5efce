import type { Kysely, Migration } from 'kysely';

/**
 * Dead letters and delivery history (issue #17). Dead letters get their own table rather
 * than a 'dead' status in `deliveries`: the queue's claims, lease scans and the admission
 * gate's depth count all read `deliveries`, and a week of dead rows there would slow the hot
 * path and count against the queue limit. A dead letter keeps the event (to replay with the
 * current secrets and configuration), its attempt count, last HTTP status and masked last
 * error, and `replayed_as` (the delivery its replay created: a dead letter is replayed at
 * most once, so a repeated "replay all" sends nothing twice). Queue rows and delivery log
 * entries learn which delivery they belong to and which dead letter they replay.
 */
export function deadLettersMigration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('dead_letters')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('integration_id', 'text', (c) => c.notNull())
        .addColumn('owner', 'text', (c) => c.notNull())
        .addColumn('event_json', 'text', (c) => c.notNull())
        .addColumn('event_name', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('last_status', 'integer')
        .addColumn('last_error', 'text')
        .addColumn('dead_at', 'text', (c) => c.notNull())
        .addColumn('replay_of', 'text')
        .addColumn('replayed_as', 'text')
        .execute();
      await db.schema.createIndex('dead_letters_integration').on('dead_letters').columns(['integration_id', 'dead_at']).execute();
      await db.schema.alterTable('deliveries').addColumn('replay_of', 'text').execute();
      await db.schema.alterTable('delivery_logs').addColumn('delivery_id', 'text').execute();
      await db.schema.alterTable('delivery_logs').addColumn('status', 'text').execute();
      await db.schema.alterTable('delivery_logs').addColumn('event_name', 'text').execute();
      await db.schema.alterTable('delivery_logs').addColumn('replay_of', 'text').execute();
    },
  };
}
