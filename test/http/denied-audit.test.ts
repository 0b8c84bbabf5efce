import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../support/pg-fns.ts';
import { api, startTestServer, type TestServer } from '../support/test-server.ts';

type User = Awaited<ReturnType<TestServer['user']>>;
interface AuditItem {
  actor: { id: string };
  action: string;
  target: string;
  outcome: string;
  detail: string | null;
}

// Every route family that changes something refuses a view-only member with 403 and
// records the refused attempt in the organization's audit trail (services check
// permissions through one audited path).
describe.each(testDialects())('denied writes are audited (%s)', (dialect) => {
  let s: TestServer;
  let admin: User;
  let viewer: User;
  let productId = 0;
  let hookId = '';
  let fnId = '';
  const as = (u: User, method: string, path: string, opts: Parameters<typeof api>[3] = {}) => api(s.url, method, path, { token: u.token, ...opts });

  beforeAll(async () => {
    s = await startTestServer({ dialect });
    [admin, viewer] = [await s.user(), await s.user()];
    await s.services.orgs.create('acme', 'Acme Inc', admin.email);
    await s.services.orgs.setMember(await s.services.orgs.operatorScope('acme'), viewer.email, 'view-only');
    const p = await as(admin, 'POST', '/v1/orgs/acme/products', { json: { name: 'Widgets', slug: `widgets-${dialect}` } });
    expect(p.status).toBe(201);
    productId = p.body.product.id;
    const h = await as(admin, 'POST', '/v1/orgs/acme/integrations', { json: { event: 'temp', url: 'http://127.0.0.1:9/hook', requestType: 'POST' } });
    expect(h.status).toBe(201);
    hookId = h.body.id;
    const f = await as(admin, 'POST', '/v1/orgs/acme/logic/functions', { json: { logic_function: { name: 'f1', source: { code: 'export default function () {}' } } } });
    expect(f.status).toBe(201);
    fnId = f.body.logic_function.id;
  });
  afterAll(async () => s?.stop());

  it('each refused write answers 403 and leaves a denied entry naming the viewer', async () => {
    const attempts: Array<[family: string, method: string, path: string, opts: Parameters<typeof api>[3], action: string]> = [
      ['products', 'POST', '/v1/orgs/acme/products', { json: { name: 'Gadgets' } }, 'product.create'],
      ['products', 'POST', `/v1/products/${productId}/devices`, { json: { id: '0123456789abcdef01234567' } }, 'device.add'],
      ['events', 'POST', '/v1/orgs/acme/events', { json: { name: 'temp', data: '21' } }, 'event.publish'],
      ['events', 'POST', `/v1/products/${productId}/events`, { json: { name: 'temp', data: '21' } }, 'event.publish'],
      ['integrations', 'POST', '/v1/orgs/acme/integrations', { json: { event: 'x', url: 'http://127.0.0.1:9/x' } }, 'integration.create'],
      ['integrations', 'PUT', `/v1/orgs/acme/integrations/${hookId}`, { json: { event: 'x', url: 'http://127.0.0.1:9/x' } }, 'integration.replace'],
      ['integrations', 'DELETE', `/v1/orgs/acme/webhooks/${hookId}`, {}, 'integration.delete'],
      ['integrations', 'POST', `/v1/orgs/acme/integrations/${hookId}/test`, { json: {} }, 'integration.test'],
      ['logic', 'POST', '/v1/orgs/acme/logic/functions', { json: { logic_function: { name: 'f2', source: { code: 'export default function () {}' } } } }, 'logic.create'],
      ['logic', 'PUT', `/v1/orgs/acme/logic/functions/${fnId}`, { json: { logic_function: { name: 'f1b' } } }, 'logic.update'],
      ['logic', 'DELETE', `/v1/orgs/acme/logic/functions/${fnId}`, {}, 'logic.delete'],
      ['logic', 'POST', '/v1/orgs/acme/logic/execute', { json: { source: { code: 'export default function () {}' } } }, 'logic.execute'],
      ['secrets', 'PUT', '/v1/orgs/acme/secrets/API_KEY', { json: { value: 'viewer-typed-value' } }, 'secret.replace'],
      ['members', 'POST', '/v1/orgs/acme/members', { json: { username: admin.email, role: 'view-only' } }, 'member.set'],
      ['members', 'DELETE', `/v1/orgs/acme/members/${encodeURIComponent(admin.email)}`, {}, 'member.remove'],
    ];
    for (const [family, method, path, opts, action] of attempts) {
      const r = await as(viewer, method, path, opts);
      expect({ family, path, status: r.status, ok: r.body?.ok }).toEqual({ family, path, status: 403, ok: false });
      const trail: AuditItem[] = (await as(admin, 'GET', '/v1/orgs/acme/audit')).body.audit;
      expect({ family, path, entry: trail[0] }).toMatchObject({ family, path, entry: { actor: { id: viewer.id }, action, outcome: 'denied', detail: 'role view-only' } });
    }
    // Nothing was changed by the refused attempts.
    expect((await as(admin, 'GET', `/v1/orgs/acme/integrations/${hookId}`)).status).toBe(200);
    expect((await as(admin, 'GET', `/v1/orgs/acme/logic/functions/${fnId}`)).body.logic_function.name).toBe('f1');
    expect((await as(admin, 'GET', '/v1/orgs/acme/products')).body.products).toHaveLength(1);
  });
});
