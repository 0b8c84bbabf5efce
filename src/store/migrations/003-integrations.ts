import type { Kysely, Migration } from 'kysely';

/** Webhook integrations, the durable delivery queue and per-integration delivery logs. */
export function integrationsMigration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('integrations')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('owner', 'text', (c) => c.notNull())
        .addColumn('product_id', 'integer')
        .addColumn('scope_kind', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('event', 'text', (c) => c.notNull())
        .addColumn('device_id', 'text')
        .addColumn('disabled', 'integer', (c) => c.notNull())
        .addColumn('config_json', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('success_count', 'bigint', (c) => c.notNull().defaultTo(0))
        .addColumn('error_count', 'bigint', (c) => c.notNull().defaultTo(0))
        .addColumn('last_status', 'text')
        .addColumn('last_at', 'text')
        .addColumn('last_http_status', 'integer')
        .execute();
      await db.schema.createIndex('integrations_owner').on('integrations').columns(['owner', 'disabled']).execute();
      await db.schema.createIndex('integrations_product').on('integrations').column('product_id').execute();
      await db.schema
        .createTable('deliveries')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('integration_id', 'text', (c) => c.notNull())
        .addColumn('owner', 'text', (c) => c.notNull())
        .addColumn('event_json', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('available_at_ms', 'bigint', (c) => c.notNull())
        .addColumn('lease_until_ms', 'bigint')
        .addColumn('leased_by', 'text')
        .addColumn('created_ms', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('deliveries_ready').on('deliveries').columns(['status', 'available_at_ms']).execute();
      await db.schema.createIndex('deliveries_lease').on('deliveries').columns(['status', 'lease_until_ms']).execute();
      await db.schema
        .createTable('delivery_logs')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('integration_id', 'text', (c) => c.notNull())
        .addColumn('owner', 'text', (c) => c.notNull())
        .addColumn('entry_json', 'text', (c) => c.notNull())
        .addColumn('outcome', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('delivery_logs_integration').on('delivery_logs').columns(['integration_id', 'id']).execute();
    },
  };
}
