import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../support/pg-fns.ts';
import { openSse } from '../support/sse-client.ts';
import { api, startTestServer, type TestServer } from '../support/test-server.ts';
import { leakedForms } from '../support/value-forms.ts';

const VALUE = 'exp-Value+Zq/é&<"x"> 9921';
const DAY = 86_400_000;

describe.each(testDialects())('secret expiry (%s)', (dialect) => {
  let s: TestServer;
  let u: Awaited<ReturnType<TestServer['user']>>;
  // The node's clock, moved by the test.
  let clock = Date.UTC(2026, 5, 1, 12, 0, 0);
  const outputs: string[] = [];
  const call = async (method: string, path: string, opts: Parameters<typeof api>[3] = {}) => {
    const r = await api(s.url, method, path, { token: u.token, ...opts });
    outputs.push(r.text);
    return r;
  };
  const iso = (ms: number) => new Date(ms).toISOString();

  beforeAll(async () => {
    // A long interval: this test drives the sweep itself (the periodic one is tested on two nodes).
    s = await startTestServer({ dialect, node: { now: () => new Date(clock) }, env: { HUSH_SECRET_EXPIRY_SWEEP_MS: '3600000' } });
    u = await s.user();
  });
  afterAll(async () => s?.stop());

  it('takes expires_at and rotation_period_days on create, PATCH and PUT, and says when a secret has expired', async () => {
    const created = await call('POST', '/v1/secrets', { json: { name: 'EXPIRING', value: VALUE, expires_at: iso(clock + 10 * DAY) } });
    expect(created.status).toBe(201);
    expect(created.body.secret).toMatchObject({ expires_at: iso(clock + 10 * DAY), rotation_period_days: null, expired: false, expires_in_days: 10 });
    // Any ISO 8601 time with a zone; stored as UTC.
    const patched = await call('PATCH', '/v1/secrets/EXPIRING', { json: { expires_at: '2026-06-04T14:00:00+02:00' } });
    expect(patched.body.secret).toMatchObject({ expires_at: '2026-06-04T12:00:00.000Z', expires_in_days: 3, version: 1 });
    // A rotation period moves the expiry with each new current value.
    expect((await call('PATCH', '/v1/secrets/EXPIRING', { json: { rotation_period_days: 90 } })).body.secret).toMatchObject({ rotation_period_days: 90, expires_at: '2026-06-04T12:00:00.000Z' });
    const replaced = await call('PUT', '/v1/secrets/EXPIRING', { json: { value: `${VALUE}-2` } });
    expect(replaced.body.secret).toMatchObject({ version: 2, expires_at: iso(clock + 90 * DAY), expires_in_days: 90 });
    expect((await call('PUT', '/v1/secrets/EXPIRING', { json: { value: `${VALUE}-3`, expires_at: iso(clock - DAY) } })).body.secret).toMatchObject({
      expires_at: iso(clock - DAY), expired: true, expires_in_days: -1,
    });
    const list = await call('GET', '/v1/secrets');
    expect(list.body.secrets.find((x: { name: string }) => x.name === 'EXPIRING')).toMatchObject({ expired: true });
    // Clearing.
    expect((await call('PATCH', '/v1/secrets/EXPIRING', { json: { expires_at: null, rotation_period_days: null } })).body.secret).toMatchObject({
      expires_at: null, rotation_period_days: null, expired: false, expires_in_days: null,
    });
    // Bad input answers 400 in Particle's error shape.
    for (const body of [{ expires_at: 'next tuesday' }, { expires_at: '2026-13-45T00:00:00Z' }, { rotation_period_days: 0 }, { rotation_period_days: 1.5 }]) {
      const r = await call('PATCH', '/v1/secrets/EXPIRING', { json: body });
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.ok).toBe(false);
    }
    expect((await call('PATCH', '/v1/secrets/MISSING', { json: { expires_at: null } })).status).toBe(404);
  });

  it('an expired secret keeps working', async () => {
    expect((await call('POST', '/v1/secrets', { json: { name: 'OLD_BUT_USED', value: VALUE, expires_at: iso(clock - 5 * DAY) } })).status).toBe(201);
    const code = `export default function f({ secrets }) { console.log(secrets.OLD_BUT_USED === ${JSON.stringify(VALUE)} ? 'works' : 'broken'); }`;
    const run = await call('POST', '/v1/logic/execute', { json: { source: { code }, secrets: ['OLD_BUT_USED'] } });
    expect(run.body.result.logs.map((l: { args: unknown[] }) => l.args[0])).toEqual(['works']);
    expect((await call('DELETE', '/v1/secrets/OLD_BUT_USED')).status).toBe(204);
  });

  it('publishes each reminder once: 30, 7 and 1 day(s) before, and at expiry; only the latest due one', async () => {
    const sse = await openSse(`${s.url}/v1/devices/events/${encodeURIComponent('hush/secret/')}`, u.token);
    const other = await s.user();
    const otherSse = await openSse(`${s.url}/v1/devices/events/${encodeURIComponent('hush/secret/')}`, other.token);
    const expiresAt = iso(clock + 40 * DAY);
    expect((await call('POST', '/v1/secrets', { json: { name: 'REMIND_ME', value: VALUE, expires_at: expiresAt } })).status).toBe(201);
    const sweep = () => s.services.expirySweep.sweep();

    expect(await sweep()).toBe(0); // 40 days out: nothing yet
    const steps: Array<[number, string, number]> = [[10, '30d', 30], [33, '7d', 7], [39, '1d', 1], [40, 'expired', 0]];
    const start = clock;
    for (const [day, reminder, left] of steps) {
      clock = start + day * DAY;
      expect(await sweep(), reminder).toBe(1);
      expect(await sweep(), `${reminder} twice`).toBe(0);
      const name = reminder === 'expired' ? 'hush/secret/expired' : 'hush/secret/expiring';
      const e = await sse.waitFor((x) => x.event === name && JSON.parse(x.data.data).reminder === reminder, 15_000);
      expect(JSON.parse(e.data.data)).toEqual({ name: 'REMIND_ME', expires_at: expiresAt, days_left: left, reminder });
    }
    clock = start + 50 * DAY;
    expect(await sweep()).toBe(0);

    // A secret created 5 days before its expiry gets the 7-day reminder (saying 5), not the 30-day one as well.
    const late = iso(clock + 5 * DAY);
    expect((await call('POST', '/v1/secrets', { json: { name: 'SOON', value: VALUE, expires_at: late } })).status).toBe(201);
    expect(await sweep()).toBe(1);
    const soon = await sse.waitFor((x) => x.event === 'hush/secret/expiring' && JSON.parse(x.data.data).name === 'SOON', 15_000);
    expect(JSON.parse(soon.data.data)).toMatchObject({ reminder: '7d', days_left: 5 });
    // A moved expiry starts afresh.
    expect((await call('PATCH', '/v1/secrets/SOON', { json: { expires_at: iso(clock + 3 * DAY) } })).status).toBe(200);
    expect(await sweep()).toBe(1);
    await sse.waitFor((x) => x.event === 'hush/secret/expiring' && JSON.parse(x.data.data).expires_at === iso(clock + 3 * DAY), 15_000);

    const mine = sse.events.filter((e) => /^hush\/secret\/expir/.test(e.event));
    expect(mine.map((e) => JSON.parse(e.data.data).reminder)).toEqual(['30d', '7d', '1d', 'expired', '7d', '7d']);
    // Another tenant's stream never sees them.
    const marker = await api(s.url, 'POST', '/v1/devices/events', { token: other.token, json: { name: 'hush/secret/marker' } });
    expect(marker.status).toBe(200);
    await otherSse.waitFor((e) => e.event === 'hush/secret/marker', 15_000);
    expect(otherSse.events.map((e) => e.event)).toEqual(['hush/secret/marker']);

    const everything = [...outputs, ...sse.events.map((e) => JSON.stringify(e)), ...s.logLines, (await call('GET', '/v1/audit')).text].join('\n');
    expect(leakedForms(everything, [VALUE, `${VALUE}-2`, `${VALUE}-3`])).toEqual([]);
    sse.close();
    otherSse.close();
  });
});
