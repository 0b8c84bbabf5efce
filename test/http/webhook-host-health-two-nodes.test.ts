import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SLEEPING_TEXT } from '../../src/integrations/host-window-fns.ts';
import type { RunningServer } from '../../src/server/serve.ts';
import { flakySink, HOST_HEALTH_TEST_ENV, PROBE_MS } from '../support/host-health-fns.ts';
import { startHttpSink, type HttpSink } from '../support/http-sink.ts';
import { TEST_PG_URL } from '../support/pg-fns.ts';
import { startPgNodes } from '../support/pg-nodes.ts';
import { openSse, type SseClient } from '../support/sse-client.ts';
import { api } from '../support/test-server.ts';
import { until } from '../support/until-fns.ts';

// Two nodes share one PostgreSQL schema (SQLite is one process by design); reported as skipped without HUSH_TEST_DATABASE_URL.
describe.skipIf(!TEST_PG_URL)('webhook host health across two nodes (postgres)', () => {
  let cluster: Awaited<ReturnType<typeof startPgNodes>> | undefined;
  let nodes: RunningServer[] = [];
  let sink: HttpSink;
  const streams: SseClient[] = [];

  beforeAll(async () => {
    cluster = await startPgNodes(2, 'hush-host-health-node-', { env: { ...HOST_HEALTH_TEST_ENV, HUSH_ALLOW_PRIVATE_WEBHOOKS: '1' }, node: { retryDelaysMs: [50, 50] } });
    nodes = cluster.nodes;
    sink = await startHttpSink();
  }, 60_000);
  afterAll(async () => {
    for (const s of streams) s.close();
    await cluster?.close();
    await sink?.close();
  });

  it('agrees on the pause from either node, announces it once, probes, resumes once and delivers each event at most once', async () => {
    const u = await nodes[0].services.auth.createUser('host-health-nodes@example.com', 'correct horse battery');
    const token = (await nodes[0].services.auth.issueToken(u.id, 'particle-api')).accessToken;
    const created = await api(nodes[0].url, 'POST', '/v1/integrations', { token, json: { event: 'hh', url: `${sink.url}/hook`, requestType: 'POST', json: { d: '{{{PARTICLE_EVENT_VALUE}}}' } } });
    expect(created.status, created.text).toBe(201);
    // One stream per node: each sees every event of the owner, wherever it was published.
    for (const n of nodes) streams.push(await openSse(`${n.url}/v1/devices/events/${encodeURIComponent('hush/host')}`, token));
    const errors = await openSse(`${nodes[1].url}/v1/devices/events/hook-error`, token);
    streams.push(errors);
    const hostsOn = async (n: RunningServer) => (await api(n.url, 'GET', '/v1/integrations/hosts', { token })).body.hosts as any[];
    const flaky = flakySink(sink, 2);
    // Published through both nodes: both send, both count, the first to pass the threshold pauses.
    for (let i = 0; i < 12; i++) expect((await api(nodes[i % 2].url, 'POST', '/v1/devices/events', { token, json: { name: 'hh', data: `e${i}` } })).status).toBe(200);
    for (const sse of streams.slice(0, 2)) await sse.waitFor((e) => e.event === 'hush/host/paused', 15_000);
    const [a, b] = await Promise.all(nodes.map(hostsOn));
    expect(a).toHaveLength(1);
    expect(b?.map((h) => h.id)).toEqual(a?.map((h) => h.id));
    await until(async () => ((await hostsOn(nodes[1]))[0]?.probe_interval_ms > PROBE_MS ? true : undefined), 15_000, 'a failed probe');
    flaky.heal();
    for (const sse of streams.slice(0, 2)) await sse.waitFor((e) => e.event === 'hush/host/resumed', 15_000);
    const dead = async () => (await api(nodes[1].url, 'GET', `/v1/integrations/${created.body.id}/deliveries?status=dead&limit=500`, { token })).body.deliveries.length as number;
    await until(async () => (flaky.delivered.size + (await dead()) >= 12 ? true : undefined), 20_000, 'every delivery delivered or dead');
    expect(flaky.delivered.size + (await dead())).toBe(12);
    expect([...flaky.delivered.values()].every((c) => c === 1)).toBe(true);
    // The sink answered before the outcomes were written: the queue empties just after.
    await until(async () => ((await nodes[0].node.integrations.queue.depth()) === 0 ? true : undefined), 10_000, 'an empty queue');
    for (const n of nodes) expect(await hostsOn(n)).toEqual([]);
    // A marker published after: once it arrived, a second announcement would have too.
    expect((await api(nodes[0].url, 'POST', '/v1/devices/events', { token, json: { name: 'hush/host/marker' } })).status).toBe(200);
    for (const sse of streams.slice(0, 2)) {
      await sse.waitFor((e) => e.event === 'hush/host/marker', 15_000);
      expect(sse.events.map((e) => e.event)).toEqual(['hush/host/paused', 'hush/host/resumed', 'hush/host/marker']);
    }
    expect(errors.events.filter((e) => e.data.data === SLEEPING_TEXT)).toHaveLength(1);
  }, 120_000);
});
