import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../support/pg-fns.ts';
import { api, startTestServer, type TestServer } from '../support/test-server.ts';
import { until } from '../support/until-fns.ts';

const DEVICE = 'a1b2c3d4e5f60718293a4b5c';
const OTHER_DEVICE = 'a1b2c3d4e5f60718293a4b5d';
const STRANGER_DEVICE = 'ffeeddccbbaa998877665544';
const SECRET = 'sk_live_Ledger+Wr1te/é"value';

// Functions as Particle's docs write them (particle:core default import, the Ledger API, no await).
const CACHE_CODE = `import Particle from 'particle:core';
export default function cacheReading({ event }) {
  const ledger = Particle.ledger('device-cache');
  ledger.set({ [event.eventName]: JSON.parse(event.eventData), lastDevice: event.deviceId }, Particle.MERGE);
}`;
const SETTINGS_CODE = `import Particle from 'particle:core';
export default function checkThreshold({ event }) {
  const settings = Particle.ledger('device-settings', { deviceId: event.deviceId }).get();
  const reading = JSON.parse(event.eventData);
  console.log('threshold', settings.data.threshold ?? null, 'updated', settings.updatedAt !== null);
  if (settings.data.threshold !== undefined && reading.temp > settings.data.threshold) {
    Particle.publish('too-hot', JSON.stringify({ temp: reading.temp }), { productId: event.productId, asDeviceId: event.deviceId });
  }
}`;
const RECREATE_CODE = `import Particle from 'particle:core';
export default function reset() {
  const counter = Particle.ledger('counter');
  counter.delete();
  counter.set({ n: 1 });
  counter.set({ m: 2 }, 'Merge');
  console.log(JSON.stringify(counter.get().data));
}`;
const SUMMARY_CODE = `import Particle from 'particle:core';
export default function summarize({ scheduled }) {
  const { data } = Particle.ledger('readings').get();
  const values = Object.values(data);
  const sum = values.reduce((a, b) => a + b, 0);
  Particle.ledger('summary').set({ count: values.length, average: sum / values.length, at: scheduled.scheduledAt });
}`;

