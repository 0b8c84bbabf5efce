import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpSink, type HttpSink } from '../support/http-sink.ts';
import { testDialects } from '../support/pg-fns.ts';
import { api, startTestServer, type TestServer } from '../support/test-server.ts';
import { until } from '../support/until-fns.ts';
import { leakedForms } from '../support/value-forms.ts';

const VALUE = 'acc-Token+Zq/é&7 3310';

interface Consumer {
  kind: string;
  id: string;
  name: string;
  last_used_at: string | null;
  daily: number[];
  total: number;
}

describe.each(testDialects())('access by consumer (%s)', (dialect) => {
  let s: TestServer;
  let sink: HttpSink;
  let u: Awaited<ReturnType<TestServer['user']>>;
  const outputs: string[] = [];
  const call = async (method: string, path: string, opts: Parameters<typeof api>[3] = {}) => {
    const r = await api(s.url, method, path, { token: u.token, ...opts });
    outputs.push(r.text);
    return r;
  };
  const names = async (query: string) => (await call('GET', `/v1/secrets${query}`)).body.secrets.map((x: { name: string }) => x.name);

  beforeAll(async () => {
    s = await startTestServer({ dialect });
    sink = await startHttpSink();
    u = await s.user();
  });
  afterAll(async () => {
    await s?.stop();
    await sink?.close();
  });

  it('counts deliveries and Logic runs per consumer and day, and the list sorts and filters by last access', async () => {
    expect((await call('POST', '/v1/secrets', { json: { name: 'USED_TOKEN', value: VALUE } })).status).toBe(201);
    expect((await call('POST', '/v1/secrets', { json: { name: 'IDLE_TOKEN', value: 'idle-value-5521' } })).status).toBe(201);
    const hook = await call('POST', '/v1/integrations', {
      json: { event: 'use-it', url: `${sink.url}/hook`, requestType: 'POST', headers: { Authorization: 'Bearer {{{USED_TOKEN}}}' }, secrets: ['USED_TOKEN'] },
    });
    expect(hook.status).toBe(201);
    const fn = await call('POST', '/v1/logic/functions', {
      json: { logic_function: { name: 'token-user', enabled: true, source: { type: 'JavaScript', code: 'export default function f({ secrets }) { console.log(secrets.USED_TOKEN.length); }' }, secrets: ['USED_TOKEN'], logic_triggers: [{ type: 'Event', event_name: 'use-it', product_id: 0 }] } },
    });
    expect(fn.status).toBe(201);
    const fnId = fn.body.logic_function.id;

    // Before any use: both consumers listed, with zeros; never used.
    const before = (await call('GET', '/v1/secrets/USED_TOKEN')).body.secret;
    expect(before.unused_days).toBeNull();
    // Ordered by consumer name.
    expect(before.consumers.map((c: Consumer) => [c.kind, c.id, c.name, c.total, c.last_used_at]).sort()).toEqual([
      ['integration', hook.body.id, 'use-it for 127.0.0.1', 0, null],
      ['logic', fnId, 'token-user', 0, null],
    ]);

    for (const data of ['one', 'two', 'three']) expect((await call('POST', '/v1/devices/events', { json: { name: 'use-it', data } })).status).toBe(200);
    await sink.waitFor(3, 20_000);
    await until(async () => (await call('GET', `/v1/logic/functions/${fnId}/runs`)).body.logic_runs.length >= 3, 20_000, 'three runs');

    // Counts arrive with the coalesced flush (a few seconds at most).
    const details = await until(async () => {
      const d = (await call('GET', '/v1/secrets/USED_TOKEN')).body.secret;
      return d.consumers.every((c: Consumer) => c.total === 3) && d;
    }, 20_000, 'three uses per consumer');
    // Every existing field is kept.
    expect(details).toMatchObject({ name: 'USED_TOKEN', version: 1, usage_count: 2, unused_days: 0, last_accessed_at: expect.any(String) });
    expect(details.integrations).toHaveLength(1);
    expect(details.logic_functions).toEqual([{ id: fnId, name: 'token-user' }]);
    for (const c of details.consumers as Consumer[]) {
      expect(c.daily).toHaveLength(30);
      expect(c.daily.at(-1)).toBe(3);
      expect(c.daily.slice(0, 29).every((n) => n === 0)).toBe(true);
      expect(Date.parse(c.last_used_at ?? '')).not.toBeNaN();
    }
    const idle = (await call('GET', '/v1/secrets/IDLE_TOKEN')).body.secret;
    expect(idle).toMatchObject({ consumers: [], unused_days: null, last_accessed_at: null });

    // The list keeps its shape; sorting and filters are additions.
    const plain = (await call('GET', '/v1/secrets')).body.secrets;
    expect(plain.map((x: { name: string }) => x.name)).toEqual(['IDLE_TOKEN', 'USED_TOKEN']);
    expect(plain[0].consumers).toBeUndefined();
    expect(await names('?sort=last_accessed')).toEqual(['IDLE_TOKEN', 'USED_TOKEN']);
    expect(await names('?sort=last_accessed&order=desc')).toEqual(['USED_TOKEN', 'IDLE_TOKEN']);
    expect(await names('?sort=name&order=desc')).toEqual(['USED_TOKEN', 'IDLE_TOKEN']);
    expect(await names('?never_used=true')).toEqual(['IDLE_TOKEN']);
    expect(await names('?unused_days=1')).toEqual(['IDLE_TOKEN']);
    expect(await names('?unused_days=0')).toEqual(['IDLE_TOKEN', 'USED_TOKEN']);
    // A token in the query string (Particle clients) still passes with the new parameters.
    const viaQuery = await api(s.url, 'GET', `/v1/secrets?sort=last_accessed&order=desc&access_token=${u.token}`);
    expect(viaQuery.status).toBe(200);
    expect(viaQuery.body.secrets.map((x: { name: string }) => x.name)).toEqual(['USED_TOKEN', 'IDLE_TOKEN']);

    for (const bad of ['sort=size', 'order=up', 'unused_days=-1', 'unused_days=abc', 'unused_days=1.5', 'never_used=yes', 'sort=name&sort=last_accessed']) {
      const r = await call('GET', `/v1/secrets?${bad}`);
      expect(r.status, bad).toBe(400);
      expect(r.body, bad).toEqual({ ok: false, error: expect.any(String) });
    }

    // A deleted secret's counts go with it: recreated under the same name, it starts at zero.
    expect((await call('DELETE', `/v1/integrations/${hook.body.id}`)).status).toBeLessThan(300);
    expect((await call('DELETE', `/v1/logic/functions/${fnId}`)).status).toBeLessThan(300);
    expect((await call('DELETE', '/v1/secrets/USED_TOKEN')).status).toBe(204);
    expect((await call('POST', '/v1/secrets', { json: { name: 'USED_TOKEN', value: VALUE } })).status).toBe(201);
    expect((await call('GET', '/v1/secrets/USED_TOKEN')).body.secret).toMatchObject({ consumers: [], unused_days: null });

    expect(leakedForms([...outputs, ...s.logLines].join('\n'), [VALUE])).toEqual([]);
  });
});
