import { sql } from 'kysely';
import { HushError } from '../errors/errors.ts';
import type { Db } from '../store/database-types.ts';
import { accountDelayMs, attemptKeys, DEFAULT_LOGIN_LIMITS, secondsUntil, type LoginThrottleLimits } from './login-throttle-fns.ts';

export { DEFAULT_LOGIN_LIMITS, type LoginThrottleLimits } from './login-throttle-fns.ts';

/**
 * Slows password guessing on `/oauth/token` and the console sign-in without letting a
 * guesser lock the owner out:
 * - failures per (account, address) lock that pair only, briefly;
 * - failures per address (any account) lock the address (password spraying);
 * - failures per account (any address) past a much higher ceiling make each further
 *   attempt wait a growing, capped delay, except from an address the account has signed
 *   in from before ("known"), which only its own pair and address locks apply to.
 * Counters live in the database, so every node of a cluster sees the same ones. Keys are
 * hashed: what was typed as a user name (sometimes a password) and client addresses are
 * never stored.
 */
export interface LoginThrottle {
  /** Refuses with 429 (`retry_after` seconds) while this attempt must not be tried. */
  check(email: string, address: string | undefined): Promise<void>;
  /** Counts a failed sign-in against the pair, the address and the account. */
  failed(email: string, address: string | undefined): Promise<void>;
  /** Clears the pair's count and remembers the address as known for the account. */
  succeeded(email: string, address: string | undefined): Promise<void>;
}

export function createLoginThrottle(deps: { readonly db: Db; readonly now: () => Date; readonly limits?: Partial<LoginThrottleLimits> }): LoginThrottle {
  const limits: LoginThrottleLimits = { ...DEFAULT_LOGIN_LIMITS, ...deps.limits };
  const { db } = deps;

  /**
   * Counts one failure under `key` and returns the count. It starts again at 1 when the
   * row's `window_start_ms` is `windowMs` old; `slide` moves that start to every failure
   * (a count kept until a quiet window), otherwise it stays at the first one. One
   * statement, so concurrent failures on several nodes each count.
   */
  const bump = async (key: string, now: number, slide: boolean): Promise<number> => {
    const restart = sql<boolean>`login_throttle.window_start_ms <= ${now - limits.windowMs}`;
    const row = await db
      .insertInto('login_throttle')
      .values({ key, failures: 1, window_start_ms: now, locked_until_ms: 0 })
      .onConflict((oc) =>
        oc.column('key').doUpdateSet({
          failures: sql<number>`case when ${restart} then 1 else login_throttle.failures + 1 end`,
          window_start_ms: slide ? now : sql<number>`case when ${restart} then ${now} else login_throttle.window_start_ms end`,
          locked_until_ms: sql<number>`case when ${restart} then 0 else login_throttle.locked_until_ms end`,
        }),
      )
      .returning(['failures'])
      .executeTakeFirst();
    return Number(row?.failures ?? 0);
  };

  /** Pair and address: counted within a window from the first failure, then locked. */
  const countAndLock = async (key: string, limit: number, now: number) => {
    if ((await bump(key, now, false)) < limit) return;
    // Locked: the count starts again once the lock ends.
    await db
      .updateTable('login_throttle')
      .set({ failures: 0, window_start_ms: now + limits.lockMs, locked_until_ms: now + limits.lockMs })
      .where('key', '=', key)
      .execute();
  };

  /** Account: counted until a window passes without a failure (`window_start_ms` is the last one); past the ceiling, a delay. */
  const countAndDelay = async (key: string, now: number) => {
    const delay = accountDelayMs(await bump(key, now, true), limits);
    if (delay === 0) return;
    // Concurrent failures: the longest wait wins.
    await db
      .updateTable('login_throttle')
      .set({ locked_until_ms: now + delay })
      .where('key', '=', key)
      .where('locked_until_ms', '<', now + delay)
      .execute();
  };

  return {
    async check(email, address) {
      const now = deps.now().getTime();
      const k = attemptKeys(email, address);
      const rows = await db
        .selectFrom('login_throttle')
        .select(['key', 'locked_until_ms'])
        .where('key', 'in', [k.acct, k.pair, ...(k.addr ? [k.addr] : []), ...(k.known ? [k.known] : [])])
        .execute();
      const until = new Map(rows.map((r) => [r.key, Number(r.locked_until_ms)]));
      // A known row's `locked_until_ms` is when it is forgotten, not a lock.
      const known = k.known !== null && (until.get(k.known) ?? 0) > now;
      const locks = [k.pair, k.addr, known ? null : k.acct].map((key) => (key ? (until.get(key) ?? 0) : 0));
      const lockedUntil = Math.max(0, ...locks);
      if (lockedUntil <= now) return;
      const retryAfter = secondsUntil(lockedUntil, now);
      throw new HushError('too_many_requests', `too many failed sign-in attempts; try again in ${retryAfter} seconds`, { details: { retry_after: retryAfter } });
    },
    async failed(email, address) {
      const now = deps.now().getTime();
      const k = attemptKeys(email, address);
      await countAndLock(k.pair, limits.pairFailures, now);
      if (k.addr) await countAndLock(k.addr, limits.addressFailures, now);
      await countAndDelay(k.acct, now);
      // Now and then, forget counters that have run out and addresses known too long ago
      // (attempts with made-up names add rows).
      if (Math.random() < 0.02) {
        await db
          .deleteFrom('login_throttle')
          .where('window_start_ms', '<=', now - limits.windowMs)
          .where('locked_until_ms', '<=', now)
          .execute();
      }
    },
    async succeeded(email, address) {
      const now = deps.now().getTime();
      const k = attemptKeys(email, address);
      // The account's own count stays: a guesser elsewhere keeps his delays.
      await db.deleteFrom('login_throttle').where('key', '=', k.pair).execute();
      if (!k.known) return;
      const forgetAt = now + limits.knownAddressMs;
      await db
        .insertInto('login_throttle')
        .values({ key: k.known, failures: 0, window_start_ms: now, locked_until_ms: forgetAt })
        .onConflict((oc) => oc.column('key').doUpdateSet({ window_start_ms: now, locked_until_ms: forgetAt }))
        .execute();
    },
  };
}
