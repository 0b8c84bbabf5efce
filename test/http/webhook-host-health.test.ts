/**
 * Per-host health (issue #17): a sink failing most requests pauses its host (per owner and
 * host name), announced once with Particle's "Sleeping" text in `hook-error` and as
 * `hush/host/paused`; deliveries wait without counting attempts, one probe at a time finds
 * it healthy again and resumes it (`hush/host/resumed`); every accepted delivery ends
 * delivered or dead, counted at the sink. Deliveries held past the age limit become dead
 * letters; an administrator can resume at once (audited), another owner cannot see the host.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SLEEPING_TEXT } from '../../src/integrations/host-window-fns.ts';
import { flakySink, HOST_HEALTH_TEST_ENV, PROBE_MS } from '../support/host-health-fns.ts';
import { startHttpSink, type HttpSink } from '../support/http-sink.ts';
import { testDialects } from '../support/pg-fns.ts';
import { openSse, type SseClient } from '../support/sse-client.ts';
import { api, startTestServer, type TestServer } from '../support/test-server.ts';
import { until } from '../support/until-fns.ts';

const DAY = 86_400_000;

/** A server with host health on, one sink, one integration on `hh` and event streams of `hush/host` and `hook-error`. */
function hostHealthHarness(dialect: 'sqlite' | 'postgres', env: Record<string, string>) {
  const h = {} as {
    s: TestServer; sink: HttpSink; hostSse: SseClient; errorSse: SseClient; u: Awaited<ReturnType<TestServer['user']>>; hookId: string; offsetMs: number;
  };
  h.offsetMs = 0;
  beforeAll(async () => {
    h.s = await startTestServer({ dialect, env: { ...HOST_HEALTH_TEST_ENV, ...env }, node: { retryDelaysMs: [50, 50], now: () => new Date(Date.now() + h.offsetMs) } });
    h.sink = await startHttpSink();
    h.u = await h.s.user();
    const created = await api(h.s.url, 'POST', '/v1/integrations', { token: h.u.token, json: { event: 'hh', url: `${h.sink.url}/hook`, requestType: 'POST', json: { d: '{{{PARTICLE_EVENT_VALUE}}}' } } });
    expect(created.status, created.text).toBe(201);
    h.hookId = created.body.id;
    h.hostSse = await openSse(`${h.s.url}/v1/devices/events/${encodeURIComponent('hush/host')}`, h.u.token);
    h.errorSse = await openSse(`${h.s.url}/v1/devices/events/hook-error`, h.u.token);
  });
  afterAll(async () => {
    h.hostSse?.close();
    h.errorSse?.close();
    await h.s?.stop();
    await h.sink?.close();
  });
  const call = (method: string, path: string, json?: unknown, token = h.u.token) => api(h.s.url, method, path, { token, ...(json === undefined ? {} : { json }) });
  return {
    h,
    call,
    async hosts(token = h.u.token) {
      const r = await call('GET', '/v1/integrations/hosts', undefined, token);
      expect(r.status, r.text).toBe(200);
      return r.body.hosts as any[];
    },
    dead: async () => (await call('GET', `/v1/integrations/${h.hookId}/deliveries?status=dead&limit=500`)).body.deliveries as any[],
    async publish(prefix: string, n: number) {
      for (let i = 0; i < n; i++) expect((await call('POST', '/v1/devices/events', { name: 'hh', data: `${prefix}${i}` })).status).toBe(200);
    },
    hostEvents: (name: string) => h.hostSse.events.filter((e) => e.event === name).map((e) => JSON.parse(e.data.data)),
    sleeping: () => h.errorSse.events.filter((e) => e.data.data === SLEEPING_TEXT),
  };
}

