import { randomBytes } from 'node:crypto';
import { HushError } from '../errors/errors.ts';
import type { EventSink } from '../events/event-bus.ts';
import type { HushEvent } from '../events/event-types.ts';
import type { Logger } from '../logging/logger.ts';
import { sortableId } from '../shared/ids.ts';
import type { Db, Dialect, DbOrTrx } from '../store/database-types.ts';
import { claimLeased, completeLeased, extendLeases } from '../store/lease-queue-fns.ts';
import type { LogicRunner } from './logic-runner.ts';
import type { LogicStore } from './logic-store.ts';
import type { LogicJobPayload, LogicTrigger } from './logic-types.ts';

export const RUNS_KEPT_PER_FUNCTION = 100;

export interface LogicJobsDeps {
  readonly db: Db;
  readonly dialect: Dialect;
  readonly store: LogicStore;
  readonly runner: LogicRunner;
  readonly logger: Logger;
  readonly now: () => Date;
  readonly concurrency?: number;
  readonly maxQueued?: number;
  readonly leaseMs?: number;
}

/** Inserts one queued run (inside the caller's transaction). */
export async function enqueueRun(db: DbOrTrx, now: Date, t: Pick<LogicTrigger, 'id' | 'functionId' | 'type'>, owner: string, payload: LogicJobPayload): Promise<void> {
  await db
    .insertInto('logic_jobs')
    .values({
      id: sortableId(now), function_id: t.functionId, owner, trigger_id: t.id, trigger_type: t.type, payload_json: JSON.stringify(payload),
      attempts: 0, status: 'queued', available_at_ms: now.getTime(), lease_until_ms: null, leased_by: null, created_ms: now.getTime(),
    })
    .execute();
}

/** Event triggers (durable, in the publishing transaction) and the run worker. */
export function createLogicJobs(deps: LogicJobsDeps) {
  const node = randomBytes(8).toString('hex');
  const concurrency = deps.concurrency ?? 8;
  let inflight = 0;
  let running = false;
  let wakeUp: (() => void) | null = null;
  let loopDone: Promise<void> = Promise.resolve();
  const active = new Set<Promise<void>>();
  const held = new Set<string>();
  const leaseMs = deps.leaseMs ?? 120_000;
  let heartbeat: NodeJS.Timeout | null = null;

  const sink: EventSink = {
    name: 'logic',
    async enqueue(trx, event: HushEvent) {
      const triggers = (await deps.store.eventTriggers(trx, event.owner, event.name)).filter((t) => t.productId === null || t.productId === event.productId);
      if (triggers.length === 0) return 0;
      if (deps.maxQueued !== undefined) {
        const r = await trx.selectFrom('logic_jobs').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
        if (Number(r?.n ?? 0) + triggers.length > deps.maxQueued) throw new HushError('too_many_requests', 'the Logic run queue is full; retry shortly', { details: { retry_after: 1 } });
      }
      const now = deps.now();
      for (const t of triggers) await enqueueRun(trx, now, t, event.owner, { kind: 'event', event });
      return triggers.length;
    },
  };

  const runJob = async (job: { id: string; function_id: string; owner: string; trigger_id: string | null; trigger_type: string; payload_json: string }) => {
    const fn = await deps.store.byId(deps.db, job.function_id);
    if (!fn || !fn.enabled) return completeLeased(deps.db, 'logic_jobs', job.id, node);
    const payload = JSON.parse(job.payload_json) as LogicJobPayload;
    const started = deps.now();
    const triggeredAt = started.toISOString();
    const run = await deps.runner({
      owner: fn.owner, functionId: fn.id, code: fn.code, secretNames: fn.secrets,
      trigger: payload.kind === 'event' ? { triggeredAt, triggerEventId: payload.event.id } : { triggeredAt },
      event: payload.kind === 'event' ? payload.event : undefined,
      scheduled: payload.kind === 'scheduled' ? { scheduledAt: payload.scheduledAt, startAt: payload.startAt, ...(payload.endAt ? { endAt: payload.endAt } : {}) } : undefined,
    });
    await deps.store.insertRun(deps.db, {
      id: sortableId(started), functionId: fn.id, owner: fn.owner, triggerType: job.trigger_type, triggerId: job.trigger_id, status: run.result.status,
      startedAt: triggeredAt, finishedAt: deps.now().toISOString(), logs: run.logs, err: run.err,
    }, RUNS_KEPT_PER_FUNCTION);
    await completeLeased(deps.db, 'logic_jobs', job.id, node);
  };

  const start1 = (job: Parameters<typeof runJob>[0]) => {
    inflight++;
    held.add(job.id);
    const p = runJob(job)
      .catch((err: unknown) => deps.logger.error({ err: String(err), job: job.id }, 'Logic run failed unexpectedly; it will be retried when its lease expires'))
      .finally(() => {
        inflight--;
        held.delete(job.id);
        active.delete(p);
        wakeUp?.();
      });
    active.add(p);
  };

  const loop = async () => {
    while (running) {
      let claimed = 0;
      if (inflight < concurrency) {
        try {
          const jobs = await claimLeased<Parameters<typeof runJob>[0]>(deps.db, deps.dialect, 'logic_jobs', node, concurrency - inflight, deps.now().getTime(), leaseMs);
          claimed = jobs.length;
          jobs.forEach(start1);
        } catch (err) {
          deps.logger.warn({ err: String(err) }, 'claiming Logic runs failed');
        }
      }
      if (claimed > 0 && inflight < concurrency) continue;
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 1000);
        wakeUp = () => {
          clearTimeout(t);
          resolve();
        };
      });
      wakeUp = null;
    }
  };

  return {
    sink,
    wake: () => wakeUp?.(),
    start() {
      if (running) return;
      running = true;
      loopDone = loop();
      // A live node keeps its leases: only a dead node's runs are taken over.
      heartbeat = setInterval(() => {
        void extendLeases(deps.db, 'logic_jobs', [...held], node, deps.now().getTime() + leaseMs).catch(() => undefined);
      }, Math.max(100, Math.floor(leaseMs / 3)));
      heartbeat.unref();
    },
    async stop() {
      running = false;
      if (heartbeat) clearInterval(heartbeat);
      wakeUp?.();
      await loopDone;
      await Promise.allSettled([...active]);
    },
  };
}

export type LogicJobs = ReturnType<typeof createLogicJobs>;
