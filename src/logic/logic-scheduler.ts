import type { Logger } from '../logging/logger.ts';
import type { Db } from '../store/database-types.ts';
import { enqueueRun } from './logic-jobs.ts';
import { nextRunMs } from './logic-input-fns.ts';

/**
 * Fires due cron ticks. Each tick is claimed with a compare-and-set on the trigger's
 * `next_run_ms` inside the transaction that queues the run, so across any number of
 * nodes a tick fires once: the node whose update matched the old value wins.
 */
export function createLogicScheduler(deps: { db: Db; logger: Logger; now: () => Date; onQueued: () => void; intervalMs?: number }) {
  let timer: NodeJS.Timeout | null = null;
  let ticking: Promise<number> | null = null;

  const tickOnce = async (): Promise<number> => {
    const now = deps.now();
    const due = await deps.db
      .selectFrom('logic_triggers as t')
      .innerJoin('logic_functions as f', 'f.id', 't.function_id')
      .select(['t.id', 't.function_id', 't.owner', 't.cron', 't.start_at', 't.end_at', 't.next_run_ms'])
      .where('t.type', '=', 'Scheduled')
      .where('t.enabled', '=', 1)
      .where('f.enabled', '=', 1)
      .where('t.next_run_ms', '<=', now.getTime())
      .execute();
    let fired = 0;
    for (const t of due) {
      if (!t.cron || t.next_run_ms === null) continue;
      const scheduledAt = new Date(Number(t.next_run_ms));
      // Missed ticks (downtime) collapse into one run; the next is computed from now.
      const next = nextRunMs(t.cron, t.start_at, t.end_at, now);
      const won = await deps.db.transaction().execute(async (trx) => {
        const r = await trx
          .updateTable('logic_triggers')
          .set({ next_run_ms: next, last_scheduled_at: scheduledAt.toISOString() })
          .where('id', '=', t.id)
          .where('next_run_ms', '=', Number(t.next_run_ms))
          .executeTakeFirst();
        if (Number(r.numUpdatedRows) !== 1) return false;
        await enqueueRun(trx, now, { id: t.id, functionId: t.function_id, type: 'Scheduled' }, t.owner, {
          kind: 'scheduled', scheduledAt: scheduledAt.toISOString(), startAt: t.start_at ?? scheduledAt.toISOString(), endAt: t.end_at,
        });
        return true;
      });
      if (won) fired++;
    }
    if (fired > 0) deps.onQueued();
    return fired;
  };

  return {
    /** Runs one scheduling pass now (tests drive it with a test clock). */
    tick(): Promise<number> {
      ticking ??= tickOnce().finally(() => (ticking = null));
      return ticking;
    },
    start() {
      timer = setInterval(() => {
        void this.tick().catch((err: unknown) => deps.logger.warn({ err: String(err) }, 'Logic scheduling pass failed'));
      }, deps.intervalMs ?? 1000);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = null;
    },
  };
}
