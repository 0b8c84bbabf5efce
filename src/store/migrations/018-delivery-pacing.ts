import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Delivery pacing per integration (issue #17 item 4). Each queue row is stamped when queued
 * with what the claim needs to hold it back: `order_key` and `order_seq` (ordered per
 * device: a row is not claimed while an earlier row of its key exists) and `flight_cap`
 * (at most that many of its integration's rows in flight or ahead of it). `slot_ms` is the
 * send slot a rate-limited row reserved when it was deferred, so claiming it again takes no
 * second slot. `delivery_pacing` keeps each rate-limited integration's next free slot (the
 * "theoretical arrival time" of a GCRA token bucket), shared by every node. The partial
 * indexes cover only paced rows: unpaced deliveries pay nothing for them.
 */
export function deliveryPacingMigration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('deliveries').addColumn('order_key', 'text').execute();
      await db.schema.alterTable('deliveries').addColumn('order_seq', 'bigint').execute();
      await db.schema.alterTable('deliveries').addColumn('flight_cap', 'integer').execute();
      await db.schema.alterTable('deliveries').addColumn('slot_ms', 'bigint').execute();
      await db.schema.createIndex('deliveries_order').on('deliveries').columns(['order_key', 'order_seq']).where(sql.ref('order_key'), 'is not', null).execute();
      await db.schema
        .createIndex('deliveries_flight')
        .on('deliveries')
        .columns(['integration_id', 'status', 'available_at_ms', 'id'])
        .where(sql.ref('flight_cap'), 'is not', null)
        .execute();
      await db.schema
        .createTable('delivery_pacing')
        .addColumn('integration_id', 'text', (c) => c.primaryKey())
        .addColumn('tat_ms', 'double precision', (c) => c.notNull())
        .execute();
    },
  };
}
