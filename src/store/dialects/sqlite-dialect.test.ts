import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, expect, it } from 'vitest';
import { openStore, type StoreHandle } from '../open-store.ts';

let dir: string;
let store: StoreHandle | null = null;
afterEach(async () => {
  await store?.close();
  store = null;
  fs.rmSync(dir, { recursive: true, force: true });
});

it('copies the write-ahead log into the database file from its own thread, not in the committing call', async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hush-wal-'));
  store = await openStore({ dataDir: dir, databaseUrl: null });
  const dbFile = path.join(dir, 'hush.db');
  const auto = await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(store.db);
  expect(Number(auto.rows[0]?.wal_autocheckpoint)).toBe(8192); // far above the ~2 MB written below
  const before = fs.statSync(dbFile).size;
  const row = (i: number) => ({
    id: `e${String(i).padStart(8, '0')}`, owner: 'user:1', name: 'n', data: 'x'.repeat(2000), ttl: 60, is_public: 0,
    published_at: 'p', coreid: 'api', product_id: null, device_id: null, user_id: null, source: 'api', created_ms: 0,
  });
  for (let i = 0; i < 1000; i += 100) {
    await store.db.insertInto('event_log').values(Array.from({ length: 100 }, (_, k) => row(i + k))).execute();
  }
  // About 2 MB was committed to the log; only the checkpoint thread moves it into the file.
  const deadline = Date.now() + 15_000;
  while (fs.statSync(dbFile).size < before + 1_500_000 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  expect(fs.statSync(dbFile).size).toBeGreaterThan(before + 1_500_000);
  expect(Number((await store.db.selectFrom('event_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst())?.n)).toBe(1000);
});

it('close stops the checkpoint thread, and the data is there when opened again', async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hush-wal-'));
  const first = await openStore({ dataDir: dir, databaseUrl: null });
  await first.db.insertInto('event_log').values({ id: 'e1', owner: 'user:1', name: 'n', data: null, ttl: 60, is_public: 0, published_at: 'p', coreid: 'api', product_id: null, device_id: null, user_id: null, source: 'api', created_ms: 0 }).execute();
  await first.close();
  store = await openStore({ dataDir: dir, databaseUrl: null });
  expect((await store.db.selectFrom('event_log').select('id').execute()).map((r) => r.id)).toEqual(['e1']);
});
