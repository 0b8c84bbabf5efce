import type { DbOrTrx, SecretPendingTable } from '../store/database-types.ts';
import type { SecretLifecycleStore } from './secret-lifecycle-store.ts';
import type { PendingRecord } from './secret-types.ts';

const toPending = (r: SecretPendingTable): PendingRecord => ({
  owner: r.owner,
  name: r.name,
  dataKeyId: r.data_key_id,
  nonce: Buffer.from(r.nonce),
  ciphertext: Buffer.from(r.ciphertext),
  createdAt: r.created_at,
  createdBy: r.created_by,
});

/** The SecretLifecycleStore on Kysely, identical on SQLite and PostgreSQL. */
export function createKyselySecretLifecycleStore(): SecretLifecycleStore {
  return {
    async pending(db, owner, names) {
      if (names && names.length === 0) return [];
      let q = db.selectFrom('secret_pending').selectAll().where('owner', '=', owner);
      if (names) q = q.where('name', 'in', [...names]);
      return (await q.orderBy('name').execute()).map(toPending);
    },
    async allPending(db: DbOrTrx) {
      return (await db.selectFrom('secret_pending').selectAll().orderBy('owner').orderBy('name').execute()).map(toPending);
    },
    async setPending(db, p) {
      const row = { data_key_id: p.dataKeyId, nonce: p.nonce, ciphertext: p.ciphertext, created_at: p.createdAt, created_by: p.createdBy };
      await db
        .insertInto('secret_pending')
        .values({ owner: p.owner, name: p.name, ...row })
        .onConflict((oc) => oc.columns(['owner', 'name']).doUpdateSet(row))
        .execute();
    },
    async deletePending(db, owner, name) {
      const r = await db.deleteFrom('secret_pending').where('owner', '=', owner).where('name', '=', name).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },
    async expiringBy(db, until, limit) {
      const rows = await db
        .selectFrom('secrets as s')
        .select(['s.owner', 's.name', 's.expires_at'])
        .where('s.expires_at', 'is not', null)
        .where('s.expires_at', '<=', until)
        .where(({ not, exists, selectFrom }) =>
          not(exists(
            selectFrom('secret_reminders as r')
              .select('r.reminder')
              .whereRef('r.owner', '=', 's.owner')
              .whereRef('r.name', '=', 's.name')
              .whereRef('r.expires_at', '=', 's.expires_at')
              .where('r.reminder', '=', 'expired'),
          )))
        .orderBy('s.expires_at')
        .orderBy('s.owner')
        .orderBy('s.name')
        .limit(limit)
        .execute();
      return rows.map((r) => ({ owner: r.owner, name: r.name, expiresAt: r.expires_at as string }));
    },
    async claimReminder(db, s, reminder, at) {
      // The primary key decides: of two nodes inserting the same reminder, one inserts a row.
      const r = await db
        .insertInto('secret_reminders')
        .values({ owner: s.owner, name: s.name, expires_at: s.expiresAt, reminder, sent_at: at })
        .onConflict((oc) => oc.columns(['owner', 'name', 'expires_at', 'reminder']).doNothing())
        .executeTakeFirst();
      return Number(r.numInsertedOrUpdatedRows ?? 0n) > 0;
    },
    async deleteReminders(db, owner, name) {
      await db.deleteFrom('secret_reminders').where('owner', '=', owner).where('name', '=', name).execute();
    },
  };
}
