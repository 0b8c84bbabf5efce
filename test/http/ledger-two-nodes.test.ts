import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Particle from 'particle-api-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.ts';
import { startServer, type RunningServer } from '../../src/server/serve.ts';
import { createTestSchema, TEST_PG_URL } from '../support/pg-fns.ts';
import { TEST_COST_ENV } from '../support/test-cost-env.ts';

// Two nodes share one PostgreSQL schema (SQLite is one process by design); reported as skipped without HUSH_TEST_DATABASE_URL.
describe.skipIf(!TEST_PG_URL)('Ledger MERGE across two nodes (postgres)', () => {
  const dirs: string[] = [];
  let schema: { schema: string; drop(): Promise<void> };
  let nodes: RunningServer[] = [];

  beforeAll(async () => {
    schema = await createTestSchema(TEST_PG_URL as string);
    const start = () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hush-ledger-node-'));
      dirs.push(dir);
      const env = { HUSH_HOST: '127.0.0.1', HUSH_PORT: '0', HUSH_DATA_DIR: dir, HUSH_LOG_LEVEL: 'silent', HUSH_DATABASE_URL: TEST_PG_URL as string, HUSH_MASTER_KEY: Buffer.alloc(32, 7).toString('base64'), ...TEST_COST_ENV };
      return startServer(loadConfig(env), { pgSchema: schema.schema });
    };
    nodes = [await start(), await start()];
  }, 60_000);
  afterAll(async () => {
    for (const n of nodes) await n.close();
    await schema?.drop();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

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
