import { createHash, randomBytes, scryptSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../support/pg-fns.ts';
import { api, startTestServer, type TestServer } from '../support/test-server.ts';

type User = Awaited<ReturnType<TestServer['user']>>;

const BAD_TOKEN = { ok: false, error: 'invalid_token', error_description: 'The access token provided is invalid.' };
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

describe.each(testDialects())('auth and access tokens (%s)', (dialect) => {
  let s: TestServer;
  let alice: User;
  const issued: string[] = [];
  const login = async (form: Record<string, string>, headers: Record<string, string> = {}) => {
    const r = await api(s.url, 'POST', '/oauth/token', { form: { grant_type: 'password', username: alice.email, password: alice.password, ...form }, headers });
    if (r.status === 200) issued.push(r.body.access_token);
    return r;
  };
  const tokenOk = async (token: string) => (await api(s.url, 'GET', '/v1/user', { token })).status === 200;

  beforeAll(async () => {
    // Production scrypt cost: the upgrade test checks new hashes get PASSWORD_PARAMS.
    s = await startTestServer({ dialect, env: { HUSH_PASSWORD_SCRYPT_N: '' } });
    alice = await s.user();
  });
  afterAll(async () => s?.stop());

  describe('POST /oauth/token', () => {
    it('upgrades a password hash made with older scrypt parameters at sign-in', async () => {
      const email = `old-hash-${dialect}@example.com`;
      const salt = randomBytes(16);
      const key = scryptSync('an older password', salt, 32, { N: 16_384, r: 8, p: 1 });
      const old = `scrypt$16384$8$1$${salt.toString('base64')}$${key.toString('base64')}`;
      await s.services.store.db.insertInto('users').values({ id: randomBytes(12).toString('hex'), email, password_hash: old, created_at: new Date().toISOString() }).execute();
      const hashOf = async () => (await s.services.store.db.selectFrom('users').select('password_hash').where('email', '=', email).executeTakeFirstOrThrow()).password_hash;
      const signIn = (password: string) => api(s.url, 'POST', '/oauth/token', { form: { grant_type: 'password', username: email, password } });
      expect((await signIn('not the password')).status).toBe(400);
      expect(await hashOf()).toBe(old);
      expect((await signIn('an older password')).status).toBe(200);
      const upgraded = await hashOf();
      expect(upgraded).toMatch(/^scrypt\$131072\$8\$1\$/);
      expect((await signIn('an older password')).status).toBe(200);
      expect(await hashOf()).toBe(upgraded);
    });

    it.each([['particle-cli'], ['particle-api'], ['particle']])('password grant with client %s in the body', async (client) => {
      const before = Date.now();
      const r = await login({ client_id: client, client_secret: client, expires_in: '7776000' });
      expect(r.status).toBe(200);
      expect(Object.keys(r.body).sort()).toEqual(['access_token', 'expires_at', 'expires_in', 'token_type']);
      expect(r.body.access_token).toMatch(/^[0-9a-f]{40}$/);
      expect(r.body.token_type).toBe('bearer');
      expect(r.body.expires_in).toBe(7776000);
      const at = Date.parse(r.body.expires_at);
      expect(at).toBeGreaterThanOrEqual(before + 7776000_000 - 1000);
      expect(at).toBeLessThanOrEqual(Date.now() + 7776000_000);
      const cur = await api(s.url, 'GET', '/v1/access_tokens/current', { token: r.body.access_token });
      expect(cur.status).toBe(200);
      expect(cur.body).toEqual({ expires_at: r.body.expires_at, client: client, client_id: client, scopes: [], orgs: [] });
    });

    it.each([['particle-cli'], ['particle-api'], ['particle']])('password grant with client %s via HTTP Basic', async (client) => {
      const r = await login({}, { authorization: basic(client, client) });
      expect(r.status).toBe(200);
      expect(r.body.access_token).toMatch(/^[0-9a-f]{40}$/);
      expect((await api(s.url, 'GET', '/v1/access_tokens/current', { token: r.body.access_token })).body.client_id).toBe(client);
    });

    it('defaults to 90 days; expires_in 0 means never (expires_at null)', async () => {
      expect((await login({ client_id: 'particle' })).body.expires_in).toBe(7776000);
      const r = await login({ client_id: 'particle-cli', client_secret: 'particle-cli', expires_in: '0' });
      expect(r.status).toBe(200);
      expect(r.body.expires_in).toBe(0);
      expect(r.body.expires_at).toBeNull();
      const cur = await api(s.url, 'GET', '/v1/access_tokens/current', { token: r.body.access_token });
      expect(cur.body.expires_at).toBeNull();
    });

    it('expires_at is kept exactly as asked (not rounded to whole seconds from now)', async () => {
      const at = new Date(Date.now() + 3600_000);
      at.setUTCSeconds(0, 0);
      const before = Date.now();
      const r = await login({ client_id: 'particle', expires_at: at.toISOString() });
      expect(r.status).toBe(200);
      expect(r.body.expires_at).toBe(at.toISOString());
      expect(r.body.expires_in).toBeLessThanOrEqual(Math.ceil((at.getTime() - before) / 1000));
      expect(r.body.expires_in).toBeGreaterThanOrEqual(Math.floor((at.getTime() - Date.now()) / 1000));
      expect((await api(s.url, 'GET', '/v1/access_tokens/current', { token: r.body.access_token })).body.expires_at).toBe(at.toISOString());
    });

    it('logs in with the email in any case', async () => {
      const r = await login({ username: alice.email.toUpperCase(), client_id: 'particle' });
      expect(r.status).toBe(200);
    });

    it('wrong password or unknown user → 400 invalid_grant', async () => {
      const expected = { ok: false, error: 'invalid_grant', error_description: 'User credentials are invalid' };
      for (const form of [{ password: 'wrong password!' }, { username: 'nobody@example.com' }, { password: '' }] as Array<Record<string, string>>) {
        const r = await login({ client_id: 'particle-cli', client_secret: 'particle-cli', ...form });
        expect(r.status).toBe(400);
        expect(r.body).toEqual(expected);
      }
    });

    it('unknown client or wrong client secret → 401 invalid_client', async () => {
      const expected = { ok: false, error: 'invalid_client', error_description: 'Client authentication failed' };
      for (const [form, headers] of [
        [{ client_id: 'evil-app', client_secret: 'evil-app' }, {}],
        [{ client_id: 'particle-cli', client_secret: 'not-it' }, {}],
        [{}, { authorization: basic('evil-app', 'x') }],
        [{}, { authorization: 'Basic !!not-base64!!' }],
        [{}, { authorization: `Basic ${Buffer.from('no-colon').toString('base64')}` }],
        [{}, { authorization: basic('', 'particle') }],
      ] as Array<[Record<string, string>, Record<string, string>]>) {
        const r = await login(form, headers);
        expect(r.status).toBe(401);
        expect(r.body).toEqual(expected);
      }
    });

    it('an unsupported grant type → 400 unsupported_grant_type', async () => {
      const r = await login({ grant_type: 'client_credentials', client_id: 'particle' });
      expect(r.status).toBe(400);
      expect(r.body).toEqual({ ok: false, error: 'unsupported_grant_type', error_description: "grant_type 'client_credentials' is not supported; use 'password'" });
    });
  });

  describe('token endpoints', () => {
    it('GET /v1/user names the user', async () => {
      const r = await api(s.url, 'GET', '/v1/user', { token: alice.token });
      expect(r.status).toBe(200);
      expect(r.body).toEqual({ id: alice.id, username: alice.email, created_at: expect.stringMatching(ISO) });
    });

    it('GET /v1/access_tokens/current lists the orgs the user belongs to', async () => {
      const org = await s.services.orgs.create('auth-org', 'Auth Org', alice.email);
      const r = await api(s.url, 'GET', '/v1/access_tokens/current', { token: alice.token });
      expect(r.status).toBe(200);
      expect(r.body).toEqual({ expires_at: expect.stringMatching(ISO), client: 'particle-api', client_id: 'particle-api', scopes: [], orgs: [{ id: org.id, slug: 'auth-org' }] });
    });

    it('DELETE /v1/access_tokens/current revokes the calling token only', async () => {
      const a = (await login({ client_id: 'particle' })).body.access_token;
      const b = (await login({ client_id: 'particle' })).body.access_token;
      const r = await api(s.url, 'DELETE', '/v1/access_tokens/current', { token: a });
      expect(r.status).toBe(200);
      expect(r.body).toEqual({ ok: true });
      const after = await api(s.url, 'GET', '/v1/user', { token: a });
      expect(after.status).toBe(401);
      expect(after.body).toEqual(BAD_TOKEN);
      expect(await tokenOk(b)).toBe(true);
    });

    it('DELETE /v1/access_tokens/:token needs no Authorization header; the token is then dead', async () => {
      const t = (await login({ client_id: 'particle-cli', client_secret: 'particle-cli' })).body.access_token;
      expect(await tokenOk(t)).toBe(true);
      const r = await api(s.url, 'DELETE', `/v1/access_tokens/${t}`);
      expect(r.status).toBe(200);
      expect(r.body).toEqual({ ok: true });
      const after = await api(s.url, 'GET', '/v1/secrets', { token: t });
      expect(after.status).toBe(401);
      expect(after.body).toEqual(BAD_TOKEN);
      const again = await api(s.url, 'DELETE', `/v1/access_tokens/${t}`);
      expect(again.status).toBe(404);
      expect(again.body).toEqual({ ok: false, error: 'access token not found' });
      // The path holds a credential: the request log shows it redacted.
      const log = s.logLines.join('\n');
      expect(log).not.toContain(t);
      expect(log).toContain('/v1/access_tokens/[REDACTED]');
    });

    it("DELETE /v1/access_tokens revokes every token of the caller and nobody else's", async () => {
      const bob = await s.user();
      const mine = [(await login({ client_id: 'particle' })).body.access_token, (await login({ client_id: 'particle-cli' })).body.access_token];
      const r = await api(s.url, 'DELETE', '/v1/access_tokens', { token: mine[0] });
      expect(r.status).toBe(200);
      expect(r.body).toEqual({ ok: true });
      for (const t of [...mine, alice.token]) expect(await tokenOk(t)).toBe(false);
      expect(await tokenOk(bob.token)).toBe(true);
      alice = { ...alice, token: (await login({ client_id: 'particle' })).body.access_token };
    });

    it('stores tokens hashed: the access_tokens table never contains a token', async () => {
      const fresh = (await login({ client_id: 'particle' })).body.access_token;
      const rows = await s.services.store.db.selectFrom('access_tokens').selectAll().execute();
      expect(rows.length).toBeGreaterThan(0);
      const dump = JSON.stringify(rows).toLowerCase();
      for (const t of [...issued, alice.token]) expect(dump).not.toContain(t);
      const hash = createHash('sha256').update(fresh).digest('hex');
      expect(rows.filter((r) => r.token_hash === hash)).toHaveLength(1);
    });
  });

  describe('console session', () => {
    const cookieOf = (setCookie: string) => setCookie.split(';')[0];

    it('POST sets an HttpOnly, SameSite=Strict cookie and returns the CSRF token', async () => {
      const r = await api(s.url, 'POST', '/v1/console/session', { json: { email: alice.email, password: alice.password } });
      expect(r.status).toBe(200);
      expect(r.body).toEqual({ user: { id: alice.id, username: alice.email }, csrf_token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
      const setCookie = r.headers.get('set-cookie') ?? '';
      expect(setCookie).toMatch(/^hush_session=[0-9a-f]{40};/);
      expect(setCookie).toMatch(/; HttpOnly/i);
      expect(setCookie).toMatch(/; SameSite=Strict/i);
      expect(setCookie).toMatch(/; Path=\//);
      expect(setCookie).toMatch(/; Max-Age=43200/);
      expect(setCookie).not.toMatch(/; Secure/i);
    });

    it('wrong password → 400 invalid_grant and no cookie', async () => {
      const r = await api(s.url, 'POST', '/v1/console/session', { json: { email: alice.email, password: 'nope nope nope' } });
      expect(r.status).toBe(400);
      expect(r.body).toEqual({ ok: false, error: 'invalid_grant', error_description: 'User credentials are invalid' });
      expect(r.headers.get('set-cookie')).toBeNull();
    });

    it('a cookie-authenticated write needs X-CSRF-Token; reads do not', async () => {
      const login1 = await api(s.url, 'POST', '/v1/console/session', { json: { email: alice.email, password: alice.password } });
      const cookie = cookieOf(login1.headers.get('set-cookie') ?? '');
      const csrf = login1.body.csrf_token as string;

      const got = await api(s.url, 'GET', '/v1/console/session', { headers: { cookie } });
      expect(got.status).toBe(200);
      expect(got.body).toEqual({ user: { id: alice.id, username: alice.email }, csrf_token: csrf, orgs: [expect.objectContaining({ slug: 'auth-org', role: 'administrator' })] });
      expect((await api(s.url, 'GET', '/v1/secrets', { headers: { cookie } })).status).toBe(200);

      const refused = { ok: false, error: 'missing or invalid X-CSRF-Token header for a cookie-authenticated request' };
      const noCsrf = await api(s.url, 'PUT', '/v1/secrets/FROM_CONSOLE', { headers: { cookie }, json: { value: 'console-value-1' } });
      expect(noCsrf.status).toBe(403);
      expect(noCsrf.body).toEqual(refused);
      const wrongCsrf = await api(s.url, 'PUT', '/v1/secrets/FROM_CONSOLE', { headers: { cookie, 'x-csrf-token': 'x'.repeat(43) }, json: { value: 'console-value-1' } });
      expect(wrongCsrf.status).toBe(403);
      expect(wrongCsrf.body).toEqual(refused);
      expect((await api(s.url, 'GET', '/v1/secrets/FROM_CONSOLE', { token: alice.token })).status).toBe(404);

      const ok = await api(s.url, 'PUT', '/v1/secrets/FROM_CONSOLE', { headers: { cookie, 'x-csrf-token': csrf }, json: { value: 'console-value-1' } });
      expect(ok.status).toBe(200);
      expect(ok.body.secret).toMatchObject({ name: 'FROM_CONSOLE', created_by: alice.id });

      const delNoCsrf = await api(s.url, 'DELETE', '/v1/console/session', { headers: { cookie } });
      expect(delNoCsrf.status).toBe(403);
      expect(delNoCsrf.body).toEqual(refused);
      const del = await api(s.url, 'DELETE', '/v1/console/session', { headers: { cookie, 'x-csrf-token': csrf } });
      expect(del.status).toBe(204);
      expect(del.text).toBe('');
      expect(del.headers.get('set-cookie')).toMatch(/^hush_session=;.*Expires=Thu, 01 Jan 1970/);
      // Signed out: the session answers 200 {user: null}; the old cookie no longer authenticates.
      const gone = await api(s.url, 'GET', '/v1/console/session', { headers: { cookie } });
      expect(gone.status).toBe(200);
      expect(gone.body).toEqual({ user: null, csrf_token: null, orgs: [] });
      const dead = await api(s.url, 'GET', '/v1/secrets', { headers: { cookie } });
      expect(dead.status).toBe(401);
      expect(dead.body).toEqual(BAD_TOKEN);
    });

    it('GET /v1/console/session without a cookie (even with a bearer token) is signed out', async () => {
      for (const opts of [{}, { token: alice.token }]) {
        const r = await api(s.url, 'GET', '/v1/console/session', opts);
        expect(r.status).toBe(200);
        expect(r.body).toEqual({ user: null, csrf_token: null, orgs: [] });
      }
    });

    it('a bearer-authenticated write needs no CSRF token', async () => {
      const r = await api(s.url, 'PUT', '/v1/secrets/FROM_BEARER', { token: alice.token, json: { value: 'bearer-value-1' } });
      expect(r.status).toBe(200);
    });
  });
});
