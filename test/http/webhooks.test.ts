import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpSink, type HttpSink } from '../support/http-sink.ts';
import { testDialects } from '../support/pg-fns.ts';
import { openSse } from '../support/sse-client.ts';
import { api, startTestServer, type TestServer } from '../support/test-server.ts';

const TOKEN_V1 = 'tok_Live+9/Sé@cr:t%20=x';
const TOKEN_V2 = 'tok_Rotated-7Hq2#Zw';
const PASS = 'p@ss:w0rd/with&chars';

/** Every form of a value that must never appear in a stored log. */
const forms = (v: string) => [
  v,
  Buffer.from(v).toString('base64').replace(/=+$/, ''),
  Buffer.from(`bob:${v}`).toString('base64').replace(/=+$/, '').slice(8),
  encodeURIComponent(v),
  new URLSearchParams({ x: v }).toString().slice(2),
  JSON.stringify(v).slice(1, -1),
];

describe.each(testDialects())('webhook integrations with secrets (%s)', (dialect) => {
  let s: TestServer;
  let sink: HttpSink;
  let u: Awaited<ReturnType<TestServer['user']>>;
  let hookId = '';
  const call = (method: string, path: string, opts: Parameters<typeof api>[3] = {}) => api(s.url, method, path, { token: u.token, ...opts });

  beforeAll(async () => {
    s = await startTestServer({ dialect, node: { retryDelaysMs: [50, 50] } });
    sink = await startHttpSink();
    u = await s.user();
    expect((await call('PUT', '/v1/secrets/API_TOKEN', { json: { value: TOKEN_V1 } })).status).toBe(200);
    expect((await call('PUT', '/v1/secrets/BASIC_PASS', { json: { value: PASS } })).status).toBe(200);
  });
  afterAll(async () => {
    await s?.stop();
    await sink?.close();
  });

  it('refuses templates that use unselected or unknown secrets, and bad configs', async () => {
    const base = { event: 'temp', url: `${sink.url}/x`, requestType: 'POST' };
    const unknown = await call('POST', '/v1/integrations', { json: { ...base, secrets: ['NOPE'] } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toMatch(/NOPE/);
    const unselected = await call('POST', '/v1/integrations', { json: { ...base, headers: { Authorization: 'Bearer {{{API_TOKEN}}}' } } });
    expect(unselected.status).toBe(400);
    expect(unselected.body.error).toMatch(/API_TOKEN/);
    const broken = await call('POST', '/v1/integrations', { json: { ...base, body: '{{#open}}' } });
    expect(broken.status).toBe(400);
    expect((await call('POST', '/v1/integrations', { json: { ...base, url: 'ftp://x' } })).status).toBe(400);
    expect((await call('POST', '/v1/integrations', { json: { ...base, requestType: 'BREW' } })).status).toBe(400);
  });

  it('accepts a form-encoded configuration with qs-style nested fields, and echoes of its own answers', async () => {
    const body = `event=formhook&url=${encodeURIComponent(`${sink.url}/fh`)}&requestType=GET&noDefaults=true&headers[X-A]=1&query[q]=2&secrets[]=API_TOKEN`;
    const created = await call('POST', '/v1/integrations', { raw: body, contentType: 'application/x-www-form-urlencoded' });
    expect(created.status).toBe(201);
    expect(created.body.integration).toMatchObject({ requestType: 'GET', noDefaults: true, headers: { 'X-A': '1' }, query: { q: '2' }, secrets: ['API_TOKEN'] });
    const shown = (await call('GET', `/v1/integrations/${created.body.id}`)).body.integration;
    const replaced = await call('PUT', `/v1/integrations/${created.body.id}`, { json: { ...shown, last_delivery: { status: 'success', at: shown.created_at, http_status: 200 } } });
    expect(replaced.status).toBe(200);
    expect((await call('DELETE', `/v1/integrations/${created.body.id}`)).status).toBe(204);
    const noValues = await call('POST', '/v1/integrations/from_template', { json: { template: 'blynk' } });
    expect(noValues.status).toBe(400);
    expect(noValues.body.error).toMatch(/\(event\) is required/);
  });

  it('delivers the real values to the sink in user-info, query, header, JSON and form', async () => {
    const target = new URL(sink.url);
    const created = await call('POST', '/v1/integrations', {
      json: {
        integration_type: 'Webhook',
        event: 'temp',
        url: `${sink.url}/hook`,
        requestType: 'POST',
        query: { key: '{{{API_TOKEN}}}' },
        headers: { Authorization: 'Bearer {{{API_TOKEN}}}' },
        json: { token: '{{{API_TOKEN}}}', reading: '{{{PARTICLE_EVENT_VALUE}}}' },
        secrets: ['API_TOKEN', 'BASIC_PASS'],
      },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ ok: true, event: 'temp', integration_type: 'Webhook' });
    hookId = created.body.id;
    const formHook = await call('POST', '/v1/integrations', {
      json: { event: 'temp', url: `${sink.url}/form`, form: { t: '{{{API_TOKEN}}}' }, secrets: ['API_TOKEN'] },
    });
    expect(formHook.status).toBe(201);
    const basicHook = await call('POST', '/v1/integrations', {
      json: { event: 'temp', url: `http://bob:{{{BASIC_PASS}}}@${target.host}/basic`, requestType: 'GET', secrets: ['BASIC_PASS'] },
    });
    expect(basicHook.status).toBe(201);

    const sse = await openSse(`${s.url}/v1/devices/events/hook-response`, u.token);
    expect((await call('POST', '/v1/devices/events', { json: { name: 'temperature', data: '22.5' } })).status).toBe(200);
    const got = await sink.waitFor(3, 10_000);
    const json = got.find((r) => r.url.startsWith('/hook'))!;
    const form = got.find((r) => r.url.startsWith('/form'))!;
    expect(json.headers.authorization).toBe(`Bearer ${TOKEN_V1}`);
    expect(new URL(json.url, 'http://x').searchParams.get('key')).toBe(TOKEN_V1);
    expect(JSON.parse(json.body)).toMatchObject({ token: TOKEN_V1, reading: '22.5' });
    const basic = got.find((r) => r.url.startsWith('/basic'))!;
    expect(basic.method).toBe('GET');
    expect(Buffer.from(String(basic.headers.authorization).replace(/^Basic /, ''), 'base64').toString()).toBe(`bob:${PASS}`);
    expect(new URL(basic.url, 'http://x').searchParams.get('event')).toBe('temperature');
    expect(new URLSearchParams(form.body).get('t')).toBe(TOKEN_V1);
    expect(new URLSearchParams(form.body).get('event')).toBe('temperature');
    const hr = await sse.waitFor((e) => e.event.startsWith('hook-response/temperature'));
    expect(hr.data.coreid).toBe('particle-internal');
    sse.close();
  });

  it('shows [[SENSITIVE]] in the delivery log and none of the value or its encodings', async () => {
    // The previous test saw the first hook-response; each hook's log entry is written with its own batch.
    const logsOf = async (id: string) => {
      const deadline = Date.now() + 10_000;
      for (;;) {
        const r = await call('GET', `/v1/integrations/${id}/logs`);
        expect(r.status).toBe(200);
        if (r.body.logs.length > 0 || Date.now() > deadline) return r;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    const logs = await logsOf(hookId);
    expect(logs.body.logs.length).toBeGreaterThan(0);
    const entry = logs.body.logs[0];
    expect(entry.outcome).toBe('success');
    expect(entry.request.headers.Authorization ?? entry.request.headers.authorization).toBe('Bearer [[SENSITIVE]]');
    expect(entry.request.url).toContain('key=[[SENSITIVE]]');
    expect(entry.request.body).toContain('[[SENSITIVE]]');
    const basicId = (await call('GET', '/v1/integrations')).body.find((i: { url: string }) => i.url.includes('/basic')).id;
    const basicLogs = await logsOf(basicId);
    expect(JSON.stringify(basicLogs.body.logs[0].request)).toContain('[[SENSITIVE]]');
    for (const f of forms(PASS)) expect(basicLogs.text).not.toContain(f);
    for (const f of [...forms(TOKEN_V1), ...forms(PASS)]) expect(logs.text).not.toContain(f);
    const one = await call('GET', `/v1/integrations/${hookId}`);
    expect(one.body.integration.logs.length).toBeGreaterThan(0);
    for (const f of forms(TOKEN_V1)) expect(one.text).not.toContain(f);
  });

  it('uses a replaced value on the very next delivery', async () => {
    expect((await call('PUT', '/v1/secrets/API_TOKEN', { json: { secret: { value: TOKEN_V2 } } })).status).toBe(200);
    const before = sink.requests.length;
    await call('POST', '/v1/devices/events', { json: { name: 'temp', data: '1' } });
    const got = await sink.waitFor(before + 3, 10_000);
    const next = got.slice(before).find((r) => r.url.startsWith('/hook'))!;
    expect(next.headers.authorization).toBe(`Bearer ${TOKEN_V2}`);
    const logs = await call('GET', `/v1/integrations/${hookId}/logs`);
    for (const f of forms(TOKEN_V2)) expect(logs.text).not.toContain(f);
  });

  it('counts usage, moves last_accessed_at, and refuses delete until unused', async () => {
    await s.services.resolver.flush();
    const sec = await call('GET', '/v1/secrets/API_TOKEN');
    expect(sec.body.secret.usage_count).toBe(2);
    expect((await call('GET', '/v1/secrets/BASIC_PASS')).body.secret.usage_count).toBe(2);
    expect(sec.body.secret.integrations.map((i: { id: string }) => i.id)).toContain(hookId);
    expect(sec.body.secret.last_accessed_at).not.toBeNull();
    const refused = await call('DELETE', '/v1/secrets/API_TOKEN');
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatch(/in use/);
    for (const i of (await call('GET', '/v1/integrations')).body) {
      expect((await call('DELETE', `/v1/integrations/${i.id}`)).status).toBe(204);
    }
    expect((await call('GET', '/v1/secrets/API_TOKEN')).body.secret.usage_count).toBe(0);
    expect((await call('DELETE', '/v1/secrets/API_TOKEN')).status).toBe(204);
  });

  it('masks secrets a target echoes back, or that name its host, in hook-response, hook-error and test answers', async () => {
    const target = new URL(sink.url);
    expect((await call('PUT', '/v1/secrets/SINK_HOST', { json: { value: target.hostname } })).status).toBe(200);
    const echo = await call('POST', '/v1/integrations', {
      json: { event: 'echo', url: `${sink.url}/echo`, headers: { 'X-Pass': '{{{BASIC_PASS}}}' }, secrets: ['BASIC_PASS'] },
    });
    expect(echo.status).toBe(201);
    const hidden = await call('POST', '/v1/integrations', {
      json: { event: 'hidden', url: `http://{{{SINK_HOST}}}:${target.port}/missing`, secrets: ['SINK_HOST'] },
    });
    expect(hidden.status).toBe(201);
    sink.setHandler((req, res) => {
      res.writeHead(req.url.startsWith('/missing') ? 404 : 200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ pass: req.headers['x-pass'], b64: Buffer.from(String(req.headers['x-pass'])).toString('base64') }));
    });
    try {
      const sse = await openSse(`${s.url}/v1/devices/events/hook-`, u.token);
      await call('POST', '/v1/devices/events', { json: { name: 'echo', data: '1' } });
      await call('POST', '/v1/devices/events', { json: { name: 'hidden', data: '1' } });
      const response = await sse.waitFor((e) => e.event === 'hook-response/echo/0', 10_000);
      const error = await sse.waitFor((e) => e.event === 'hook-error/hidden/0', 10_000);
      expect(response.data.data).toContain('[[SENSITIVE]]');
      expect(error.data.data).toBe('error status 404 from [[SENSITIVE]]');
      const tested = await call('POST', `/v1/integrations/${echo.body.id}/test`, { json: {} });
      expect(tested.body).toMatchObject({ pass: true });
      expect(tested.body.data).toContain('[[SENSITIVE]]');
      const seen = JSON.stringify(sse.events) + tested.text;
      for (const f of forms(PASS)) expect(seen).not.toContain(f);
      sse.close();
    } finally {
      sink.setHandler();
    }
  });

  it('never writes a secret into the server log', () => {
    const log = s.logLines.join('\n');
    for (const f of [...forms(TOKEN_V1), ...forms(TOKEN_V2), ...forms(PASS)]) expect(log).not.toContain(f);
  });
});
