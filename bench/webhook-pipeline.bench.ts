/**
 * Webhook pipeline benchmark: publish → durable queue → worker → masked log → sink.
 *
 * Three processes: this driver (publishers, undici keep-alive pools), `hush serve` (SQLite
 * in a temp dir) and a tiny HTTP sink that answers 200 and reports each request's arrival
 * time and event over stdout. The one webhook uses three secrets (header, query, JSON).
 *
 *   (a) events/s delivered at the sink while 64 publishers publish for ~8 s (after a
 *       warm-up), then the queue is drained;
 *   (b) p50/p99 publish-to-delivery latency at a paced 1,000 events/s for ~5 s;
 *   (c) baseline: a bare undici loop (64 concurrent) posting the same request to the sink;
 *   (d) floor, for reading the ratio: the same loop through a bare Node forwarding proxy
 *       (answer, then forward the body to the sink; no Hush code), counted at the sink.
 *       `proxy_floor_ratio` is the ratio a server doing nothing but relaying would get.
 *
 *   node --import tsx bench/webhook-pipeline.bench.ts
 *
 * Prints one JSON line (also `publish_p99_ms`, the publish reply's share of the latency, and
 * `server_cpu_us_per_event`, the server's CPU per delivered event, which is steadier than
 * rates on a shared machine). Env: HUSH_BENCH_SECONDS (a, default 8), HUSH_BENCH_PACED_SECONDS
 * (b, default 5), HUSH_BENCH_WARMUP_SECONDS (untimed warm-up, default 4), HUSH_BENCH_PROFILE_DIR
 * (write a CPU profile of the server there), HUSH_BENCH_NODE_ARGS (extra flags for the server's node,
 * e.g. `--trace-gc`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { Pool } from 'undici';
import { loadConfig } from '../src/config/config.ts';
import { openRuntime } from '../src/server/runtime.ts';
import { startChildServer } from '../test/support/child-server.ts';

const CONCURRENCY = 64;
const THROUGHPUT_S = Number(process.env.HUSH_BENCH_SECONDS ?? 8);
/** Skipped at the start of the measured window (queues filling up). */
const WARMUP_MS = 1_000;
/** Untimed runs first: the server's code is compiled and optimized while it runs. */
const JIT_WARMUP_S = Number(process.env.HUSH_BENCH_WARMUP_SECONDS ?? 4);
const PACED_RATE = 1_000;
/** Seconds of the proxy floor loop (d). */
const FLOOR_S = Math.max(2, Number(process.env.HUSH_BENCH_FLOOR_SECONDS ?? 5)); // its first second is warm-up
const PACED_S = Number(process.env.HUSH_BENCH_PACED_SECONDS ?? 5);
const SECRETS = { A: 'bench-secret-aaaa-0123456789', B: 'bench-secret-bbbb-9876543210', C: 'bench-secret-cccc-5647382910' };

const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---- sink (another process) ------------------------------------------------------------
const SINK_SCRIPT = `
const http = require('node:http');
let out = [];
const flush = () => { if (out.length) { process.stdout.write(out.join('')); out = []; } };
setInterval(flush, 20);
const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const t = performance.timeOrigin + performance.now();
    let seq = '-', id = '-';
    try { const j = JSON.parse(Buffer.concat(chunks).toString('utf8')); seq = j.seq ?? '-'; id = j.id ?? '-'; } catch {}
    out.push(t.toFixed(3) + ' ' + seq + ' ' + id + '\\n');
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': 11 });
    res.end('{"ok":true}');
  });
});
server.keepAliveTimeout = 60000;
server.listen(0, '127.0.0.1', () => process.stdout.write('PORT ' + server.address().port + '\\n'));
`;

// ---- floor: a bare forwarding proxy (another process) -------------------------------------
// Not Hush: a plain Node HTTP server that answers each POST at once and forwards its body to
// the sink with an undici pool, with no auth, storage, templates or logs. It shows what any
// server that receives an event and sends one request per event reaches on these cores.
const PROXY_SCRIPT = `
const http = require('node:http');
const { Pool } = require(process.argv[1]);
const sink = new Pool(process.argv[2], { connections: 128 });
const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': 11 });
    res.end('{"ok":true}');
    sink.request({ method: 'POST', path: req.url, headers: { 'content-type': 'application/json' }, body: Buffer.concat(chunks) })
      .then((r) => r.body.dump(), () => undefined);
  });
});
server.keepAliveTimeout = 60000;
server.listen(0, '127.0.0.1', () => process.stdout.write('PORT ' + server.address().port + '\\n'));
`;

async function startProxy(sinkUrl: string): Promise<{ url: string; child: ChildProcess }> {
  const undiciPath = createRequire(import.meta.url).resolve('undici');
  const child = spawn(process.execPath, ['-e', PROXY_SCRIPT, undiciPath, sinkUrl], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (c) => reject(new Error(`proxy exited ${c}`)));
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      const m = /PORT (\d+)/.exec(chunk);
      if (m) resolve(Number(m[1]));
    });
  });
  return { url: `http://127.0.0.1:${port}`, child };
}

