import type { Logger } from '../logging/logger.ts';
import { sortableId } from '../shared/ids.ts';
import type { Db } from '../store/database-types.ts';
import type { RunFinisher } from './logic-run-finisher.ts';
import type { LogicRunner } from './logic-runner.ts';
import type { LogicStore, RunnableFunction } from './logic-store.ts';
import type { HushEvent } from '../events/event-types.ts';
import type { LogicJobPayload, LogicRunEvent } from './logic-types.ts';

/** Event data kept with a run: enough to recognize the event, not a second copy of a large payload. */
const RUN_EVENT_DATA_MAX = 4096;

/** The input event as the run history keeps it, its data masked like the run's logs. */
const runEvent = (e: HushEvent, mask: (text: string) => string): LogicRunEvent => ({
  name: mask(e.name), data: e.data === null ? null : mask(e.data).slice(0, RUN_EVENT_DATA_MAX), coreid: e.coreid, publishedAt: e.publishedAt, productId: e.productId,
});

/** A queued run as the worker handles it. */
export interface Job {
  readonly id: string;
  readonly functionId: string;
  readonly owner: string;
  readonly triggerId: string | null;
  readonly triggerType: string;
  readonly payload: LogicJobPayload;
}

export interface BatchRunnerDeps {
  readonly db: Db;
  readonly store: Pick<LogicStore, 'runnable'>;
  readonly runner: Pick<LogicRunner, 'runWith' | 'contexts'>;
  readonly finisher: Pick<RunFinisher, 'add'>;
  readonly logger: Logger;
  readonly now: () => Date;
  /** Called once per job when its run is over; `written` resolves when its outcome is stored (null: nothing to store, retried after its lease). */
  readonly finished: (job: Job, written: Promise<boolean> | null) => void;
}

/**
 * Runs a batch of leased jobs: one read of their functions (as they are now: a function
 * deleted or disabled since the event was accepted drops its runs), one read of each
 * owner's secrets and masker, then every run in its own sandbox; outcomes go to the
 * finisher. A job that fails here is not written and runs again when its lease expires.
 */
export function createBatchRunner(deps: BatchRunnerDeps) {
  type OwnerContext = ReturnType<BatchRunnerDeps['runner']['contexts']['forOwner']>;

  // The write is wrapped so awaiting the run does not also wait for its write.
  const runOne = async (job: Job, f: RunnableFunction, owner: OwnerContext): Promise<{ readonly written: Promise<boolean> }> => {
    const ctx = await owner;
    const started = deps.now();
    const triggeredAt = started.toISOString();
    const { payload } = job;
    const runId = sortableId(started);
    const run = await deps.runner.runWith(
      {
        runId, owner: f.owner, functionId: f.id, code: f.code, secretNames: f.secrets, useEnv: f.useEnv,
        trigger: payload.kind === 'event' ? { triggeredAt, triggerEventId: payload.event.id } : { triggeredAt },
        event: payload.kind === 'event' ? payload.event : undefined,
        ledgerChange: payload.kind === 'ledger' ? payload.change : undefined,
        scheduled: payload.kind === 'scheduled' ? { scheduledAt: payload.scheduledAt, startAt: payload.startAt, ...(payload.endAt ? { endAt: payload.endAt } : {}) } : undefined,
      },
      ctx,
    );
    const written = deps.finisher.add({
      jobId: job.id,
      run: {
        id: runId, functionId: f.id, owner: f.owner, triggerType: job.triggerType, triggerId: job.triggerId, status: run.result.status,
        startedAt: triggeredAt, finishedAt: deps.now().toISOString(), logs: run.logs, err: run.err,
        event: payload.kind === 'event' ? runEvent(payload.event, (text) => ctx.masker.mask(text)) : null,
      },
    });
    return { written };
  };

  return async (batch: readonly Job[]): Promise<void> => {
    let functions: Map<string, RunnableFunction>;
    try {
      functions = new Map((await deps.store.runnable(deps.db, batch.map((j) => j.functionId))).map((f) => [f.id, f]));
    } catch (err) {
      deps.logger.warn({ err: String(err) }, 'could not prepare Logic runs; they will run when their leases expire');
      for (const j of batch) deps.finished(j, null);
      return;
    }
    const names = new Map<string, Set<string>>();
    for (const j of batch) {
      const f = functions.get(j.functionId);
      if (f === undefined || !f.enabled) continue;
      let set = names.get(f.owner);
      if (set === undefined) names.set(f.owner, (set = new Set()));
      for (const n of f.secrets) set.add(n);
    }
    const owners = new Map<string, OwnerContext>();
    for (const [owner, set] of names) owners.set(owner, deps.runner.contexts.forOwner(owner, [...set]));
    await Promise.all(
      batch.map(async (job) => {
        let written: Promise<boolean> | null = null;
        try {
          const f = functions.get(job.functionId);
          written = f === undefined || !f.enabled ? deps.finisher.add({ jobId: job.id, run: null }) : (await runOne(job, f, owners.get(f.owner) as OwnerContext)).written;
        } catch (err) {
          deps.logger.error({ err: String(err), job: job.id }, 'Logic run failed unexpectedly; it will run again when its lease expires');
        } finally {
          deps.finished(job, written);
        }
      }),
    );
  };
}
