import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpSink, type HttpSink } from '../support/http-sink.ts';
import { testDialects } from '../support/pg-fns.ts';
import { openSse } from '../support/sse-client.ts';
import { api, startTestServer, type TestServer } from '../support/test-server.ts';
import { until } from '../support/until-fns.ts';

const KEY_V1 = 'ak_live_Zx9+/Qé%&"key';
const KEY_V2 = 'ak_live_rotated_77Wq';
const forms = (v: string) => [v, Buffer.from(v).toString('base64').replace(/=+$/, ''), Buffer.from(v).toString('hex'), encodeURIComponent(v)];

const CODE = `import Particle from 'particle:core';
import { base64Encode, stringToBytes } from 'particle:encoding';
export default function main({ event, secrets }) {
  const d = JSON.parse(event.eventData);
  console.log('key is', secrets.API_KEY);
  console.info(base64Encode(stringToBytes(secrets.API_KEY)));
  console.warn(encodeURIComponent(secrets.API_KEY), { nested: secrets.API_KEY });
  console.error(Array.from(stringToBytes(secrets.API_KEY)).map((b) => b.toString(16).padStart(2, '0')).join(''));
  Particle.publish('from-logic', JSON.stringify({ temp: d.temp * 2 }));
  Particle.publish('key-check', secrets.API_KEY);
}`;

