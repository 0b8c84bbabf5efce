import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server/serve.ts';
import { startHttpSink, type HttpSink } from '../support/http-sink.ts';
import { TEST_PG_URL } from '../support/pg-fns.ts';
import { startPgNodes } from '../support/pg-nodes.ts';
import { api } from '../support/test-server.ts';
import { until } from '../support/until-fns.ts';

// Two nodes share one PostgreSQL schema (SQLite is one process by design); reported as skipped without HUSH_TEST_DATABASE_URL.
describe.skipIf(!TEST_PG_URL)('webhook pacing across two nodes (postgres)', () => {
  let cluster: Awaited<ReturnType<typeof startPgNodes>> | undefined;
  let nodes: RunningServer[] = [];
  let sink: HttpSink;

  beforeAll(async () => {
    cluster = await startPgNodes(2, 'hush-pacing-node-', { env: { HUSH_ALLOW_PRIVATE_WEBHOOKS: '1' } });
    nodes = cluster.nodes;
    sink = await startHttpSink();
  }, 60_000);
  afterAll(async () => {
    await cluster?.close();
    await sink?.close();
  });

  it('keeps one rate limit for the cluster: both nodes publishing and sending stay within 10% of it at the sink over 10 s', async () => {
    const u = await nodes[0].services.auth.createUser('pacing-nodes@example.com', 'correct horse battery');
    const token = (await nodes[0].services.auth.issueToken(u.id, 'particle-api')).accessToken;
    const limit = 10;
    const total = 120;
    const hook = await api(nodes[0].url, 'POST', '/v1/integrations', { token, json: { event: 'shared', url: `${sink.url}/shared`, requestType: 'POST', max_per_second: limit } });
    expect(hook.status).toBe(201);
    // Published through both nodes at once, so each node's worker takes deliveries of the one integration.
    for (let at = 0; at < total; at += 10) {
      const answers = await Promise.all(Array.from({ length: 10 }, (_, k) => api((nodes[k % 2] as RunningServer).url, 'POST', '/v1/devices/events', { token, json: { name: 'shared', data: `s${at + k}` } })));
      expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200));
    }
    await until(async () => sink.requests.length >= total, 30_000, 'every delivery');
    const first = sink.requests[0]?.receivedAt as number;
    const inTenSeconds = sink.requests.filter((r) => r.receivedAt < first + 10_000).length;
    expect(Math.abs(inTenSeconds / (limit * 10) - 1), `${inTenSeconds} requests in the first 10 s`).toBeLessThanOrEqual(0.1);
    expect(sink.requests).toHaveLength(total);
  }, 60_000);
});
