import type { EventBus } from '../events/event-bus.ts';
import type { PublishInput } from '../events/event-types.ts';
import type { Logger } from '../logging/logger.ts';
import { createGroupCommit } from '../shared/group-commit.ts';
import type { Db } from '../store/database-types.ts';
import type { DeadLetter, DeadLetterStore } from './dead-letter-store.ts';
import type { DeliveryLogEntry, DeliveryLogStore } from './delivery-log-store.ts';
import type { DeliveryQueue } from './delivery-queue.ts';
import type { IntegrationStore, OutcomeTally } from './integration-store.ts';

/** One attempt's bookkeeping: the queue row, the masked log entry, counters and hook events. */
export interface FinishedAttempt {
  /** The queue row, or null for a test send (no row). */
  readonly deliveryId: string | null;
  readonly integrationId: string;
  readonly owner: string;
  /** complete: delete the row; retry: requeue it after `retryDelayMs`; hold: requeue it for its paused host (`heldHost`) after `retryDelayMs`, the attempt not counted; dead: delete it and keep `dead`; drop: delete without a log; none: no row. */
  readonly action: 'complete' | 'retry' | 'hold' | 'dead' | 'drop' | 'none';
  /** The paused host a held delivery waits for (action 'hold'). */
  readonly heldHost?: string;
  /** The dead letter that replaces the row (action 'dead'). */
  readonly dead?: DeadLetter;
  /** The event's name and the dead letter this delivery replays, for the history. */
  readonly eventName?: string;
  readonly replayOf?: string | null;
  readonly retryDelayMs?: number;
  readonly log: Omit<DeliveryLogEntry, 'id'> | null;
  /** A final outcome counts in the integration's counters; retries and drops do not. */
  readonly final: { readonly ok: boolean; readonly at: string; readonly httpStatus: number | null } | null;
  /** Published after the bookkeeping committed, in order. */
  readonly hookEvents: readonly PublishInput[];
}

export interface DeliveryFinisherDeps {
  readonly db: Db;
  readonly node: string;
  readonly queue: Pick<DeliveryQueue, 'completeMany' | 'retryLater' | 'holdLater'>;
  readonly logs: Pick<DeliveryLogStore, 'appendMany' | 'trimBefore'>;
  readonly deadLetters: Pick<DeadLetterStore, 'addMany' | 'trimBefore'>;
  readonly integrations: Pick<IntegrationStore, 'recordOutcomes'>;
  readonly bus: Pick<EventBus, 'publish'>;
  readonly logger: Logger;
  /** Runs before each write (the worker writes pending secret access times, so a delivery
   *  visible in a log is also visible as an access of its secrets). */
  readonly beforeWrite?: () => Promise<void>;
  readonly now: () => Date;
  /** How long attempts and dead letters are kept (HUSH_DEAD_LETTER_RETENTION_DAYS, default 7 days). */
  readonly retentionMs?: number;
  /** Least time between two retention trims by this node, after a write (default 60 s). */
  readonly trimEveryMs?: number;
}

const tally = (batch: readonly FinishedAttempt[]): Map<string, OutcomeTally> => {
  const out = new Map<string, OutcomeTally>();
  for (const f of batch) {
    if (f.final === null) continue;
    const t = out.get(f.integrationId);
    out.set(f.integrationId, {
      success: (t?.success ?? 0) + (f.final.ok ? 1 : 0),
      error: (t?.error ?? 0) + (f.final.ok ? 0 : 1),
      lastOk: f.final.ok,
      at: f.final.at,
      httpStatus: f.final.httpStatus,
    });
  }
  return out;
};

/**
 * Writes finished attempts with group commit: attempts that finish while a write is
 * running share the next transaction (log entries, queue rows and counters together), so
 * a busy worker pays one commit for many deliveries. Hook events follow the commit.
 */
export function createDeliveryFinisher(deps: DeliveryFinisherDeps) {
  const retentionMs = deps.retentionMs ?? 7 * 86_400_000;
  const trimEveryMs = deps.trimEveryMs ?? 60_000;
  let lastTrimMs = -Infinity;
  const publishing = new Set<Promise<unknown>>();

  const write = async (batch: readonly FinishedAttempt[]) => {
    // Locks are taken in the order an integration's deletion takes them (integration rows in
    // id order, then queue rows), so on PostgreSQL the two never deadlock.
    await deps.db.transaction().execute(async (trx) => {
      for (const [id, t] of [...tally(batch)].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) await deps.integrations.recordOutcomes(trx, id, t);
      const done = batch.filter((f) => f.deliveryId !== null && (f.action === 'complete' || f.action === 'drop' || f.action === 'dead')).map((f) => f.deliveryId as string);
      await deps.queue.completeMany(trx, done, deps.node);
      await deps.deadLetters.addMany(trx, batch.flatMap((f) => (f.action === 'dead' && f.dead ? [f.dead] : [])));
      for (const f of batch) {
        if (f.action === 'retry' && f.deliveryId !== null) await deps.queue.retryLater(trx, f.deliveryId, deps.node, f.retryDelayMs ?? 0);
        if (f.action === 'hold' && f.deliveryId !== null) await deps.queue.holdLater(trx, f.deliveryId, deps.node, f.retryDelayMs ?? 0, f.heldHost ?? '');
      }
      const entries = batch.flatMap((f) =>
        f.log === null
          ? []
          : [{ integrationId: f.integrationId, owner: f.owner, entry: f.log, deliveryId: f.deliveryId, eventName: f.eventName, replayOf: f.replayOf, ...(f.action === 'dead' ? { status: 'dead' as const } : {}) }],
      );
      await deps.logs.appendMany(trx, entries);
    });
  };

  /** The retention trim: every attempt and dead letter older than the retention, at most once per `trimEveryMs`. */
  const trim = async () => {
    const nowMs = deps.now().getTime();
    if (nowMs - lastTrimMs < trimEveryMs) return;
    lastTrimMs = nowMs;
    const cutoff = new Date(nowMs - retentionMs);
    await Promise.all([deps.logs.trimBefore(cutoff), deps.deadLetters.trimBefore(cutoff)])
      .catch((err: unknown) => deps.logger.warn({ err: String(err) }, 'could not trim the delivery history'));
  };

  const publishHookEvents = (batch: readonly FinishedAttempt[]) => {
    for (const f of batch) {
      for (const h of f.hookEvents) {
        const p = deps.bus
          .publish(h)
          .catch((err: unknown) => deps.logger.warn({ err: String(err), integration: f.integrationId }, 'could not publish a hook event'))
          .finally(() => publishing.delete(p));
        publishing.add(p);
      }
    }
  };

  const commits = createGroupCommit<FinishedAttempt>({
    async write(attempts) {
      try {
        await deps.beforeWrite?.().catch((err: unknown) => deps.logger.warn({ err: String(err) }, 'could not record secret access times'));
        await write(attempts);
      } catch (err) {
        // Nothing was written: the rows stay leased and are retried when their leases expire.
        deps.logger.error({ err: String(err) }, 'could not record finished webhook deliveries; they will be retried');
        return false;
      }
      publishHookEvents(attempts);
      return true;
    },
    after: trim,
  });

  return {
    /** Queues an attempt for the next write; resolves with whether it was written. */
    add: (f: FinishedAttempt): Promise<boolean> => commits.add(f),
    /** Resolves when everything queued so far is written and its hook events published. */
    async idle(): Promise<void> {
      await commits.idle();
      await Promise.allSettled([...publishing]);
    },
  };
}

export type DeliveryFinisher = ReturnType<typeof createDeliveryFinisher>;