describe.each(testDialects())('webhook host health (%s)', (dialect) => {
  const { h, hosts, dead, publish, hostEvents, sleeping } = hostHealthHarness(dialect, {});

  it('pauses a host failing most requests, probes it one request at a time, resumes it and loses or repeats no delivery', async () => {
    const flaky = flakySink(h.sink, 2);
    await publish('a', 12);
    await h.hostSse.waitFor((e) => e.event === 'hush/host/paused', 10_000);
    const [paused] = await hosts();
    expect(paused).toMatchObject({ host: '127.0.0.1', successes: 2 });
    expect(paused.errors).toBeGreaterThan(paused.successes);
    expect(hostEvents('hush/host/paused')).toEqual([expect.objectContaining({ host_id: paused.id, host: '127.0.0.1' })]);
    // A failed probe doubles the wait; then the host heals and the next probe resumes it.
    await until(async () => ((await hosts())[0]?.probe_interval_ms > PROBE_MS ? true : undefined), 10_000, 'a failed probe');
    flaky.heal();
    const resumed = await h.hostSse.waitFor((e) => e.event === 'hush/host/resumed', 10_000);
    expect(JSON.parse(resumed.data.data)).toMatchObject({ host_id: paused.id, host: '127.0.0.1', by: 'probe' });
    // Every accepted delivery was answered 200 once or is a dead letter; the queue is empty.
    await until(async () => ([...flaky.delivered.keys()].length + (await dead()).length >= 12 ? true : undefined), 20_000, 'every delivery delivered or dead');
    expect([...flaky.delivered.keys()].length + (await dead()).length).toBe(12);
    expect([...flaky.delivered.values()].every((c) => c === 1)).toBe(true);
    // The sink answered before the outcomes were written: the queue empties just after.
    await until(async () => ((await h.s.node.integrations.queue.depth()) === 0 ? true : undefined), 10_000, 'an empty queue');
    expect(await hosts()).toEqual([]);
    // Announced once, with Particle's text, however many deliveries waited.
    expect(sleeping()).toHaveLength(1);
    expect(sleeping()[0]?.event).toMatch(/^hook-error\/hh/);
  });

  it('keeps health per owner, and shows a host name that comes from a secret masked', async () => {
    const other = await h.s.user();
    const as = (method: string, path: string, json?: unknown) => api(h.s.url, method, path, { token: other.token, ...(json === undefined ? {} : { json }) });
    expect((await as('PUT', '/v1/secrets/TARGET_HOST', { value: '127.0.0.1' })).status).toBe(200);
    const port = new URL(h.sink.url).port;
    const created = await as('POST', '/v1/integrations', { event: 'hs', url: `http://{{{TARGET_HOST}}}:${port}/secret-host`, requestType: 'POST', json: { d: '{{{PARTICLE_EVENT_VALUE}}}' }, secrets: ['TARGET_HOST'] });
    expect(created.status, created.text).toBe(201);
    const stream = await openSse(`${h.s.url}/v1/devices/events/${encodeURIComponent('hush/host')}`, other.token);
    try {
      const flaky = flakySink(h.sink, 0);
      for (let i = 0; i < 5; i++) expect((await as('POST', '/v1/devices/events', { name: 'hs', data: `s${i}` })).status).toBe(200);
      const paused = await stream.waitFor((e) => e.event === 'hush/host/paused', 10_000);
      expect(JSON.parse(paused.data.data).host).toBe('[[SENSITIVE]]');
      expect(paused.data.data).not.toContain('127.0.0.1');
      const listed = (await as('GET', '/v1/integrations/hosts')).body.hosts;
      expect(listed.map((x: any) => x.host)).toEqual(['[[SENSITIVE]]']);
      // The first owner's sends to the same host name go on.
      expect(await hosts()).toEqual([]);
      flaky.heal();
      await stream.waitFor((e) => e.event === 'hush/host/resumed', 10_000);
      await until(async () => (flaky.delivered.size === 5 ? true : undefined), 10_000, 'the second owner\'s deliveries');
      expect(h.s.logLines.join('\n')).toContain('webhook target host paused');
    } finally {
      stream.close();
    }
  });
});

