import http from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../../src/auth/auth-service.ts';
import { testDialects } from '../support/pg-fns.ts';
import { api, startTestServer, type TestServer } from '../support/test-server.ts';

type User = Awaited<ReturnType<TestServer['user']>>;

const NO_TOKEN = { ok: false, error: 'invalid_request', error_description: 'The access token was not found' };
const BAD_TOKEN = { ok: false, error: 'invalid_token', error_description: 'The access token provided is invalid.' };

/** A raw request (fetch normalizes header whitespace away; the CLI's subscribe sends `Bearer `). */
function rawGet(url: string, headers: Record<string, string>): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Sends raw bytes and returns the whole answer (the server closes the connection). */
function rawExchange(url: string, bytes: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname, () => socket.end(bytes));
    let text = '';
    socket.setEncoding('utf8').on('data', (c: string) => (text += c));
    socket.on('close', () => resolve(text));
    socket.on('error', reject);
  });
}

describe.each(testDialects())('bad input answers 4xx with a clear Particle body, never 500 (%s)', (dialect) => {
  let s: TestServer;
  let alice: User;
  const call = (method: string, path: string, opts: Parameters<typeof api>[3] = {}) => api(s.url, method, path, { token: alice.token, ...opts });

  beforeAll(async () => {
    s = await startTestServer({ dialect });
    alice = await s.user();
    await call('PUT', '/v1/secrets/EXISTING', { json: { value: 'existing-value-1' } });
    await s.services.orgs.create('badin', 'Bad input', alice.email);
  });
  afterAll(async () => s?.stop());

  describe('malformed HTTP', () => {
    it('a request Node cannot parse gets a Particle error body, not a framework one', async () => {
      const bad = await rawExchange(s.url, 'NOT HTTP AT ALL\r\n\r\n');
      expect(bad).toMatch(/^HTTP\/1\.1 400 /);
      expect(JSON.parse(bad.slice(bad.indexOf('\r\n\r\n') + 4))).toEqual({ ok: false, error: 'the request could not be parsed as HTTP' });
      const huge = await rawExchange(s.url, `GET /v1/user HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
      expect(huge).toMatch(/^HTTP\/1\.1 431 /);
      expect(JSON.parse(huge.slice(huge.indexOf('\r\n\r\n') + 4))).toEqual({ ok: false, error: 'request headers are too large' });
      expect((await call('GET', '/v1/user')).status).toBe(200);
    });
  });

  describe('bodies', () => {
    it('malformed JSON → 400', async () => {
      for (const raw of ['{"name": "A", "value": ', '{name: A}', "{'a': 1}", '{"a":1}}']) {
        const r = await call('POST', '/v1/secrets', { raw });
        expect(r.status).toBe(400);
        expect(r.body).toEqual({ ok: false, error: 'request body is not valid JSON' });
      }
    });

    it('empty JSON body → 400', async () => {
      const r = await call('PUT', '/v1/secrets/A', { raw: '' });
      expect(r.status).toBe(400);
      expect(r.body).toEqual({ ok: false, error: 'request body is empty but Content-Type is application/json' });
    });

    it('JSON that is not an object → 400', async () => {
      for (const raw of ['[1, 2]', '"text"', '42']) {
        const r = await call('POST', '/v1/secrets', { raw });
        expect(r.status).toBe(400);
        expect(r.body).toEqual({ ok: false, error: 'invalid request body: body must be object' });
      }
      expect((await call('POST', '/v1/secrets', { raw: 'null' })).body).toEqual({ ok: false, error: 'value is required' });
    });

    it('JSON with wrong types → 400 naming the field', async () => {
      expect((await call('POST', '/v1/secrets', { json: { name: 5, value: 'abcdefghij' } })).body).toEqual({
        ok: false,
        error: 'invalid request body: name must be string',
      });
      expect((await call('PUT', '/v1/secrets/A', { json: { secret: 'abcdefghij' } })).body).toEqual({
        ok: false,
        error: 'invalid request body: secret must be object',
      });
      const r = await call('PUT', '/v1/secrets/A', { json: { value: { nested: true } } });
      expect(r.status).toBe(400);
      expect(r.body).toEqual({ ok: false, error: 'secret value must be a string' });
      const m = await call('POST', '/v1/orgs/badin/members', { json: { username: 'x@example.com', role: 7 } });
      expect(m.status).toBe(400);
      expect(m.body).toEqual({ ok: false, error: 'invalid request body: role must be string' });
    });

    it('unknown fields → 400 naming them', async () => {
      const r = await call('POST', '/v1/secrets', { json: { name: 'A', value: 'abcdefghij', colour: 'red', size: 1 } });
      expect(r.status).toBe(400);
      expect(r.body).toEqual({ ok: false, error: "invalid request body: unknown fields 'colour', 'size'" });
      const nested = await call('PUT', '/v1/secrets/A', { json: { secret: { value: 'abcdefghij', extra: 1 } } });
      expect(nested.status).toBe(400);
      expect(nested.body).toEqual({ ok: false, error: "invalid request body: unknown field 'extra' in secret" });
      expect((await call('GET', '/v1/secrets/A')).status).toBe(404);
    });

    it('a body over 1 MiB → 413 (JSON and form)', async () => {
      const big = 'x'.repeat(1024 * 1024 + 1);
      const j = await call('PUT', '/v1/secrets/BIG', { json: { value: big } });
      expect(j.status).toBe(413);
      expect(j.body).toEqual({ ok: false, error: 'request body is too large' });
      const f = await call('PUT', '/v1/secrets/BIG', { form: { value: big } });
      expect(f.status).toBe(413);
      expect(f.body).toEqual({ ok: false, error: 'request body is too large' });
    });

    it('an unsupported content type → 415', async () => {
      const unsupported = { ok: false, error: 'unsupported content type: send application/json or application/x-www-form-urlencoded' };
      for (const contentType of ['application/xml', 'text/plain', 'multipart/form-data; boundary=x', 'application/octet-stream']) {
        const r = await call('PUT', '/v1/secrets/A', { raw: 'value=abcdefghij', contentType });
        expect(r.status, contentType).toBe(415);
        expect(r.body).toEqual(unsupported);
      }
    });

    it('a form body nested past 32 levels or with over 1,000 array items → 400, not truncated', async () => {
      const deep = await call('POST', '/v1/integrations', { raw: `event=x&json${'[a]'.repeat(40)}=1`, contentType: 'application/x-www-form-urlencoded' });
      expect(deep.status).toBe(400);
      expect(deep.body).toEqual({ ok: false, error: 'invalid form body: Input depth exceeded depth option of 32 and strictDepth is true' });
      const many = Array.from({ length: 1001 }, (_, i) => `secrets[${i}]=A`).join('&');
      const wide = await call('POST', '/v1/integrations', { raw: `event=x&${many}`, contentType: 'application/x-www-form-urlencoded' });
      expect(wide.status).toBe(400);
      expect(wide.body.error).toMatch(/^invalid form body: Array limit exceeded/);
    });

    it('form-encoded and charset-qualified JSON bodies are accepted', async () => {
      expect((await call('PUT', '/v1/secrets/FORMED', { form: { value: 'form-value-12345' } })).status).toBe(200);
      const r = await call('PUT', '/v1/secrets/CHARSET', { raw: '{"value":"charset-value-1"}', contentType: 'application/json; charset=utf-8' });
      expect(r.status).toBe(200);
      expect(r.body.secret.name).toBe('CHARSET');
    });
  });

  describe('tokens', () => {
    it('no token → 401 invalid_request', async () => {
      const r = await api(s.url, 'GET', '/v1/secrets');
      expect(r.status).toBe(401);
      expect(r.body).toEqual(NO_TOKEN);
      const w = await api(s.url, 'PUT', '/v1/secrets/A', { json: { value: 'abcdefghij' } });
      expect(w.status).toBe(401);
      expect(w.body).toEqual(NO_TOKEN);
    });

    it('a bad token → 401 invalid_token', async () => {
      for (const token of ['0123456789abcdef0123456789abcdef01234567', 'not-a-token', 'x'.repeat(300)]) {
        const r = await api(s.url, 'GET', '/v1/secrets', { token });
        expect(r.status).toBe(401);
        expect(r.body).toEqual(BAD_TOKEN);
      }
    });

    it('an empty `Authorization: Bearer ` → 401', async () => {
      for (const authorization of ['Bearer ', 'Bearer', 'Bearer    ']) {
        const r = await rawGet(`${s.url}/v1/secrets`, { authorization });
        expect(r.status).toBe(401);
        expect(r.body).toEqual(NO_TOKEN);
      }
    });

    it('a non-bearer Authorization scheme → 401', async () => {
      const r = await api(s.url, 'GET', '/v1/secrets', { headers: { authorization: `Basic ${Buffer.from(`${alice.email}:${alice.password}`).toString('base64')}` } });
      expect(r.status).toBe(401);
      expect(r.body).toEqual(NO_TOKEN);
    });

    it('an expired token → 401 invalid_token', async () => {
      const u = await s.user();
      await s.services.store.db.updateTable('access_tokens').set({ expires_at: '2001-01-01T00:00:00.000Z' }).where('token_hash', '=', hashToken(u.token)).execute();
      const r = await api(s.url, 'GET', '/v1/secrets', { token: u.token });
      expect(r.status).toBe(401);
      expect(r.body).toEqual(BAD_TOKEN);
    });

    it('query-string access_token works; a bad one is 401', async () => {
      const r = await api(s.url, 'GET', `/v1/secrets?access_token=${alice.token}`);
      expect(r.status).toBe(200);
      expect(r.body.secrets.map((x: { name: string }) => x.name)).toContain('EXISTING');
      const bad = await api(s.url, 'GET', '/v1/secrets?access_token=deadbeefdeadbeefdeadbeef');
      expect(bad.status).toBe(401);
      expect(bad.body).toEqual(BAD_TOKEN);
      const twice = await api(s.url, 'GET', `/v1/secrets?access_token=${alice.token}&access_token=${alice.token}`);
      expect(twice.status).toBe(401);
      expect(twice.body).toEqual(NO_TOKEN);
    });

    it('a bad token never reaches body validation (401 before 400)', async () => {
      const r = await api(s.url, 'POST', '/v1/secrets', { token: 'feedfacefeedfacefeedface', json: { bogus: 1 } });
      expect(r.status).toBe(401);
      expect(r.body).toEqual(BAD_TOKEN);
    });
  });

  describe('routes', () => {
    it('an unknown route → 404 Particle body', async () => {
      const r = await call('GET', '/v1/nothing-here?x=1');
      expect(r.status).toBe(404);
      expect(r.body).toEqual({ ok: false, error: 'Not found: GET /v1/nothing-here' });
    });

    it('a wrong method on a known path → 404 Particle body', async () => {
      const p = await call('POST', '/v1/secrets/EXISTING', { json: { value: 'abcdefghij' } });
      expect(p.status).toBe(404);
      expect(p.body).toEqual({ ok: false, error: 'Not found: POST /v1/secrets/EXISTING' });
      const d = await call('DELETE', '/v1/secrets');
      expect(d.status).toBe(404);
      expect(d.body).toEqual({ ok: false, error: 'Not found: DELETE /v1/secrets' });
    });

    it('a malformed percent-escape in the path → 400 Particle body', async () => {
      const r = await call('GET', '/v1/secrets/%ZZ');
      expect(r.status).toBe(400);
      expect(r.body).toEqual({ ok: false, error: 'the URL path /v1/secrets/%ZZ is not valid (bad percent-encoding)' });
    });

    it('an over-long path parameter → 400 Particle body', async () => {
      const r = await call('GET', `/v1/secrets/${'A'.repeat(600)}`);
      expect(r.status).toBe(400);
      expect(r.body).toEqual({ ok: false, error: `a path segment of /v1/secrets/${'A'.repeat(68)}… is too long` });
    });

    it('an invalid or unknown org slug → 404 quoting it', async () => {
      for (const org of ['NOT VALID!', 'no-such-org', 'x'.repeat(200)]) {
        const r = await call('GET', `/v1/orgs/${encodeURIComponent(org)}/secrets`);
        expect(r.status).toBe(404);
        expect(r.body).toEqual({ ok: false, error: `organization '${org}' not found` });
      }
    });

    it('an invalid secret name in the path → 400', async () => {
      const r = await call('GET', '/v1/secrets/lower');
      expect(r.status).toBe(400);
      expect(r.body).toEqual({
        ok: false,
        error: "Secret name may contain only uppercase letters, numbers and underscores, and cannot begin with a number: 'lower'",
      });
    });

    it('a bad version in a restore path → 400', async () => {
      for (const v of ['0', '-1', '1.5', 'abc']) {
        const r = await call('POST', `/v1/secrets/EXISTING/versions/${v}/restore`);
        expect(r.status).toBe(400);
        expect(r.body).toEqual({ ok: false, error: `version must be a positive whole number, got '${v}'` });
      }
    });

    it('a bad audit query → 400', async () => {
      const r = await call('GET', '/v1/audit?limit=zero');
      expect(r.status).toBe(400);
      expect(r.body).toEqual({ ok: false, error: 'invalid query: limit must be number' });
    });
  });

  // Found by test/http/route-fuzz.test.ts (each was a 500 or a hang).
  describe('found by the route fuzzer', () => {
    it('a NUL character in a path, query or body field → 400 naming where (PostgreSQL text cannot hold it)', async () => {
      const inPath = await call('GET', '/v1/orgs/a%00b/secrets');
      expect(inPath.status).toBe(400);
      expect(inPath.body).toEqual({ ok: false, error: 'the URL path contains a NUL character (%00), which is not accepted' });
      expect((await call('GET', '/v1/audit?before=%00')).body).toEqual({ ok: false, error: "query parameter 'before' contains a NUL character (%00), which is not accepted" });
      const inBody = await call('POST', '/v1/integrations', { json: { event: 'a\u0000', url: 'http://127.0.0.1:9/x' } });
      expect(inBody.status).toBe(400);
      expect(inBody.body).toEqual({ ok: false, error: "request body field 'event' contains a NUL character (\\u0000), which is not accepted" });
      expect((await call('POST', '/v1/orgs/badin/members', { form: { username: 'x\u0000@example.com', role: 'developer' } })).status).toBe(400);
      // Without a token it is still 401 first.
      expect((await api(s.url, 'GET', '/v1/orgs/a%00b/secrets')).body).toEqual(NO_TOKEN);
    });

    it('a secret value may still hold a NUL character (it is stored encrypted)', async () => {
      const r = await call('PUT', '/v1/secrets/NUL_INSIDE', { json: { value: 'before\u0000after' } });
      expect(r.status).toBe(200);
      expect(await s.services.resolver.values(`user:${alice.id}`, ['NUL_INSIDE'])).toEqual({ NUL_INSIDE: 'before\u0000after' });
    });

    it('a product id or version beyond the integer range → 404/400, not a database error', async () => {
      for (const id of ['2147483648', '9007199254740993', '99999999999999999999']) {
        const r = await call('GET', `/v1/products/${id}`);
        expect(r.status, id).toBe(404);
        expect(r.body).toEqual({ ok: false, error: `product '${id}' not found` });
      }
      const v = await call('POST', '/v1/secrets/EXISTING/versions/3000000000/restore');
      expect(v.status).toBe(400);
      expect(v.body).toEqual({ ok: false, error: "version must be at most 2147483647, got '3000000000'" });
    });

    it('HEAD on an event stream answers at once', async () => {
      const r = await fetch(`${s.url}/v1/devices/events/x`, { method: 'HEAD', headers: { authorization: `Bearer ${alice.token}` }, signal: AbortSignal.timeout(5_000) });
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toMatch(/^text\/event-stream/);
    });
  });

  it('logged no server error for any of the above', () => {
    const errors = s.logLines.filter((l) => (JSON.parse(l) as { level: number }).level >= 50);
    expect(errors).toEqual([]);
  });
});
