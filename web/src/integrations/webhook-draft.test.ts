import { describe, expect, test } from 'vitest';
import type { Integration } from '../api/types.ts';
import { draftFromIntegration, draftProblems, draftToConfig, EMPTY_DRAFT } from './webhook-draft.ts';

const stored: Integration = {
  id: 'int1',
  integration_type: 'Webhook',
  name: 'temp to Blynk',
  event: 'temp',
  url: 'https://blynk.cloud/external/api/update',
  requestType: 'GET',
  query: { token: '{{{BLYNK_TOKEN}}}', v1: '{{{PARTICLE_EVENT_VALUE}}}' },
  headers: { Authorization: 'Bearer {{{BLYNK_TOKEN}}}' },
  noDefaults: true,
  rejectUnauthorized: false,
  responseTopic: 'blynk-ok',
  secrets: ['BLYNK_TOKEN'],
  created_at: '2026-01-01T00:00:00Z',
  counters: { success: 3, error: 1 },
  last_delivery: null,
};

describe('webhook draft', () => {
  test('round-trips a stored integration into the same configuration', () => {
    const config = draftToConfig(draftFromIntegration(stored));
    expect(config).toMatchObject({
      integration_type: 'Webhook',
      name: 'temp to Blynk',
      event: 'temp',
      url: stored.url,
      requestType: 'GET',
      query: stored.query,
      headers: stored.headers,
      noDefaults: true,
      rejectUnauthorized: false,
      responseTopic: 'blynk-ok',
      secrets: ['BLYNK_TOKEN'],
    });
    expect(config.form).toBeUndefined();
    expect(config.json).toBeUndefined();
    expect(config.body).toBeUndefined();
    expect(config.auth).toBeUndefined();
  });

  test('form, JSON and custom body are exclusive; JSON that is not JSON stays a template string', () => {
    const base = { ...EMPTY_DRAFT, event: 'e', url: 'https://x.test', formPairs: [{ key: 'a', value: '1' }], bodyText: 'raw' };
    expect(draftToConfig({ ...base, bodyKind: 'form' })).toMatchObject({ form: { a: '1' }, json: undefined, body: undefined });
    expect(draftToConfig({ ...base, bodyKind: 'json', jsonText: '{"a":1}' }).json).toEqual({ a: 1 });
    expect(draftToConfig({ ...base, bodyKind: 'json', jsonText: '{"n": {{n}} }' }).json).toBe('{"n": {{n}} }');
    expect(draftToConfig({ ...base, bodyKind: 'body' })).toMatchObject({ body: 'raw', form: undefined, json: undefined });
    const stringJson = draftFromIntegration({ ...stored, json: '{"n": {{n}} }' });
    expect(stringJson.bodyKind).toBe('json');
    expect(stringJson.jsonText).toBe('{"n": {{n}} }');
  });

  test('basic auth and empty rows', () => {
    const config = draftToConfig({
      ...EMPTY_DRAFT,
      event: 'e',
      url: 'https://x.test',
      authUsername: 'me',
      authPassword: '{{{PW}}}',
      headerPairs: [{ key: ' ', value: 'ignored' }],
    });
    expect(config.auth).toEqual({ username: 'me', password: '{{{PW}}}' });
    expect(config.headers).toBeUndefined();
  });

  test('event and URL are required; URL must be http(s) or a template', () => {
    expect(draftProblems(EMPTY_DRAFT)).toEqual({ event: expect.any(String), url: 'URL is required' });
    expect(draftProblems({ ...EMPTY_DRAFT, event: 'e', url: 'ftp://x' }).url).toMatch(/http/);
    expect(draftProblems({ ...EMPTY_DRAFT, event: 'e', url: '{{{BASE_URL}}}/x' })).toEqual({});
  });

  test('carries the signing secret and an exponential retry schedule both ways, and checks them', () => {
    const signed: Integration = { ...stored, signing_secret: 'BLYNK_TOKEN', retry_schedule: { type: 'exponential', max_attempts: 5, initial_delay_ms: 2000, max_delay_ms: 60_000 } };
    const d = draftFromIntegration(signed);
    expect(d).toMatchObject({ signingSecret: 'BLYNK_TOKEN', retryType: 'exponential', retryMaxAttempts: '5', retryFirstDelayS: '2', retryMaxDelayS: '60' });
    expect(draftToConfig(d)).toMatchObject({ signing_secret: 'BLYNK_TOKEN', retry_schedule: signed.retry_schedule });
    expect(draftToConfig(draftFromIntegration(stored)).retry_schedule).toBeUndefined();
    expect(draftProblems({ ...d, secrets: [] }).signingSecret).toMatch(/must be one of the selected secrets/);
    expect(draftProblems({ ...d, retryMaxAttempts: '30' }).retry).toMatch(/1 to 20/);
    expect(draftProblems({ ...d, retryMaxDelayS: '1' }).retry).toMatch(/longest delay/);
  });

  test('carries pacing both ways, leaves it out when blank, and checks the API ranges', () => {
    const paced: Integration = { ...stored, max_per_second: 2.5, max_in_flight: 4, ordered: 'device' };
    const d = draftFromIntegration(paced);
    expect(d).toMatchObject({ maxPerSecond: '2.5', maxInFlight: '4', orderedByDevice: true });
    expect(draftToConfig(d)).toMatchObject({ max_per_second: 2.5, max_in_flight: 4, ordered: 'device' });
    const plain = draftToConfig(draftFromIntegration(stored));
    expect([plain.max_per_second, plain.max_in_flight, plain.ordered]).toEqual([undefined, undefined, undefined]);
    expect(draftProblems({ ...d, maxPerSecond: '0' }).pacing).toMatch(/0\.1 to 1000/);
    expect(draftProblems({ ...d, maxInFlight: '1.5' }).pacing).toMatch(/whole number from 1 to 100/);
    expect(draftProblems({ ...d, event: 'e', url: 'https://x' }).pacing).toBeUndefined();
  });
});
