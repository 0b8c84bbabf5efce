import { sql } from 'kysely';
import type { Db, Dialect } from './database-types.ts';

/** Tables that hold durable work with the lease columns (deliveries, logic_jobs). */
export type LeaseTable = 'deliveries' | 'logic_jobs';

/**
 * Claims up to `limit` ready rows (queued and due, or in flight with an expired lease)
 * for `node`, counting the attempt. PostgreSQL skips rows other nodes are claiming
 * (`FOR UPDATE SKIP LOCKED`); SQLite has one writer, so the update is already exclusive.
 */
export async function claimLeased<R>(db: Db, dialect: Dialect, table: LeaseTable, node: string, limit: number, nowMs: number, leaseMs: number): Promise<R[]> {
  const lock = dialect === 'postgres' ? sql`for update skip locked` : sql``;
  const t = sql.table(table);
  const r = await sql<R>`
    update ${t} set status = 'inflight', lease_until_ms = ${nowMs + leaseMs}, leased_by = ${node}, attempts = attempts + 1
    where id in (
      select id from ${t}
      where (status = 'queued' and available_at_ms <= ${nowMs}) or (status = 'inflight' and lease_until_ms < ${nowMs})
      order by available_at_ms, id limit ${limit} ${lock}
    )
    returning *`.execute(db);
  return r.rows;
}

/** Deletes a finished row, only while `node` still holds its lease. */
export async function completeLeased(db: Db, table: LeaseTable, id: string, node: string): Promise<void> {
  await db.deleteFrom(table).where('id', '=', id).where('leased_by', '=', node).execute();
}
