import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server/serve.ts';
import { TEST_PG_URL } from '../support/pg-fns.ts';
import { startPgNodes } from '../support/pg-nodes.ts';
import { openSse } from '../support/sse-client.ts';
import { api } from '../support/test-server.ts';
import { until } from '../support/until-fns.ts';

const DAY = 86_400_000;

// Two nodes share one PostgreSQL schema (SQLite is one process by design); reported as skipped without HUSH_TEST_DATABASE_URL.
describe.skipIf(!TEST_PG_URL)('secret expiry reminders across two nodes (postgres)', () => {
  let cluster: Awaited<ReturnType<typeof startPgNodes>> | undefined;
  let nodes: RunningServer[] = [];
  // One clock for both nodes, moved by the test; both sweep every 50 ms on their own as well.
  let clock = Date.UTC(2026, 5, 1, 12, 0, 0);

  beforeAll(async () => {
    cluster = await startPgNodes(2, 'hush-expiry-node-', { env: { HUSH_SECRET_EXPIRY_SWEEP_MS: '100' }, node: { now: () => new Date(clock) } });
    nodes = cluster.nodes;
  }, 60_000);
  afterAll(async () => cluster?.close());

  it('sends each reminder once however many sweeps race on both nodes', async () => {
    const u = await nodes[0].services.auth.createUser('expiry-nodes@example.com', 'correct horse battery');
    const token = (await nodes[0].services.auth.issueToken(u.id, 'particle-api')).accessToken;
    // One stream per node: each sees every event of the owner, wherever it was published.
    const streams = await Promise.all(nodes.map((n) => openSse(`${n.url}/v1/devices/events/${encodeURIComponent('hush/secret/exp')}`, token)));
    const names = Array.from({ length: 20 }, (_, i) => `KEY_${i}`);
    const expiresAt = new Date(clock + 20 * DAY).toISOString();
    for (const name of names) {
      const r = await api(nodes[0].url, 'POST', '/v1/secrets', { token, json: { name, value: `value-of-${name}-71c3`, expires_at: expiresAt } });
      expect(r.status).toBe(201);
    }
    const start = clock;
    for (const [day, reminder] of [[0, '30d'], [14, '7d'], [20, 'expired']] as const) {
      clock = start + day * DAY;
      // Explicit sweeps racing on both nodes, on top of the periodic ones.
      const sent = (await Promise.all([...nodes, ...nodes, ...nodes].map((n) => n.services.expirySweep.sweep()))).reduce((a, b) => a + b, 0);
      expect(sent).toBeLessThanOrEqual(names.length);
      for (const sse of streams) {
        await until(async () => sse.events.filter((e) => JSON.parse(e.data.data).reminder === reminder).length >= names.length || undefined, 20_000, `${reminder} reminders`);
      }
    }
    // Everything claimed: more sweeps on both nodes send nothing.
    const more = (await Promise.all(nodes.map((n) => n.services.expirySweep.sweep()))).reduce((a, b) => a + b, 0);
    expect(more).toBe(0);
    // A marker published after: once it arrived, any duplicate would have too.
    expect((await api(nodes[1].url, 'POST', '/v1/devices/events', { token, json: { name: 'hush/secret/expiry-marker' } })).status).toBe(200);
    for (const sse of streams) {
      await sse.waitFor((e) => e.event === 'hush/secret/expiry-marker', 15_000);
      const got = sse.events.filter((e) => e.event !== 'hush/secret/expiry-marker').map((e) => `${JSON.parse(e.data.data).name}:${JSON.parse(e.data.data).reminder}`);
      expect(got.length).toBe(names.length * 3);
      expect(new Set(got).size).toBe(got.length);
      sse.close();
    }
  }, 120_000);
});