describe.each(testDialects())('Logic functions (%s)', (dialect) => {
  let s: TestServer;
  let sink: HttpSink;
  let u: Awaited<ReturnType<TestServer['user']>>;
  let clock = Date.parse('2026-03-01T10:00:30Z');
  const call = (method: string, path: string, opts: Parameters<typeof api>[3] = {}) => api(s.url, method, path, { token: u.token, ...opts });
  let fnId = '';

  beforeAll(async () => {
    const realStart = Date.now();
    const base = clock;
    s = await startTestServer({ dialect, node: { now: () => new Date(base + (Date.now() - realStart) + (clock - base)), schedulerIntervalMs: 3_600_000 } });
    sink = await startHttpSink();
    u = await s.user();
    expect((await call('PUT', '/v1/secrets/API_KEY', { json: { value: KEY_V1 } })).status).toBe(200);
    expect((await call('POST', '/v1/integrations', { json: { event: 'from-logic', url: `${sink.url}/logic` } })).status).toBe(201);
  });
  afterAll(async () => {
    await s?.stop();
    await sink?.close();
  });

  it('refuses bad functions with clear 400s', async () => {
    const good = { name: 'x', source: { type: 'JavaScript', code: 'export default function f() {}' } };
    const cases: Array<[unknown, RegExp]> = [
      [{ logic_function: { ...good, source: { code: 'export default function (' } } }, /does not compile/],
      [{ logic_function: { ...good, source: { code: 'export const x = 1;' } } }, /default export|does not compile/],
      [{ logic_function: { ...good, secrets: ['NOPE'] } }, /unknown secret: NOPE/],
      [{ logic_function: { ...good, logic_triggers: [{ type: 'Scheduled', cron: 'every minute' }] } }, /cron 'every minute' is not valid/],
      [{ logic_function: { ...good, logic_triggers: [{ type: 'Scheduled', cron: '* * * * * *' }] } }, /at most once a minute/],
      [{ logic_function: { ...good, logic_triggers: Array.from({ length: 6 }, () => ({ type: 'Event', event_name: 'a' })) } }, /at most 5 triggers/],
      [{ logic_function: { ...good, logic_triggers: [{ type: 'LedgerChange' }] } }, /ledger_name is required/],
      [{ logic_function: { ...good, bogus: 1 } }, /unknown field 'bogus'/],
    ];
    for (const [body, msg] of cases) {
      const r = await call('POST', '/v1/logic/functions', { json: body });
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error).toMatch(msg);
    }
  });

  it('runs an event-triggered function: secrets masked in logs, publishes reach webhooks and SSE', async () => {
    const created = await call('POST', '/v1/logic/functions', {
      json: { logic_function: { name: 'doubler', description: 'doubles', enabled: true, source: { type: 'JavaScript', code: CODE }, secrets: ['API_KEY'], logic_triggers: [{ type: 'Event', event_name: 'reading', product_id: 0 }] } },
    });
    expect(created.status).toBe(201);
    fnId = created.body.logic_function.id;
    expect(created.body.logic_function).toMatchObject({ name: 'doubler', version: 1, enabled: true, secrets: ['API_KEY'], owner_id: `user:${u.id}` });
    const sse = await openSse(`${s.url}/v1/devices/events`, u.token);
    expect((await call('POST', '/v1/devices/events', { json: { name: 'reading', data: '{"temp":21}' } })).status).toBe(200);
    const run = await until(async () => (await call('GET', `/v1/logic/functions/${fnId}/runs`)).body.logic_runs[0]);
    expect(run.status).toBe('Success');
    // The history keeps the run's input event (#16).
    expect(run.event).toMatchObject({ name: 'reading', data: '{"temp":21}', coreid: 'api', product_id: null });
    expect(Date.parse(run.event.published_at)).not.toBeNaN();
    const logs = await call('GET', `/v1/logic/functions/${fnId}/runs/${run.id}/logs`);
    expect(logs.body.logic_run_logs.logs).toHaveLength(4);
    expect(logs.body.logs[0]).toMatchObject({ level: 'Info', args: ['key is', '[[SENSITIVE]]'] });
    expect(logs.body.logs[2].level).toBe('Warning');
    expect(logs.body.logs[3].level).toBe('Error');
    for (const f of forms(KEY_V1)) expect(logs.text).not.toContain(f);
    const e = await sse.waitFor((x) => x.event === 'from-logic');
    expect(JSON.parse(e.data.data)).toEqual({ temp: 42 });
    const hooked = await sink.waitFor(1, 10_000);
    expect(new URLSearchParams(hooked[0].body).get('data')).toBe('{"temp":42}');
    sse.close();
  });

  it('reflects use on the secret and refuses to delete it', async () => {
    await s.services.resolver.flush();
    const sec = (await call('GET', '/v1/secrets/API_KEY')).body.secret;
    expect(sec.logic_functions).toEqual([{ id: fnId, name: 'doubler' }]);
    expect(sec.usage_count).toBe(1);
    expect(sec.last_accessed_at).not.toBeNull();
    expect((await call('DELETE', '/v1/secrets/API_KEY')).status).toBe(400);
  });

  it('uses a replaced value on the next run', async () => {
    expect((await call('PUT', '/v1/secrets/API_KEY', { json: { value: KEY_V2 } })).status).toBe(200);
    const sse = await openSse(`${s.url}/v1/devices/events/key-check`, u.token);
    await call('POST', '/v1/devices/events', { json: { name: 'reading', data: '{"temp":1}' } });
    const e = await sse.waitFor((x) => x.event === 'key-check');
    // Published data is masked like logs (#13): the replaced value is the one masked.
    expect(e.data.data).toBe('[[SENSITIVE]]');
    sse.close();
    const runs = (await call('GET', `/v1/logic/functions/${fnId}/runs`)).body.logic_runs;
    const logs = await call('GET', `/v1/logic/functions/${fnId}/runs/${runs[0].id}/logs`);
    for (const f of [...forms(KEY_V1), ...forms(KEY_V2)]) expect(logs.text).not.toContain(f);
    // An input event carrying a secret's value is kept masked in the run history.
    await call('POST', '/v1/devices/events', { json: { name: 'reading', data: `{"temp":3,"marker":"masked-check","k":"${KEY_V2}"}` } });
    const masked = await until(async () => (await call('GET', `/v1/logic/functions/${fnId}/runs`)).body.logic_runs.find((r: { event: { data: string } }) => r.event.data.includes('masked-check')));
    expect(masked.event.data).toBe('{"temp":3,"marker":"masked-check","k":"[[SENSITIVE]]"}');
  });

  it('updates in place keeping trigger ids, and accepts read-only fields sent back', async () => {
    const got = (await call('GET', `/v1/logic/functions/${fnId}`)).body.logic_function;
    const triggerId = got.logic_triggers[0].id;
    const r = await call('PUT', `/v1/logic/functions/${fnId}`, { json: { logic_function: { ...got, enabled: false } } });
    expect(r.status).toBe(200);
    expect(r.body.logic_function).toMatchObject({ enabled: false, version: 2 });
    expect(r.body.logic_function.logic_triggers[0].id).toBe(triggerId);
    expect((await call('PUT', `/v1/logic/functions/${fnId}`, { json: { logic_function: { ...got, enabled: true } } })).status).toBe(200);
    const list = await call('GET', '/v1/logic/functions?today_stats=true');
    expect(list.body.logic_functions[0].today_stats.success).toBeGreaterThanOrEqual(1);
  });

  it('fires a cron trigger once per tick with a test clock', async () => {
    const r = await call('POST', '/v1/logic/functions', {
      json: { logic_function: { name: 'ticker', source: { code: "export default function t({ scheduled }) { console.log('tick', scheduled.scheduledAt); }" }, logic_triggers: [{ type: 'Scheduled', cron: '*/5 * * * *' }] } },
    });
    expect(r.status).toBe(201);
    const id = r.body.logic_function.id;
    expect(r.body.logic_function.logic_triggers[0].next_unscheduled_at).toBe('2026-03-01T10:05:00.000Z');
    expect(await s.node.logic.scheduler.tick()).toBe(0);
    clock = Date.parse('2026-03-01T10:05:01Z');
    expect(await s.node.logic.scheduler.tick()).toBe(1);
    expect(await s.node.logic.scheduler.tick()).toBe(0);
    const run = await until(async () => (await call('GET', `/v1/logic/functions/${id}/runs`)).body.logic_runs[0]);
    expect(run).toMatchObject({ status: 'Success', logic_trigger_type: 'Scheduled' });
    const logs = await call('GET', `/v1/logic/functions/${id}/runs/${run.id}/logs`);
    expect(logs.body.logs[0].args).toEqual(['tick', '2026-03-01T10:05:00.000Z']);
  });

  it('executes code once with sample data, without saving', async () => {
    const ok = await call('POST', '/v1/logic/execute', {
      json: { event: { event_name: 'test_event', product_id: 0, device_id: '', event_data: '{"a":2}' }, source: { type: 'JavaScript', code: "export default function f({ event, secrets }) { console.log(JSON.parse(event.eventData).a + 1, secrets.API_KEY); }" }, api_username: null, secrets: ['API_KEY'], use_env: null },
    });
    expect(ok.status).toBe(200);
    expect(ok.body.result.status).toBe('Success');
    expect(ok.body.result.logs[0].args).toEqual([3, '[[SENSITIVE]]']);
    const bad = await call('POST', '/v1/logic/execute', { json: { source: { code: "export default function f() { throw new TypeError('boom ' + 1); }" } } });
    expect(bad.body.result.status).toBe('Failure');
    expect(bad.body.result.err).toMatch(/TypeError: boom 1/);
    const syntax = await call('POST', '/v1/logic/execute', { json: { source: { code: 'export default function (' } } });
    expect(syntax.body.result.status).toBe('Failure');
    expect((await call('POST', '/v1/logic/execute', { json: { source: { code: 'x' }, secrets: ['NOPE'] } })).status).toBe(400);
    // Spec §8.6: execute names no function (path nor body), so the id is the documented 'execute'.
    const info = await call('POST', '/v1/logic/execute', { json: { source: { code: 'export default function f({ functionInfo }) { console.log(functionInfo.logicFunctionId, functionInfo.ownerId); }' } } });
    expect(info.body.result.logs[0].args).toEqual(['execute', u.id]);
  });

  it('saves modules with top-level bindings; judges the default export by linking, not by text', async () => {
    const code = 'const THRESHOLD = 30;\nvar seen = 0;\nexport default function main() { console.log(THRESHOLD + seen); }';
    const r = await call('POST', '/v1/logic/functions', { json: { logic_function: { name: 'z-consts', source: { type: 'JavaScript', code } } } });
    expect(r.status, r.text).toBe(201);
    const comment = await call('POST', '/v1/logic/functions', { json: { logic_function: { name: 'z-comment', source: { code: '// export default function () {}\nexport const y = 1;' } } } });
    expect(comment.status).toBe(400);
    expect(comment.body.error).toMatch(/no default export/);
    const badImport = await call('POST', '/v1/logic/functions', { json: { logic_function: { name: 'z-import', source: { code: "import { nope } from 'particle:core';\nexport default function () {}" } } } });
    expect(badImport.status).toBe(400);
    expect(badImport.body.error).toMatch(/Could not find export 'nope' in module 'particle:core'/);
    const cron = await call('POST', '/v1/logic/functions', { json: { logic_function: { name: 'z-cron', source: { code: 'export default function () {}' }, logic_triggers: [{ type: 'Scheduled', cron: '* * *' }] } } });
    expect(cron.body.error).toMatch(/give 4 or 5 fields/);
  });

  it('masks secret values quoted back in error messages', async () => {
    const value = 'ZQXW_NAME_SHAPED_VALUE_9';
    expect((await call('PUT', '/v1/secrets/NAME_SHAPED', { json: { value } })).status).toBe(200);
    const asName = await call('POST', '/v1/logic/functions', { json: { logic_function: { name: 'z-mask', source: { code: 'export default function () {}' }, secrets: [value] } } });
    expect(asName.status).toBe(400);
    expect(asName.body.error).toBe('unknown secret: [[SENSITIVE]]');
    const inCode = await call('POST', '/v1/logic/functions', { json: { logic_function: { name: 'z-mask', source: { code: `import { ${value} } from 'particle:core';\nexport default function () {}` } } } });
    expect(inCode.status).toBe(400);
    expect(inCode.body.error).toContain('[[SENSITIVE]]');
    const execute = await call('POST', '/v1/logic/execute', { json: { source: { code: 'export default function () {}' }, secrets: [value] } });
    expect(execute.status).toBe(400);
    for (const text of [asName.text, inCode.text, execute.text]) expect(text).not.toContain(value);
    expect((await call('DELETE', '/v1/secrets/NAME_SHAPED')).status).toBe(204);
  });

  it('serves the product forms of the Logic endpoints (spec §8.4)', async () => {
    const p = await call('POST', '/v1/user/products', { json: { name: 'Logic product', slug: 'logic-product' } });
    expect(p.status).toBe(201);
    const pid = p.body.product.id as number;
    const base = '/v1/products/logic-product/logic';
    const created = await call('POST', `${base}/functions`, {
      json: { logic_function: { name: 'z-product', source: { code: "export default function ({ event }) { console.log('p', event.productId); }" }, logic_triggers: [{ type: 'Event', event_name: 'prod-reading' }] } },
    });
    expect(created.status, created.text).toBe(201);
    const fn = created.body.logic_function;
    expect(fn).toMatchObject({ product_id: pid, logic_triggers: [{ event_name: 'prod-reading', product_id: pid }] });
    const other = await call('POST', `${base}/functions`, {
      json: { logic_function: { name: 'z-product-2', source: { code: 'export default function () {}' }, logic_triggers: [{ type: 'Event', event_name: 'x', product_id: pid + 1000 }] } },
    });
    expect(other.status).toBe(400);
    expect((await call('GET', `${base}/functions`)).body.logic_functions.map((f: { id: string }) => f.id)).toEqual([fn.id]);
    expect((await call('GET', `${base}/functions/${fnId}`)).status).toBe(404);
    expect((await call('GET', `/v1/products/${pid}/logic/functions/${fn.id}`)).body.logic_function.id).toBe(fn.id);
    expect((await call('GET', '/v1/logic/functions')).body.logic_functions.some((f: { id: string }) => f.id === fn.id)).toBe(true);
    expect((await call('POST', `/v1/products/logic-product/events`, { json: { name: 'prod-reading', data: '1' } })).status).toBe(200);
    const run = await until(async () => (await call('GET', `${base}/functions/${fn.id}/runs`)).body.logic_runs[0]);
    expect((await call('GET', `${base}/functions/${fn.id}/runs/${run.id}/logs`)).body.logs[0].args).toEqual(['p', pid]);
    expect((await call('GET', `${base}/functions/${fn.id}/stats`)).status).toBe(200);
    // The CLI's enable/disable round trip sends back what GET returned, product_id included.
    const back = await call('PUT', `${base}/functions/${fn.id}`, { json: { logic_function: { ...fn, enabled: false } } });
    expect(back.status, back.text).toBe(200);
    expect(back.body.logic_function).toMatchObject({ enabled: false, product_id: pid });
    const ex = await call('POST', `${base}/execute`, { json: { source: { code: 'export default function ({ event }) { console.log(event.productId); }' } } });
    expect(ex.body.result).toMatchObject({ status: 'Success', logs: [{ args: [pid] }] });
    expect((await call('GET', '/v1/products/no-such-product/logic/functions')).status).toBe(404);
    expect((await call('DELETE', `${base}/functions/${fn.id}`)).status).toBe(204);
  });

  it("refuses a trigger naming a product that is not the owner's, in the words used for a missing one", async () => {
    const fn = (product_id: unknown, type = 'Event') => ({
      logic_function: { name: 'z-prod-check', source: { code: 'export default function () {}' }, logic_triggers: [{ type, event_name: 'e', cron: '0 * * * *', product_id }] },
    });
    const missing = await call('POST', '/v1/logic/functions', { json: fn(999) });
    expect(missing.status).toBe(400);
    expect(missing.body.error).toBe('logic_triggers[0].product_id: product 999 not found');
    expect((await call('POST', '/v1/logic/functions', { json: fn('999', 'Scheduled') })).body.error).toBe('logic_triggers[0].product_id: product 999 not found');
    const other = await s.user();
    const theirs = await api(s.url, 'POST', '/v1/user/products', { token: other.token, json: { name: 'Not yours' } });
    expect(theirs.status).toBe(201);
    const foreign = await call('POST', '/v1/logic/functions', { json: fn(theirs.body.product.id) });
    expect(foreign.status).toBe(400);
    expect(foreign.body.error).toBe(`logic_triggers[0].product_id: product ${theirs.body.product.id} not found`);
    const mine = (await call('POST', '/v1/user/products', { json: { name: 'Mine' } })).body.product.id as number;
    const ok = await call('POST', '/v1/logic/functions', { json: fn(mine) });
    expect(ok.status, ok.text).toBe(201);
    expect(ok.body.logic_function.logic_triggers[0].product_id).toBe(mine);
    const id = ok.body.logic_function.id;
    expect((await call('PUT', `/v1/logic/functions/${id}`, { json: fn(999) })).body.error).toBe('logic_triggers[0].product_id: product 999 not found');
    expect((await call('POST', '/v1/logic/functions', { json: { logic_function: { ...fn(0).logic_function, name: 'z-no-product' } } })).status).toBe(201);
    for (const f of (await call('GET', '/v1/logic/functions')).body.logic_functions.filter((x: { name: string }) => ['z-prod-check', 'z-no-product'].includes(x.name))) {
      expect((await call('DELETE', `/v1/logic/functions/${f.id}`)).status).toBe(204);
    }
  });

  it('refuses a schedule that never fires; an unchanged one whose window ran out still saves', async () => {
    const fn = (trigger: Record<string, unknown>) => ({ logic_function: { name: 'z-never', source: { code: 'export default function () {}' }, logic_triggers: [{ type: 'Scheduled', ...trigger }] } });
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ cron: '0 0 31 2 *' }, "logic_triggers[0].cron '0 0 31 2 *' never fires"],
      [{ cron: '0 0 30 2' }, "logic_triggers[0].cron '0 0 30 2 *' never fires"],
      [{ cron: '0 0 1 1 *', start_at: '2026-03-02T00:00:00Z', end_at: '2026-12-01T00:00:00Z' }, "logic_triggers[0].cron '0 0 1 1 *' has no run between start_at and end_at"],
      [{ cron: '0 12 * * *', end_at: '2026-02-01T00:00:00Z' }, "logic_triggers[0].cron '0 12 * * *' has no run between now and end_at"],
    ];
    for (const [trigger, msg] of cases) {
      const r = await call('POST', '/v1/logic/functions', { json: fn(trigger) });
      expect(r.status, JSON.stringify(trigger)).toBe(400);
      expect(r.body.error).toBe(msg);
    }
    const saved = clock;
    const r = await call('POST', '/v1/logic/functions', { json: fn({ cron: '0 12 * * *', end_at: '2026-03-03T00:00:00Z' }) });
    expect(r.status, r.text).toBe(201);
    expect(r.body.logic_function.logic_triggers[0].next_unscheduled_at).toBe('2026-03-01T12:00:00.000Z');
    clock = Date.parse('2026-03-04T00:00:00Z');
    try {
      const got = (await call('GET', `/v1/logic/functions/${r.body.logic_function.id}`)).body.logic_function;
      const back = await call('PUT', `/v1/logic/functions/${got.id}`, { json: { logic_function: { ...got, enabled: false } } });
      expect(back.status, back.text).toBe(200);
      const moved = await call('PUT', `/v1/logic/functions/${got.id}`, { json: { logic_function: { ...got, logic_triggers: [{ ...got.logic_triggers[0], cron: '0 13 * * *' }] } } });
      expect(moved.body.error).toBe("logic_triggers[0].cron '0 13 * * *' has no run between now and end_at");
    } finally {
      clock = saved;
    }
    expect((await call('DELETE', `/v1/logic/functions/${r.body.logic_function.id}`)).status).toBe(204);
  });

  it('masks secret values quoted in cron, date, product and field refusals', async () => {
    const value = 'ZQXW_CRON_SHAPED_4';
    const digits = '73195864';
    for (const [name, v] of [['CRON_SHAPED', value], ['DIGITS', digits]]) expect((await call('PUT', `/v1/secrets/${name}`, { json: { value: v } })).status).toBe(200);
    const fn = (trigger: Record<string, unknown>) => ({ logic_function: { name: 'z-mask-2', source: { code: 'export default function () {}' }, logic_triggers: [trigger] } });
    const cases: Array<[unknown, string]> = [
      [fn({ type: 'Scheduled', cron: value }), "cron '[[SENSITIVE]]' is not valid"],
      [fn({ type: 'Scheduled', cron: `${value} * * * * *` }), "cron '[[SENSITIVE]] * * * * *' has seconds"],
      [fn({ type: 'Scheduled', cron: '0 * * * *', start_at: value }), "logic_triggers[0].start_at '[[SENSITIVE]]' is not an ISO date"],
      [fn({ type: 'Scheduled', cron: '0 * * * *', end_at: value }), "logic_triggers[0].end_at '[[SENSITIVE]]' is not an ISO date"],
      [fn({ type: 'Event', event_name: 'e', product_id: Number(digits) }), 'logic_triggers[0].product_id: product [[SENSITIVE]] not found'],
      [fn({ type: 'Event', event_name: 'e', product_id: value }), 'logic_triggers[0].product_id must be a product id'],
      [{ logic_function: { ...fn({ type: 'Event', event_name: 'e' }).logic_function, [value]: 1 } }, "unknown field '[[SENSITIVE]]'"],
    ];
    for (const [body, msg] of cases) {
      const r = await call('POST', '/v1/logic/functions', { json: body });
      expect(r.status, msg).toBe(400);
      expect(r.body.error).toContain(msg);
      expect(r.text).not.toContain(value);
      expect(r.text).not.toContain(digits);
    }
    const ex = await call('POST', '/v1/logic/execute', { json: { source: { code: 'export default function () {}' }, [value]: 1 } });
    expect(ex.status).toBe(400);
    expect(ex.body.error).toContain("unknown field '[[SENSITIVE]]'");
    expect(ex.text).not.toContain(value);
    for (const name of ['CRON_SHAPED', 'DIGITS']) expect((await call('DELETE', `/v1/secrets/${name}`)).status).toBe(204);
  });

  it('ends a function that triggers itself after a few runs (Logic→event→Logic chains are bounded)', async () => {
    const code = `import Particle from 'particle:core';
      export default function ({ event }) { Particle.publish('again', String(Number(event.eventData) + 1)); }`;
    const created = await call('POST', '/v1/logic/functions', {
      json: { logic_function: { name: 'again', enabled: true, source: { type: 'JavaScript', code }, logic_triggers: [{ type: 'Event', event_name: 'again' }] } },
    });
    expect(created.status).toBe(201);
    const id = created.body.logic_function.id;
    const sse = await openSse(`${s.url}/v1/devices/events/again`, u.token);
    expect((await call('POST', '/v1/devices/events', { json: { name: 'again', data: '0' } })).status).toBe(200);
    // The fourth run's event still goes out, but triggers nothing.
    await sse.waitFor((x) => x.event === 'again' && x.data.data === '4');
    await s.node.logic.jobs.idle();
    const runs = (await call('GET', `/v1/logic/functions/${id}/runs`)).body.logic_runs;
    expect(runs.map((r: { status: string }) => r.status)).toEqual(['Success', 'Success', 'Success', 'Success']);
    const last = await call('GET', `/v1/logic/functions/${id}/runs/${runs[0].id}/logs`);
    expect(last.body.logs).toEqual([expect.objectContaining({ level: 'Warning', args: [expect.stringContaining('a chain of 4 Logic runs')] })]);
    sse.close();
  });

  it('deletes a function and frees its secrets', async () => {
    for (const f of (await call('GET', '/v1/logic/functions')).body.logic_functions) {
      expect((await call('DELETE', `/v1/logic/functions/${f.id}`)).status).toBe(204);
    }
    expect((await call('GET', '/v1/secrets/API_KEY')).body.secret.logic_functions).toEqual([]);
  });
});

