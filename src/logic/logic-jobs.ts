import { randomBytes } from 'node:crypto';
import type { EventSink } from '../events/event-bus.ts';
import type { HushEvent } from '../events/event-types.ts';
import { sortableId } from '../shared/ids.ts';
import type { DbOrTrx } from '../store/database-types.ts';
import { claimLeased, extendLeases, releaseLeased } from '../store/lease-queue-fns.ts';
import { addsByOwner, createQueueGate } from '../store/queue-gate.ts';
import { createBatchRunner, type Job } from './logic-batch-run.ts';
import { createOwnerSlots, pickWithinShare, someOwnerReached } from './logic-owner-slots.ts';
import { createRunFinisher } from './logic-run-finisher.ts';
import type { EventTarget } from './logic-store.ts';
import { MAX_LOGIC_CHAIN_DEPTH, type LogicJobPayload } from './logic-types.ts';

export const RUNS_KEPT_PER_FUNCTION = 100;

export type { LogicJobsDeps } from './logic-jobs-types.ts';
export { enqueueRun } from './logic-job-fns.ts';
import type { LogicJobsDeps } from './logic-jobs-types.ts';
import { toJob, type JobRow } from './logic-job-fns.ts';

/**
 * The durable run queue and this node's run worker.
 *
 * Event triggers are matched in the publishing transaction, which writes one `logic_jobs`
 * row per run. Fast path: as many rows as this node has room for are written already
 * leased to it and handed to the worker in memory after commit (no claim round trip); the
 * rest are queued for any node, which claims them with a lease. A node that dies leaves
 * leases that run out; any node then claims those rows and runs them. A live node renews
 * the leases it holds, so a run happens once in the normal path.
 *
 * The worker takes jobs in batches: one read of the functions, one read of each owner's
 * secrets and masker per batch; finished runs are written by the finisher with group
 * commit (run rows, queue rows and the history trim in one transaction).
 */
