import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpSink, type HttpSink } from '../support/http-sink.ts';
import { testDialects } from '../support/pg-fns.ts';
import { openSse } from '../support/sse-client.ts';
import { api, startTestServer, type TestServer } from '../support/test-server.ts';
import { leakedForms } from '../support/value-forms.ts';

const V1 = 'evt-First+Value/é&<"x"> 42';
const V2 = 'evt-Second%Value:Zq9';

describe.each(testDialects())('secret change events (%s)', (dialect) => {
  let s: TestServer;
  let sink: HttpSink;
  let u: Awaited<ReturnType<TestServer['user']>>;
  const outputs: string[] = [];
  const call = async (method: string, path: string, opts: Parameters<typeof api>[3] = {}) => {
    const r = await api(s.url, method, path, { token: u.token, ...opts });
    outputs.push(r.text);
    return r;
  };

  beforeAll(async () => {
    s = await startTestServer({ dialect });
    sink = await startHttpSink();
    u = await s.user();
  });
  afterAll(async () => {
    await s?.stop();
    await sink?.close();
  });

  it('publishes created, replaced, restored and deleted on the owner stream and to webhooks, without the value', async () => {
    const hook = await call('POST', '/v1/integrations', {
      json: { event: 'hush/secret/', url: `${sink.url}/notify`, requestType: 'POST', json: { event: '{{{PARTICLE_EVENT_NAME}}}', data: '{{{PARTICLE_EVENT_VALUE}}}' } },
    });
    expect(hook.status).toBe(201);
    const sse = await openSse(`${s.url}/v1/devices/events/${encodeURIComponent('hush/secret/')}`, u.token);
    const other = await s.user();
    const otherSse = await openSse(`${s.url}/v1/devices/events/${encodeURIComponent('hush/secret/')}`, other.token);

    expect((await call('POST', '/v1/secrets', { json: { name: 'CI_TOKEN', value: V1 } })).status).toBe(201);
    expect((await call('PUT', '/v1/secrets/CI_TOKEN', { json: { value: V2 } })).status).toBe(200);
    expect((await call('POST', '/v1/secrets/CI_TOKEN/versions/1/restore')).status).toBe(200);
    expect((await call('DELETE', '/v1/secrets/CI_TOKEN')).status).toBe(204);

    const names = ['hush/secret/created', 'hush/secret/replaced', 'hush/secret/restored', 'hush/secret/deleted'];
    for (const n of names) await sse.waitFor((e) => e.event === n, 15_000);
    const got = sse.events.filter((e) => e.event.startsWith('hush/secret/'));
    expect(got.map((e) => e.event)).toEqual(names);
    const data = got.map((e) => JSON.parse(e.data.data));
    expect(data.map((d) => [d.name, d.version, d.actor])).toEqual([
      ['CI_TOKEN', 1, u.id], ['CI_TOKEN', 2, u.id], ['CI_TOKEN', 3, u.id], ['CI_TOKEN', 3, u.id],
    ]);
    expect(data[2].restored_from).toBe(1);
    for (const d of data) expect(Number.isNaN(Date.parse(d.at))).toBe(false);
    expect(Object.keys(data[0]).sort()).toEqual(['actor', 'at', 'name', 'version']);

    // A webhook on the prefix receives each one (Logic triggers ride the same bus sinks).
    const delivered = await sink.waitFor(4, 20_000);
    expect(delivered.map((r) => JSON.parse(r.body).event).sort()).toEqual([...names].sort());

    // Another user's stream sees none of them.
    expect(otherSse.events.filter((e) => e.event.startsWith('hush/secret/'))).toEqual([]);

    const everything = [
      ...outputs,
      ...sse.events.map((e) => JSON.stringify(e)),
      ...delivered.map((r) => `${r.url}\n${JSON.stringify(r.headers)}\n${r.body}`),
      ...s.logLines,
      (await call('GET', `/v1/integrations/${hook.body.id}/logs`)).text,
      (await call('GET', '/v1/audit')).text,
    ].join('\n');
    expect(leakedForms(everything, [V1, V2])).toEqual([]);
    sse.close();
    otherSse.close();
  });

  it('publishes nothing for a refused write', async () => {
    const sse = await openSse(`${s.url}/v1/devices/events/${encodeURIComponent('hush/secret/')}`, u.token);
    expect((await call('PUT', '/v1/secrets/bad-name', { json: { value: V1 } })).status).toBe(400);
    expect((await call('DELETE', '/v1/secrets/MISSING')).status).toBe(404);
    // A marker published after the refusals: once it arrives, anything they published would have too.
    expect((await call('POST', '/v1/devices/events', { json: { name: 'hush/secret/marker' } })).status).toBe(200);
    await sse.waitFor((e) => e.event === 'hush/secret/marker', 15_000);
    expect(sse.events.map((e) => e.event)).toEqual(['hush/secret/marker']);
    sse.close();
  });
});
