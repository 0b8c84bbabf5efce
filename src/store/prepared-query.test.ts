import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestSchema, TEST_PG_URL, testDialects } from '../../test/support/pg-fns.ts';
import { openStore, type StoreHandle } from './open-store.ts';
import { prepareQuery } from './prepared-query.ts';

const byOwner = prepareQuery((db, arg) =>
  db.selectFrom('event_log').select(['id', 'ttl']).where('owner', '=', arg(0)).where('source', '=', 'api').orderBy('id').limit(arg(1)),
);
const insertRows = prepareQuery((db, arg, size) =>
  db.insertInto('event_log').values(
    Array.from({ length: size }, (_, i) => ({
      id: arg(i * 3), owner: arg(i * 3 + 1), name: 'n', data: null, ttl: arg(i * 3 + 2), is_public: 0, published_at: 'p', coreid: 'api',
      product_id: null, device_id: null, user_id: null, source: 'api', created_ms: 0,
    })),
  ),
);
const deleteOwner = prepareQuery((db, arg) => db.deleteFrom('event_log').where('owner', '=', arg(0)));

describe.each(testDialects())('prepared queries on %s', (dialect) => {
  let store: StoreHandle;
  let dir: string;
  let drop: () => Promise<void> = async () => undefined;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hush-prep-'));
    let pgSchema: string | undefined;
    if (dialect === 'postgres') {
      const s = await createTestSchema(TEST_PG_URL as string);
      pgSchema = s.schema;
      drop = s.drop;
    }
    store = await openStore({ dataDir: dir, databaseUrl: dialect === 'postgres' ? TEST_PG_URL : null, pgSchema });
  });
  afterAll(async () => {
    await store?.close();
    await drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('binds new arguments to one compiled statement, keeps the constants, and picks shapes by size', async () => {
    await insertRows.execute(store.db, ['a1', 'A', 5, 'a2', 'A', 6], 2);
    await insertRows.execute(store.db, ['b1', 'B', 7], 1);
    await store.db.insertInto('event_log').values({ id: 'a3', owner: 'A', name: 'n', data: null, ttl: 1, is_public: 0, published_at: 'p', coreid: 'api', product_id: null, device_id: null, user_id: null, source: 'hook', created_ms: 0 }).execute();
    expect((await byOwner.execute(store.db, ['A', 10])).rows.map((r) => [r.id, Number(r.ttl)])).toEqual([['a1', 5], ['a2', 6]]);
    expect((await byOwner.execute(store.db, ['A', 1])).rows.map((r) => r.id)).toEqual(['a1']);
    expect((await byOwner.execute(store.db, ['B', 10])).rows.map((r) => r.id)).toEqual(['b1']);
    expect((await byOwner.execute(store.db, ['nobody', 10])).rows).toEqual([]);
  });

  it("runs on the caller's transaction and reports affected rows", async () => {
    await expect(
      store.db.transaction().execute(async (trx) => {
        await insertRows.execute(trx, ['c1', 'C', 1], 1);
        expect((await byOwner.execute(trx, ['C', 10])).rows.map((r) => r.id)).toEqual(['c1']);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect((await byOwner.execute(store.db, ['C', 10])).rows).toEqual([]);
    expect(Number((await deleteOwner.execute(store.db, ['B'])).numAffectedRows)).toBe(1);
    expect((await byOwner.execute(store.db, ['B', 10])).rows).toEqual([]);
  });
});

it('refuses an argument that would be spliced into the SQL text', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hush-prep-'));
  const store = await openStore({ dataDir: dir, databaseUrl: null });
  try {
    const bad = prepareQuery((db, arg) => db.selectFrom('event_log').select('id').where('owner', '=', 'x').orderBy(arg(0)));
    await expect(bad.execute(store.db, ['id'])).rejects.toThrow('ended up in the SQL text');
  } finally {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
