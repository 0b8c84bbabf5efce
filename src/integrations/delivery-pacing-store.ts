/**
 * The database side of delivery pacing: the claim guard (ordered and in-flight rows held
 * back in the claim query itself), the cluster-wide slot reservation of rate-limited
 * integrations, and the deferral of a claimed delivery to its slot without counting an
 * attempt.
 */
import { sql } from 'kysely';
import type { Db, Dialect } from '../store/database-types.ts';
import type { ClaimGuard } from '../store/lease-queue-fns.ts';
import { PACING_LIMITS } from './delivery-pacing-fns.ts';

/**
 * Appended to the ready claim of `deliveries` (its rows are referred to by the table name;
 * the subqueries alias theirs). A row stamped with an order key waits while an earlier row
 * of that key exists (queued, in retry or in flight: finished and dead rows are deleted).
 * A row with an in-flight cap waits while that many rows of its integration are in flight
 * or ahead of it in claim order, so one claim never takes more than the cap either. Both
 * tests start with a null check: unstamped rows pay nothing, and the partial indexes of
 * migration 018 serve the lookups. Each count stops at the cap (PostgreSQL; SQLite, which
 * allows no column in LIMIT, at the largest cap), walking `deliveries_flight` in order.
 */
export function pacingClaimGuard(dialect: Dialect): ClaimGuard {
  const upTo = dialect === 'postgres' ? sql`deliveries.flight_cap` : sql.lit(PACING_LIMITS.maxInFlight[1]);
  const same = sql`f.integration_id = deliveries.integration_id and f.flight_cap is not null`;
  const flying = sql`(select count(*) from (select 1 from deliveries f where ${same} and f.status = 'inflight' limit ${upTo}) flying)`;
  // A full integration is told by its in-flight rows alone; the rows ahead are counted only when there is room.
  return (nowMs) => sql`(deliveries.order_key is null or not exists (
      select 1 from deliveries o where o.order_key = deliveries.order_key and o.order_seq < deliveries.order_seq))
    and (deliveries.flight_cap is null or case when ${flying} >= deliveries.flight_cap then false else ${flying}
       + (select count(*) from (select 1 from deliveries f where ${same} and f.status = 'queued' and f.available_at_ms <= ${nowMs}
           and (f.available_at_ms, f.id) < (deliveries.available_at_ms, deliveries.id) order by f.available_at_ms, f.id limit ${upTo}) ahead) < deliveries.flight_cap end)`;
}

export function createDeliveryPacingStore(deps: { readonly db: Db; readonly dialect: Dialect }) {
  const greatest = deps.dialect === 'postgres' ? sql.raw('greatest') : sql.raw('max');
  return {
    /**
     * Reserves `n` consecutive send slots of an integration, `intervalMs` apart, in one
     * statement (so nodes reserving at once get distinct slots). Answers the first slot's
     * time: now when the bucket was idle, else where the last reservation ended.
     */
    async reserve(integrationId: string, n: number, intervalMs: number, nowMs: number): Promise<number> {
      const span = n * intervalMs;
      const row = await deps.db
        .insertInto('delivery_pacing')
        .values({ integration_id: integrationId, tat_ms: nowMs + span })
        .onConflict((oc) => oc.column('integration_id').doUpdateSet({ tat_ms: sql<number>`${greatest}(delivery_pacing.tat_ms, ${nowMs}) + ${span}` }))
        .returning('tat_ms')
        .executeTakeFirstOrThrow();
      return Number(row.tat_ms) - span;
    },
    /**
     * Puts claimed deliveries back in the queue until their slots, the claim's attempt not
     * counted, each keeping its slot (`slot_ms`) so its next claim sends it at once.
     */
    async defer(rows: ReadonlyArray<{ readonly id: string; readonly atMs: number }>, node: string): Promise<void> {
      if (rows.length === 0) return;
      await deps.db.transaction().execute(async (trx) => {
        for (const r of rows) {
          await trx
            .updateTable('deliveries')
            .set((eb) => ({ status: 'queued', available_at_ms: r.atMs, slot_ms: r.atMs, lease_until_ms: null, leased_by: null, attempts: eb('attempts', '-', 1) }))
            .where('id', '=', r.id)
            .where('leased_by', '=', node)
            .execute();
        }
      });
    },
  };
}

export type DeliveryPacingStore = ReturnType<typeof createDeliveryPacingStore>;
