import { describe, expect, it } from 'vitest';
import { createMasker, SENSITIVE } from '../../masking/index.ts';
import {
  chunkUtf8,
  RETRY_DELAYS_MS,
  responseEvents,
  retryPolicy,
  shouldRetry,
  type ResponseEventContext,
} from './webhook-response-fns.ts';
import type { SendResult, WebhookEvent } from './webhook-types.ts';

const event: WebhookEvent = {
  name: 'my-hooks/get_weather',
  data: '{"city":"Oslo"}',
  publishedAt: '2024-01-01T00:00:00Z',
  coreid: '0123456789abcdef01234567',
  eventId: 'e1',
};
const sandboxConfig: ResponseEventContext['config'] = {
  responseTopic: 'hook-response/{{PARTICLE_EVENT_NAME}}',
  errorResponseTopic: 'hook-error/{{PARTICLE_EVENT_NAME}}',
  unchunked: false,
  dataUrlResponseEvent: false,
};
const ctx = (config: Partial<ResponseEventContext['config']> = {}): ResponseEventContext => ({
  event,
  config: { ...sandboxConfig, ...config },
  requestUrl: 'https://user:secret@api.example.com:8443/path',
});
const ok = (body: string): SendResult => ({ ok: true, status: 200, body, durationMs: 5 });

describe('chunkUtf8', () => {
  it('splits at exactly 512 bytes for ASCII', () => {
    const chunks = chunkUtf8('a'.repeat(1025));
    expect(chunks.map((c) => c.length)).toEqual([512, 512, 1]);
    expect(chunkUtf8('a'.repeat(1024)).map((c) => c.length)).toEqual([512, 512]);
    expect(chunkUtf8('')).toEqual(['']);
  });

  it('never splits a multi-byte character and loses nothing', () => {
    const text = `${'a'.repeat(511)}€${'b'.repeat(600)}😀`; // € is 3 bytes, 😀 is 4
    const chunks = chunkUtf8(text);
    expect(Buffer.byteLength(chunks[0] ?? '')).toBe(511);
    expect(chunks.join('')).toBe(text);
    for (const c of chunks) {
      expect(Buffer.byteLength(c)).toBeLessThanOrEqual(512);
      expect(c).not.toContain('\uFFFD');
    }
    const emoji = '😀'.repeat(300); // 1200 bytes, 4-byte characters: 512 is a boundary
    expect(chunkUtf8(emoji).map((c) => Buffer.byteLength(c))).toEqual([512, 512, 176]);
  });

  it('keeps only the first 100 KiB', () => {
    const chunks = chunkUtf8('x'.repeat(200 * 1024));
    expect(chunks).toHaveLength(200);
    expect(chunks.join('').length).toBe(100 * 1024);
  });
});

