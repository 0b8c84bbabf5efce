import { describe, expect, it } from 'vitest';
import { HushError } from '../../errors/errors.ts';
import { parseWebhookConfig } from './webhook-config-fns.ts';
import { renderResponseTemplate, renderTopic, renderWebhookRequest, USER_AGENT } from './webhook-render-fns.ts';
import type { WebhookEvent } from './webhook-types.ts';
import { eventVariables } from './webhook-vars-fns.ts';

const SECRETS = ['API_KEY', 'USER', 'PASS', 'room'.toUpperCase()];
const config = (input: Record<string, unknown>, scope: 'sandbox' | 'product' = 'sandbox') =>
  parseWebhookConfig({ event: 'temp', url: 'https://example.com/hook', ...input }, { knownSecrets: new Set(SECRETS), scope });

const event: WebhookEvent = {
  name: 'temp/basement',
  data: '{"room":"kitchen","temp":21.5,"nested":{"a":[{"b":"x"}]},"html":"<a href=\'/x\'>&</a>"}',
  publishedAt: '2024-05-01T10:00:00.000Z',
  coreid: '0123456789abcdef01234567',
  eventId: 'ev-1',
  productId: 1234,
  userId: 'user-9',
  firmwareVersion: 7,
};
const render = (input: Record<string, unknown>, secrets: Record<string, string> = {}, ev: WebhookEvent = event) =>
  renderWebhookRequest(config(input), ev, secrets);
const body = (input: Record<string, unknown>, secrets: Record<string, string> = {}) => render({ noDefaults: true, ...input }, secrets).body;

describe('variables', () => {
  it.each([
    ['{{{PARTICLE_DEVICE_ID}}}', event.coreid],
    ['{{{PARTICLE_EVENT_NAME}}}', 'temp/basement'],
    ['{{{PARTICLE_EVENT_VALUE}}}', event.data],
    ['{{{PARTICLE_PUBLISHED_AT}}}', event.publishedAt],
    ['{{{PARTICLE_EVENT_ID}}}', 'ev-1'],
    ['{{{PRODUCT_ID}}}', '1234'],
    ['{{{PRODUCT_USER_ID}}}', 'user-9'],
    ['{{{PRODUCT_VERSION}}}', '7'],
    ['{{{SPARK_EVENT_NAME}}}|{{{SPARK_EVENT_VALUE}}}|{{{SPARK_CORE_ID}}}|{{{SPARK_PUBLISHED_AT}}}', `temp/basement|${event.data}|${event.coreid}|${event.publishedAt}`],
    ['{{{room}}} {{temp}} {{{nested.a.0.b}}}', 'kitchen 21.5 x'],
    ['{{#nested.a}}[{{b}}]{{/nested.a}}{{^missing}}none{{/missing}}', '[x]none'],
    ['{{html}}', '&lt;a href=&#39;/x&#39;&gt;&amp;&lt;/a&gt;'],
    ['{{{html}}}', "<a href='/x'>&</a>"],
    ['{{PARTICLE_EVENT_NAME}}', 'temp/basement'],
    ['{{constructor}}{{__proto__}}{{hasOwnProperty}}', ''],
  ])('%s', (template, expected) => {
    expect(body({ body: template })).toBe(expected);
  });

  it('PARTICLE_EVENT_JSON and PARTICLE_EVENT_BASE64 carry the whole event', () => {
    const json = JSON.parse(body({ body: '{{{PARTICLE_EVENT_JSON}}}' }) ?? '');
    expect(json).toEqual({
      event: 'temp/basement', data: event.data, published_at: event.publishedAt, coreid: event.coreid,
      event_id: 'ev-1', product_id: 1234, userid: 'user-9', fw_version: 7,
    });
    const b64 = body({ body: '{{{PARTICLE_EVENT_BASE64}}}' }) ?? '';
    expect(JSON.parse(Buffer.from(b64, 'base64').toString('utf8'))).toEqual(json);
  });

  it('a selected secret wins over an event field; predefined names win over event fields', () => {
    const ev = { ...event, data: '{"ROOM":"from-data","PARTICLE_DEVICE_ID":"spoofed"}' };
    const c = config({ noDefaults: true, body: '{{{ROOM}}} {{{PARTICLE_DEVICE_ID}}}', secrets: ['ROOM'] });
    expect(renderWebhookRequest(c, ev, { ROOM: 'from-secret' }).body).toBe(`from-secret ${event.coreid}`);
  });

  it('never exposes a secret the integration did not select', () => {
    const c = config({ noDefaults: true, body: '[{{{UNSELECTED}}}]' });
    expect(renderWebhookRequest(c, event, { UNSELECTED: 'leak' }).body).toBe('[]');
  });

  it('handles events without data, non-JSON data and missing product fields', () => {
    const bare: WebhookEvent = { name: 'x', publishedAt: 'p', coreid: 'c', eventId: 'e' };
    expect(render({ noDefaults: true, body: '[{{PARTICLE_EVENT_VALUE}}][{{PRODUCT_ID}}]' }, {}, bare).body).toBe('[][]');
    expect(render({ noDefaults: true, body: '{{{PARTICLE_EVENT_VALUE}}}' }, {}, { ...bare, data: 'not json' }).body).toBe('not json');
  });
});

