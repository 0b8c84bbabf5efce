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
 *   (f) signing on/off: a third server whose webhook signs each request (Standard Webhooks,
 *       HMAC-SHA256) runs (a) too, alternating with the first, printed as `webhook-pipeline-signing`.
 *
 *   (e) metrics on/off: a second server with HUSH_METRICS=1 runs (a) too, alternating with
 *       the first (off, on, off, on), printed as a second line `webhook-pipeline-metrics`.
 *
 * Prints one JSON line (also `publish_p99_ms`, the publish reply's share of the latency, and
 * `server_cpu_us_per_event`, the server's CPU per delivered event, which is steadier than
 * rates on a shared machine). Env: HUSH_BENCH_SECONDS (a, default 8), HUSH_BENCH_PACED_SECONDS
 * (b, default 5), HUSH_BENCH_WARMUP_SECONDS (untimed warm-up, default 4), HUSH_BENCH_PROFILE_DIR
 * (write a CPU profile of the server there), HUSH_BENCH_NODE_ARGS (extra flags for the server's node,
 * e.g. `--trace-gc`).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Pool } from 'undici';
import { loadConfig } from '../src/config/config.ts';
import { openRuntime } from '../src/server/runtime.ts';
import { startChildServer } from '../test/support/child-server.ts';
import { CONCURRENCY, closedLoop, cpuMs, now, percentile, round, SECRETS, SIGNING_KEY, sleep, startProxy, startSink, waitUntil } from './webhook-pipeline-fns.ts';

const THROUGHPUT_S = Number(process.env.HUSH_BENCH_SECONDS ?? 8);
/** Skipped at the start of the measured window (queues filling up). */
const WARMUP_MS = 1_000;
/** Untimed runs first: the server's code is compiled and optimized while it runs. */
const JIT_WARMUP_S = Number(process.env.HUSH_BENCH_WARMUP_SECONDS ?? 4);
const PACED_RATE = 1_000;
/** Seconds of the proxy floor loop (d). */
const FLOOR_S = Math.max(2, Number(process.env.HUSH_BENCH_FLOOR_SECONDS ?? 5)); // its first second is warm-up
const PACED_S = Number(process.env.HUSH_BENCH_PACED_SECONDS ?? 5);
// ---- main ----------------------------------------------------------------------------------
const sink = await startSink();
const dirs: string[] = [];
const servers: Array<Awaited<ReturnType<typeof startChildServer>>> = [];
const METRICS_ENV = { HUSH_METRICS: '1', HUSH_METRICS_TOKEN: 'bench-metrics-token-0123456789' };

/** A `hush serve` child on its own SQLite dir with the bench's secrets and webhook; `publish` posts one event. */
async function startHush(env: Record<string, string>, profile: boolean, signing = false) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hush-bench-'));
  dirs.push(dataDir);
  // A user and token, written straight into the store before the server starts.
  const rt = await openRuntime(loadConfig({ HUSH_DATA_DIR: dataDir, HUSH_LOG_LEVEL: 'warn' }));
  const user = await rt.auth.createUser('bench@example.com', 'correct horse battery');
  const token = (await rt.auth.issueToken(user.id, 'particle-api')).accessToken;
  await rt.resolver.close();
  await rt.store.close();
  const prof = profile ? process.env.HUSH_BENCH_PROFILE_DIR : undefined;
  const child = await startChildServer({
    dataDir,
    env: { HUSH_LOG_LEVEL: 'warn', HUSH_QUEUE_MAX: '1000000', ...env },
    nodeArgs: [...(prof ? ['--cpu-prof', `--cpu-prof-dir=${prof}`] : []), ...(process.env.HUSH_BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? [])],
  });
  servers.push(child);
  const api = new Pool(child.url, { connections: CONCURRENCY, pipelining: 1 });
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const call = async (method: 'POST' | 'PUT', p: string, body: unknown) => {
    const r = await api.request({ method, path: p, headers, body: JSON.stringify(body) });
    const text = await r.body.text();
    if (r.statusCode >= 300) throw new Error(`${method} ${p}: ${r.statusCode} ${text}`);
  };
  for (const [k, v] of Object.entries(SECRETS)) await call('PUT', `/v1/secrets/${k}`, { value: v });
  // Every owner holds the signing key (the owner's masker covers all its secrets), so signing on/off differ by signing only.
  await call('PUT', '/v1/secrets/HOOK_KEY', { value: SIGNING_KEY });
  await call('POST', '/v1/integrations', {
    integration_type: 'Webhook',
    event: 'bench',
    url: `${sink.url}/hook`,
    requestType: 'POST',
    headers: { 'X-Api-Key': '{{{A}}}' },
    query: { key: '{{{B}}}' },
    json: { c: '{{{C}}}', seq: '{{{PARTICLE_EVENT_VALUE}}}', id: '{{{PARTICLE_EVENT_ID}}}' },
    secrets: signing ? ['A', 'B', 'C', 'HOOK_KEY'] : ['A', 'B', 'C'],
    ...(signing ? { signing_secret: 'HOOK_KEY' } : {}),
  });
  const publish = async (data: string): Promise<boolean> => {
    const r = await api.request({ method: 'POST', path: '/v1/devices/events', headers, body: JSON.stringify({ name: 'bench', data }) });
    await r.body.dump();
    return r.statusCode === 200;
  };
  return { child, api, publish };
}
type Hush = Awaited<ReturnType<typeof startHush>>;
const countSeq = (phase: string) => sink.counts.get(phase) ?? 0;

