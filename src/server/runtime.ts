import fs from 'node:fs';
import { PASSWORD_PARAMS } from '../auth/password-fns.ts';
import { createServices, type HushServices } from '../app.ts';
import { createAuditStream } from '../audit/audit-stream.ts';
import type { HushConfig } from '../config/config.ts';
import { ConfigError } from '../config/config.ts';
import { PRIMARY_KEY_META } from '../crypto/crypto-service.ts';
import { createDataKeyStore } from '../crypto/data-key-store.ts';
import { envKeySource, fileKeySource, type KeySource } from '../crypto/keyring.ts';
import { openStore } from '../store/open-store.ts';

/** Picks the master-key source; PostgreSQL clusters must share one configured key. */
export function keySourceFor(config: HushConfig): KeySource {
  if (config.masterKeys) return envKeySource(config.masterKeys);
  if (config.databaseUrl) {
    throw new ConfigError(
      'HUSH_MASTER_KEY',
      'is required with PostgreSQL: every node must share one master key (a key file per node would split the cluster); generate one with `openssl rand -base64 32`',
    );
  }
  return fileKeySource(config.dataDir);
}

/** Opens the store, builds the services and checks the master key against stored data. */
export async function openRuntime(
  config: HushConfig,
  opts: { pgSchema?: string; now?: () => Date; onAuditError?: (message: string) => void } = {},
): Promise<HushServices> {
  const keySource = keySourceFor(config);
  fs.mkdirSync(config.dataDir, { recursive: true });
  const store = await openStore({
    dataDir: config.dataDir,
    databaseUrl: config.databaseUrl,
    poolSize: config.dbPoolSize,
    statementTimeoutMs: config.dbStatementTimeoutMs,
    pgSchema: opts.pgSchema,
  });
  try {
    const auditStream = config.auditStream ? createAuditStream(config.auditStream, opts.onAuditError ?? ((m) => process.stderr.write(`hush: ${m}\n`))) : undefined;
    const passwordParams = config.passwordScryptN ? { ...PASSWORD_PARAMS, N: config.passwordScryptN } : undefined;
    const services = createServices({ store, keySource, now: opts.now, auditStream, passwordParams, expirySweepMs: config.secretExpirySweepMs ?? undefined });
    await services.crypto.verifyMasterKey();
    const keys = createDataKeyStore();
    if (!(await keys.getMeta(store.db, PRIMARY_KEY_META))) {
      await keys.setMeta(store.db, PRIMARY_KEY_META, services.crypto.keyring().primary.id);
    }
    return services;
  } catch (e) {
    await store.close();
    throw e;
  }
}

/** Closes the domain modules in reverse build order, then the store. */
export async function closeServices(services: HushServices): Promise<void> {
  for (const m of [...services.modules].reverse()) await m.close();
  await services.store.close();
}
