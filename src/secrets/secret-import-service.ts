import type { Scope } from '../auth/scope-types.ts';
import type { CryptoService } from '../crypto/crypto-service.ts';
import { HushError } from '../errors/errors.ts';
import type { Db } from '../store/database-types.ts';
import { readDotenv } from './dotenv-fns.ts';
import type { SecretService } from './secret-service.ts';
import type { SecretStore } from './secret-store.ts';

export interface ImportReport {
  readonly created: readonly string[];
  readonly replaced: readonly string[];
  readonly unchanged: readonly string[];
}

/**
 * `hush secrets import`: upserts every pair of a dotenv file through the secret service (so
 * each change is versioned, audited and announced like an API write). A file with any
 * invalid name or value is refused whole, naming the lines, before anything is stored; a
 * pair whose value equals the current one is left alone (no new version).
 */
export function createSecretImportService(deps: { db: Db; store: SecretStore; crypto: Pick<CryptoService, 'decrypt'>; secrets: Pick<SecretService, 'put'> }) {
  const current = async (owner: string, name: string): Promise<string | null> => {
    const rec = await deps.store.get(deps.db, owner, name);
    const version = rec ? await deps.store.version(deps.db, owner, name, rec.currentVersion) : null;
    return version ? deps.crypto.decrypt(owner, name, version.version, version) : null;
  };
  return {
    async importDotenv(scope: Scope, text: string): Promise<ImportReport> {
      const { entries, problems } = readDotenv(text);
      if (problems.length > 0) {
        const lines = problems.map((p) => `line ${p.line}: ${p.message}`).join('; ');
        throw new HushError('validation_failed', `nothing was imported: ${lines}`);
      }
      if (entries.length === 0) throw new HushError('validation_failed', 'nothing was imported: the file holds no NAME=value pair');
      const report = { created: [] as string[], replaced: [] as string[], unchanged: [] as string[] };
      for (const e of entries) {
        const before = await current(scope.owner, e.name);
        if (before === e.value) {
          report.unchanged.push(e.name);
          continue;
        }
        const r = await deps.secrets.put(scope, e.name, e.value);
        (r.created ? report.created : report.replaced).push(e.name);
      }
      return report;
    },
  };
}

export type SecretImportService = ReturnType<typeof createSecretImportService>;
