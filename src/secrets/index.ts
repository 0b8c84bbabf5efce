import type { AuditService } from '../audit/audit-service.ts';
import type { AuthService } from '../auth/auth-service.ts';
import { createCryptoService, type CryptoService } from '../crypto/crypto-service.ts';
import { createDataKeyStore } from '../crypto/data-key-store.ts';
import type { KeySource } from '../crypto/keyring.ts';
import type { Db } from '../store/database-types.ts';
import type { HushModule } from '../shared/module-types.ts';
import { createSecretImportService, type SecretImportService } from './secret-import-service.ts';
import { createKyselySecretConsumerStore } from './secret-consumer-store.ts';
import { createSecretResolver, type SecretResolver } from './secret-resolver.ts';
import { createKyselySecretLifecycleStore } from './secret-lifecycle-store-kysely.ts';
import { createSecretRotationService, type SecretRotationService } from './secret-rotation-service.ts';
import { createSecretService, type SecretService } from './secret-service.ts';
import { createKyselySecretStore } from './secret-store-kysely.ts';
import type { SecretStore } from './secret-store.ts';
import type { SecretChange } from './secret-types.ts';
import { createExpirySweep, type ExpiryReminder, type ExpirySweep } from './secret-expiry-sweep.ts';

export interface SecretsModule extends HushModule<{ readonly secrets: SecretService; readonly secretRotation: SecretRotationService; readonly secretImport: SecretImportService; readonly resolver: SecretResolver; readonly crypto: CryptoService }> {
  /** The store, for modules that record which integration or function uses a secret. */
  readonly secretStore: SecretStore;
  /** Registers a callback run after any secret change on this node commits. */
  onChange(fn: (owner: string, change: SecretChange) => void): void;
  /** The expiry reminder sweep: `sweep()` runs one now. */
  readonly expirySweep: ExpirySweep;
  /** Starts the periodic sweep on a node, publishing claimed reminders with `publish`; errors go to `onError`. */
  startExpiryReminders(publish: (r: ExpiryReminder) => Promise<void>, onError?: (err: unknown) => void): void;
}

/** Builds secrets: envelope encryption, the write-only secret service and the value resolver; `close` flushes usage records. */
export function buildSecretsModule(deps: {
  db: Db; keySource: KeySource; audit: Pick<AuditService, 'record'>; auth: Pick<AuthService, 'emailsByIds'>; now: () => Date;
  /** Expiry sweep interval (default 60 s). */
  expirySweepMs?: number;
}): SecretsModule {
  const { db, now } = deps;
  const crypto = createCryptoService({ db, keySource: deps.keySource, dataKeys: createDataKeyStore(), now });
  const secretStore = createKyselySecretStore();
  const listeners: Array<(owner: string, change: SecretChange) => void> = [];
  const onChange = (owner: string, change: SecretChange) => listeners.forEach((fn) => fn(owner, change));
  const lifecycle = createKyselySecretLifecycleStore();
  const consumers = createKyselySecretConsumerStore();
  const secrets = createSecretService({ db, store: secretStore, lifecycle, consumers, crypto, audit: deps.audit, auth: deps.auth, now, onChange });
  const secretRotation = createSecretRotationService({ db, store: secretStore, lifecycle, crypto, audit: deps.audit, secrets, now, onChange });
  const resolver = createSecretResolver({ db, store: secretStore, lifecycle, crypto, consumers, now });
  // A deleted secret's uses not yet written must not count for one recreated under its name.
  listeners.push((owner, change) => (change.kind === 'deleted' ? resolver.forget(owner, change.name) : undefined));
  const secretImport = createSecretImportService({ db, store: secretStore, crypto, secrets });
  let publishReminder: (r: ExpiryReminder) => Promise<void> = async () => undefined;
  let sweepError: (err: unknown) => void = () => undefined;
  const expirySweep = createExpirySweep({ db, lifecycle, now, publish: (r) => publishReminder(r), intervalMs: deps.expirySweepMs, onError: (e) => sweepError(e) });
  return {
    services: { secrets, secretRotation, secretImport, resolver, crypto },
    secretStore,
    onChange: (fn) => void listeners.push(fn),
    expirySweep,
    startExpiryReminders(publish, onError) {
      publishReminder = publish;
      if (onError) sweepError = onError;
      expirySweep.start();
    },
    async close() {
      await expirySweep.stop();
      await resolver.close();
    },
  };
}
