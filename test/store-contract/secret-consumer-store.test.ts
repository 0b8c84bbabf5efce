import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKyselySecretConsumerStore, type ConsumerUse } from '../../src/secrets/secret-consumer-store.ts';
import { createSecretResolver } from '../../src/secrets/secret-resolver.ts';
import { createKyselySecretStore } from '../../src/secrets/secret-store-kysely.ts';
import type { Db } from '../../src/store/database-types.ts';
import { testDialects } from '../support/pg-fns.ts';
import { openContractStore, type ContractStore } from './store-harness.ts';

const newOwner = () => `user:${randomBytes(12).toString('hex')}`;
const secrets = createKyselySecretStore();
const consumers = createKyselySecretConsumerStore();

/** Access by consumer on both databases: additive counts, forward-only last use, deletes and trimming. */
describe.each(testDialects())('SecretConsumerStore on %s', (dialect) => {
  let store: ContractStore;
  let db: Db;
  beforeAll(async () => {
    store = await openContractStore(dialect);
    db = store.handle.db;
  });
  afterAll(async () => store?.close());

  const secret = (owner: string, name: string) =>
    secrets.insert(db, { owner, name, currentVersion: 1, createdAt: '2026-01-01T00:00:00.000Z', createdBy: 'u1', updatedAt: '2026-01-01T00:00:00.000Z', updatedBy: 'u1', lastAccessedAt: null });
  const use = (owner: string, over: Partial<ConsumerUse> = {}): ConsumerUse => ({
    owner, secretName: 'TOKEN', kind: 'integration', consumerId: 'i1', day: '2026-03-10', uses: 1, lastUsedAt: '2026-03-10T10:00:00.000Z', ...over,
  });

  it('adds uses per consumer and day (as two nodes would) and moves the last use forward only', async () => {
    const owner = newOwner();
    await secret(owner, 'TOKEN');
    await db.insertInto('secret_usages').values({ owner, secret_name: 'TOKEN', consumer_type: 'integration', consumer_id: 'i1', consumer_name: 'Hook one', product_slug: null }).execute();
    await consumers.add(db, use(owner, { uses: 3, lastUsedAt: '2026-03-10T12:00:00.000Z' }));
    await consumers.add(db, use(owner, { uses: 2, lastUsedAt: '2026-03-10T11:00:00.000Z' }));
    await consumers.add(db, use(owner, { day: '2026-03-11', uses: 4, lastUsedAt: '2026-03-11T01:00:00.000Z' }));
    await consumers.add(db, use(owner, { kind: 'logic', consumerId: 'f1', uses: 7 }));
    const r = await consumers.forSecret(db, owner, 'TOKEN', '2026-03-01');
    expect(r.days).toEqual(
      expect.arrayContaining([
        { kind: 'integration', consumerId: 'i1', day: '2026-03-10', uses: 5 },
        { kind: 'integration', consumerId: 'i1', day: '2026-03-11', uses: 4 },
        { kind: 'logic', consumerId: 'f1', day: '2026-03-10', uses: 7 },
      ]),
    );
    expect(r.days).toHaveLength(3);
    const byId = new Map(r.consumers.map((c) => [c.consumerId, c]));
    expect(byId.get('i1')).toEqual({ kind: 'integration', consumerId: 'i1', consumerName: 'Hook one', lastUsedAt: '2026-03-11T01:00:00.000Z' });
    expect(byId.get('f1')).toEqual({ kind: 'logic', consumerId: 'f1', consumerName: null, lastUsedAt: '2026-03-10T10:00:00.000Z' });
    expect((await consumers.forSecret(db, owner, 'TOKEN', '2026-03-11')).days).toEqual([{ kind: 'integration', consumerId: 'i1', day: '2026-03-11', uses: 4 }]);
  });

  it('writes nothing for a secret that does not exist, and a delete starts a recreated secret at zero', async () => {
    const owner = newOwner();
    await consumers.add(db, use(owner));
    expect(await consumers.forSecret(db, owner, 'TOKEN', '2000-01-01')).toEqual({ consumers: [], days: [] });
    await secret(owner, 'TOKEN');
    await secret(owner, 'OTHER');
    await consumers.add(db, use(owner));
    await consumers.add(db, use(owner, { secretName: 'OTHER' }));
    await consumers.deleteForSecret(db, owner, 'TOKEN');
    await secrets.delete(db, owner, 'TOKEN');
    await secret(owner, 'TOKEN');
    expect(await consumers.forSecret(db, owner, 'TOKEN', '2000-01-01')).toEqual({ consumers: [], days: [] });
    expect((await consumers.forSecret(db, owner, 'OTHER', '2000-01-01')).days).toHaveLength(1);
  });

  it('trims day rows before the cut-off, and consumer rows that stopped using the secret before it', async () => {
    const owner = newOwner();
    await secret(owner, 'TOKEN');
    await db.insertInto('secret_usages').values({ owner, secret_name: 'TOKEN', consumer_type: 'logic', consumer_id: 'still', consumer_name: 'Still here', product_slug: null }).execute();
    await consumers.add(db, use(owner, { consumerId: 'gone', day: '2026-01-05', lastUsedAt: '2026-01-05T08:00:00.000Z' }));
    await consumers.add(db, use(owner, { kind: 'logic', consumerId: 'still', day: '2026-01-06', lastUsedAt: '2026-01-06T08:00:00.000Z' }));
    await consumers.add(db, use(owner, { consumerId: 'recent', day: '2026-02-20', lastUsedAt: '2026-02-20T08:00:00.000Z' }));
    await consumers.trim(db, '2026-02-01');
    const r = await consumers.forSecret(db, owner, 'TOKEN', '2000-01-01');
    expect(r.days).toEqual([{ kind: 'integration', consumerId: 'recent', day: '2026-02-20', uses: 1 }]);
    expect(r.consumers.map((c) => c.consumerId).sort()).toEqual(['recent', 'still']);
    expect(r.consumers.find((c) => c.consumerId === 'still')?.lastUsedAt).toBe('2026-01-06T08:00:00.000Z');
  });

  it('the resolver counts uses in memory and writes them in one coalesced flush, trimming old days', async () => {
    const owner = newOwner();
    await secret(owner, 'TOKEN');
    await consumers.add(db, use(owner, { consumerId: 'old', day: '2026-01-01', lastUsedAt: '2026-01-01T00:00:00.000Z' }));
    const now = new Date('2026-03-10T09:30:00.000Z');
    const unused = () => {
      throw new Error('not used by counting');
    };
    const resolver = createSecretResolver({
      db, store: secrets, consumers, now: () => now, flushMs: 3_600_000,
      lifecycle: { pending: unused, allPending: unused }, crypto: { decrypt: unused },
    });
    for (let i = 0; i < 5; i++) resolver.recordUse(owner, ['TOKEN'], { kind: 'integration', id: 'i1' });
    resolver.recordUse(owner, ['TOKEN'], { kind: 'logic', id: 'f1' });
    expect((await consumers.forSecret(db, owner, 'TOKEN', '2026-03-10')).days).toEqual([]);
    await resolver.flush();
    const r = await consumers.forSecret(db, owner, 'TOKEN', '2000-01-01');
    expect(r.days).toEqual(
      expect.arrayContaining([
        { kind: 'integration', consumerId: 'i1', day: '2026-03-10', uses: 5 },
        { kind: 'logic', consumerId: 'f1', day: '2026-03-10', uses: 1 },
      ]),
    );
    expect(r.days).toHaveLength(2);
    expect(r.consumers.map((c) => c.consumerId).sort()).toEqual(['f1', 'i1']);
    // Uses of a deleted secret still in memory are dropped, not written for a recreated one.
    resolver.recordUse(owner, ['TOKEN'], { kind: 'integration', id: 'late' });
    resolver.forget(owner, 'TOKEN');
    await resolver.flush();
    expect((await consumers.forSecret(db, owner, 'TOKEN', '2000-01-01')).consumers.map((c) => c.consumerId)).not.toContain('late');
    await resolver.close();
  });
});
