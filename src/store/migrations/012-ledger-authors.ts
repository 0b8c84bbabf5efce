import type { Kysely, Migration } from 'kysely';

/**
 * Who wrote each ledger instance and kept version (issue #14: versions "with their time
 * and author"): a user id, or `logic:<function id>` for a Logic run. Rows written before
 * this migration have none (null).
 */
export function ledgerAuthorsMigration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      for (const table of ['ledger_instances', 'ledger_versions']) await db.schema.alterTable(table).addColumn('updated_by', 'text').execute();
    },
  };
}
