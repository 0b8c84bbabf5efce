import { describe, expect, it } from 'vitest';
import { HushError } from '../../errors/errors.ts';
import {
  parseWebhookConfig,
  referencedSecretNames,
  secretNamesUsedBy,
  toIntegrationJson,
  type ParseWebhookOptions,
} from './webhook-config-fns.ts';

const opts: ParseWebhookOptions = { knownSecrets: new Set(['API_KEY', 'BLYNK_TOKEN', 'OTHER']), scope: 'sandbox' };
const base = { event: 'temp', url: 'https://example.com/hook' };
const parse = (input: Record<string, unknown>, o: Partial<ParseWebhookOptions> = {}) =>
  parseWebhookConfig(input, { ...opts, ...o });

/** Expects a HushError with a 400 code whose message matches `message`. */
function refuses(input: unknown, message: RegExp | string, o: Partial<ParseWebhookOptions> = {}): HushError {
  try {
    parseWebhookConfig(input, { ...opts, ...o });
  } catch (e) {
    expect(e).toBeInstanceOf(HushError);
    const err = e as HushError;
    expect(err.status).toBe(400);
    expect(err.message).toMatch(message);
    return err;
  }
  throw new Error('expected parseWebhookConfig to throw');
}

describe('parseWebhookConfig: accepted variants', () => {
  it('applies defaults for a minimal config', () => {
    const c = parse(base);
    expect(c).toMatchObject({
      integrationType: 'Webhook', event: 'temp', url: 'https://example.com/hook', name: 'temp for example.com',
      requestType: 'POST', noDefaults: false, rejectUnauthorized: true, unchunked: false,
      dataUrlResponseEvent: false, disabled: false, secrets: [],
      responseTopic: 'hook-response/{{PARTICLE_EVENT_NAME}}', errorResponseTopic: 'hook-error/{{PARTICLE_EVENT_NAME}}',
    });
    expect(c.deviceId).toBeUndefined();
  });

  it('uses the product default response topic outside the sandbox', () => {
    expect(parse(base, { scope: 'product' }).responseTopic).toBe('{{PARTICLE_DEVICE_ID}}/hook-response/{{PARTICLE_EVENT_NAME}}');
    expect(parse(base, { scope: 'org' }).responseTopic).toMatch(/^\{\{PARTICLE_DEVICE_ID\}\}/);
  });

  it('accepts eventName and every deviceID spelling', () => {
    expect(parse({ eventName: 'x', url: base.url }).event).toBe('x');
    for (const key of ['deviceID', 'deviceid', 'deviceId']) {
      expect(parse({ ...base, [key]: '0123456789ABCDEF01234567' }).deviceId).toBe('0123456789abcdef01234567');
    }
    expect(parse({ ...base, event: 'a', eventName: 'a' }).event).toBe('a');
  });

  it('normalizes requestType case-insensitively', () => {
    for (const m of ['get', 'Post', 'PUT', 'delete', 'patch']) expect(parse({ ...base, requestType: m }).requestType).toBe(m.toUpperCase());
  });

  it('accepts json as object or string, form, body, query and headers', () => {
    expect(parse({ ...base, json: { a: '{{{x}}}', n: 1, nested: [{ b: true }] } }).json).toEqual({ a: '{{{x}}}', n: 1, nested: [{ b: true }] });
    expect(parse({ ...base, json: '{"t": {{t}} }' }).json).toBe('{"t": {{t}} }');
    expect(parse({ ...base, form: { a: 'b', n: 3 } }).form).toEqual({ a: 'b', n: '3' });
    expect(parse({ ...base, body: 'raw {{x}}' }).body).toBe('raw {{x}}');
    const c = parse({ ...base, query: { q: '{{{PARTICLE_EVENT_VALUE}}}' }, headers: { 'X-Id': '{{PARTICLE_DEVICE_ID}}' } });
    expect(c.query).toEqual({ q: '{{{PARTICLE_EVENT_VALUE}}}' });
    expect(c.headers).toEqual({ 'X-Id': '{{PARTICLE_DEVICE_ID}}' });
  });

  it('accepts auth as {username,password}, {user,pass} and {bearer}', () => {
    expect(parse({ ...base, auth: { username: 'u', password: 'p' } }).auth).toEqual({ kind: 'basic', username: 'u', password: 'p' });
    expect(parse({ ...base, auth: { user: 'u', pass: 'p' } }).auth).toEqual({ kind: 'basic', username: 'u', password: 'p' });
    expect(parse({ ...base, auth: { bearer: 't' } }).auth).toEqual({ kind: 'bearer', token: 't' });
  });

  it('accepts booleans as strings, response options, template fields and secrets', () => {
    const c = parse({
      ...base, noDefaults: 'true', rejectUnauthorized: false, unchunked: true, dataUrlResponseEvent: 'false', disabled: true,
      responseTopic: 'r/{{PARTICLE_DEVICE_ID}}', errorResponseTopic: 'e', responseTemplate: { lat: '{{{a.b}}}' },
      template: 'blynk', parameters: [{ name: 'pin', value: 'V1' }], secrets: ['API_KEY', 'API_KEY'],
      headers: { Authorization: 'Bearer {{{API_KEY}}}' },
    });
    expect(c).toMatchObject({
      noDefaults: true, rejectUnauthorized: false, unchunked: true, dataUrlResponseEvent: false, disabled: true,
      responseTopic: 'r/{{PARTICLE_DEVICE_ID}}', errorResponseTopic: 'e', responseTemplate: { lat: '{{{a.b}}}' },
      template: 'blynk', parameters: [{ name: 'pin', value: 'V1' }], secrets: ['API_KEY'],
    });
    expect(parse({ ...base, secrets: 'API_KEY, OTHER' }).secrets).toEqual(['API_KEY', 'OTHER']);
  });

  it('ignores echoed read-only fields, mydevices and nulls', () => {
    const c = parse({ ...base, id: 'abc', created_at: 'x', hookUrl: 'u', logs: [], counters: [], ok: true, mydevices: true, deviceID: null, integration_type: 'Webhook' });
    expect(c.event).toBe('temp');
  });

  it('accepts back the whole object a list, get or create answered (product_id, last_delivery, integration)', () => {
    const shown = { id: 'abc', ...toIntegrationJson(parse(base, { scope: 'product' })), product_id: 3, counters: { success: 1, error: 0 } };
    const echoed = { ...shown, last_delivery: { status: 'success', at: 'x', http_status: 200 }, integration: { ...shown } };
    expect(parse(echoed, { scope: 'product' }).event).toBe('temp');
  });

  it('derives the default name from the URL host, even when templated or with user-info', () => {
    expect(parse({ ...base, url: 'https://{{{U}}}:{{{P}}}@api.example.com:8443/x' }).name).toBe('temp for api.example.com');
    expect(parse({ ...base, url: 'https://{{server}}/api' }).name).toBe('temp for {{server}}');
    expect(parse({ ...base, url: '{{{URL}}}' }).name).toBe('temp for {{{URL}}}');
    expect(parse({ ...base, name: 'Mine' }).name).toBe('Mine');
  });

  it('accepts templated URLs whose literal parts are valid', () => {
    for (const url of ['{{{URL}}}', 'https://{{server}}/x', 'http://host:{{port}}/p', 'http{{s}}://host/', 'https://h/{{#a}}x{{/a}}?q={{b}}']) {
      expect(parse({ ...base, url }).url).toBe(url);
    }
  });

  it('round-trips through toIntegrationJson', () => {
    const c = parse({
      ...base, deviceID: '0123456789abcdef01234567', requestType: 'GET', query: { a: 'b' }, headers: { H: 'v' },
      auth: { user: 'u', pass: '{{{API_KEY}}}' }, secrets: ['API_KEY'], responseTemplate: '{{x}}', parameters: [1],
      template: 't', noDefaults: true,
    });
    const json = toIntegrationJson(c);
    expect(json).toMatchObject({ integration_type: 'Webhook', deviceID: '0123456789abcdef01234567', requestType: 'GET', auth: { username: 'u', password: '{{{API_KEY}}}' }, secrets: ['API_KEY'] });
    expect(parse({ ...json, id: 'x', created_at: 'y' })).toEqual(c);
    expect(toIntegrationJson(parse({ ...base, auth: { bearer: 'b' } })).auth).toEqual({ bearer: 'b' });
  });
});

