import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthStore, type UserRow } from '../../src/auth/auth-store.ts';
import { createOrgStore } from '../../src/orgs/org-store.ts';
import type { Db } from '../../src/store/database-types.ts';
import { isUniqueViolation } from '../../src/store/retry-fns.ts';
import { testDialects } from '../support/pg-fns.ts';
import { openContractStore, type ContractStore } from './store-harness.ts';

const hex = (n: number) => randomBytes(n).toString('hex');
const T = (n: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString();
const failure = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e);

describe.each(testDialects())('AuthStore and OrgStore contract (%s)', (dialect) => {
  let cs: ContractStore;
  let db: Db;
  const auth = createAuthStore();
  const orgs = createOrgStore();
  const newUser = async (email = `u-${hex(4)}@example.com`): Promise<UserRow> => {
    const u = { id: hex(12), email, passwordHash: `scrypt$${hex(8)}`, createdAt: T(1) };
    await auth.insertUser(db, u);
    return u;
  };

  beforeAll(async () => {
    cs = await openContractStore(dialect);
    db = cs.handle.db;
  });
  afterAll(async () => cs?.close());

  describe('users', () => {
    it('inserts and finds users by email, id and ids', async () => {
      const a = await newUser();
      const b = await newUser();
      expect(await auth.userByEmail(db, a.email)).toEqual(a);
      expect(await auth.userById(db, b.id)).toEqual(b);
      expect(await auth.userByEmail(db, 'nobody@example.com')).toBeNull();
      expect(await auth.userById(db, hex(12))).toBeNull();
      expect((await auth.usersByIds(db, [a.id, b.id, hex(12)])).sort((x, y) => (x.id < y.id ? -1 : 1))).toEqual([a, b].sort((x, y) => (x.id < y.id ? -1 : 1)));
      expect(await auth.usersByIds(db, [])).toEqual([]);
    });

    it('replaces a password hash only while it is still the one read', async () => {
      const a = await newUser();
      await auth.replacePasswordHash(db, a.id, 'scrypt$stale', 'scrypt$lost');
      expect((await auth.userById(db, a.id))?.passwordHash).toBe(a.passwordHash);
      await auth.replacePasswordHash(db, a.id, a.passwordHash, 'scrypt$upgraded');
      expect((await auth.userById(db, a.id))?.passwordHash).toBe('scrypt$upgraded');
    });

    it('refuses a second user with the same email', async () => {
      const a = await newUser();
      expect(isUniqueViolation(await failure(newUser(a.email)))).toBe(true);
    });
  });

  describe('tokens', () => {
    it('stores tokens by hash; deletes one or all of a user’s', async () => {
      const u = await newUser();
      const other = await newUser();
      const rows = [T(1), null, T(3)].map((expiresAt, i) => ({ tokenHash: hex(32), userId: i === 2 ? other.id : u.id, clientId: 'particle', createdAt: T(0), expiresAt }));
      for (const r of rows) await auth.insertToken(db, r);
      expect(await auth.tokenByHash(db, rows[0].tokenHash)).toEqual(rows[0]);
      expect(await auth.tokenByHash(db, rows[1].tokenHash)).toEqual(rows[1]);
      expect(await auth.tokenByHash(db, hex(32))).toBeNull();
      expect(await auth.principalByHash(db, rows[1].tokenHash)).toEqual({ ...rows[1], email: u.email });
      expect(await auth.principalByHash(db, rows[2].tokenHash)).toEqual({ ...rows[2], email: other.email });
      expect(await auth.principalByHash(db, hex(32))).toBeNull();
      expect(await auth.deleteToken(db, rows[0].tokenHash)).toBe(true);
      expect(await auth.deleteToken(db, rows[0].tokenHash)).toBe(false);
      expect(await auth.tokenByHash(db, rows[0].tokenHash)).toBeNull();
      expect(await auth.principalByHash(db, rows[0].tokenHash)).toBeNull();
      await auth.insertToken(db, { ...rows[0], tokenHash: hex(32) });
      expect(await auth.deleteTokensOfUser(db, u.id)).toBe(2);
      expect(await auth.deleteTokensOfUser(db, u.id)).toBe(0);
      expect(await auth.tokenByHash(db, rows[2].tokenHash)).toEqual(rows[2]);
    });
  });

  describe('organizations', () => {
    it('inserts orgs and finds them by id or slug', async () => {
      const o = { id: hex(12), slug: `org-${hex(3)}`, name: 'Org', createdAt: T(2) };
      await orgs.insertOrg(db, o);
      expect(await orgs.orgByIdOrSlug(db, o.slug)).toEqual(o);
      expect(await orgs.orgByIdOrSlug(db, o.id)).toEqual(o);
      expect(await orgs.orgByIdOrSlug(db, 'missing')).toBeNull();
      expect(isUniqueViolation(await failure(orgs.insertOrg(db, { ...o, id: hex(12) })))).toBe(true);
    });

    it('manages members: upsert changes the role and keeps created_at; lists sorted by email', async () => {
      const o = { id: hex(12), slug: `org-${hex(3)}`, name: 'Members', createdAt: T(2) };
      await orgs.insertOrg(db, o);
      const zed = await newUser(`zed-${hex(3)}@example.com`);
      const amy = await newUser(`amy-${hex(3)}@example.com`);
      await orgs.upsertMember(db, o.id, zed.id, 'administrator', T(5));
      await orgs.upsertMember(db, o.id, amy.id, 'developer', T(6));
      await orgs.upsertMember(db, o.id, amy.id, 'view-only', T(7));
      const members = await orgs.members(db, o.id);
      expect(members).toEqual([
        { orgId: o.id, userId: amy.id, email: amy.email, role: 'view-only', createdAt: T(6) },
        { orgId: o.id, userId: zed.id, email: zed.email, role: 'administrator', createdAt: T(5) },
      ]);
      expect(await orgs.member(db, o.id, zed.id)).toEqual(members[1]);
      expect(await orgs.member(db, o.id, hex(12))).toBeNull();
      expect(await orgs.deleteMember(db, o.id, amy.id)).toBe(true);
      expect(await orgs.deleteMember(db, o.id, amy.id)).toBe(false);
      expect((await orgs.members(db, o.id)).map((m) => m.userId)).toEqual([zed.id]);
    });

    it('lists a user’s orgs with the role, sorted by slug', async () => {
      const u = await newUser();
      const b = { id: hex(12), slug: `b-${hex(3)}`, name: 'B', createdAt: T(3) };
      const a = { id: hex(12), slug: `a-${hex(3)}`, name: 'A', createdAt: T(4) };
      const notMine = { id: hex(12), slug: `c-${hex(3)}`, name: 'C', createdAt: T(4) };
      for (const o of [b, a, notMine]) await orgs.insertOrg(db, o);
      await orgs.upsertMember(db, b.id, u.id, 'developer', T(5));
      await orgs.upsertMember(db, a.id, u.id, 'view-only', T(5));
      expect(await orgs.orgsOfUser(db, u.id)).toEqual([
        { ...a, role: 'view-only' },
        { ...b, role: 'developer' },
      ]);
      expect(await orgs.orgsOfUser(db, hex(12))).toEqual([]);
    });
  });
});
