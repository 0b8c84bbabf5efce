import type { Kysely, Migration } from 'kysely';

/** Logic functions, their triggers, run history and the durable run queue. */
export function logicMigration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('logic_functions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('owner', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('enabled', 'integer', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('code', 'text', (c) => c.notNull())
        .addColumn('secrets_json', 'text', (c) => c.notNull())
        .addColumn('extra_json', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('updated_by', 'text', (c) => c.notNull())
        .addUniqueConstraint('logic_functions_owner_name', ['owner', 'name'])
        .execute();
      await db.schema
        .createTable('logic_triggers')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('function_id', 'text', (c) => c.notNull())
        .addColumn('owner', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('enabled', 'integer', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('event_name', 'text')
        .addColumn('product_id', 'integer')
        .addColumn('cron', 'text')
        .addColumn('start_at', 'text')
        .addColumn('end_at', 'text')
        .addColumn('next_run_ms', 'bigint')
        .addColumn('last_scheduled_at', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('logic_triggers_event').on('logic_triggers').columns(['owner', 'type', 'event_name']).execute();
      await db.schema.createIndex('logic_triggers_due').on('logic_triggers').columns(['type', 'next_run_ms']).execute();
      await db.schema.createIndex('logic_triggers_function').on('logic_triggers').column('function_id').execute();
      await db.schema
        .createTable('logic_runs')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('function_id', 'text', (c) => c.notNull())
        .addColumn('owner', 'text', (c) => c.notNull())
        .addColumn('trigger_type', 'text', (c) => c.notNull())
        .addColumn('trigger_id', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('started_at', 'text', (c) => c.notNull())
        .addColumn('finished_at', 'text')
        .addColumn('logs_json', 'text', (c) => c.notNull())
        .addColumn('err', 'text')
        .addColumn('day', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('logic_runs_function').on('logic_runs').columns(['function_id', 'id']).execute();
      await db.schema
        .createTable('logic_jobs')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('function_id', 'text', (c) => c.notNull())
        .addColumn('owner', 'text', (c) => c.notNull())
        .addColumn('trigger_id', 'text')
        .addColumn('trigger_type', 'text', (c) => c.notNull())
        .addColumn('payload_json', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('available_at_ms', 'bigint', (c) => c.notNull())
        .addColumn('lease_until_ms', 'bigint')
        .addColumn('leased_by', 'text')
        .addColumn('created_ms', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('logic_jobs_ready').on('logic_jobs').columns(['status', 'available_at_ms']).execute();
    },
  };
}
