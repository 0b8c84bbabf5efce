import type { DbOrTrx } from '../store/database-types.ts';
import type { SecretStore } from './secret-store.ts';
import type { SecretRecord, SecretUsage, SecretVersionRecord } from './secret-types.ts';

type SecretRow = { owner: string; name: string; current_version: number; created_at: string; created_by: string; updated_at: string; updated_by: string; last_accessed_at: string | null; expires_at: string | null; rotation_period_days: number | null };
type VersionRow = { owner: string; name: string; version: number; data_key_id: string; nonce: Buffer; ciphertext: Buffer; created_at: string; created_by: string; restored_from: number | null };

const toSecret = (r: SecretRow): SecretRecord => ({
  owner: r.owner,
  name: r.name,
  currentVersion: Number(r.current_version),
  createdAt: r.created_at,
  createdBy: r.created_by,
  updatedAt: r.updated_at,
  updatedBy: r.updated_by,
  lastAccessedAt: r.last_accessed_at,
  expiresAt: r.expires_at,
  rotationPeriodDays: r.rotation_period_days === null ? null : Number(r.rotation_period_days),
});

const toVersion = (r: VersionRow): SecretVersionRecord => ({
  owner: r.owner,
  name: r.name,
  version: Number(r.version),
  dataKeyId: r.data_key_id,
  nonce: Buffer.from(r.nonce),
  ciphertext: Buffer.from(r.ciphertext),
  createdAt: r.created_at,
  createdBy: r.created_by,
  restoredFrom: r.restored_from === null ? null : Number(r.restored_from),
});

/** The SecretStore on Kysely, identical on SQLite and PostgreSQL. */
export function createKyselySecretStore(): SecretStore {
  return {
    async list(db, owner) {
      return (await db.selectFrom('secrets').selectAll().where('owner', '=', owner).orderBy('name').execute()).map(toSecret);
    },
    async get(db, owner, name) {
      const r = await db.selectFrom('secrets').selectAll().where('owner', '=', owner).where('name', '=', name).executeTakeFirst();
      return r ? toSecret(r) : null;
    },
    async insert(db, s) {
      await db
        .insertInto('secrets')
        .values({
          owner: s.owner,
          name: s.name,
          current_version: s.currentVersion,
          created_at: s.createdAt,
          created_by: s.createdBy,
          updated_at: s.updatedAt,
          updated_by: s.updatedBy,
          last_accessed_at: s.lastAccessedAt,
          expires_at: s.expiresAt ?? null,
          rotation_period_days: s.rotationPeriodDays ?? null,
        })
        .execute();
    },
    async setCurrent(db, owner, name, version, at, by) {
      await db
        .updateTable('secrets')
        .set({ current_version: version, updated_at: at, updated_by: by })
        .where('owner', '=', owner)
        .where('name', '=', name)
        .execute();
    },
    async delete(db, owner, name) {
      await db.deleteFrom('secret_versions').where('owner', '=', owner).where('name', '=', name).execute();
      const r = await db.deleteFrom('secrets').where('owner', '=', owner).where('name', '=', name).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },
    async insertVersion(db, v) {
      await db
        .insertInto('secret_versions')
        .values({
          owner: v.owner,
          name: v.name,
          version: v.version,
          data_key_id: v.dataKeyId,
          nonce: v.nonce,
          ciphertext: v.ciphertext,
          created_at: v.createdAt,
          created_by: v.createdBy,
          restored_from: v.restoredFrom,
        })
        .execute();
    },
    async version(db, owner, name, version) {
      const r = await db
        .selectFrom('secret_versions')
        .selectAll()
        .where('owner', '=', owner)
        .where('name', '=', name)
        .where('version', '=', version)
        .executeTakeFirst();
      return r ? toVersion(r) : null;
    },
    async versions(db, owner, name) {
      const rows = await db
        .selectFrom('secret_versions')
        .selectAll()
        .where('owner', '=', owner)
        .where('name', '=', name)
        .orderBy('version', 'desc')
        .execute();
      return rows.map(toVersion);
    },
    async currentVersions(db, owner, names) {
      if (names && names.length === 0) return [];
      let q = db
        .selectFrom('secret_versions as v')
        .innerJoin('secrets as s', (j) =>
          j.onRef('s.owner', '=', 'v.owner').onRef('s.name', '=', 'v.name').onRef('s.current_version', '=', 'v.version'),
        )
        .selectAll('v')
        .where('v.owner', '=', owner);
      if (names) q = q.where('v.name', 'in', [...names]);
      return (await q.orderBy('v.name').execute()).map(toVersion);
    },
    async usages(db, owner, names) {
      if (names && names.length === 0) return [];
      let q = db.selectFrom('secret_usages').selectAll().where('owner', '=', owner);
      if (names) q = q.where('secret_name', 'in', [...names]);
      const rows = await q.orderBy('consumer_name').orderBy('consumer_id').execute();
      return rows.map(
        (r): SecretUsage => ({
          secretName: r.secret_name,
          consumerType: r.consumer_type === 'logic' ? 'logic' : 'integration',
          consumerId: r.consumer_id,
          consumerName: r.consumer_name,
          productSlug: r.product_slug,
        }),
      );
    },
    async setUsages(db, owner, consumer, names) {
      await db
        .deleteFrom('secret_usages')
        .where('owner', '=', owner)
        .where('consumer_type', '=', consumer.consumerType)
        .where('consumer_id', '=', consumer.consumerId)
        .execute();
      const unique = [...new Set(names)];
      if (unique.length === 0) return;
      await db
        .insertInto('secret_usages')
        .values(
          unique.map((n) => ({
            owner,
            secret_name: n,
            consumer_type: consumer.consumerType,
            consumer_id: consumer.consumerId,
            consumer_name: consumer.consumerName,
            product_slug: consumer.productSlug,
          })),
        )
        .execute();
    },
    async touch(db, owner, name, at) {
      await db
        .updateTable('secrets')
        .set({ last_accessed_at: at })
        .where('owner', '=', owner)
        .where('name', '=', name)
        .where((eb) => eb.or([eb('last_accessed_at', 'is', null), eb('last_accessed_at', '<', at)]))
        .execute();
    },
    async setExpiry(db, owner, name, expiresAt, rotationPeriodDays) {
      await db.updateTable('secrets').set({ expires_at: expiresAt, rotation_period_days: rotationPeriodDays }).where('owner', '=', owner).where('name', '=', name).execute();
    },
    async bumpOwnerVersion(db, owner) {
      await db
        .insertInto('owner_state')
        .values({ owner, secrets_version: 1 })
        .onConflict((oc) => oc.column('owner').doUpdateSet((eb) => ({ secrets_version: eb('owner_state.secrets_version', '+', 1) })))
        .execute();
    },
    async ownerVersion(db, owner) {
      const r = await db.selectFrom('owner_state').select('secrets_version').where('owner', '=', owner).executeTakeFirst();
      return r ? Number(r.secrets_version) : 0;
    },
  };
}
