import type { AuditService } from '../audit/audit-service.ts';
import type { AuthService } from '../auth/auth-service.ts';
import { createCryptoService, type CryptoService } from '../crypto/crypto-service.ts';
import { createDataKeyStore } from '../crypto/data-key-store.ts';
import type { KeySource } from '../crypto/keyring.ts';
import type { Db } from '../store/database-types.ts';
import type { HushModule } from '../shared/module-types.ts';
import { createSecretImportService, type SecretImportService } from './secret-import-service.ts';
import { createSecretResolver, type SecretResolver } from './secret-resolver.ts';
import { createSecretService, type SecretService } from './secret-service.ts';
import { createKyselySecretStore } from './secret-store-kysely.ts';
import type { SecretStore } from './secret-store.ts';
import type { SecretChange } from './secret-types.ts';

export interface SecretsModule extends HushModule<{ readonly secrets: SecretService; readonly secretImport: SecretImportService; readonly resolver: SecretResolver; readonly crypto: CryptoService }> {
  /** The store, for modules that record which integration or function uses a secret. */
  readonly secretStore: SecretStore;
  /** Registers a callback run after any secret change on this node commits. */
  onChange(fn: (owner: string, change: SecretChange) => void): void;
}

/** Builds secrets: envelope encryption, the write-only secret service and the value resolver; `close` flushes usage records. */
export function buildSecretsModule(deps: { db: Db; keySource: KeySource; audit: Pick<AuditService, 'record'>; auth: Pick<AuthService, 'emailsByIds'>; now: () => Date }): SecretsModule {
  const { db, now } = deps;
  const crypto = createCryptoService({ db, keySource: deps.keySource, dataKeys: createDataKeyStore(), now });
  const secretStore = createKyselySecretStore();
  const listeners: Array<(owner: string, change: SecretChange) => void> = [];
  const onChange = (owner: string, change: SecretChange) => listeners.forEach((fn) => fn(owner, change));
  const secrets = createSecretService({ db, store: secretStore, crypto, audit: deps.audit, auth: deps.auth, now, onChange });
  const resolver = createSecretResolver({ db, store: secretStore, crypto, now });
  const secretImport = createSecretImportService({ db, store: secretStore, crypto, secrets });
  return { services: { secrets, secretImport, resolver, crypto }, secretStore, onChange: (fn) => void listeners.push(fn), close: () => resolver.close() };
}
