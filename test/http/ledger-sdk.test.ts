import Particle from 'particle-api-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../support/pg-fns.ts';
import { api, startTestServer, type TestServer } from '../support/test-server.ts';

type User = Awaited<ReturnType<TestServer['user']>>;

/** Status and Particle error body of a call the SDK rejects. */
const failureOf = async (p: Promise<unknown>): Promise<{ statusCode: number; error: unknown; description: unknown }> => {
  try {
    await p;
  } catch (e) {
    const err = e as { statusCode: number; body: Record<string, unknown> };
    return { statusCode: err.statusCode, error: err.body.error, description: err.body.error_description ?? err.body.error };
  }
  throw new Error('expected the SDK call to fail');
};

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const DEVICE = 'a1b2c3d4e5f60718293a4b5c';
const STRANGER_DEVICE = 'ffeeddccbbaa998877665544';

describe.each(testDialects())('Ledger through particle-api-js 12.0.3 (%s)', (dialect) => {
  let s: TestServer;
  let alice: User;
  let bob: User;
  let viewer: User;
  let particle: Particle;
  let productId: number;
  let bobProductId: number;

  beforeAll(async () => {
    s = await startTestServer({ dialect });
    [alice, bob, viewer] = await Promise.all([s.user(), s.user(), s.user()]);
    particle = new Particle({ baseUrl: s.url });
    const p = await api(s.url, 'POST', '/v1/user/products', { token: alice.token, json: { name: 'Sensors', slug: `sensors-${dialect}` } });
    productId = p.body.product.id;
    expect((await api(s.url, 'POST', `/v1/products/${productId}/devices`, { token: alice.token, json: { id: DEVICE } })).status).toBe(200);
    const bp = await api(s.url, 'POST', '/v1/user/products', { token: bob.token, json: { name: 'Other', slug: `other-${dialect}` } });
    bobProductId = bp.body.product.id;
    await api(s.url, 'POST', `/v1/products/${bobProductId}/devices`, { token: bob.token, json: { id: STRANGER_DEVICE } });
    await s.services.orgs.create(`acme-${dialect}`, 'Acme', alice.email);
    const op = await s.services.orgs.operatorScope(`acme-${dialect}`);
    await s.services.orgs.setMember(op, viewer.email, 'view-only');
  }, 60_000);
  afterAll(async () => s?.stop());

  it('creates, gets, updates, lists and archives definitions in the sandbox', async () => {
    const auth = alice.token;
    const created = await particle.createLedger({ auth, ledger: { name: 'cache', description: 'last readings', scope: 'Owner', direction: 'Downstream' } });
    expect(created.statusCode).toBe(201);
    expect(created.body).toEqual({ scope: 'Owner', name: 'cache', description: 'last readings', direction: 'Downstream', created_at: expect.stringMatching(ISO), updated_at: expect.stringMatching(ISO), archived_at: null });
    const got = await particle.getLedger({ auth, ledgerName: 'cache' });
    expect(got.body).toEqual(created.body);
    const upd = await particle.updateLedger({ auth, ledgerName: 'cache', ledger: { description: 'new text' } });
    expect(upd.body).toMatchObject({ name: 'cache', description: 'new text', direction: 'Downstream' });
    // Cloud only: `direction` omitted.
    await particle.createLedger({ auth, ledger: { name: 'settings', scope: 'Device' } as never });
    await particle.createLedger({ auth, ledger: { name: 'per-product', scope: 'Product', direction: 'Downstream' } });
    expect((await particle.getLedger({ auth, ledgerName: 'settings' })).body.direction).toBe('CloudOnly');
    const all = await particle.listLedgers({ auth });
    expect(all.body.ledger_definitions.map((d) => d.name)).toEqual(['cache', 'per-product', 'settings']);
    expect((await particle.listLedgers({ auth, scope: 'Device' })).body.ledger_definitions.map((d) => d.name)).toEqual(['settings']);
    const paged = await particle.listLedgers({ auth, page: 2, perPage: 2 });
    expect(paged.body.ledger_definitions.map((d) => d.name)).toEqual(['settings']);
    expect((paged.body as unknown as { meta: unknown }).meta).toEqual({ page: 2, per_page: 2, total_pages: 2, total: 3 });
    await particle.createLedger({ auth, ledger: { name: 'old', scope: 'Owner', direction: 'Downstream' } });
    expect((await particle.archiveLedger({ auth, ledgerName: 'old' })).body).toEqual({ ok: true });
    expect((await particle.getLedger({ auth, ledgerName: 'old' })).body.archived_at).toMatch(ISO);
    expect((await particle.listLedgers({ auth, archived: true })).body.ledger_definitions.map((d) => d.name)).toEqual(['old']);
    expect((await particle.listLedgers({ auth, archived: false })).body.ledger_definitions).toHaveLength(3);
  });

  it('sets (Replace and Merge), gets, lists, versions and deletes instances', async () => {
    const auth = alice.token;
    const owner = alice.id;
    const first = await particle.setLedgerInstance({ auth, ledgerName: 'cache', scopeValue: owner, instance: { data: { a: 1, nested: { x: [1, 2] } } } });
    expect(first.body).toEqual({ name: 'cache', scope: { type: 'Owner', value: owner }, size_bytes: Buffer.byteLength(JSON.stringify({ a: 1, nested: { x: [1, 2] } })), data: { a: 1, nested: { x: [1, 2] } }, created_at: expect.stringMatching(ISO), updated_at: expect.stringMatching(ISO), updated_by: alice.id });
    const merged = await particle.setLedgerInstance({ auth, ledgerName: 'cache', scopeValue: owner, setMode: 'Merge', instance: { data: { b: 'two', nested: { y: 1 } } } });
    expect(merged.body.data).toEqual({ a: 1, b: 'two', nested: { y: 1 } }); // shallow: top-level keys replace
    await particle.setLedgerInstance({ auth, ledgerName: 'cache', scopeValue: owner, setMode: 'Replace', instance: { data: { only: true } } });
    expect((await particle.getLedgerInstance({ auth, ledgerName: 'cache', scopeValue: owner })).body.data).toEqual({ only: true });
    const versions = await particle.listLedgerInstanceVersions({ auth, ledgerName: 'cache', scopeValue: owner });
    expect(versions.body.meta).toEqual({ has_more: false });
    expect(versions.body.versions.map((v) => v.data)).toEqual([{ a: 1, b: 'two', nested: { y: 1 } }, { a: 1, nested: { x: [1, 2] } }]);
    expect(versions.body.versions[0].replaced_at).toMatch(ISO);
    expect(versions.body.versions.map((v) => (v as { updated_by?: string }).updated_by)).toEqual([alice.id, alice.id]); // the author of each kept version
    const v1 = await particle.getLedgerInstanceVersion({ auth, ledgerName: 'cache', scopeValue: owner, version: '1' });
    expect(v1.body.data).toEqual({ a: 1, nested: { x: [1, 2] } });
    const after = await particle.listLedgerInstanceVersions({ auth, ledgerName: 'cache', scopeValue: owner, replacedAfter: versions.body.versions[0].replaced_at });
    expect(after.body.versions).toEqual([]);

    await particle.setLedgerInstance({ auth, ledgerName: 'settings', scopeValue: DEVICE, instance: { data: { interval: 60 } } });
    await particle.setLedgerInstance({ auth, ledgerName: 'per-product', scopeValue: String(productId), instance: { data: { fw: '1.2' } } });
    const list = await particle.listLedgerInstances({ auth, ledgerName: 'settings' });
    expect(list.body.instances.map((i) => [i.scope, i.data])).toEqual([[{ type: 'Device', value: DEVICE }, { interval: 60 }]]);
    expect(list.body.meta).toMatchObject({ page: 1, total: 1 });

    expect((await particle.deleteLedgerInstance({ auth, ledgerName: 'settings', scopeValue: DEVICE })).body).toEqual({ ok: true });
    expect((await failureOf(particle.getLedgerInstance({ auth, ledgerName: 'settings', scopeValue: DEVICE }))).statusCode).toBe(404);
    // Recreated after a delete: a fresh instance.
    const again = await particle.setLedgerInstance({ auth, ledgerName: 'settings', scopeValue: DEVICE, instance: { data: { interval: 30 } } });
    expect(again.body.data).toEqual({ interval: 30 });
    expect((await particle.listLedgerInstanceVersions({ auth, ledgerName: 'settings', scopeValue: DEVICE })).body.versions).toEqual([]);
  });

  it('keeps the last 20 versions of an instance', async () => {
    const auth = alice.token;
    for (let i = 0; i < 25; i++) await particle.setLedgerInstance({ auth, ledgerName: 'per-product', scopeValue: String(productId), instance: { data: { i } } });
    const vs = (await particle.listLedgerInstanceVersions({ auth, ledgerName: 'per-product', scopeValue: String(productId) })).body.versions;
    expect(vs).toHaveLength(20);
    expect(vs[0].data).toEqual({ i: 23 });
    expect(vs[19].data).toEqual({ i: 4 });
  });

  it('keeps as many versions as HUSH_LEDGER_VERSIONS says', async () => {
    const small = await startTestServer({ dialect, env: { HUSH_LEDGER_VERSIONS: '3' } });
    try {
      const u = await small.user();
      const sdk = new Particle({ baseUrl: small.url });
      await sdk.createLedger({ auth: u.token, ledger: { name: 'few', scope: 'Owner', direction: 'Downstream' } });
      for (let i = 0; i < 6; i++) await sdk.setLedgerInstance({ auth: u.token, ledgerName: 'few', scopeValue: u.id, instance: { data: { i } } });
      const vs = (await sdk.listLedgerInstanceVersions({ auth: u.token, ledgerName: 'few', scopeValue: u.id })).body.versions;
      expect(vs.map((v) => v.data)).toEqual([{ i: 4 }, { i: 3 }, { i: 2 }]);
    } finally {
      await small.stop();
    }
  }, 60_000);

  it('works the same under /v1/orgs/:org, with view-only reads and refused writes', async () => {
    const org = `acme-${dialect}`;
    await particle.createLedger({ auth: alice.token, org, ledger: { name: 'org-cache', scope: 'Owner', direction: 'Downstream' } });
    const orgId = (await api(s.url, 'GET', `/v1/orgs/${org}`, { token: alice.token })).body.organization.id;
    await particle.setLedgerInstance({ auth: alice.token, org, ledgerName: 'org-cache', scopeValue: orgId, instance: { data: { k: 1 } } });
    expect((await particle.getLedgerInstance({ auth: viewer.token, org, ledgerName: 'org-cache', scopeValue: orgId })).body.data).toEqual({ k: 1 });
    expect((await particle.listLedgers({ auth: viewer.token, org })).body.ledger_definitions.map((d) => d.name)).toEqual(['org-cache']);
    const denied = await failureOf(particle.setLedgerInstance({ auth: viewer.token, org, ledgerName: 'org-cache', scopeValue: orgId, instance: { data: { k: 2 } } }));
    expect(denied.statusCode).toBe(403);
    expect((await failureOf(particle.createLedger({ auth: viewer.token, org, ledger: { name: 'nope', scope: 'Owner', direction: 'Downstream' } }))).statusCode).toBe(403);
    // The sandbox and the org are separate owners.
    expect((await failureOf(particle.getLedger({ auth: alice.token, ledgerName: 'org-cache' }))).statusCode).toBe(404);
    // Another tenant sees nothing.
    expect((await failureOf(particle.getLedger({ auth: bob.token, ledgerName: 'cache' }))).statusCode).toBe(404);
    expect((await failureOf(particle.getLedger({ auth: bob.token, org, ledgerName: 'org-cache' }))).statusCode).toBe(404);
  });

  it('answers bad input with clear 400/404 errors, never 500', async () => {
    const auth = alice.token;
    const owner = alice.id;
    const cases: Array<[() => Promise<unknown>, number, RegExp]> = [
      [() => particle.createLedger({ auth, ledger: { name: 'Bad_Name', scope: 'Owner', direction: 'Downstream' } }), 400, /lowercase letters, digits or dashes/],
      [() => particle.createLedger({ auth, ledger: { name: 'x'.repeat(33), scope: 'Owner', direction: 'Downstream' } }), 400, /1 to 32/],
      [() => particle.createLedger({ auth, ledger: { name: 'cache', scope: 'Device', direction: 'Downstream' } }), 400, /already in use/],
      [() => particle.createLedger({ auth, ledger: { name: 'wrong-scope', scope: 'Fleet' as never, direction: 'Downstream' } }), 400, /scope must be one of/],
      [() => particle.createLedger({ auth, ledger: { name: 'wrong-dir', scope: 'Owner', direction: 'Sideways' as never } }), 400, /direction/],
      [() => particle.getLedger({ auth, ledgerName: 'missing' }), 404, /ledger 'missing' not found/],
      [() => particle.setLedgerInstance({ auth, ledgerName: 'missing', scopeValue: owner, instance: { data: {} } }), 404, /not found/],
      [() => particle.setLedgerInstance({ auth, ledgerName: 'old', scopeValue: owner, instance: { data: {} } }), 404, /archived/],
      [() => particle.setLedgerInstance({ auth, ledgerName: 'cache', scopeValue: owner, instance: { data: [1, 2] as never } }), 400, /JSON object, got an array/],
      [() => particle.setLedgerInstance({ auth, ledgerName: 'cache', scopeValue: owner, instance: { data: 'text' as never } }), 400, /JSON object, got a string/],
      [() => particle.setLedgerInstance({ auth, ledgerName: 'cache', scopeValue: owner, instance: { data: { big: 'x'.repeat(17 * 1024) } } }), 400, /at most 16384 bytes/],
      [() => particle.setLedgerInstance({ auth, ledgerName: 'cache', scopeValue: owner, setMode: 'Append' as never, instance: { data: {} } }), 400, /set_mode/],
      [() => particle.setLedgerInstance({ auth, ledgerName: 'cache', scopeValue: bob.id, instance: { data: {} } }), 404, /owner-scoped/],
      [() => particle.setLedgerInstance({ auth, ledgerName: 'per-product', scopeValue: String(bobProductId), instance: { data: {} } }), 404, /not one of yours/],
      [() => particle.setLedgerInstance({ auth, ledgerName: 'settings', scopeValue: STRANGER_DEVICE, instance: { data: {} } }), 404, /not in one of your products/],
      [() => particle.setLedgerInstance({ auth, ledgerName: 'settings', scopeValue: 'not-a-device', instance: { data: {} } }), 404, /not in one of your products/],
      [() => particle.getLedgerInstanceVersion({ auth, ledgerName: 'cache', scopeValue: owner, version: 'abc' }), 400, /version must be/],
      [() => particle.listLedgers({ auth, scope: 'Nope' as never }), 400, /scope must be one of/],
    ];
    for (const [call, status, message] of cases) {
      const f = await failureOf(call());
      expect({ status: f.statusCode, description: f.description }).toEqual({ status, description: expect.stringMatching(message) });
    }
    // A cloud-only ledger takes up to 1 MiB.
    const big = await particle.setLedgerInstance({ auth, ledgerName: 'settings', scopeValue: DEVICE, instance: { data: { big: 'x'.repeat(512 * 1024) } } });
    expect(big.body.size_bytes).toBe(512 * 1024 + 10);
  });

  it('audits every change with its actor', async () => {
    const audit = (await api(s.url, 'GET', '/v1/audit', { token: alice.token })).body.audit as Array<{ action: string; target: string; actor: { id: string } }>;
    const actions = new Set(audit.map((a) => a.action));
    for (const a of ['ledger.create', 'ledger.update', 'ledger.archive', 'ledger.set', 'ledger.delete']) expect(actions).toContain(a);
    expect(audit.some((a) => a.action === 'ledger.set' && a.target === `cache/${alice.id}` && a.actor.id === alice.id)).toBe(true);
  });

  it('loses no key when 100 MERGE sets of their own key race on one instance', async () => {
    const auth = alice.token;
    await particle.createLedger({ auth, ledger: { name: 'race', scope: 'Owner', direction: 'Downstream' } });
    const n = 100;
    const results = await Promise.all(Array.from({ length: n }, (_, i) =>
      particle.setLedgerInstance({ auth, ledgerName: 'race', scopeValue: alice.id, setMode: 'Merge', instance: { data: { [`k${i}`]: i } } })));
    expect(results.every((r) => r.statusCode === 200)).toBe(true);
    const data = (await particle.getLedgerInstance({ auth, ledgerName: 'race', scopeValue: alice.id })).body.data;
    expect(Object.keys(data).sort()).toEqual(Array.from({ length: n }, (_, i) => `k${i}`).sort());
  }, 120_000);
});
