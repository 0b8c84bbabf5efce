import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server/serve.ts';
import { TEST_PG_URL } from '../support/pg-fns.ts';
import { startPgNodes } from '../support/pg-nodes.ts';
import { api } from '../support/test-server.ts';
import { until } from '../support/until-fns.ts';

// Each fired run records itself under a key of its own: the count of keys is the count of runs (run history is trimmed at 100).
const COUNT_CODE = `import Particle from 'particle:core';
export default function count({ ledgerChange }) {
  Particle.ledger('fired').set({ [Math.random().toString(36).slice(2) + Date.now()]: Object.keys(ledgerChange.data).length }, Particle.MERGE);
}`;

// Two nodes share one PostgreSQL schema (SQLite is one process by design); reported as skipped without HUSH_TEST_DATABASE_URL.
describe.skipIf(!TEST_PG_URL)('LedgerChange triggers across two nodes (postgres)', () => {
  let cluster: Awaited<ReturnType<typeof startPgNodes>> | undefined;
  let nodes: RunningServer[] = [];

  beforeAll(async () => {
    cluster = await startPgNodes(2, 'hush-ledger-trigger-node-');
    nodes = cluster.nodes;
  }, 60_000);
  afterAll(async () => cluster?.close());

  it('100 concurrent Logic executes on two nodes MERGE their own keys into one instance, all kept; each change fires its trigger once', async () => {
    const u = await nodes[0].services.auth.createUser('ledger-trigger-nodes@example.com', 'correct horse battery');
    const token = (await nodes[0].services.auth.issueToken(u.id, 'particle-api')).accessToken;
    const call = (i: number, method: string, p: string, json?: unknown) => api(nodes[i % 2].url, method, p, { token, ...(json ? { json } : {}) });
    for (const name of ['shared', 'fired']) expect((await call(0, 'POST', '/v1/ledgers', { ledger: { name, scope: 'Owner' } })).status).toBe(201);
    const f = await call(0, 'POST', '/v1/logic/functions', { logic_function: { name: 'count', source: { code: COUNT_CODE }, logic_triggers: [{ type: 'LedgerChange', ledger_name: 'shared' }] } });
    expect(f.status, f.text).toBe(201);
    const n = 100;
    const results = await Promise.all(Array.from({ length: n }, async (_, i) => {
      const code = `import Particle from 'particle:core';\nexport default function () { Particle.ledger('shared').set({ k${i}: ${i} }, Particle.MERGE); }`;
      const r = await call(i, 'POST', '/v1/logic/execute', { event: { event_name: 'test_event', product_id: 0, device_id: '', event_data: '' }, source: { type: 'JavaScript', code } });
      return r.body.result as { status: string; err?: string };
    }));
    expect(results.filter((r) => r.status !== 'Success')).toEqual([]);
    for (const i of [0, 1]) {
      const data = (await call(i, 'GET', `/v1/ledgers/shared/instances/${u.id}`)).body.data as Record<string, number>;
      expect(Object.keys(data).sort()).toEqual(Array.from({ length: n }, (_, k) => `k${k}`).sort());
    }
    const db = nodes[0].services.store.db;
    await until(async () => {
      const r = await db.selectFrom('logic_jobs').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      return Number(r.n) === 0 ? true : undefined;
    }, 60_000);
    await Promise.all(nodes.map((x) => x.node.logic.jobs.idle()));
    const fired = (await call(0, 'GET', `/v1/ledgers/fired/instances/${u.id}`)).body.data as Record<string, number>;
    expect(Object.keys(fired)).toHaveLength(n);
    // Every change was seen with the keys it left: 1 to 100, each once.
    expect(Object.values(fired).sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, k) => k + 1));
  }, 180_000);
});
