import { createFakeSecretStore } from '../../src/secrets/fake-secret-store.ts';
import { createKyselySecretStore } from '../../src/secrets/secret-store-kysely.ts';
import type { DbOrTrx } from '../../src/store/database-types.ts';
import { testDialects } from '../support/pg-fns.ts';
import { secretStoreContract } from './secret-store-contract.ts';
import { contractDataKeys, openContractStore } from './store-harness.ts';

for (const dialect of testDialects()) {
  secretStoreContract(`Kysely on ${dialect}`, async () => {
    const { handle, close } = await openContractStore(dialect);
    return {
      db: handle.db,
      store: createKyselySecretStore(),
      dataKey: contractDataKeys(handle.db),
      close,
    };
  });
}

secretStoreContract('in-memory fake', async () => ({
  // The fake ignores its db argument; nothing may be called on it.
  db: new Proxy({}, { get: () => { throw new Error('the fake store must not touch the db'); } }) as DbOrTrx,
  store: createFakeSecretStore(),
  dataKey: async () => 'fake-data-key',
  close: async () => undefined,
}));