describe.each(testDialects())('the Logic run queue is bounded (%s)', (dialect) => {
  let s: TestServer;
  afterAll(async () => s?.stop());

  it('answers 429 with Retry-After past HUSH_QUEUE_MAX_PER_OWNER, for that owner only', async () => {
    // A run that spins until its time limit keeps its queue row until it ends.
    s = await startTestServer({ dialect, node: { maxQueued: 10, maxQueuedPerOwner: 1, logicTimeoutMs: 3_000 } });
    const busy = await s.user();
    const other = await s.user();
    for (const u of [busy, other]) {
      const created = await api(s.url, 'POST', '/v1/logic/functions', {
        token: u.token,
        json: { logic_function: { name: 'spin', enabled: true, source: { type: 'JavaScript', code: 'export default function () { for (;;) {} }' }, logic_triggers: [{ type: 'Event', event_name: 'spin', enabled: true }] } },
      });
      expect(created.status).toBe(201);
    }
    const publish = (u: { token: string }) => api(s.url, 'POST', '/v1/devices/events', { token: u.token, json: { name: 'spin', data: 'x' } });
    expect((await publish(busy)).status).toBe(200);
    const refused = await publish(busy);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(refused.body.error).toBe('this account has 1 Logic runs waiting, its most (1); retry shortly');
    expect((await publish(other)).status).toBe(200);
    // Once the spinning run has ended (time limit), the owner may publish again.
    const deadline = Date.now() + 20_000;
    let again = await publish(busy);
    while (again.status === 429 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      again = await publish(busy);
    }
    expect(again.status).toBe(200);
  }, 40_000);
});
