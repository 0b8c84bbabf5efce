/**
 * End-to-end masking of the forms the decoded views catch (issue #13): a value whose case
 * changed (a secret used as a URL host, which the logged URL shows lower-cased; a target
 * echoing a token upper- and lower-cased), and what Logic code logs by accident (upper-case,
 * `JSON.stringify(stringToBytes(s))`, every byte percent-encoded, every character `\u`-escaped
 * or written as an entity, character codes joined with commas), through the delivery log, the
 * hook-response and hook-error event streams, the webhook test answer, the run log and the
 * events a run publishes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VIEW_TRANSFORMS } from '../../src/masking/view-transforms-fns.ts';
import { startHttpSink, type HttpSink } from '../support/http-sink.ts';
import { testDialects } from '../support/pg-fns.ts';
import { openSse } from '../support/sse-client.ts';
import { api, startTestServer, type TestServer } from '../support/test-server.ts';
import { leakedForms } from '../support/value-forms.ts';

const ACCOUNT = 'AcctZq7XK2mPw9Lm';
const TOKEN = 'Tok_Zq7xK2mPw9.aBcD';
const LOGGED = 'Lg_Vq7+/Zé€-ÄpW9';

/** Every form a test must not find: the masker's list plus each view transformation. */
const allForms = (v: string): string[] => [v.toLowerCase(), v.toUpperCase(), ...VIEW_TRANSFORMS.map((t) => t.apply(v))];
const leaked = (text: string, values: readonly string[]): string[] => [
  ...leakedForms(text, values),
  ...values.flatMap((v) => allForms(v).filter((f) => text.includes(f))),
];

const LOGIC = String.raw`import { stringToBytes } from 'particle:encoding';
export default function main({ secrets }) {
  const s = secrets.LOGGED;
  const hex2 = (b) => '%' + b.toString(16).toUpperCase().padStart(2, '0');
  console.log(s.toUpperCase());
  console.log(s.toLowerCase());
  console.log(JSON.stringify(stringToBytes(s)));
  console.log(stringToBytes(s).map(hex2).join(''));
  console.log(Array.from(s, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0')).join(''));
  console.log(Array.from(s, (c, i) => (i % 2 ? c : '&#' + c.codePointAt(0) + ';')).join(''));
  console.log(Array.from(s, (c) => '&#x' + c.codePointAt(0).toString(16) + ';').join(''));
  console.log(Array.from({ length: s.length }, (_, i) => s.charCodeAt(i)).join(','));
}`;