describe('responseEvents', () => {
  it('publishes hook-sent then the chunked response under the actual event name', () => {
    const events = responseEvents(ok('x'.repeat(600)), ctx());
    expect(events).toEqual([
      { name: 'hook-sent/my-hooks/get_weather', data: 'undefined', coreid: 'particle-internal' },
      { name: 'hook-response/my-hooks/get_weather/0', data: 'x'.repeat(512), coreid: 'particle-internal' },
      { name: 'hook-response/my-hooks/get_weather/1', data: 'x'.repeat(88), coreid: 'particle-internal' },
    ]);
  });

  it('publishes one /0 event for an empty response', () => {
    expect(responseEvents(ok(''), ctx()).slice(1)).toEqual([{ name: 'hook-response/my-hooks/get_weather/0', data: '', coreid: 'particle-internal' }]);
  });

  it('renders a product-style response topic', () => {
    const events = responseEvents(ok('ok'), ctx({ responseTopic: '{{PARTICLE_DEVICE_ID}}/hook-response/{{PARTICLE_EVENT_NAME}}' }));
    expect(events[1]?.name).toBe(`${event.coreid}/hook-response/my-hooks/get_weather/0`);
  });

  it('unchunked gives one event without an index', () => {
    const events = responseEvents(ok('y'.repeat(5000)), ctx({ unchunked: true }));
    expect(events).toHaveLength(2);
    expect(events[1]).toEqual({ name: 'hook-response/my-hooks/get_weather', data: 'y'.repeat(5000), coreid: 'particle-internal' });
  });

  it('dataUrlResponseEvent publishes a base64 data URL', () => {
    const events = responseEvents(ok('héllo'), ctx({ dataUrlResponseEvent: true }));
    expect(events[1]).toEqual({
      name: 'hook-response/my-hooks/get_weather/0',
      data: `data:application/octet-stream;base64,${Buffer.from('héllo').toString('base64')}`,
      coreid: 'particle-internal',
    });
  });

  it('applies responseTemplate to the JSON response', () => {
    const events = responseEvents(ok('{"main":{"temp":3.5}}'), ctx({ responseTemplate: '{{main.temp}}C in {{city}}' }));
    expect(events[1]?.data).toBe('3.5C in Oslo');
  });

  it('masks what a response template decoded from JSON escapes, before chunking', () => {
    // JSON.parse decodes `\u0073k_…`. The text masker reads it through its JSON view too; the
    // raw body is given here so that the template's own masking is what is checked.
    const value = 'sk_live_51HxT2eZvKYlo2C';
    const body = JSON.stringify({ token: '' }).replace('""', `"${[...value].map((c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0')).join('')}"`);
    const masker = createMasker([value]);
    expect(masker.mask(body)).toBe(`{"token":"${SENSITIVE}"}`);
    const events = responseEvents(ok(body), { ...ctx({ responseTemplate: 'token={{token}}' }), mask: (t) => masker.mask(t) });
    expect(events[1]?.data).toBe(`token=${SENSITIVE}`);
  });

  it('publishes hook-error with the status and host only (never user-info)', () => {
    const events = responseEvents({ ok: false, status: 404, body: 'nope', durationMs: 1 }, ctx());
    expect(events[1]).toEqual({ name: 'hook-error/my-hooks/get_weather/0', data: 'error status 404 from api.example.com', coreid: 'particle-internal' });
  });

  it('publishes the network error text, honoring a custom error topic', () => {
    const events = responseEvents({ ok: false, error: 'timeout after 20000 ms', errorKind: 'timeout', durationMs: 20000 }, ctx({ errorResponseTopic: 'failed_{{PARTICLE_DEVICE_ID}}' }));
    expect(events[1]).toEqual({ name: `failed_${event.coreid}/0`, data: 'timeout after 20000 ms', coreid: 'particle-internal' });
  });

  it('falls back to the default topic when a topic renders empty', () => {
    expect(responseEvents(ok('a'), ctx({ responseTopic: '{{missing}}' }))[1]?.name).toBe('hook-response/my-hooks/get_weather/0');
  });
});

describe('retries', () => {
  const failed = (r: Partial<SendResult>): SendResult => ({ ok: false, durationMs: 1, ...r });

  it('retries network errors, timeouts, 429 and 5xx only', () => {
    expect(shouldRetry(failed({ errorKind: 'network', error: 'connection refused' }))).toBe(true);
    expect(shouldRetry(failed({ errorKind: 'timeout' }))).toBe(true);
    expect(shouldRetry(failed({ status: 429 }))).toBe(true);
    expect(shouldRetry(failed({ status: 503 }))).toBe(true);
    expect(shouldRetry(failed({ status: 404 }))).toBe(false);
    expect(shouldRetry(failed({ status: 400 }))).toBe(false);
    expect(shouldRetry(failed({ errorKind: 'refused' }))).toBe(false);
    expect(shouldRetry(failed({ errorKind: 'tls' }))).toBe(false);
    expect(shouldRetry(ok('x'))).toBe(false);
  });

  it('retryPolicy gives the configured delays, then gives up', () => {
    expect(RETRY_DELAYS_MS).toEqual([30_000, 60_000]);
    const policy = retryPolicy();
    const err = failed({ status: 500 });
    expect(policy.maxAttempts).toBe(3);
    expect([1, 2, 3].map((a) => policy.nextDelayMs(a, err))).toEqual([30_000, 60_000, undefined]);
    expect(policy.nextDelayMs(1, failed({ status: 404 }))).toBeUndefined();
    expect(retryPolicy([10, 20, 30]).nextDelayMs(3, err)).toBe(30);
  });
});
