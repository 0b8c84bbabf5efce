import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../support/pg-fns.ts';
import { api, startTestServer, type TestServer } from '../support/test-server.ts';

type User = Awaited<ReturnType<TestServer['user']>>;
const DEVICE = 'a1b2c3d4e5f60718293a4b5c';

describe.each(testDialects())('removing a device from a product (%s)', (dialect) => {
  let s: TestServer;
  let a: User;
  let b: User;
  beforeAll(async () => {
    s = await startTestServer({ dialect });
    [a, b] = [await s.user(), await s.user()];
  }, 120_000);
  afterAll(async () => s?.close());

  it('DELETE /v1/products/:p/devices/:d takes the device out; publishing as it is then refused', async () => {
    const product = (await api(s.url, 'POST', '/v1/user/products', { token: a.token, json: { name: 'Removal' } })).body.product as { id: number; slug: string };
    expect((await api(s.url, 'POST', `/v1/products/${product.slug}/devices`, { token: a.token, json: { id: DEVICE } })).status).toBe(200);
    const asDevice = { token: a.token, json: { name: 'temp', data: '1', as_device_id: DEVICE } };
    expect((await api(s.url, 'POST', `/v1/products/${product.id}/events`, asDevice)).status).toBe(200);

    // Another user cannot see the product, so cannot remove its devices.
    expect((await api(s.url, 'DELETE', `/v1/products/${product.id}/devices/${DEVICE}`, { token: b.token })).status).toBe(404);

    const removed = await api(s.url, 'DELETE', `/v1/products/${product.id}/devices/${DEVICE.toUpperCase()}`, { token: a.token });
    expect(removed.status).toBe(204);
    expect((await api(s.url, 'GET', `/v1/products/${product.id}/devices`, { token: a.token })).body.devices).toEqual([]);
    const refused = await api(s.url, 'POST', `/v1/products/${product.id}/events`, asDevice);
    expect(refused.status).toBe(400);
    expect(refused.body.error).toBe(`device '${DEVICE}' does not belong to this product`);

    const again = await api(s.url, 'DELETE', `/v1/products/${product.id}/devices/${DEVICE}`, { token: a.token });
    expect(again.status).toBe(404);
    expect(again.body).toEqual({ ok: false, error: `device '${DEVICE}' is not in product '${product.slug}'` });
    // It can be added back.
    expect((await api(s.url, 'POST', `/v1/products/${product.id}/devices`, { token: a.token, json: { ids: [DEVICE] } })).body).toEqual({ ok: true, updated: 1 });
  });

  it('a view-only member may not remove a device (audited denial)', async () => {
    const org = await s.services.orgs.create(`rm-${dialect}`, 'Removers', a.email);
    await s.services.orgs.setMember(await s.services.orgs.operatorScope(org.slug), b.email, 'view-only');
    const product = (await api(s.url, 'POST', `/v1/orgs/${org.slug}/products`, { token: a.token, json: { name: 'Org product' } })).body.product as { id: number };
    await api(s.url, 'POST', `/v1/products/${product.id}/devices`, { token: a.token, json: { id: DEVICE.replace('a1', 'b2') } });
    const denied = await api(s.url, 'DELETE', `/v1/products/${product.id}/devices/${DEVICE.replace('a1', 'b2')}`, { token: b.token });
    expect(denied.status).toBe(403);
    expect((await api(s.url, 'GET', `/v1/products/${product.id}/devices`, { token: a.token })).body.devices).toHaveLength(1);
  });
});
