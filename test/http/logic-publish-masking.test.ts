import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpSink, type HttpSink } from '../support/http-sink.ts';
import { testDialects } from '../support/pg-fns.ts';
import { openSse, type SseClient } from '../support/sse-client.ts';
import { api, startTestServer, type TestServer } from '../support/test-server.ts';

// Issue #13 defect 1: what a Logic run publishes passes through the owner's masker before the bus
// stores, broadcasts, matches or delivers it, so a view-only member never reads a secret in clear.
const ORG_S = 'org_secret_Vq7+/Zé%&"value';
const forms = (v: string) => [v, Buffer.from(v).toString('base64').replace(/=+$/, ''), Buffer.from(v).toString('hex'), encodeURIComponent(v)];
const CODE = `import Particle from 'particle:core';
export default function main({ secrets }) {
  Particle.publish('leak-str', secrets.ORG_S);
  Particle.publish('leak-obj', { token: secrets.ORG_S });
}`;

describe.each(testDialects())('Logic publishes are masked (%s)', (dialect) => {
  let s: TestServer;
  let sink: HttpSink;
  let admin: Awaited<ReturnType<TestServer['user']>>;
  let viewer: Awaited<ReturnType<TestServer['user']>>;
  const asAdmin = (method: string, path: string, opts: Parameters<typeof api>[3] = {}) => api(s.url, method, path, { token: admin.token, ...opts });

  beforeAll(async () => {
    s = await startTestServer({ dialect });
    sink = await startHttpSink();
    [admin, viewer] = [await s.user(), await s.user()];
    await s.services.orgs.create('acme', 'Acme Inc', admin.email);
    await s.services.orgs.setMember(await s.services.orgs.operatorScope('acme'), viewer.email, 'view-only');
    expect((await asAdmin('PUT', '/v1/orgs/acme/secrets/ORG_S', { json: { value: ORG_S } })).status).toBe(200);
    expect((await asAdmin('POST', '/v1/orgs/acme/integrations', { json: { event: 'leak-obj', url: `${sink.url}/hook` } })).status).toBe(201);
  });
  afterAll(async () => {
    await s?.stop();
    await sink?.close();
  });

  const expectMasked = async (sse: SseClient) => {
    const str = await sse.waitFor((e) => e.event === 'leak-str', 15_000);
    const obj = await sse.waitFor((e) => e.event === 'leak-obj', 15_000);
    expect(str.data.data).toBe('[[SENSITIVE]]');
    expect(JSON.parse(obj.data.data)).toEqual({ token: '[[SENSITIVE]]' });
    for (const e of sse.events) for (const f of forms(ORG_S)) expect(JSON.stringify(e)).not.toContain(f);
  };

  it('masks what an executed run publishes, in a view-only member\'s stream and the webhook it triggers', async () => {
    const sse = await openSse(`${s.url}/v1/orgs/acme/events`, viewer.token);
    const r = await asAdmin('POST', '/v1/orgs/acme/logic/execute', { json: { source: { type: 'JavaScript', code: CODE }, secrets: ['ORG_S'] } });
    expect(r.status).toBe(200);
    expect(r.body.result.status).toBe('Success');
    await expectMasked(sse);
    sse.close();
    const hooked = await sink.waitFor(1, 15_000);
    expect(JSON.parse(new URLSearchParams(hooked[0].body).get('data') as string)).toEqual({ token: '[[SENSITIVE]]' });
    for (const f of forms(ORG_S)) expect(hooked[0].body).not.toContain(f);
  });

  it('masks what a deployed, event-triggered run publishes, in a view-only member\'s stream and the webhook', async () => {
    const created = await asAdmin('POST', '/v1/orgs/acme/logic/functions', {
      json: { logic_function: { name: 'leaker', enabled: true, source: { type: 'JavaScript', code: CODE }, secrets: ['ORG_S'], logic_triggers: [{ type: 'Event', event_name: 'go', product_id: 0 }] } },
    });
    expect(created.status).toBe(201);
    const sse = await openSse(`${s.url}/v1/orgs/acme/events`, viewer.token);
    expect((await asAdmin('POST', '/v1/orgs/acme/events', { json: { name: 'go', data: '1' } })).status).toBe(200);
    await expectMasked(sse);
    sse.close();
    const hooked = await sink.waitFor(2, 15_000);
    expect(JSON.parse(new URLSearchParams(hooked[1].body).get('data') as string)).toEqual({ token: '[[SENSITIVE]]' });
    for (const h of hooked) for (const f of forms(ORG_S)) expect(h.body).not.toContain(f);
  });
});