interface Arrival {
  readonly t: number;
  readonly seq: string;
}

async function startSink(): Promise<{ url: string; arrivals: Arrival[]; counts: Map<string, number>; child: ChildProcess }> {
  const child = spawn(process.execPath, ['-e', SINK_SCRIPT], { stdio: ['ignore', 'pipe', 'inherit'] });
  const arrivals: Arrival[] = [];
  /** Arrivals per phase (the first character of the event data). */
  const counts = new Map<string, number>();
  let buf = '';
  let port = 0;
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (c) => reject(new Error(`sink exited ${c}`)));
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      const lines = (buf + chunk).split('\n');
      buf = lines.pop() ?? '';
      for (const line of lines) {
        if (line.startsWith('PORT ')) {
          port = Number(line.slice(5));
          resolve();
          continue;
        }
        const [t, seq = '-'] = line.split(' ');
        arrivals.push({ t: Number(t), seq });
        counts.set(seq.charAt(0), (counts.get(seq.charAt(0)) ?? 0) + 1);
      }
    });
  });
  return { url: `http://127.0.0.1:${port}`, arrivals, counts, child };
}

// ---- helpers ------------------------------------------------------------------------------
/** CPU time (user + system, ms) a process has used so far, from /proc (null elsewhere). */
function cpuMs(pid: number): number | null {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // clock ticks (USER_HZ = 100)
  } catch {
    return null;
  }
}

const percentile = (sorted: readonly number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
const round = (n: number, d = 2) => Number(n.toFixed(d));

async function waitUntil(pred: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/** Runs `CONCURRENCY` loops calling `once(n)` until `untilMs` (epoch); returns successes. */
async function closedLoop(untilMs: number, once: (n: number) => Promise<boolean>): Promise<number> {
  let seq = 0;
  let ok = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (now() < untilMs) {
        if (await once(seq++)) ok++;
        else await sleep(5);
      }
    }),
  );
  return ok;
}

