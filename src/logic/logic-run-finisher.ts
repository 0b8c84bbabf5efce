import type { Logger } from '../logging/logger.ts';
import { createGroupCommit } from '../shared/group-commit.ts';
import type { Db } from '../store/database-types.ts';
import type { LogicStore } from './logic-store.ts';
import type { LogicRun } from './logic-types.ts';

/** A finished job: its queue row and the run to record (null: nothing ran, e.g. the function was deleted). */
export interface FinishedJob {
  readonly jobId: string;
  readonly run: LogicRun | null;
}

export interface RunFinisherDeps {
  readonly db: Db;
  /** The node whose leases the queue rows are deleted under. */
  readonly node: string;
  readonly store: Pick<LogicStore, 'insertRuns' | 'trimRuns' | 'completeJobs'>;
  readonly logger: Logger;
  /** Runs kept per function. */
  readonly keep: number;
  /** Most jobs written in one transaction (default 256). */
  readonly maxBatch?: number;
  /** More runs are about to finish (runs in flight): wait up to `lingerMs` for them to share the write. */
  readonly busy?: () => boolean;
  /** Default 3 ms: the next batch from another sandbox worker usually lands within it. */
  readonly lingerMs?: number;
}

/**
 * Writes finished runs with group commit: runs that finish while a write is running share
 * the next transaction (run rows, queue rows and the history trim of each function touched),
 * so a busy node pays one commit for many runs, and history never exceeds `keep` runs.
 */
export function createRunFinisher(deps: RunFinisherDeps) {
  const maxBatch = deps.maxBatch ?? 256;
  const lingerMs = deps.lingerMs ?? 3;
  // Under load a little later than the next turn, so runs that finish in the next few
  // milliseconds share the write too (the runs' events are already published: only their
  // records wait).
  const pause = (waiting: number) =>
    new Promise<void>((resolve) => {
      if (deps.busy?.() === true && waiting < maxBatch / 4) setTimeout(resolve, lingerMs);
      else setImmediate(resolve);
    });

  const write = async (batch: readonly FinishedJob[]) => {
    const runs = batch.flatMap((f) => (f.run === null ? [] : [f.run]));
    const functions = [...new Set(runs.map((r) => r.functionId))].sort();
    // Run rows before queue rows, the order a function's deletion takes them in, so the two
    // never deadlock on PostgreSQL.
    await deps.db.transaction().execute(async (trx) => {
      await deps.store.insertRuns(trx, runs);
      for (const id of functions) await deps.store.trimRuns(trx, id, deps.keep);
      await deps.store.completeJobs(trx, batch.map((f) => f.jobId), deps.node);
    });
  };

  const commits = createGroupCommit<FinishedJob>({
    maxBatch,
    pause,
    async write(batch) {
      try {
        await write(batch);
        return true;
      } catch (err) {
        // Nothing was written: the rows stay leased and run again when their leases expire.
        deps.logger.error({ err: String(err) }, 'could not record finished Logic runs; they will run again');
        return false;
      }
    },
  });

  return {
    /** Queues a finished job for the next write; resolves with whether it was written. */
    add: (f: FinishedJob): Promise<boolean> => commits.add(f),
    /** Resolves when everything queued so far is written. */
    idle: (): Promise<void> => commits.idle(),
  };
}

export type RunFinisher = ReturnType<typeof createRunFinisher>;