export function createLogicJobs(deps: LogicJobsDeps) {
  const node = randomBytes(8).toString('hex');
  const concurrency = Math.max(1, deps.concurrency ?? 32);
  const localQueue = Math.max(concurrency, deps.localQueue ?? concurrency * 4);
  const leaseMs = deps.leaseMs ?? 120_000;
  const maxQueued = deps.maxQueued ?? 100_000;
  const gate = createQueueGate({ table: 'logic_jobs', what: 'Logic runs', max: maxQueued, maxPerOwner: deps.maxQueuedPerOwner ?? Math.ceil(maxQueued / 2) });
  const pollMs = deps.pollMs ?? 1000;
  // Expired leases are looked for every few seconds: a dead node's runs wait little longer than the lease.
  const expiredEveryMs = Math.max(50, Math.min(leaseMs / 4, 5_000));
  const finisher = createRunFinisher({ db: deps.db, node, store: deps.store, logger: deps.logger, keep: RUNS_KEPT_PER_FUNCTION, busy: () => inflight > 1 });

  /** Queued rows may be waiting in the database (new work elsewhere, a poll, the last claim was full). */
  let mayHaveWork = true;
  /** Leased to this node, not started yet. */
  const pending: Job[] = [];
  /** Leased to this node and not written as finished: the rows whose leases the heartbeat renews. */
  const held = new Set<string>();
  const active = new Set<Promise<void>>();
  /** Runs started and not finished (their sandbox slot), at most `maxStartedPerOwner` of them for one owner. */
  let inflight = 0;
  const slots = createOwnerSlots(deps.maxStartedPerOwner ?? Math.ceil(concurrency / 2));
  /** Room promised to a publishing transaction that has not committed yet. */
  let reserved = 0;
  let running = false;
  let wakePending = false;
  let wakeUp: (() => void) | null = null;
  let loopDone: Promise<void> = Promise.resolve();
  let heartbeat: NodeJS.Timeout | null = null;
  let pumpScheduled = false;
  /** A ready-claim is in flight: new runs queue behind the rows it may not have reached. */
  let claiming = false;

  const room = () => localQueue - pending.length - inflight - reserved;
  // No owner holds more than half of the node's local queue (waiting and started; at least
  // the concurrency), so one owner's backlog of runaway runs cannot keep another owner's
  // queued runs from being claimed.
  const ownerShare = Math.max(concurrency, Math.floor(localQueue / 2));
  const localByOwner = () => {
    const n = slots.counts();
    for (const j of pending) n.set(j.owner, (n.get(j.owner) ?? 0) + 1);
    return n;
  };

  // ---- publishing side ------------------------------------------------------------------
  // What the running publishing transaction did (the bus runs one at a time).
  let pendingLocal: Job[] = [];
  let pendingReserved = 0;
  let pendingQueued = 0;

  const enqueueMany = async (trx: DbOrTrx, events: readonly HushEvent[]): Promise<number> => {
    // One trigger lookup per owner and event name in the transaction.
    const lookups = new Map<string, EventTarget[]>();
    const matched: Array<{ target: EventTarget; event: HushEvent }> = [];
    for (const e of events) {
      if ((e.logicDepth ?? 0) >= MAX_LOGIC_CHAIN_DEPTH) continue;
      const key = `${e.owner}\0${e.name}`;
      let targets = lookups.get(key);
      if (targets === undefined) lookups.set(key, (targets = await deps.store.eventTargets(trx, e.owner, e.name)));
      for (const t of targets) if (t.productId === null || t.productId === e.productId) matched.push({ target: t, event: e });
    }
    if (matched.length === 0) return 0;
    await gate.admit(trx, addsByOwner(matched, (m) => m.event.owner));
    const now = deps.now();
    const nowMs = now.getTime();
    // While queued rows may be waiting, new runs queue behind them (a cron tick or an
    // overflowed run must not wait for as long as events keep this node busy).
    const local = running && !mayHaveWork && !claiming ? pickWithinShare(matched.map((m) => m.event.owner), room(), localByOwner(), ownerShare) : new Set<number>();
    const mine = local.size;
    reserved += mine;
    pendingReserved += mine;
    pendingQueued += matched.length - mine;
    const json = new Map<HushEvent, string>();
    const rows = matched.map(({ target, event }, i) => {
      let text = json.get(event);
      if (text === undefined) json.set(event, (text = JSON.stringify({ kind: 'event', event } satisfies LogicJobPayload)));
      const id = sortableId(now);
      const base = { id, function_id: target.functionId, owner: event.owner, trigger_id: target.triggerId, trigger_type: 'Event', payload_json: text, available_at_ms: nowMs, created_ms: nowMs };
      if (!local.has(i)) return { ...base, attempts: 0, status: 'queued', lease_until_ms: null, leased_by: null };
      pendingLocal.push({ id, functionId: target.functionId, owner: event.owner, triggerId: target.triggerId, triggerType: 'Event', payload: { kind: 'event', event } });
      return { ...base, attempts: 1, status: 'inflight', lease_until_ms: nowMs + leaseMs, leased_by: node };
    });
    await deps.store.insertJobs(trx, rows);
    return matched.length;
  };

  const settle = () => {
    const handed = pendingLocal;
    const queued = pendingQueued;
    reserved -= pendingReserved;
    pendingLocal = [];
    pendingReserved = 0;
    pendingQueued = 0;
    return { handed, queued };
  };

  const sink: EventSink = {
    name: 'logic',
    enqueue: (trx, e) => enqueueMany(trx, [e]),
    enqueueMany,
    afterCommit() {
      const { handed, queued } = settle();
      if (handed.length > 0) accept(handed);
      if (queued > 0) {
        mayHaveWork = true;
        deps.onQueued?.();
      }
    },
    afterRollback() {
      settle();
    },
  };

  // ---- worker side ------------------------------------------------------------------------
  const accept = (jobs: readonly Job[]) => {
    if (!running) {
      // Handed over by a transaction that committed while this node stopped.
      void release(jobs).catch((err: unknown) => deps.logger.warn({ err: String(err) }, 'could not hand back queued Logic runs; they will run when their leases expire'));
      return;
    }
    for (const j of jobs) {
      held.add(j.id);
      pending.push(j);
    }
    schedulePump();
  };

  const schedulePump = () => {
    if (pumpScheduled) return;
    pumpScheduled = true;
    // Next turn: jobs handed over by several commits in this turn share a batch.
    setImmediate(() => {
      pumpScheduled = false;
      pump();
    });
  };

  const pump = () => {
    while (pending.length > 0 && inflight < concurrency) {
      const batch = slots.take(pending, concurrency - inflight);
      if (batch.length === 0) return; // every waiting owner has its share started
      inflight += batch.length;
      const p = runBatch(batch).finally(() => active.delete(p));
      active.add(p);
    }
  };

  /** The slot is free once the run is over; the lease is kept until its outcome is written. */
  const finished = (job: Job, written: Promise<boolean> | null) => {
    inflight--;
    slots.done(job.owner);
    schedulePump();
    if (mayHaveWork) {
      wakePending = true;
      wakeUp?.();
    }
    if (written === null) held.delete(job.id);
    else void written.then(() => held.delete(job.id));
  };

  const runBatch = createBatchRunner({ db: deps.db, store: deps.store, runner: deps.runner, finisher, logger: deps.logger, now: deps.now, finished });

  const claim = async (limit: number, which: 'ready' | 'expired'): Promise<number> => {
    const full = [...localByOwner()].filter(([, n]) => n >= ownerShare).map(([owner]) => owner);
    const fair = { excludeOwners: full, perOwner: Math.max(1, Math.floor(ownerShare / 4)) };
    const rows = await claimLeased<JobRow>(deps.db, deps.dialect, 'logic_jobs', node, limit, deps.now().getTime(), leaseMs, which, which === 'ready' ? fair : undefined);
    if (rows.length > 0) accept(rows.map(toJob));
    // Owners left out may have rows waiting (claim again once one of their runs ends); an
    // owner that got its `perOwner` rows may have more (claim again at once).
    if (which === 'ready' && full.length > 0) mayHaveWork = true;
    if (which === 'ready' && someOwnerReached(rows, fair.perOwner)) mayHaveWork = wakePending = true;
    return rows.length;
  };

  const loop = async () => {
    let lastExpiredCheck = 0;
    let lastClaimFull = false;
    while (running) {
      wakePending = false;
      try {
        if (Date.now() - lastExpiredCheck >= expiredEveryMs && room() > 0) {
          lastExpiredCheck = Date.now();
          await claim(room(), 'expired');
        }
        // Under load, claim in chunks (a quarter of the concurrency) rather than one row per
        // finished run; when the last claim emptied the queue, wait for news of work.
        const free = Math.min(room(), concurrency * 2 - pending.length);
        if (mayHaveWork && free >= (lastClaimFull ? Math.max(1, Math.floor(concurrency / 4)) : 1)) {
          mayHaveWork = false;
          claiming = true;
          const n = await claim(free, 'ready').finally(() => (claiming = false));
          lastClaimFull = n === free;
          if (lastClaimFull) mayHaveWork = true;
        }
      } catch (err) {
        deps.logger.warn({ err: String(err) }, 'claiming Logic runs failed');
      }
      if (!running) break;
      if (wakePending && mayHaveWork) continue;
      const untilExpiredCheck = room() > 0 ? lastExpiredCheck + expiredEveryMs - Date.now() : pollMs;
      const sleepMs = Math.max(2, Math.min(pollMs, untilExpiredCheck));
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => {
          mayHaveWork = true; // other nodes' queued runs come due without a wake-up
          resolve();
        }, sleepMs);
        wakeUp = () => {
          clearTimeout(t);
          resolve();
        };
      });
      wakeUp = null;
    }
  };

  const renewLeases = () => {
    if (held.size === 0) return;
    void extendLeases(deps.db, 'logic_jobs', [...held], node, deps.now().getTime() + leaseMs).catch((err: unknown) => deps.logger.warn({ err: String(err) }, 'could not renew Logic run leases'));
  };

  /** Hands jobs that never started back to the queue (shutdown), the claim not counted. */
  const release = (jobs: readonly Job[]) => releaseLeased(deps.db, 'logic_jobs', jobs.map((j) => j.id), node, deps.now().getTime());

  return {
    sink,
    node,
    gate,
    /** New queued work may exist (this or another node's commit, a cron tick). */
    wake() {
      mayHaveWork = true;
      wakePending = true;
      wakeUp?.();
    },
    start() {
      if (running) return;
      running = true;
      loopDone = loop();
      heartbeat = setInterval(renewLeases, Math.max(50, Math.floor(leaseMs / 3)));
      heartbeat.unref();
    },
    /** Finishes the runs in flight, hands the ones not started back to the queue. */
    async stop() {
      running = false;
      if (heartbeat) clearInterval(heartbeat);
      heartbeat = null;
      wakeUp?.();
      await loopDone;
      const notStarted = pending.splice(0);
      await release(notStarted).catch((err: unknown) => deps.logger.warn({ err: String(err) }, 'could not hand back queued Logic runs; they will run when their leases expire'));
      for (const j of notStarted) held.delete(j.id);
      await Promise.allSettled([...active]);
      await finisher.idle();
    },
    /** Resolves when no run is waiting, running or unwritten on this node (tests). */
    async idle(): Promise<void> {
      while (pending.length > 0 || active.size > 0 || reserved > 0) {
        await Promise.allSettled([...active]);
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      await finisher.idle();
    },
  };
}

export type LogicJobs = ReturnType<typeof createLogicJobs>;
