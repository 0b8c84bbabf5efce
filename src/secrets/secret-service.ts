import type { AuditService } from '../audit/audit-service.ts';
import type { AuthService } from '../auth/auth-service.ts';
import type { Scope } from '../auth/scope-types.ts';
import type { CryptoService } from '../crypto/crypto-service.ts';
import { HushError } from '../errors/errors.ts';
import type { Db } from '../store/database-types.ts';
import { secretNameProblem, secretValueProblem, shortValueWarning } from './secret-name-fns.ts';
import { applyListQuery, consumerViews, firstShownDay, type SecretListQuery, unusedDays } from './secret-consumer-fns.ts';
import type { SecretConsumerStore } from './secret-consumer-store.ts';
import type { SecretLifecycleStore } from './secret-lifecycle-store.ts';
import type { SecretStore } from './secret-store.ts';
import type { SecretChange, SecretDetailsView, SecretView, SecretVersionView } from './secret-types.ts';
import { toSecretViews } from './secret-view-fns.ts';
import { checkExpiry, createSecretWriter, type ExpiryInput, requireSecretWrite, secretNotFound } from './secret-write-fns.ts';

export interface SecretWriteResult {
  readonly secret: SecretView;
  readonly warning: string | null;
  readonly created: boolean;
}

/** Managing secrets through a scope (sandbox or org) with role checks and audit. */
export interface SecretService {
  /** Every secret by name, or filtered and ordered by last access. */
  list(scope: Scope, query?: SecretListQuery): Promise<SecretView[]>;
  /** One secret with its consumers' uses per day. */
  get(scope: Scope, name: string): Promise<SecretDetailsView>;
  /** POST: fails when the name exists. */
  create(scope: Scope, name: string, value: unknown, expiry?: ExpiryInput): Promise<SecretWriteResult>;
  /** PUT: create or replace. */
  put(scope: Scope, name: string, value: unknown, expiry?: ExpiryInput): Promise<SecretWriteResult>;
  remove(scope: Scope, name: string): Promise<void>;
  versions(scope: Scope, name: string): Promise<SecretVersionView[]>;
  restore(scope: Scope, name: string, version: number): Promise<SecretWriteResult>;
}

export interface SecretServiceDeps {
  readonly db: Db;
  readonly store: SecretStore;
  readonly lifecycle: SecretLifecycleStore;
  readonly consumers: Pick<SecretConsumerStore, 'forSecret' | 'deleteForSecret'>;
  readonly crypto: Pick<CryptoService, 'encrypt' | 'decrypt'>;
  readonly audit: Pick<AuditService, 'record'>;
  readonly auth: Pick<AuthService, 'emailsByIds'>;
  readonly now: () => Date;
  /** Called after a change commits (cache invalidation, cross-node notification, change events). */
  readonly onChange?: (owner: string, change: SecretChange) => void;
}

const notFound = secretNotFound;

