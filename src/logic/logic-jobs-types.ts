import type { Logger } from '../logging/logger.ts';
import type { Db, Dialect } from '../store/database-types.ts';
import type { LogicRunner } from './logic-runner.ts';
import type { LogicStore } from './logic-store.ts';

/** What the durable run queue and this node's run worker (logic-jobs.ts) need. */
export interface LogicJobsDeps {
  readonly db: Db;
  readonly dialect: Dialect;
  readonly store: LogicStore;
  readonly runner: Pick<LogicRunner, 'runWith' | 'contexts'>;
  readonly logger: Logger;
  readonly now: () => Date;
  /** Called after a commit that queued runs for any node (to wake every node's worker). */
  readonly onQueued?: () => void;
  /** Runs in flight on this node at once (default 32: a batch of 8 on each of two workers and as many waiting). */
  readonly concurrency?: number;
  /**
   * Runs in flight at once for one owner (default half of `concurrency`: its batch on the
   * one worker it may hold and as many waiting), so one owner's flood leaves room for others.
   */
  readonly maxStartedPerOwner?: number;
  /** Runs this node takes straight from its publishing transactions and keeps waiting (default 4 × concurrency). */
  readonly localQueue?: number;
  /** Most runs waiting at once before publishing answers 429 (default 100,000). */
  readonly maxQueued?: number;
  /** Most runs one owner may have waiting (default: half of `maxQueued`). */
  readonly maxQueuedPerOwner?: number;
  /** How long a claim lasts before another node may run the job (default 120 s); a live node renews it. */
  readonly leaseMs?: number;
  /** Longest sleep between polls when nothing wakes the worker (default 1 s). */
  readonly pollMs?: number;
}
