import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../support/pg-fns.ts';
import { api, startTestServer, type TestServer } from '../support/test-server.ts';
import { until } from '../support/until-fns.ts';

const DEVICE = 'c1b2c3d4e5f60718293a4b5c';
const OTHER_DEVICE = 'd1b2c3d4e5f60718293a4b5c';
const CODE = 'export default function ({ env }) { console.log(JSON.stringify(env)); }';

describe.each(testDialects())('Logic functions with use_env (%s)', (dialect) => {
  let s: TestServer;
  let u: Awaited<ReturnType<TestServer['user']>>;
  let pid = 0;
  const call = (method: string, path: string, opts: Parameters<typeof api>[3] = {}) => api(s.url, method, path, { token: u.token, ...opts });
  const envOf = (logs: Array<{ args: unknown[] }>) => JSON.parse(String(logs[0]?.args[0])) as Record<string, string>;

  beforeAll(async () => {
    s = await startTestServer({ dialect });
    u = await s.user();
    const p = await call('POST', '/v1/user/products', { json: { name: 'Env product', slug: `logic-env-${dialect}` } });
    pid = p.body.product.id;
    expect((await call('POST', `/v1/products/${pid}/devices`, { json: { ids: [DEVICE, OTHER_DEVICE] } })).status).toBe(200);
    // Rolled out: owner (GREETING, LEVEL), product (LEVEL), device (LEVEL). Staged only: the owner's LATER and the other device's LEVEL.
    const patch = (path: string, ops: unknown[]) => call('PATCH', path, { json: { ops } });
    await patch('/v1/env', [{ op: 'Set', key: 'GREETING', value: 'hi' }, { op: 'Set', key: 'LEVEL', value: 'owner' }]);
    await patch(`/v1/products/${pid}/env`, [{ op: 'Set', key: 'LEVEL', value: 'product' }]);
    await patch(`/v1/env/${DEVICE}`, [{ op: 'Set', key: 'LEVEL', value: 'device' }]);
    for (const path of ['/v1/env', `/v1/products/${pid}/env`, `/v1/env/${DEVICE}`]) {
      expect((await call('POST', `${path}/rollout`, { json: { when: 'Immediate' } })).body).toEqual({ success: true });
    }
    await patch('/v1/env', [{ op: 'Set', key: 'LATER', value: 'staged' }]);
    await patch(`/v1/env/${OTHER_DEVICE}`, [{ op: 'Set', key: 'LEVEL', value: 'not rolled out' }]);
  }, 60_000);
  afterAll(async () => s?.stop());

  const execute = async (event: Record<string, unknown> | undefined, useEnv: boolean | null) => {
    const r = await call('POST', '/v1/logic/execute', { json: { ...(event ? { event } : {}), source: { type: 'JavaScript', code: CODE }, api_username: null, secrets: null, use_env: useEnv } });
    expect(r.status, r.text).toBe(200);
    expect(r.body.result.status).toBe('Success');
    return envOf(r.body.result.logs);
  };

  it('execute with use_env gets the last rollout for the event product and device; without it, {}', async () => {
    expect(await execute({ event_name: 'test_event', product_id: pid, device_id: DEVICE, event_data: '' }, true)).toEqual({ GREETING: 'hi', LEVEL: 'device' });
    expect(await execute({ event_name: 'test_event', product_id: pid, device_id: OTHER_DEVICE, event_data: '' }, true)).toEqual({ GREETING: 'hi', LEVEL: 'product' });
    // The CLI's defaults (product 0, no device): the owner's values.
    expect(await execute({ event_name: 'test_event', product_id: 0, device_id: '', event_data: '' }, true)).toEqual({ GREETING: 'hi', LEVEL: 'owner' });
    // A device id alone: its product is looked up.
    expect(await execute({ event_name: 'test_event', device_id: DEVICE }, true)).toEqual({ GREETING: 'hi', LEVEL: 'device' });
    expect(await execute({ event_name: 'test_event', product_id: pid, device_id: DEVICE }, null)).toEqual({});
    expect(await execute(undefined, false)).toEqual({});
  });

  it('a deployed event-triggered function with use_env reads context.env for the product and device of the event', async () => {
    const created = await call('POST', '/v1/logic/functions', {
      json: { logic_function: { name: 'env-reader', source: { type: 'JavaScript', code: CODE }, use_env: true, secrets: null, api_username: null, logic_triggers: [{ type: 'Event', event_name: 'env-check', product_id: pid }] } },
    });
    expect(created.status, created.text).toBe(201);
    const fn = created.body.logic_function;
    expect(fn.use_env).toBe(true);
    expect((await call('GET', `/v1/logic/functions/${fn.id}`)).body.logic_function.use_env).toBe(true);
    expect((await call('POST', `/v1/products/${pid}/events`, { json: { name: 'env-check', data: 'x', as_device_id: DEVICE } })).status).toBe(200);
    const run = await until(async () => (await call('GET', `/v1/logic/functions/${fn.id}/runs`)).body.logic_runs[0]);
    expect(run.status).toBe('Success');
    expect(envOf((await call('GET', `/v1/logic/functions/${fn.id}/runs/${run.id}/logs`)).body.logs)).toEqual({ GREETING: 'hi', LEVEL: 'device' });
    // A new rollout is seen by the next run; use_env: false gives {} again.
    await call('PUT', `/v1/products/${pid}/env/EXTRA`, { json: { value: 'new' } });
    await call('POST', `/v1/products/${pid}/env/rollout`, { json: { when: 'Connect' } });
    expect((await call('POST', `/v1/products/${pid}/events`, { json: { name: 'env-check', data: 'y', as_device_id: DEVICE } })).status).toBe(200);
    const second = await until(async () => {
      const runs = (await call('GET', `/v1/logic/functions/${fn.id}/runs`)).body.logic_runs;
      return runs.length >= 2 ? runs.find((r: { id: string }) => r.id !== run.id) : undefined;
    });
    expect(envOf((await call('GET', `/v1/logic/functions/${fn.id}/runs/${second.id}/logs`)).body.logs)).toEqual({ GREETING: 'hi', LEVEL: 'device', EXTRA: 'new' });
    const off = await call('PUT', `/v1/logic/functions/${fn.id}`, { json: { logic_function: { ...fn, use_env: false } } });
    expect(off.body.logic_function.use_env).toBe(false);
  });
});