export function createSecretService(deps: SecretServiceDeps): SecretService {
  const { db, store } = deps;

  const requireWrite = (scope: Scope, action: string, name: string) => requireSecretWrite(deps.audit, scope, action, name);

  const checkName = (name: string) => {
    const problem = secretNameProblem(name);
    if (!problem) return;
    // An empty name has nothing to quote ("Secret name is required: ''" reads as a glitch).
    throw new HushError('invalid_name', name === '' ? problem : `${problem}: '${name.length > 140 ? name.slice(0, 140) + '…' : name}'`);
  };
  const checkValue = (value: unknown): string => {
    if (typeof value !== 'string') throw new HushError('validation_failed', 'secret value must be a string');
    const problem = secretValueProblem(value);
    if (problem) throw new HushError('validation_failed', problem);
    return value;
  };

  const view = async (owner: string, name: string): Promise<SecretView> => {
    const rec = await store.get(db, owner, name);
    if (!rec) throw notFound(name);
    const pending = await deps.lifecycle.pending(db, owner, [name]);
    const [v] = await toSecretViews([rec], await store.usages(db, owner, [name]), deps.auth, owner, { pending, now: deps.now() });
    return v;
  };

  const writer = createSecretWriter(deps);
  const write = async (scope: Scope, name: string, value: string, mode: 'create' | 'put', expiry?: ExpiryInput, restoredFrom?: number): Promise<SecretWriteResult> => {
    const change = await writer(scope, name, value, { mode, expiry: checkExpiry(expiry), restoredFrom });
    return { secret: await view(scope.owner, name), warning: shortValueWarning(value), created: change.kind === 'created' };
  };

  return {
    async list(scope, query = {}) {
      const recs = await store.list(db, scope.owner);
      const pending = await deps.lifecycle.pending(db, scope.owner);
      const now = deps.now();
      return applyListQuery(await toSecretViews(recs, await store.usages(db, scope.owner), deps.auth, scope.owner, { pending, now }), query, now);
    },
    async get(scope, name) {
      checkName(name);
      const now = deps.now();
      const v = await view(scope.owner, name);
      const { consumers, days } = await deps.consumers.forSecret(db, scope.owner, name, firstShownDay(now));
      const usages = await store.usages(db, scope.owner, [name]);
      return { ...v, consumers: consumerViews(usages, consumers, days, now), unused_days: unusedDays(v.last_accessed_at, now) };
    },
    async create(scope, name, value, expiry) {
      await requireWrite(scope, 'secret.create', name);
      checkName(name);
      return write(scope, name, checkValue(value), 'create', expiry);
    },
    async put(scope, name, value, expiry) {
      await requireWrite(scope, 'secret.replace', name);
      checkName(name);
      return write(scope, name, checkValue(value), 'put', expiry);
    },
    async remove(scope, name) {
      await requireWrite(scope, 'secret.delete', name);
      checkName(name);
      const at = deps.now().toISOString();
      const version = await db.transaction().execute(async (trx) => {
        const rec = await store.get(trx, scope.owner, name);
        if (!rec) throw notFound(name);
        const users = await store.usages(trx, scope.owner, [name]);
        if (users.length > 0) {
          const list = users.map((u) => `${u.consumerType === 'logic' ? 'Logic function' : 'integration'} '${u.consumerName}'`).join(', ');
          throw new HushError('secret_in_use', `Secret ${name} is in use by integrations or Logic Functions and cannot be deleted: ${list}`);
        }
        await store.delete(trx, scope.owner, name);
        await deps.consumers.deleteForSecret(trx, scope.owner, name);
        await deps.lifecycle.deletePending(trx, scope.owner, name);
        await deps.lifecycle.deleteReminders(trx, scope.owner, name);
        await store.bumpOwnerVersion(trx, scope.owner);
        await deps.audit.record({ owner: scope.owner, actorId: scope.principal.userId, action: 'secret.delete', target: name }, trx);
        return rec.currentVersion;
      });
      deps.onChange?.(scope.owner, { owner: scope.owner, name, kind: 'deleted', version, actorId: scope.principal.userId, at });
    },
    async versions(scope, name) {
      checkName(name);
      const rec = await store.get(db, scope.owner, name);
      if (!rec) throw notFound(name);
      const versions = await store.versions(db, scope.owner, name);
      const emails = await deps.auth.emailsByIds(versions.map((v) => v.createdBy));
      return versions.map((v) => ({
        version: v.version,
        created_at: v.createdAt,
        created_by: v.createdBy,
        created_by_username: emails.get(v.createdBy) ?? null,
        current: v.version === rec.currentVersion,
        restored_from: v.restoredFrom,
      }));
    },
    async restore(scope, name, version) {
      await requireWrite(scope, 'secret.restore', name);
      checkName(name);
      // A missing secret is "not found", as on every other route, not "has no version N".
      if (!(await store.get(db, scope.owner, name))) throw notFound(name);
      const old = await store.version(db, scope.owner, name, version);
      if (!old) throw new HushError('not_found', `secret '${name}' has no version ${version}`);
      // The ciphertext is bound to its version number, so restoring re-encrypts the old
      // value as a new version rather than re-pointing at the old row.
      const value = await deps.crypto.decrypt(scope.owner, name, version, old);
      return write(scope, name, value, 'put', undefined, version);
    },
  };
}
