/**
 * Logic runs end to end: publish over HTTP (keep-alive) → durable run queue → fresh
 * sandbox with two secrets, one publish and two log lines → masked logs stored. The
 * baseline is the same code in a bare fresh QuickJS context with no Hush around it.
 *
 *   node --import tsx bench/logic-runs.bench.ts
 */
import { Pool } from 'undici';
import { benchServer, emit, percentile, round } from './bench-fns.ts';
import { LOGIC_BENCH_CODE, measureBareQuickJs } from './logic-baseline.ts';

const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 6000);
const CONCURRENCY = 32;

const server = await benchServer();
const { auth } = server.services;
const user = await auth.createUser('bench@example.com', 'bench-password');
const token = (await auth.issueToken(user.id, 'particle')).accessToken;
const pool = new Pool(server.url, { connections: CONCURRENCY, pipelining: 1 });
const call = async (method: 'POST' | 'PUT', p: string, body: unknown) => {
  const r = await pool.request({ method, path: p, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await r.body.text();
  if (r.statusCode >= 300) throw new Error(`${method} ${p}: ${r.statusCode} ${text}`);
  return JSON.parse(text) as Record<string, unknown>;
};
await call('PUT', '/v1/secrets/API_KEY', { value: 'bench-api-key-0123456789' });
await call('PUT', '/v1/secrets/OTHER_KEY', { value: 'bench-other-key-abcdef' });
await call('POST', '/v1/logic/functions', {
  logic_function: { name: 'bench', source: { type: 'JavaScript', code: LOGIC_BENCH_CODE }, secrets: ['API_KEY', 'OTHER_KEY'], logic_triggers: [{ type: 'Event', event_name: 'bench/in' }] },
});

// Completion is observed on the bus: each run publishes `bench/out` for its trigger event.
const started = new Map<string, number>();
const latencies: number[] = [];
let done = 0;
let pendingWaiters: Array<() => void> = [];
server.node.bus.subscribe({ owner: `user:${user.id}`, prefix: 'bench/in' }, (e) => {
  if (e.data) started.set(e.id, started.get(e.data) ?? performance.now());
});
server.node.bus.subscribe({ owner: `user:${user.id}`, prefix: 'bench/out' }, () => {
  done++;
  pendingWaiters.forEach((w) => w());
  pendingWaiters = [];
});
const waitDone = async (n: number, timeoutMs: number) => {
  const deadline = Date.now() + timeoutMs;
  while (done < n && Date.now() < deadline) await new Promise<void>((r) => (pendingWaiters.push(r), setTimeout(r, 100)));
};
const publish = (tag: string) => call('POST', '/v1/devices/events', { name: 'bench/in', data: tag });

// Warm-up.
for (let i = 0; i < 50; i++) await publish(`w${i}`);
await waitDone(50, 30_000);

// Throughput: 32 publishers for DURATION_MS, then wait for every run to finish.
done = 0;
let sent = 0;
const t0 = performance.now();
await Promise.all(
  Array.from({ length: CONCURRENCY }, async () => {
    while (performance.now() - t0 < DURATION_MS) {
      await publish(`t${sent++}`);
    }
  }),
);
await waitDone(sent, 120_000);
const elapsed = (performance.now() - t0) / 1000;
const runsPerS = done / elapsed;

// Latency at a paced rate (half the measured throughput, at most 500/s).
const rate = Math.max(50, Math.min(500, Math.floor(runsPerS / 2)));
done = 0;
const pacedN = Math.floor((rate * DURATION_MS) / 2000);
const sentAt: number[] = [];
const outAt: number[] = [];
const sub = server.node.bus.subscribe({ owner: `user:${user.id}`, prefix: 'bench/out' }, () => void outAt.push(performance.now()));
const p0 = performance.now();
const inflight: Array<Promise<unknown>> = [];
for (let i = 0; i < pacedN; i++) {
  const due = p0 + (i * 1000) / rate;
  const wait = due - performance.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  sentAt.push(performance.now());
  inflight.push(publish(`p${i}`));
}
await Promise.all(inflight);
await waitDone(pacedN, 60_000);
sub();
// Runs finish roughly in order; pair the k-th completion with the k-th publish.
for (let i = 0; i < Math.min(sentAt.length, outAt.length); i++) latencies.push(outAt[i] - sentAt[i]);
latencies.sort((a, b) => a - b);

const bare = await measureBareQuickJs(3000);
emit({
  bench: 'logic-runs',
  runs_per_s: round(runsPerS, 1),
  baseline: 'bare-quickjs-fresh-context',
  baseline_runs_per_s: round(bare.runsPerSecond, 1),
  ratio: round(runsPerS / bare.runsPerSecond, 3),
  p50_ms: round(percentile(latencies, 0.5)),
  p99_ms: round(percentile(latencies, 0.99)),
  paced_rate_per_s: rate,
  runs: sent,
  concurrency: CONCURRENCY,
  store: 'sqlite',
});
await pool.close();
await server.dispose();
process.exit(0);
