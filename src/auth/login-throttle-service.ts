import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { HushError } from '../errors/errors.ts';
import type { Db } from '../store/database-types.ts';

/** How many failed sign-ins are tolerated, and for how long a client is then refused. */
export interface LoginThrottleLimits {
  /** Failures are counted within a window of this length, starting at the first one. */
  readonly windowMs: number;
  /** Failures for one account (any address) before it is locked. */
  readonly accountFailures: number;
  /** Failures from one client address (any account) before it is locked. */
  readonly addressFailures: number;
  /** How long a locked account or address is refused. */
  readonly lockMs: number;
}

/** 10 wrong passwords for an account, or 100 from an address, in 15 minutes lock it for 15 minutes. */
export const DEFAULT_LOGIN_LIMITS: LoginThrottleLimits = { windowMs: 15 * 60_000, accountFailures: 10, addressFailures: 100, lockMs: 15 * 60_000 };

/**
 * Slows password guessing on `/oauth/token` and the console sign-in. Counters live in the
 * database, so every node of a cluster sees the same ones. Keys are hashed: what was typed
 * as a user name (sometimes a password) is never stored.
 */
export interface LoginThrottle {
  /** Refuses with 429 (`retry_after` seconds) while the account or the address is locked. */
  check(email: string, address: string | undefined): Promise<void>;
  /** Counts a failed sign-in; locks the account or address that reached its limit. */
  failed(email: string, address: string | undefined): Promise<void>;
  /** Clears the account's counter (the address keeps its own). */
  succeeded(email: string): Promise<void>;
}

const keyOf = (kind: 'acct' | 'addr', value: string) => createHash('sha256').update(`${kind}\0${value}`).digest('hex');

export function createLoginThrottle(deps: { readonly db: Db; readonly now: () => Date; readonly limits?: Partial<LoginThrottleLimits> }): LoginThrottle {
  const limits = { ...DEFAULT_LOGIN_LIMITS, ...deps.limits };
  const { db } = deps;
  const keys = (email: string, address: string | undefined) => {
    const out = [{ key: keyOf('acct', email), limit: limits.accountFailures }];
    if (address) out.push({ key: keyOf('addr', address), limit: limits.addressFailures });
    return out;
  };

  const count = async (key: string, limit: number, now: number) => {
    const expired = now - limits.windowMs;
    // One statement, so concurrent failures on several nodes each count.
    const row = await db
      .insertInto('login_throttle')
      .values({ key, failures: 1, window_start_ms: now, locked_until_ms: 0 })
      .onConflict((oc) =>
        oc.column('key').doUpdateSet({
          failures: sql<number>`case when login_throttle.window_start_ms <= ${expired} then 1 else login_throttle.failures + 1 end`,
          window_start_ms: sql<number>`case when login_throttle.window_start_ms <= ${expired} then ${now} else login_throttle.window_start_ms end`,
        }),
      )
      .returning(['failures'])
      .executeTakeFirst();
    if (Number(row?.failures ?? 0) < limit) return;
    // Locked: the count starts again once the lock ends.
    await db
      .updateTable('login_throttle')
      .set({ failures: 0, window_start_ms: now + limits.lockMs, locked_until_ms: now + limits.lockMs })
      .where('key', '=', key)
      .execute();
  };

  return {
    async check(email, address) {
      const now = deps.now().getTime();
      const rows = await db
        .selectFrom('login_throttle')
        .select(['locked_until_ms'])
        .where('key', 'in', keys(email, address).map((k) => k.key))
        .execute();
      const until = Math.max(0, ...rows.map((r) => Number(r.locked_until_ms)));
      if (until <= now) return;
      const retryAfter = Math.max(1, Math.ceil((until - now) / 1000));
      throw new HushError('too_many_requests', `too many failed sign-in attempts; try again in ${retryAfter} seconds`, { details: { retry_after: retryAfter } });
    },
    async failed(email, address) {
      const now = deps.now().getTime();
      for (const k of keys(email, address)) await count(k.key, k.limit, now);
      // Now and then, forget counters that have run out (attempts with made-up names add rows).
      if (Math.random() < 0.02) {
        await db
          .deleteFrom('login_throttle')
          .where('window_start_ms', '<=', now - limits.windowMs)
          .where('locked_until_ms', '<=', now)
          .execute();
      }
    },
    async succeeded(email) {
      await db.deleteFrom('login_throttle').where('key', '=', keyOf('acct', email)).execute();
    },
  };
}
