/**
 * Pacing per integration (issue #17 item 4) against real sinks on loopback, on both
 * databases: the rate limit measured at the sink, the in-flight cap seen by a sink that
 * holds requests, and per-device order under retries and a dead letter.
 */
import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { respondWith, startHttpSink, type HttpSink, type RecordedRequest } from '../support/http-sink.ts';
import { testDialects } from '../support/pg-fns.ts';
import { api, startTestServer, type TestServer } from '../support/test-server.ts';
import { until } from '../support/until-fns.ts';

const ok = respondWith(200);
/** Short retries, so a test waits tenths of seconds rather than Particle's 30 s. */
const quickRetries = { type: 'exponential', max_attempts: 3, initial_delay_ms: 100, max_delay_ms: 200 } as const;
const dataOf = (r: RecordedRequest): string => (JSON.parse(r.body) as { d: string }).d;

describe.each(testDialects())('webhook pacing (%s)', (dialect) => {
  let s: TestServer;
  let sink: HttpSink;
  let u: Awaited<ReturnType<TestServer['user']>>;
  /** Per path prefix: how the sink answers. */
  const routes = new Map<string, (r: RecordedRequest, res: ServerResponse) => void | Promise<void>>();
  const call = (method: string, path: string, opts: Parameters<typeof api>[3] = {}) => api(s.url, method, path, { token: u.token, ...opts });
  const create = async (base: string, event: string, extra: Record<string, unknown>) => {
    const r = await call('POST', `${base}/integrations`, { json: { event, url: `${sink.url}/${event}`, requestType: 'POST', json: { d: '{{{PARTICLE_EVENT_VALUE}}}' }, ...extra } });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body.id as string;
  };
  const to = (event: string) => sink.requests.filter((r) => r.url === `/${event}`);
  const history = async (id: string, query: string) => (await call('GET', `/v1/integrations/${id}/deliveries${query}`)).body.deliveries as Array<{ attempt: number }>;

  beforeAll(async () => {
    s = await startTestServer({ dialect, node: { retryDelaysMs: [50, 50] } });
    sink = await startHttpSink({ handler: (r, res) => (routes.get(r.url.split('?')[0] as string) ?? ok)(r, res) });
    u = await s.user();
  });
  afterAll(async () => {
    await s?.stop();
    await sink?.close();
  });

  it('refuses pacing values out of range in the Particle error shape and shows the fields on GET', async () => {
    for (const [field, value] of [['max_per_second', 0], ['max_per_second', 5000], ['max_in_flight', 0], ['max_in_flight', 1.5], ['ordered', 'product']] as const) {
      const r = await call('POST', '/v1/integrations', { json: { event: 'bad', url: `${sink.url}/bad`, [field]: value } });
      expect(r.status).toBe(400);
      expect(r.body).toMatchObject({ ok: false, field });
    }
    const id = await create('/v1', 'shown', { max_per_second: '2.5', max_in_flight: 4, ordered: 'device' });
    expect((await call('GET', `/v1/integrations/${id}`)).body.integration).toMatchObject({ max_per_second: 2.5, max_in_flight: 4, ordered: 'device' });
    const plain = await create('/v1', 'plain', {});
    expect(Object.keys((await call('GET', `/v1/integrations/${plain}`)).body.integration)).not.toContain('max_per_second');
  });

  it('sends at most max_per_second, measured at the sink over 10 s, without spending attempts', async () => {
    const limit = 20;
    const total = 260;
    const id = await create('/v1', 'rated', { max_per_second: limit, retry_schedule: quickRetries });
    // Published ten at a time, well ahead of the limit even on a busy machine, so a backlog waits all along.
    for (let at = 0; at < total; at += 10) {
      const answers = await Promise.all(Array.from({ length: 10 }, (_, k) => call('POST', '/v1/devices/events', { json: { name: 'rated', data: `r${at + k}` } })));
      expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200));
    }
    await until(async () => to('rated').length >= total, 30_000, 'every rate-limited delivery');
    const got = to('rated');
    const first = got[0]?.receivedAt as number;
    const inTenSeconds = got.filter((r) => r.receivedAt < first + 10_000).length;
    expect(Math.abs(inTenSeconds / (limit * 10) - 1), `${inTenSeconds} requests in the first 10 s`).toBeLessThanOrEqual(0.1);
    // Each event once, and each sent on its first attempt: a deferral is not an attempt.
    expect(new Set(got.map(dataOf)).size).toBe(total);
    const attempts = await until(async () => {
      const h = await history(id, '?limit=500');
      return h.length >= total && h;
    }, 10_000, 'the history of every delivery');
    expect(attempts.every((a) => a.attempt === 1)).toBe(true);
  }, 60_000);

  it('keeps at most max_in_flight requests open at the sink', async () => {
    const cap = 3;
    const total = 12;
    let open = 0;
    let most = 0;
    const held: Array<() => void> = [];
    let quiet: NodeJS.Timeout | undefined;
    routes.set('/flight', (r, res) => {
      open++;
      most = Math.max(most, open);
      res.on('finish', () => open--);
      held.push(() => ok(r, res));
      // Every request is held until none has arrived for a while: whatever the worker would
      // send at once is open at once, so a cap not kept shows as more than `cap` open.
      clearTimeout(quiet);
      quiet = setTimeout(() => held.splice(0).forEach((f) => f()), 300);
    });
    await create('/v1', 'flight', { max_in_flight: cap });
    for (let i = 0; i < total; i++) expect((await call('POST', '/v1/devices/events', { json: { name: 'flight', data: `f${i}` } })).status).toBe(200);
    await until(async () => to('flight').length >= total && open === 0, 30_000, 'every capped delivery');
    expect(most).toBe(cap);
    expect(new Set(to('flight').map(dataOf)).size).toBe(total);
  }, 60_000);

  it('delivers each device\'s events in publish order under retries, the next one going once the previous died', async () => {
    const slug = `paced-${dialect}`;
    const product = await call('POST', '/v1/user/products', { json: { name: 'Paced', slug } });
    expect(product.status).toBe(201);
    const devices = ['a', 'b', 'c'].map((c) => c.repeat(24));
    for (const id of devices) expect((await call('POST', `/v1/products/${slug}/devices`, { json: { id } })).status).toBe(200);
    const perDevice = 6;
    const doomed = `${devices[1]}-2`;
    const seen = new Set<string>();
    routes.set('/ordered', (r, res) => {
      const d = dataOf(r);
      // Every third event fails its first attempt; one always fails and becomes a dead letter.
      const fail = d === doomed || (Number(d.split('-')[1]) % 3 === 0 && !seen.has(d));
      seen.add(d);
      return (fail ? respondWith(500) : ok)(r, res);
    });
    const hookId = await create(`/v1/products/${product.body.product.id}`, 'ordered', { ordered: 'device', retry_schedule: quickRetries });
    for (let n = 0; n < perDevice; n++) {
      for (const device of devices) {
        const r = await call('POST', `/v1/products/${slug}/events`, { json: { name: 'ordered', data: `${device}-${n}`, as_device_id: device } });
        expect(r.status).toBe(200);
      }
    }
    const delivered = devices.length * perDevice - 1;
    await until(async () => new Set(to('ordered').filter((r) => r.body && !r.body.includes(doomed)).map(dataOf)).size >= delivered && seen.size === delivered + 1, 30_000, 'every ordered delivery');
    await until(async () => (await call('GET', `/v1/products/${product.body.product.id}/integrations/${hookId}/deliveries?status=dead`)).body.deliveries?.length === 1, 10_000, 'the dead letter');
    for (const device of devices) {
      // Every request of a device, retries included, came in publish order: none overtook an earlier one.
      const arrived = to('ordered').map(dataOf).filter((d) => d.startsWith(device)).map((d) => Number(d.split('-')[1]));
      expect(arrived).toEqual([...arrived].sort((x, y) => x - y));
      expect(new Set(arrived)).toEqual(new Set(Array.from({ length: perDevice }, (_, n) => n)));
    }
    expect(to('ordered').filter((r) => dataOf(r) === doomed)).toHaveLength(quickRetries.max_attempts);
  }, 60_000);
});
