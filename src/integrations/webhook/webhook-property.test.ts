import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HushError } from '../../errors/errors.ts';
import { parseWebhookConfig } from './webhook-config-fns.ts';
import { renderWebhookRequest } from './webhook-render-fns.ts';
import { responseEvents } from './webhook-response-fns.ts';
import type { WebhookEvent } from './webhook-types.ts';

const knownSecrets = new Set(['API_KEY', 'USER', 'PASS']);
const parse = (input: unknown) => parseWebhookConfig(input, { knownSecrets, scope: 'sandbox' });

/** Configurations whose templates are fixed and valid; only the event varies. */
const CONFIGS = [
  { event: 'e', url: 'https://example.com/{{{PARTICLE_EVENT_NAME}}}/{{a.b}}' },
  { event: 'e', url: 'https://example.com/', requestType: 'GET', form: { f: '{{x}}' }, query: { q: '{{{PARTICLE_EVENT_VALUE}}}' } },
  {
    event: 'e', url: 'https://{{{USER}}}:{{{PASS}}}@example.com/', json: { '{{k}}': '{{{PARTICLE_EVENT_JSON}}}', list: ['{{#items}}{{.}},{{/items}}'] },
    headers: { 'X-Data': '{{{PARTICLE_EVENT_VALUE}}}', 'X-Key': '{{{API_KEY}}}' }, secrets: ['USER', 'PASS', 'API_KEY'],
  },
  { event: 'e', url: 'https://example.com/', body: '{{^x}}none{{/x}}{{#x}}{{x.y.z}}{{/x}}{{{constructor}}}{{toString}}', auth: { username: '{{u}}', password: '{{{API_KEY}}}' }, secrets: ['API_KEY'] },
  { event: 'e', url: 'https://example.com/', requestType: 'delete', noDefaults: true, responseTemplate: '{{a}}' },
].map(parse);

const arbitraryData = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc.dictionary(fc.string(), fc.jsonValue()).map((v) => JSON.stringify(v)),
  fc.constant('{"__proto__":{"x":1},"constructor":"c","toString":"t","a":{"b":[1,2]}}'),
);

const arbitraryEvent: fc.Arbitrary<WebhookEvent> = fc.record(
  {
    name: fc.string({ minLength: 1 }),
    data: arbitraryData,
    publishedAt: fc.string(),
    coreid: fc.string(),
    eventId: fc.string(),
    productId: fc.integer(),
    userId: fc.string(),
    firmwareVersion: fc.integer(),
  },
  { requiredKeys: ['name', 'publishedAt', 'coreid', 'eventId'] },
);

describe('renderer properties', () => {
  it('never throws on arbitrary event data or secret values', () => {
    fc.assert(
      fc.property(arbitraryEvent, fc.constantFrom(...CONFIGS), fc.dictionary(fc.constantFrom('USER', 'PASS', 'API_KEY'), fc.string({ unit: 'binary' })), (event, config, secrets) => {
        const req = renderWebhookRequest(config, event, secrets);
        expect(typeof req.url).toBe('string');
        const events = responseEvents({ ok: true, status: 200, body: event.data ?? '', durationMs: 1 }, { event, config, requestUrl: req.url });
        expect(events[0]?.name).toBe(`hook-sent/${event.name}`);
      }),
      { numRuns: 300 },
    );
  });

  it('{{{SECRET}}} in a header yields exactly the secret', () => {
    const config = parse({ event: 'e', url: 'https://example.com/', headers: { 'X-Key': '{{{API_KEY}}}' }, secrets: ['API_KEY'] });
    const headerSafe = fc.stringMatching(/^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/);
    fc.assert(
      fc.property(arbitraryEvent, headerSafe, (event, secret) => {
        expect(renderWebhookRequest(config, event, { API_KEY: secret }).headers['X-Key']).toBe(secret);
      }),
      { numRuns: 300 },
    );
  });

  it('user-info secrets survive any characters', () => {
    const config = parse({ event: 'e', url: 'https://{{{USER}}}:{{{PASS}}}@example.com/p', secrets: ['USER', 'PASS'] });
    const event: WebhookEvent = { name: 'e', publishedAt: 'p', coreid: 'c', eventId: 'i' };
    fc.assert(
      fc.property(fc.string({ unit: 'binary', minLength: 1 }), fc.string({ unit: 'binary', minLength: 1 }), (user, pass) => {
        const url = new URL(renderWebhookRequest(config, event, { USER: user, PASS: pass }).url);
        expect(url.hostname).toBe('example.com');
        expect(url.pathname).toBe('/p');
        expect(decodeURIComponent(url.username)).toBe(user);
        expect(decodeURIComponent(url.password)).toBe(pass);
      }),
      { numRuns: 300 },
    );
  });
});

const mustacheish = fc.string({ unit: fc.constantFrom('{', '}', '#', '/', '^', '>', '&', '=', '!', 'a', 'A', '_', ' ', '.', ':', 'h') });
const anyValue = fc.oneof(fc.jsonValue(), mustacheish, fc.constant('https://example.com/{{a}}'));

describe('parser properties', () => {
  it('throws nothing but HushError on arbitrary JSON input', () => {
    const fieldNames = ['event', 'eventName', 'url', 'requestType', 'deviceID', 'json', 'form', 'body', 'query', 'headers', 'auth', 'noDefaults', 'responseTopic', 'responseTemplate', 'secrets', 'integration_type', 'parameters', 'name'];
    const configLike = fc.dictionary(fc.constantFrom(...fieldNames), anyValue);
    const nearlyValid = fc.record({
      event: fc.oneof(fc.string({ minLength: 1 }), anyValue),
      url: fc.oneof(fc.constant('https://example.com/'), mustacheish.map((s) => `https://example.com/${s}`), anyValue),
      headers: fc.dictionary(mustacheish, mustacheish),
      json: fc.oneof(mustacheish, fc.dictionary(mustacheish, fc.jsonValue())),
      secrets: fc.oneof(fc.array(fc.constantFrom('API_KEY', 'USER', 'NOPE')), anyValue),
    }, { requiredKeys: ['event', 'url'] });
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), configLike, nearlyValid), (input) => {
        try {
          parse(input);
        } catch (e) {
          expect(e).toBeInstanceOf(HushError);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
