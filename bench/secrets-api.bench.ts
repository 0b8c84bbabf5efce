/**
 * Secrets API benchmark: `node --import tsx bench/secrets-api.bench.ts`. Starts a real Hush
 * server (SQLite in a temp dir, port 0, log level warn), seeds 50 secrets, then measures
 * requests/second over keep-alive HTTP (undici Pool, pipelining 1, 16 requests in flight,
 * a fixed duration each) for `GET /v1/secrets` and `PUT /v1/secrets/:name`, and, in the same
 * run, a baseline: a bare Fastify route (separate instance, no hooks) answering a JSON body
 * of the same size as the list. For the metrics on/off comparison two more servers, metrics
 * off and on (HUSH_METRICS=1), each run in a process of their own, so neither shares a heap,
 * GC or timers with the other or with the load generator; they are measured in short
 * alternating rounds, by throughput and by the server process's CPU time per request (the
 * figure a busy shared machine disturbs least). Prints one JSON line on stdout; progress
 * goes to stderr.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';
import { Pool } from 'undici';
import { loadConfig } from '../src/config/config.ts';
import { startServer } from '../src/server/serve.ts';
import { forkSeededServer, type ForkedServer } from './seeded-server-fns.ts';

const CONCURRENCY = 16;
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 5);
const WARMUP_S = 1;
const SECRETS = 50;

interface Req {
  readonly path: string;
  readonly method: 'GET' | 'PUT';
  readonly headers: Record<string, string>;
  readonly body?: string;
}

/** Keeps CONCURRENCY requests in flight for `seconds`; returns completed requests per second. */
async function measure(pool: Pool, next: (i: number) => Req, seconds: number): Promise<number> {
  let done = 0;
  let issued = 0;
  const start = performance.now();
  const until = start + seconds * 1000;
  const worker = async () => {
    while (performance.now() < until) {
      const r = next(issued++);
      const res = await pool.request({ path: r.path, method: r.method, headers: r.headers, body: r.body });
      const text = await res.body.text();
      if (res.statusCode !== 200) throw new Error(`${r.method} ${r.path} answered ${res.statusCode}: ${text.slice(0, 200)}`);
      done++;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return done / ((performance.now() - start) / 1000);
}

/** A Hush server on a temp SQLite dir with 50 seeded secrets and a token. */
async function startSeeded(env: Record<string, string> = {}) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hush-bench-'));
  const config = loadConfig({ HUSH_HOST: '127.0.0.1', HUSH_PORT: '0', HUSH_DATA_DIR: dataDir, HUSH_LOG_LEVEL: 'warn', ...env });
  const server = await startServer(config, { logDestination: { write: (line: string) => void process.stderr.write(line) } });
  const pool = new Pool(server.url, { connections: CONCURRENCY, pipelining: 1 });
  const user = await server.services.auth.createUser('bench@example.com', 'bench password 123');
  const token = (await server.services.auth.issueToken(user.id, 'particle-api')).accessToken;
  const auth = { authorization: `Bearer ${token}` };
  const json = { ...auth, 'content-type': 'application/json' };
  for (let i = 0; i < SECRETS; i++) {
    const res = await pool.request({ path: `/v1/secrets/BENCH_SECRET_${String(i).padStart(2, '0')}`, method: 'PUT', headers: json, body: JSON.stringify({ secret: { value: `seed-value-${i}-${'x'.repeat(24)}` } }) });
    if (res.statusCode !== 200) throw new Error(`seeding answered ${res.statusCode}: ${await res.body.text()}`);
    await res.body.dump();
  }
  const close = async () => {
    await pool.close();
    await server.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  return { server, pool, auth, json, close };
}

async function main(): Promise<void> {
  const off = await startSeeded();
  const metricsOff = await forkSeededServer({});
  const metricsOn = await forkSeededServer({ HUSH_METRICS: '1', HUSH_METRICS_TOKEN: 'bench-metrics-token-0123456789' });
  const forked = (f: ForkedServer) => ({ server: f, pool: new Pool(f.url, { connections: CONCURRENCY, pipelining: 1 }), auth: { authorization: `Bearer ${f.token}` }, json: { authorization: `Bearer ${f.token}`, 'content-type': 'application/json' } });
  const mOff = forked(metricsOff);
  const on = forked(metricsOn);
  const hush = off.pool;
  const { auth, json } = off;
  const baseline = Fastify({ logger: false });
  let bare: Pool | null = null;
  try {
    const listRes = await hush.request({ path: '/v1/secrets', method: 'GET', headers: auth });
    const listText = await listRes.body.text();
    const listBody = JSON.parse(listText) as { secrets: unknown[] };
    if (listBody.secrets.length !== SECRETS) throw new Error(`expected ${SECRETS} secrets, listed ${listBody.secrets.length}`);
    const bodyBytes = Buffer.byteLength(listText);

    // The baseline serializes the very same object on each request, as the API does.
    baseline.get('/v1/secrets', async () => listBody);
    await baseline.listen({ host: '127.0.0.1', port: 0 });
    const addr = baseline.server.address();
    const port = typeof addr === 'object' && addr ? addr.port : 0;
    bare = new Pool(`http://127.0.0.1:${port}`, { connections: CONCURRENCY, pipelining: 1 });
    const check = await bare.request({ path: '/v1/secrets', method: 'GET' });
    const checkBytes = Buffer.byteLength(await check.body.text());
    if (checkBytes !== bodyBytes) throw new Error(`baseline body is ${checkBytes} bytes, the list ${bodyBytes}`);

    const getList = (h: typeof auth = auth) => (): Req => ({ path: '/v1/secrets', method: 'GET', headers: h });
    const put = (h: typeof json = json) => (i: number): Req => ({
      path: `/v1/secrets/BENCH_SECRET_${String(i % SECRETS).padStart(2, '0')}`,
      method: 'PUT',
      headers: h,
      body: JSON.stringify({ secret: { value: `bench-value-${i}-${'y'.repeat(24)}` } }),
    });
    const base = (): Req => ({ path: '/v1/secrets', method: 'GET', headers: {} });
    const pools = { hush, bare };

    const run = async (label: string, pool: Pool, next: (i: number) => Req) => {
      await measure(pool, next, WARMUP_S);
      const rps = await measure(pool, next, DURATION_S);
      process.stderr.write(`[bench] ${label}: ${rps.toFixed(0)} req/s\n`);
      return rps;
    };
    const baselineRps = await run('baseline (bare Fastify)', pools.bare, base);
    // Metrics off and on in short alternating rounds (order swapped each round), so a busier
    // moment of the shared machine hits both alike; each ratio is the median of the rounds'.
    const ROUNDS = 10;
    const slice = (DURATION_S / ROUNDS) * 2;
    const median = (xs: number[]) => {
      const s = [...xs].sort((a, b) => a - b);
      return (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
    };
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    /** Requests/s and server CPU µs per request over one slice. */
    const sample = async (side: ReturnType<typeof forked>, next: (i: number) => Req) => {
      const cpu0 = await side.server.cpuUs();
      let count = 0;
      const rps = await measure(side.pool, (i) => (count++, next(i)), slice);
      return { rps, cpuPerReq: ((await side.server.cpuUs()) - cpu0) / count };
    };
    const paired = async (label: string, offNext: (i: number) => Req, onNext: (i: number) => Req) => {
      await measure(mOff.pool, offNext, WARMUP_S);
      await measure(on.pool, onNext, WARMUP_S);
      const offs: Array<{ rps: number; cpuPerReq: number }> = [];
      const ons: Array<{ rps: number; cpuPerReq: number }> = [];
      for (let r = 0; r < ROUNDS; r++) {
        if (r % 2 === 0) {
          offs.push(await sample(mOff, offNext));
          ons.push(await sample(on, onNext));
        } else {
          ons.push(await sample(on, onNext));
          offs.push(await sample(mOff, offNext));
        }
      }
      const ratio = median(offs.map((o, i) => ons[i]!.rps / o.rps));
      const cpuRatio = median(offs.map((o, i) => ons[i]!.cpuPerReq / o.cpuPerReq));
      const result = { off: mean(offs.map((x) => x.rps)), on: mean(ons.map((x) => x.rps)), ratio, offCpu: mean(offs.map((x) => x.cpuPerReq)), onCpu: mean(ons.map((x) => x.cpuPerReq)), cpuRatio };
      process.stderr.write(`[bench] ${label}: metrics off ${result.off.toFixed(0)} req/s ${result.offCpu.toFixed(0)} µs CPU/req, on ${result.on.toFixed(0)} req/s ${result.onCpu.toFixed(0)} µs CPU/req; median on/off throughput ${ratio.toFixed(3)}, CPU per request ${cpuRatio.toFixed(3)}\n`);
      return result;
    };
    const getListRps = await run('GET /v1/secrets', pools.hush, getList());
    const putRps = await run('PUT /v1/secrets/:name', pools.hush, put());
    const listPair = await paired('GET /v1/secrets', getList(mOff.auth), getList(on.auth));
    const putPair = await paired('PUT /v1/secrets/:name', put(mOff.json), put(on.json));
    const scrape = await on.pool.request({ path: '/metrics', method: 'GET', headers: { authorization: 'Bearer bench-metrics-token-0123456789' } });
    const scraped = await scrape.body.text();
    if (!scraped.includes('hush_http_requests_total{route="/v1/secrets/:name",method="PUT",status="200"}')) throw new Error('metrics on: PUTs were not counted');

    const round = (n: number, digits = 0) => Number(n.toFixed(digits));
    process.stdout.write(
      JSON.stringify({
        bench: 'secrets-api',
        get_list_rps: round(getListRps),
        put_rps: round(putRps),
        baseline_rps: round(baselineRps),
        get_list_ratio: round(getListRps / baselineRps, 3),
        put_ratio: round(putRps / baselineRps, 3),
        get_list_metrics_off_rps: round(listPair.off),
        get_list_metrics_on_rps: round(listPair.on),
        put_metrics_off_rps: round(putPair.off),
        put_metrics_on_rps: round(putPair.on),
        get_list_metrics_on_off_ratio: round(listPair.ratio, 3),
        put_metrics_on_off_ratio: round(putPair.ratio, 3),
        get_list_metrics_off_cpu_us_per_req: round(listPair.offCpu),
        get_list_metrics_on_cpu_us_per_req: round(listPair.onCpu),
        get_list_metrics_cpu_on_off_ratio: round(listPair.cpuRatio, 3),
        put_metrics_off_cpu_us_per_req: round(putPair.offCpu),
        put_metrics_on_cpu_us_per_req: round(putPair.onCpu),
        put_metrics_cpu_on_off_ratio: round(putPair.cpuRatio, 3),
        body_bytes: bodyBytes,
        concurrency: CONCURRENCY,
        duration_s: DURATION_S,
      }) + '\n',
    );
  } finally {
    await bare?.close();
    await baseline.close();
    await off.close();
    await mOff.pool.close();
    await on.pool.close();
    await metricsOff.close();
    await metricsOn.close();
  }
}

await main();
