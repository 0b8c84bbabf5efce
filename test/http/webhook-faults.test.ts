/**
 * Webhook delivery under faults: unreachable, slow and failing targets, the outbound
 * guard, no duplicates, no hook chaining, disabled and deleted integrations, a full queue,
 * product and device scoping, and a real server process killed with deliveries in flight.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.ts';
import { openRuntime } from '../../src/server/runtime.ts';
import { CHILD_MASTER_KEY, startChildServer, type ChildServer } from '../support/child-server.ts';
import { delayed, hang, respondWith, startHttpSink, type HttpSink, type SinkHandler } from '../support/http-sink.ts';
import { createTestSchema, TEST_PG_URL, testDialects } from '../support/pg-fns.ts';
import { openSse } from '../support/sse-client.ts';
import { api, startTestServer, type TestServer } from '../support/test-server.ts';
import { TEST_COST_ENV } from '../support/test-cost-env.ts';

type User = Awaited<ReturnType<TestServer['user']>>;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `fn` every 25 ms until it returns a truthy value. */
async function until<T>(fn: () => T | Promise<T>, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

/** A client bound to one server and user. */
const client = (s: { url: string }, u: { token: string }) => {
  const call = (method: string, p: string, json?: unknown) => api(s.url, method, p, { token: u.token, ...(json === undefined ? {} : { json }) });
  return {
    call,
    async hook(body: Record<string, unknown>, base = '/v1/integrations'): Promise<string> {
      const r = await call('POST', base, { requestType: 'POST', ...body });
      expect(r.status, r.text).toBe(201);
      return r.body.id as string;
    },
    async publish(name: string, data: string, base = '/v1/devices/events', extra: Record<string, unknown> = {}) {
      const r = await call('POST', base, { name, data, ...extra });
      expect(r.status, r.text).toBe(200);
    },
    logs: async (id: string) => (await call('GET', `/v1/integrations/${id}/logs`)).body as { logs: any[]; counters: { success: number; error: number } },
  };
};

const RETRY_MS = 100;

describe.each(testDialects())('webhook faults (%s)', (dialect) => {
  let s: TestServer;
  let u: User;
  let c: ReturnType<typeof client>;
  const sinks: HttpSink[] = [];
  const sink = async (handler?: SinkHandler) => {
    const k = await startHttpSink({ handler });
    sinks.push(k);
    return k;
  };

  beforeAll(async () => {
    s = await startTestServer({ dialect, node: { retryDelaysMs: [RETRY_MS, RETRY_MS], webhookTimeoutMs: 300, leaseMs: 2_000 } });
    u = await s.user();
    c = client(s, u);
  });
  afterAll(async () => {
    await s?.stop();
    await Promise.all(sinks.map((k) => k.close()));
  });

  it('retries an unreachable target per policy, then publishes hook-error and logs an error', async () => {
    const dead = await startHttpSink();
    await dead.close(); // nothing listens on its port any more
    const id = await c.hook({ event: 'down', url: `${dead.url}/x` });
    const sse = await openSse(`${s.url}/v1/devices/events/hook-error`, u.token);
    await c.publish('down', 'x');
    const e = await sse.waitFor((x) => x.event === 'hook-error/down/0', 10_000);
    sse.close();
    expect(e.data).toMatchObject({ data: 'connection refused', coreid: 'particle-internal' });
    const { logs, counters } = await c.logs(id);
    expect(logs.map((l) => [l.attempt, l.outcome])).toEqual([[3, 'error'], [2, 'retry'], [1, 'retry']]);
    expect(logs[0].error).toBe('connection refused');
    // Each retry waited its delay.
    const times = logs.map((l) => Date.parse(l.time)).reverse();
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(RETRY_MS - 10);
    expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(RETRY_MS - 10);
    expect(counters).toEqual({ success: 0, error: 1 });
  });

  it('times out a slow target, retries, then gives up with hook-error', async () => {
    const slow = await sink(delayed(2_000));
    const id = await c.hook({ event: 'slow', url: `${slow.url}/s` });
    const sse = await openSse(`${s.url}/v1/devices/events/${encodeURIComponent('hook-error/slow')}`, u.token);
    await c.publish('slow', 'x');
    const e = await sse.waitFor((x) => x.event === 'hook-error/slow/0', 10_000);
    sse.close();
    expect(e.data.data).toBe('timeout after 300 ms');
    expect(slow.requests).toHaveLength(3);
    const { logs } = await c.logs(id);
    expect(logs.map((l) => l.outcome)).toEqual(['error', 'retry', 'retry']);
    for (const l of logs) expect(l.error).toBe('timeout after 300 ms');
  });

  it('retries a 500 and gives up after the last attempt', async () => {
    const failing = await sink(respondWith(500, { ok: false }));
    const id = await c.hook({ event: 'five', url: `${failing.url}/f` });
    const sse = await openSse(`${s.url}/v1/devices/events/${encodeURIComponent('hook-error/five')}`, u.token);
    await c.publish('five', 'x');
    const e = await sse.waitFor((x) => x.event === 'hook-error/five/0', 10_000);
    sse.close();
    expect(e.data.data).toBe('error status 500 from 127.0.0.1');
    expect(failing.requests).toHaveLength(3);
    expect((await c.logs(id)).logs.map((l) => l.response?.status)).toEqual([500, 500, 500]);
  });

  it('delivers once after a 500 then a 200, counting one success and no error', async () => {
    let n = 0;
    const flaky = await sink((req, res) => (n++ === 0 ? respondWith(500)(req, res) : respondWith(200, { fine: true })(req, res)));
    const id = await c.hook({ event: 'flaky', url: `${flaky.url}/f` });
    const sse = await openSse(`${s.url}/v1/devices/events/${encodeURIComponent('hook-response/flaky')}`, u.token);
    await c.publish('flaky', 'x');
    await sse.waitFor((x) => x.event === 'hook-response/flaky/0', 10_000);
    await sleep(3 * RETRY_MS);
    sse.close();
    expect(flaky.requests).toHaveLength(2);
    expect(sse.events.filter((x) => x.event.startsWith('hook-response/flaky'))).toHaveLength(1);
    const { logs, counters } = await c.logs(id);
    expect(logs.map((l) => [l.attempt, l.outcome])).toEqual([[2, 'success'], [1, 'retry']]);
    expect(counters).toEqual({ success: 1, error: 0 });
  });

  it('does not retry a 404 and says so in hook-error', async () => {
    const missing = await sink(respondWith(404, 'nope'));
    const id = await c.hook({ event: 'gone', url: `${missing.url}/g` });
    const sse = await openSse(`${s.url}/v1/devices/events/${encodeURIComponent('hook-error/gone')}`, u.token);
    await c.publish('gone', 'x');
    const e = await sse.waitFor((x) => x.event === 'hook-error/gone/0', 10_000);
    await sleep(3 * RETRY_MS);
    sse.close();
    expect(e.data.data).toBe('error status 404 from 127.0.0.1');
    expect(missing.requests).toHaveLength(1);
    const { logs, counters } = await c.logs(id);
    expect(logs.map((l) => [l.attempt, l.outcome])).toEqual([[1, 'error']]);
    expect(counters).toEqual({ success: 0, error: 1 });
  });

  it('sends each delivery exactly once on the normal path', async () => {
    // The normal path has no timeouts: this suite's 300 ms send timeout can expire on a
    // loaded machine and rightly retry (at least once), so this runs on a server with the
    // default timeout.
    const normal = await startTestServer({ dialect, node: { leaseMs: 2_000 } });
    try {
      const nc = client(normal, await normal.user());
      const ok = await sink();
      const id = await nc.hook({ event: 'once', url: `${ok.url}/o` });
      const N = 25;
      await Promise.all(Array.from({ length: N }, (_, i) => nc.publish('once', `d${i}`)));
      await ok.waitFor(N, 30_000);
      await until(async () => (await nc.logs(id)).counters.success === N, 'every delivery logged', 30_000);
      await sleep(500);
      const data = ok.requests.map((r) => new URLSearchParams(r.body).get('data'));
      expect(data).toHaveLength(N);
      expect(new Set(data).size).toBe(N);
      expect((await nc.logs(id)).logs.every((l) => l.attempt === 1 && l.outcome === 'success')).toBe(true);
    } finally {
      await normal.stop();
    }
  });

  it('never fires webhooks for hook events, and not for disabled integrations', async () => {
    const target = await sink();
    const onHooks = await sink();
    const onDisabled = await sink();
    await c.hook({ event: 'hook', url: `${onHooks.url}/h` });
    await c.hook({ event: 'ping', url: `${onDisabled.url}/d`, disabled: true });
    await c.hook({ event: 'ping', url: `${target.url}/p` });
    const sse = await openSse(`${s.url}/v1/devices/events/${encodeURIComponent('hook-response/ping')}`, u.token);
    await c.publish('ping', 'x');
    await sse.waitFor((x) => x.event === 'hook-response/ping/0', 10_000);
    await sleep(300);
    sse.close();
    expect(target.requests).toHaveLength(1);
    expect(onHooks.requests).toHaveLength(0);
    expect(onDisabled.requests).toHaveLength(0);
  });

  it('stops an integration as soon as DELETE returns', async () => {
    const target = await sink();
    const control = await sink();
    const id = await c.hook({ event: 'del', url: `${target.url}/x` });
    await c.hook({ event: 'del', url: `${control.url}/c` });
    await c.publish('del', '1');
    await target.waitFor(1);
    expect((await c.call('DELETE', `/v1/integrations/${id}`)).status).toBe(204);
    await c.publish('del', '2');
    await control.waitFor(2);
    await sleep(300);
    expect(target.requests).toHaveLength(1);
  });

  it('deletes integrations while their deliveries are finishing (no lock-order deadlock)', async () => {
    const busy = await sink(delayed(5));
    for (let round = 0; round < 4; round++) {
      const ids = [await c.hook({ event: 'race', url: `${busy.url}/a` }), await c.hook({ event: 'race', url: `${busy.url}/b` })];
      await Promise.all(Array.from({ length: 20 }, (_, i) => c.publish('race', String(i))));
      await sleep(10);
      for (const id of ids) expect((await c.call('DELETE', `/v1/integrations/${id}`)).status).toBe(204);
    }
  });

  it('refuses oversized event data with 400 and fires nothing', async () => {
    const target = await sink();
    await c.hook({ event: 'big', url: `${target.url}/b` });
    const r = await c.call('POST', '/v1/devices/events', { name: 'big', data: 'x'.repeat(16 * 1024 + 1) });
    expect(r.status).toBe(400);
    expect(r.body.error).toBe('event data must be at most 16384 bytes');
    await sleep(300);
    expect(target.requests).toHaveLength(0);
  });

  it('fires product webhooks for product events, and device-filtered sandbox webhooks only for that device', async () => {
    const prodSink = await sink();
    const devSink = await sink();
    const slug = `faults-${dialect}-${Date.now().toString(36)}`;
    expect((await c.call('POST', '/v1/user/products', { name: 'Faults', slug })).status).toBe(201);
    const [d1, d2] = ['a1'.repeat(12), 'b2'.repeat(12)];
    expect((await c.call('POST', `/v1/products/${slug}/devices`, { ids: [d1, d2] })).status).toBe(200);
    await c.hook({ event: 'reading', url: `${prodSink.url}/p` }, `/v1/products/${slug}/integrations`);
    await c.hook({ event: 'reading', url: `${devSink.url}/d`, deviceID: d1 });
    await c.publish('reading', 'sandbox');
    await c.publish('reading', 'from-d1', `/v1/products/${slug}/events`, { as_device_id: d1 });
    await c.publish('reading', 'from-d2', `/v1/products/${slug}/events`, { as_device_id: d2 });
    await prodSink.waitFor(2);
    await devSink.waitFor(1);
    await sleep(300);
    const dataOf = (k: HttpSink) => k.requests.map((r) => new URLSearchParams(r.body).get('data')).sort();
    expect(dataOf(prodSink)).toEqual(['from-d1', 'from-d2']);
    expect(dataOf(devSink)).toEqual(['from-d1']);
    expect(new URLSearchParams(devSink.requests[0]!.body).get('coreid')).toBe(d1);
  });
});

describe.each(testDialects())('webhook guard and back-pressure (%s)', (dialect) => {
  const stop: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const f of stop.reverse()) await f();
  });

  it('refuses a loopback target without HUSH_ALLOW_PRIVATE_WEBHOOKS, logging why with secrets masked', async () => {
    const s = await startTestServer({ dialect, env: { HUSH_ALLOW_PRIVATE_WEBHOOKS: '0' }, node: { retryDelaysMs: [RETRY_MS] } });
    const target = await startHttpSink();
    stop.push(() => s.stop(), () => target.close());
    const u = await s.user();
    const c = client(s, u);
    const value = 'guard-secret-Value-42';
    expect((await c.call('PUT', '/v1/secrets/GUARD_KEY', { value })).status).toBe(200);
    const id = await c.hook({ event: 'guard', url: `${target.url}/g`, query: { key: '{{{GUARD_KEY}}}' }, secrets: ['GUARD_KEY'] });
    const sse = await openSse(`${s.url}/v1/devices/events/${encodeURIComponent('hook-error/guard')}`, u.token);
    await c.publish('guard', 'x');
    const e = await sse.waitFor((x) => x.event === 'hook-error/guard/0', 10_000);
    sse.close();
    expect(e.data.data).toMatch(/refusing to connect to loopback address 127\.0\.0\.1 \(set HUSH_ALLOW_PRIVATE_WEBHOOKS=1 to allow\)/);
    const logs = await c.call('GET', `/v1/integrations/${id}/logs`);
    expect(logs.body.logs).toHaveLength(1);
    expect(logs.body.logs[0]).toMatchObject({ outcome: 'error', error: expect.stringMatching(/refusing to connect to loopback/) });
    expect(logs.body.logs[0].request.url).toContain('key=[[SENSITIVE]]');
    expect(logs.text).not.toContain(value);
    expect(target.requests).toHaveLength(0);
  });

  it('answers 429 with Retry-After when the delivery queue is full', async () => {
    const s = await startTestServer({ dialect, node: { maxQueued: 2, maxQueuedPerOwner: 2, webhookTimeoutMs: 10_000, retryDelaysMs: [60_000] } });
    const target = await startHttpSink({ handler: hang });
    stop.push(() => s.stop(), () => target.close());
    const c = client(s, await s.user());
    await c.hook({ event: 'full', url: `${target.url}/h` });
    await c.publish('full', '1');
    await c.publish('full', '2');
    const r = await c.call('POST', '/v1/devices/events', { name: 'full', data: '3' });
    expect(r.status).toBe(429);
    expect(r.headers.get('retry-after')).toBe('1');
    expect(r.body.error).toMatch(/queue is full/);
    // Events without webhooks are still accepted.
    expect((await c.call('POST', '/v1/devices/events', { name: 'other', data: 'x' })).status).toBe(200);
  });

  it('one owner cannot fill the queue for everyone: past its share only its own publishes get 429', async () => {
    const s = await startTestServer({ dialect, node: { maxQueued: 4, maxQueuedPerOwner: 2, webhookTimeoutMs: 10_000, retryDelaysMs: [60_000] } });
    const target = await startHttpSink({ handler: hang });
    stop.push(() => s.stop(), () => target.close());
    const busy = client(s, await s.user());
    const quiet = client(s, await s.user());
    await busy.hook({ event: 'share', url: `${target.url}/a` });
    await quiet.hook({ event: 'share', url: `${target.url}/b` });
    await busy.publish('share', '1');
    await busy.publish('share', '2');
    const refused = await busy.call('POST', '/v1/devices/events', { name: 'share', data: '3' });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(refused.body.error).toBe('this account has 2 webhook deliveries waiting, its most (2); retry shortly');
    // The other owner still has room, up to its own share.
    await quiet.publish('share', '1');
    await quiet.publish('share', '2');
    expect((await quiet.call('POST', '/v1/devices/events', { name: 'share', data: '3' })).status).toBe(429);
  });
});

