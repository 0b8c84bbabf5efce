import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../support/pg-fns.ts';
import { openSse } from '../support/sse-client.ts';
import { api, startTestServer, type TestServer } from '../support/test-server.ts';

describe.each(testDialects())('events: publish and subscribe (%s)', (dialect) => {
  let s: TestServer;
  let u: Awaited<ReturnType<TestServer['user']>>;
  beforeAll(async () => {
    s = await startTestServer({ dialect });
    u = await s.user();
  });
  afterAll(async () => s?.stop());

  it('streams a published event with the exact framing', async () => {
    const sse = await openSse(`${s.url}/v1/devices/events?nonce=123.4`, u.token);
    expect(sse.status).toBe(200);
    const r = await api(s.url, 'POST', '/v1/devices/events', { token: u.token, json: { name: 'temp', data: '21.5', private: true } });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ ok: true });
    const e = await sse.waitFor((x) => x.event === 'temp');
    expect(e.data).toMatchObject({ data: '21.5', ttl: 60, coreid: 'api', public: false });
    expect(Date.parse(e.data.published_at)).not.toBeNaN();
    expect(sse.comments[0]).toBe(':ok');
    sse.close();
  });

  it('filters by prefix and decodes %2F', async () => {
    const sse = await openSse(`${s.url}/v1/devices/events/${encodeURIComponent('a/b')}`, u.token);
    await api(s.url, 'POST', '/v1/devices/events', { token: u.token, form: { name: 'x/other', data: '1' } });
    await api(s.url, 'POST', '/v1/devices/events', { token: u.token, form: { name: 'a/b/c', data: '2' } });
    const e = await sse.waitFor((x) => x.event.startsWith('a/'));
    expect(e.event).toBe('a/b/c');
    expect(sse.events.map((x) => x.event)).not.toContain('x/other');
    sse.close();
  });

  it('requires a prefix on /v1/events', async () => {
    const r = await api(s.url, 'GET', '/v1/events', { token: u.token });
    expect(r.status).toBe(400);
    expect(r.body).toEqual({ ok: false, error: 'event prefix filter is required' });
  });

  it("does not leak another user's events", async () => {
    const other = await s.user();
    const sse = await openSse(`${s.url}/v1/devices/events`, other.token);
    await api(s.url, 'POST', '/v1/devices/events', { token: u.token, json: { name: 'private-thing', data: 'x' } });
    await api(s.url, 'POST', '/v1/devices/events', { token: other.token, json: { name: 'mine', data: 'y' } });
    await sse.waitFor((x) => x.event === 'mine');
    expect(sse.events.map((x) => x.event)).toEqual(['mine']);
    sse.close();
  });

  it('publishes to a product as one of its devices and streams it on the product path', async () => {
    const p = await api(s.url, 'POST', '/v1/user/products', { token: u.token, json: { name: 'Weather station', slug: `ws-${dialect}` } });
    expect(p.status).toBe(201);
    const device = 'aaaaaaaaaaaaaaaaaaaaaaaa';
    expect((await api(s.url, 'POST', `/v1/products/ws-${dialect}/devices`, { token: u.token, json: { id: device } })).status).toBe(200);
    const sse = await openSse(`${s.url}/v1/products/${p.body.product.id}/events`, u.token);
    const r = await api(s.url, 'POST', `/v1/products/ws-${dialect}/events`, { token: u.token, json: { name: 'reading', data: '7', as_device_id: device } });
    expect(r.status).toBe(200);
    const e = await sse.waitFor((x) => x.event === 'reading');
    expect(e.data).toMatchObject({ coreid: device, productID: p.body.product.id });
    sse.close();
  });

  it('streams /v1/orgs/:org/products/:p/events only for a product of that organization', async () => {
    const slug = `org-${dialect}`;
    await s.services.orgs.create(slug, 'Stream Org', u.email);
    const inOrg = await api(s.url, 'POST', `/v1/orgs/${slug}/products`, { token: u.token, json: { name: 'Org product', slug: `op-${dialect}` } });
    expect(inOrg.status).toBe(201);
    const sandboxProduct = await api(s.url, 'POST', '/v1/user/products', { token: u.token, json: { name: 'Mine', slug: `sp-${dialect}` } });
    expect(sandboxProduct.status).toBe(201);
    const ok = await openSse(`${s.url}/v1/orgs/${slug}/products/op-${dialect}/events`, u.token);
    expect(ok.status).toBe(200);
    ok.close();
    const elsewhere = await api(s.url, 'GET', `/v1/orgs/${slug}/products/sp-${dialect}/events`, { token: u.token });
    expect(elsewhere.status).toBe(404);
    expect(elsewhere.body).toEqual({ ok: false, error: `product 'sp-${dialect}' not found in organization '${slug}'` });
    const noOrg = await api(s.url, 'GET', `/v1/orgs/no-such-org/products/op-${dialect}/events`, { token: u.token });
    expect(noOrg.status).toBe(404);
    expect(noOrg.body.error).toMatch(/no-such-org/);
  });

  it('refuses bad publishes with 400', async () => {
    expect((await api(s.url, 'POST', '/v1/devices/events', { token: u.token, json: { data: 'x' } })).body).toEqual({ ok: false, error: 'event name is required' });
    expect((await api(s.url, 'POST', '/v1/devices/events', { token: u.token, form: { data: 'x' } })).status).toBe(400);
    expect((await api(s.url, 'POST', '/v1/devices/events', { token: u.token, json: { name: 'n', data: 'x'.repeat(20_000) } })).body.error).toBe('event data must be at most 16384 bytes');
    expect((await api(s.url, 'POST', '/v1/devices/events', { token: u.token, json: { name: 'n', data: 5 } })).status).toBe(400);
    expect((await api(s.url, 'POST', '/v1/devices/events', { token: u.token, json: { name: 'n', bogus: 1 } })).body.error).toMatch(/unknown field 'bogus'/);
  });
});
