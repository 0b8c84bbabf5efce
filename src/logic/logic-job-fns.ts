import { sortableId } from '../shared/ids.ts';
import type { DbOrTrx } from '../store/database-types.ts';
import type { Job } from './logic-batch-run.ts';
import type { LogicJobPayload, LogicTrigger } from './logic-types.ts';

/** A `logic_jobs` row as the worker reads it. */
export type JobRow = { id: string; function_id: string; owner: string; trigger_id: string | null; trigger_type: string; payload_json: string };
export const toJob = (r: JobRow): Job => ({
  id: r.id, functionId: r.function_id, owner: r.owner, triggerId: r.trigger_id, triggerType: r.trigger_type, payload: JSON.parse(r.payload_json) as LogicJobPayload,
});

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
