import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { delayed, hang, respondWith, startHttpSink, type HttpSink } from '../../../test/support/http-sink.ts';
import { createWebhookSender, MAX_RESPONSE_BYTES, type WebhookSender } from './webhook-sender.ts';
import type { RenderedRequest } from './webhook-types.ts';

let sink: HttpSink;
let sender: WebhookSender | undefined;
const secure = { rejectUnauthorized: true };

beforeEach(async () => {
  sink = await startHttpSink();
});
afterEach(async () => {
  await sender?.close();
  sender = undefined;
  await sink.close();
});

const post = (path = '/hook', body = 'a=1'): RenderedRequest => ({
  method: 'POST',
  url: `${sink.url}${path}`,
  headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'User-Agent': 'ParticleBot/1.1' },
  body,
});

describe('webhook sender', () => {
  it('sends method, path, headers and body, and returns the response', async () => {
    sender = createWebhookSender({ allowPrivate: true });
    const result = await sender.send(post('/hook?x=1'), secure);
    expect(result).toMatchObject({ ok: true, status: 200, body: '{"ok":true}' });
    expect(result.headers?.['content-type']).toBe('application/json');
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
    const [req] = sink.requests;
    expect(req).toMatchObject({ method: 'POST', url: '/hook?x=1', body: 'a=1' });
    expect(req?.headers['user-agent']).toBe('ParticleBot/1.1');
  });

  it('reuses one kept-alive connection for sequential requests', async () => {
    sender = createWebhookSender({ allowPrivate: true, connections: 1 });
    for (let i = 0; i < 3; i++) expect((await sender.send(post(), secure)).ok).toBe(true);
    const ports = new Set(sink.requests.map((r) => r.remotePort));
    expect(sink.requests).toHaveLength(3);
    expect(ports.size).toBe(1);
  });

  it('strips user-info from the URL it connects to', async () => {
    sender = createWebhookSender({ allowPrivate: true });
    const url = `http://us%40er:p%3Ass@127.0.0.1:${sink.port}/x`;
    const result = await sender.send({ method: 'GET', url, headers: { Authorization: 'Basic abc' } }, secure);
    expect(result.ok).toBe(true);
    expect(sink.requests[0]).toMatchObject({ method: 'GET', url: '/x' });
    expect(sink.requests[0]?.headers.authorization).toBe('Basic abc');
  });

  it('reports 500 as a failure with status and body', async () => {
    sink.setHandler(respondWith(500, 'boom'));
    sender = createWebhookSender({ allowPrivate: true });
    expect(await sender.send(post(), secure)).toMatchObject({ ok: false, status: 500, body: 'boom' });
  });

  it('times out a hung target with a clear message', async () => {
    sink.setHandler(hang);
    sender = createWebhookSender({ allowPrivate: true, timeoutMs: 300 });
    const result = await sender.send(post(), secure);
    expect(result).toMatchObject({ ok: false, error: 'timeout after 300 ms', errorKind: 'timeout' });
    expect(result.status).toBeUndefined();
    expect(result.durationMs).toBeGreaterThanOrEqual(250);
    expect(result.durationMs).toBeLessThan(5_000);
  });

  it('a slow-but-in-time target succeeds', async () => {
    sink.setHandler(delayed(50));
    sender = createWebhookSender({ allowPrivate: true, timeoutMs: 2_000 });
    expect((await sender.send(post(), secure)).ok).toBe(true);
  });

  it('refuses 127.0.0.1 and localhost when private targets are not allowed', async () => {
    sender = createWebhookSender({ allowPrivate: false });
    const literal = await sender.send(post(), secure);
    expect(literal).toMatchObject({
      ok: false,
      errorKind: 'refused',
      error: 'refusing to connect to loopback address 127.0.0.1 (set HUSH_ALLOW_PRIVATE_WEBHOOKS=1 to allow)',
    });
    const named = await sender.send({ ...post(), url: `http://localhost:${sink.port}/hook` }, secure);
    expect(named).toMatchObject({ ok: false, errorKind: 'refused' });
    expect(named.error).toMatch(/^refusing to connect to loopback address (127\.0\.0\.1|::1)/);
    expect(sink.requests).toHaveLength(0);
  });

  it('turns a refused connection into "connection refused"', async () => {
    // The replacement sink (for afterEach) is bound before the old one closes, so it
    // cannot be handed the port that must stay refused.
    const old = sink;
    sink = await startHttpSink();
    const port = old.port;
    await old.close();
    sender = createWebhookSender({ allowPrivate: true });
    const result = await sender.send({ ...post(), url: `http://127.0.0.1:${port}/` }, secure);
    expect(result).toMatchObject({ ok: false, error: 'connection refused', errorKind: 'network' });
  });

  it('keeps only the first 100 KiB of a large response', async () => {
    sink.setHandler(respondWith(200, 'z'.repeat(MAX_RESPONSE_BYTES + 5000)));
    sender = createWebhookSender({ allowPrivate: true });
    const result = await sender.send(post(), secure);
    expect(result.ok).toBe(true);
    expect(result.body).toHaveLength(MAX_RESPONSE_BYTES);
  });

  it('sends GET and DELETE without a body, and a JSON body on PATCH', async () => {
    sender = createWebhookSender({ allowPrivate: true });
    await sender.send({ method: 'GET', url: `${sink.url}/g?a=1`, headers: {} }, secure);
    await sender.send({ method: 'PATCH', url: `${sink.url}/p`, headers: { 'Content-Type': 'application/json' }, body: '{"a":1}' }, { rejectUnauthorized: false });
    expect(sink.requests.map((r) => [r.method, r.url, r.body])).toEqual([['GET', '/g?a=1', ''], ['PATCH', '/p', '{"a":1}']]);
  });

  it('reports an invalid URL without throwing', async () => {
    sender = createWebhookSender({ allowPrivate: true });
    expect(await sender.send({ method: 'GET', url: 'not a url', headers: {} }, secure)).toMatchObject({ ok: false, errorKind: 'invalid' });
  });
});
