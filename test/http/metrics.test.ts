/**
 * /metrics as Prometheus scrapes it, during a webhook workload: parsed with a Prometheus
 * text-format parser, counters move by what was done, labels are route patterns and never
 * a value, a token or a name a user typed. Token-protected on the API port and on a
 * loopback port of its own. On SQLite and PostgreSQL.
 */
import parsePrometheusTextFormat, { type PromFamily } from 'parse-prometheus-text-format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpSink, type HttpSink } from '../support/http-sink.ts';
import { testDialects } from '../support/pg-fns.ts';
import { api, startTestServer, type TestServer } from '../support/test-server.ts';

const METRICS_TOKEN = 'metrics-scrape-token-0123456789';
const VALUE = 'metrics-test-secret-value-7f3a9c';
const NAME = 'METRICS_USER_TYPED_NAME';

describe.each(testDialects())('metrics (%s)', (dialect) => {
  let s: TestServer;
  let sink: HttpSink;
  let token: string;
  beforeAll(async () => {
    sink = await startHttpSink();
    s = await startTestServer({ dialect, env: { HUSH_METRICS: '1', HUSH_METRICS_TOKEN: METRICS_TOKEN, HUSH_METRICS_PORT: '0' } });
    token = (await s.user()).token;
  });
  afterAll(async () => {
    await s?.stop();
    await sink?.close();
  });

  const scrape = async (): Promise<{ text: string; families: Map<string, PromFamily> }> => {
    const r = await fetch(`${s.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await r.text();
    return { text, families: new Map(parsePrometheusTextFormat(text).map((f) => [f.name, f])) };
  };
  const requests = (f: Map<string, PromFamily>, route: string, method: string, status: string) =>
    Number(f.get('hush_http_requests_total')?.metrics.find((m) => m.labels?.route === route && m.labels?.method === method && m.labels?.status === status)?.value ?? 0);

  it('refuses a scrape without the metrics token, in the Particle error shape', async () => {
    const tries: Record<string, string>[] = [{}, { authorization: 'Bearer wrong-token-wrong-token' }, { authorization: `Bearer ${token}` }];
    for (const headers of tries) {
      const r = await fetch(`${s.url}/metrics`, { headers });
      expect(r.status).toBe(401);
      expect(await r.json()).toEqual({ ok: false, error: 'invalid_request', error_description: 'metrics need the bearer token set in HUSH_METRICS_TOKEN' });
    }
  });

  it('counts requests by route pattern and status during a webhook workload; no label holds a value, token or user string', async () => {
    const before = await scrape();
    expect((await api(s.url, 'PUT', `/v1/secrets/${NAME}`, { token, json: { value: VALUE } })).status).toBe(200);
    const hook = await api(s.url, 'POST', '/v1/integrations', {
      token,
      json: { event: 'metered', url: `${sink.url}/m`, requestType: 'POST', headers: { Authorization: `Bearer {{{${NAME}}}}` }, secrets: [NAME] },
    });
    expect(hook.status, hook.text).toBe(201);
    const N = 5;
    for (let i = 0; i < N; i++) expect((await api(s.url, 'POST', '/v1/devices/events', { token, json: { name: 'metered', data: String(i) } })).status).toBe(200);
    await sink.waitFor(N, 30_000);
    expect(sink.requests.every((r) => r.headers.authorization === `Bearer ${VALUE}`)).toBe(true);
    // Delivery logs are masked: the owner's masker was built at least once.
    expect((await api(s.url, 'GET', `/v1/integrations/${hook.body.id}/logs`, { token })).status).toBe(200);
    // A request no route matches, with a token-like string in its path and query.
    expect((await api(s.url, 'GET', `/v1/nowhere/${token}?access_token=${token}`, {})).status).toBe(404);

    const after = await scrape();
    const moved = (route: string, method: string, status: string) => requests(after.families, route, method, status) - requests(before.families, route, method, status);
    expect(moved('/v1/secrets/:name', 'PUT', '200')).toBe(1);
    expect(moved('/v1/integrations', 'POST', '201')).toBe(1);
    expect(moved('/v1/devices/events', 'POST', '200')).toBe(N);
    expect(moved('(unmatched)', 'GET', '404')).toBe(1);
    expect(moved('/metrics', 'GET', '200')).toBe(1); // the first scrape
    expect(after.families.get('hush_http_request_duration_seconds')!.type).toBe('HISTOGRAM');
    // The parser folds labelled histogram samples together (it keeps buckets of unlabelled
    // ones only), so this histogram's per-route count is read from its sample lines.
    const line = (text: string, head: string) => {
      const at = text.split('\n').find((l) => l.startsWith(`${head} `));
      return Number(at?.slice(head.length + 1) ?? 0);
    };
    const labels = 'route="/v1/devices/events",method="POST"';
    const count = (text: string) => line(text, `hush_http_request_duration_seconds_count{${labels}}`);
    expect(count(after.text) - count(before.text)).toBe(N);
    expect(line(after.text, `hush_http_request_duration_seconds_bucket{le="+Inf",${labels}}`)).toBe(count(after.text));
    expect(Number(after.families.get('hush_masker_rebuilds_total')!.metrics[0]!.value)).toBeGreaterThan(0);
    expect(Number(after.families.get('hush_masker_rebuild_duration_seconds')!.metrics[0]!.count)).toBeGreaterThan(0);
    expect(after.families.get('hush_process_cpu_user_seconds_total')?.type).toBe('COUNTER');
    expect(after.families.get('hush_nodejs_eventloop_lag_seconds')?.type).toBe('GAUGE');
    if (dialect === 'postgres') {
      expect(Number(after.families.get('hush_db_pool_in_use')!.metrics[0]!.value)).toBeGreaterThanOrEqual(0);
      expect(Number(after.families.get('hush_db_pool_waiting')!.metrics[0]!.value)).toBeGreaterThanOrEqual(0);
    } else {
      expect(after.families.has('hush_db_pool_in_use')).toBe(false);
    }
    // Every label value is from a bounded set: route patterns, methods, codes, numbers, versions.
    const labelValues = [...after.families.values()].flatMap((f) => f.metrics.flatMap((m) => Object.values(m.labels ?? {})));
    for (const v of labelValues) {
      expect(v).not.toContain(VALUE);
      expect(v).not.toContain(token);
      expect(v).not.toContain(NAME);
    }
    const routes = new Set(after.families.get('hush_http_requests_total')!.metrics.map((m) => m.labels!.route!));
    for (const r of routes) expect(r === '(unmatched)' || r.startsWith('/')).toBe(true);
    expect(after.text).not.toContain(VALUE);
    expect(after.text).not.toContain(token);
  });

  it('counts delivery outcomes, send times, Logic runs and reports the queues', async () => {
    const value = (f: Map<string, PromFamily>, name: string, labels: Record<string, string>) =>
      Number(f.get(name)?.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v))?.value ?? 0);
    const before = await scrape();
    sink.setHandler((req, res) => {
      res.writeHead(req.url.startsWith('/fail') ? 500 : 200).end('{}');
    });
    const ok = await api(s.url, 'POST', '/v1/integrations', { token, json: { event: 'work-ok', url: `${sink.url}/ok` } });
    const bad = await api(s.url, 'POST', '/v1/integrations', { token, json: { event: 'work-bad', url: `${sink.url}/fail` } });
    expect([ok.status, bad.status]).toEqual([201, 201]);
    const seen = sink.requests.length;
    for (let i = 0; i < 3; i++) await api(s.url, 'POST', '/v1/devices/events', { token, json: { name: 'work-ok', data: String(i) } });
    await api(s.url, 'POST', '/v1/devices/events', { token, json: { name: 'work-bad', data: 'x' } });
    await sink.waitFor(seen + 4, 30_000);
    for (const code of ['export default function f() { return 1; }', "export default function f() { throw new Error('no'); }"]) {
      expect((await api(s.url, 'POST', '/v1/logic/execute', { token, json: { source: { code } } })).status).toBe(200);
    }
    // An attempt is counted once its answer is read: wait for all four.
    let after = await scrape();
    const counted = (outcome: string) => value(after.families, 'hush_deliveries_total', { outcome }) - value(before.families, 'hush_deliveries_total', { outcome });
    for (let i = 0; i < 200 && (counted('sent') < 3 || counted('retried') < 1); i++) {
      await new Promise((r) => setTimeout(r, 50));
      after = await scrape();
    }
    const moved = (name: string, labels: Record<string, string>) => value(after.families, name, labels) - value(before.families, name, labels);
    expect(moved('hush_deliveries_total', { outcome: 'sent' })).toBe(3);
    // The test server retries a failed delivery (Particle's 30 s, 60 s): its first attempt is a retry.
    expect(moved('hush_deliveries_total', { outcome: 'retried' })).toBe(1);
    const sends = (f: Map<string, PromFamily>) => Number(f.get('hush_delivery_send_duration_seconds')?.metrics[0]?.count ?? 0);
    expect(sends(after.families) - sends(before.families)).toBe(4);
    expect(moved('hush_logic_runs_total', { status: 'Success' })).toBe(1);
    expect(moved('hush_logic_runs_total', { status: 'Failure' })).toBe(1);
    expect(after.families.get('hush_logic_run_duration_seconds')?.type).toBe('HISTOGRAM');
    // The retry waits in the delivery queue; nothing is leased once the sends are over.
    expect(value(after.families, 'hush_queue_depth', { queue: 'deliveries', state: 'waiting' })).toBeGreaterThanOrEqual(1);
    expect(value(after.families, 'hush_queue_oldest_waiting_seconds', { queue: 'deliveries' })).toBeGreaterThanOrEqual(0);
    expect(after.families.get('hush_queue_depth')?.metrics.some((m) => m.labels?.queue === 'logic')).toBe(true);
    // The runs above are over: the node's sandbox workers are all idle again.
    expect(value(after.families, 'hush_logic_workers', {})).toBeGreaterThanOrEqual(1);
    expect(value(after.families, 'hush_logic_workers_busy', {})).toBe(0);
    sink.setHandler();
  });

  it('serves the same metrics on a loopback port of its own', async () => {
    const url = s.app.metricsUrl;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const r = await fetch(`${url}/metrics`);
    expect(r.status).toBe(200);
    const families = parsePrometheusTextFormat(await r.text());
    expect(families.map((f) => f.name)).toContain('hush_http_requests_total');
    expect((await fetch(`${url}/other`)).status).toBe(404);
  });
});
