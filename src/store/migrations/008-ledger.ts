import type { CreateTableBuilder, Kysely, Migration } from 'kysely';

/** The columns of an instance, shared by the current row and each kept version of it. */
const instanceColumns = <T extends string>(t: CreateTableBuilder<T>) =>
  t
    .addColumn('owner', 'text', (c) => c.notNull())
    .addColumn('ledger', 'text', (c) => c.notNull())
    .addColumn('scope_value', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('data_json', 'text', (c) => c.notNull())
    .addColumn('size_bytes', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull());

/**
 * Ledger (issue #14): definitions per owner, one current JSON object per instance with a
 * version counter (the compare-and-set key of every write), and the replaced versions.
 */
export function ledgerMigration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('ledgers')
        .addColumn('owner', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('scope', 'text', (c) => c.notNull())
        .addColumn('direction', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('archived_at', 'text')
        .addPrimaryKeyConstraint('ledgers_pk', ['owner', 'name'])
        .execute();
      await instanceColumns(db.schema.createTable('ledger_instances'))
        .addPrimaryKeyConstraint('ledger_instances_pk', ['owner', 'ledger', 'scope_value'])
        .execute();
      await instanceColumns(db.schema.createTable('ledger_versions'))
        .addColumn('replaced_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('ledger_versions_pk', ['owner', 'ledger', 'scope_value', 'version'])
        .execute();
    },
  };
}
