import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFakeSecretLifecycleStore } from '../../src/secrets/fake-secret-lifecycle-store.ts';
import { createFakeSecretStore } from '../../src/secrets/fake-secret-store.ts';
import { createKyselySecretLifecycleStore } from '../../src/secrets/secret-lifecycle-store-kysely.ts';
import { createKyselySecretStore } from '../../src/secrets/secret-store-kysely.ts';
import type { SecretLifecycleStore } from '../../src/secrets/secret-lifecycle-store.ts';
import type { SecretStore } from '../../src/secrets/secret-store.ts';
import type { DbOrTrx } from '../../src/store/database-types.ts';
import { testDialects } from '../support/pg-fns.ts';
import { contractDataKeys, openContractStore } from './store-harness.ts';

interface Setup {
  readonly db: DbOrTrx;
  readonly secrets: SecretStore;
  readonly lifecycle: SecretLifecycleStore;
  dataKey(owner: string): Promise<string>;
  close(): Promise<void>;
}

const T = (n: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString();
const newOwner = () => `user:${randomBytes(12).toString('hex')}`;

/** The SecretLifecycleStore contract: Kysely on SQLite and PostgreSQL, and the in-memory fake. */
function lifecycleContract(label: string, open: () => Promise<Setup>): void {
  describe(`SecretLifecycleStore contract: ${label}`, () => {
    let s: Setup;
    beforeAll(async () => {
      s = await open();
    });
    afterAll(async () => s?.close());
    const secret = async (owner: string, name: string, expiresAt: string | null = null) =>
      s.secrets.insert(s.db, { owner, name, currentVersion: 1, createdAt: T(1), createdBy: 'u1', updatedAt: T(1), updatedBy: 'u1', lastAccessedAt: null, expiresAt, rotationPeriodDays: null });
    const pending = async (owner: string, name: string, at: string) =>
      ({ owner, name, dataKeyId: await s.dataKey(owner), nonce: randomBytes(12), ciphertext: randomBytes(20), createdAt: at, createdBy: 'u2' });

    it('keeps one pending value per secret: set replaces, delete says whether there was one', async () => {
      const owner = newOwner();
      await secret(owner, 'A');
      await secret(owner, 'B');
      const first = await pending(owner, 'A', T(2));
      await s.lifecycle.setPending(s.db, first);
      const second = await pending(owner, 'A', T(3));
      await s.lifecycle.setPending(s.db, second);
      await s.lifecycle.setPending(s.db, await pending(owner, 'B', T(4)));
      const got = await s.lifecycle.pending(s.db, owner, ['A']);
      expect(got).toEqual([second]);
      expect((await s.lifecycle.pending(s.db, owner)).map((p) => p.name)).toEqual(['A', 'B']);
      expect((await s.lifecycle.allPending(s.db)).filter((p) => p.owner === owner)).toHaveLength(2);
      expect(await s.lifecycle.pending(s.db, owner, [])).toEqual([]);
      expect(await s.lifecycle.pending(s.db, newOwner())).toEqual([]);
      expect(await s.lifecycle.deletePending(s.db, owner, 'A')).toBe(true);
      expect(await s.lifecycle.deletePending(s.db, owner, 'A')).toBe(false);
      expect((await s.lifecycle.pending(s.db, owner)).map((p) => p.name)).toEqual(['B']);
    });

    it('claims a reminder once per secret, expiry and reminder; deleteReminders starts afresh', async () => {
      const owner = newOwner();
      const e = { owner, name: 'R', expiresAt: T(100) };
      expect(await s.lifecycle.claimReminder(s.db, e, '30d', T(5))).toBe(true);
      expect(await s.lifecycle.claimReminder(s.db, e, '30d', T(6))).toBe(false);
      expect(await s.lifecycle.claimReminder(s.db, e, '7d', T(6))).toBe(true);
      expect(await s.lifecycle.claimReminder(s.db, { ...e, expiresAt: T(200) }, '30d', T(6))).toBe(true);
      await s.lifecycle.deleteReminders(s.db, owner, 'R');
      expect(await s.lifecycle.claimReminder(s.db, e, '30d', T(7))).toBe(true);
    });

    it('lists secrets expiring by a time, soonest first, until their final reminder is sent', async () => {
      const owner = newOwner();
      await secret(owner, 'LATER', T(300));
      await secret(owner, 'SOON', T(100));
      await secret(owner, 'NEVER');
      await secret(owner, 'FAR', T(900));
      const mine = async () => (await s.lifecycle.expiringBy(s.db, T(500), 1000)).filter((x) => x.owner === owner);
      expect(await mine()).toEqual([{ owner, name: 'SOON', expiresAt: T(100) }, { owner, name: 'LATER', expiresAt: T(300) }]);
      await s.lifecycle.claimReminder(s.db, { owner, name: 'SOON', expiresAt: T(100) }, '1d', T(50));
      expect((await mine()).map((x) => x.name)).toEqual(['SOON', 'LATER']);
      await s.lifecycle.claimReminder(s.db, { owner, name: 'SOON', expiresAt: T(100) }, 'expired', T(100));
      expect((await mine()).map((x) => x.name)).toEqual(['LATER']);
      // A moved expiry is a new one.
      await s.secrets.setExpiry(s.db, owner, 'SOON', T(150), null);
      expect((await mine()).map((x) => x.name)).toEqual(['SOON', 'LATER']);
    });
  });
}

for (const dialect of testDialects()) {
  lifecycleContract(`Kysely on ${dialect}`, async () => {
    const { handle, close } = await openContractStore(dialect);
    return {
      db: handle.db,
      secrets: createKyselySecretStore(),
      lifecycle: createKyselySecretLifecycleStore(),
      dataKey: contractDataKeys(handle.db),
      close,
    };
  });
}

lifecycleContract('in-memory fake', async () => {
  const secrets = createFakeSecretStore();
  const names: Array<{ owner: string; name: string }> = [];
  const tracked: SecretStore = { ...secrets, insert: async (db, r) => { await secrets.insert(db, r); names.push({ owner: r.owner, name: r.name }); } };
  return {
    db: new Proxy({}, { get: () => { throw new Error('the fake store must not touch the db'); } }) as DbOrTrx,
    secrets: tracked,
    lifecycle: createFakeSecretLifecycleStore(secrets, () => names),
    dataKey: async () => 'fake-data-key',
    close: async () => undefined,
  };
});