describe('parseWebhookConfig: refusals', () => {
  it.each([
    [null, /must be a JSON object/],
    [[1], /must be a JSON object/],
    ['x', /must be a JSON object, got "x"/],
    [{ url: base.url }, /event is required/],
    [{ ...base, event: '' }, /event is required/],
    [{ ...base, event: 'e'.repeat(65) }, /longer than 64/],
    [{ event: 'x' }, /url is required/],
    [{ ...base, event: 'a', eventName: 'b' }, /event "a" and eventName "b" disagree/],
    [{ ...base, requestType: 'FETCH' }, /requestType "FETCH" must be one of GET, POST, PUT, DELETE, PATCH/],
    [{ ...base, deviceID: 'mydevice' }, /deviceID "mydevice" must be a 24-character hex/],
    [{ ...base, foo: 1, bar: 2 }, /unknown fields: foo, bar/],
    [{ ...base, integration_type: 'GoogleMaps' }, /integration type "GoogleMaps" is not supported/],
    [{ ...base, unchunked: 'maybe' }, 'unchunked must be true or false; got "maybe"'],
    [{ ...base, noDefaults: 1 }, 'noDefaults must be true or false; got 1'],
    [{ ...base, json: {}, form: {} }, /mutually exclusive; got json and form/],
    [{ ...base, form: {}, body: 'x' }, /got form and body/],
    [{ ...base, event: 5 }, /event must be a string; got 5/],
    [{ ...base, headers: { a: { b: 1 } } }, /headers.a must be an object of string values/],
    [{ ...base, auth: { username: 'u', pass: 'p' } }, /auth must be an object/],
    [{ ...base, noDefaults: 'yes' }, /noDefaults must be/],
    [{ ...base, secrets: [1] }, /secrets must be an array of secret names \(\"NAME\" or \{\"name\": \"NAME\"\}\); got \[1\]/],
    [{ ...base, headers: { 'Bad Name': 'x' } }, /header name "Bad Name" is not a valid/],
    [{ ...base, headers: { 'Content-Length': '3' } }, /header "Content-Length" cannot be set/],
    [{ ...base, url: 'ftp://example.com/' }, /url "ftp:\/\/example.com\/" must start with http/],
    [{ ...base, url: 'example.com/{{x}}' }, /must start with http/],
    [{ ...base, url: 'https://exa mple.com/' }, /is not a valid URL/],
    [{ ...base, url: 'https://{{#a}}x/' }, /invalid template in url: Unclosed section "a"/],
    [{ ...base, json: { k: '{{/x}}' } }, /invalid template in json.k: Unopened section "x"/],
    [{ ...base, headers: { '{{x': 'v' } }, /invalid template in headers \(name "\{\{x"\)/],
    [{ ...base, responseTemplate: '{{#a}}' }, /invalid template in responseTemplate/],
    [{ ...base, body: '{{> partial}}' }, /body uses the partial/],
    [{ ...base, secrets: ['NOPE', 'ALSO'] }, /unknown secrets: NOPE, ALSO/],
    [{ ...base, secrets: ['NOPE'] }, /unknown secret: NOPE/],
    [{ ...base, headers: { A: '{{{API_KEY}}}' } }, 'template refers to secret API_KEY which is not selected for this integration'],
    [{ ...base, url: 'https://x/{{OTHER.sub}}', secrets: ['API_KEY'] }, /secret OTHER which is not selected/],
    [{ ...base, responseTopic: 'r/{{API_KEY}}', secrets: ['API_KEY'] }, /responseTopic refers to secret API_KEY/],
  ])('refuses %j', (input, message) => {
    refuses(input, message);
  });

  it('refuses deviceID outside the sandbox', () => {
    refuses({ ...base, deviceID: '0123456789abcdef01234567' }, /only be set on sandbox/, { scope: 'product' });
  });

  it('enforces the size and header-count limits', () => {
    refuses({ ...base, body: 'x'.repeat(70_000) }, /the limit is 65536/);
    const headers = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`h${i}`, 'v']));
    refuses({ ...base, headers }, /headers has 51 entries; the limit is 50/);
    let deep: unknown = 'x';
    for (let i = 0; i < 40; i++) deep = [deep];
    refuses({ ...base, json: { deep } }, /nested deeper than 32/);
  });

  it('allows unknown UPPER_SNAKE names (event fields) and builtins even if a secret shares the name', () => {
    const known = new Set(['PARTICLE_DEVICE_ID']);
    expect(parse({ ...base, body: '{{{TEMP_C}}} {{PARTICLE_DEVICE_ID}}' }, { knownSecrets: known }).body).toContain('TEMP_C');
  });
});

