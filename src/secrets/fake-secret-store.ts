import type { SecretStore } from './secret-store.ts';
import type { SecretRecord, SecretUsage, SecretVersionRecord } from './secret-types.ts';

/**
 * An in-memory SecretStore for fast service tests. It ignores the `db` argument (so it
 * has no transactions: a rolled-back write stays written) and otherwise behaves like the
 * Kysely store: both pass the same contract suite (test/store-contract).
 */
export function createFakeSecretStore(): SecretStore {
  const secrets = new Map<string, SecretRecord>();
  const versions = new Map<string, SecretVersionRecord>();
  let usages: Array<SecretUsage & { readonly owner: string }> = [];
  const ownerVersions = new Map<string, number>();

  const key = (...parts: Array<string | number>) => parts.join('\0');
  // Binary order, as SQLite and PostgreSQL (C collation) sort text.
  const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const uniqueViolation = (what: string) => Object.assign(new Error(`duplicate key value violates unique constraint (${what})`), { code: '23505' });
  const copyVersion = (v: SecretVersionRecord): SecretVersionRecord => ({ ...v, nonce: Buffer.from(v.nonce), ciphertext: Buffer.from(v.ciphertext) });
  const versionsOf = (owner: string, name: string) => [...versions.values()].filter((v) => v.owner === owner && v.name === name);

  return {
    async list(_db, owner) {
      return [...secrets.values()].filter((s) => s.owner === owner).sort((a, b) => byText(a.name, b.name)).map((s) => ({ ...s }));
    },
    async get(_db, owner, name) {
      const s = secrets.get(key(owner, name));
      return s ? { ...s } : null;
    },
    async insert(_db, s) {
      if (secrets.has(key(s.owner, s.name))) throw uniqueViolation('secrets_pk');
      secrets.set(key(s.owner, s.name), { ...s, expiresAt: s.expiresAt ?? null, rotationPeriodDays: s.rotationPeriodDays ?? null });
    },
    async setCurrent(_db, owner, name, version, at, by) {
      const s = secrets.get(key(owner, name));
      if (s) secrets.set(key(owner, name), { ...s, currentVersion: version, updatedAt: at, updatedBy: by });
    },
    async delete(_db, owner, name) {
      for (const v of versionsOf(owner, name)) versions.delete(key(owner, name, v.version));
      return secrets.delete(key(owner, name));
    },
    async insertVersion(_db, v) {
      const k = key(v.owner, v.name, v.version);
      if (versions.has(k)) throw uniqueViolation('secret_versions_pk');
      versions.set(k, copyVersion(v));
    },
    async version(_db, owner, name, version) {
      const v = versions.get(key(owner, name, version));
      return v ? copyVersion(v) : null;
    },
    async versions(_db, owner, name) {
      return versionsOf(owner, name).sort((a, b) => b.version - a.version).map(copyVersion);
    },
    async currentVersions(_db, owner, names) {
      const wanted = names ? new Set(names) : null;
      return [...secrets.values()]
        .filter((s) => s.owner === owner && (!wanted || wanted.has(s.name)))
        .sort((a, b) => byText(a.name, b.name))
        .flatMap((s) => {
          const v = versions.get(key(owner, s.name, s.currentVersion));
          return v ? [copyVersion(v)] : [];
        });
    },
    async usages(_db, owner, names) {
      const wanted = names ? new Set(names) : null;
      return usages
        .filter((u) => u.owner === owner && (!wanted || wanted.has(u.secretName)))
        .sort((a, b) => byText(a.consumerName, b.consumerName) || byText(a.consumerId, b.consumerId))
        .map(({ owner: _owner, ...u }) => u);
    },
    async setUsages(_db, owner, consumer, names) {
      usages = usages.filter((u) => !(u.owner === owner && u.consumerType === consumer.consumerType && u.consumerId === consumer.consumerId));
      for (const secretName of new Set(names)) usages.push({ owner, secretName, ...consumer });
    },
    async touch(_db, owner, name, at) {
      const s = secrets.get(key(owner, name));
      if (s && (s.lastAccessedAt === null || s.lastAccessedAt < at)) secrets.set(key(owner, name), { ...s, lastAccessedAt: at });
    },
    async setExpiry(_db, owner, name, expiresAt, rotationPeriodDays) {
      const s = secrets.get(key(owner, name));
      if (s) secrets.set(key(owner, name), { ...s, expiresAt, rotationPeriodDays });
    },
    async bumpOwnerVersion(_db, owner) {
      ownerVersions.set(owner, (ownerVersions.get(owner) ?? 0) + 1);
    },
    async ownerVersion(_db, owner) {
      return ownerVersions.get(owner) ?? 0;
    },
  };
}
