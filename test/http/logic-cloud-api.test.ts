import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../support/pg-fns.ts';
import { api, startTestServer, type TestServer } from '../support/test-server.ts';
import { until } from '../support/until-fns.ts';

const DEVICES = ['0a1b2c3d4e5f60718293a4b5', '0a1b2c3d4e5f60718293a4b6'];
const STRANGER_DEVICE = '0ffeeddccbbaa99887766554';

type User = Awaited<ReturnType<TestServer['user']>>;
type Result = { status: string; err?: string; logs: Array<{ args: unknown[] }> };

describe.each(testDialects())('particle:core cloud API helpers (%s)', (dialect) => {
  let s: TestServer;
  let hookId = '';
  let u: User;
  let bob: User;
  let pid = 0;
  let bobPid = 0;
  const org = `capi-${dialect}`;
  const call = (method: string, path: string, opts: Parameters<typeof api>[3] = {}) => api(s.url, method, path, { token: u.token, ...opts });
  const execute = async (code: string, path = '/v1/logic/execute'): Promise<Result> => {
    const r = await call('POST', path, { json: { event: { event_name: 'test_event', product_id: pid, device_id: DEVICES[0], event_data: '' }, source: { type: 'JavaScript', code } } });
    expect(r.status, r.text).toBe(200);
    return r.body.result;
  };
  /** Runs `expr` and logs its status and body as JSON. */
  const answer = async (expr: string, path?: string) => {
    const r = await execute(`import Particle from 'particle:core';\nexport default function () { const r = ${expr}; console.log(JSON.stringify({ status: r.status, body: r.body })); }`, path);
    expect(r.err, expr).toBeUndefined();
    return JSON.parse(r.logs[0]?.args[0] as string) as { status: number; body: Record<string, unknown> };
  };

  beforeAll(async () => {
    s = await startTestServer({ dialect });
    [u, bob] = await Promise.all([s.user(), s.user()]);
    pid = (await call('POST', '/v1/user/products', { json: { name: 'Fleet', slug: `capi-fleet-${dialect}` } })).body.product.id;
    expect((await call('POST', `/v1/products/${pid}/devices`, { json: { ids: DEVICES } })).status).toBe(200);
    bobPid = (await api(s.url, 'POST', '/v1/user/products', { token: bob.token, json: { name: 'Bob', slug: `capi-bob-${dialect}` } })).body.product.id;
    await api(s.url, 'POST', `/v1/products/${bobPid}/devices`, { token: bob.token, json: { id: STRANGER_DEVICE } });
    const hook = await call('POST', `/v1/products/${pid}/integrations`, { json: { event: 'fleet-alert', url: 'https://example.com/hook' } });
    expect(hook.status, hook.text).toBe(201);
    hookId = hook.body.id;
    await s.services.orgs.create(org, 'Cloud API org', u.email);
  }, 60_000);
  afterAll(async () => s?.stop());

  it('answers listDevices in the sync style (an offline-device monitor as Particle publishes it), deployed and executed', async () => {
    const code = `import Particle from 'particle:core';
export default function monitor({ event }) {
  const res = Particle.listDevices(event.productId);
  if (res.status !== 200) throw new Error('listDevices failed: ' + res.status);
  const ids = res.body.devices.map((d) => d.id);
  console.log(ids.length, ids.join(','));
}`;
    const rest = await call('GET', `/v1/products/${pid}/devices`);
    const direct = await answer(`Particle.listDevices(${pid})`);
    expect(direct).toEqual({ status: 200, body: rest.body });
    const executed = await execute(code);
    expect(executed.logs[0]?.args).toEqual([2, DEVICES.join(',')]);
    const fn = await call('POST', '/v1/logic/functions', { json: { logic_function: { name: 'monitor', source: { type: 'JavaScript', code }, logic_triggers: [{ type: 'Event', event_name: 'check', product_id: pid }] } } });
    expect(fn.status, fn.text).toBe(201);
    const id = fn.body.logic_function.id;
    await call('POST', `/v1/products/${pid}/events`, { json: { name: 'check', data: '' } });
    const run = await until(async () => (await call('GET', `/v1/logic/functions/${id}/runs`)).body.logic_runs[0]);
    expect(run.status).toBe('Success');
    expect((await call('GET', `/v1/logic/functions/${id}/runs/${run.id}/logs`)).body.logs[0].args).toEqual([2, DEVICES.join(',')]);
  });

  it('also works awaited, with .then, and as a named import', async () => {
    const r = await execute(`import Particle, { getProduct } from 'particle:core';
export default async function main() {
  const awaited = await Particle.listDevices('capi-fleet-${dialect}');
  console.log(awaited.status, awaited.body.devices.length, typeof awaited.then);
  await Particle.getProduct(${pid}).then((p) => console.log('then', p.body.product.id));
  console.log('named', getProduct(${pid}).body.product.slug, JSON.stringify(Object.keys(getProduct(${pid}))));
}`);
    expect(r.err).toBeUndefined();
    expect(r.logs.map((l) => l.args)).toEqual([[200, 2, 'undefined'], ['then', pid], ['named', `capi-fleet-${dialect}`, '["status","body"]']]);
  });

  it('answers the bodies the REST API gives the owner', async () => {
    expect(await answer(`Particle.getProduct(${pid})`)).toEqual({ status: 200, body: (await call('GET', `/v1/products/${pid}`)).body });
    expect(await answer('Particle.listProducts()')).toEqual({ status: 200, body: (await call('GET', '/v1/user/products')).body });
    expect(await answer('Particle.listUserProducts()')).toEqual({ status: 200, body: (await call('GET', '/v1/user/products')).body });
    expect(await answer(`Particle.listIntegrations(${pid})`)).toEqual({ status: 200, body: (await call('GET', `/v1/products/${pid}/integrations`)).body });
    expect(await answer(`Particle.getIntegration(${pid}, '${hookId}')`)).toEqual({ status: 200, body: (await call('GET', `/v1/products/${pid}/integrations/${hookId}`)).body });
    expect(await answer(`Particle.getDevice('${DEVICES[1]}')`)).toEqual({ status: 200, body: { id: DEVICES[1], product_id: pid } });
    // Hush keeps no vitals, locations or integration metrics: 404 in the API's error shape.
    for (const expr of [`Particle.getLastDeviceVitals('${DEVICES[0]}')`, `Particle.getDeviceLocation(${pid}, '${DEVICES[0]}')`, `Particle.integrationsMetrics(${pid}, { bucketSize: 60 })`]) {
      expect(await answer(expr)).toEqual({ status: 404, body: { ok: false, error: expect.stringMatching(/^Hush keeps no /) } });
    }
    // An org's function sees the org's products; the sandbox's function does not see the org.
    const orgProduct = await call('POST', `/v1/orgs/${org}/products`, { json: { name: 'Org fleet', slug: `capi-orgp-${dialect}` } });
    expect(orgProduct.status, orgProduct.text).toBe(201);
    const orgList = await answer(`Particle.listOrgProducts('${org}')`, `/v1/orgs/${org}/logic/execute`);
    expect(orgList).toEqual({ status: 200, body: (await call('GET', `/v1/orgs/${org}/products`)).body });
    expect((await answer(`Particle.getOrgProduct('${org}', 'capi-orgp-${dialect}')`, `/v1/orgs/${org}/logic/execute`)).body.product).toMatchObject({ slug: `capi-orgp-${dialect}` });
    expect((await answer(`Particle.listOrgProducts('${org}')`)).status).toBe(404);
  });

  it("never reaches another owner's data: it answers 404 as for what does not exist", async () => {
    for (const expr of [
      `Particle.listDevices(${bobPid})`, `Particle.listDevices('capi-bob-${dialect}')`, `Particle.getDevice('${STRANGER_DEVICE}')`, `Particle.getProduct(${bobPid})`,
      `Particle.listIntegrations(${bobPid})`, `Particle.getIntegration(${bobPid}, '${hookId}')`, `Particle.getLastDeviceVitals('${STRANGER_DEVICE}')`, `Particle.listDevices(999999)`,
    ]) {
      const r = await answer(expr);
      expect(r.status, expr).toBe(404);
      expect(r.body, expr).toEqual({ ok: false, error: expect.stringMatching(/ not found$/) });
    }
    const list = await answer('Particle.listProducts()');
    expect((list.body.products as Array<{ id: number }>).map((p) => p.id)).toEqual([pid]);
  });

  it('fails the run on bad arguments, and bounds the calls per run', async () => {
    for (const [expr, err] of [
      ['Particle.listDevices()', 'TypeError: Particle.listDevices: argument 1 must be a product ID or slug'],
      ['Particle.getDevice(42)', 'TypeError: Particle.getDevice: argument 1 must be a device ID (24 hexadecimal characters)'],
      [`Particle.listDevices(${pid}, 'sorted')`, 'TypeError: Particle.listDevices: argument 2 must be an object'],
      ['Particle.getIntegration(1)', 'TypeError: Particle.getIntegration: argument 2 must be an ID (a string)'],
    ]) {
      const r = await execute(`import Particle from 'particle:core';\nexport default function () { ${expr}; }`);
      expect(r.status, expr).toBe('Failure');
      expect(r.err, expr).toBe(err);
    }
    const many = await execute(`import Particle from 'particle:core';\nexport default function () { for (let i = 0; i < 60; i++) Particle.listProducts(); }`);
    expect(many.err).toBe('Error: Particle cloud API helpers: the limit of 50 calls per run is exceeded');
  });
});
