import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLoginThrottle } from '../../src/auth/login-throttle-service.ts';
import { testDialects } from '../support/pg-fns.ts';
import { api, startTestServer, type TestServer } from '../support/test-server.ts';

type User = Awaited<ReturnType<TestServer['user']>>;

/** Opens an event stream; `ended` resolves when the server ends it. */
function openStream(base: string, path: string, token: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string; ended: Promise<void>; close(): void }> {
  return new Promise((resolve, reject) => {
    const req = http.get(base + path, { headers: { authorization: `Bearer ${token}` } }, (res) => {
      let body = '';
      const ended = new Promise<void>((done) => {
        res.on('end', done);
        res.on('close', done);
      });
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      resolve({ status: res.statusCode ?? 0, headers: res.headers, get body() { return body; }, ended, close: () => req.destroy() });
    });
    req.on('error', reject);
  });
}

const within = <T>(p: Promise<T>, ms: number) =>
  Promise.race([p.then(() => 'ended' as const), new Promise<'open'>((r) => setTimeout(() => r('open'), ms))]);

describe.each(testDialects())('security hardening (%s)', (dialect) => {
  let s: TestServer;
  let alice: User;
  let bob: User;
  let viewer: User;
  let dev: User;

  beforeAll(async () => {
    // The throttle tests sign in dozens of times; at the production scrypt cost (N=2^17) that
    // alone took past 30 s on a loaded 2-core machine. The cost is a configuration setting.
    const env = { NODE_ENV: 'test', HUSH_PASSWORD_SCRYPT_N: '1024' };
    s = await startTestServer({ dialect, env, node: { sseRecheckMs: 100, sseMaxPerUser: 3 } });
    [alice, bob, viewer, dev] = [await s.user(), await s.user(), await s.user(), await s.user()];
    await s.services.orgs.create('sec-org', 'Sec', alice.email);
    const op = await s.services.orgs.operatorScope('sec-org');
    await s.services.orgs.setMember(op, viewer.email, 'view-only');
    await s.services.orgs.setMember(op, dev.email, 'developer');
  });
  afterAll(async () => s?.stop());

  describe('sign-in throttle', () => {
    const grant = (u: User, password: string) =>
      api(s.url, 'POST', '/oauth/token', { form: { grant_type: 'password', username: u.email, password, client_id: 'particle', client_secret: 'particle' } });

    it('hashes passwords at the cost the configuration sets', async () => {
      const u = await s.user();
      const row = await s.services.store.db.selectFrom('users').select('password_hash').where('email', '=', u.email).executeTakeFirstOrThrow();
      expect(row.password_hash).toMatch(/^scrypt\$1024\$8\$1\$/);
      expect((await grant(u, u.password)).status).toBe(200);
    });

    it('locks an account for an address after 10 failed passwords from it: 429 with Retry-After, even for the right password, on both sign-ins', async () => {
      const victim = await s.user();
      for (let i = 0; i < 10; i++) expect((await grant(victim, `wrong-${i}`)).status).toBe(400);
      const locked = await grant(victim, victim.password);
      expect(locked.status).toBe(429);
      expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(800);
      expect(locked.body).toMatchObject({ ok: false, error: expect.stringMatching(/too many failed sign-in attempts/) });
      const console = await api(s.url, 'POST', '/v1/console/session', { json: { email: victim.email.toUpperCase(), password: victim.password } });
      expect(console.status).toBe(429);
      expect(console.headers.get('set-cookie')).toBeNull();
      // Other accounts are not affected (per-address and owner-at-a-known-address cases: login-lockout.test.ts).
      expect((await grant(bob, bob.password)).status).toBe(200);
    });

    it('a successful sign-in clears the count for the account and address', async () => {
      const u = await s.user();
      for (let i = 0; i < 9; i++) expect((await grant(u, 'nope-nope')).status).toBe(400);
      expect((await grant(u, u.password)).status).toBe(200);
      for (let i = 0; i < 9; i++) expect((await grant(u, 'nope-nope')).status).toBe(400);
      expect((await grant(u, u.password)).status).toBe(200);
    });

    it('counts per address across accounts, in the database (another node shares the count)', async () => {
      let clock = Date.parse('2030-01-01T00:00:00Z');
      const limits = { accountFailures: 100, addressFailures: 3, windowMs: 60_000, lockMs: 30_000 };
      const nodeA = createLoginThrottle({ db: s.services.store.db, now: () => new Date(clock), limits });
      const nodeB = createLoginThrottle({ db: s.services.store.db, now: () => new Date(clock), limits });
      await nodeA.failed('one@example.com', '203.0.113.9');
      await nodeB.failed('two@example.com', '203.0.113.9');
      await nodeA.check('three@example.com', '203.0.113.9');
      await nodeB.failed('three@example.com', '203.0.113.9');
      await expect(nodeA.check('four@example.com', '203.0.113.9')).rejects.toMatchObject({ code: 'too_many_requests', details: { retry_after: 30 } });
      await nodeA.check('four@example.com', '198.51.100.1');
      clock += 30_001;
      await nodeB.check('four@example.com', '203.0.113.9');
    });
  });

  it('console sign-in takes JSON only (no cross-site form login)', async () => {
    const form = await api(s.url, 'POST', '/v1/console/session', { form: { email: alice.email, password: alice.password } });
    expect(form.status).toBe(415);
    expect(form.headers.get('set-cookie')).toBeNull();
    const json = await api(s.url, 'POST', '/v1/console/session', { json: { email: alice.email, password: alice.password } });
    expect(json.status).toBe(200);
  });

  it('a view-only member cannot fire an integration test (it sends the secrets); a developer can', async () => {
    const created = await api(s.url, 'POST', '/v1/orgs/sec-org/integrations', {
      token: alice.token,
      json: { integration_type: 'Webhook', event: 'sec', url: 'http://127.0.0.1:9/never', requestType: 'POST' },
    });
    expect(created.status).toBe(201);
    const path = `/v1/orgs/sec-org/integrations/${created.body.id}/test`;
    const refused = await api(s.url, 'POST', path, { token: viewer.token, json: { data: 'guess' } });
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatch(/view-only.*does not allow testing integrations/);
    expect((await api(s.url, 'POST', path, { token: dev.token, json: {} })).status).toBe(200);
  });

  describe('event streams', () => {
    it('ends a stream when its token is revoked', async () => {
      const t = await s.services.auth.issueToken(alice.id, 'particle', 3600);
      const st = await openStream(s.url, '/v1/devices/events', t.accessToken);
      expect(st.status).toBe(200);
      expect(await api(s.url, 'DELETE', '/v1/access_tokens/current', { token: t.accessToken })).toMatchObject({ status: 200 });
      expect(await within(st.ended, 3000)).toBe('ended');
    });

    it('ends a stream when its token expires', async () => {
      const t = await s.services.auth.issueToken(alice.id, 'particle', new Date(Date.now() + 1500));
      const st = await openStream(s.url, '/v1/devices/events/x', t.accessToken);
      expect(st.status).toBe(200);
      expect(await within(st.ended, 5000)).toBe('ended');
    });

    it("ends an org stream when the member is removed, and keeps the others' streams", async () => {
      const member = await s.user();
      await s.services.orgs.setMember(await s.services.orgs.operatorScope('sec-org'), member.email, 'view-only');
      const st = await openStream(s.url, '/v1/orgs/sec-org/events', member.token);
      const kept = await openStream(s.url, '/v1/orgs/sec-org/events', alice.token);
      expect([st.status, kept.status]).toEqual([200, 200]);
      expect(await within(st.ended, 400)).toBe('open');
      expect((await api(s.url, 'DELETE', `/v1/orgs/sec-org/members/${encodeURIComponent(member.email)}`, { token: alice.token })).status).toBe(204);
      expect(await within(st.ended, 3000)).toBe('ended');
      expect(await within(kept.ended, 300)).toBe('open');
      kept.close();
    });

    it('caps the streams one user holds open (429 with Retry-After); closing one frees a slot', async () => {
      const streams = [];
      for (let i = 0; i < 3; i++) streams.push(await openStream(s.url, '/v1/devices/events', bob.token));
      expect(streams.map((x) => x.status)).toEqual([200, 200, 200]);
      const over = await api(s.url, 'GET', '/v1/devices/events', { token: bob.token });
      expect(over.status).toBe(429);
      expect(over.headers.get('retry-after')).toBe('10');
      expect(over.body).toMatchObject({ ok: false });
      // Another user is not affected.
      const other = await openStream(s.url, '/v1/devices/events', dev.token);
      expect(other.status).toBe(200);
      other.close();
      streams[0]!.close();
      await streams[0]!.ended;
      let again = 0;
      for (let i = 0; i < 50 && again !== 200; i++) {
        const st = await openStream(s.url, '/v1/devices/events', bob.token);
        again = st.status;
        st.close();
        if (again !== 200) await new Promise((r) => setTimeout(r, 20));
      }
      expect(again).toBe(200);
      streams.forEach((x) => x.close());
    });
  });
});
