import { sql } from 'kysely';
import { HushError } from '../errors/errors.ts';
import type { EventSink } from '../events/event-bus.ts';
import type { HushEvent } from '../events/event-types.ts';
import { sortableId } from '../shared/ids.ts';
import type { Db, Dialect, DbOrTrx } from '../store/database-types.ts';
import type { IntegrationRecord, IntegrationStore } from './integration-store.ts';

export interface Delivery {
  readonly id: string;
  readonly integrationId: string;
  readonly owner: string;
  readonly event: HushEvent;
  /** Attempts including the one just claimed. */
  readonly attempts: number;
}

export interface DeliveryQueueDeps {
  readonly db: Db;
  readonly dialect: Dialect;
  readonly integrations: IntegrationStore;
  readonly now: () => Date;
  /** Most deliveries waiting at once before publishing answers 429 (default 100,000). */
  readonly maxQueued?: number;
  /** How long a claim lasts before another node may retry it (default 60 s). */
  readonly leaseMs?: number;
}

/** Does this integration fire for this event? (Particle: name prefix, device filter, no hook chaining.) */
export function integrationMatches(i: IntegrationRecord, e: HushEvent): boolean {
  if (e.source === 'hook' || i.config.disabled) return false;
  if (!e.name.startsWith(i.config.event)) return false;
  if (i.config.deviceId && i.config.deviceId !== e.deviceId && i.config.deviceId !== e.coreid) return false;
  return true;
}

/**
 * The durable webhook queue. Rows are written in the publishing transaction; workers
 * claim them after commit with a lease (`FOR UPDATE SKIP LOCKED` on PostgreSQL, the
 * single writer on SQLite), so each delivery is sent by one node, and a node that dies
 * mid-send leaves a lease that expires and lets another node retry.
 */
export function createDeliveryQueue(deps: DeliveryQueueDeps) {
  const maxQueued = deps.maxQueued ?? 100_000;
  const leaseMs = deps.leaseMs ?? 60_000;
  let depth = 0;
  let depthAt = 0;
  let addedSince = 0;

  // Takes the caller's executor: on SQLite the one connection is held by the publishing
  // transaction, and a query on another executor would wait for it forever.
  const refreshDepth = async (db: DbOrTrx, force = false) => {
    const nowMs = Date.now();
    if (!force && nowMs - depthAt < 500) return;
    depthAt = nowMs;
    const r = await db.selectFrom('deliveries').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
    depth = Number(r?.n ?? 0);
    addedSince = 0;
  };

  const sink: EventSink = {
    name: 'webhooks',
    async enqueue(trx: DbOrTrx, event: HushEvent) {
      if (event.source === 'hook') return 0;
      const matches = (await deps.integrations.candidates(trx, event.owner, event.productId)).filter((i) => integrationMatches(i, event));
      if (matches.length === 0) return 0;
      await refreshDepth(trx);
      if (depth + addedSince + matches.length > maxQueued) {
        throw new HushError('too_many_requests', `the delivery queue is full (${maxQueued} waiting); retry shortly`, { details: { retry_after: 1 } });
      }
      const now = deps.now();
      const json = JSON.stringify(event);
      await trx
        .insertInto('deliveries')
        .values(matches.map((i) => ({
          id: sortableId(now), integration_id: i.id, owner: event.owner, event_json: json, attempts: 0, status: 'queued',
          available_at_ms: now.getTime(), lease_until_ms: null, leased_by: null, created_ms: now.getTime(),
        })))
        .execute();
      addedSince += matches.length;
      return matches.length;
    },
  };

  return {
    sink,
    /** Claims up to `limit` ready deliveries (or expired leases) for `node`. */
    async claim(node: string, limit: number): Promise<Delivery[]> {
      const nowMs = deps.now().getTime();
      const lock = deps.dialect === 'postgres' ? sql`for update skip locked` : sql``;
      const rows = await sql<{ id: string; integration_id: string; owner: string; event_json: string; attempts: number }>`
        update deliveries set status = 'inflight', lease_until_ms = ${nowMs + leaseMs}, leased_by = ${node}, attempts = attempts + 1
        where id in (
          select id from deliveries
          where (status = 'queued' and available_at_ms <= ${nowMs}) or (status = 'inflight' and lease_until_ms < ${nowMs})
          order by available_at_ms, id limit ${limit} ${lock}
        )
        returning id, integration_id, owner, event_json, attempts`.execute(deps.db);
      return rows.rows.map((r) => ({ id: r.id, integrationId: r.integration_id, owner: r.owner, event: JSON.parse(r.event_json) as HushEvent, attempts: Number(r.attempts) }));
    },
    /** Removes a finished delivery, only while this node still holds its lease. */
    async complete(id: string, node: string): Promise<void> {
      await deps.db.deleteFrom('deliveries').where('id', '=', id).where('leased_by', '=', node).execute();
    },
    async retryLater(id: string, node: string, delayMs: number): Promise<void> {
      await deps.db
        .updateTable('deliveries')
        .set({ status: 'queued', available_at_ms: deps.now().getTime() + delayMs, lease_until_ms: null, leased_by: null })
        .where('id', '=', id)
        .where('leased_by', '=', node)
        .execute();
    },
    /** Pushes a held lease forward (long sends). */
    async extend(id: string, node: string): Promise<void> {
      await deps.db.updateTable('deliveries').set({ lease_until_ms: deps.now().getTime() + leaseMs }).where('id', '=', id).where('leased_by', '=', node).execute();
    },
    async depth(): Promise<number> {
      await refreshDepth(deps.db, true);
      return depth;
    },
    /** When the next queued delivery becomes ready (ms epoch), or null. */
    async nextReadyAt(): Promise<number | null> {
      const r = await deps.db.selectFrom('deliveries').select((eb) => eb.fn.min('available_at_ms').as('t')).where('status', '=', 'queued').executeTakeFirst();
      const leases = await deps.db.selectFrom('deliveries').select((eb) => eb.fn.min('lease_until_ms').as('t')).where('status', '=', 'inflight').executeTakeFirst();
      const ts = [r?.t, leases?.t].filter((x) => x !== null && x !== undefined).map(Number);
      return ts.length ? Math.min(...ts) : null;
    },
  };
}

export type DeliveryQueue = ReturnType<typeof createDeliveryQueue>;
