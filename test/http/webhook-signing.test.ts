import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { respondWith, startHttpSink, type HttpSink, type RecordedRequest } from '../support/http-sink.ts';
import { testDialects } from '../support/pg-fns.ts';
import { api, startTestServer, type TestServer } from '../support/test-server.ts';
import { until } from '../support/until-fns.ts';

const K1 = `whsec_${randomBytes(24).toString('base64')}`;
const K2 = 'plain-utf8-signing-key-ü-0123456789';
const K3 = `whsec_${randomBytes(32).toString('base64')}`;
const HOUR = 3_600_000;

/** A receiver's verifier for a Hush signing secret value (whsec_ base64, or UTF-8 bytes). */
const verifier = (value: string) => (value.startsWith('whsec_') ? new Webhook(value) : new Webhook(Buffer.from(value, 'utf8'), { format: 'raw' }));
const headersOf = (r: RecordedRequest) => ({
  'webhook-id': String(r.headers['webhook-id']),
  'webhook-timestamp': String(r.headers['webhook-timestamp']),
  'webhook-signature': String(r.headers['webhook-signature']),
});
const verifies = (value: string, r: RecordedRequest, body = r.body) => {
  try {
    verifier(value).verify(body, headersOf(r));
    return true;
  } catch {
    return false;
  }
};
const signatureCount = (r: RecordedRequest) => String(r.headers['webhook-signature']).split(' ').length;

describe.each(testDialects())('signed webhook deliveries (%s)', (dialect) => {
  let s: TestServer;
  let sink: HttpSink;
  let u: Awaited<ReturnType<TestServer['user']>>;
  /** The server's clock offset: a secret write made while it is set happened that long ago. */
  let offsetMs = 0;
  let hookId = '';
  const call = (method: string, path: string, opts: Parameters<typeof api>[3] = {}) => api(s.url, method, path, { token: u.token, ...opts });
  const publish = async (name: string, data: string) => expect((await call('POST', '/v1/devices/events', { json: { name, data } })).status).toBe(200);
  const arrival = (data: string) => until(async () => sink.requests.find((r) => r.body.includes(`"${data}"`)), 10_000, `delivery of ${data}`);
  const putKey = async (value: string) => expect((await call('PUT', '/v1/secrets/HOOK_KEY', { json: { value } })).status).toBe(200);

  beforeAll(async () => {
    s = await startTestServer({ dialect, node: { retryDelaysMs: [50, 50], now: () => new Date(Date.now() + offsetMs) } });
    sink = await startHttpSink();
    u = await s.user();
    await putKey(K1);
    expect((await call('PUT', '/v1/secrets/OTHER', { json: { value: 'other-value-123456' } })).status).toBe(200);
  });
  afterAll(async () => {
    await s?.stop();
    await sink?.close();
  });

  it('refuses a signing secret that is not selected, in the Particle error shape, and shows the field on GET', async () => {
    const base = { event: 'signed', url: `${sink.url}/signed`, requestType: 'POST', json: { d: '{{{PARTICLE_EVENT_VALUE}}}' } };
    const refused = await call('POST', '/v1/integrations', { json: { ...base, secrets: ['OTHER'], signing_secret: 'HOOK_KEY' } });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ ok: false, field: 'signing_secret' });
    expect(refused.body.error).toMatch(/signing_secret "HOOK_KEY" must be one of/);
    const clash = await call('POST', '/v1/integrations', { json: { ...base, secrets: ['HOOK_KEY'], signing_secret: 'HOOK_KEY', headers: { 'Webhook-Id': 'x' } } });
    expect(clash.status).toBe(400);
    const created = await call('POST', '/v1/integrations', { json: { ...base, secrets: ['HOOK_KEY'], signing_secret: 'HOOK_KEY' } });
    expect(created.status).toBe(201);
    hookId = created.body.id;
    const shown = await call('GET', `/v1/integrations/${hookId}`);
    expect(shown.body.integration.signing_secret).toBe('HOOK_KEY');
    expect(shown.text).not.toContain(K1);
  });

  it('signs every request; the standardwebhooks package verifies it, and a forged or late request fails', async () => {
    await publish('signed', 'one');
    const one = await arrival('one');
    expect(signatureCount(one)).toBe(1);
    expect(String(one.headers['webhook-signature'])).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(verifier(K1).verify(one.body, headersOf(one))).toMatchObject({ d: 'one' });
    expect(verifies(K1, one, one.body.replace('one', 'two'))).toBe(false); // forged body
    expect(verifies(`whsec_${randomBytes(24).toString('base64')}`, one)).toBe(false); // wrong key
    // The same request replayed ten minutes later is outside the receiver's 5-minute tolerance.
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 10 * 60_000 });
    try {
      expect(verifies(K1, one)).toBe(false);
    } finally {
      vi.useRealTimers();
    }
  });

  it('signs with the new and the previous value during the overlap after a replace, and with the new one only after it', async () => {
    await putKey(K2);
    await publish('signed', 'two');
    const two = await arrival('two');
    expect(signatureCount(two)).toBe(2);
    expect(verifies(K2, two)).toBe(true);
    expect(verifies(K1, two)).toBe(true);
    // A replace made 25 h ago (past the default 24 h overlap): the previous value no longer signs.
    offsetMs = -25 * HOUR;
    try {
      await putKey(K3);
    } finally {
      offsetMs = 0;
    }
    await publish('signed', 'three');
    const three = await arrival('three');
    expect(signatureCount(three)).toBe(1);
    expect(verifies(K3, three)).toBe(true);
    expect(verifies(K2, three)).toBe(false);
  });

  it('keeps webhook-id across retries of one delivery and never shows the key in logs or answers', async () => {
    let first = true;
    sink.setHandler((req, res) => {
      if (first && req.body.includes('"four"')) {
        first = false;
        return respondWith(500)(req, res);
      }
      return respondWith(200)(req, res);
    });
    await publish('signed', 'four');
    const tries = await until(async () => {
      const got = sink.requests.filter((r) => r.body.includes('"four"'));
      return got.length >= 2 ? got : undefined;
    }, 10_000, 'the retry');
    sink.setHandler();
    expect(tries[0]!.headers['webhook-id']).toBe(tries[1]!.headers['webhook-id']);
    expect(String(tries[0]!.headers['webhook-id'])).toMatch(/^msg_/);
    for (const t of tries) expect(verifies(K3, t)).toBe(true);
    const logs = await until(async () => {
      const r = await call('GET', `/v1/integrations/${hookId}/logs`);
      return r.body.logs.length >= 5 ? r : undefined;
    }, 10_000, 'log entries');
    expect(JSON.stringify(logs.body.logs)).toContain('webhook-signature');
    const keyForms = [K1, K2, K3].flatMap((k) => [k, k.replace(/^whsec_/, ''), Buffer.from(k.replace(/^whsec_/, ''), 'base64').toString('hex')]);
    for (const f of keyForms) {
      expect(logs.text).not.toContain(f);
      expect(s.logLines.join('\n')).not.toContain(f);
    }
  });
});

