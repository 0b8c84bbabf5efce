import Particle from 'particle-api-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server/serve.ts';
import { TEST_PG_URL } from '../support/pg-fns.ts';
import { startPgNodes } from '../support/pg-nodes.ts';

// Two nodes share one PostgreSQL schema (SQLite is one process by design); reported as skipped without HUSH_TEST_DATABASE_URL.
describe.skipIf(!TEST_PG_URL)('Ledger MERGE across two nodes (postgres)', () => {
  let cluster: Awaited<ReturnType<typeof startPgNodes>> | undefined;
  let nodes: RunningServer[] = [];

  beforeAll(async () => {
    cluster = await startPgNodes(2, 'hush-ledger-node-');
    nodes = cluster.nodes;
  }, 60_000);
  afterAll(async () => cluster?.close());

  it('100 concurrent MERGE sets, each of its own key, split over both nodes, leave all 100 keys', async () => {
    const u = await nodes[0].services.auth.createUser('ledger-nodes@example.com', 'correct horse battery');
    const auth = (await nodes[0].services.auth.issueToken(u.id, 'particle-api')).accessToken;
    const sdks = nodes.map((n) => new Particle({ baseUrl: n.url }));
    await sdks[0].createLedger({ auth, ledger: { name: 'shared', scope: 'Owner', direction: 'Downstream' } });
    const n = 100;
    await Promise.all(Array.from({ length: n }, (_, i) =>
      sdks[i % 2].setLedgerInstance({ auth, ledgerName: 'shared', scopeValue: u.id, setMode: 'Merge', instance: { data: { [`k${i}`]: i } } })));
    for (const sdk of sdks) {
      const data = (await sdk.getLedgerInstance({ auth, ledgerName: 'shared', scopeValue: u.id })).body.data;
      expect(Object.keys(data).sort()).toEqual(Array.from({ length: n }, (_, i) => `k${i}`).sort());
    }
  }, 120_000);
});
