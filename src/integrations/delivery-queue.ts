import type { EventSink } from '../events/event-bus.ts';
import type { HushEvent } from '../events/event-types.ts';
import { paddedInList, powerOfTwoChunks } from '../shared/chunk-fns.ts';
import { sortableId } from '../shared/ids.ts';
import { claimLeased, extendLeases, releaseLeased } from '../store/lease-queue-fns.ts';
import type { Db, Dialect, DbOrTrx } from '../store/database-types.ts';
import { prepareQuery } from '../store/prepared-query.ts';
import { addsByOwner, createQueueGate } from '../store/queue-gate.ts';
import type { DeadLetter, DeadLetterStore } from './dead-letter-store.ts';
import { createOrderSequence, NO_STAMP, pacingStamp } from './delivery-pacing-fns.ts';
import { createDeliveryPacingStore, pacingClaimGuard } from './delivery-pacing-store.ts';
import type { IntegrationRecord, IntegrationStore } from './integration-store.ts';

export interface Delivery {
  readonly id: string;
  readonly integrationId: string;
  readonly owner: string;
  readonly event: HushEvent;
  /** Attempts including the one just claimed. */
  readonly attempts: number;
  /** The integration as the publishing transaction read it (deliveries handed over in memory). */
  readonly integration?: IntegrationRecord;
  /** The dead letter this delivery replays. */
  readonly replayOf?: string | null;
  /** The rate-limit slot it reserved when it was deferred (pacing). */
  readonly slotMs?: number | null;
  /** When it was queued (a delivery held for a paused host dies once older than the limit). */
  readonly createdMs?: number;
}

