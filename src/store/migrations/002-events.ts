import type { Kysely, Migration } from 'kysely';
import type { Dialect } from '../database-types.ts';

/** Products, devices and the recent-event log (cross-node fan-out and the console's view). */
export function eventsMigration(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      let products = db.schema.createTable('products');
      products =
        dialect === 'postgres'
          ? products.addColumn('id', 'serial', (c) => c.primaryKey())
          : products.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
      await products
        .addColumn('owner', 'text', (c) => c.notNull())
        .addColumn('slug', 'text', (c) => c.notNull().unique())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('products_owner').on('products').column('owner').execute();
      await db.schema
        .createTable('devices')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('owner', 'text', (c) => c.notNull())
        .addColumn('product_id', 'integer')
        .addColumn('name', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('devices_owner').on('devices').column('owner').execute();
      await db.schema
        .createTable('event_log')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('owner', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('data', 'text')
        .addColumn('ttl', 'integer', (c) => c.notNull())
        .addColumn('is_public', 'integer', (c) => c.notNull())
        .addColumn('published_at', 'text', (c) => c.notNull())
        .addColumn('coreid', 'text', (c) => c.notNull())
        .addColumn('product_id', 'integer')
        .addColumn('device_id', 'text')
        .addColumn('user_id', 'text')
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('created_ms', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('event_log_owner').on('event_log').columns(['owner', 'id']).execute();
      await db.schema.createIndex('event_log_created').on('event_log').column('created_ms').execute();
    },
  };
}
