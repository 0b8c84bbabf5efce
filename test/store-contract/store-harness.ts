import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { createDataKeyStore } from '../../src/crypto/data-key-store.ts';
import { openStore, type StoreHandle } from '../../src/store/open-store.ts';
import { createTestSchema, TEST_PG_URL } from '../support/pg-fns.ts';

/** A migrated store of its own: SQLite in a temp dir, or PostgreSQL in a fresh schema. */
export interface ContractStore {
  readonly handle: StoreHandle;
  close(): Promise<void>;
}

export async function openContractStore(dialect: 'sqlite' | 'postgres'): Promise<ContractStore> {
  if (dialect === 'postgres') {
    if (!TEST_PG_URL) throw new Error('HUSH_TEST_DATABASE_URL is not set');
    const schema = await createTestSchema(TEST_PG_URL);
    const handle = await openStore({ dataDir: os.tmpdir(), databaseUrl: TEST_PG_URL, pgSchema: schema.schema, poolSize: 4 });
    return {
      handle,
      async close() {
        await handle.close();
        await schema.drop();
      },
    };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hush-contract-'));
  const handle = await openStore({ dataDir: dir, databaseUrl: null });
  return {
    handle,
    async close() {
      await handle.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A fresh store for each test of the calling suite, closed after it; call the answer for the current one. */
export function storePerTest(dialect: 'sqlite' | 'postgres'): () => ContractStore {
  let store: ContractStore | undefined;
  beforeEach(async () => {
    store = await openContractStore(dialect);
  });
  afterEach(async () => {
    await store?.close();
  });
  return () => store as ContractStore;
}

/** Data key ids that rows may reference (real stores enforce the foreign key): one per owner, made on first use. */
export function contractDataKeys(db: StoreHandle['db']): (owner: string) => Promise<string> {
  const keys = createDataKeyStore();
  const byOwner = new Map<string, string>();
  return async (owner) => {
    const known = byOwner.get(owner);
    if (known) return known;
    const id = randomBytes(12).toString('hex');
    await keys.insert(db, id, owner, new Date().toISOString(), [{ dataKeyId: id, masterKeyId: 'mk', wrapped: randomBytes(60) }]);
    byOwner.set(owner, id);
    return id;
  };
}