describe.each(testDialects())('Particle.ledger in Logic functions (%s)', (dialect) => {
  let s: TestServer;
  let u: Awaited<ReturnType<TestServer['user']>>;
  let bob: Awaited<ReturnType<TestServer['user']>>;
  let pid = 0;
  let bobPid = 0;
  let clock = Date.parse('2026-03-01T10:00:30Z');
  const call = (method: string, path: string, opts: Parameters<typeof api>[3] = {}) => api(s.url, method, path, { token: u.token, ...opts });
  const execute = async (code: string, event: Record<string, unknown> = {}, secrets: string[] = []) => {
    const r = await call('POST', '/v1/logic/execute', { json: { event: { event_name: 'test_event', product_id: 0, device_id: '', event_data: '', ...event }, source: { type: 'JavaScript', code }, secrets } });
    expect(r.status, r.text).toBe(200);
    return r.body.result as { status: string; err?: string; logs: Array<{ args: unknown[] }> };
  };
  const ledger = (name: string, scope: string, direction?: string) => call('POST', '/v1/ledgers', { json: { ledger: { name, scope, ...(direction ? { direction } : {}) } } });
  const instance = async (name: string, value: string) => call('GET', `/v1/ledgers/${name}/instances/${value}`);
  const deploy = async (name: string, code: string, triggers: unknown[], secrets: string[] = []) => {
    const r = await call('POST', '/v1/logic/functions', { json: { logic_function: { name, source: { type: 'JavaScript', code }, logic_triggers: triggers, secrets } } });
    expect(r.status, r.text).toBe(201);
    return r.body.logic_function.id as string;
  };
  const runsOf = async (id: string, n: number) =>
    until(async () => {
      const runs = (await call('GET', `/v1/logic/functions/${id}/runs`)).body.logic_runs as Array<{ id: string; status: string }>;
      return runs.length >= n ? runs : undefined;
    }, 20_000);
  const logsOf = async (id: string, runId: string) => (await call('GET', `/v1/logic/functions/${id}/runs/${runId}/logs`)).body.logs as Array<{ args: unknown[] }>;

  beforeAll(async () => {
    const realStart = Date.now();
    const base = clock;
    s = await startTestServer({ dialect, node: { now: () => new Date(base + (Date.now() - realStart) + (clock - base)), schedulerIntervalMs: 3_600_000 } });
    [u, bob] = await Promise.all([s.user(), s.user()]);
    pid = (await call('POST', '/v1/user/products', { json: { name: 'Sensors', slug: `lsensors-${dialect}` } })).body.product.id;
    expect((await call('POST', `/v1/products/${pid}/devices`, { json: { ids: [DEVICE, OTHER_DEVICE] } })).status).toBe(200);
    bobPid = (await api(s.url, 'POST', '/v1/user/products', { token: bob.token, json: { name: 'Other', slug: `lother-${dialect}` } })).body.product.id;
    await api(s.url, 'POST', `/v1/products/${bobPid}/devices`, { token: bob.token, json: { id: STRANGER_DEVICE } });
    expect((await call('PUT', '/v1/secrets/API_KEY', { json: { value: SECRET } })).status).toBe(200);
    for (const [name, scope, direction] of [
      ['device-cache', 'Owner'], ['device-settings', 'Device'], ['counter', 'Owner'], ['readings', 'Owner'], ['summary', 'Owner'],
      ['race', 'Owner'], ['per-product', 'Product'], ['uplink', 'Device', 'Upstream'], ['small', 'Owner', 'Downstream'], ['gone', 'Owner'],
    ] as const) {
      const r = await ledger(name, scope, direction);
      expect(r.status, r.text).toBe(201);
    }
    expect((await call('DELETE', '/v1/ledgers/gone')).status).toBe(200);
  }, 60_000);
  afterAll(async () => s?.stop());

  it('keeps an owner-scoped cache updated with MERGE on every event of a deployed function, audited as the function and its run', async () => {
    const id = await deploy('cache-readings', CACHE_CODE, [{ type: 'Event', event_name: 'temp', product_id: pid }, { type: 'Event', event_name: 'humidity', product_id: pid }]);
    expect((await call('POST', `/v1/products/${pid}/events`, { json: { name: 'temp', data: '{"c":21}', as_device_id: DEVICE } })).status).toBe(200);
    await runsOf(id, 1);
    expect((await call('POST', `/v1/products/${pid}/events`, { json: { name: 'humidity', data: '{"rh":40}', as_device_id: OTHER_DEVICE } })).status).toBe(200);
    const runs = await runsOf(id, 2);
    expect(runs.map((r) => r.status)).toEqual(['Success', 'Success']);
    const got = await instance('device-cache', u.id);
    expect(got.body.data).toEqual({ temp: { c: 21 }, humidity: { rh: 40 }, lastDevice: OTHER_DEVICE });
    expect(got.body.updated_by).toBe(`logic:${id}`); // the instance names its author, the function
    const audit = (await call('GET', '/v1/audit')).body.audit as Array<{ action: string; target: string; actor: { id: string }; detail: string }>;
    const sets = audit.filter((a) => a.action === 'ledger.set' && a.target === `device-cache/${u.id}`);
    expect(sets).toHaveLength(2);
    for (const a of sets) expect(a.actor.id).toBe(`logic:${id}`);
    for (const r of runs) expect(sets.some((a) => new RegExp(`^Merge, \\d+ bytes; Logic function ${id}, run ${r.id}$`).test(a.detail))).toBe(true);
  });

  it('reads a device-scoped settings ledger per event', async () => {
    expect((await call('PUT', `/v1/ledgers/device-settings/instances/${DEVICE}`, { json: { instance: { data: { threshold: 30 } } } })).status).toBe(200);
    const id = await deploy('check-threshold', SETTINGS_CODE, [{ type: 'Event', event_name: 'reading', product_id: pid }]);
    await call('POST', `/v1/products/${pid}/events`, { json: { name: 'reading', data: '{"temp":35}', as_device_id: DEVICE } });
    await runsOf(id, 1);
    await call('POST', `/v1/products/${pid}/events`, { json: { name: 'reading', data: '{"temp":35}', as_device_id: OTHER_DEVICE } });
    const runs = await runsOf(id, 2);
    const byOrder = [...runs].reverse();
    expect((await logsOf(id, byOrder[0]!.id))[0]?.args).toEqual(['threshold', 30, 'updated', true]);
    // A device without settings reads the empty instance Particle documents: { updatedAt: null, data: {} }.
    expect((await logsOf(id, byOrder[1]!.id))[0]?.args).toEqual(['threshold', null, 'updated', false]);
    // Without options the scope comes from the trigger (particle_core.d.ts).
    const implicit = await execute(`import Particle from 'particle:core';
      export default function () { console.log(Particle.ledger('device-settings').get().data.threshold); }`, { device_id: DEVICE, product_id: pid });
    expect(implicit).toMatchObject({ status: 'Success', logs: [{ args: [30] }] });
  });

  it('deletes and recreates an instance (a recreated instance starts again at version 1)', async () => {
    for (let i = 0; i < 2; i++) {
      const r = await execute(RECREATE_CODE);
      expect(r.err).toBeUndefined();
      expect(r.logs[0]?.args).toEqual(['{"n":1,"m":2}']);
    }
    const versions = await call('GET', `/v1/ledgers/counter/instances/${u.id}/versions`);
    expect(versions.body.versions.map((v: { data: unknown }) => v.data)).toEqual([{ n: 1 }]);
  });

  it('summarizes a ledger from a scheduled function', async () => {
    expect((await call('PUT', `/v1/ledgers/readings/instances/${u.id}`, { json: { instance: { data: { a: 10, b: 20, c: 60 } } } })).status).toBe(200);
    const id = await deploy('summarize', SUMMARY_CODE, [{ type: 'Scheduled', cron: '*/5 * * * *' }]);
    clock = Date.parse('2026-03-01T10:05:01Z');
    expect(await s.node.logic.scheduler.tick()).toBe(1);
    const [run] = await runsOf(id, 1);
    expect(run?.status).toBe('Success');
    expect((await instance('summary', u.id)).body.data).toEqual({ count: 3, average: 30, at: '2026-03-01T10:05:00.000Z' });
  });

  it('throws clear errors inside the run', async () => {
    const cases: Array<[string, Record<string, unknown>, RegExp]> = [
      [`Particle.ledger('no-such').get()`, {}, /^Error: Particle\.ledger\('no-such'\)\.get: ledger 'no-such' not found$/],
      [`Particle.ledger('gone').set({ a: 1 })`, {}, /^Error: Particle\.ledger\('gone'\)\.set: ledger 'gone' is archived$/],
      [`Particle.ledger('uplink', { deviceId: '${DEVICE}' }).set({ a: 1 })`, {}, /ledger 'uplink' is device-to-cloud/],
      [`Particle.ledger('device-settings').get()`, {}, /ledger 'device-settings' is device-scoped: pass \{ deviceId \}/],
      [`Particle.ledger('per-product').set({ a: 1 })`, {}, /ledger 'per-product' is product-scoped: pass \{ productId \}/],
      [`Particle.ledger('device-settings', { deviceId: '${STRANGER_DEVICE}' }).get()`, {}, /device '[0-9a-f]+' is not in one of your products/],
      [`Particle.ledger('per-product', { productId: ${bobPid} }).get()`, {}, new RegExp(`product '${bobPid}' is not one of yours`)],
      [`Particle.ledger('small').set({ big: 'x'.repeat(20000) })`, {}, /holds at most 16384 bytes per instance/],
      [`Particle.ledger('counter').set([1, 2, 3])`, {}, /the data must be a JSON object, got an array/],
      [`Particle.ledger('counter').set('text')`, {}, /the data must be a JSON object, got a string/],
    ];
    for (const [expr, event, err] of cases) {
      const r = await execute(`import Particle from 'particle:core';\nexport default function () { ${expr}; }`, event);
      expect(r.status, expr).toBe('Failure');
      expect(r.err, expr).toMatch(err);
    }
    // Reading a device-to-cloud ledger is allowed; a product ledger works with the owner's product.
    const ok = await execute(`import Particle from 'particle:core';
      export default function () { Particle.ledger('per-product', { productId: ${pid} }).set({ ok: 1 }); console.log(Particle.ledger('uplink', { deviceId: '${DEVICE}' }).get().updatedAt); }`);
    expect(ok).toMatchObject({ status: 'Success', logs: [{ args: [null] }] });
    expect((await instance('per-product', String(pid))).body.data).toEqual({ ok: 1 });
  });

  it('writes a secret value the function puts in a ledger, while audit and run logs stay masked', async () => {
    const r = await call('POST', '/v1/logic/execute', {
      json: {
        source: { code: `import Particle from 'particle:core';
          export default function ({ secrets }) {
            Particle.ledger('counter').set({ token: secrets.API_KEY }, Particle.MERGE);
            console.log('wrote', secrets.API_KEY);
            Particle.ledger(secrets.API_KEY.toLowerCase().slice(0, 8) + secrets.API_KEY).get();
          }` },
        secrets: ['API_KEY'],
      },
    });
    expect(r.body.result.status).toBe('Failure');
    expect(r.body.result.err).toMatch(/not found/);
    expect(r.text).not.toContain(SECRET);
    expect((await instance('counter', u.id)).body.data.token).toBe(SECRET);
    const audit = await call('GET', '/v1/audit');
    expect(audit.text).toContain('ledger.set');
    expect(audit.text).not.toContain(SECRET);
  });

  it('loses no key when 100 concurrent runs each MERGE their own key into one instance', async () => {
    const code = `import Particle from 'particle:core';
      export default function ({ event }) { Particle.ledger('race').set({ ['k' + event.eventData]: Number(event.eventData) }, Particle.MERGE); }`;
    const results = await Promise.all(Array.from({ length: 100 }, (_, i) => execute(code, { event_data: String(i) })));
    expect(results.filter((r) => r.status !== 'Success')).toEqual([]);
    const data = (await instance('race', u.id)).body.data as Record<string, number>;
    expect(Object.keys(data)).toHaveLength(100);
    for (let i = 0; i < 100; i++) expect(data[`k${i}`]).toBe(i);
  }, 120_000);
});
