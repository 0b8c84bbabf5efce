import type { DbOrTrx } from '../store/database-types.ts';

export interface DataKeyWrapping {
  readonly dataKeyId: string;
  readonly masterKeyId: string;
  readonly wrapped: Buffer;
}

/** Queries on data keys and their wrappings. */
export interface DataKeyStore {
  newestForOwner(db: DbOrTrx, owner: string): Promise<string | null>;
  insert(db: DbOrTrx, id: string, owner: string, createdAt: string, wrappings: readonly DataKeyWrapping[]): Promise<void>;
  wrappings(db: DbOrTrx, dataKeyId: string): Promise<DataKeyWrapping[]>;
  allIds(db: DbOrTrx): Promise<string[]>;
  addWrapping(db: DbOrTrx, w: DataKeyWrapping): Promise<void>;
  /** Deletes wrappings under every master key except `keepMasterKeyId`. */
  pruneWrappings(db: DbOrTrx, keepMasterKeyId: string): Promise<number>;
  getMeta(db: DbOrTrx, key: string): Promise<string | null>;
  setMeta(db: DbOrTrx, key: string, value: string): Promise<void>;
}

export function createDataKeyStore(): DataKeyStore {
  return {
    async newestForOwner(db, owner) {
      const row = await db
        .selectFrom('data_keys')
        .select('id')
        .where('owner', '=', owner)
        .orderBy('created_at', 'desc')
        .orderBy('id')
        .limit(1)
        .executeTakeFirst();
      return row?.id ?? null;
    },
    async insert(db, id, owner, createdAt, wrappings) {
      await db.insertInto('data_keys').values({ id, owner, created_at: createdAt }).execute();
      await db
        .insertInto('data_key_wrappings')
        .values(wrappings.map((w) => ({ data_key_id: w.dataKeyId, master_key_id: w.masterKeyId, wrapped: w.wrapped })))
        .execute();
    },
    async wrappings(db, dataKeyId) {
      const rows = await db.selectFrom('data_key_wrappings').selectAll().where('data_key_id', '=', dataKeyId).execute();
      return rows.map((r) => ({ dataKeyId: r.data_key_id, masterKeyId: r.master_key_id, wrapped: Buffer.from(r.wrapped) }));
    },
    async allIds(db) {
      return (await db.selectFrom('data_keys').select('id').orderBy('id').execute()).map((r) => r.id);
    },
    async addWrapping(db, w) {
      await db
        .insertInto('data_key_wrappings')
        .values({ data_key_id: w.dataKeyId, master_key_id: w.masterKeyId, wrapped: w.wrapped })
        .onConflict((oc) => oc.columns(['data_key_id', 'master_key_id']).doNothing())
        .execute();
    },
    async pruneWrappings(db, keep) {
      const r = await db.deleteFrom('data_key_wrappings').where('master_key_id', '!=', keep).executeTakeFirst();
      return Number(r.numDeletedRows);
    },
    async getMeta(db, key) {
      const row = await db.selectFrom('meta').select('value').where('key', '=', key).executeTakeFirst();
      return row?.value ?? null;
    },
    async setMeta(db, key, value) {
      await db
        .insertInto('meta')
        .values({ key, value })
        .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
        .execute();
    },
  };
}
