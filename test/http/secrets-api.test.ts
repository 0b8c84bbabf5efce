import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../support/pg-fns.ts';
import { api, startTestServer, type TestServer } from '../support/test-server.ts';

const VALUE_1 = 'first-value-Zq8#%"\\&ü';
const VALUE_2 = 'second-value-Kp3!9';

describe.each(testDialects())('secrets API over HTTP (%s)', (dialect) => {
  let s: TestServer;
  let alice: Awaited<ReturnType<TestServer['user']>>;
  let bob: Awaited<ReturnType<TestServer['user']>>;
  const call = (method: string, path: string, opts: Parameters<typeof api>[3] = {}) => api(s.url, method, path, { token: alice.token, ...opts });

  beforeAll(async () => {
    s = await startTestServer({ dialect });
    alice = await s.user();
    bob = await s.user();
  });
  afterAll(async () => s?.stop());

  it('starts with an empty list', async () => {
    const r = await call('GET', '/v1/secrets');
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ secrets: [] });
  });

  it('creates with POST {name, value} and never returns the value', async () => {
    const r = await call('POST', '/v1/secrets', { json: { name: 'API_KEY', value: VALUE_1 } });
    expect(r.status).toBe(201);
    expect(r.text).not.toContain(VALUE_1);
    expect(r.body.ok).toBe(true);
    expect(r.body.warning).toBeUndefined();
    expect(r.body.secret).toMatchObject({
      name: 'API_KEY',
      created_by: alice.id,
      updated_by: alice.id,
      last_accessed_at: null,
      integrations: [],
      logic_functions: [],
      usage_count: 0,
      version: 1,
    });
    expect(Object.keys(r.body.secret).sort()).toEqual(
      [
        'created_at', 'created_by', 'created_by_username', 'integrations', 'last_accessed_at', 'logic_functions', 'name', 'updated_at', 'updated_by', 'updated_by_username', 'usage_count', 'version',
        // Hush's additions: staged rotation and expiry.
        'pending', 'expires_at', 'rotation_period_days', 'expired', 'expires_in_days',
      ].sort(),
    );
  });

  it('refuses a second POST of the same name', async () => {
    const r = await call('POST', '/v1/secrets', { json: { name: 'API_KEY', value: VALUE_2 } });
    expect(r.status).toBe(400);
    expect(r.body).toEqual({ ok: false, error: 'Failed to create secret: Name already in use', field: 'name' });
  });

  it('lists and gets', async () => {
    const list = await call('GET', '/v1/secrets');
    expect(list.status).toBe(200);
    expect(list.body.secrets.map((x: { name: string }) => x.name)).toEqual(['API_KEY']);
    const one = await call('GET', '/v1/secrets/API_KEY');
    expect(one.status).toBe(200);
    expect(one.body.secret.name).toBe('API_KEY');
    expect(one.text).not.toContain(VALUE_1);
  });

  it('answers 404 with the Particle body for an unknown name', async () => {
    const r = await call('GET', '/v1/secrets/NOPE');
    expect(r.status).toBe(404);
    expect(r.body).toEqual({ ok: false, error: "secret 'NOPE' not found" });
  });

  it.each([
    ['docs shape {value}', 'replacement-one-123', { value: 'replacement-one-123' }],
    ['CLI shape {secret:{value}}', 'replacement-two-456', { secret: { value: 'replacement-two-456' } }],
    ['named shape {name, value}', 'replacement-three-789', { name: 'API_KEY', value: 'replacement-three-789' }],
    ['wrapped named shape {secret:{name, value}}', 'replacement-four-000', { secret: { name: 'API_KEY', value: 'replacement-four-000' } }],
  ])('replaces with PUT, %s', async (_label, value, body) => {
    const before = (await call('GET', '/v1/secrets/API_KEY')).body.secret.version;
    const r = await call('PUT', '/v1/secrets/API_KEY', { json: body });
    expect(r.status).toBe(200);
    expect(r.body.secret.version).toBe(before + 1);
    expect(r.text).not.toContain(value);
    expect((await s.services.resolver.values(`user:${alice.id}`, ['API_KEY'])).API_KEY).toBe(value);
  });

  it('replaces with a form-encoded PUT carrying access_token', async () => {
    const r = await api(s.url, 'PUT', '/v1/secrets/API_KEY', { form: { value: 'form-value-abcdef', access_token: alice.token } });
    expect(r.status).toBe(200);
    expect(r.body.secret.name).toBe('API_KEY');
  });

  it('creates with PUT (upsert) and warns about short values', async () => {
    const r = await call('PUT', '/v1/secrets/SHORT', { json: { secret: { value: 'abc' } } });
    expect(r.status).toBe(200);
    expect(r.body.secret.version).toBe(1);
    expect(r.body.warning).toMatch(/shorter than 8 characters/);
  });

  it('accepts the CLI body shape form-encoded as particle-api-js encodes it (secret[value])', async () => {
    const r = await api(s.url, 'PUT', '/v1/secrets/FORM_NESTED', { token: alice.token, raw: 'secret%5Bvalue%5D=nested-form-value-1', contentType: 'application/x-www-form-urlencoded' });
    expect(r.status).toBe(200);
    expect(r.body.secret.name).toBe('FORM_NESTED');
    const p = await api(s.url, 'POST', '/v1/secrets', { token: alice.token, form: { 'secret[name]': 'FORM_NESTED_2', 'secret[value]': 'nested-form-value-2' } });
    expect(p.status).toBe(201);
    const values = await s.services.resolver.values(`user:${alice.id}`, ['FORM_NESTED', 'FORM_NESTED_2']);
    expect(values).toEqual({ FORM_NESTED: 'nested-form-value-1', FORM_NESTED_2: 'nested-form-value-2' });
  });

  it('never echoes a form body sent as `-d "$VALUE"` (the field name is the value)', async () => {
    const r = await api(s.url, 'PUT', '/v1/secrets/BARE', { token: alice.token, raw: 'bare-secret-value-9', contentType: 'application/x-www-form-urlencoded' });
    expect(r.status).toBe(400);
    expect(r.text).not.toContain('bare-secret-value-9');
    expect(r.body.error).toMatch(/send value=…/);
  });

  it('takes a form access_token alongside an Authorization header', async () => {
    const r = await call('PUT', '/v1/secrets/BOTH_TOKENS', { form: { value: 'both-tokens-value', access_token: alice.token } });
    expect(r.status).toBe(200);
    expect(r.body.secret.name).toBe('BOTH_TOKENS');
  });

  it('refuses an unpaired surrogate instead of silently storing U+FFFD', async () => {
    const r = await call('PUT', '/v1/secrets/SURROGATE', { raw: '{"value":"abcd\\ud800efgh"}' });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatch(/^Secret value must be valid UTF-8 text/);
    expect((await call('GET', '/v1/secrets/SURROGATE')).status).toBe(404);
  });

  it('counts characters for the short-value warning (four emoji are four characters)', async () => {
    const r = await call('PUT', '/v1/secrets/EMOJI', { json: { value: '😀😀😀😀' } });
    expect(r.status).toBe(200);
    expect(r.body.warning).toMatch(/shorter than 8 characters/);
  });

  it('answers an empty name and a restore of a missing secret plainly', async () => {
    expect((await call('POST', '/v1/secrets', { json: { name: '', value: 'some-value-123' } })).body).toEqual({ ok: false, error: 'Secret name is required' });
    const r = await call('POST', '/v1/secrets/NO_SUCH/versions/1/restore');
    expect(r.status).toBe(404);
    expect(r.body).toEqual({ ok: false, error: "secret 'NO_SUCH' not found" });
  });

  it('lists versions (metadata only) and restores an old one as a new version', async () => {
    const v = await call('GET', '/v1/secrets/API_KEY/versions');
    expect(v.status).toBe(200);
    const versions = v.body.versions as Array<{ version: number; current: boolean }>;
    expect(versions[0]).toMatchObject({ current: true });
    expect(versions.map((x) => x.version)).toEqual([...versions.map((x) => x.version)].sort((a, b) => b - a));
    const r = await call('POST', '/v1/secrets/API_KEY/versions/1/restore');
    expect(r.status).toBe(200);
    expect(r.body.secret.version).toBe(versions[0].version + 1);
    const values = await s.services.resolver.values(`user:${alice.id}`, ['API_KEY']);
    expect(values.API_KEY).toBe(VALUE_1);
    expect((await call('POST', '/v1/secrets/API_KEY/versions/999/restore')).status).toBe(404);
    expect((await call('POST', '/v1/secrets/API_KEY/versions/zero/restore')).body).toEqual({ ok: false, error: "version must be a positive whole number, got 'zero'" });
  });

  it.each([
    ['lower', 'lower_case'],
    ['digit first', '1ABC'],
    ['dash', 'A-B'],
    ['space', 'A B'],
    ['unicode', 'ÄPI'],
    ['too long', 'A'.repeat(129)],
  ])('refuses an invalid name (%s)', async (_label, name) => {
    const r = await call('POST', '/v1/secrets', { json: { name, value: 'some-value-123' } });
    expect(r.status).toBe(400);
    expect(r.body.ok).toBe(false);
    expect(r.body.error).toMatch(/Secret name (may contain only uppercase letters|must be at most 128)/);
    const p = await call('PUT', `/v1/secrets/${encodeURIComponent(name)}`, { json: { value: 'some-value-123' } });
    expect(p.status).toBe(400);
  });

  it('accepts a name of exactly 128 characters and underscore-first names', async () => {
    expect((await call('PUT', `/v1/secrets/${'A'.repeat(128)}`, { json: { value: 'long-name-value' } })).status).toBe(200);
    expect((await call('PUT', '/v1/secrets/_X1', { json: { value: 'underscore-value' } })).status).toBe(200);
  });

  it('refuses empty, non-string and oversized values', async () => {
    expect((await call('PUT', '/v1/secrets/EMPTY', { json: { value: '' } })).body).toEqual({ ok: false, error: 'Secret value must not be empty' });
    expect((await call('PUT', '/v1/secrets/NUM', { json: { value: 12345678 } })).body).toEqual({ ok: false, error: 'secret value must be a string' });
    const big = await call('PUT', '/v1/secrets/BIG', { json: { value: 'x'.repeat(64 * 1024 + 1) } });
    expect(big.status).toBe(400);
    expect(big.body.error).toBe('Secret value must be at most 64 KiB');
    expect((await call('PUT', '/v1/secrets/NOVALUE', { json: {} })).body).toEqual({ ok: false, error: 'value is required' });
  });

  it('refuses a body whose name contradicts the URL', async () => {
    const r = await call('PUT', '/v1/secrets/API_KEY', { json: { name: 'OTHER', value: 'abcdefghij' } });
    expect(r.status).toBe(400);
    expect(r.body.error).toBe("body names secret 'OTHER' but the URL names 'API_KEY'");
  });

  it("keeps tenants apart: another user's secret is 404, never 401", async () => {
    const r = await api(s.url, 'GET', '/v1/secrets/API_KEY', { token: bob.token });
    expect(r.status).toBe(404);
    expect((await api(s.url, 'GET', '/v1/secrets', { token: bob.token })).body).toEqual({ secrets: [] });
    expect((await api(s.url, 'DELETE', '/v1/secrets/API_KEY', { token: bob.token })).status).toBe(404);
  });

  it('deletes with 204 and no body, then 404', async () => {
    const r = await call('DELETE', '/v1/secrets/SHORT');
    expect(r.status).toBe(204);
    expect(r.text).toBe('');
    expect((await call('DELETE', '/v1/secrets/SHORT')).status).toBe(404);
  });

  it('refuses to delete a secret that is in use, naming the users', async () => {
    await call('PUT', '/v1/secrets/USED', { json: { value: 'used-value-123' } });
    await s.services.store.db
      .insertInto('secret_usages')
      .values({ owner: `user:${alice.id}`, secret_name: 'USED', consumer_type: 'integration', consumer_id: 'abc', consumer_name: 'Temp hook', product_slug: null })
      .execute();
    const r = await call('DELETE', '/v1/secrets/USED');
    expect(r.status).toBe(400);
    expect(r.body.error).toBe("Secret USED is in use by integrations or Logic Functions and cannot be deleted: integration 'Temp hook'");
    const got = await call('GET', '/v1/secrets/USED');
    expect(got.body.secret.integrations).toEqual([{ id: 'abc', name: 'Temp hook' }]);
    expect(got.body.secret.usage_count).toBe(1);
  });

  it('records an audit trail without values', async () => {
    const r = await call('GET', '/v1/audit');
    expect(r.status).toBe(200);
    const actions = r.body.audit.map((e: { action: string }) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['secret.create', 'secret.replace', 'secret.restore', 'secret.delete']));
    expect(r.text).not.toContain(VALUE_1);
    expect(r.body.audit[0].actor).toEqual({ id: alice.id, username: alice.email });
  });

  it('never writes a value into the server log', () => {
    const log = s.logLines.join('\n');
    for (const v of [VALUE_1, VALUE_2, 'replacement-one-123', 'form-value-abcdef', 'nested-form-value-1', 'bare-secret-value-9', alice.token]) expect(log).not.toContain(v);
  });
});
