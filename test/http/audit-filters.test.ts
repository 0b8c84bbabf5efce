import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../support/pg-fns.ts';
import { api, startTestServer, type TestServer } from '../support/test-server.ts';

type User = Awaited<ReturnType<TestServer['user']>>;
interface AuditItem {
  id: string;
  created_at: string;
  actor: { id: string; username: string | null };
  action: string;
  target: string;
  outcome: string;
}

// The audit trail's filters (#16 item 10): actor (id or email), action or action family,
// part of the target in any case, outcome and a time range, combined, newest first, paged.
describe.each(testDialects())('audit trail filters (%s)', (dialect) => {
  let s: TestServer;
  let admin: User;
  let viewer: User;
  let between = '';
  const as = (u: User, method: string, path: string, opts: Parameters<typeof api>[3] = {}) => api(s.url, method, path, { token: u.token, ...opts });
  const audit = async (query: string): Promise<AuditItem[]> => {
    const r = await as(admin, 'GET', `/v1/orgs/acme/audit?${query}`);
    expect(r.status, r.text).toBe(200);
    return r.body.audit;
  };

  beforeAll(async () => {
    s = await startTestServer({ dialect });
    [admin, viewer] = [await s.user(), await s.user()];
    await s.services.orgs.create('acme', 'Acme Inc', admin.email);
    await s.services.orgs.setMember(await s.services.orgs.operatorScope('acme'), viewer.email, 'view-only');
    for (const name of ['API_KEY', 'DB_PASSWORD', 'MQTT_100_TOKEN']) {
      expect((await as(admin, 'PUT', `/v1/orgs/acme/secrets/${name}`, { json: { value: `v-${name}` } })).status).toBe(200);
    }
    const entries = await audit('');
    between = entries[0]!.created_at;
    // Later than every entry so far, whatever the clock's resolution.
    while (new Date().toISOString() <= between) await new Promise((r) => setImmediate(r));
    expect((await as(admin, 'PUT', '/v1/orgs/acme/secrets/API_KEY', { json: { value: 'v2' } })).status).toBe(200);
    expect((await as(viewer, 'PUT', '/v1/orgs/acme/secrets/API_KEY', { json: { value: 'nope' } })).status).toBe(403);
    const h = await as(admin, 'POST', '/v1/orgs/acme/integrations', { json: { event: 'temp', url: 'http://127.0.0.1:9/hook', requestType: 'POST' } });
    expect(h.status).toBe(201);
  });
  afterAll(async () => s?.stop());

  it('filters by action, by family and by outcome', async () => {
    expect((await audit('action=secret.replace')).map((e) => [e.target, e.outcome])).toEqual([['API_KEY', 'denied'], ['API_KEY', 'ok']]);
    const secrets = await audit('action=secret');
    expect(secrets.every((e) => e.action.startsWith('secret.'))).toBe(true);
    expect(secrets).toHaveLength(5);
    expect((await audit('action=integration')).map((e) => e.action)).toEqual(['integration.create']);
    expect((await audit('outcome=denied')).map((e) => [e.action, e.actor.id])).toEqual([['secret.replace', viewer.id]]);
  });

  it('filters by actor id or email, target in any case (wildcards literal), and time', async () => {
    expect((await audit(`actor=${viewer.id}`)).map((e) => e.outcome)).toEqual(['denied']);
    expect((await audit(`actor=${encodeURIComponent(viewer.email.toUpperCase())}`)).map((e) => e.outcome)).toEqual(['denied']);
    expect(await audit('actor=nobody%40example.com')).toEqual([]);
    expect(new Set((await audit('target=api_k')).map((e) => e.target))).toEqual(new Set(['API_KEY']));
    expect(await audit('target=%25')).toEqual([]);
    expect(await audit('target=_')).not.toEqual([]); // names with an underscore, not "any character"
    expect((await audit(`target=${encodeURIComponent('API_')}&action=secret.create`)).map((e) => e.target)).toEqual(['API_KEY']);
    const later = await audit(`since=${encodeURIComponent(new Date(Date.parse(between) + 1).toISOString())}`);
    expect(later.map((e) => e.action)).toEqual(['integration.create', 'secret.replace', 'secret.replace']);
    const earlier = await audit(`until=${encodeURIComponent(between)}&action=secret`);
    expect(earlier.map((e) => e.target).sort()).toEqual(['API_KEY', 'DB_PASSWORD', 'MQTT_100_TOKEN']);
  });

  it('pages with before, filters kept', async () => {
    const first = await audit('action=secret&limit=2');
    const rest = await audit(`action=secret&limit=10&before=${first[1]!.id}`);
    expect([...first, ...rest].map((e) => e.id)).toEqual((await audit('action=secret')).map((e) => e.id));
  });

  it.each([
    ['action=Secret.Create', /action must be an action such as secret.create/],
    ['since=yesterday', /since/],
    ['outcome=maybe', /outcome/],
    ['limit=0', /limit/],
  ])('refuses %s with a 400 in the Particle error shape', async (query, message) => {
    const r = await as(admin, 'GET', `/v1/orgs/acme/audit?${query}`);
    expect(r.status).toBe(400);
    expect(r.body.ok).toBe(false);
    expect(String(r.body.error)).toMatch(message);
  });
});