/** Warms the whole path (JIT, connections, masker cache) with an untimed closed loop. */
async function warm(h: Hush, prefix: string): Promise<void> {
  const n = await closedLoop(now() + JIT_WARMUP_S * 1_000, (i) => h.publish(`${prefix}${i}`));
  await waitUntil(() => countSeq(prefix) >= n, 120_000, 'warm-up deliveries');
}

/** (a) events/s delivered while 64 publishers publish, then the drain and the server's CPU per event. */
async function throughput(h: Hush, prefix: string) {
  const cpuBefore = cpuMs(h.child.pid);
  const start = now();
  const windowStart = start + WARMUP_MS;
  const end = start + THROUGHPUT_S * 1_000;
  const accepted = await closedLoop(end, (n) => h.publish(`${prefix}${n}`));
  const inWindow = sink.arrivals.filter((a) => a.seq.startsWith(prefix) && a.t >= windowStart && a.t <= end).length;
  const drainStart = now();
  await waitUntil(() => countSeq(prefix) >= accepted, 300_000, 'the queue to drain');
  const drainMs = now() - drainStart;
  const delivered = countSeq(prefix);
  const cpuAfter = cpuMs(h.child.pid);
  return {
    eventsPerS: inWindow / ((end - windowStart) / 1_000),
    publishPerS: accepted / THROUGHPUT_S,
    accepted,
    delivered,
    drainMs,
    cpuUsPerEvent: cpuBefore === null || cpuAfter === null ? null : ((cpuAfter - cpuBefore) * 1000) / delivered,
  };
}

try {
  // Metrics off (the figures of record) and on, each warmed, measured alternately twice so
  // that machine noise falls on both alike.
  const hush = await startHush({}, true);
  const metered = await startHush(METRICS_ENV, false);
  const signer = await startHush({}, false, true);
  await warm(hush, 'w');
  await warm(metered, 'k');
  await warm(signer, 'g');
  const off1 = await throughput(hush, 't');
  const on1 = await throughput(metered, 'u');
  const sig1 = await throughput(signer, 'h');
  const off2 = await throughput(hush, 'v');
  const on2 = await throughput(metered, 'z');
  const sig2 = await throughput(signer, 'j');
  for (const h of [metered, signer]) {
    await h.api.close();
    await h.child.stop();
  }
  const signedSeen = (sink.signed.get('h') ?? 0) + (sink.signed.get('j') ?? 0);
  if (signedSeen !== sig1.delivered + sig2.delivered || (sink.signed.get('t') ?? 0) > 0) throw new Error('signing on/off: the sink saw the wrong requests signed');
  const { eventsPerS, publishPerS, accepted, drainMs } = off1;
  const deliveredT = off1.delivered;
  const serverCpuUsPerEvent = off1.cpuUsPerEvent;
  const offRate = (off1.eventsPerS + off2.eventsPerS) / 2;
  const onRate = (on1.eventsPerS + on2.eventsPerS) / 2;
  const cpuOf = (a: { cpuUsPerEvent: number | null }, b: { cpuUsPerEvent: number | null }) => (a.cpuUsPerEvent === null || b.cpuUsPerEvent === null ? null : (a.cpuUsPerEvent + b.cpuUsPerEvent) / 2);
  const offCpu = cpuOf(off1, off2);
  const onCpu = cpuOf(on1, on2);
  const sigRate = (sig1.eventsPerS + sig2.eventsPerS) / 2;
  const sigCpu = cpuOf(sig1, sig2);
  const api = hush.api;
  const publish = hush.publish;

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
  console.log(
    JSON.stringify({
      bench: 'webhook-pipeline-metrics',
      metrics_on_events_per_s: round(onRate, 0),
      metrics_off_events_per_s: round(offRate, 0),
      ratio: round(onRate / offRate, 3),
      metrics_on_cpu_us_per_event: onCpu === null ? null : round(onCpu, 0),
      metrics_off_cpu_us_per_event: offCpu === null ? null : round(offCpu, 0),
      cpu_ratio: onCpu === null || offCpu === null ? null : round(onCpu / offCpu, 3),
      runs_each: 2,
    }),
  );
  console.log(
    JSON.stringify({
      bench: 'webhook-pipeline-signing',
      signing_on_events_per_s: round(sigRate, 0),
      signing_off_events_per_s: round(offRate, 0),
      ratio: round(sigRate / offRate, 3),
      signing_on_cpu_us_per_event: sigCpu === null ? null : round(sigCpu, 0),
      signing_off_cpu_us_per_event: offCpu === null ? null : round(offCpu, 0),
      cpu_ratio: sigCpu === null || offCpu === null ? null : round(sigCpu / offCpu, 3),
      signed_deliveries: signedSeen,
      runs_each: 2,
    }),
  );
} finally {
  for (const s of servers) await s.stop();
  sink.child.kill('SIGKILL');
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
}
