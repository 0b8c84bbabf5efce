import type { PublishInput } from '../events/event-types.ts';
import type { HushEvent } from '../events/event-types.ts';
import type { TextMasker } from '../masking/masking-types.ts';
import type { Db, DbOrTrx } from '../store/database-types.ts';

/** Event published on the owner's stream when a delivery becomes a dead letter. */
export const DELIVERY_DEAD_EVENT = 'hush/delivery/dead';

/** A delivery that exhausted its retries or was refused as undeliverable (see migration 016). */
export interface DeadLetter {
  readonly id: string;
  readonly integrationId: string;
  readonly owner: string;
  readonly event: HushEvent;
  readonly attempts: number;
  readonly lastStatus: number | null;
  /** Masked, as in the delivery log. */
  readonly lastError: string | null;
  readonly deadAt: string;
  readonly replayOf: string | null;
}

/**
 * `hush/delivery/dead` with `{"integration_id","delivery_id","event","attempts","last_status"}`:
 * metadata only, masked through the owner's masker like other system events. None for a dead
 * delivery of this very event, so an integration on the prefix cannot feed itself forever.
 */
export function deadLetterEvent(d: DeadLetter, masker: TextMasker): PublishInput | null {
  if (d.event.name.startsWith(DELIVERY_DEAD_EVENT)) return null;
  const data = { integration_id: d.integrationId, delivery_id: d.id, event: d.event.name, attempts: d.attempts, last_status: d.lastStatus };
  return { owner: d.owner, name: DELIVERY_DEAD_EVENT, data: masker.mask(JSON.stringify(data)), source: 'system', coreid: 'hush' };
}

export function createDeadLetterStore(db: Db) {
  return {
    /** Keeps dead letters (in the finisher's transaction, with the queue rows they replace). */
    async addMany(trx: DbOrTrx, letters: readonly DeadLetter[]): Promise<void> {
      for (const d of letters) {
        await trx
          .insertInto('dead_letters')
          .values({
            id: d.id, integration_id: d.integrationId, owner: d.owner, event_json: JSON.stringify(d.event), event_name: d.event.name, attempts: d.attempts,
            last_status: d.lastStatus, last_error: d.lastError, dead_at: d.deadAt, replay_of: d.replayOf, replayed_as: null,
          })
          .execute();
      }
    },
    /** Dead letters of an integration not replayed yet: one by id, or all since a time (oldest first). */
    async unreplayed(integrationId: string, which: { readonly id: string } | { readonly since: string }): Promise<DeadLetter[]> {
      let q = db.selectFrom('dead_letters').selectAll().where('integration_id', '=', integrationId).where('replayed_as', 'is', null);
      q = 'id' in which ? q.where('id', '=', which.id) : q.where('dead_at', '>=', which.since);
      const rows = await q.orderBy('id').execute();
      return rows.map((r) => ({
        id: r.id, integrationId: r.integration_id, owner: r.owner, event: JSON.parse(r.event_json) as HushEvent, attempts: Number(r.attempts),
        lastStatus: r.last_status === null ? null : Number(r.last_status), lastError: r.last_error, deadAt: r.dead_at, replayOf: r.replay_of,
      }));
    },
    /** Whether a dead letter exists for this integration (replayed or not). */
    async exists(integrationId: string, id: string): Promise<boolean> {
      return (await db.selectFrom('dead_letters').select('id').where('integration_id', '=', integrationId).where('id', '=', id).executeTakeFirst()) !== undefined;
    },
    /** Links a dead letter to its replay; false when another replay got there first (at most one replay each). */
    async markReplayed(trx: DbOrTrx, id: string, replayId: string): Promise<boolean> {
      const r = await trx.updateTable('dead_letters').set({ replayed_as: replayId }).where('id', '=', id).where('replayed_as', 'is', null).executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
    /** Drops every dead letter older than the retention. */
    async trimBefore(cutoff: Date): Promise<void> {
      await db.deleteFrom('dead_letters').where('dead_at', '<', cutoff.toISOString()).execute();
    },
  };
}

export type DeadLetterStore = ReturnType<typeof createDeadLetterStore>;