describe.each(testDialects())('masking by decoded views, end to end (%s)', (dialect) => {
  let s: TestServer;
  let sink: HttpSink;
  let u: Awaited<ReturnType<TestServer['user']>>;
  const call = (method: string, path: string, opts: Parameters<typeof api>[3] = {}) => api(s.url, method, path, { token: u.token, ...opts });
  const logsOf = async (id: string, count: number) => {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const r = await call('GET', `/v1/integrations/${id}/logs`);
      if (r.body.logs.length >= count || Date.now() > deadline) return r;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  beforeAll(async () => {
    s = await startTestServer({ dialect, node: { retryDelaysMs: [50, 50] } });
    sink = await startHttpSink({
      handler: (req, res) => {
        // A target echoing the credential it got, re-cased, as JSON with every byte escaped too.
        const auth = String(req.headers.authorization ?? '');
        const bytes = [...Buffer.from(auth)];
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ upper: auth.toUpperCase(), lower: auth.toLowerCase(), bytes, pct: bytes.map((b) => `%${b.toString(16)}`).join('') }));
      },
    });
    u = await s.user();
    for (const [name, value] of [['ACCOUNT', ACCOUNT], ['TOKEN', TOKEN], ['LOGGED', LOGGED]]) {
      expect((await call('PUT', `/v1/secrets/${name}`, { json: { value } })).status).toBe(200);
    }
  });
  afterAll(async () => {
    await s?.stop();
    await sink?.close();
  });

  it('masks a secret URL host (logged lower-cased) in the delivery log', async () => {
    const created = await call('POST', '/v1/integrations', {
      json: { event: 'vh', requestType: 'GET', noDefaults: true, secrets: ['ACCOUNT'], url: `http://{{{ACCOUNT}}}.localhost:9/v1/x` },
    });
    expect(created.status).toBe(201);
    const sse = await openSse(`${s.url}/v1/devices/events/hook-error`, u.token);
    await call('POST', '/v1/devices/events', { json: { name: 'vh', data: '1' } });
    const logs = await logsOf(created.body.id, 1);
    expect(logs.body.logs.length).toBeGreaterThan(0);
    expect(logs.body.logs[0].request.url).toBe('http://[[SENSITIVE]].localhost:9/v1/x');
    expect(leaked(logs.text, [ACCOUNT])).toEqual([]);
    // The failure names the (lower-cased) host: the hook-error event masks it too.
    const error = await sse.waitFor((e) => e.event.startsWith('hook-error/vh'), 15_000);
    sse.close();
    expect(error.data.data).toContain('[[SENSITIVE]]');
    expect(leaked(JSON.stringify(sse.events), [ACCOUNT])).toEqual([]);
    // So does the answer of the webhook test endpoint (an API response).
    const tested = await call('POST', `/v1/integrations/${created.body.id}/test`, { json: {} });
    expect(tested.body.pass).toBe(false);
    expect(leaked(tested.text, [ACCOUNT])).toEqual([]);
  });

  it('masks a token the target echoes re-cased and as bytes, in the delivery log and the hook-response stream', async () => {
    const created = await call('POST', '/v1/integrations', {
      json: { event: 've', requestType: 'GET', noDefaults: true, secrets: ['TOKEN'], url: `${sink.url}/echo`, headers: { Authorization: 'Bearer {{{TOKEN}}}' } },
    });
    expect(created.status).toBe(201);
    const sse = await openSse(`${s.url}/v1/events/hook-response`, u.token);
    await call('POST', '/v1/devices/events', { json: { name: 've', data: '1' } });
    const event = await sse.waitFor((e) => e.event.startsWith('hook-response/ve'), 15_000);
    sse.close();
    // A masked byte list is no JSON array any more: the texts are compared, not parsed.
    const expected = ['"upper":"BEARER [[SENSITIVE]]"', '"lower":"bearer [[SENSITIVE]]"', ',32,[[SENSITIVE]]]', '%20[[SENSITIVE]]"'];
    for (const part of expected) expect(String(event.data.data)).toContain(part);
    expect(leaked(JSON.stringify(sse.events), [TOKEN])).toEqual([]);
    const logs = await logsOf(created.body.id, 1);
    for (const part of expected) expect(logs.body.logs[0].response.body).toContain(part);
    expect(leaked(logs.text, [TOKEN])).toEqual([]);
    const tested = await call('POST', `/v1/integrations/${created.body.id}/test`, { json: {} });
    expect(tested.body.pass).toBe(true);
    for (const part of expected.slice(0, 2)) expect(tested.body.data).toContain(part);
    expect(leaked(tested.text, [TOKEN])).toEqual([]);
  });

  it('masks what a Logic run publishes re-cased or as bytes before any stream sees it', async () => {
    const sse = await openSse(`${s.url}/v1/devices/events/pv`, u.token);
    const code = String.raw`import Particle from 'particle:core';
import { stringToBytes } from 'particle:encoding';
export default function main({ secrets }) {
  Particle.publish('pv-upper', secrets.LOGGED.toUpperCase());
  Particle.publish('pv-bytes', JSON.stringify(stringToBytes(secrets.LOGGED)));
}`;
    const run = await call('POST', '/v1/logic/execute', { json: { source: { type: 'JavaScript', code }, secrets: ['LOGGED'] } });
    expect(run.body.result.status).toBe('Success');
    const upper = await sse.waitFor((e) => e.event === 'pv-upper', 15_000);
    const bytes = await sse.waitFor((e) => e.event === 'pv-bytes', 15_000);
    sse.close();
    expect(upper.data.data).toBe('[[SENSITIVE]]');
    expect(bytes.data.data).toBe('[[SENSITIVE]]');
    expect(leaked(JSON.stringify(sse.events) + run.text, [LOGGED])).toEqual([]);
  });

  it('masks what Logic logs re-cased, as a byte array, percent-encoded, escaped or as character codes', async () => {
    const run = await call('POST', '/v1/logic/execute', { json: { source: { type: 'JavaScript', code: LOGIC }, secrets: ['LOGGED'] } });
    expect(run.status).toBe(200);
    expect(run.body.result.status).toBe('Success');
    const args = run.body.result.logs.map((l: { args: string[] }) => l.args);
    expect(args).toEqual(Array.from({ length: 8 }, () => ['[[SENSITIVE]]']));
    expect(leaked(run.text, [LOGGED])).toEqual([]);
  });
});