describe.each(testDialects())('retry schedules (%s)', (dialect) => {
  let s: TestServer;
  let sink: HttpSink;
  let u: Awaited<ReturnType<TestServer['user']>>;
  const call = (method: string, path: string, opts: Parameters<typeof api>[3] = {}) => api(s.url, method, path, { token: u.token, ...opts });
  const create = async (event: string, extra: Record<string, unknown> = {}) => {
    const r = await call('POST', '/v1/integrations', { json: { event, url: `${sink.url}/${event}`, requestType: 'POST', ...extra } });
    expect(r.status).toBe(201);
    return r.body.id as string;
  };
  const logsOf = (id: string, n: number) =>
    until(async () => {
      const r = await call('GET', `/v1/integrations/${id}/logs`);
      return r.body.logs.length >= n ? (r.body.logs as Array<{ time: string; attempt: number; outcome: string }>) : undefined;
    }, 15_000, `${n} log entries`);

  beforeAll(async () => {
    s = await startTestServer({ dialect, node: { retryDelaysMs: [50, 50] } });
    sink = await startHttpSink();
    u = await s.user();
  });
  afterAll(async () => {
    await s?.stop();
    await sink?.close();
  });

  it('waits at least as long as a 429 Retry-After asks, though the schedule says 50 ms', async () => {
    const id = await create('limited');
    let limited = true;
    sink.setHandler((req, res) => {
      if (req.url.startsWith('/limited') && limited) {
        limited = false;
        res.writeHead(429, { 'retry-after': '1' });
        return void res.end('slow down');
      }
      return respondWith(200)(req, res);
    });
    expect((await call('POST', '/v1/devices/events', { json: { name: 'limited', data: 'x' } })).status).toBe(200);
    const logs = await logsOf(id, 2);
    sink.setHandler();
    const [second, first] = logs; // newest first
    expect(first!.outcome).toBe('retry');
    expect(second!.outcome).toBe('success');
    // The server's own clock: the second attempt was sent no earlier than a second after the first ended.
    expect(Date.parse(second!.time) - Date.parse(first!.time)).toBeGreaterThanOrEqual(1000);
    const arrivals = sink.requests.filter((r) => r.url.startsWith('/limited'));
    expect(arrivals[1]!.receivedAt - arrivals[0]!.receivedAt).toBeGreaterThanOrEqual(1000);
  });

  it('retries with exponential backoff up to max_attempts, then gives up', async () => {
    const bad = await call('POST', '/v1/integrations', { json: { event: 'bad', url: `${sink.url}/b`, retry_schedule: { type: 'exponential', max_attempts: 99 } } });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/max_attempts must be between 1 and 20/);
    const schedule = { type: 'exponential', max_attempts: 4, initial_delay_ms: 100, max_delay_ms: 200 };
    const id = await create('backoff', { retry_schedule: schedule });
    expect((await call('GET', `/v1/integrations/${id}`)).body.integration.retry_schedule).toEqual(schedule);
    sink.setHandler((req, res) => respondWith(req.url.startsWith('/backoff') ? 500 : 200)(req, res));
    expect((await call('POST', '/v1/devices/events', { json: { name: 'backoff', data: 'x' } })).status).toBe(200);
    const logs = await until(async () => {
      const l = await logsOf(id, 1);
      return l[0]!.outcome === 'error' ? l : undefined;
    }, 15_000, 'the final attempt');
    sink.setHandler();
    // Four attempts (not Particle's three), the last one final.
    expect(logs.map((l) => l.outcome)).toEqual(['error', 'retry', 'retry', 'retry']);
    const times = logs.map((l) => Date.parse(l.time)).reverse();
    // Equal jitter: each wait is between half and all of 100, 200, 200 ms.
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(50);
    expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(100);
    expect(sink.requests.filter((r) => r.url.startsWith('/backoff'))).toHaveLength(4);
  });
});
