import type { Kysely, Migration } from 'kysely';

/**
 * The event that set off each event-triggered Logic run (issue #16: run history shows the
 * run's input event), as JSON; its data masked like the run's logs. Null for scheduled and
 * ledger-change runs, and for runs stored before this migration.
 */
export function logicRunEventsMigration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('logic_runs').addColumn('event_json', 'text').execute();
    },
  };
}
