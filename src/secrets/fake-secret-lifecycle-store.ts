import type { SecretLifecycleStore } from './secret-lifecycle-store.ts';
import type { SecretStore } from './secret-store.ts';
import type { ExpiringSecret, PendingRecord } from './secret-types.ts';

/**
 * An in-memory SecretLifecycleStore for service tests; it ignores `db` and reads expiries
 * from the (fake) secret store it is given. Passes the same contract suite as the real store.
 */
export function createFakeSecretLifecycleStore(secrets?: Pick<SecretStore, 'get'>, owners: () => ReadonlyArray<{ owner: string; name: string }> = () => []): SecretLifecycleStore {
  const pending = new Map<string, PendingRecord>();
  const reminders = new Set<string>();
  const key = (...parts: string[]) => parts.join('\0');
  const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const copy = (p: PendingRecord): PendingRecord => ({ ...p, nonce: Buffer.from(p.nonce), ciphertext: Buffer.from(p.ciphertext) });
  const sorted = () => [...pending.values()].sort((a, b) => byText(a.owner, b.owner) || byText(a.name, b.name));
  return {
    async pending(_db, owner, names) {
      const wanted = names ? new Set(names) : null;
      return sorted().filter((p) => p.owner === owner && (!wanted || wanted.has(p.name))).map(copy);
    },
    async allPending() {
      return sorted().map(copy);
    },
    async setPending(_db, p) {
      pending.set(key(p.owner, p.name), copy(p));
    },
    async deletePending(_db, owner, name) {
      return pending.delete(key(owner, name));
    },
    async expiringBy(db, until, limit) {
      const out: ExpiringSecret[] = [];
      for (const { owner, name } of owners()) {
        const s = await secrets?.get(db, owner, name);
        if (s?.expiresAt != null && s.expiresAt <= until && !reminders.has(key(owner, name, s.expiresAt, 'expired'))) out.push({ owner, name, expiresAt: s.expiresAt });
      }
      return out.sort((a, b) => byText(a.expiresAt, b.expiresAt) || byText(a.owner, b.owner) || byText(a.name, b.name)).slice(0, limit);
    },
    async claimReminder(_db, s, reminder) {
      const k = key(s.owner, s.name, s.expiresAt, reminder);
      if (reminders.has(k)) return false;
      reminders.add(k);
      return true;
    },
    async deleteReminders(_db, owner, name) {
      for (const k of reminders) if (k.startsWith(key(owner, name) + '\0')) reminders.delete(k);
    },
  };
}
