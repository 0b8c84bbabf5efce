/**
 * Dead letters and replay (issue #17): a sink down for longer than the retries leaves dead
 * letters, announced as `hush/delivery/dead`; the history pages every attempt newest first;
 * replay one and replay-all-since each deliver once, rendered with the secret's current
 * value; the retention trims (driven by the server's clock, no sleeps).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { respondWith, startHttpSink, type HttpSink } from '../support/http-sink.ts';
import { testDialects } from '../support/pg-fns.ts';
import { openSse, type SseClient } from '../support/sse-client.ts';
import { api, startTestServer, type TestServer } from '../support/test-server.ts';
import { until } from '../support/until-fns.ts';

const FIRST = 'first-token-value-4711';
const SECOND = 'second-token-value-0815';
const DAY = 86_400_000;

describe.each(testDialects())('webhook dead letters and replay (%s)', (dialect) => {
  let s: TestServer;
  let sink: HttpSink;
  let sse: SseClient;
  let u: Awaited<ReturnType<TestServer['user']>>;
  let hookId = '';
  let offsetMs = 0;
  const startedAt = new Date().toISOString();
  const call = (method: string, path: string, json?: unknown, token = u.token) => api(s.url, method, path, { token, ...(json === undefined ? {} : { json }) });
  const history = async (query = '') => {
    const r = await call('GET', `/v1/integrations/${hookId}/deliveries${query}`);
    expect(r.status, r.text).toBe(200);
    return r.body as { ok: true; deliveries: any[]; next_before: string | null };
  };
  const arrivals = (data: string) => sink.requests.filter((r) => JSON.parse(r.body).d === data);
  const sentReplay = (deliveryId: string) => until(async () => (await history('?status=sent')).deliveries.find((d) => d.replay_of === deliveryId), 10_000, `replay of ${deliveryId} sent`);

  beforeAll(async () => {
    s = await startTestServer({ dialect, node: { retryDelaysMs: [50, 50], now: () => new Date(Date.now() + offsetMs) } });
    sink = await startHttpSink({ handler: respondWith(503, { ok: false }) });
    u = await s.user();
    expect((await call('PUT', '/v1/secrets/TOKEN', { value: FIRST })).status).toBe(200);
    const created = await call('POST', '/v1/integrations', { event: 'dl', url: `${sink.url}/hook`, requestType: 'POST', json: { t: '{{{TOKEN}}}', d: '{{{PARTICLE_EVENT_VALUE}}}' }, secrets: ['TOKEN'] });
    expect(created.status, created.text).toBe(201);
    hookId = created.body.id;
    sse = await openSse(`${s.url}/v1/devices/events/${encodeURIComponent('hush/delivery/dead')}`, u.token);
  });
  afterAll(async () => {
    sse?.close();
    await s?.stop();
    await sink?.close();
  });

  it('keeps deliveries that exhaust their retries as dead letters and announces each on the stream', async () => {
    for (const d of ['a', 'b']) expect((await call('POST', '/v1/devices/events', { name: 'dl', data: d })).status).toBe(200);
    await sse.waitFor((e) => e.event === 'hush/delivery/dead' && JSON.parse(e.data.data).event === 'dl' && sse.events.length >= 2, 10_000);
    const announced = sse.events.map((e) => JSON.parse(e.data.data));
    expect(announced).toHaveLength(2);
    for (const a of announced) expect(a).toMatchObject({ integration_id: hookId, event: 'dl', attempts: 3, last_status: 503 });
    expect(JSON.stringify(sse.events)).not.toContain(FIRST);
    expect(sink.requests).toHaveLength(6);

    const dead = (await history('?status=dead')).deliveries;
    expect(dead.map((d) => [d.event, d.attempt, d.outcome, d.response.status, d.replayed_as])).toEqual([
      ['dl', 3, 'error', 503, null],
      ['dl', 3, 'error', 503, null],
    ]);
    expect(new Set(dead.map((d) => d.delivery_id))).toEqual(new Set(announced.map((a) => a.delivery_id)));
    expect((await history('?status=failed')).deliveries.map((d) => d.attempt).sort()).toEqual([1, 1, 2, 2]);
  });

  it('pages every attempt newest first and leaves GET …/logs in its Particle shape', async () => {
    const first = await history('?limit=4');
    expect(first.deliveries).toHaveLength(4);
    expect(first.next_before).toBe(first.deliveries[3].id);
    const rest = await history(`?limit=4&before=${first.next_before}`);
    expect(rest.deliveries).toHaveLength(2);
    expect(rest.next_before).toBeNull();
    const ids = [...first.deliveries, ...rest.deliveries].map((d) => d.id);
    expect(ids).toEqual([...ids].sort().reverse());
    expect((await history(`?since=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)).deliveries).toEqual([]);
    const logs = await call('GET', `/v1/integrations/${hookId}/logs`);
    expect(Object.keys(logs.body).sort()).toEqual(['counters', 'logs']);
    expect(logs.body.counters).toEqual({ success: 0, error: 2 });
    expect(Object.keys(logs.body.logs[0]).sort()).toEqual(['attempt', 'duration_ms', 'error', 'id', 'outcome', 'request', 'response', 'time']);
    const bad = await call('GET', `/v1/integrations/${hookId}/deliveries?status=lost`);
    expect(bad.status).toBe(400);
    expect(bad.body.ok).toBe(false);
  });

  it('replays one dead letter once, rendered with the current secret value', async () => {
    expect((await call('PUT', '/v1/secrets/TOKEN', { value: SECOND })).status).toBe(200);
    sink.setHandler();
    const [oldA] = (await history('?status=dead')).deliveries.filter((d) => d.delivery_id).reverse(); // the older one: event "a"
    const other = await s.user();
    expect((await call('POST', `/v1/integrations/${hookId}/deliveries/${oldA.delivery_id}/replay`, undefined, other.token)).status).toBe(404);
    const r = await call('POST', `/v1/integrations/${hookId}/deliveries/${oldA.delivery_id}/replay`);
    expect(r.status, r.text).toBe(202);
    expect(r.body).toMatchObject({ ok: true, delivery: { replay_of: oldA.delivery_id } });
    const again = await call('POST', `/v1/integrations/${hookId}/deliveries/${oldA.delivery_id}/replay`);
    expect(again.status).toBe(409);
    expect(again.body.ok).toBe(false);
    expect((await call('POST', `/v1/integrations/${hookId}/deliveries/nope/replay`)).status).toBe(404);
    const sent = await sentReplay(oldA.delivery_id);
    expect(sent.delivery_id).toBe(r.body.delivery.id);
    const replayed = arrivals('a').filter((x) => x.headers['content-type'] && JSON.parse(x.body).t === SECOND);
    expect(replayed).toHaveLength(1);
    expect(arrivals('a').filter((x) => JSON.parse(x.body).t === FIRST)).toHaveLength(3);
  });

  it('replays every dead letter since a time, each once, however often it is asked', async () => {
    expect((await call('POST', `/v1/integrations/${hookId}/deliveries/replay`, { since: 'yesterday' })).status).toBe(400);
    const r = await call('POST', `/v1/integrations/${hookId}/deliveries/replay`, { since: startedAt });
    expect(r.status, r.text).toBe(200);
    expect(r.body.replayed).toBe(1); // "a" was replayed already
    const again = await call('POST', `/v1/integrations/${hookId}/deliveries/replay`, { since: startedAt });
    expect(again.body).toEqual({ ok: true, replayed: 0, deliveries: [] });
    await sentReplay(r.body.deliveries[0].replay_of);
    expect(arrivals('b').filter((x) => JSON.parse(x.body).t === SECOND)).toHaveLength(1);
    expect(arrivals('a').filter((x) => JSON.parse(x.body).t === SECOND)).toHaveLength(1);
    const dead = (await history('?status=dead')).deliveries;
    expect(dead.every((d) => typeof d.replayed_as === 'string')).toBe(true);
  });

  it('trims attempts and dead letters older than the retention (7 days by default)', async () => {
    offsetMs = 8 * DAY;
    expect((await call('POST', '/v1/devices/events', { name: 'dl', data: 'late' })).status).toBe(200);
    await until(async () => {
      const all = (await history()).deliveries;
      return all.length === 1 && all[0].status === 'sent' ? all : undefined;
    }, 10_000, 'the retention trim');
    expect((await history('?status=dead')).deliveries).toEqual([]);
    const replay = await call('POST', `/v1/integrations/${hookId}/deliveries/replay`, { since: startedAt });
    expect(replay.body.replayed).toBe(0);
  });

  it('keeps a delivery refused as undeliverable (a 404 is not retried) as a dead letter at its first attempt', async () => {
    const missing = await startHttpSink({ handler: respondWith(404, 'nope') });
    try {
      const created = await call('POST', '/v1/integrations', { event: 'gone', url: `${missing.url}/g`, requestType: 'POST' });
      expect((await call('POST', '/v1/devices/events', { name: 'gone', data: 'x' })).status).toBe(200);
      const e = await sse.waitFor((x) => JSON.parse(x.data.data).event === 'gone', 10_000);
      expect(JSON.parse(e.data.data)).toMatchObject({ integration_id: created.body.id, attempts: 1, last_status: 404 });
      const dead = (await call('GET', `/v1/integrations/${created.body.id}/deliveries?status=dead`)).body.deliveries;
      expect(dead.map((d: any) => [d.event, d.attempt, d.delivery_id])).toEqual([['gone', 1, JSON.parse(e.data.data).delivery_id]]);
      expect(missing.requests).toHaveLength(1);
    } finally {
      await missing.close();
    }
  });

  it('lets a view-only organization member read the history but replay nothing (the permission editing takes)', async () => {
    const [admin, viewer] = [await s.user(), await s.user()];
    await s.services.orgs.create(`dl-${dialect}`, 'Dead letters', admin.email);
    await s.services.orgs.setMember(await s.services.orgs.operatorScope(`dl-${dialect}`), viewer.email, 'view-only');
    const base = `/v1/orgs/dl-${dialect}/integrations`;
    const created = await call('POST', base, { event: 'org-dl', url: `${sink.url}/org`, requestType: 'POST' }, admin.token);
    expect(created.status, created.text).toBe(201);
    const read = await call('GET', `${base}/${created.body.id}/deliveries?status=dead`, undefined, viewer.token);
    expect(read.status).toBe(200);
    expect(read.body).toEqual({ ok: true, deliveries: [], next_before: null });
    for (const [path, body] of [[`${base}/${created.body.id}/deliveries/replay`, { since: startedAt }], [`${base}/${created.body.id}/deliveries/whatever/replay`, undefined]] as const) {
      const denied = await call('POST', path, body, viewer.token);
      expect(denied.status).toBe(403);
      expect(denied.body.ok).toBe(false);
    }
    expect((await call('POST', `${base}/${created.body.id}/deliveries/replay`, { since: startedAt }, admin.token)).body).toEqual({ ok: true, replayed: 0, deliveries: [] });
  });
});
