import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuditService } from '../../src/audit/audit-service.ts';
import { createDataKeyStore } from '../../src/crypto/data-key-store.ts';
import type { Db } from '../../src/store/database-types.ts';
import { openStore } from '../../src/store/open-store.ts';
import { createTestSchema, testDialects, TEST_PG_URL } from '../support/pg-fns.ts';
import { openContractStore, type ContractStore } from './store-harness.ts';

const hex = (n: number) => randomBytes(n).toString('hex');
const T = (n: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString();

describe.each(testDialects())('DataKeyStore and audit ordering (%s)', (dialect) => {
  let cs: ContractStore;
  let db: Db;
  const keys = createDataKeyStore();
  const wrap = (dataKeyId: string, masterKeyId: string) => ({ dataKeyId, masterKeyId, wrapped: randomBytes(60) });

  beforeAll(async () => {
    cs = await openContractStore(dialect);
    db = cs.handle.db;
  });
  afterAll(async () => cs?.close());

  describe('DataKeyStore', () => {
    it('inserts data keys with wrappings; newestForOwner picks the newest', async () => {
      const owner = `user:${hex(12)}`;
      expect(await keys.newestForOwner(db, owner)).toBeNull();
      const [k1, k2] = [hex(12), hex(12)];
      const w1 = [wrap(k1, 'mk-a'), wrap(k1, 'mk-b')];
      await keys.insert(db, k1, owner, T(1), w1);
      await keys.insert(db, k2, owner, T(2), [wrap(k2, 'mk-a')]);
      const otherId = hex(12);
      await keys.insert(db, otherId, `user:${hex(12)}`, T(3), [wrap(otherId, 'mk-a')]);
      expect(await keys.newestForOwner(db, owner)).toBe(k2);
      const got = (await keys.wrappings(db, k1)).sort((a, b) => (a.masterKeyId < b.masterKeyId ? -1 : 1));
      expect(got).toEqual(w1);
      expect(Buffer.isBuffer(got[0].wrapped)).toBe(true);
      expect(await keys.wrappings(db, hex(12))).toEqual([]);
      expect(await keys.allIds(db)).toEqual(expect.arrayContaining([k1, k2]));
      const ids = await keys.allIds(db);
      expect(ids).toEqual([...ids].sort());
    });

    it('addWrapping ignores a duplicate; pruneWrappings keeps only the given master key', async () => {
      const id = hex(12);
      await keys.insert(db, id, `org:${hex(12)}`, T(4), [wrap(id, 'mk-old')]);
      const fresh = wrap(id, 'mk-new');
      await keys.addWrapping(db, fresh);
      await keys.addWrapping(db, { ...fresh, wrapped: randomBytes(60) });
      expect((await keys.wrappings(db, id)).find((w) => w.masterKeyId === 'mk-new')).toEqual(fresh);
      const before = (await db.selectFrom('data_key_wrappings').select('master_key_id').execute()).filter((r) => r.master_key_id !== 'mk-new').length;
      expect(await keys.pruneWrappings(db, 'mk-new')).toBe(before);
      expect(await keys.wrappings(db, id)).toEqual([fresh]);
    });

    it('stores meta values and replaces them', async () => {
      expect(await keys.getMeta(db, 'contract_key')).toBeNull();
      await keys.setMeta(db, 'contract_key', 'one');
      await keys.setMeta(db, 'contract_key', 'two');
      expect(await keys.getMeta(db, 'contract_key')).toBe('two');
    });
  });

  describe('audit service', () => {
    it('lists an owner’s entries newest first, even several in one millisecond', async () => {
      const owner = `org:${hex(12)}` as const;
      const sameMs = new Date(Date.UTC(2026, 1, 1));
      const audit = createAuditService({ db, now: () => sameMs });
      const actions = Array.from({ length: 12 }, (_, i) => `secret.replace#${i}`);
      for (const action of actions) await audit.record({ owner, actorId: 'u1', action, target: 'KEY' });
      await audit.record({ owner: `org:${hex(12)}`, actorId: 'u1', action: 'elsewhere', target: 'KEY' });
      const listed = await audit.list(owner);
      expect(listed.map((e) => e.action)).toEqual([...actions].reverse());
      expect(listed[0]).toEqual({ id: expect.any(String), owner, actorId: 'u1', action: 'secret.replace#11', target: 'KEY', outcome: 'ok', detail: null, createdAt: sameMs.toISOString() });
    });

    it('orders by time across milliseconds and pages with limit/before', async () => {
      const owner = `user:${hex(12)}` as const;
      let t = Date.UTC(2026, 2, 1);
      const audit = createAuditService({ db, now: () => new Date((t += 7)) });
      for (let i = 0; i < 5; i++) await audit.record({ owner, actorId: `u${i}`, action: `a${i}`, target: 'T', outcome: i === 2 ? 'denied' : 'ok', detail: i === 2 ? 'role view-only' : undefined });
      const all = await audit.list(owner);
      expect(all.map((e) => e.action)).toEqual(['a4', 'a3', 'a2', 'a1', 'a0']);
      expect(all[2]).toMatchObject({ outcome: 'denied', detail: 'role view-only', actorId: 'u2' });
      const page1 = await audit.list(owner, { limit: 2 });
      expect(page1.map((e) => e.action)).toEqual(['a4', 'a3']);
      const page2 = await audit.list(owner, { limit: 2, before: page1[1].id });
      expect(page2.map((e) => e.action)).toEqual(['a2', 'a1']);
      expect((await audit.list(owner, { limit: 0 })).map((e) => e.action)).toEqual(['a4']);
    });

    it('records inside the caller’s transaction (rolled back with it)', async () => {
      const owner = `user:${hex(12)}` as const;
      const audit = createAuditService({ db, now: () => new Date() });
      await db
        .transaction()
        .execute(async (trx) => {
          await audit.record({ owner, actorId: 'u1', action: 'secret.create', target: 'X' }, trx);
          throw new Error('roll back');
        })
        .catch(() => undefined);
      expect(await audit.list(owner)).toEqual([]);
    });
  });
});

describe.skipIf(!TEST_PG_URL)('PostgreSQL migrations are confined to their schema', () => {
  it('migrates a fresh schema while another schema already holds Kysely’s tables', async () => {
    const url = TEST_PG_URL ?? '';
    const [decoy, mine] = [await createTestSchema(url), await createTestSchema(url)];
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(`create table ${decoy.schema}.kysely_migration (name varchar(255) primary key, timestamp varchar(255) not null)`);
      await client.query(`create table ${decoy.schema}.kysely_migration_lock (id varchar(255) primary key, is_locked integer not null default 0)`);
      const store = await openStore({ dataDir: os.tmpdir(), databaseUrl: url, pgSchema: mine.schema, poolSize: 2 });
      try {
        const tables = await sql<{ t: string }>`select table_name as t from information_schema.tables where table_schema = ${mine.schema}`.execute(store.db);
        expect(tables.rows.map((r) => r.t)).toEqual(expect.arrayContaining(['kysely_migration', 'kysely_migration_lock', 'secrets', 'users']));
        expect((await client.query(`select count(*)::int as n from ${decoy.schema}.kysely_migration`)).rows[0].n).toBe(0);
      } finally {
        await store.close();
      }
    } finally {
      await client.end();
      await decoy.drop();
      await mine.drop();
    }
  });
});
