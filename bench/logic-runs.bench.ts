/**
 * Logic runs end to end: publish over HTTP (keep-alive) → durable run queue → fresh
 * sandbox with two secrets, one publish and two log lines → masked logs stored. The
 * baseline is the same code in a bare fresh QuickJS runtime and context per run, with no
 * Hush around it (bench/logic-baseline.ts), measured in this process after the server
 * has stopped.
 *
 * Two processes, as in a deployment: this driver (32 publishers on an undici keep-alive
 * pool, one SSE reader) and `hush serve` (SQLite in a temp dir, its sandbox workers). The
 * server being a child keeps the publishers' HTTP client work off the server's event loop
 * (in one process they would compete for it, which no deployment does); both still share
 * the machine's cores. The publishers outpace the runs, so most of (a) drains a backlog
 * through the durable queue's claims; (b) mostly takes the hand-over path. Completion is observed through the product: each
 * run publishes `bench/out` carrying its trigger event's data (a tag), which the driver
 * reads from the SSE stream `GET /v1/events/bench%2Fout`. Run records are written right
 * after that publish (group commit); the driver checks at the end that they were.
 *
 *   (a) runs/s: every run of events published by 32 closed-loop publishers for
 *       BENCH_DURATION_MS (default 6 s), divided by the time until the last one finished;
 *   (b) p50/p99 publish-to-`bench/out` latency at a paced rate (half of (a), at most 500/s,
 *       or BENCH_PACED_RATE);
 *   (a') runs/s of the same work plus `groupBy`/`sumBy` from `vendor:lodash`, measured right
 *       after (a), and its ratio to (a) (`lodash_ratio_to_plain`);
 *   (a'') runs/s of the same work plus one `get` and one MERGE `set` of an owner-scoped ledger
 *       (`Particle.ledger`, through the host-call bridge), and its ratio to (a) (`ledger_ratio_to_plain`);
 *   (c) baseline runs/s and ratio = (a) / baseline.
 *
 * Also printed: `server_cpu_us_per_run` (server CPU, all threads, per run in (a)) and its
 * main-thread part (HTTP, database, bus; the rest is mostly the sandbox workers), steadier
 * than rates on a shared machine. HUSH_BENCH_PROFILE_DIR writes CPU profiles of the server.
 *
 *   node --import tsx bench/logic-runs.bench.ts
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Pool } from 'undici';
import { loadConfig } from '../src/config/config.ts';
import { openRuntime } from '../src/server/runtime.ts';
import { startChildServer } from '../test/support/child-server.ts';
import { emit, percentile, round } from './bench-fns.ts';
import { LOGIC_BENCH_CODE, LOGIC_BENCH_LEDGER_CODE, LOGIC_BENCH_LODASH_CODE, measureBareQuickJs } from './logic-baseline.ts';

const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 6000);
const CONCURRENCY = 32;
const WARMUP_RUNS = 1000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** CPU time (user + system, ms) a process (or, with `tid`, one of its threads) has used so far, from /proc (null elsewhere). */
function cpuMs(pid: number, tid?: number): number | null {
  try {
    const file = tid === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${tid}/stat`;
    const fields = fs.readFileSync(file, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // clock ticks (USER_HZ = 100)
  } catch {
    return null;
  }
}

async function waitUntil(pred: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hush-bench-'));
let hush: Awaited<ReturnType<typeof startChildServer>> | null = null;
try {
  // A user and token, written straight into the store before the server starts.
  const rt = await openRuntime(loadConfig({ HUSH_DATA_DIR: dataDir, HUSH_LOG_LEVEL: 'warn' }));
  const user = await rt.auth.createUser('bench@example.com', 'correct horse battery');
  const token = (await rt.auth.issueToken(user.id, 'particle')).accessToken;
  await rt.resolver.close();
  await rt.store.close();

  const prof = process.env.HUSH_BENCH_PROFILE_DIR;
  // One owner drives the node: it may use every sandbox worker (the default keeps one for other owners).
  hush = await startChildServer({ dataDir, env: { HUSH_LOG_LEVEL: 'warn', HUSH_LOGIC_MAX_PER_OWNER: '1000' }, nodeArgs: prof ? ['--cpu-prof', `--cpu-prof-dir=${prof}`] : [] });
  const pool = new Pool(hush.url, { connections: CONCURRENCY, pipelining: 1 });
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const call = async (method: 'POST' | 'PUT' | 'GET', p: string, body?: unknown) => {
    const r = await pool.request({ method, path: p, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await r.body.text();
    if (r.statusCode >= 300) throw new Error(`${method} ${p}: ${r.statusCode} ${text}`);
    return JSON.parse(text) as Record<string, unknown>;
  };
  await call('PUT', '/v1/secrets/API_KEY', { value: 'bench-api-key-0123456789' });
  await call('PUT', '/v1/secrets/OTHER_KEY', { value: 'bench-other-key-abcdef' });
  const created = await call('POST', '/v1/logic/functions', {
    logic_function: { name: 'bench', source: { type: 'JavaScript', code: LOGIC_BENCH_CODE }, secrets: ['API_KEY', 'OTHER_KEY'], logic_triggers: [{ type: 'Event', event_name: 'bench/in' }] },
  });
  const functionId = (created.logic_function as { id: string }).id;
  // The lodash variant: the same work plus `groupBy`/`sumBy` from `vendor:lodash`, on its own event.
  const createdLodash = await call('POST', '/v1/logic/functions', {
    logic_function: { name: 'bench-lodash', source: { type: 'JavaScript', code: LOGIC_BENCH_LODASH_CODE }, secrets: ['API_KEY', 'OTHER_KEY'], logic_triggers: [{ type: 'Event', event_name: 'bench/lodash' }] },
  });
  const lodashFunctionId = (createdLodash.logic_function as { id: string }).id;
  await call('POST', '/v1/ledgers', { ledger: { name: 'bench-cache', scope: 'Owner' } });
  await call('POST', '/v1/logic/functions', {
    logic_function: { name: 'bench-ledger', source: { type: 'JavaScript', code: LOGIC_BENCH_LEDGER_CODE }, secrets: ['API_KEY', 'OTHER_KEY'], logic_triggers: [{ type: 'Event', event_name: 'bench/ledger' }] },
  });

  // Completions: the tag each `bench/out` carries, and when it arrived.
  const doneAt = new Map<string, number>();
  const counts = new Map<string, number>();
  const sse = await fetch(`${hush.url}/v1/events/bench%2Fout`, { headers: { authorization: `Bearer ${token}` } });
  if (!sse.ok || !sse.body) throw new Error(`SSE: ${sse.status}`);
  void (async () => {
    const decoder = new TextDecoder();
    let buf = '';
    for await (const chunk of sse.body as unknown as AsyncIterable<Uint8Array>) {
      buf += decoder.decode(chunk, { stream: true });
      let at: number;
      while ((at = buf.indexOf('\n\n')) >= 0) {
        const frame = buf.slice(0, at);
        buf = buf.slice(at + 2);
        const line = frame.split('\n').find((l) => l.startsWith('data: '));
        if (line === undefined) continue;
        const tag = (JSON.parse(JSON.parse(line.slice(6)).data as string) as { tag: string }).tag;
        doneAt.set(tag, performance.now());
        counts.set(tag.charAt(0), (counts.get(tag.charAt(0)) ?? 0) + 1);
      }
    }
  })().catch(() => undefined);
  const count = (phase: string) => counts.get(phase) ?? 0;
  const publish = async (tag: string, name = 'bench/in') => {
    const r = await pool.request({ method: 'POST', path: '/v1/devices/events', headers, body: JSON.stringify({ name, data: tag }) });
    await r.body.dump();
    if (r.statusCode !== 200) throw new Error(`publish: ${r.statusCode}`);
  };
  const closedLoop = async (untilMs: number, prefix: string, name?: string): Promise<number> => {
    let sent = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (performance.now() < untilMs) await publish(`${prefix}${sent++}`, name);
      }),
    );
    return sent;
  };

  // Warm-up (JIT, connections, caches), untimed.
  let warm = 0;
  while (warm < WARMUP_RUNS) warm += await closedLoop(performance.now() + 500, 'w');
  await waitUntil(() => count('w') >= warm, 120_000, 'warm-up runs');
  for (const [prefix, name] of [['x', 'bench/lodash'], ['y', 'bench/ledger']] as const) {
    let warmVariant = 0;
    while (warmVariant < WARMUP_RUNS / 2) warmVariant += await closedLoop(performance.now() + 500, prefix, name);
    await waitUntil(() => count(prefix) >= warmVariant, 120_000, `${name} warm-up runs`);
  }
  /** Runs/s of a variant's closed loop (tags starting with `prefix`), drained. */
  const variantRunsPerS = async (prefix: string, name: string): Promise<number> => {
    const v0 = performance.now();
    const sentVariant = await closedLoop(v0 + DURATION_MS, prefix, name);
    await waitUntil(() => count(prefix) >= sentVariant, 300_000, `the ${name} runs to drain`);
    const lastVariant = Math.max(...[...doneAt].filter(([tag]) => tag.startsWith(prefix)).map(([, at]) => at));
    return sentVariant / ((lastVariant - v0) / 1000);
  };

  // (a) throughput.
  const cpuBefore = cpuMs(hush.pid);
  const mainBefore = cpuMs(hush.pid, hush.pid);
  const t0 = performance.now();
  const sent = await closedLoop(t0 + DURATION_MS, 't');
  await waitUntil(() => count('t') >= sent, 300_000, 'the run queue to drain');
  const last = Math.max(...[...doneAt].filter(([tag]) => tag.startsWith('t')).map(([, at]) => at));
  const runsPerS = sent / ((last - t0) / 1000);
  const cpuAfter = cpuMs(hush.pid);
  const mainAfter = cpuMs(hush.pid, hush.pid);
  const perRun = (before: number | null, after: number | null) => (before === null || after === null ? null : round(((after - before) * 1000) / sent, 0));

  // (a') and (a'') throughput of the lodash and ledger variants, right after (a) in the same server.
  const lodashRunsPerS = await variantRunsPerS('l', 'bench/lodash');
  const ledgerRunsPerS = await variantRunsPerS('g', 'bench/ledger');

  // (b) latency at a paced rate.
  const rate = Number(process.env.BENCH_PACED_RATE ?? Math.max(50, Math.min(500, Math.floor(runsPerS / 2))));
  const pacedN = Math.floor((rate * DURATION_MS) / 2000);
  const sentAt = new Map<string, number>();
  const inflight: Array<Promise<unknown>> = [];
  const p0 = performance.now();
  for (let i = 0; i < pacedN; i++) {
    const wait = p0 + (i * 1000) / rate - performance.now();
    if (wait > 0) await sleep(wait);
    sentAt.set(`p${i}`, performance.now());
    inflight.push(publish(`p${i}`));
  }
  await Promise.all(inflight);
  await waitUntil(() => count('p') >= pacedN, 60_000, 'paced runs');
  const latencies = [...sentAt].map(([tag, at]) => (doneAt.get(tag) ?? at) - at).sort((a, b) => a - b);

  // Every run is recorded: the history holds the newest 100, all successful.
  await sleep(200);
  const runs = (await call('GET', `/v1/logic/functions/${functionId}/runs`)).logic_runs as Array<{ status: string }>;
  if (runs.length !== 100 || runs.some((r) => r.status !== 'Success')) throw new Error(`unexpected run history: ${runs.length} runs, ${JSON.stringify(runs.find((r) => r.status !== 'Success'))}`);
  const lodashRuns = (await call('GET', `/v1/logic/functions/${lodashFunctionId}/runs`)).logic_runs as Array<{ status: string }>;
  if (lodashRuns.length !== 100 || lodashRuns.some((r) => r.status !== 'Success')) throw new Error(`unexpected lodash run history: ${JSON.stringify(lodashRuns.find((r) => r.status !== 'Success'))}`);
  await pool.close();
  await hush.stop();
  hush = null;

  // (c) baseline, with the server gone.
  const bare = await measureBareQuickJs(3000);
  emit({
    bench: 'logic-runs',
    runs_per_s: round(runsPerS, 1),
    baseline: 'bare-quickjs-fresh-context',
    baseline_runs_per_s: round(bare.runsPerSecond, 1),
    ratio: round(runsPerS / bare.runsPerSecond, 3),
    p50_ms: round(percentile(latencies, 0.5)),
    p99_ms: round(percentile(latencies, 0.99)),
    lodash_runs_per_s: round(lodashRunsPerS, 1),
    lodash_ratio_to_plain: round(lodashRunsPerS / runsPerS, 3),
    ledger_runs_per_s: round(ledgerRunsPerS, 1),
    ledger_ratio_to_plain: round(ledgerRunsPerS / runsPerS, 3),
    paced_rate_per_s: rate,
    runs: sent,
    server_cpu_us_per_run: perRun(cpuBefore, cpuAfter),
    server_main_thread_cpu_us_per_run: perRun(mainBefore, mainAfter),
    concurrency: CONCURRENCY,
    store: 'sqlite',
  });
} finally {
  await hush?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
process.exit(0);
