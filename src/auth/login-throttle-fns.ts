import { createHash } from 'node:crypto';

/** How many failed sign-ins are tolerated, and what happens past them. */
export interface LoginThrottleLimits {
  /** Per (account, address) and per address, failures are counted within a window of this length from the first one. */
  readonly windowMs: number;
  /** Failures for one account from one address before that pair is locked. */
  readonly pairFailures: number;
  /** Failures from one client address (any account) before the address is locked. */
  readonly addressFailures: number;
  /** How long a locked (account, address) pair or address is refused. */
  readonly lockMs: number;
  /**
   * Failures for one account (any address) from which on each further failure makes
   * addresses the account never signed in from wait. The count is forgotten once
   * `windowMs` passes without a failure.
   */
  readonly accountFailures: number;
  /** The wait after the `accountFailures`-th failure; it doubles with each further one… */
  readonly accountDelayMs: number;
  /** …up to this. */
  readonly accountMaxDelayMs: number;
  /** How long an address the account signed in from stays known after the last success. */
  readonly knownAddressMs: number;
}

/**
 * 10 wrong passwords for one account from one address, or 100 from one address for any
 * accounts, within 15 minutes lock that pair (or address) for 15 minutes. From the 50th
 * failure for one account, addresses it never signed in from wait 1 s, 2 s, 4 s… (at most
 * 5 minutes) before each attempt. An address stays known for 90 days.
 */
export const DEFAULT_LOGIN_LIMITS: LoginThrottleLimits = {
  windowMs: 15 * 60_000,
  pairFailures: 10,
  addressFailures: 100,
  lockMs: 15 * 60_000,
  accountFailures: 50,
  accountDelayMs: 1_000,
  accountMaxDelayMs: 5 * 60_000,
  knownAddressMs: 90 * 24 * 3_600_000,
};

/** The wait imposed after the `failures`-th failure for one account (0 below the ceiling). */
export function accountDelayMs(failures: number, limits: LoginThrottleLimits): number {
  if (failures < limits.accountFailures) return 0;
  // Past ~40 doublings any cap is reached; stop there so the number stays finite.
  const doublings = Math.min(failures - limits.accountFailures, 40);
  return Math.min(limits.accountMaxDelayMs, limits.accountDelayMs * 2 ** doublings);
}

/** The kinds of row the throttle keeps, each under its own hashed key. */
export type ThrottleKind = 'acct' | 'addr' | 'pair' | 'known';

/**
 * The row key: a SHA-256 of the kind and its parts, so neither what was typed as a user
 * name (sometimes a password) nor a client address is stored.
 */
export function throttleKey(kind: ThrottleKind, ...parts: string[]): string {
  // The account and address keys keep the form they had before pairs existed.
  const text = kind === 'acct' || kind === 'addr' ? `${kind}\0${parts[0]}` : JSON.stringify([kind, ...parts]);
  return createHash('sha256').update(text).digest('hex');
}

/** The keys one sign-in attempt touches; `addr` is absent when the client address is unknown. */
export interface AttemptKeys {
  readonly acct: string;
  readonly pair: string;
  readonly addr: string | null;
  readonly known: string | null;
}

export function attemptKeys(email: string, address: string | undefined): AttemptKeys {
  return {
    acct: throttleKey('acct', email),
    // Without an address every such attempt shares one pair, still locked after 10.
    pair: throttleKey('pair', email, address ?? ''),
    addr: address ? throttleKey('addr', address) : null,
    known: address ? throttleKey('known', email, address) : null,
  };
}

/** Whole seconds until `until` (at least 1), for `retry_after`. */
export const secondsUntil = (until: number, now: number): number => Math.max(1, Math.ceil((until - now) / 1000));