// ---- main ----------------------------------------------------------------------------------
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hush-bench-'));
const sink = await startSink();
let hush: Awaited<ReturnType<typeof startChildServer>> | null = null;
try {
  // A user and token, written straight into the store before the server starts.
  const baseEnv = { HUSH_DATA_DIR: dataDir, HUSH_LOG_LEVEL: 'warn' };
  const rt = await openRuntime(loadConfig(baseEnv));
  const user = await rt.auth.createUser('bench@example.com', 'correct horse battery');
  const token = (await rt.auth.issueToken(user.id, 'particle-api')).accessToken;
  await rt.resolver.close();
  await rt.store.close();

  const prof = process.env.HUSH_BENCH_PROFILE_DIR;
  hush = await startChildServer({
    dataDir,
    env: { HUSH_LOG_LEVEL: 'warn', HUSH_QUEUE_MAX: '1000000' },
    nodeArgs: [...(prof ? ['--cpu-prof', `--cpu-prof-dir=${prof}`] : []), ...(process.env.HUSH_BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? [])],
  });
  const api = new Pool(hush.url, { connections: CONCURRENCY, pipelining: 1 });
  const call = async (method: 'POST' | 'PUT' | 'DELETE', p: string, body: unknown) => {
    const r = await api.request({ method, path: p, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const text = await r.body.text();
    if (r.statusCode >= 300) throw new Error(`${method} ${p}: ${r.statusCode} ${text}`);
    return text;
  };
  for (const [k, v] of Object.entries(SECRETS)) await call('PUT', `/v1/secrets/${k}`, { value: v });
  await call('POST', '/v1/integrations', {
    integration_type: 'Webhook',
    event: 'bench',
    url: `${sink.url}/hook`,
    requestType: 'POST',
    headers: { 'X-Api-Key': '{{{A}}}' },
    query: { key: '{{{B}}}' },
    json: { c: '{{{C}}}', seq: '{{{PARTICLE_EVENT_VALUE}}}', id: '{{{PARTICLE_EVENT_ID}}}' },
    secrets: ['A', 'B', 'C'],
  });

  const publish = async (data: string): Promise<boolean> => {
    const r = await api.request({
      method: 'POST',
      path: '/v1/devices/events',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'bench', data }),
    });
    await r.body.dump();
    return r.statusCode === 200;
  };
  const countSeq = (phase: string) => sink.counts.get(phase) ?? 0;

  // Warm the whole path (JIT, connections, masker cache) with an untimed closed loop.
  const warm = await closedLoop(now() + JIT_WARMUP_S * 1_000, (n) => publish(`w${n}`));
  await waitUntil(() => countSeq('w') >= warm, 120_000, 'warm-up deliveries');

  // (a) throughput.
  const cpuBefore = cpuMs(hush.pid);
  const start = now();
  const windowStart = start + WARMUP_MS;
  const end = start + THROUGHPUT_S * 1_000;
  const accepted = await closedLoop(end, (n) => publish(`t${n}`));
  const inWindow = sink.arrivals.filter((a) => a.seq.startsWith('t') && a.t >= windowStart && a.t <= end).length;
  const eventsPerS = inWindow / ((end - windowStart) / 1_000);
  const publishPerS = accepted / (THROUGHPUT_S);
  const drainStart = now();
  await waitUntil(() => countSeq('t') >= accepted, 300_000, 'the queue to drain');
  const drainMs = now() - drainStart;
  const deliveredT = countSeq('t');
  const cpuAfter = cpuMs(hush.pid);
  const serverCpuUsPerEvent = cpuBefore === null || cpuAfter === null ? null : ((cpuAfter - cpuBefore) * 1000) / deliveredT;

  // (b) latency at a paced rate.
  const sentAt = new Map<string, number>();
  const publishMs: number[] = [];
  const pacedStart = now();
  const total = PACED_RATE * PACED_S;
  let sent = 0;
  const inflight = new Set<Promise<unknown>>();
  while (sent < total) {
    const due = Math.min(total, Math.floor(((now() - pacedStart) / 1_000) * PACED_RATE) + 1);
    while (sent < due) {
      const seq = `p${sent++}`;
      const t0 = now();
      sentAt.set(seq, t0);
      const p = publish(seq).finally(() => {
        publishMs.push(now() - t0);
        inflight.delete(p);
      });
      inflight.add(p);
    }
    await sleep(1);
  }
  await Promise.all(inflight);
  await waitUntil(() => countSeq('p') >= total, 60_000, 'paced deliveries');
  const lat = sink.arrivals
    .filter((a) => a.seq.startsWith('p'))
    .map((a) => a.t - (sentAt.get(a.seq) ?? a.t))
    .sort((x, y) => x - y);
  const pacedActual = total / ((now() - pacedStart) / 1_000);

  // (c) baseline: the same request straight to the sink.
  const direct = new Pool(sink.url, { connections: CONCURRENCY, pipelining: 1 });
  const post = async (seq: string) => {
    const r = await direct.request({
      method: 'POST',
      path: `/hook?key=${SECRETS.B}`,
      headers: { 'x-api-key': SECRETS.A, 'content-type': 'application/json', 'user-agent': 'ParticleBot/1.1 (https://docs.particle.io/webhooks)' },
      body: JSON.stringify({ c: SECRETS.C, seq, id: '0'.repeat(24), event: 'bench', data: seq, published_at: new Date().toISOString(), coreid: 'api' }),
    });
    await r.body.dump();
    return r.statusCode === 200;
  };
  await closedLoop(now() + 500, (n) => post(`x${n}`));
  const bStart = now();
  const bEnd = bStart + THROUGHPUT_S * 1_000;
  const bDone = await closedLoop(bEnd, (n) => post(`b${n}`));
  const baselinePerS = bDone / ((now() - bStart) / 1_000);
  await direct.close();

  // (d) floor: the same closed loop through a bare forwarding proxy, counted at the sink.
  const proxy = await startProxy(sink.url);
  const viaProxy = new Pool(proxy.url, { connections: CONCURRENCY, pipelining: 1 });
  const forward = async (seq: string) => {
    const r = await viaProxy.request({
      method: 'POST',
      path: `/hook?key=${SECRETS.B}`,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ c: SECRETS.C, seq, id: '0'.repeat(24), event: 'bench', data: seq, published_at: new Date().toISOString(), coreid: 'api' }),
    });
    await r.body.dump();
    return r.statusCode === 200;
  };
  await closedLoop(now() + 500, (n) => forward(`y${n}`));
  const fStart = now();
  const fWindowStart = fStart + WARMUP_MS;
  const fEnd = fStart + FLOOR_S * 1_000;
  await closedLoop(fEnd, (n) => forward(`f${n}`));
  await sleep(200);
  const fIn = sink.arrivals.filter((a) => a.seq.startsWith('f') && a.t >= fWindowStart && a.t <= fEnd).length;
  const proxyPerS = fIn / ((fEnd - fWindowStart) / 1_000);
  await viaProxy.close();
  proxy.child.kill('SIGKILL');
  await api.close();

  console.log(
    JSON.stringify({
      bench: 'webhook-pipeline',
      events_per_s: round(eventsPerS, 0),
      baseline_per_s: round(baselinePerS, 0),
      ratio: round(eventsPerS / baselinePerS, 3),
      proxy_floor_per_s: round(proxyPerS, 0),
      proxy_floor_ratio: round(proxyPerS / baselinePerS, 3),
      p50_ms: round(percentile(lat, 50)),
      p99_ms: round(percentile(lat, 99)),
      publish_p99_ms: round(percentile(publishMs.sort((x, y) => x - y), 99)),
      paced_rate: PACED_RATE,
      paced_actual: round(pacedActual, 0),
      secrets: 3,
      publish_per_s: round(publishPerS, 0),
      accepted,
      delivered: deliveredT,
      drain_ms: round(drainMs, 0),
      server_cpu_us_per_event: serverCpuUsPerEvent === null ? null : round(serverCpuUsPerEvent, 0),
      seconds: THROUGHPUT_S,
      concurrency: CONCURRENCY,
    }),
  );
} finally {
  await hush?.stop();
  sink.child.kill('SIGKILL');
  fs.rmSync(dataDir, { recursive: true, force: true });
}
