import { decode } from 'cbor-x';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../support/pg-fns.ts';
import { api, startTestServer, type TestServer } from '../support/test-server.ts';

/** Logic functions in Particle's published style, unchanged (issue #15's corpus). */
const CORPUS: Record<string, { code: string; data?: string; check: (args: unknown[][]) => void }> = {
  'lodash grouping and summing': {
    data: JSON.stringify([{ room: 'lab', kwh: 1.5 }, { room: 'office', kwh: 2 }, { room: 'lab', kwh: 3 }]),
    code: `import Particle from 'particle:core';
import { groupBy, sumBy, mapValues } from 'vendor:lodash';
export default function process({ event }) {
  const readings = JSON.parse(event.eventData);
  const perRoom = mapValues(groupBy(readings, 'room'), (list) => sumBy(list, 'kwh'));
  console.log(perRoom);
}`,
    check: (args) => expect(args).toEqual([[{ lab: 4.5, office: 2 }]]),
  },
  'date-fns formatting and arithmetic': {
    code: `import { format, addHours, differenceInMinutes } from 'vendor:date-fns';
export default function process({ event }) {
  const published = new Date('2024-02-28T23:30:00Z');
  const due = addHours(published, 2);
  console.log(format(due, 'yyyy-MM-dd'), differenceInMinutes(due, published));
}`,
    check: (args) => expect(args).toEqual([['2024-02-29', 120]]),
  },
  'CBOR encode + base64': {
    code: `import { encode } from 'vendor:cbor-x';
import { base64Encode } from 'particle:encoding';
export default function process({ event }) {
  console.log(base64Encode(encode({ id: event.deviceId, t: 21.5 })));
}`,
    check: (args) => expect(decode(Buffer.from(args[0]![0] as string, 'base64'))).toEqual({ id: '0123456789abcdef01234567', t: 21.5 }),
  },
  'base85 and dataUrl round trips': {
    code: `import { base85Encode, base85Decode, dataUrlEncode, dataUrlDecode, stringToBytes, bytesToString } from 'particle:encoding';
export default function process() {
  const bytes = stringToBytes('hello, world');
  const url = dataUrlEncode(bytes, 'text/plain');
  console.log(bytesToString(base85Decode(base85Encode(bytes))), url, dataUrlDecode(url).mimeType, bytesToString(dataUrlDecode(url).data));
}`,
    check: (args) => expect(args).toEqual([['hello, world', 'data:text/plain;base64,aGVsbG8sIHdvcmxk', 'text/plain', 'hello, world']]),
  },
  'getContext()': {
    code: `import Particle from 'particle:core';
export default function process() {
  const { event, functionInfo } = Particle.getContext();
  console.log(event.eventName, typeof functionInfo.ownerId);
}`,
    check: (args) => expect(args).toEqual([['corpus', 'string']]),
  },
  reverseGeocode: {
    code: `import { reverseGeocode } from 'particle:geo';
export default function process() {
  const place = reverseGeocode(37.3861, -122.0839);
  console.log(place.name, place.admin1, place.admin2, place.cc, place.distance < 1);
}`,
    check: (args) => expect(args).toEqual([['Mountain View', 'California', 'Santa Clara County', 'US', true]]),
  },
};

