import type { Db } from '../store/database-types.ts';
import { daysLeft, dueReminder, FIRST_REMINDER_DAYS, type ExpiryReminderId } from './secret-expiry-fns.ts';
import type { SecretLifecycleStore } from './secret-lifecycle-store.ts';
import type { ExpiringSecret } from './secret-types.ts';

/** One expiry reminder, as published on the owner's stream (names and times only). */
export interface ExpiryReminder extends ExpiringSecret {
  readonly reminder: ExpiryReminderId;
  readonly daysLeft: number;
}

export interface ExpirySweepDeps {
  readonly db: Db;
  readonly lifecycle: Pick<SecretLifecycleStore, 'expiringBy' | 'claimReminder'>;
  readonly now: () => Date;
  /** Publishes a claimed reminder; a failure is reported to `onError` (the reminder stays claimed). */
  readonly publish: (r: ExpiryReminder) => Promise<void>;
  readonly onError?: (err: unknown) => void;
  /** Default 60 s. */
  readonly intervalMs?: number;
}

/** Secrets looked at per sweep, soonest expiry first (the rest wait for the next sweep). */
const PAGE = 500;

/**
 * Sends expiry reminders (30, 7 and 1 day(s) before, and at expiry) from a periodic sweep on
 * every node. Each reminder is claimed by inserting its row (secret, expiry time, reminder)
 * before it is published: of several nodes sweeping at once, exactly one inserts it, so a
 * reminder goes out once across the cluster. An expiry moved to a new time starts afresh.
 */
export function createExpirySweep(deps: ExpirySweepDeps) {
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<number> | null = null;

  const sweepOnce = async (): Promise<number> => {
    const now = deps.now();
    const until = new Date(now.getTime() + FIRST_REMINDER_DAYS * 86_400_000).toISOString();
    let sent = 0;
    // A secret leaves the list once its final reminder is sent, so the page stays small.
    for (const s of await deps.lifecycle.expiringBy(deps.db, until, PAGE)) {
      const reminder = dueReminder(s.expiresAt, now);
      if (reminder === null) continue;
      if (!(await deps.lifecycle.claimReminder(deps.db, s, reminder, now.toISOString()))) continue;
      sent++;
      await deps.publish({ ...s, reminder, daysLeft: daysLeft(s.expiresAt, now) }).catch((e: unknown) => deps.onError?.(e));
    }
    return sent;
  };

  return {
    /** One sweep now (tests, and each tick); resolves to the number of reminders this node sent. */
    sweep(): Promise<number> {
      // One sweep at a time per node; a caller during one waits for it and sweeps again.
      const next: Promise<number> = (running ?? Promise.resolve(0)).catch(() => 0).then(sweepOnce);
      running = next;
      return next.finally(() => {
        if (running === next) running = null;
      });
    },
    start(): void {
      if (timer) return;
      timer = setInterval(() => void this.sweep().catch((e: unknown) => deps.onError?.(e)), deps.intervalMs ?? 60_000);
      timer.unref();
    },
    async stop(): Promise<void> {
      if (timer) clearInterval(timer);
      timer = null;
      await running?.catch(() => undefined);
    },
  };
}

export type ExpirySweep = ReturnType<typeof createExpirySweep>;
