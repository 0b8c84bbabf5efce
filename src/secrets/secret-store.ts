import type { DbOrTrx } from '../store/database-types.ts';
import type { SecretRecord, SecretUsage, SecretVersionRecord } from './secret-types.ts';

/** Secret rows, their versions, who uses them, and the per-owner change counter. */
export interface SecretStore {
  list(db: DbOrTrx, owner: string): Promise<SecretRecord[]>;
  get(db: DbOrTrx, owner: string, name: string): Promise<SecretRecord | null>;
  insert(db: DbOrTrx, s: SecretRecord): Promise<void>;
  setCurrent(db: DbOrTrx, owner: string, name: string, version: number, at: string, by: string): Promise<void>;
  delete(db: DbOrTrx, owner: string, name: string): Promise<boolean>;
  insertVersion(db: DbOrTrx, v: SecretVersionRecord): Promise<void>;
  version(db: DbOrTrx, owner: string, name: string, version: number): Promise<SecretVersionRecord | null>;
  versions(db: DbOrTrx, owner: string, name: string): Promise<SecretVersionRecord[]>;
  /** Current versions of the named secrets (all of the owner's when `names` is omitted). */
  currentVersions(db: DbOrTrx, owner: string, names?: readonly string[]): Promise<SecretVersionRecord[]>;
  usages(db: DbOrTrx, owner: string, names?: readonly string[]): Promise<SecretUsage[]>;
  /** Replaces every usage row of one consumer. */
  setUsages(db: DbOrTrx, owner: string, consumer: Omit<SecretUsage, 'secretName'>, names: readonly string[]): Promise<void>;
  /** Moves last_accessed_at forward only (safe when several nodes write). */
  touch(db: DbOrTrx, owner: string, name: string, at: string): Promise<void>;
  setExpiry(db: DbOrTrx, owner: string, name: string, expiresAt: string | null, rotationPeriodDays: number | null): Promise<void>;
  bumpOwnerVersion(db: DbOrTrx, owner: string): Promise<void>;
  ownerVersion(db: DbOrTrx, owner: string): Promise<number>;
}
