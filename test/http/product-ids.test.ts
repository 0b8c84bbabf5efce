import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../support/pg-fns.ts';
import { api, startTestServer, type TestServer } from '../support/test-server.ts';

type User = Awaited<ReturnType<TestServer['user']>>;

describe.each(testDialects())('product and organization ids are never shadowed by a slug (%s)', (dialect) => {
  let s: TestServer;
  let a: User;
  let b: User;
  beforeAll(async () => {
    s = await startTestServer({ dialect });
    [a, b] = [await s.user(), await s.user()];
  }, 120_000);
  afterAll(async () => s?.close());

  it('an all-digit product slug is refused, so B cannot take A\'s id', async () => {
    const mine = await api(s.url, 'POST', '/v1/user/products', { token: a.token, json: { name: 'A product' } });
    expect(mine.status).toBe(201);
    const id = String(mine.body.product.id);
    const squat = await api(s.url, 'POST', '/v1/user/products', { token: b.token, json: { name: 'Squat', slug: id } });
    expect(squat.status).toBe(400);
    expect(squat.body).toEqual({ ok: false, error: `product slug '${id}' must not be all digits (it would read as a product id)` });
    const got = await api(s.url, 'GET', `/v1/products/${id}`, { token: a.token });
    expect(got.status).toBe(200);
    expect(got.body.product.id).toBe(mine.body.product.id);
  });

  it('an id is resolved before a slug, even for a digit slug stored earlier', async () => {
    const mine = await api(s.url, 'POST', '/v1/user/products', { token: a.token, json: { name: 'A second' } });
    const id = mine.body.product.id as number;
    // A row written before digit slugs were refused: B's product whose slug is A's id.
    await s.services.store.db
      .insertInto('products')
      .values({ owner: `user:${b.id}`, slug: String(id), name: 'legacy', created_at: new Date().toISOString() })
      .execute();
    const asA = await api(s.url, 'GET', `/v1/products/${id}`, { token: a.token });
    expect(asA.status).toBe(200);
    expect(asA.body.product.name).toBe('A second');
    const publish = await api(s.url, 'POST', `/v1/products/${id}/events`, { token: a.token, form: { name: 'ping', data: 'x' } });
    expect(publish.status).toBe(200);
    expect((await api(s.url, 'GET', `/v1/products/${id}`, { token: b.token })).status).toBe(404);
  });

  it('an organization slug shaped like an organization id is refused, and ids resolve first', async () => {
    const org = await s.services.orgs.create('ids-org', 'Ids', a.email);
    await expect(s.services.orgs.create(org.id, 'Squat', b.email)).rejects.toThrow(/must not look like an organization id/);
    // A legacy row whose slug equals the first organization's id.
    await s.services.store.db.insertInto('orgs').values({ id: 'f'.repeat(24), slug: org.id, name: 'legacy', created_at: new Date().toISOString() }).execute();
    const r = await api(s.url, 'GET', `/v1/orgs/${org.id}/products`, { token: a.token });
    expect(r.status).toBe(200);
  });
});
