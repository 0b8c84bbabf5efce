import type { Db } from '../store/database-types.ts';
import { createCryptoService } from './crypto-service.ts';
import { createDataKeyStore } from './data-key-store.ts';
import type { KeySource } from './keyring.ts';

/** What a key check found: every count was opened with the configured master key. */
export interface StoreCheck {
  readonly dataKeys: number;
  readonly secretVersions: number;
  /** The master key ids the stored data keys are wrapped with. */
  readonly wrappedBy: readonly string[];
}

const PAGE = 500;

/**
 * Opens every data key and decrypts every stored secret version with the configured
 * master key (nothing is kept or printed). Used by `hush backup` and `hush restore` so a
 * copy is known to be usable before anything depends on it. Throws `integrity_error`
 * naming the first data key or secret that cannot be opened.
 */
export async function checkStoreOpens(db: Db, keySource: KeySource): Promise<StoreCheck> {
  const dataKeys = createDataKeyStore();
  const crypto = createCryptoService({ db, keySource, dataKeys, now: () => new Date() });
  const wrappedBy = await db.selectFrom('data_key_wrappings').select('master_key_id').distinct().orderBy('master_key_id').execute();
  const keyIds = await dataKeys.allIds(db);
  let versions = 0;
  // Keyset pages over the primary key: the cost stays flat however many versions are stored.
  let after: { owner: string; name: string; version: number } | null = null;
  for (;;) {
    let q = db.selectFrom('secret_versions').select(['owner', 'name', 'version', 'data_key_id', 'nonce', 'ciphertext']);
    if (after) {
      const a: { owner: string; name: string; version: number } = after;
      q = q.where((eb) =>
        eb.or([
          eb('owner', '>', a.owner),
          eb.and([eb('owner', '=', a.owner), eb('name', '>', a.name)]),
          eb.and([eb('owner', '=', a.owner), eb('name', '=', a.name), eb('version', '>', a.version)]),
        ]),
      );
    }
    const rows = await q.orderBy('owner').orderBy('name').orderBy('version').limit(PAGE).execute();
    for (const r of rows) {
      const version = Number(r.version);
      await crypto.decrypt(r.owner, r.name, version, { dataKeyId: r.data_key_id, nonce: Buffer.from(r.nonce), ciphertext: Buffer.from(r.ciphertext) });
      versions += 1;
    }
    if (rows.length < PAGE) break;
    const last = rows[rows.length - 1]!;
    after = { owner: last.owner, name: last.name, version: Number(last.version) };
  }
  // Data keys no secret uses yet must open too: the next write under that owner needs them.
  for (const id of keyIds) await crypto.verifyDataKey(id);
  return { dataKeys: keyIds.length, secretVersions: versions, wrappedBy: wrappedBy.map((w) => w.master_key_id) };
}
