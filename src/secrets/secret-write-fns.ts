import type { AuditService } from '../audit/audit-service.ts';
import type { Scope } from '../auth/scope-types.ts';
import type { CryptoService } from '../crypto/crypto-service.ts';
import { requirePermission } from '../auth/permission-fns.ts';
import { HushError } from '../errors/errors.ts';
import type { Db, DbOrTrx } from '../store/database-types.ts';
import { retryOnUniqueViolation } from '../store/retry-fns.ts';
import { checkRotationPeriod, expiryAfter, parseExpiresAt } from './secret-expiry-fns.ts';
import type { SecretLifecycleStore } from './secret-lifecycle-store.ts';
import type { SecretStore } from './secret-store.ts';
import type { SecretChange, SecretChangeKind, SecretRecord } from './secret-types.ts';

export const secretNotFound = (name: string): HushError => new HushError('not_found', `secret '${name}' not found`);

/** The audited write check every secret change goes through. */
export const requireSecretWrite = (audit: Pick<AuditService, 'record'>, scope: Scope, action: string, name: string): Promise<void> =>
  requirePermission(audit, scope, 'write', { action, target: name, doing: 'changing secrets' });

/** Expiry settings sent with a write: absent leaves them as they are, null clears them. */
export interface ExpiryInput {
  readonly expiresAt?: string | null;
  readonly rotationPeriodDays?: number | null;
}

export interface WriterDeps {
  readonly db: Db;
  readonly store: SecretStore;
  readonly lifecycle: SecretLifecycleStore;
  readonly crypto: Pick<CryptoService, 'encrypt'>;
  readonly audit: Pick<AuditService, 'record'>;
  readonly now: () => Date;
  readonly onChange?: (owner: string, change: SecretChange) => void;
}

export interface WriteRequest {
  readonly mode: 'create' | 'put';
  readonly restoredFrom?: number;
  /** Promote: the pending value saved at this time becomes current (refused if it changed meanwhile). */
  readonly promoting?: string;
  readonly expiry?: ExpiryInput;
}

/** Checks sent expiry settings (before any write). */
export function checkExpiry(e: ExpiryInput | undefined): ExpiryInput {
  if (!e) return {};
  return {
    ...(e.expiresAt !== undefined ? { expiresAt: parseExpiresAt(e.expiresAt) } : {}),
    ...(e.rotationPeriodDays !== undefined ? { rotationPeriodDays: checkRotationPeriod(e.rotationPeriodDays) } : {}),
  };
}

/**
 * The settings after a change. A new current value (`at` given) with a rotation period
 * expires that period after `at`, unless an expiry was sent with it.
 */
export function nextExpiry(existing: SecretRecord | null, e: ExpiryInput, at: string | null) {
  const rotationPeriodDays = e.rotationPeriodDays !== undefined ? e.rotationPeriodDays : (existing?.rotationPeriodDays ?? null);
  const fromRotation = at !== null && rotationPeriodDays !== null ? expiryAfter(at, rotationPeriodDays) : null;
  const expiresAt = e.expiresAt !== undefined ? e.expiresAt : (fromRotation ?? existing?.expiresAt ?? null);
  return { expiresAt, rotationPeriodDays };
}

const ACTIONS: Record<Exclude<SecretChangeKind, 'deleted' | 'staged' | 'discarded'>, string> = {
  created: 'secret.create', replaced: 'secret.replace', restored: 'secret.restore', promoted: 'secret.promote',
};

/**
 * Makes `value` the next current version of a secret, in one transaction: the version row,
 * the secret's pointer and expiry, the owner's change counter and the audit record (a
 * promote also drops the pending value there). Returns the committed change, already announced.
 */
export function createSecretWriter(deps: WriterDeps) {
  const { db, store } = deps;
  const writeIn = async (trx: DbOrTrx, scope: Scope, name: string, value: string, req: WriteRequest, now: string) => {
    const by = scope.principal.userId;
    const existing = await store.get(trx, scope.owner, name);
    if (existing && req.mode === 'create') throw new HushError('name_in_use', 'Failed to create secret: Name already in use', { details: { field: 'name' } });
    if (req.promoting !== undefined) {
      const [p] = await deps.lifecycle.pending(trx, scope.owner, [name]);
      if (!existing || !p || p.createdAt !== req.promoting) throw new HushError('conflict', `secret '${name}': its pending value changed while promoting; try again`);
      await deps.lifecycle.deletePending(trx, scope.owner, name);
    }
    // A value made current directly (replace, restore) supersedes a waiting pending value: that value
    // was staged against the old current one, and promoting it later would silently undo this write.
    const droppedPending = req.promoting === undefined && existing !== null && (await deps.lifecycle.deletePending(trx, scope.owner, name));
    const version = existing ? existing.currentVersion + 1 : 1;
    const enc = await deps.crypto.encrypt(trx, scope.owner, name, version, value);
    const expiry = nextExpiry(existing, req.expiry ?? {}, now);
    if (!existing) {
      await store.insert(trx, { owner: scope.owner, name, currentVersion: version, createdAt: now, createdBy: by, updatedAt: now, updatedBy: by, lastAccessedAt: null, ...expiry });
    }
    await store.insertVersion(trx, { owner: scope.owner, name, version, ...enc, createdAt: now, createdBy: by, restoredFrom: req.restoredFrom ?? null });
    if (existing) {
      await store.setCurrent(trx, scope.owner, name, version, now, by);
      if (expiry.expiresAt !== (existing.expiresAt ?? null) || expiry.rotationPeriodDays !== (existing.rotationPeriodDays ?? null)) {
        await store.setExpiry(trx, scope.owner, name, expiry.expiresAt, expiry.rotationPeriodDays);
      }
    }
    await store.bumpOwnerVersion(trx, scope.owner);
    const kind: SecretChangeKind = req.promoting !== undefined ? 'promoted' : req.restoredFrom !== undefined ? 'restored' : existing ? 'replaced' : 'created';
    const what = req.restoredFrom !== undefined ? `restored version ${req.restoredFrom} as version ${version}` : kind === 'promoted' ? `pending value promoted as version ${version}` : `version ${version}`;
    const detail = droppedPending ? `${what}; the waiting pending value was discarded` : what;
    await deps.audit.record({ owner: scope.owner, actorId: by, action: ACTIONS[kind], target: name, detail }, trx);
    return { kind, version, droppedPending };
  };

  return async (scope: Scope, name: string, value: string, req: WriteRequest): Promise<SecretChange> => {
    const at = deps.now().toISOString();
    const c = await retryOnUniqueViolation(() => db.transaction().execute((trx) => writeIn(trx, scope, name, value, req, at)));
    const change: SecretChange = { owner: scope.owner, name, kind: c.kind, version: c.version, actorId: scope.principal.userId, at, ...(req.restoredFrom !== undefined ? { restoredFrom: req.restoredFrom } : {}) };
    deps.onChange?.(scope.owner, change);
    if (c.droppedPending) deps.onChange?.(scope.owner, { ...change, kind: 'discarded', version: c.version });
    return change;
  };
}

export type SecretWriter = ReturnType<typeof createSecretWriter>;
