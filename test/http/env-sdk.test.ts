import Particle from 'particle-api-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../support/pg-fns.ts';
import { api, startTestServer, type TestServer } from '../support/test-server.ts';

type User = Awaited<ReturnType<TestServer['user']>>;
type Scope = { sandbox?: boolean; org?: string; product?: string; deviceId?: string };

/** Status and Particle error body of a call the SDK rejects. */
const failureOf = async (p: Promise<unknown>): Promise<{ statusCode: number; description: string }> => {
  try {
    await p;
  } catch (e) {
    const err = e as { statusCode: number; body: Record<string, unknown> };
    return { statusCode: err.statusCode, description: String(err.body.error_description ?? err.body.error) };
  }
  throw new Error('expected the SDK call to fail');
};

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const DEVICE = 'a1b2c3d4e5f60718293a4b5c';
const ORG_DEVICE = 'b1b2c3d4e5f60718293a4b5c';
const STRANGER_DEVICE = 'ffeeddccbbaa998877665544';

describe.each(testDialects())('Environment variables through particle-api-js 12.0.3 (%s)', (dialect) => {
  let s: TestServer;
  let alice: User;
  let bob: User;
  let viewer: User;
  let particle: Particle;
  let product: string;
  let orgProduct: string;
  const org = `env-org-${dialect}`;

  beforeAll(async () => {
    s = await startTestServer({ dialect });
    [alice, bob, viewer] = await Promise.all([s.user(), s.user(), s.user()]);
    particle = new Particle({ baseUrl: s.url });
    const p = await api(s.url, 'POST', '/v1/user/products', { token: alice.token, json: { name: 'Sensors', slug: `env-sensors-${dialect}` } });
    product = String(p.body.product.id);
    expect((await api(s.url, 'POST', `/v1/products/${product}/devices`, { token: alice.token, json: { id: DEVICE } })).status).toBe(200);
    const bp = await api(s.url, 'POST', '/v1/user/products', { token: bob.token, json: { name: 'Other', slug: `env-other-${dialect}` } });
    await api(s.url, 'POST', `/v1/products/${bp.body.product.id}/devices`, { token: bob.token, json: { id: STRANGER_DEVICE } });
    await s.services.orgs.create(org, 'Env Org', alice.email);
    await s.services.orgs.setMember(await s.services.orgs.operatorScope(org), viewer.email, 'view-only');
    const op = await api(s.url, 'POST', `/v1/orgs/${org}/products`, { token: alice.token, json: { name: 'Org product', slug: `env-orgp-${dialect}` } });
    orgProduct = String(op.body.product.id);
    expect((await api(s.url, 'POST', `/v1/products/${orgProduct}/devices`, { token: alice.token, json: { id: ORG_DEVICE } })).status).toBe(200);
  }, 60_000);
  afterAll(async () => s?.stop());

  const list = async (scope: Scope, auth = alice.token) => (await particle.listEnvVars({ auth, ...scope })).body;

  it('keeps own and inherited values per scope (owner ← product ← device), renders them, and lists an empty scope', async () => {
    const auth = alice.token;
    expect(await list({ sandbox: true })).toEqual({ latest: { own: {}, inherited: {}, created_at: null, updated_at: null, created_by: null, updated_by: null }, last_snapshot: null });
    const upd = await particle.updateEnvVars({ auth, sandbox: true, ops: [{ op: 'Set', key: 'REGION', value: 'eu' }, { op: 'Set', key: 'LEVEL', value: '1' }, { op: 'Set', key: 'GONE', value: 'x' }] });
    expect(upd.body.latest).toEqual({ own: { REGION: { value: 'eu' }, LEVEL: { value: '1' }, GONE: { value: 'x' } }, inherited: {}, created_at: expect.stringMatching(ISO), updated_at: expect.stringMatching(ISO), created_by: `user:${alice.id}`, updated_by: `user:${alice.id}` });
    expect((await particle.updateEnvVars({ auth, sandbox: true, ops: [{ op: 'Unset', key: 'GONE' }, { op: 'Unset', key: 'NEVER_SET' }] })).body.latest.own).toEqual({ REGION: { value: 'eu' }, LEVEL: { value: '1' } });
    expect((await particle.setEnvVar({ auth, product, key: 'LEVEL', value: '2' })).body.latest).toMatchObject({ own: { LEVEL: { value: '2' } }, inherited: { REGION: { from: 'Owner', value: 'eu' }, LEVEL: { from: 'Owner', value: '1' } } });
    await particle.updateEnvVars({ auth, deviceId: DEVICE, ops: [{ op: 'Set', key: 'LEVEL', value: '3' }, { op: 'Set', key: 'NOTE', value: 'a=b c' }] });
    const dev = await list({ deviceId: DEVICE });
    expect(dev.latest.own).toEqual({ LEVEL: { value: '3' }, NOTE: { value: 'a=b c' } });
    expect(dev.latest.inherited).toEqual({ REGION: { from: 'Owner', value: 'eu' }, LEVEL: { from: 'Product', value: '2' } });
    expect(dev.last_snapshot).toBeNull();
    const rendered = await particle.renderEnvVars({ auth, deviceId: DEVICE });
    expect(rendered.body).toEqual({ env: { REGION: 'eu', LEVEL: '3', NOTE: 'a=b c' }, last_updated_at: expect.stringMatching(ISO), rollout_at: null, rollout_by: null });
    expect((await particle.renderEnvVars({ auth, product })).body.env).toEqual({ REGION: 'eu', LEVEL: '2' });
    const del = await particle.deleteEnvVar({ auth, deviceId: DEVICE, key: 'NOTE' });
    expect(del.body.latest.own).toEqual({ LEVEL: { value: '3' } });
    expect((await failureOf(particle.deleteEnvVar({ auth, deviceId: DEVICE, key: 'NOTE' }))).statusCode).toBe(404);
  });

  it('reviews and rolls out: last_snapshot is what was rolled out, each scope rolls out its own values', async () => {
    const auth = alice.token;
    const review = await particle.reviewEnvVarsRollout({ auth, sandbox: true });
    expect(review.body).toEqual({ from_snapshot: { changes: [{ op: 'Added', key: 'LEVEL', after: '1' }, { op: 'Added', key: 'REGION', after: 'eu' }], unchanged: {} } });
    expect((await particle.startEnvVarsRollout({ auth, sandbox: true, when: 'Connect' })).body).toEqual({ success: true });
    const sb = await list({ sandbox: true });
    expect(sb.last_snapshot).toEqual({ own: { REGION: { value: 'eu' }, LEVEL: { value: '1' } }, inherited: {}, rollout_at: expect.stringMatching(ISO), rollout_by: `user:${alice.id}` });
    expect((await particle.reviewEnvVarsRollout({ auth, sandbox: true })).body.from_snapshot).toEqual({ changes: [], unchanged: { LEVEL: '1', REGION: 'eu' } });
    // The device has not rolled out: it receives the owner's rolled-out values; its review shows what its own rollout changes.
    const dev = await list({ deviceId: DEVICE });
    expect(dev.last_snapshot).toEqual({ own: {}, inherited: { REGION: { from: 'Owner', value: 'eu' }, LEVEL: { from: 'Owner', value: '1' } }, rollout_at: null, rollout_by: null });
    expect((await particle.reviewEnvVarsRollout({ auth, deviceId: DEVICE })).body.from_snapshot).toEqual({ changes: [{ op: 'Changed', key: 'LEVEL', before: '1', after: '3' }], unchanged: { REGION: 'eu' } });
    expect((await particle.startEnvVarsRollout({ auth, deviceId: DEVICE, when: 'Immediate' })).body).toEqual({ success: true });
    const live = await api(s.url, 'GET', `/v1/env/${DEVICE}/render?snapshot=true`, { token: auth });
    expect(live.body.env).toEqual({ REGION: 'eu', LEVEL: '3' });
    await particle.startEnvVarsRollout({ auth, product, when: 'Connect' });
    expect((await list({ deviceId: DEVICE })).last_snapshot?.inherited.LEVEL).toEqual({ from: 'Product', value: '2' });
    // A staged removal shows in the review until it is rolled out.
    await particle.deleteEnvVar({ auth, sandbox: true, key: 'REGION' });
    expect((await list({ sandbox: true })).last_snapshot?.own.REGION).toEqual({ value: 'eu' });
    expect((await particle.reviewEnvVarsRollout({ auth, sandbox: true })).body.from_snapshot.changes).toEqual([{ op: 'Removed', key: 'REGION', before: 'eu' }]);
    await particle.startEnvVarsRollout({ auth, sandbox: true, when: 'Connect' });
    expect((await api(s.url, 'GET', `/v1/env/${DEVICE}/render?snapshot=true`, { token: auth })).body.env).toEqual({ LEVEL: '3' });
  });

  it('works under /v1/orgs/:org and for org products and devices; view-only reads, writes refused (audited), other tenants 404', async () => {
    await particle.setEnvVar({ auth: alice.token, org, key: 'ORG_WIDE', value: 'yes' });
    await particle.setEnvVar({ auth: alice.token, product: orgProduct, key: 'PRODUCT_ONLY', value: 'p' });
    const dev = await list({ deviceId: ORG_DEVICE }, viewer.token);
    expect(dev.latest.inherited).toEqual({ ORG_WIDE: { from: 'Owner', value: 'yes' }, PRODUCT_ONLY: { from: 'Product', value: 'p' } });
    expect((await particle.renderEnvVars({ auth: viewer.token, org })).body.env).toEqual({ ORG_WIDE: 'yes' });
    expect((await particle.reviewEnvVarsRollout({ auth: viewer.token, product: orgProduct })).body.from_snapshot.changes).toEqual([{ op: 'Added', key: 'PRODUCT_ONLY', after: 'p' }]);
    // The sandbox and the org are separate owners.
    expect((await list({ sandbox: true })).latest.own.ORG_WIDE).toBeUndefined();
    const refused: Array<() => Promise<unknown>> = [
      () => particle.setEnvVar({ auth: viewer.token, org, key: 'X', value: '1' }),
      () => particle.updateEnvVars({ auth: viewer.token, deviceId: ORG_DEVICE, ops: [{ op: 'Set', key: 'X', value: '1' }] }),
      () => particle.deleteEnvVar({ auth: viewer.token, product: orgProduct, key: 'PRODUCT_ONLY' }),
      () => particle.startEnvVarsRollout({ auth: viewer.token, org, when: 'Connect' }),
    ];
    for (const call of refused) expect((await failureOf(call())).statusCode).toBe(403);
    const strangers: Array<() => Promise<unknown>> = [
      () => particle.listEnvVars({ auth: bob.token, org }),
      () => particle.listEnvVars({ auth: bob.token, product }),
      () => particle.setEnvVar({ auth: bob.token, deviceId: DEVICE, key: 'X', value: '1' }),
      () => particle.renderEnvVars({ auth: bob.token, deviceId: ORG_DEVICE }),
      () => particle.listEnvVars({ auth: alice.token, deviceId: STRANGER_DEVICE }),
      () => particle.listEnvVars({ auth: alice.token, deviceId: 'not-a-device' }),
    ];
    for (const call of strangers) expect((await failureOf(call())).statusCode).toBe(404);
    const trail = await api(s.url, 'GET', `/v1/orgs/${org}/audit`, { token: alice.token });
    const entries = JSON.stringify(trail.body);
    for (const action of ['env.set', 'env.update', 'env.delete', 'env.rollout']) expect(entries).toContain(action);
    expect(entries).toMatch(/"outcome":"denied"/);
    expect(entries).toContain(`env/product:${orgProduct}`);
  });

  it('refuses bad input with 400s naming the problem (never 500)', async () => {
    const auth = alice.token;
    const long = 'K'.repeat(65);
    const ops = (n: number) => Array.from({ length: n }, (_, i) => ({ op: 'Set' as const, key: `K${i}`, value: String(i) }));
    const cases: Array<[() => Promise<unknown>, RegExp]> = [
      [() => particle.setEnvVar({ auth, sandbox: true, key: '1BAD', value: 'x' }), /must start with a letter/],
      [() => particle.setEnvVar({ auth, product, key: long, value: 'x' }), /at most 64/],
      [() => particle.updateEnvVars({ auth, sandbox: true, ops: [{ op: 'Set', key: 'has-dash', value: 'x' }] }), /ops\[0\]\.key/],
      [() => particle.setEnvVar({ auth, sandbox: true, key: 'BIG', value: 'x'.repeat(4097) }), /4097 bytes.*at most 4096/],
      [() => particle.setEnvVar({ auth, deviceId: DEVICE, key: 'NUM', value: 5 as unknown as string }), /must be a string/],
      [() => particle.updateEnvVars({ auth, sandbox: true, ops: ops(51) }), /51 operations; at most 50/],
      [() => particle.updateEnvVars({ auth, sandbox: true, ops: [] }), /at least one/],
      [() => particle.updateEnvVars({ auth, sandbox: true, ops: [{ op: 'Remove', key: 'A' }] as never }), /Set or Unset/],
      [() => particle.updateEnvVars({ auth, sandbox: true, ops: undefined as never }), /"ops"/],
      [() => particle.startEnvVarsRollout({ auth, sandbox: true, when: 'Later' as never }), /Immediate or Connect/],
    ];
    for (const [call, message] of cases) {
      const f = await failureOf(call());
      expect(f.statusCode, String(message)).toBe(400);
      expect(f.description).toMatch(message);
    }
    // 50 operations are fine; a scope holds at most 100 keys.
    expect((await particle.updateEnvVars({ auth, org, ops: ops(50) })).statusCode).toBe(200);
    await particle.updateEnvVars({ auth, org, ops: ops(49).map((o) => ({ ...o, key: `L${o.key}` })) }); // with ORG_WIDE: 100 keys
    expect((await failureOf(particle.setEnvVar({ auth, org, key: 'ONE_MORE', value: 'x' }))).description).toMatch(/at most 100/);
    // A value of 4096 bytes (multi-byte characters counted in bytes) is accepted.
    expect((await particle.setEnvVar({ auth, sandbox: true, key: 'EXACT', value: 'é'.repeat(2048) })).statusCode).toBe(200);
  });
});
