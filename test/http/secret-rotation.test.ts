import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpSink, type HttpSink } from '../support/http-sink.ts';
import { testDialects } from '../support/pg-fns.ts';
import { openSse } from '../support/sse-client.ts';
import { api, startTestServer, type TestServer } from '../support/test-server.ts';
import { leakedForms } from '../support/value-forms.ts';

const OLD = 'rot-Old+Token/é&<"x"> 7731';
const NEW = 'rot-New%Token:Zq9 4410';
const LATER = 'rot-Later-Token-88af21';

describe.each(testDialects())('staged rotation (%s)', (dialect) => {
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
    // The target accepts only the new token.
    sink = await startHttpSink({
      handler: (req, res) => {
        const ok = req.headers.authorization === `Bearer ${NEW}`;
        res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ ok }));
      },
    });
    u = await s.user();
  });
  afterAll(async () => {
    await s?.stop();
    await sink?.close();
  });

  it('saves a pending value, tests it against the real target, keeps deliveries on the current one, then promotes it', async () => {
    expect((await call('POST', '/v1/secrets', { json: { name: 'TARGET_TOKEN', value: OLD } })).status).toBe(201);
    const hook = await call('POST', '/v1/integrations', {
      json: { event: 'rotate-me', url: `${sink.url}/hook`, requestType: 'POST', headers: { Authorization: 'Bearer {{{TARGET_TOKEN}}}' }, secrets: ['TARGET_TOKEN'] },
    });
    expect(hook.status).toBe(201);
    const sse = await openSse(`${s.url}/v1/devices/events/${encodeURIComponent('hush/secret/')}`, u.token);

    // Particle's CLI body shape, plus the flag.
    const staged = await call('PUT', '/v1/secrets/TARGET_TOKEN', { json: { value: NEW, pending: true } });
    expect(staged.status).toBe(200);
    expect(staged.body.secret).toMatchObject({ name: 'TARGET_TOKEN', version: 1, pending: { since: expect.any(String), created_by: u.id } });
    const details = await call('GET', '/v1/secrets/TARGET_TOKEN');
    expect(details.body.secret.pending.since).toBe(staged.body.secret.pending.since);
    expect((await call('GET', '/v1/secrets')).body.secrets[0].pending).not.toBeNull();

    // A test send with the current value fails at the target; with the pending one it passes.
    const current = await call('POST', `/v1/integrations/${hook.body.id}/test`, { json: {} });
    expect(current.body).toMatchObject({ pass: false, status: 401 });
    const pendingTest = await call('POST', `/v1/integrations/${hook.body.id}/test`, { json: { use_pending_secrets: true } });
    expect(pendingTest.body).toMatchObject({ pass: true, status: 200 });
    expect(sink.requests.map((r) => r.headers.authorization)).toEqual([`Bearer ${OLD}`, `Bearer ${NEW}`]);

    // Logic execute sees the pending value only when asked.
    const code = `export default function f({ secrets }) { console.log(secrets.TARGET_TOKEN === ${JSON.stringify(NEW)} ? 'pending' : secrets.TARGET_TOKEN === ${JSON.stringify(OLD)} ? 'current' : 'other'); }`;
    const runCurrent = await call('POST', '/v1/logic/execute', { json: { source: { code }, secrets: ['TARGET_TOKEN'] } });
    expect(runCurrent.body.result.logs.map((l: { args: unknown[] }) => l.args[0])).toEqual(['current']);
    const runPending = await call('POST', '/v1/logic/execute', { json: { source: { code }, secrets: ['TARGET_TOKEN'], use_pending_secrets: true } });
    expect(runPending.body.result.logs.map((l: { args: unknown[] }) => l.args[0])).toEqual(['pending']);
    // A run that prints the pending value sees it masked.
    const leaky = await call('POST', '/v1/logic/execute', {
      json: { source: { code: 'export default function f({ secrets }) { console.log("v=" + secrets.TARGET_TOKEN); }' }, secrets: ['TARGET_TOKEN'], use_pending_secrets: true },
    });
    expect(JSON.stringify(leaky.body.result.logs)).toContain('v=');
    expect(JSON.stringify(leaky.body.result.logs)).not.toContain(NEW);

    // A real delivery before promote still uses the current value.
    expect((await call('POST', '/v1/devices/events', { json: { name: 'rotate-me', data: 'one' } })).status).toBe(200);
    const [, , firstReal] = await sink.waitFor(3, 20_000);
    expect(firstReal.headers.authorization).toBe(`Bearer ${OLD}`);

    const promoted = await call('POST', '/v1/secrets/TARGET_TOKEN/pending/promote');
    expect(promoted.status).toBe(200);
    expect(promoted.body.secret).toMatchObject({ version: 2, pending: null });
    expect((await call('POST', '/v1/secrets/TARGET_TOKEN/pending/promote')).status).toBe(404);
    const versions = await call('GET', '/v1/secrets/TARGET_TOKEN/versions');
    expect(versions.body.versions.map((v: { version: number; current: boolean }) => [v.version, v.current])).toEqual([[2, true], [1, false]]);

    expect((await call('POST', '/v1/devices/events', { json: { name: 'rotate-me', data: 'two' } })).status).toBe(200);
    const all = await sink.waitFor(4, 20_000);
    expect(all[3].headers.authorization).toBe(`Bearer ${NEW}`);

    for (const n of ['hush/secret/staged', 'hush/secret/promoted']) await sse.waitFor((e) => e.event === n, 15_000);
    const promotedEvent = JSON.parse(sse.events.find((e) => e.event === 'hush/secret/promoted')!.data.data);
    expect(promotedEvent).toMatchObject({ name: 'TARGET_TOKEN', version: 2, actor: u.id });

    const audit = await call('GET', '/v1/audit');
    const actions = JSON.stringify(audit.body);
    expect(actions).toContain('secret.stage');
    expect(actions).toContain('secret.promote');

    // Discard drops a pending value; the current one stays.
    expect((await call('PATCH', '/v1/secrets/TARGET_TOKEN', { json: { value: LATER, pending: true } })).status).toBe(200);
    const discarded = await call('DELETE', '/v1/secrets/TARGET_TOKEN/pending');
    expect(discarded.status).toBe(200);
    expect(discarded.body.secret).toMatchObject({ version: 2, pending: null });
    expect((await call('DELETE', '/v1/secrets/TARGET_TOKEN/pending')).status).toBe(404);
    const after = await call('POST', `/v1/integrations/${hook.body.id}/test`, { json: { use_pending_secrets: true } });
    expect(after.body).toMatchObject({ pass: true });
    expect(sink.requests.at(-1)!.headers.authorization).toBe(`Bearer ${NEW}`);
    await sse.waitFor((e) => e.event === 'hush/secret/discarded', 15_000);

    const everything = [
      ...outputs,
      ...sse.events.map((e) => JSON.stringify(e)),
      ...s.logLines,
      (await call('GET', `/v1/integrations/${hook.body.id}`)).text,
      (await call('GET', '/v1/audit')).text,
    ].join('\n');
    expect(leakedForms(everything, [OLD, NEW, LATER])).toEqual([]);
    sse.close();
  });

  it('refuses pending where it makes no sense', async () => {
    expect((await call('PUT', '/v1/secrets/NOT_THERE', { json: { value: NEW, pending: true } })).status).toBe(404);
    expect((await call('POST', '/v1/secrets', { json: { name: 'BRAND_NEW', value: NEW, pending: true } })).status).toBe(400);
    expect((await call('PATCH', '/v1/secrets/TARGET_TOKEN', { json: { pending: true } })).status).toBe(400);
    expect((await call('POST', '/v1/secrets/NOT_THERE/pending/promote')).status).toBe(404);
    // Particle's shapes still work unchanged.
    expect((await call('PUT', '/v1/secrets/TARGET_TOKEN', { json: { secret: { value: LATER } } })).body.secret).toMatchObject({ version: 3, pending: null });
    const other = await s.user();
    expect((await api(s.url, 'POST', '/v1/secrets/TARGET_TOKEN/pending/promote', { token: other.token })).status).toBe(404);
  });

  it('drops a waiting pending value when a value is made current directly, so a later promote cannot undo it', async () => {
    const sse = await openSse(`${s.url}/v1/devices/events/${encodeURIComponent('hush/secret/discarded')}`, u.token);
    expect((await call('PUT', '/v1/secrets/TARGET_TOKEN', { json: { value: NEW, pending: true } })).body.secret.pending).not.toBeNull();
    const replaced = await call('PUT', '/v1/secrets/TARGET_TOKEN', { json: { value: OLD } });
    expect(replaced.status).toBe(200);
    expect(replaced.body.secret).toMatchObject({ version: 4, pending: null });
    expect((await call('POST', '/v1/secrets/TARGET_TOKEN/pending/promote')).status).toBe(404);
    expect((await call('GET', '/v1/audit')).text).toContain('the waiting pending value was discarded');
    const ev = await sse.waitFor((e) => e.event === 'hush/secret/discarded', 15_000);
    expect(JSON.parse(ev.data.data)).toMatchObject({ name: 'TARGET_TOKEN', version: 4 });
    // A restore supersedes a pending value the same way.
    expect((await call('PUT', '/v1/secrets/TARGET_TOKEN', { json: { value: LATER, pending: true } })).status).toBe(200);
    const restored = await call('POST', '/v1/secrets/TARGET_TOKEN/versions/2/restore');
    expect(restored.body.secret).toMatchObject({ version: 5, pending: null });
    sse.close();
    expect(leakedForms([...outputs, ...s.logLines].join('\n'), [OLD, NEW, LATER])).toEqual([]);
  });
});
