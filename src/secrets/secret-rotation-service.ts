import type { AuditService } from '../audit/audit-service.ts';
import type { Scope } from '../auth/scope-types.ts';
import type { CryptoService } from '../crypto/crypto-service.ts';
import { HushError } from '../errors/errors.ts';
import type { Db } from '../store/database-types.ts';
import { secretNameProblem, secretValueProblem, shortValueWarning } from './secret-name-fns.ts';
import type { SecretLifecycleStore } from './secret-lifecycle-store.ts';
import type { SecretService, SecretWriteResult } from './secret-service.ts';
import type { SecretStore } from './secret-store.ts';
import { PENDING_VERSION, type SecretChange } from './secret-types.ts';
import { checkExpiry, createSecretWriter, nextExpiry, type ExpiryInput, requireSecretWrite, secretNotFound } from './secret-write-fns.ts';

/** Staged rotation (save a value as pending, promote it, discard it) and expiry settings. */
export interface SecretRotationService {
  /** Saves `value` as the secret's pending value; deliveries and runs keep the current one. */
  stage(scope: Scope, name: string, value: unknown, expiry?: ExpiryInput): Promise<SecretWriteResult>;
  /** Makes the pending value current: one transaction, a new version, audited, announced. */
  promote(scope: Scope, name: string): Promise<SecretWriteResult>;
  discard(scope: Scope, name: string): Promise<SecretWriteResult>;
  /** Changes `expires_at` and `rotation_period_days` only. */
  setExpiry(scope: Scope, name: string, expiry: ExpiryInput): Promise<SecretWriteResult>;
}

export interface SecretRotationDeps {
  readonly db: Db;
  readonly store: SecretStore;
  readonly lifecycle: SecretLifecycleStore;
  readonly crypto: Pick<CryptoService, 'encrypt' | 'decrypt'>;
  readonly audit: Pick<AuditService, 'record'>;
  /** For the answers' views (and the name check). */
  readonly secrets: Pick<SecretService, 'get'>;
  readonly now: () => Date;
  readonly onChange?: (owner: string, change: SecretChange) => void;
}

const notFound = secretNotFound;
const noPending = (name: string) => new HushError('not_found', `secret '${name}' has no pending value`);

export function createSecretRotationService(deps: SecretRotationDeps): SecretRotationService {
  const { db, store, lifecycle } = deps;
  const writer = createSecretWriter(deps);
  const requireWrite = async (scope: Scope, action: string, name: string) => {
    await requireSecretWrite(deps.audit, scope, action, name);
    const problem = secretNameProblem(name);
    if (problem) throw new HushError('invalid_name', `${problem}: '${name.slice(0, 140)}'`);
  };
  const answer = async (scope: Scope, name: string, warning: string | null = null): Promise<SecretWriteResult> =>
    ({ secret: await deps.secrets.get(scope, name), warning, created: false });
  const announce = (scope: Scope, name: string, kind: 'staged' | 'discarded', version: number, at: string) =>
    deps.onChange?.(scope.owner, { owner: scope.owner, name, kind, version, actorId: scope.principal.userId, at });

  return {
    async stage(scope, name, value, expiry) {
      await requireWrite(scope, 'secret.stage', name);
      if (typeof value !== 'string') throw new HushError('validation_failed', 'secret value must be a string');
      const problem = secretValueProblem(value);
      if (problem) throw new HushError('validation_failed', problem);
      const settings = checkExpiry(expiry);
      const at = deps.now().toISOString();
      const by = scope.principal.userId;
      const version = await db.transaction().execute(async (trx) => {
        const rec = await store.get(trx, scope.owner, name);
        // A pending value replaces a current one; a new secret has nothing to test against.
        if (!rec) throw notFound(name);
        const enc = await deps.crypto.encrypt(trx, scope.owner, name, PENDING_VERSION, value);
        await lifecycle.setPending(trx, { owner: scope.owner, name, ...enc, createdAt: at, createdBy: by });
        if (settings.expiresAt !== undefined || settings.rotationPeriodDays !== undefined) {
          const e = nextExpiry(rec, settings, null);
          await store.setExpiry(trx, scope.owner, name, e.expiresAt, e.rotationPeriodDays);
        }
        // Maskers learn the pending value before any test run can print it.
        await store.bumpOwnerVersion(trx, scope.owner);
        await deps.audit.record({ owner: scope.owner, actorId: by, action: 'secret.stage', target: name, detail: `pending value saved (current version ${rec.currentVersion})` }, trx);
        return rec.currentVersion;
      });
      announce(scope, name, 'staged', version, at);
      return answer(scope, name, shortValueWarning(value));
    },
    async promote(scope, name) {
      await requireWrite(scope, 'secret.promote', name);
      if (!(await store.get(db, scope.owner, name))) throw notFound(name);
      const [p] = await lifecycle.pending(db, scope.owner, [name]);
      if (!p) throw noPending(name);
      const value = await deps.crypto.decrypt(scope.owner, name, PENDING_VERSION, p);
      await writer(scope, name, value, { mode: 'put', promoting: p.createdAt });
      return answer(scope, name);
    },
    async discard(scope, name) {
      await requireWrite(scope, 'secret.discard', name);
      const at = deps.now().toISOString();
      const version = await db.transaction().execute(async (trx) => {
        const rec = await store.get(trx, scope.owner, name);
        if (!rec) throw notFound(name);
        if (!(await lifecycle.deletePending(trx, scope.owner, name))) throw noPending(name);
        await store.bumpOwnerVersion(trx, scope.owner);
        await deps.audit.record({ owner: scope.owner, actorId: scope.principal.userId, action: 'secret.discard', target: name, detail: 'pending value discarded' }, trx);
        return rec.currentVersion;
      });
      announce(scope, name, 'discarded', version, at);
      return answer(scope, name);
    },
    async setExpiry(scope, name, expiry) {
      await requireWrite(scope, 'secret.expiry', name);
      const settings = checkExpiry(expiry);
      await db.transaction().execute(async (trx) => {
        const rec = await store.get(trx, scope.owner, name);
        if (!rec) throw notFound(name);
        const e = nextExpiry(rec, settings, null);
        await store.setExpiry(trx, scope.owner, name, e.expiresAt, e.rotationPeriodDays);
        const detail = `expires_at ${e.expiresAt ?? 'none'}, rotation_period_days ${e.rotationPeriodDays ?? 'none'}`;
        await deps.audit.record({ owner: scope.owner, actorId: scope.principal.userId, action: 'secret.expiry', target: name, detail }, trx);
      });
      return answer(scope, name);
    },
  };
}