// No probe within these tests: only the age limit and an administrator end their pauses.
describe.each(testDialects())('webhook host health limits and resume (%s)', (dialect) => {
  const { h, call, hosts, dead, publish, sleeping } = hostHealthHarness(dialect, { HUSH_HOST_PROBE_MS: '3600000', HUSH_HOST_PROBE_MAX_MS: '3600000' });

  it('turns deliveries held past the age limit into dead letters (the Sleeping text as their error)', async () => {
    const flaky = flakySink(h.sink, 0);
    await publish('b', 5);
    await h.hostSse.waitFor((e) => e.event === 'hush/host/paused', 10_000);
    await h.errorSse.waitFor(() => sleeping().length === 1, 10_000);
    const deadBefore = (await dead()).length;
    // Every delivery waits in the queue for the host (written before the clock moves on).
    const queued = () => h.s.services.store.db.selectFrom('deliveries').select(['status', 'held_host']).execute();
    await until(async () => ((await queued()).filter((r) => r.status === 'queued' && r.held_host !== null).length === 5 - (await dead()).length + deadBefore ? true : undefined), 10_000, 'every delivery held');
    h.offsetMs = 2 * DAY; // past HUSH_HOST_PAUSED_MAX_AGE_S (24 h)
    h.s.node.integrations.worker.wake();
    const after = await until(async () => {
      const all = await dead();
      const ended = [...flaky.delivered.keys()].filter((d) => d.startsWith('b')).length + all.length - deadBefore;
      return ended >= 5 ? all : undefined;
    }, 20_000, 'held deliveries past the age limit');
    const sleepers = after.slice(0, after.length - deadBefore).filter((d) => d.error === SLEEPING_TEXT);
    expect(sleepers.length).toBeGreaterThan(0);
    expect((await hosts()).length).toBe(1);
    expect(flaky.delivered.size).toBe(0);
  });

  it('lets the owner resume a paused host at once (audited); another owner neither sees nor resumes it', async () => {
    const [paused] = await hosts();
    expect(paused).toBeDefined();
    h.offsetMs = 0;
    const flaky = flakySink(h.sink, 0);
    await publish('c', 3); // held: the host is still paused
    flaky.heal(); // no probe comes within the test: they wait for the resume
    const other = await h.s.user();
    expect(await hosts(other.token)).toEqual([]);
    const denied = await call('POST', `/v1/integrations/hosts/${paused.id}/resume`, undefined, other.token);
    expect(denied.status).toBe(404);
    expect(denied.body.ok).toBe(false);
    const r = await call('POST', `/v1/integrations/hosts/${paused.id}/resume`);
    expect(r.status, r.text).toBe(200);
    expect(r.body).toMatchObject({ ok: true, host: { id: paused.id, host: '127.0.0.1' } });
    expect((await call('POST', `/v1/integrations/hosts/${paused.id}/resume`)).status).toBe(404);
    const resumed = await h.hostSse.waitFor((e) => e.event === 'hush/host/resumed' && JSON.parse(e.data.data).by === 'administrator', 10_000);
    expect(JSON.parse(resumed.data.data).host_id).toBe(paused.id);
    await until(async () => (['c0', 'c1', 'c2'].every((d) => flaky.delivered.get(d) === 1) ? true : undefined), 10_000, 'held deliveries sent after the resume');
    const audit = (await call('GET', '/v1/audit')).body.audit as any[];
    expect(audit.find((e) => e.action === 'integration.host.resume')).toMatchObject({ target: `127.0.0.1 (${paused.id})`, outcome: 'ok' });
  });

  it('shows hosts to a view-only organization member but refuses their resume (403)', async () => {
    const [admin, viewer] = [await h.s.user(), await h.s.user()];
    await h.s.services.orgs.create(`hh-${dialect}`, 'Host health', admin.email);
    await h.s.services.orgs.setMember(await h.s.services.orgs.operatorScope(`hh-${dialect}`), viewer.email, 'view-only');
    const base = `/v1/orgs/hh-${dialect}/integrations/hosts`;
    expect((await call('GET', base, undefined, viewer.token)).body).toEqual({ ok: true, hosts: [] });
    const denied = await call('POST', `${base}/0123456789abcdef0123456789abcdef/resume`, undefined, viewer.token);
    expect(denied.status).toBe(403);
    expect((await call('POST', `${base}/0123456789abcdef0123456789abcdef/resume`, undefined, admin.token)).status).toBe(404);
  });
});
