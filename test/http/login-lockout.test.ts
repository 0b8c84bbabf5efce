import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../support/pg-fns.ts';
import { api, startTestServer, type ApiResponse, type TestServer } from '../support/test-server.ts';

type User = Awaited<ReturnType<TestServer['user']>>;

// Every sign-in here runs scrypt once, at the test-only cost N=1024 (a few ms). The largest
// test signs in about 110 times; 60 s leaves room for a loaded 2-core machine.
const MANY_SIGN_INS_MS = 60_000;

/**
 * The sign-in throttle cannot be turned against the account's owner (issue #13): an
 * attacker's address is locked for the account it guesses at, the owner's known address
 * is not. The server trusts 127.0.0.1 as its proxy, so each request names its client
 * address in X-Forwarded-For. The clock only moves when a test moves it.
 */
describe.each(testDialects())('sign-in lock-out (%s)', (dialect) => {
  let s: TestServer;
  let clock = Date.parse('2031-03-01T09:00:00Z');

  beforeAll(async () => {
    const env = { NODE_ENV: 'test', HUSH_PASSWORD_SCRYPT_N: '1024', HUSH_TRUST_PROXY: '127.0.0.1' };
    s = await startTestServer({ dialect, env, node: { now: () => new Date(clock) } });
  });
  afterAll(async () => s?.stop());

  const grant = (email: string, password: string, from: string) =>
    api(s.url, 'POST', '/oauth/token', {
      headers: { 'x-forwarded-for': from },
      form: { grant_type: 'password', username: email, password, client_id: 'particle', client_secret: 'particle' },
    });
  const consoleSignIn = (u: User, from: string) =>
    api(s.url, 'POST', '/v1/console/session', { headers: { 'x-forwarded-for': from }, json: { email: u.email, password: u.password } });
  const expectRefused = (r: ApiResponse, retryAfter: number) => {
    expect(r.status).toBe(429);
    expect(r.body).toMatchObject({ ok: false, error: expect.stringMatching(/too many failed sign-in attempts/), retry_after: retryAfter });
    expect(r.headers.get('retry-after')).toBe(String(retryAfter));
  };

  it('an attacker locks only his own address for the account; the owner still signs in from a known address, on both sign-ins', { timeout: MANY_SIGN_INS_MS }, async () => {
    const victim = await s.user();
    const home = '198.51.100.7';
    const attacker = '203.0.113.50';
    expect((await grant(victim.email, victim.password, home)).status).toBe(200);
    for (let i = 0; i < 10; i++) expect((await grant(victim.email, `wrong-${i}`, attacker)).status).toBe(400);
    // The attacker's address is locked for this account, even with the right password.
    expectRefused(await grant(victim.email, victim.password, attacker), 900);
    const refusedConsole = await consoleSignIn(victim, attacker);
    expectRefused(refusedConsole, 900);
    expect(refusedConsole.headers.get('set-cookie')).toBeNull();
    // The owner, from the address they signed in from before, is not.
    expect((await grant(victim.email, victim.password, home)).status).toBe(200);
    const ownConsole = await consoleSignIn(victim, home);
    expect(ownConsole.status).toBe(200);
    expect(ownConsole.headers.get('set-cookie')).toMatch(/hush_session=/);
    // The lock is per account and address: the attacker's address may still sign in as someone else.
    const other = await s.user();
    expect((await grant(other.email, other.password, attacker)).status).toBe(200);
    clock += 15 * 60_000;
    expect((await grant(victim.email, victim.password, attacker)).status).toBe(200);
  });

  it('account-wide failures past 50 slow new addresses with growing delays, never a known one', { timeout: MANY_SIGN_INS_MS }, async () => {
    const victim = await s.user();
    const home = '198.51.100.8';
    expect((await grant(victim.email, victim.password, home)).status).toBe(200);
    // 50 wrong passwords from five addresses (ten each, each then locked for this account).
    for (let a = 0; a < 5; a++) {
      for (let i = 0; i < 10; i++) expect((await grant(victim.email, `guess-${a}-${i}`, `203.0.113.${100 + a}`)).status).toBe(400);
    }
    const fresh = '192.0.2.44';
    expectRefused(await grant(victim.email, victim.password, fresh), 1);
    expect((await grant(victim.email, victim.password, home)).status).toBe(200);
    clock += 1_000;
    expect((await grant(victim.email, 'guess-again', '192.0.2.45')).status).toBe(400);
    expectRefused(await grant(victim.email, victim.password, fresh), 2);
    expectRefused(await consoleSignIn(victim, fresh), 2);
    expect((await consoleSignIn(victim, home)).status).toBe(200);
    clock += 2_000;
    expect((await grant(victim.email, victim.password, fresh)).status).toBe(200);
  });

  it('spraying one address across many accounts hits the per-address ceiling (100 failures)', { timeout: MANY_SIGN_INS_MS }, async () => {
    const sprayer = '203.0.113.77';
    const target = await s.user();
    for (let i = 0; i < 100; i++) expect((await grant(`spray-${i}-${clock}@example.com`, 'Winter2031!', sprayer)).status).toBe(400);
    expectRefused(await grant(target.email, target.password, sprayer), 900);
    // Other addresses, and the accounts themselves, are not affected.
    expect((await grant(target.email, target.password, '198.51.100.9')).status).toBe(200);
  });
});
