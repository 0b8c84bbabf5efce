import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { HushServices } from '../../src/app.ts';
import { loadConfig } from '../../src/config/config.ts';
import { openRuntime } from '../../src/server/runtime.ts';
import { CHILD_MASTER_KEY, startChildServer, type ChildServer } from '../support/child-server.ts';
import { createTestSchema, TEST_PG_URL, urlWithSchema } from '../support/pg-fns.ts';
import { TEST_COST_ENV } from '../support/test-cost-env.ts';

export interface Cluster {
  readonly schema: string;
  readonly nodes: ChildServer[];
  /** Services opened by the test process on the same database (admin work, assertions). */
  readonly admin: HushServices;
  startNode(env?: Record<string, string>): Promise<ChildServer>;
  user(): Promise<{ id: string; email: string; token: string }>;
  stop(): Promise<void>;
}

let n = 0;

/** Several `hush serve` processes on one fresh PostgreSQL schema, dropped afterwards. */
export async function startCluster(count: number, env: Record<string, string> = {}): Promise<Cluster> {
  if (!TEST_PG_URL) throw new Error('HUSH_TEST_DATABASE_URL is not set');
  const { schema, drop } = await createTestSchema(TEST_PG_URL);
  const dirs: string[] = [];
  const nodes: ChildServer[] = [];
  const startNode = async (extra: Record<string, string> = {}) => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hush-node-'));
    dirs.push(dataDir);
    const node = await startChildServer({ dataDir, pgSchema: schema, env: { ...env, ...extra } });
    nodes.push(node);
    return node;
  };
  // All nodes start at the same moment against the empty schema.
  await Promise.all(Array.from({ length: count }, () => startNode()));
  const config = loadConfig({ HUSH_DATABASE_URL: urlWithSchema(TEST_PG_URL, schema), HUSH_MASTER_KEY: CHILD_MASTER_KEY, HUSH_DATA_DIR: os.tmpdir(), HUSH_DB_POOL_SIZE: '4', ...TEST_COST_ENV });
  const admin = await openRuntime(config);
  return {
    schema,
    nodes,
    admin,
    startNode,
    async user() {
      const u = await admin.auth.createUser(`node-user${++n}-${Date.now()}@example.com`, 'correct horse battery');
      const t = await admin.auth.issueToken(u.id, 'particle-api');
      return { id: u.id, email: u.email, token: t.accessToken };
    },
    async stop() {
      await Promise.all(nodes.map((x) => x.stop()));
      await admin.resolver.close();
      await admin.store.close();
      await drop();
      for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
    },
  };
}

export { until } from '../support/until-fns.ts';
