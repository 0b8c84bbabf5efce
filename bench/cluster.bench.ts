/**
 * Several nodes: webhook-pipeline events/s (publish over HTTP → durable queue → worker →
 * masked log → sink) with one node on PostgreSQL, two nodes on PostgreSQL, and one node
 * on SQLite, all in the same run, with the ratios between them.
 *
 *   node --import tsx bench/cluster.bench.ts        (needs HUSH_TEST_DATABASE_URL)
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Pool } from 'undici';
import { loadConfig } from '../src/config/config.ts';
import { openRuntime } from '../src/server/runtime.ts';
import { CHILD_MASTER_KEY, startChildServer, type ChildServer } from '../test/support/child-server.ts';
import { createTestSchema, TEST_PG_URL, urlWithSchema } from '../test/support/pg-fns.ts';
import { emit, round } from './bench-fns.ts';

if (!TEST_PG_URL) {
  process.stderr.write('bench/cluster needs HUSH_TEST_DATABASE_URL (npm run bench sets it to the local server)\n');
  process.exit(1);
}
const PG = TEST_PG_URL;
const SECONDS = Number(process.env.HUSH_BENCH_SECONDS ?? 6);
const CONCURRENCY = 64;

// The sink counts deliveries; it answers at once so the pipeline, not the sink, is measured.
let delivered = 0;
const sink = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    delivered++;
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': 11 });
    res.end('{"ok":true}');
  });
});
sink.keepAliveTimeout = 60_000;
await new Promise<void>((r) => sink.listen(0, '127.0.0.1', r));
const sinkUrl = `http://127.0.0.1:${(sink.address() as { port: number }).port}`;

async function measure(label: string, nodeCount: number, store: 'postgres' | 'sqlite'): Promise<number> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hush-cbench-'));
  const schema = store === 'postgres' ? await createTestSchema(PG) : null;
  const env = { HUSH_LOG_LEVEL: 'warn', HUSH_DB_POOL_SIZE: '10' };
  const nodes: ChildServer[] = [];
  for (let i = 0; i < nodeCount; i++) {
    nodes.push(await startChildServer({ dataDir: i === 0 ? dataDir : fs.mkdtempSync(path.join(os.tmpdir(), 'hush-cbench-')), pgSchema: schema?.schema, env }));
  }
  const config = loadConfig(
    schema ? { HUSH_DATABASE_URL: urlWithSchema(PG, schema.schema), HUSH_MASTER_KEY: CHILD_MASTER_KEY, HUSH_DATA_DIR: dataDir } : { HUSH_DATA_DIR: dataDir },
  );
  const admin = await openRuntime(config);
  const user = await admin.auth.createUser(`bench-${label}@example.com`, 'bench-password');
  const token = (await admin.auth.issueToken(user.id, 'particle')).accessToken;
  await admin.store.close();
  const pools = nodes.map((n) => new Pool(n.url, { connections: Math.ceil(CONCURRENCY / nodeCount), pipelining: 1 }));
  const call = async (pool: Pool, method: 'POST' | 'PUT', p: string, body: unknown) => {
    const r = await pool.request({ method, path: p, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const text = await r.body.text();
    if (r.statusCode >= 300) throw new Error(`${method} ${p}: ${r.statusCode} ${text}`);
  };
  for (const [k, v] of Object.entries({ A: 'bench-secret-aaaa-0123456789', B: 'bench-secret-bbbb-9876543210', C: 'bench-secret-cccc-5647382910' })) {
    await call(pools[0], 'PUT', `/v1/secrets/${k}`, { value: v });
  }
  await call(pools[0], 'POST', '/v1/integrations', {
    event: 'bench', url: `${sinkUrl}/hook`, headers: { 'X-A': '{{{A}}}' }, query: { b: '{{{B}}}' }, json: { c: '{{{C}}}', v: '{{{PARTICLE_EVENT_VALUE}}}' }, secrets: ['A', 'B', 'C'],
  });
  // Warm-up, then a fixed window; delivered/s counts arrivals at the sink in the window.
  let seq = 0;
  const publishFor = async (ms: number) => {
    const until = performance.now() + ms;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async (_, i) => {
        while (performance.now() < until) await call(pools[i % pools.length], 'POST', '/v1/devices/events', { name: 'bench', data: String(seq++) });
      }),
    );
  };
  await publishFor(1000);
  await new Promise((r) => setTimeout(r, 1000));
  const before = delivered;
  const t0 = performance.now();
  await publishFor(SECONDS * 1000);
  const perS = (delivered - before) / ((performance.now() - t0) / 1000);
  await Promise.all(pools.map((p) => p.close()));
  await Promise.all(nodes.map((n) => n.stop()));
  await schema?.drop();
  fs.rmSync(dataDir, { recursive: true, force: true });
  return perS;
}

const sqlite1 = await measure('sqlite1', 1, 'sqlite');
const pg1 = await measure('pg1', 1, 'postgres');
const pg2 = await measure('pg2', 2, 'postgres');
emit({
  bench: 'cluster',
  pg_1_node_events_per_s: round(pg1, 1),
  pg_2_nodes_events_per_s: round(pg2, 1),
  sqlite_1_node_events_per_s: round(sqlite1, 1),
  baseline: 'sqlite-1-node',
  ratio_pg1_vs_sqlite: round(pg1 / sqlite1, 3),
  ratio_pg2_vs_sqlite: round(pg2 / sqlite1, 3),
  scaling_pg2_vs_pg1: round(pg2 / pg1, 3),
  secrets: 3,
  concurrency: CONCURRENCY,
  seconds: SECONDS,
  note: 'all nodes, the driver and PostgreSQL share the same 2 cores',
});
sink.close();
process.exit(0);
