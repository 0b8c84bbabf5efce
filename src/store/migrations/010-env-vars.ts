import type { Kysely, Migration } from 'kysely';

/**
 * Environment variables (issue #15): per owner, one row per scope holding its staged
 * values and the values of its last rollout (the ones Logic functions receive).
 */
export function envVarsMigration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('env_layers')
        .addColumn('owner', 'text', (c) => c.notNull())
        .addColumn('layer', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('own_json', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('updated_by', 'text', (c) => c.notNull())
        .addColumn('snapshot_json', 'text')
        .addColumn('rollout_at', 'text')
        .addColumn('rollout_by', 'text')
        .addPrimaryKeyConstraint('env_layers_pk', ['owner', 'layer'])
        .execute();
    },
  };
}
