/**
 * End-to-end masking of forms found by red-teaming: a value in a webhook URL's path and query
 * (written by the URL parser, which leaves '@', ':', '/' and '%' alone), a target echoing it
 * the way Go or Gson write JSON, a response template decoding JSON escapes, and a replaced
 * (old) value showing up again later.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpSink, type HttpSink } from '../support/http-sink.ts';
import { testDialects } from '../support/pg-fns.ts';
import { openSse } from '../support/sse-client.ts';
import { api, startTestServer, type TestServer } from '../support/test-server.ts';

const VALUE = "p@ss wörd<x>&y='z'";
const OLD = 'old_Rotated-away_Token9';
const u4 = (c: string): string => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0');

/** How the URL parser writes the value in a path and in a query. */
const inPath = new URL(`http://h/${VALUE}/`).pathname.slice(1, -1);
const inQuery = new URL(`http://h/?${VALUE}&`).search.slice(1, -1);
const goJson = JSON.stringify(VALUE).slice(1, -1).replace(/[<>&]/g, u4);
const gson = JSON.stringify(VALUE).slice(1, -1).replace(/[<>&=']/g, u4);

describe.each(testDialects())('masking red-team cases (%s)', (dialect) => {
  let s: TestServer;
  let sink: HttpSink;
  let u: Awaited<ReturnType<TestServer['user']>>;
  const call = (method: string, path: string, opts: Parameters<typeof api>[3] = {}) => api(s.url, method, path, { token: u.token, ...opts });
  const logsOf = async (id: string) => {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const r = await call('GET', `/v1/integrations/${id}/logs`);
      if (r.body.logs.length > 0 || Date.now() > deadline) return r;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  beforeAll(async () => {
    s = await startTestServer({ dialect, node: { retryDelaysMs: [50, 50] } });
    sink = await startHttpSink({
      handler: (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        // Go's and Gson's JSON, and every character escaped (only a template decoding it shows the value).
        res.end(`{"go":"${goJson}","gson":"${gson}","all":"${[...OLD].map(u4).join('')}"}`);
      },
    });
    u = await s.user();
    expect((await call('PUT', '/v1/secrets/PASS', { json: { value: VALUE } })).status).toBe(200);
    expect((await call('PUT', '/v1/secrets/ROTATED', { json: { value: OLD } })).status).toBe(200);
  });
  afterAll(async () => {
    await s?.stop();
    await sink?.close();
  });

  it('masks the value in the URL path and query, Go and Gson JSON echoes, and what a response template decodes', async () => {
    const created = await call('POST', '/v1/integrations', {
      json: {
        event: 'rt', requestType: 'GET', noDefaults: true, secrets: ['PASS', 'ROTATED'],
        url: `${sink.url}/p/{{{PASS}}}/x?k={{{PASS}}}&r={{{ROTATED}}}`,
        responseTemplate: 'all={{all}} go={{go}}',
      },
    });
    expect(created.status).toBe(201);
    const sse = await openSse(`${s.url}/v1/events/hook-response`, u.token);
    await call('POST', '/v1/devices/events', { json: { name: 'rt', data: '1' } });
    const hr = await sse.waitFor((e) => e.event.startsWith('hook-response/rt'));
    sse.close();
    expect(hr.data.data).toBe('all=[[SENSITIVE]] go=[[SENSITIVE]]');
    const logs = await logsOf(created.body.id);
    const entry = logs.body.logs[0];
    expect(entry.request.url).toBe(`${sink.url}/p/[[SENSITIVE]]/x?k=[[SENSITIVE]]&r=[[SENSITIVE]]`);
    expect(entry.response.body).toContain('"go":"[[SENSITIVE]]","gson":"[[SENSITIVE]]"');
    for (const f of [inPath, inQuery, goJson, gson, 'p@ss']) expect(logs.text).not.toContain(f);
  });

  it('keeps masking a value after it was replaced', async () => {
    expect((await call('PUT', '/v1/secrets/ROTATED', { json: { value: 'new_Value-after_rotation1' } })).status).toBe(200);
    const run = await call('POST', '/v1/logic/execute', {
      json: { source: { type: 'JavaScript', code: `export default function f() { console.log('stale: ${OLD}'); }` } },
    });
    expect(run.status).toBe(200);
    expect(run.body.result.logs[0].args).toEqual(['stale: [[SENSITIVE]]']);
  });
});