describe('secret names', () => {
  it('secretNamesUsedBy gives the selection; referencedSecretNames the ones templates read', () => {
    const c = parse({ ...base, secrets: ['API_KEY', 'OTHER'], auth: { username: 'u', password: '{{{API_KEY}}}' } });
    expect(secretNamesUsedBy(c)).toEqual(['API_KEY', 'OTHER']);
    expect(referencedSecretNames(c)).toEqual(['API_KEY']);
  });
});

describe('parseWebhookConfig: signing secret and retry schedule', () => {
  it('keeps a selected signing secret and shows it, and refuses one that is not selected', () => {
    const c = parse({ ...base, secrets: ['API_KEY'], signing_secret: 'API_KEY' });
    expect(c.signingSecret).toBe('API_KEY');
    expect(toIntegrationJson(c).signing_secret).toBe('API_KEY');
    expect(toIntegrationJson(parse(base))).not.toHaveProperty('signing_secret');
    expect(refuses({ ...base, secrets: ['API_KEY'], signing_secret: 'OTHER' }, /signing_secret "OTHER" must be one of the integration's selected secrets \(API_KEY\)/).details).toMatchObject({ field: 'signing_secret' });
    refuses({ ...base, secrets: ['API_KEY'], signing_secret: 'API_KEY', headers: { 'webhook-signature': 'x' } }, /header "webhook-signature" cannot be set/);
  });

  it('fills exponential defaults, accepts numeric strings, and refuses out-of-range or misplaced fields', () => {
    expect(parse({ ...base, retry_schedule: { type: 'exponential' } }).retrySchedule).toEqual({ type: 'exponential', maxAttempts: 8, initialDelayMs: 30_000, maxDelayMs: 3_600_000 });
    expect(toIntegrationJson(parse({ ...base, retry_schedule: { type: 'exponential', max_attempts: '3', initial_delay_ms: '500' } })).retry_schedule).toEqual({ type: 'exponential', max_attempts: 3, initial_delay_ms: 500, max_delay_ms: 3_600_000 });
    expect(parse({ ...base, retry_schedule: { type: 'particle' } }).retrySchedule).toEqual({ type: 'particle' });
    refuses({ ...base, retry_schedule: { type: 'particle', max_attempts: 3 } }, /max_attempts only applies to "type": "exponential"/);
    refuses({ ...base, retry_schedule: { type: 'exponential', initial_delay_ms: 10 } }, /initial_delay_ms must be between 100 and 86400000/);
    refuses({ ...base, retry_schedule: { type: 'exponential', initial_delay_ms: 5000, max_delay_ms: 1000 } }, /max_delay_ms must be between 5000/);
    refuses({ ...base, retry_schedule: { type: 'linear' } }, /retry_schedule/);
  });
});

describe('parseWebhookConfig: pacing', () => {
  it('keeps the rate limit, in-flight cap and order, shows them, and leaves them out when absent', () => {
    const c = parse({ ...base, max_per_second: '2.5', max_in_flight: 4, ordered: 'device' });
    expect([c.maxPerSecond, c.maxInFlight, c.ordered]).toEqual([2.5, 4, 'device']);
    expect(toIntegrationJson(c)).toMatchObject({ max_per_second: 2.5, max_in_flight: 4, ordered: 'device' });
    const plain = toIntegrationJson(parse(base));
    for (const field of ['max_per_second', 'max_in_flight', 'ordered']) expect(plain).not.toHaveProperty(field);
  });

  it('refuses values outside the ranges, naming the field', () => {
    expect(refuses({ ...base, max_per_second: 0 }, /max_per_second must be between 0.1 and 1000; got 0/).details).toMatchObject({ field: 'max_per_second' });
    refuses({ ...base, max_per_second: 1001 }, /max_per_second must be between/);
    expect(refuses({ ...base, max_in_flight: 101 }, /max_in_flight must be between 1 and 100; got 101/).details).toMatchObject({ field: 'max_in_flight' });
    refuses({ ...base, max_in_flight: 2.5 }, /max_in_flight must be a whole number/);
    refuses({ ...base, ordered: 'product' }, /ordered must be "device"/);
  });
});