export interface DeliveryQueueDeps {
  readonly db: Db;
  readonly dialect: Dialect;
  readonly integrations: Pick<IntegrationStore, 'candidates'>;
  readonly now: () => Date;
  /** Most deliveries waiting at once before publishing answers 429 (default 100,000). */
  readonly maxQueued?: number;
  /** Most deliveries one owner may have waiting (default: half of `maxQueued`). */
  readonly maxQueuedPerOwner?: number;
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

type Row = { id: string; integration_id: string; owner: string; event_json: string; attempts: number; replay_of: string | null; slot_ms: number | null; created_ms: number };
const toDelivery = (r: Row): Delivery => ({
  id: r.id, integrationId: r.integration_id, owner: r.owner, event: JSON.parse(r.event_json) as HushEvent, attempts: Number(r.attempts), replayOf: r.replay_of ?? null, createdMs: Number(r.created_ms),
  ...(r.slot_ms == null ? {} : { slotMs: Number(r.slot_ms) }),
});

const COLUMNS = 13;
// Hot path: compiled once per row count (see prepared-query.ts).
const insertQuery = prepareQuery((db, arg, size) =>
  db.insertInto('deliveries').values(
    Array.from({ length: size }, (_, i) => {
      const c = (k: number) => arg(i * COLUMNS + k);
      return { id: c(0), integration_id: c(1), owner: c(2), event_json: c(3), attempts: c(4), status: c(5), available_at_ms: c(6), lease_until_ms: c(7), leased_by: c(8), created_ms: c(9), order_key: c(10), order_seq: c(11), flight_cap: c(12) };
    }),
  ),
);
const completeQuery = prepareQuery((db, arg, size) =>
  db.deleteFrom('deliveries').where('id', 'in', Array.from({ length: size }, (_, i) => arg(i + 1))).where('leased_by', '=', arg(0)),
);

/**
 * This node's worker, when it takes deliveries straight from the publishing transaction:
 * `reserve` answers how many of `n` it has room for now; after commit they are handed to
 * `accept`, after a rollback the room is given back with `unreserve`.
 */
export interface LocalWorker {
  readonly node: string;
  reserve(n: number): number;
  accept(deliveries: readonly Delivery[]): void;
  unreserve(n: number): void;
}

/**
 * The durable webhook queue. Rows are written in the publishing transaction; workers
 * claim them after commit with a lease (`FOR UPDATE SKIP LOCKED` on PostgreSQL, the
 * single writer on SQLite), so each delivery is sent by one node, and a node that dies
 * mid-send leaves a lease that expires and lets another node retry.
 *
 * Fast path: as many rows as the local worker has room for are written already leased
 * to it and handed over in memory after commit (no claim round trip); the rest are
 * queued for any node. A crash still leaves leased rows that expire and are retried.
 */
export function createDeliveryQueue(deps: DeliveryQueueDeps) {
  const maxQueued = deps.maxQueued ?? 100_000;
  const leaseMs = deps.leaseMs ?? 60_000;
  const gate = createQueueGate({ table: 'deliveries', what: 'webhook deliveries', max: maxQueued, maxPerOwner: deps.maxQueuedPerOwner ?? Math.ceil(maxQueued / 2) });
  let local: LocalWorker | null = null;
  // What the running publishing transaction did (the bus runs one at a time).
  let pendingLocal: Delivery[] = [];
  let pendingReserved = 0;
  let pendingQueued = 0;
  let onQueued: () => void = () => undefined;
  const pacing = createDeliveryPacingStore({ db: deps.db, dialect: deps.dialect });
  const orderSeq = createOrderSequence();
  const claimGuard = pacingClaimGuard(deps.dialect);

  /** The deliveries for a batch of events: one candidate lookup per owner and product. */
  const enqueueMany = async (trx: DbOrTrx, events: readonly HushEvent[]): Promise<number> => {
    const live = events.filter((e) => e.source !== 'hook');
    if (live.length === 0) return 0;
    const lookups = new Map<string, Promise<IntegrationRecord[]>>();
    const rows: Array<{ integration: IntegrationRecord; event: HushEvent }> = [];
    for (const e of live) {
      const key = `${e.owner}\0${e.productId ?? ''}`;
      let found = lookups.get(key);
      if (found === undefined) {
        found = deps.integrations.candidates(trx, e.owner, e.productId);
        lookups.set(key, found);
      }
      for (const i of await found) if (integrationMatches(i, e)) rows.push({ integration: i, event: e });
    }
    if (rows.length === 0) return 0;
    await gate.admit(trx, addsByOwner(rows, (r) => r.event.owner));
    const now = deps.now();
    const nowMs = now.getTime();
    // Ordered and in-flight-capped rows are held back by the claim, so they always go through it.
    const stamps = rows.map(({ integration, event }) => pacingStamp(integration.id, integration.config, event, () => orderSeq(nowMs)));
    const mine = local?.reserve(stamps.filter((st) => st === null).length) ?? 0;
    pendingReserved += mine;
    pendingQueued += rows.length - mine;
    const json = new Map<HushEvent, string>();
    let handed = 0;
    const values = rows.map(({ integration, event }, i) => {
      let text = json.get(event);
      if (text === undefined) json.set(event, (text = JSON.stringify(event)));
      const id = sortableId(now);
      const stamp = stamps[i] ?? null;
      if (stamp !== null || handed >= mine || local === null) return [id, integration.id, event.owner, text, 0, 'queued', nowMs, null, null, nowMs, ...(stamp ?? NO_STAMP)];
      handed++;
      pendingLocal.push({ id, integrationId: integration.id, owner: event.owner, event, attempts: 1, integration, createdMs: nowMs });
      return [id, integration.id, event.owner, text, 1, 'inflight', nowMs, nowMs + leaseMs, local.node, nowMs, ...NO_STAMP];
    });
    for (const chunk of powerOfTwoChunks(values, 128)) await insertQuery.execute(trx, chunk.flat(), chunk.length);
    return rows.length;
  };

  const settle = () => {
    const handed = pendingLocal;
    const queued = pendingQueued;
    pendingLocal = [];
    pendingReserved = 0;
    pendingQueued = 0;
    return { handed, queued };
  };
  const sink: EventSink = {
    name: 'webhooks',
    enqueue: (trx, e) => enqueueMany(trx, [e]),
    enqueueMany,
    afterCommit() {
      const { handed, queued } = settle();
      if (handed.length > 0) local?.accept(handed);
      if (queued > 0) onQueued();
    },
    afterRollback() {
      const reserved = pendingReserved;
      settle();
      if (reserved > 0) local?.unreserve(reserved);
    },
  };

  /** Leases ready work, or leases that ran out, for `node` (the shared lease claim). */
  const claimWhere = async (node: string, limit: number, which: 'ready' | 'expired'): Promise<Delivery[]> =>
    (await claimLeased<Row>(deps.db, deps.dialect, 'deliveries', node, limit, deps.now().getTime(), leaseMs, which, undefined, claimGuard)).map(toDelivery);

  // Padded to a power of two: few distinct statements to prepare.
  const idList = (ids: readonly string[]) => paddedInList(ids);

  return {
    sink,
    leaseMs,
    /** Rate-limit slots and deferrals (see delivery-pacing.ts). */
    pacing,
    /** Lets this node's worker take new deliveries straight from the publishing transaction. */
    attachLocalWorker(w: LocalWorker | null) {
      local = w;
    },
    /** Called after a commit that queued deliveries for any node (to wake the workers). */
    onQueued(fn: () => void) {
      onQueued = fn;
    },
    /** Claims up to `limit` ready deliveries for `node`. */
    claim: (node: string, limit: number) => claimWhere(node, limit, 'ready'),
    /** Claims deliveries whose lease ran out (their node died or lost its database). */
    claimExpired: (node: string, limit: number) => claimWhere(node, limit, 'expired'),
    /** Removes finished deliveries, only those this node still holds. */
    async completeMany(db: DbOrTrx, ids: readonly string[], node: string): Promise<void> {
      if (ids.length === 0) return;
      const padded = idList(ids);
      await completeQuery.execute(db, [node, ...padded], padded.length);
    },
    /** Puts a delivery back in the queue, ready after `delayMs`. */
    async retryLater(db: DbOrTrx, id: string, node: string, delayMs: number): Promise<void> {
      await db
        .updateTable('deliveries')
        .set({ status: 'queued', available_at_ms: deps.now().getTime() + delayMs, lease_until_ms: null, leased_by: null, slot_ms: null })
        .where('id', '=', id)
        .where('leased_by', '=', node)
        .execute();
    },
    /**
     * Host health: puts a delivery back for its paused host, ready after `delayMs`, the claim's
     * attempt not counted. A host resumed since the attempt looked (its row gone) leaves the
     * delivery due at once, unheld: the resume's release ran before this write and missed it.
     */
    async holdLater(db: DbOrTrx, id: string, node: string, delayMs: number, hostId: string): Promise<void> {
      const nowMs = deps.now().getTime();
      await db
        .updateTable('deliveries')
        .set((eb) => {
          const stillPaused = eb.exists(eb.selectFrom('host_health').select('id').where('id', '=', hostId));
          return {
            status: 'queued', lease_until_ms: null, leased_by: null, attempts: eb('attempts', '-', 1),
            available_at_ms: eb.case().when(stillPaused).then(nowMs + delayMs).else(nowMs).end(),
            held_host: eb.case().when(stillPaused).then(hostId).else(null).end(),
          };
        })
        .where('id', '=', id)
        .where('leased_by', '=', node)
        .execute();
    },
    /** Host health: makes every delivery held for a resumed host due now (the caller wakes the workers after commit). */
    async releaseHeld(db: DbOrTrx, hostId: string): Promise<void> {
      await db.updateTable('deliveries').set({ available_at_ms: deps.now().getTime(), held_host: null }).where('held_host', '=', hostId).where('status', '=', 'queued').execute();
    },
    /** Hands unfinished deliveries back (shutdown): ready at once, the interrupted attempt not counted. */
    release: (ids: readonly string[], node: string): Promise<void> => releaseLeased(deps.db, 'deliveries', ids, node, deps.now().getTime()),
    /** Pushes the leases of deliveries this node is still working on forward (long sends). */
    extend: (ids: readonly string[], node: string): Promise<void> => extendLeases(deps.db, 'deliveries', ids, node, deps.now().getTime() + leaseMs),
    depth: (): Promise<number> => gate.depth(deps.db),
    /**
     * Queues one new delivery per dead letter (`replay_of` links it), rendered when sent with
     * the secrets and configuration of that moment. Each dead letter is marked with its replay
     * in the same transaction, and only if no replay marked it before, so a dead letter is
     * replayed once however many requests ask. Answers the replays made.
     */
    async replay(letters: readonly DeadLetter[], marks: Pick<DeadLetterStore, 'markReplayed'>): Promise<Array<{ readonly id: string; readonly replayOf: string }>> {
      if (letters.length === 0) return [];
      const made = await deps.db.transaction().execute(async (trx) => {
        await gate.admit(trx, addsByOwner(letters, (l) => l.owner));
        const out: Array<{ id: string; replayOf: string }> = [];
        for (const l of letters) {
          const now = deps.now();
          const id = sortableId(now);
          if (!(await marks.markReplayed(trx, l.id, id))) continue;
          await trx
            .insertInto('deliveries')
            .values({ id, integration_id: l.integrationId, owner: l.owner, event_json: JSON.stringify(l.event), attempts: 0, status: 'queued', available_at_ms: now.getTime(), lease_until_ms: null, leased_by: null, created_ms: now.getTime(), replay_of: l.id })
            .execute();
          out.push({ id, replayOf: l.id });
        }
        return out;
      });
      if (made.length > 0) onQueued();
      return made;
    },
  };
}

export type DeliveryQueue = ReturnType<typeof createDeliveryQueue>;