describe.each(testDialects())('webhook deliveries survive a killed server (%s)', (dialect) => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hush-crash-'));
  let schema: { schema: string; drop(): Promise<void> } | null = null;
  let child: ChildServer | null = null;
  let target: HttpSink;
  let token = '';
  const env = {
    HUSH_WEBHOOK_RETRY_DELAYS_MS: '100,100',
    HUSH_WEBHOOK_TIMEOUT_MS: '30000',
    // Long enough that a loaded machine's stalls (GC, a slow commit) cannot let the restarted
    // node's own leases run out mid-send, which would rightly send a delivery again.
    HUSH_DELIVERY_LEASE_MS: '4000',
  };

  beforeAll(async () => {
    const cfgEnv: Record<string, string> = { HUSH_DATA_DIR: dataDir, HUSH_LOG_LEVEL: 'silent', ...TEST_COST_ENV };
    if (dialect === 'postgres') {
      schema = await createTestSchema(TEST_PG_URL as string);
      Object.assign(cfgEnv, { HUSH_DATABASE_URL: TEST_PG_URL as string, HUSH_MASTER_KEY: CHILD_MASTER_KEY });
    }
    const rt = await openRuntime(loadConfig(cfgEnv), { pgSchema: schema?.schema });
    const user = await rt.auth.createUser(`crash-${dialect}@example.com`, 'correct horse battery');
    token = (await rt.auth.issueToken(user.id, 'particle-api')).accessToken;
    await rt.resolver.close();
    await rt.store.close();
    target = await startHttpSink({ handler: hang });
  });
  afterAll(async () => {
    await child?.kill();
    await target?.close();
    await schema?.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('sends every accepted delivery after SIGKILL and restart; queued ones exactly once', { timeout: 120_000 }, async () => {
    child = await startChildServer({ dataDir, pgSchema: schema?.schema, env });
    const c = client(child, { token });
    await c.hook({ event: 'crash', url: `${target.url}/c` });
    // More events than the worker sends at once: some hang in flight, the rest wait in the queue.
    const N = 200;
    for (let i = 0; i < N; i += 20) await Promise.all(Array.from({ length: 20 }, (_, k) => c.publish('crash', `e${i + k}`)));
    let seen = -1;
    await until(async () => {
      const n = target.requests.length;
      const stable = n > 0 && n === seen;
      seen = n;
      if (!stable) await sleep(300);
      return stable;
    }, 'the sends in flight to settle', 20_000);
    const inFlight = new Set(target.requests.map((r) => new URLSearchParams(r.body).get('data')));
    expect(inFlight.size).toBe(target.requests.length); // each sent once so far
    expect(inFlight.size).toBeLessThan(N);
    await child.kill('SIGKILL');
    const before = target.requests.length;

    target.setHandler(respondWith(200));
    child = await startChildServer({ dataDir, pgSchema: schema?.schema, env });
    const after = () => target.requests.slice(before).map((r) => new URLSearchParams(r.body).get('data') ?? '');
    await until(() => new Set(after()).size === N, 'every event to be delivered after the restart', 60_000);
    await sleep(4_500); // longer than a lease: nothing more may arrive
    const counts = new Map<string, number>();
    for (const d of after()) counts.set(d, (counts.get(d) ?? 0) + 1);
    for (let i = 0; i < N; i++) expect(counts.get(`e${i}`), `e${i}`).toBe(1);
    const queuedOnly = [...counts.keys()].filter((d) => !inFlight.has(d));
    expect(queuedOnly).toHaveLength(N - inFlight.size);
    await child.stop();
    child = null;
  });
});
