import { sql, type RawBuilder } from 'kysely';
import { paddedInList } from '../shared/chunk-fns.ts';
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
export async function claimLeased<R>(db: Db, dialect: Dialect, table: LeaseTable, node: string, limit: number, nowMs: number, leaseMs: number, which: ClaimWhich = 'any', fair?: FairClaim, guard?: ClaimGuard): Promise<R[]> {
  const t = sql.table(table);
  if (fair && which === 'ready') {
    const notExcluded = fair.excludeOwners.length === 0 ? sql`` : sql`and owner not in (${sql.join(fair.excludeOwners)})`;
    const ranked = sql`select id, available_at_ms, row_number() over (partition by owner order by available_at_ms, id) as rn
      from ${t} where status = 'queued' and available_at_ms <= ${nowMs} ${notExcluded}`;
    return leasePicked<R>(db, dialect, table, node, nowMs, leaseMs, {
      pg: sql`with ranked as (${ranked}), picked as (select q.id from ${t} q join ranked on ranked.id = q.id where ranked.rn <= ${fair.perOwner} and q.status = 'queued'
        order by ranked.rn, ranked.available_at_ms limit ${limit} for update of q skip locked)`,
      sqlite: sql`select id from (${ranked}) where rn <= ${fair.perOwner} order by rn, available_at_ms limit ${limit}`,
    }, true);
  }
  const pick =
    which === 'ready'
      ? sql`status = 'queued' and available_at_ms <= ${nowMs} ${guard ? sql`and ${guard(nowMs)}` : sql``} order by available_at_ms`
      : which === 'expired'
        ? sql`status = 'inflight' and lease_until_ms < ${nowMs} order by lease_until_ms`
        : sql`(status = 'queued' and available_at_ms <= ${nowMs}) or (status = 'inflight' and lease_until_ms < ${nowMs}) order by available_at_ms, id`;
  return leasePicked<R>(db, dialect, table, node, nowMs, leaseMs, {
    pg: sql`with picked as (select id from ${t} where ${pick} limit ${limit} for update skip locked)`,
    sqlite: sql`select id from ${t} where ${pick} limit ${limit}`,
  });
}

/**
 * Leases the rows a pick chose. PostgreSQL: `pg` is a CTE list ending in `picked`, locking
 * exactly the rows it picked (`where id in (subquery)` may be re-evaluated by PostgreSQL
 * and claim more rows than it locked). SQLite: `sqlite` selects the ids. Neither database
 * keeps the pick's order in what an update returns, so the claimed rows are put back in
 * queue order (oldest first) before the worker starts them.
 */
async function leasePicked<R>(db: Db, dialect: Dialect, table: LeaseTable, node: string, nowMs: number, leaseMs: number, pick: { pg: RawBuilder<unknown>; sqlite: RawBuilder<unknown> }, fair = false): Promise<R[]> {
  const t = sql.table(table);
  if (dialect === 'postgres') {
    const r = await sql<R>`
      ${pick.pg}
      update ${t} set status = 'inflight', lease_until_ms = ${nowMs + leaseMs}, leased_by = ${node}, attempts = ${t}.attempts + 1
      from picked where ${t}.id = picked.id
      returning ${t}.*`.execute(db);
    return oldestFirst(r.rows, fair);
  }
  const r = await sql<R>`
    update ${t} set status = 'inflight', lease_until_ms = ${nowMs + leaseMs}, leased_by = ${node}, attempts = attempts + 1
    where id in (${pick.sqlite})
    returning *`.execute(db);
  return oldestFirst(r.rows, fair);
}

type QueueOrdered = { available_at_ms: number; id: string; owner: string };
const byAge = (x: QueueOrdered, y: QueueOrdered) => x.available_at_ms - y.available_at_ms || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0);

/** Oldest first; a fair claim's rows owners in turn (each owner's oldest, then each one's next), as its pick ranked them. */
function oldestFirst<R>(rows: R[], fair: boolean): R[] {
  const sorted = (rows as unknown as QueueOrdered[]).sort(byAge);
  if (!fair) return sorted as unknown as R[];
  const seen = new Map<string, number>();
  const rank = new Map(sorted.map((r) => [r, seen.set(r.owner, (seen.get(r.owner) ?? 0) + 1).get(r.owner) as number]));
  return sorted.sort((x, y) => (rank.get(x) as number) - (rank.get(y) as number) || byAge(x, y)) as unknown as R[];
}

/** A domain's extra condition on due queued rows (it refers to the table by name), e.g. delivery pacing. */
export type ClaimGuard = (nowMs: number) => RawBuilder<unknown>;

/**
 * A claim of due queued rows taken owners in turn: each owner's oldest rows first (at most
 * `perOwner` of them), interleaved by rank, none of `excludeOwners` (those that already
 * hold their share of the claiming node). It ranks every due row, so it costs more than the
 * plain claim's index walk; it serves Logic runs, where one run costs far more than that.
 */
export interface FairClaim {
  readonly excludeOwners: readonly string[];
  readonly perOwner: number;
}

/** Pushes forward the leases `node` holds on `ids` (a live node's heartbeat), 256 per statement. */
export async function extendLeases(db: Db, table: LeaseTable, ids: readonly string[], node: string, untilMs: number): Promise<void> {
  for (let at = 0; at < ids.length; at += 256) {
    const list = paddedInList(ids.slice(at, at + 256));
    await db.updateTable(table).set({ lease_until_ms: untilMs }).where('id', 'in', list).where('leased_by', '=', node).execute();
  }
}

/** Hands rows `node` holds back to the queue (shutdown), ready at once, the claim's attempt not counted. */
export async function releaseLeased(db: Db, table: LeaseTable, ids: readonly string[], node: string, nowMs: number): Promise<void> {
  for (let at = 0; at < ids.length; at += 256) {
    const list = paddedInList(ids.slice(at, at + 256));
    await db
      .updateTable(table)
      .set((eb) => ({ status: 'queued', available_at_ms: nowMs, lease_until_ms: null, leased_by: null, attempts: eb('attempts', '-', 1) }))
      .where('id', 'in', list)
      .where('leased_by', '=', node)
      .execute();
  }
}
