import { describe, expect, it } from 'vitest';
import { HushError } from '../../errors/errors.ts';
import { applyTemplate, INTEGRATION_TEMPLATES } from './integration-templates.ts';
import { parseWebhookConfig } from './webhook-config-fns.ts';
import { renderWebhookRequest } from './webhook-render-fns.ts';
import type { WebhookEvent } from './webhook-types.ts';

const knownSecrets = new Set(['BLYNK_TOKEN', 'DATACAKE_TOKEN', 'API_TOKEN']);
const event: WebhookEvent = { name: 'temp', data: '21.5', publishedAt: '2024-01-01T00:00:00Z', coreid: 'c0ffee', eventId: 'e' };
const sendFor = (slug: string, values: Record<string, string>, secrets: Record<string, string>) => {
  const config = parseWebhookConfig(applyTemplate(slug, values), { knownSecrets, scope: 'sandbox' });
  return { config, req: renderWebhookRequest(config, event, secrets) };
};

describe('INTEGRATION_TEMPLATES', () => {
  it('lists at least ten targets, the first three leading, each with an event field, a secret picker and a docs link', () => {
    expect(INTEGRATION_TEMPLATES.map((t) => t.slug)).toEqual([
      'blynk', 'datacake', 'http-bearer', 'discord', 'google-sheets', 'influxdb', 'losant', 'slack', 'thingspeak', 'twilio-sms', 'ubidots',
    ]);
    for (const t of INTEGRATION_TEMPLATES) {
      expect(new URL(t.docs).protocol).toBe('https:');
      expect(t.fields.some((f) => f.name === 'event' && f.required)).toBe(true);
      expect(t.fields.filter((f) => f.type === 'secret')).toHaveLength(1);
      expect(JSON.parse(JSON.stringify(t))).toEqual(t); // plain data, no functions
    }
  });
});

describe('applyTemplate', () => {
  it('blynk: GET to the chosen server with the token secret and the pin', () => {
    const { config, req } = sendFor('blynk', { event: 'temp', server: 'fra1.blynk.cloud', secret: 'BLYNK_TOKEN', pin: 'v3' }, { BLYNK_TOKEN: 'tok&en' });
    expect(config).toMatchObject({ template: 'blynk', secrets: ['BLYNK_TOKEN'], requestType: 'GET', noDefaults: true });
    expect(config.parameters).toContainEqual({ name: 'pin', value: 'v3' });
    expect(req.method).toBe('GET');
    const url = new URL(req.url);
    expect(`${url.origin}${url.pathname}`).toBe('https://fra1.blynk.cloud/external/api/update');
    expect(Object.fromEntries(url.searchParams)).toEqual({ token: 'tok&en', V3: '21.5' });
  });

  it('blynk: defaults the server region', () => {
    const input = applyTemplate('blynk', { event: 'temp', secret: 'BLYNK_TOKEN', pin: 'V0' });
    expect(input.url).toBe('https://blynk.cloud/external/api/update');
  });

  it('datacake: POSTs JSON with a token header', () => {
    const { req } = sendFor('datacake', { event: 'temp', url: 'https://api.datacake.co/integrations/api/abc/', secret: 'DATACAKE_TOKEN' }, { DATACAKE_TOKEN: 'dt' });
    expect(req.method).toBe('POST');
    expect(req.headers.Authorization).toBe('Token dt');
    expect(JSON.parse(req.body ?? '')).toEqual({ device: 'c0ffee', event: 'temp', data: '21.5', coreid: 'c0ffee', published_at: event.publishedAt });
  });

  it('http-bearer: any method, bearer header, JSON body unless bodyless', () => {
    const post = sendFor('http-bearer', { event: 'temp', url: 'https://api.example.com/in', secret: 'API_TOKEN' }, { API_TOKEN: 'abc' }).req;
    expect(post).toMatchObject({ method: 'POST', headers: { Authorization: 'Bearer abc', 'Content-Type': 'application/json' } });
    const get = sendFor('http-bearer', { event: 'temp', url: 'https://api.example.com/in', method: 'GET', secret: 'API_TOKEN' }, { API_TOKEN: 'abc' }).req;
    expect(get.body).toBeUndefined();
    expect(new URL(get.url).searchParams.get('data')).toBe('21.5');
  });

  it.each([
    ['nope', {}, /integration template "nope" does not exist/],
    ['blynk', { event: 'temp', pin: 'V1' }, /Device auth token \(secret\) is required/],
    ['blynk', { event: 'temp', secret: 'BLYNK_TOKEN', pin: 'V1', extra: 'x' }, /unknown field for template blynk: extra/],
    ['blynk', { event: 'temp', secret: 'BLYNK_TOKEN', pin: 'D1' }, /pin "D1" must be a virtual pin/],
    ['blynk', { event: 'temp', secret: 'BLYNK_TOKEN', pin: 'V1', server: 'evil.example' }, /server "evil.example" must be one of/],
    ['blynk', { event: 'temp', secret: 'lower', pin: 'V1' }, /secret "lower": Secret name may contain only/],
    ['http-bearer', { event: 'temp', secret: 'API_TOKEN', url: 'ftp://x' }, /url "ftp:\/\/x" must be an absolute http\(s\) URL/],
    ['http-bearer', { event: 'temp', secret: 'API_TOKEN', url: 'https://x', method: 'TRACE' }, /method "TRACE" must be one of/],
    ['datacake', { event: '', url: 'https://x', secret: 'API_TOKEN' }, /Event name \(event\) is required/],
  ])('%s %j is refused', (slug, values, message) => {
    expect(() => applyTemplate(slug, values)).toThrow(HushError);
    expect(() => applyTemplate(slug, values)).toThrow(message);
  });

  it('an unknown secret is caught by parseWebhookConfig', () => {
    const input = applyTemplate('blynk', { event: 'temp', secret: 'MISSING', pin: 'V1' });
    expect(() => parseWebhookConfig(input, { knownSecrets, scope: 'sandbox' })).toThrow(/unknown secret: MISSING/);
  });
});
