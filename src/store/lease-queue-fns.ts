import { sql } from 'kysely';
import type { Db, Dialect } from './database-types.ts';

/** Tables that hold durable work with the lease columns (deliveries, logic_jobs). */
export type LeaseTable = 'deliveries' | 'logic_jobs';

/** Which rows a claim takes: due queued work, leases that ran out, or both. */
export type ClaimWhich = 'ready' | 'expired' | 'any';

/**
 * Claims up to `limit` rows for `node`, counting the attempt. PostgreSQL skips rows other
 * nodes are claiming (`FOR UPDATE SKIP LOCKED`); SQLite has one writer, so the update is
 * already exclusive. 'ready' and 'expired' order by their own indexed time column alone,
 * so the pick reads `limit` index entries rather than sorting the whole backlog.
 */
export async function claimLeased<R>(db: Db, dialect: Dialect, table: LeaseTable, node: string, limit: number, nowMs: number, leaseMs: number, which: ClaimWhich = 'any'): Promise<R[]> {
  const t = sql.table(table);
  const pick =
    which === 'ready'
      ? sql`status = 'queued' and available_at_ms <= ${nowMs} order by available_at_ms`
      : which === 'expired'
        ? sql`status = 'inflight' and lease_until_ms < ${nowMs} order by lease_until_ms`
        : sql`(status = 'queued' and available_at_ms <= ${nowMs}) or (status = 'inflight' and lease_until_ms < ${nowMs}) order by available_at_ms, id`;
  if (dialect === 'postgres') {
    // The CTE form locks exactly the rows it picked; `where id in (subquery)` may be
    // re-evaluated by PostgreSQL and claim more rows than it locked.
    const r = await sql<R>`
      with picked as (select id from ${t} where ${pick} limit ${limit} for update skip locked)
      update ${t} set status = 'inflight', lease_until_ms = ${nowMs + leaseMs}, leased_by = ${node}, attempts = ${t}.attempts + 1
      from picked where ${t}.id = picked.id
      returning ${t}.*`.execute(db);
    return r.rows;
  }
  const r = await sql<R>`
    update ${t} set status = 'inflight', lease_until_ms = ${nowMs + leaseMs}, leased_by = ${node}, attempts = attempts + 1
    where id in (select id from ${t} where ${pick} limit ${limit})
    returning *`.execute(db);
  return r.rows;
}

/** Pushes forward the leases `node` holds on `ids` (a live node's heartbeat). */
export async function extendLeases(db: Db, table: LeaseTable, ids: readonly string[], node: string, untilMs: number): Promise<void> {
  if (ids.length === 0) return;
  await db.updateTable(table).set({ lease_until_ms: untilMs }).where('id', 'in', [...ids]).where('leased_by', '=', node).execute();
}

/** Deletes a finished row, only while `node` still holds its lease. */
export async function completeLeased(db: Db, table: LeaseTable, id: string, node: string): Promise<void> {
  await db.deleteFrom(table).where('id', '=', id).where('leased_by', '=', node).execute();
}