describe('default data placement', () => {
  const defaults = { event: 'temp/basement', data: event.data, published_at: event.publishedAt, coreid: event.coreid };

  it('POST without json/form/body sends the defaults as a form body', () => {
    const req = render({});
    expect(req.method).toBe('POST');
    expect(req.headers['Content-Type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(req.body))).toEqual(defaults);
    expect(req.body?.startsWith('event=temp%2Fbasement&data=')).toBe(true);
  });

  it('GET and DELETE put defaults (and form fields) in the query string, after the URL\'s own query', () => {
    for (const requestType of ['GET', 'DELETE']) {
      const req = render({ requestType, url: 'https://example.com/h?x=a%20b', form: { f: '{{{room}}}' }, query: { q: '1' } });
      const url = new URL(req.url);
      expect(req.body).toBeUndefined();
      expect(url.search.startsWith('?x=a%20b&q=1&f=kitchen&event=')).toBe(true);
      expect(Object.fromEntries(url.searchParams)).toEqual({ x: 'a b', q: '1', f: 'kitchen', ...defaults });
    }
  });

  it('merges defaults into json and form; the user\'s fields win', () => {
    const json = render({ json: { data: '{{{room}}}', n: 2 } });
    expect(json.headers['Content-Type']).toBe('application/json');
    expect(JSON.parse(json.body ?? '')).toEqual({ ...defaults, data: 'kitchen', n: 2 });
    const form = render({ requestType: 'PUT', form: { event: 'mine' } });
    expect(Object.fromEntries(new URLSearchParams(form.body))).toEqual({ ...defaults, event: 'mine' });
  });

  it('does not merge defaults into a custom body, nor set a content type', () => {
    const req = render({ body: 'raw={{{temp}}}' });
    expect(req.body).toBe('raw=21.5');
    expect(req.headers['Content-Type']).toBeUndefined();
  });

  it('POST with only a query keeps the defaults in the body', () => {
    const req = render({ query: { k: 'v' } });
    expect(new URL(req.url).search).toBe('?k=v');
    expect(Object.fromEntries(new URLSearchParams(req.body))).toEqual(defaults);
  });

  it('noDefaults sends nothing extra', () => {
    const req = render({ noDefaults: true });
    expect(req.body).toBeUndefined();
    expect(render({ noDefaults: true, requestType: 'GET' }).url).toBe('https://example.com/hook');
  });
});

describe('json bodies', () => {
  it('mustache in json values yields strings; other JSON values are kept; keys are templated', () => {
    expect(JSON.parse(body({ json: { '{{{room}}}': '{{{temp}}}', n: 1, b: true, z: null, list: ['{{room}}'] } }) ?? '')).toEqual({
      kitchen: '21.5', n: 1, b: true, z: null, list: ['kitchen'],
    });
  });

  it('a json string template is rendered, then must parse', () => {
    expect(JSON.parse(body({ json: '{"t": {{temp}}, "r": "{{{room}}}"}' }) ?? '')).toEqual({ t: 21.5, r: 'kitchen' });
    expect(JSON.parse(render({ json: '{"t": {{temp}}}' }).body ?? '')).toMatchObject({ t: 21.5, coreid: event.coreid });
    let error: unknown;
    try {
      render({ json: '{"t": {{{PARTICLE_EVENT_VALUE}}}' }, {}, { ...event, data: 'SENSITIVE-DATA' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(HushError);
    expect((error as Error).message).not.toContain('SENSITIVE');
  });
});

describe('headers and auth', () => {
  it('sets the Particle User-Agent unless overridden, and JSON accept', () => {
    expect(render({}).headers['User-Agent']).toBe(USER_AGENT);
    const req = render({ json: {}, headers: { 'user-agent': 'mine', Accept: 'text/plain' } });
    expect(req.headers).toMatchObject({ 'user-agent': 'mine', Accept: 'text/plain' });
    expect(req.headers['User-Agent']).toBeUndefined();
  });

  it('renders header names and values, stripping control characters', () => {
    const data = JSON.stringify({ room: 'k', v: ' a\r\nInjected: 1\n' });
    const req = render({ headers: { 'X-{{{room}}}': '{{{v}}}' } }, {}, { ...event, data });
    expect(req.headers['X-k']).toBe('aInjected: 1');
  });

  it('refuses a header name that renders invalid', () => {
    expect(() => render({ headers: { '{{{room}}}': 'v' } }, {}, { ...event, data: '{"room":"a b"}' })).toThrow(HushError);
  });

  it('auth gives HTTP Basic (UTF-8), bearer gives Bearer; both win over headers', () => {
    const basic = render({ auth: { username: 'u', password: '{{{PASS}}}' }, secrets: ['PASS'], headers: { Authorization: 'x' } }, { PASS: 'pä:ss' });
    expect(basic.headers.Authorization).toBe(`Basic ${Buffer.from('u:pä:ss', 'utf8').toString('base64')}`);
    expect(render({ auth: { bearer: '{{{API_KEY}}}' }, secrets: ['API_KEY'] }, { API_KEY: 'k1' }).headers.Authorization).toBe('Bearer k1');
  });
});

describe('URLs with user-info', () => {
  const tricky = { USER: 'a@b:c/d', PASS: 'p%40:/#?@ s' };

  it('percent-encodes inserted user and password values so the URL keeps its structure', () => {
    const req = render({ url: 'https://{{{USER}}}:{{{PASS}}}@api.example.com/p?q=1', secrets: ['USER', 'PASS'] }, tricky);
    const url = new URL(req.url);
    expect(url.hostname).toBe('api.example.com');
    expect(url.pathname).toBe('/p');
    expect(decodeURIComponent(url.username)).toBe(tricky.USER);
    expect(decodeURIComponent(url.password)).toBe(tricky.PASS);
    expect(req.headers.Authorization).toBe(`Basic ${Buffer.from(`${tricky.USER}:${tricky.PASS}`).toString('base64')}`);
  });

  it('keeps literal user-info text as written and encodes only values', () => {
    const req = render({ url: 'https://me%40x.com:{{{PASS}}}@h.example/', secrets: ['PASS'] }, { PASS: 'a#b' });
    expect(new URL(req.url).username).toBe('me%40x.com');
    expect(new URL(req.url).password).toBe('a%23b');
    expect(req.headers.Authorization).toBe(`Basic ${Buffer.from('me@x.com:a#b').toString('base64')}`);
  });

  it('a single tag holding user:pass still authenticates as that pair', () => {
    const req = render({ url: 'https://{{{API_KEY}}}@h.example/', secrets: ['API_KEY'] }, { API_KEY: 'u:p' });
    expect(req.headers.Authorization).toBe(`Basic ${Buffer.from('u:p').toString('base64')}`);
  });

  it('explicit auth wins over URL user-info', () => {
    const req = render({ url: 'https://x:y@h.example/', auth: { username: 'a', password: 'b' } });
    expect(req.headers.Authorization).toBe(`Basic ${Buffer.from('a:b').toString('base64')}`);
  });

  it('throws when a URL renders to something that is not an http(s) URL', () => {
    expect(() => render({ url: '{{{PARTICLE_EVENT_VALUE}}}' }, {}, { ...event, data: 'ftp://x/' })).toThrow(/did not render to an http\(s\) URL/);
    expect(() => render({ url: '{{{PARTICLE_EVENT_VALUE}}}' }, {}, { ...event, data: 'nope' })).toThrow(/did not render to a valid URL/);
  });
});

describe('topics and response templates', () => {
  it('renderTopic uses event variables and never secrets', () => {
    const vars = eventVariables(event);
    expect(renderTopic('{{PARTICLE_DEVICE_ID}}/hook-response/{{PARTICLE_EVENT_NAME}}', vars)).toBe(`${event.coreid}/hook-response/temp/basement`);
    expect(renderTopic('{{#x}}', vars)).toBe('');
    expect(renderTopic('hook-response/{{PARTICLE_EVENT_NAME}}', eventVariables({ ...event, name: "a&b<'c'>" }))).toBe("hook-response/a&b<'c'>");
  });

  it('renderResponseTemplate reads the JSON response, then event variables', () => {
    const response = '{"results":[{"location":{"lat":1.5,"lng":2}}],"PARTICLE_EVENT_NAME":"shadow"}';
    expect(renderResponseTemplate('{{results.0.location.lat}},{{{results.0.location.lng}}} {{PARTICLE_DEVICE_ID}}', response, event)).toBe(`1.5,2 ${event.coreid}`);
    expect(renderResponseTemplate('{{PARTICLE_EVENT_NAME}}', response, event)).toBe('shadow');
    expect(JSON.parse(renderResponseTemplate({ lat: '{{{results.0.location.lat}}}' }, response, event))).toEqual({ lat: '1.5' });
    expect(renderResponseTemplate('[{{a}}]', 'not json', event)).toBe('[]');
  });
});
