import type { Kysely, Migration } from 'kysely';

/**
 * LedgerChange triggers (issue #14): the change a trigger listens to (`set` or `delete`)
 * and the one instance it is restricted to (null: every instance of the ledger). The
 * ledger's name is kept in `event_name`, so the `(owner, type, event_name)` index serves
 * the lookup made in every ledger write's transaction.
 */
export function ledgerTriggersMigration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('logic_triggers').addColumn('change_type', 'text').execute();
      await db.schema.alterTable('logic_triggers').addColumn('instance_scope', 'text').execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.alterTable('logic_triggers').dropColumn('instance_scope').execute();
      await db.schema.alterTable('logic_triggers').dropColumn('change_type').execute();
    },
  };
}
