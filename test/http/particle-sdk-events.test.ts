/**
 * The published particle-api-js SDK (v12) against Hush: webhooks and integrations
 * (create/list/edit/delete), publishing, and reading the event stream with the SDK's own
 * EventStream parser.
 */
import Particle from 'particle-api-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpSink, type HttpSink } from '../support/http-sink.ts';
import { openSse } from '../support/sse-client.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

interface StreamEvent {
  readonly name: string;
  readonly data: string;
  readonly ttl: number;
  readonly published_at: string;
  readonly coreid: string;
}

/** Polls until `fn` finds something (the SDK stream pushes events into an array). */
async function eventually<T>(fn: () => T | undefined, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('particle-api-js: webhooks, integrations and events', () => {
  let s: TestServer;
  let sink: HttpSink;
  let auth = '';
  let particle: Particle;

  beforeAll(async () => {
    s = await startTestServer();
    sink = await startHttpSink();
    auth = (await s.user()).token;
    particle = new Particle({ baseUrl: s.url });
  });
  afterAll(async () => {
    await s?.stop();
    await sink?.close();
  });

  it('createWebhook, listWebhooks and deleteWebhook', async () => {
    const device = 'c0ffee'.repeat(4);
    const created = await particle.createWebhook({
      event: 'sdk-hook',
      url: `${sink.url}/w`,
      device,
      rejectUnauthorized: true,
      hook: { method: 'PUT', headers: { 'X-One': '1' }, json: { value: '{{{PARTICLE_EVENT_VALUE}}}' }, responseEvent: 'sdk-answer' },
      auth,
    });
    expect(created.statusCode).toBe(201);
    const id = created.body.id;
    expect(created.body).toMatchObject({ ok: true, event: 'sdk-hook', url: `${sink.url}/w`, hookUrl: `${s.url}/v1/webhooks/${id}` });
    expect(Date.parse(created.body.created_at)).not.toBeNaN();

    const list = await particle.listWebhooks({ auth });
    expect(list.statusCode).toBe(200);
    expect(Array.isArray(list.body)).toBe(true);
    expect(list.body.find((w) => w.id === id)).toMatchObject({ id, event: 'sdk-hook', url: `${sink.url}/w`, requestType: 'PUT', deviceID: device });

    const deleted = await particle.deleteWebhook({ hookId: id, auth });
    expect(deleted.statusCode).toBe(204);
    expect((await particle.listWebhooks({ auth })).body.map((w) => w.id)).not.toContain(id);
  });

  it('createIntegration, listIntegrations, editIntegration and deleteIntegration', async () => {
    const created = await particle.createIntegration({
      event: 'sdk-int',
      settings: { integration_type: 'Webhook', url: `${sink.url}/i`, requestType: 'POST', form: { reading: '{{{PARTICLE_EVENT_VALUE}}}' } },
      auth,
    });
    expect(created.statusCode).toBe(201);
    const id = created.body.id;
    expect(created.body).toMatchObject({ id, event: 'sdk-int', integration_type: 'Webhook', url: `${sink.url}/i` });

    const list = await particle.listIntegrations({ auth });
    expect(Array.isArray(list.body)).toBe(true);
    expect(list.body.find((i) => i.id === id)).toMatchObject({ event: 'sdk-int', integration_type: 'Webhook', requestType: 'POST' });

    const edited = await particle.editIntegration({
      integrationId: id,
      event: 'sdk-int2',
      settings: { integration_type: 'Webhook', url: `${sink.url}/i2`, requestType: 'GET' },
      auth,
    });
    expect(edited.statusCode).toBe(200);
    const after = (await particle.listIntegrations({ auth })).body.find((i) => i.id === id);
    expect(after).toMatchObject({ event: 'sdk-int2', url: `${sink.url}/i2`, requestType: 'GET' });

    expect((await particle.deleteIntegration({ integrationId: id, auth })).statusCode).toBe(204);
    expect((await particle.listIntegrations({ auth })).body.map((i) => i.id)).not.toContain(id);
  });

  it('publishEvent reaches getEventStream({deviceId: "mine", name}) and fires a webhook whose answer streams back', async () => {
    const hook = await particle.createWebhook({ event: 'sdk/evt', url: `${sink.url}/e`, auth });
    const stream = await particle.getEventStream({ deviceId: 'mine', name: 'sdk/evt', auth });
    const answers = await particle.getEventStream({ deviceId: 'mine', name: 'hook-response/sdk/evt', auth });
    const seen: StreamEvent[] = [];
    const heard: StreamEvent[] = [];
    stream.on('event', (e: StreamEvent) => void seen.push(e));
    answers.on('event', (e: StreamEvent) => void heard.push(e));
    try {
      const published = await particle.publishEvent({ name: 'sdk/evt/one', data: 'hello', isPrivate: true, auth });
      expect(published.statusCode).toBe(200);
      expect(published.body).toEqual({ ok: true });
      const e = await eventually(() => seen.find((x) => x.name === 'sdk/evt/one'), 'the event on the SDK stream');
      expect(e).toMatchObject({ data: 'hello', ttl: 60, coreid: 'api' });
      expect(Date.parse(e.published_at)).not.toBeNaN();
      // The prefix filter holds: another name is not streamed.
      await particle.publishEvent({ name: 'other', data: 'x', auth });
      const request = (await sink.waitFor(1)).find((r) => r.url === '/e');
      expect(new URLSearchParams(request?.body).get('data')).toBe('hello');
      const answer = await eventually(() => heard.find((x) => x.name === 'hook-response/sdk/evt/one/0'), 'the hook response on the SDK stream');
      expect(answer).toMatchObject({ data: '{"ok":true}', coreid: 'particle-internal' });
      expect(seen.map((x) => x.name)).not.toContain('other');
    } finally {
      stream.abort();
      answers.abort();
      await particle.deleteWebhook({ hookId: hook.body.id, auth });
    }
  });

  it('sends a keep-alive well within the SDK idle timeout (15 s)', { timeout: 20_000 }, async () => {
    const sse = await openSse(`${s.url}/v1/devices/events/quiet`, auth);
    const opened = Date.now();
    try {
      await eventually(() => (sse.comments.length >= 2 ? true : undefined), 'a keep-alive comment', 14_000);
      expect(Date.now() - opened).toBeLessThan(12_000);
      expect(sse.events).toEqual([]);
    } finally {
      sse.close();
    }
  });
});