describe.each(testDialects())('Particle-style code and client shapes (%s)', (dialect) => {
  let s: TestServer;
  let u: Awaited<ReturnType<TestServer['user']>>;
  const call = (method: string, path: string, opts: Parameters<typeof api>[3] = {}) => api(s.url, method, path, { token: u.token, ...opts });

  beforeAll(async () => {
    s = await startTestServer({ dialect });
    u = await s.user();
    expect((await call('PUT', '/v1/secrets/API_KEY', { json: { value: 'corpus-api-key-0123456789' } })).status).toBe(200);
  });
  afterAll(async () => {
    await s?.stop();
  });

  it.each(Object.keys(CORPUS))('runs "%s" through execute', async (name) => {
    const item = CORPUS[name]!;
    const r = await call('POST', '/v1/logic/execute', {
      json: { event: { event_name: 'corpus', device_id: '0123456789abcdef01234567', event_data: item.data ?? '' }, source: { type: 'JavaScript', code: item.code } },
    });
    expect(r.status).toBe(200);
    expect(r.body.result.status, r.body.result.err).toBe('Success');
    item.check(r.body.result.logs.map((entry: { args: unknown[] }) => entry.args));
  });

  it('runs the corpus deployed on an event trigger', async () => {
    const ids: Record<string, string> = {};
    for (const [name, item] of Object.entries(CORPUS)) {
      const created = await call('POST', '/v1/logic/functions', {
        json: { logic_function: { name: `corpus ${name}`, source: { type: 'JavaScript', code: item.code }, logic_triggers: [{ type: 'Event', event_name: 'corpus' }] } },
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      ids[name] = created.body.logic_function.id;
    }
    // One event triggers every function; the lodash one reads its data.
    expect((await call('POST', '/v1/devices/events', { json: { name: 'corpus', data: CORPUS['lodash grouping and summing']!.data } })).status).toBe(200);
    for (const [name, id] of Object.entries(ids)) {
      let run: { id: string; status: string } | undefined;
      const deadline = Date.now() + 30_000;
      while ((run = (await call('GET', `/v1/logic/functions/${id}/runs`)).body.logic_runs[0]) === undefined && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(run?.status, name).toBe('Success');
      if (name === 'lodash grouping and summing' || name === 'reverseGeocode' || name === 'date-fns formatting and arithmetic') {
        const logs = await call('GET', `/v1/logic/functions/${id}/runs/${run!.id}/logs`);
        CORPUS[name]!.check(logs.body.logs.map((entry: { args: unknown[] }) => entry.args));
      }
      expect((await call('DELETE', `/v1/logic/functions/${id}`)).status).toBe(204);
    }
  });

  it('refuses an unknown vendor module at save time with a 400', async () => {
    const r = await call('POST', '/v1/logic/functions', { json: { logic_function: { name: 'pad', source: { code: `import pad from 'vendor:left-pad';\nexport default function f() {}` } } } });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatch(/vendor:left-pad.*vendor:lodash/);
  });

  it('takes secrets as ["NAME"] and [{ "name": "NAME" }] for webhooks, Logic functions and execute, answering ["NAME"]', async () => {
    for (const secrets of [['API_KEY'], [{ name: 'API_KEY' }]]) {
      const hook = await call('POST', '/v1/integrations', { json: { event: 'shape', url: 'http://127.0.0.1:9/x', requestType: 'POST', headers: { 'X-Key': '{{{API_KEY}}}' }, secrets } });
      expect(hook.status, JSON.stringify(hook.body)).toBe(201);
      expect(hook.body.integration.secrets).toEqual(['API_KEY']);
      const fn = await call('POST', '/v1/logic/functions', { json: { logic_function: { name: `shape ${JSON.stringify(secrets)}`, source: { code: 'export default function f() {}' }, secrets } } });
      expect(fn.status, JSON.stringify(fn.body)).toBe(201);
      expect(fn.body.logic_function.secrets).toEqual(['API_KEY']);
      const run = await call('POST', '/v1/logic/execute', { json: { source: { code: 'export default function f({ secrets }) { console.log(Object.keys(secrets)); }' }, secrets } });
      expect(run.body.result.logs[0].args).toEqual([['API_KEY']]);
    }
    for (const secrets of [[{ nom: 'API_KEY' }], [{ name: 3 }], [7]]) {
      expect((await call('POST', '/v1/integrations', { json: { event: 'shape', url: 'http://127.0.0.1:9/x', secrets } })).status).toBe(400);
      expect((await call('POST', '/v1/logic/functions', { json: { logic_function: { name: 'bad', source: { code: 'export default function f() {}' }, secrets } } })).status).toBe(400);
    }
  });

  it('creates products from the flat body and from { product: {...} }', async () => {
    const flat = await call('POST', '/v1/user/products', { json: { name: 'Flat one', platform_id: 12 } });
    expect(flat.status).toBe(201);
    expect(flat.body.product.name).toBe('Flat one');
    const wrapped = await call('POST', '/v1/user/products', { json: { product: { name: 'Wrapped one', description: 'd', platform_id: 12 } } });
    expect(wrapped.status).toBe(201);
    expect(wrapped.body.product.name).toBe('Wrapped one');
    const listed = (await call('GET', '/v1/user/products')).body.products.map((p: { name: string }) => p.name);
    expect(listed).toEqual(expect.arrayContaining(['Flat one', 'Wrapped one']));
    expect((await call('POST', '/v1/user/products', { json: { product: { slug: 'no-name' } } })).status).toBe(400);
  });
});
