import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openContractStore, type ContractStore } from '../../test/store-contract/store-harness.ts';
import { testDialects } from '../../test/support/pg-fns.ts';
import { accountDelayMs, DEFAULT_LOGIN_LIMITS } from './login-throttle-fns.ts';
import { createLoginThrottle, type LoginThrottle } from './login-throttle-service.ts';

const MIN = 60_000;

describe('accountDelayMs', () => {
  it('is 0 below 50 failures, then 1 s doubling per failure, capped at 5 minutes', () => {
    const d = (n: number) => accountDelayMs(n, DEFAULT_LOGIN_LIMITS);
    expect([d(0), d(49)]).toEqual([0, 0]);
    expect([d(50), d(51), d(52), d(58)]).toEqual([1_000, 2_000, 4_000, 256_000]);
    expect([d(59), d(500), d(1e9)]).toEqual([300_000, 300_000, 300_000]);
  });
});

describe.each(testDialects())('login throttle (%s)', (dialect) => {
  let store: ContractStore;
  let clock: number;
  let throttle: LoginThrottle;
  const newThrottle = () => createLoginThrottle({ db: store.handle.db, now: () => new Date(clock) });
  /** The `retry_after` a check refuses with, or 0 when it lets the attempt through. */
  const wait = async (email: string, address: string | undefined, t = throttle): Promise<number> => {
    try {
      await t.check(email, address);
      return 0;
    } catch (e) {
      expect(e).toMatchObject({ code: 'too_many_requests', message: expect.stringMatching(/too many failed sign-in attempts/) });
      return (e as { details: { retry_after: number } }).details.retry_after;
    }
  };
  const fail = async (email: string, address: string | undefined, times = 1) => {
    for (let i = 0; i < times; i++) await throttle.failed(email, address);
  };

  beforeAll(async () => {
    store = await openContractStore(dialect);
  });
  afterAll(async () => store?.close());
  beforeEach(async () => {
    await store.handle.db.deleteFrom('login_throttle').execute();
    clock = Date.parse('2030-06-01T00:00:00Z');
    throttle = newThrottle();
  });

  it('locks an (account, address) pair after 10 failures for 15 minutes; other addresses and accounts are untouched', async () => {
    await fail('v@x.example', '203.0.113.1', 9);
    expect(await wait('v@x.example', '203.0.113.1')).toBe(0);
    await fail('v@x.example', '203.0.113.1');
    expect(await wait('v@x.example', '203.0.113.1')).toBe(900);
    expect(await wait('v@x.example', '198.51.100.2')).toBe(0);
    expect(await wait('w@x.example', '203.0.113.1')).toBe(0);
    clock += 15 * MIN - 1_000;
    expect(await wait('v@x.example', '203.0.113.1')).toBe(1);
    clock += 1_000;
    expect(await wait('v@x.example', '203.0.113.1')).toBe(0);
    // The count started again with the lock's end.
    await fail('v@x.example', '203.0.113.1', 9);
    expect(await wait('v@x.example', '203.0.113.1')).toBe(0);
  });

  it('forgets a pair count 15 minutes after its first failure', async () => {
    await fail('v@x.example', '203.0.113.1', 9);
    clock += 15 * MIN;
    await fail('v@x.example', '203.0.113.1', 9);
    expect(await wait('v@x.example', '203.0.113.1')).toBe(0);
  });

  it('locks an address after 100 failures across accounts (password spraying), for every account', async () => {
    for (let i = 0; i < 99; i++) await throttle.failed(`a${i}@x.example`, '203.0.113.9');
    expect(await wait('z@x.example', '203.0.113.9')).toBe(0);
    await throttle.failed('a99@x.example', '203.0.113.9');
    expect(await wait('z@x.example', '203.0.113.9')).toBe(900);
    expect(await wait('a1@x.example', '203.0.113.8')).toBe(0);
  });

  it('past 50 failures for an account, new addresses wait a doubling delay (capped at 5 minutes); a known address never does', async () => {
    await throttle.succeeded('v@x.example', '198.51.100.7');
    for (let a = 0; a < 49; a++) await throttle.failed('v@x.example', `203.0.113.${a}`);
    expect(await wait('v@x.example', '192.0.2.1')).toBe(0);
    await throttle.failed('v@x.example', '203.0.113.200');
    expect(await wait('v@x.example', '192.0.2.1')).toBe(1);
    await throttle.failed('v@x.example', '203.0.113.201');
    expect(await wait('v@x.example', '192.0.2.1')).toBe(2);
    await fail('v@x.example', '203.0.113.202', 8);
    expect(await wait('v@x.example', '192.0.2.1')).toBe(300);
    expect(await wait('v@x.example', undefined)).toBe(300);
    expect(await wait('v@x.example', '198.51.100.7')).toBe(0);
    // Another account is not slowed.
    expect(await wait('w@x.example', '192.0.2.1')).toBe(0);
    clock += 5 * MIN;
    expect(await wait('v@x.example', '192.0.2.1')).toBe(0);
    // Still counting: the next failure waits the cap again.
    await throttle.failed('v@x.example', '203.0.113.203');
    expect(await wait('v@x.example', '192.0.2.1')).toBe(300);
  });

  it('forgets the account count once 15 minutes pass without a failure', async () => {
    for (let a = 0; a < 49; a++) await throttle.failed('v@x.example', `203.0.113.${a}`);
    clock += 14 * MIN;
    await throttle.failed('v@x.example', '203.0.113.100');
    expect(await wait('v@x.example', '192.0.2.1')).toBe(1);
    clock += 15 * MIN;
    await throttle.failed('v@x.example', '203.0.113.101');
    expect(await wait('v@x.example', '192.0.2.1')).toBe(0);
  });

  it('a known address keeps its own pair and address locks', async () => {
    await throttle.succeeded('v@x.example', '198.51.100.7');
    await fail('v@x.example', '198.51.100.7', 10);
    expect(await wait('v@x.example', '198.51.100.7')).toBe(900);
  });

  it('a success clears the pair count only, and keeps the address known for 90 days after the last success', async () => {
    await fail('v@x.example', '198.51.100.7', 9);
    await throttle.succeeded('v@x.example', '198.51.100.7');
    await fail('v@x.example', '198.51.100.7', 9);
    expect(await wait('v@x.example', '198.51.100.7')).toBe(0);
    for (let a = 0; a < 40; a++) await throttle.failed('v@x.example', `203.0.113.${a}`);
    // 49 + 9 failures: the account is slowed; the success did not reset it.
    expect(await wait('v@x.example', '192.0.2.1')).toBeGreaterThan(0);
    expect(await wait('v@x.example', '198.51.100.7')).toBe(0);
    // Long after, the account is slowed again (its old count was forgotten meanwhile).
    clock += 90 * 24 * 60 * MIN - 1;
    for (let a = 0; a < 50; a++) await throttle.failed('v@x.example', `192.0.2.${100 + a}`);
    expect(await wait('v@x.example', '198.51.100.7')).toBe(0);
    clock += 1;
    expect(await wait('v@x.example', '198.51.100.7')).toBe(1);
  });

  it('counts in the database: another node sees the same counters and known addresses', async () => {
    const other = newThrottle();
    await throttle.succeeded('v@x.example', '198.51.100.7');
    await fail('v@x.example', '203.0.113.1', 10);
    expect(await wait('v@x.example', '203.0.113.1', other)).toBe(900);
    for (let a = 0; a < 40; a++) await other.failed('v@x.example', `203.0.113.${100 + a}`);
    expect(await wait('v@x.example', '192.0.2.1')).toBeGreaterThan(0);
    expect(await wait('v@x.example', '198.51.100.7', other)).toBe(0);
  });

  it('counts concurrent failures each', async () => {
    await Promise.all(Array.from({ length: 10 }, () => throttle.failed('v@x.example', '203.0.113.1')));
    expect(await wait('v@x.example', '203.0.113.1')).toBe(900);
  });

  it('stores neither the email nor the address: every key is a SHA-256', async () => {
    await throttle.succeeded('v@x.example', '198.51.100.7');
    await fail('v@x.example', '203.0.113.1', 3);
    const rows = await store.handle.db.selectFrom('login_throttle').selectAll().execute();
    expect(rows).toHaveLength(4);
    for (const r of rows) expect(r.key).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(rows)).not.toMatch(/x\.example|198\.51|203\.0/);
  });

  it('without a client address, attempts share one pair and are subject to the account delay', async () => {
    await fail('v@x.example', undefined, 10);
    expect(await wait('v@x.example', undefined)).toBe(900);
    expect(await wait('v@x.example', '198.51.100.7')).toBe(0);
  });
});
