import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isUniqueViolation } from '../../src/store/retry-fns.ts';
import type { SecretStore } from '../../src/secrets/secret-store.ts';
import type { SecretRecord, SecretVersionRecord } from '../../src/secrets/secret-types.ts';
import type { DbOrTrx } from '../../src/store/database-types.ts';

/** What one run of the contract needs: a store, the db it takes, and a data key id to reference. */
export interface SecretStoreSetup {
  readonly db: DbOrTrx;
  readonly store: SecretStore;
  /** A data key id that secret_versions rows may reference (real stores enforce the foreign key). */
  dataKey(owner: string): Promise<string>;
  close(): Promise<void>;
}

const T = (n: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString();
const newOwner = () => `user:${randomBytes(12).toString('hex')}`;

const record = (owner: string, name: string, over: Partial<SecretRecord> = {}): SecretRecord => ({
  owner,
  name,
  currentVersion: 1,
  createdAt: T(1),
  createdBy: 'u1',
  updatedAt: T(1),
  updatedBy: 'u1',
  lastAccessedAt: null,
  expiresAt: null,
  rotationPeriodDays: null,
  ...over,
});

/**
 * The SecretStore contract: every implementation (Kysely on SQLite and PostgreSQL, the
 * in-memory fake) must pass it, so a service test on the fake means the same on a database.
 */
export function secretStoreContract(label: string, open: () => Promise<SecretStoreSetup>): void {
  describe(`SecretStore contract: ${label}`, () => {
    let s: SecretStoreSetup;
    let db: DbOrTrx;
    let store: SecretStore;
    beforeAll(async () => {
      s = await open();
      ({ db, store } = s);
    });
    afterAll(async () => s?.close());

    const version = async (owner: string, name: string, v: number, over: Partial<SecretVersionRecord> = {}): Promise<SecretVersionRecord> => ({
      owner,
      name,
      version: v,
      dataKeyId: await s.dataKey(owner),
      nonce: randomBytes(12),
      ciphertext: randomBytes(20 + v),
      createdAt: T(v),
      createdBy: `u${v}`,
      restoredFrom: null,
      ...over,
    });
    /** A secret with versions 1..n, current = n. */
    const secretWith = async (owner: string, name: string, n = 1) => {
      await store.insert(db, record(owner, name, { currentVersion: n }));
      const vs: SecretVersionRecord[] = [];
      for (let v = 1; v <= n; v++) {
        const row = await version(owner, name, v);
        await store.insertVersion(db, row);
        vs.push(row);
      }
      return vs;
    };

    it('insert then get returns the record; get of a missing name is null', async () => {
      const owner = newOwner();
      const rec = record(owner, 'API_KEY', { lastAccessedAt: T(9) });
      await store.insert(db, rec);
      expect(await store.get(db, owner, 'API_KEY')).toEqual(rec);
      expect(await store.get(db, owner, 'NOPE')).toBeNull();
      expect(await store.get(db, newOwner(), 'API_KEY')).toBeNull();
    });

    it('insert of an existing (owner, name) fails with a unique violation', async () => {
      const owner = newOwner();
      await store.insert(db, record(owner, 'DUP'));
      const e = await store.insert(db, record(owner, 'DUP')).then(() => null, (err: unknown) => err);
      expect(isUniqueViolation(e)).toBe(true);
      await store.insert(db, record(newOwner(), 'DUP'));
    });

    it('list returns only the owner’s secrets, sorted by name', async () => {
      const owner = newOwner();
      for (const name of ['ZED', 'ALPHA', '_UNDER', 'B2', 'B10']) await store.insert(db, record(owner, name));
      await store.insert(db, record(newOwner(), 'OTHER'));
      expect((await store.list(db, owner)).map((r) => r.name)).toEqual(['ALPHA', 'B10', 'B2', 'ZED', '_UNDER']);
      expect(await store.list(db, newOwner())).toEqual([]);
    });

    it('insertVersion, version and versions (newest first) keep bytes and fields', async () => {
      const owner = newOwner();
      const vs = await secretWith(owner, 'V', 3);
      const restored = await version(owner, 'V', 4, { restoredFrom: 1 });
      await store.insertVersion(db, restored);
      expect(await store.version(db, owner, 'V', 2)).toEqual(vs[1]);
      expect(await store.version(db, owner, 'V', 4)).toEqual(restored);
      expect(await store.version(db, owner, 'V', 9)).toBeNull();
      const all = await store.versions(db, owner, 'V');
      expect(all.map((v) => v.version)).toEqual([4, 3, 2, 1]);
      expect(all[3]).toEqual(vs[0]);
      expect(Buffer.isBuffer(all[0].nonce) && Buffer.isBuffer(all[0].ciphertext)).toBe(true);
      const dup = await store.insertVersion(db, await version(owner, 'V', 2)).then(() => null, (err: unknown) => err);
      expect(isUniqueViolation(dup)).toBe(true);
    });

    it('setCurrent moves the pointer and the updated fields only', async () => {
      const owner = newOwner();
      await secretWith(owner, 'MOVE', 2);
      await store.setCurrent(db, owner, 'MOVE', 2, T(30), 'u9');
      expect(await store.get(db, owner, 'MOVE')).toEqual(record(owner, 'MOVE', { currentVersion: 2, updatedAt: T(30), updatedBy: 'u9' }));
    });

    it('currentVersions returns the current version of each (named) secret, sorted by name', async () => {
      const owner = newOwner();
      const a = await secretWith(owner, 'A_ONE', 3);
      const b = await secretWith(owner, 'B_TWO', 1);
      const c = await secretWith(owner, 'C_THREE', 2);
      await store.setCurrent(db, owner, 'C_THREE', 1, T(40), 'u1');
      expect(await store.currentVersions(db, owner)).toEqual([a[2], b[0], c[0]]);
      expect(await store.currentVersions(db, owner, ['C_THREE', 'A_ONE', 'MISSING'])).toEqual([a[2], c[0]]);
      expect(await store.currentVersions(db, owner, [])).toEqual([]);
      expect(await store.currentVersions(db, newOwner())).toEqual([]);
    });

    it('setUsages replaces one consumer’s rows; usages filters and sorts by consumer name, then id', async () => {
      const owner = newOwner();
      const hook = { consumerType: 'integration' as const, consumerId: 'int-2', consumerName: 'Hook', productSlug: 'widgets' };
      const fn = { consumerType: 'logic' as const, consumerId: 'fn-1', consumerName: 'Alpha fn', productSlug: null };
      const twin = { consumerType: 'integration' as const, consumerId: 'int-1', consumerName: 'Hook', productSlug: null };
      await store.setUsages(db, owner, hook, ['KEY_A', 'KEY_B', 'KEY_A']);
      await store.setUsages(db, owner, fn, ['KEY_A']);
      await store.setUsages(db, owner, twin, ['KEY_B']);
      await store.setUsages(db, newOwner(), hook, ['KEY_A']);
      const all = await store.usages(db, owner);
      // Sorted by consumer name, then id (rows of one consumer may come in any order).
      expect(all.map((u) => `${u.consumerName}/${u.consumerId}`)).toEqual(['Alpha fn/fn-1', 'Hook/int-1', 'Hook/int-2', 'Hook/int-2']);
      expect(all.filter((u) => u.consumerId === 'int-2').sort((x, y) => (x.secretName < y.secretName ? -1 : 1))).toEqual([
        { secretName: 'KEY_A', ...hook },
        { secretName: 'KEY_B', ...hook },
      ]);
      expect(all.slice(0, 2)).toEqual([{ secretName: 'KEY_A', ...fn }, { secretName: 'KEY_B', ...twin }]);
      expect((await store.usages(db, owner, ['KEY_A'])).map((u) => u.consumerId).sort()).toEqual(['fn-1', 'int-2']);
      expect(await store.usages(db, owner, [])).toEqual([]);
      // Replacing: the hook now uses only KEY_C; the other consumers are untouched.
      await store.setUsages(db, owner, { ...hook, consumerName: 'Hook renamed' }, ['KEY_C']);
      const after = await store.usages(db, owner);
      expect(after.filter((u) => u.consumerId === 'int-2')).toEqual([{ secretName: 'KEY_C', ...hook, consumerName: 'Hook renamed' }]);
      expect(after).toHaveLength(3);
      await store.setUsages(db, owner, hook, []);
      expect((await store.usages(db, owner)).map((u) => u.consumerId).sort()).toEqual(['fn-1', 'int-1']);
    });

    it('touch only moves last_accessed_at forward, and only for an existing secret', async () => {
      const owner = newOwner();
      await store.insert(db, record(owner, 'TOUCHED'));
      await store.touch(db, owner, 'TOUCHED', T(20));
      expect((await store.get(db, owner, 'TOUCHED'))?.lastAccessedAt).toBe(T(20));
      await store.touch(db, owner, 'TOUCHED', T(10));
      expect((await store.get(db, owner, 'TOUCHED'))?.lastAccessedAt).toBe(T(20));
      await store.touch(db, owner, 'TOUCHED', T(20));
      await store.touch(db, owner, 'TOUCHED', T(25));
      expect((await store.get(db, owner, 'TOUCHED'))?.lastAccessedAt).toBe(T(25));
      await store.touch(db, owner, 'GHOST', T(30));
      expect(await store.get(db, owner, 'GHOST')).toBeNull();
    });

    it('bumpOwnerVersion counts changes per owner; ownerVersion starts at 0', async () => {
      const [a, b] = [newOwner(), newOwner()];
      expect(await store.ownerVersion(db, a)).toBe(0);
      await store.bumpOwnerVersion(db, a);
      await store.bumpOwnerVersion(db, a);
      await store.bumpOwnerVersion(db, b);
      expect(await store.ownerVersion(db, a)).toBe(2);
      expect(await store.ownerVersion(db, b)).toBe(1);
    });

    it('delete removes the secret and its versions, reports whether it existed, and keeps other names', async () => {
      const owner = newOwner();
      await secretWith(owner, 'GONE', 2);
      const kept = await secretWith(owner, 'KEPT', 1);
      expect(await store.delete(db, owner, 'GONE')).toBe(true);
      expect(await store.get(db, owner, 'GONE')).toBeNull();
      expect(await store.versions(db, owner, 'GONE')).toEqual([]);
      expect(await store.version(db, owner, 'GONE', 1)).toBeNull();
      expect(await store.delete(db, owner, 'GONE')).toBe(false);
      expect((await store.list(db, owner)).map((r) => r.name)).toEqual(['KEPT']);
      expect(await store.currentVersions(db, owner)).toEqual(kept);
      // A new secret of the same name starts afresh at version 1.
      await secretWith(owner, 'GONE', 1);
      expect((await store.versions(db, owner, 'GONE')).map((v) => v.version)).toEqual([1]);
    });

    it('returns copies: changing a returned record does not change the store', async () => {
      const owner = newOwner();
      const [v1] = await secretWith(owner, 'COPY', 1);
      const got = await store.version(db, owner, 'COPY', 1);
      got?.ciphertext.fill(0);
      expect(await store.version(db, owner, 'COPY', 1)).toEqual(v1);
    });
  });
}
