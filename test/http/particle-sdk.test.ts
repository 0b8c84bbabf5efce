import Particle from 'particle-api-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.ts';

type User = Awaited<ReturnType<TestServer['user']>>;

/** What the SDK rejects with on a non-2xx reply (`sdk: src/Agent.ts` `_promiseResponse`). */
interface SdkError {
  statusCode: number;
  shortErrorDescription?: string;
  /** The parsed error body (the SDK also hangs the raw `response` on it; dropped here). */
  body: Record<string, unknown>;
}
const failureOf = async (p: Promise<unknown>): Promise<SdkError> => {
  try {
    await p;
  } catch (e) {
    const err = e as SdkError;
    const { response: _response, ...body } = err.body;
    return { statusCode: err.statusCode, shortErrorDescription: err.shortErrorDescription, body };
  }
  throw new Error('expected the SDK call to fail');
};

/** `particle.request` typed for JSON replies (its declared type also allows an ArrayBuffer). */
const request = (p: Particle, args: Parameters<Particle['request']>[0]) => p.request(args) as Promise<{ statusCode: number; body: any }>;

describe('the published particle-api-js SDK against Hush', () => {
  let s: TestServer;
  let alice: User;
  let particle: Particle;
  let cli: Particle;

  beforeAll(async () => {
    s = await startTestServer();
    alice = await s.user();
    particle = new Particle({ baseUrl: s.url });
    // How particle-cli builds its client (spec §1.2).
    cli = new Particle({ baseUrl: s.url, clientId: 'particle-cli', clientSecret: 'particle-cli', tokenDuration: 7776000 });
  });
  afterAll(async () => s?.stop());

  it('logs in with login({username, password})', async () => {
    const r = await particle.login({ username: alice.email, password: alice.password });
    expect(r.statusCode).toBe(200);
    expect(r.body.access_token).toMatch(/^[0-9a-f]{40}$/);
    expect(r.body.token_type).toBe('bearer');
    expect(r.body.expires_in).toBe(7776000);
    const viaCli = await cli.login({ username: alice.email, password: alice.password, tokenDuration: 0 });
    expect(viaCli.body.expires_in).toBe(0);
    const cur = await request(cli, { uri: '/v1/access_tokens/current', method: 'get', auth: viaCli.body.access_token });
    expect(cur.body).toMatchObject({ client_id: 'particle-cli', expires_at: null });
  });

  it('reports bad credentials the way the CLI prints them', async () => {
    const e = await failureOf(particle.login({ username: alice.email, password: 'not the password' }));
    expect(e.statusCode).toBe(400);
    expect(e.shortErrorDescription).toBe('User credentials are invalid');
    expect(e.body).toEqual({ ok: false, error: 'invalid_grant', error_description: 'User credentials are invalid' });
  });

  it('getUserInfo returns the username', async () => {
    const { body } = await particle.login({ username: alice.email, password: alice.password });
    const r = await particle.getUserInfo({ auth: body.access_token });
    expect(r.statusCode).toBe(200);
    expect(r.body).toMatchObject({ username: alice.email });
  });

  it('lists, sets (CLI body), gets and deletes secrets through request()', async () => {
    const auth = (await cli.login({ username: alice.email, password: alice.password })).body.access_token;
    const empty = await request(cli, { uri: '/v1/secrets', method: 'get', auth });
    expect(empty).toEqual({ statusCode: 200, body: { secrets: [] } });

    const set = await request(cli, { uri: '/v1/secrets/SDK_KEY', method: 'put', auth, data: { secret: { value: 'sdk-secret-value-1' } } });
    expect(set.statusCode).toBe(200);
    expect(set.body).toMatchObject({ ok: true, secret: { name: 'SDK_KEY', version: 1, integrations: [], logic_functions: [], last_accessed_at: null } });
    expect(JSON.stringify(set.body)).not.toContain('sdk-secret-value-1');

    const replaced = await request(cli, { uri: '/v1/secrets/SDK_KEY', method: 'put', auth, data: { secret: { value: 'sdk-secret-value-2' } } });
    expect(replaced.body).toMatchObject({ secret: { name: 'SDK_KEY', version: 2 } });
    expect(await s.services.resolver.values(`user:${alice.id}`, ['SDK_KEY'])).toEqual({ SDK_KEY: 'sdk-secret-value-2' });

    const list = await request(cli, { uri: '/v1/secrets', method: 'get', auth });
    expect(list.body.secrets.map((x: { name: string }) => x.name)).toEqual(['SDK_KEY']);
    const one = await request(cli, { uri: '/v1/secrets/SDK_KEY', method: 'get', auth });
    expect(one.body.secret.name).toBe('SDK_KEY');

    const del = await request(cli, { uri: '/v1/secrets/SDK_KEY', method: 'delete', auth });
    expect(del).toEqual({ statusCode: 204, body: {} });
    const missing = await failureOf(request(cli, { uri: '/v1/secrets/SDK_KEY', method: 'get', auth }));
    expect(missing.statusCode).toBe(404);
    expect(missing.body).toEqual({ ok: false, error: "secret 'SDK_KEY' not found" });
  });

  it('uses organization secrets through request()', async () => {
    await s.services.orgs.create('sdk-org', 'SDK Org', alice.email);
    const auth = (await particle.login({ username: alice.email, password: alice.password })).body.access_token;
    const set = await request(particle, { uri: '/v1/orgs/sdk-org/secrets/ORG_KEY', method: 'put', auth, data: { secret: { value: 'org-secret-value' } } });
    expect(set.statusCode).toBe(200);
    const list = await request(particle, { uri: '/v1/orgs/sdk-org/secrets', method: 'get', auth });
    expect(list.body.secrets.map((x: { name: string }) => x.name)).toEqual(['ORG_KEY']);
  });

  it('a request without a token fails with 401, which the CLI treats as logged out', async () => {
    const e = await failureOf(request(particle, { uri: '/v1/secrets', method: 'get' }));
    expect(e.statusCode).toBe(401);
    expect(e.body).toEqual({ ok: false, error: 'invalid_request', error_description: 'The access token was not found' });
  });

  it('deleteAccessToken revokes a token without sending one', async () => {
    const token = (await particle.login({ username: alice.email, password: alice.password })).body.access_token;
    expect((await particle.getUserInfo({ auth: token })).statusCode).toBe(200);
    const r = await particle.deleteAccessToken({ token });
    expect(r).toEqual({ statusCode: 200, body: { ok: true } });
    const e = await failureOf(particle.getUserInfo({ auth: token }));
    expect(e.statusCode).toBe(401);
    expect(e.shortErrorDescription).toBe('The access token provided is invalid.');
  });

  it('deleteCurrentAccessToken logs the current token out', async () => {
    const token = (await cli.login({ username: alice.email, password: alice.password })).body.access_token;
    const r = await cli.deleteCurrentAccessToken({ auth: token });
    expect(r).toEqual({ statusCode: 200, body: { ok: true } });
    expect((await failureOf(cli.getUserInfo({ auth: token }))).statusCode).toBe(401);
  });
});
