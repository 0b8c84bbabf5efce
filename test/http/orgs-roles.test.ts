import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrgRow } from '../../src/orgs/org-store.ts';
import { testDialects } from '../support/pg-fns.ts';
import { api, startTestServer, type TestServer } from '../support/test-server.ts';

type User = Awaited<ReturnType<TestServer['user']>>;
interface AuditItem {
  actor: { id: string; username: string | null };
  action: string;
  target: string;
  outcome: string;
  detail: string | null;
}

const VIEW_ONLY_DENIED = { ok: false, error: "your role 'view-only' in organization 'acme' does not allow changing secrets" };
const ADMINS_ONLY = { ok: false, error: "only administrators of organization 'acme' can manage members" };

describe.each(testDialects())('organizations and roles (%s)', (dialect) => {
  let s: TestServer;
  let admin: User;
  let dev: User;
  let viewer: User;
  let outsider: User;
  let org: OrgRow;
  const as = (u: User, method: string, path: string, opts: Parameters<typeof api>[3] = {}) => api(s.url, method, path, { token: u.token, ...opts });
  const auditOf = async (): Promise<AuditItem[]> => (await as(admin, 'GET', '/v1/orgs/acme/audit')).body.audit;

  beforeAll(async () => {
    s = await startTestServer({ dialect });
    [admin, dev, viewer, outsider] = [await s.user(), await s.user(), await s.user(), await s.user()];
    org = await s.services.orgs.create('acme', 'Acme Inc', admin.email);
    const op = await s.services.orgs.operatorScope('acme');
    await s.services.orgs.setMember(op, dev.email, 'developer');
    await s.services.orgs.setMember(op, viewer.email, 'view-only');
    expect((await as(admin, 'PUT', '/v1/orgs/acme/secrets/SHARED', { json: { value: 'shared-value-one' } })).status).toBe(200);
    expect((await as(admin, 'PUT', '/v1/orgs/acme/secrets/SHARED', { json: { value: 'shared-value-two' } })).status).toBe(200);
  });
  afterAll(async () => s?.stop());

  it('GET /v1/orgs lists the caller\'s organizations with their role', async () => {
    const r = await as(viewer, 'GET', '/v1/orgs');
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ organizations: [{ id: org.id, slug: 'acme', name: 'Acme Inc', role: 'view-only', created_at: org.createdAt }] });
    expect((await as(outsider, 'GET', '/v1/orgs')).body).toEqual({ organizations: [] });
    expect((await as(dev, 'GET', '/v1/orgs/acme')).body).toEqual({ organization: { id: org.id, slug: 'acme', name: 'Acme Inc', role: 'developer' } });
  });

  it('view-only can list and get', async () => {
    const list = await as(viewer, 'GET', '/v1/orgs/acme/secrets');
    expect(list.status).toBe(200);
    expect(list.body.secrets.map((x: { name: string }) => x.name)).toEqual(['SHARED']);
    const one = await as(viewer, 'GET', '/v1/orgs/acme/secrets/SHARED');
    expect(one.status).toBe(200);
    expect(one.body.secret).toMatchObject({ name: 'SHARED', version: 2, created_by: admin.id, integrations: [], logic_functions: [] });
    expect((await as(viewer, 'GET', '/v1/orgs/acme/secrets/SHARED/versions')).body.versions).toHaveLength(2);
  });

  it('view-only gets 403 (never 401) on create, replace, delete and restore, each audited as denied', async () => {
    const attempts: Array<[string, string, Parameters<typeof api>[3]]> = [
      ['POST', '/v1/orgs/acme/secrets', { json: { name: 'NEW_ONE', value: 'viewer-value-1' } }],
      ['PUT', '/v1/orgs/acme/secrets/SHARED', { json: { secret: { value: 'viewer-value-2' } } }],
      ['DELETE', '/v1/orgs/acme/secrets/SHARED', {}],
      ['POST', '/v1/orgs/acme/secrets/SHARED/versions/1/restore', {}],
    ];
    for (const [method, path, opts] of attempts) {
      const r = await as(viewer, method, path, opts);
      expect(r.status, `${method} ${path}`).toBe(403);
      expect(r.body).toEqual(VIEW_ONLY_DENIED);
    }
    const denied = (await auditOf()).filter((e) => e.outcome === 'denied');
    expect(denied.map((e) => [e.action, e.target]).sort()).toEqual(
      [['secret.create', 'NEW_ONE'], ['secret.delete', 'SHARED'], ['secret.replace', 'SHARED'], ['secret.restore', 'SHARED']].sort(),
    );
    for (const e of denied) {
      expect(e.actor).toEqual({ id: viewer.id, username: viewer.email });
      expect(e.detail).toBe('role view-only');
    }
    // Nothing changed.
    const after = await as(admin, 'GET', '/v1/orgs/acme/secrets');
    expect(after.body.secrets.map((x: { name: string; version: number }) => [x.name, x.version])).toEqual([['SHARED', 2]]);
    expect(await s.services.resolver.values(`org:${org.id}`, ['SHARED'])).toEqual({ SHARED: 'shared-value-two' });
  });

  it.each([['developer'], ['administrator']])('%s can create, replace, restore and delete', async (role) => {
    const u = role === 'developer' ? dev : admin;
    const name = `BY_${role.toUpperCase()}`;
    const c = await as(u, 'POST', '/v1/orgs/acme/secrets', { json: { name, value: `${role}-value-one` } });
    expect(c.status).toBe(201);
    expect(c.body.secret).toMatchObject({ name, version: 1, created_by: u.id, created_by_username: u.email });
    const p = await as(u, 'PUT', `/v1/orgs/acme/secrets/${name}`, { json: { secret: { value: `${role}-value-two` } } });
    expect(p.status).toBe(200);
    expect(p.body.secret.version).toBe(2);
    const r = await as(u, 'POST', `/v1/orgs/acme/secrets/${name}/versions/1/restore`);
    expect(r.status).toBe(200);
    expect(r.body.secret.version).toBe(3);
    expect(await s.services.resolver.values(`org:${org.id}`, [name])).toEqual({ [name]: `${role}-value-one` });
    const d = await as(u, 'DELETE', `/v1/orgs/acme/secrets/${name}`);
    expect(d.status).toBe(204);
    expect((await as(u, 'GET', `/v1/orgs/acme/secrets/${name}`)).status).toBe(404);
    const mine = (await auditOf()).filter((e) => e.target === name).map((e) => [e.action, e.outcome, e.actor.id]);
    expect(mine).toEqual([
      ['secret.delete', 'ok', u.id],
      ['secret.restore', 'ok', u.id],
      ['secret.replace', 'ok', u.id],
      ['secret.create', 'ok', u.id],
    ]);
  });

  it('a refused attempt with a huge name is audited with the name cut short', async () => {
    const r = await as(viewer, 'POST', '/v1/orgs/acme/secrets', { json: { name: 'N'.repeat(100_000), value: 'some-value-123' } });
    expect(r.status).toBe(403);
    const [entry] = (await as(admin, 'GET', '/v1/orgs/acme/audit?limit=1')).body.audit;
    expect(entry).toMatchObject({ action: 'secret.create', outcome: 'denied', target: `${'N'.repeat(200)}…` });
  });

  it('only administrators read the org audit', async () => {
    for (const u of [dev, viewer]) {
      const r = await as(u, 'GET', '/v1/orgs/acme/audit');
      expect(r.status).toBe(403);
      expect(r.body).toEqual({ ok: false, error: "only administrators can read the audit trail of organization 'acme'" });
    }
    const r = await as(admin, 'GET', '/v1/orgs/acme/audit?limit=2');
    expect(r.status).toBe(200);
    expect(r.body.audit).toHaveLength(2);
    // The refused reads are denied attempts like any other, in the trail they tried to read.
    expect(r.body.audit.map((e: { action: string; outcome: string; actor: { id: string } }) => [e.action, e.outcome, e.actor.id])).toEqual([
      ['audit.read', 'denied', viewer.id],
      ['audit.read', 'denied', dev.id],
    ]);
  });

  it('only administrators list and change members', async () => {
    const third = await s.user();
    for (const u of [dev, viewer]) {
      for (const [method, path, opts] of [
        ['GET', '/v1/orgs/acme/members', {}],
        ['POST', '/v1/orgs/acme/members', { json: { username: third.email, role: 'developer' } }],
        ['PUT', `/v1/orgs/acme/members/${viewer.id}`, { json: { role: 'developer' } }],
        ['DELETE', `/v1/orgs/acme/members/${viewer.email}`, {}],
      ] as Array<[string, string, Parameters<typeof api>[3]]>) {
        const r = await as(u, method, path, opts);
        expect(r.status, `${u.email} ${method} ${path}`).toBe(403);
        expect(r.body).toEqual(ADMINS_ONLY);
      }
    }
    const deniedMember = (await auditOf()).filter((e) => e.outcome === 'denied' && e.action.startsWith('member.'));
    expect(deniedMember).toHaveLength(8);

    const list = await as(admin, 'GET', '/v1/orgs/acme/members');
    expect(list.status).toBe(200);
    const expected = [admin, dev, viewer]
      .map((u) => ({ user_id: u.id, username: u.email, role: u === admin ? 'administrator' : u === dev ? 'developer' : 'view-only' }))
      .sort((a, b) => (a.username < b.username ? -1 : 1));
    expect(list.body.members.map(({ created_at: _c, ...m }: { created_at: string }) => m)).toEqual(expected);

    const add = await as(admin, 'POST', '/v1/orgs/acme/members', { json: { username: third.email, role: 'developer' } });
    expect(add.status).toBe(201);
    expect(add.body).toMatchObject({ ok: true, member: { user_id: third.id, username: third.email, role: 'developer' } });
    const change = await as(admin, 'PUT', `/v1/orgs/acme/members/${third.id}`, { json: { role: 'view-only' } });
    expect(change.status).toBe(200);
    expect(change.body).toMatchObject({ ok: true, member: { user_id: third.id, role: 'view-only' } });
    expect((await as(third, 'PUT', '/v1/orgs/acme/secrets/THIRD', { json: { value: 'third-value-1' } })).status).toBe(403);
    const bad = await as(admin, 'PUT', `/v1/orgs/acme/members/${third.id}`, { json: { role: 'boss' } });
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({ ok: false, error: "role 'boss' is not one of administrator, developer, view-only" });
    const unknown = await as(admin, 'POST', '/v1/orgs/acme/members', { json: { username: 'ghost@example.com', role: 'developer' } });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({ ok: false, error: "no user with email 'ghost@example.com'" });
    const del = await as(admin, 'DELETE', `/v1/orgs/acme/members/${third.email}`);
    expect(del.status).toBe(204);
    expect((await as(third, 'GET', '/v1/orgs/acme/secrets')).status).toBe(404);
    const again = await as(admin, 'DELETE', `/v1/orgs/acme/members/${third.email}`);
    expect(again.status).toBe(404);
    expect(again.body).toEqual({ ok: false, error: `'${third.email}' is not a member of organization 'acme'` });
    const trail = (await auditOf()).filter((e) => e.target === third.email && e.outcome === 'ok').map((e) => [e.action, e.detail]);
    expect(trail).toEqual([['member.remove', null], ['member.set', 'role view-only'], ['member.set', 'role developer']]);
  });

  it('the last administrator can be neither removed nor demoted', async () => {
    const last = { ok: false, error: 'an organization needs at least one administrator' };
    const rm = await as(admin, 'DELETE', `/v1/orgs/acme/members/${admin.id}`);
    expect(rm.status).toBe(400);
    expect(rm.body).toEqual(last);
    const demote = await as(admin, 'PUT', `/v1/orgs/acme/members/${admin.email}`, { json: { role: 'developer' } });
    expect(demote.status).toBe(400);
    expect(demote.body).toEqual(last);
    // With a second administrator the first may step down.
    expect((await as(admin, 'PUT', `/v1/orgs/acme/members/${dev.id}`, { json: { role: 'administrator' } })).status).toBe(200);
    expect((await as(admin, 'PUT', `/v1/orgs/acme/members/${admin.id}`, { json: { role: 'developer' } })).status).toBe(200);
    expect((await as(dev, 'DELETE', `/v1/orgs/acme/members/${dev.id}`)).body).toEqual(last);
    expect((await as(dev, 'PUT', `/v1/orgs/acme/members/${admin.id}`, { json: { role: 'administrator' } })).status).toBe(200);
    expect((await as(admin, 'PUT', `/v1/orgs/acme/members/${dev.id}`, { json: { role: 'developer' } })).status).toBe(200);
  });

  it('a non-member gets 404 (never 401, never data) for secrets, members and audit, by slug or id', async () => {
    for (const ref of ['acme', org.id]) {
      const nf = { ok: false, error: `organization '${ref}' not found` };
      for (const [method, path, opts] of [
        ['GET', `/v1/orgs/${ref}/secrets`, {}],
        ['GET', `/v1/orgs/${ref}/secrets/SHARED`, {}],
        ['PUT', `/v1/orgs/${ref}/secrets/SHARED`, { json: { value: 'outsider-value-1' } }],
        ['DELETE', `/v1/orgs/${ref}/secrets/SHARED`, {}],
        ['GET', `/v1/orgs/${ref}/members`, {}],
        ['POST', `/v1/orgs/${ref}/members`, { json: { username: outsider.email, role: 'administrator' } }],
        ['GET', `/v1/orgs/${ref}/audit`, {}],
        ['GET', `/v1/orgs/${ref}`, {}],
      ] as Array<[string, string, Parameters<typeof api>[3]]>) {
        const r = await as(outsider, method, path, opts);
        expect(r.status, `${method} ${path}`).toBe(404);
        expect(r.body).toEqual(nf);
        expect(r.text).not.toContain('SHARED"');
      }
    }
    // Same answer as an organization that does not exist.
    expect((await as(outsider, 'GET', '/v1/orgs/nope/secrets')).body).toEqual({ ok: false, error: "organization 'nope' not found" });
    expect(await s.services.resolver.values(`org:${org.id}`, ['SHARED'])).toEqual({ SHARED: 'shared-value-two' });
  });

  it('a member may use the org id instead of the slug', async () => {
    const bySlug = await as(viewer, 'GET', '/v1/orgs/acme/secrets');
    const byId = await as(viewer, 'GET', `/v1/orgs/${org.id}/secrets`);
    expect(byId.status).toBe(200);
    expect(byId.body).toEqual(bySlug.body);
    const w = await as(dev, 'PUT', `/v1/orgs/${org.id}/secrets/BY_ID`, { json: { value: 'by-id-value-1' } });
    expect(w.status).toBe(200);
    expect((await as(viewer, 'GET', '/v1/orgs/acme/secrets/BY_ID')).body.secret.name).toBe('BY_ID');
    expect((await as(admin, 'GET', `/v1/orgs/${org.id}/members`)).status).toBe(200);
  });

  it('org secrets are separate from sandbox secrets', async () => {
    expect((await as(admin, 'GET', '/v1/secrets')).body).toEqual({ secrets: [] });
    expect((await as(admin, 'GET', '/v1/secrets/SHARED')).status).toBe(404);
  });

  it('org secret items expose org_integration_id for integrations', async () => {
    await s.services.store.db
      .insertInto('secret_usages')
      .values([
        { owner: `org:${org.id}`, secret_name: 'SHARED', consumer_type: 'integration', consumer_id: 'int-1', consumer_name: 'Org hook', product_slug: 'widgets' },
        { owner: `org:${org.id}`, secret_name: 'SHARED', consumer_type: 'logic', consumer_id: 'fn-1', consumer_name: 'Org fn', product_slug: null },
      ])
      .execute();
    const r = await as(viewer, 'GET', '/v1/orgs/acme/secrets/SHARED');
    expect(r.body.secret.integrations).toEqual([{ id: 'int-1', name: 'Org hook', org_integration_id: 'int-1', product_slug: 'widgets' }]);
    expect(r.body.secret.logic_functions).toEqual([{ id: 'fn-1', name: 'Org fn' }]);
    expect(r.body.secret.usage_count).toBe(2);
    const del = await as(admin, 'DELETE', '/v1/orgs/acme/secrets/SHARED');
    expect(del.status).toBe(400);
    expect(del.body).toEqual({
      ok: false,
      error: "Secret SHARED is in use by integrations or Logic Functions and cannot be deleted: Logic function 'Org fn', integration 'Org hook'",
    });
  });
});
