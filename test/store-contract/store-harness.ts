import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
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
