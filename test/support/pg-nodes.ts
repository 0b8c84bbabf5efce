import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config/config.ts';
import { startServer, type RunningServer, type StartOptions } from '../../src/server/serve.ts';
import { createTestSchema, TEST_PG_URL } from './pg-fns.ts';
import { TEST_COST_ENV } from './test-cost-env.ts';

/** `count` Hush nodes sharing one fresh PostgreSQL schema (needs HUSH_TEST_DATABASE_URL); `close` stops them and drops it. */
export async function startPgNodes(
  count: number,
  dirPrefix: string,
  opts: { env?: Record<string, string>; node?: Omit<StartOptions, 'pgSchema'> } = {},
): Promise<{ nodes: RunningServer[]; close(): Promise<void> }> {
  const schema = await createTestSchema(TEST_PG_URL as string);
  const dirs: string[] = [];
  const nodes: RunningServer[] = [];
  for (let i = 0; i < count; i++) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), dirPrefix));
    dirs.push(dir);
    const env = { HUSH_HOST: '127.0.0.1', HUSH_PORT: '0', HUSH_DATA_DIR: dir, HUSH_LOG_LEVEL: 'silent', HUSH_DATABASE_URL: TEST_PG_URL as string, HUSH_MASTER_KEY: Buffer.alloc(32, 7).toString('base64'), ...TEST_COST_ENV, ...opts.env };
    nodes.push(await startServer(loadConfig(env), { ...opts.node, pgSchema: schema.schema }));
  }
  return {
    nodes,
    async close() {
      for (const n of nodes) await n.close();
      await schema.drop();
      for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
    },
  };
}
