import { randomBytes } from 'node:crypto';
import { HushError } from '../errors/errors.ts';
import type { Db, DbOrTrx } from '../store/database-types.ts';
import type { DataKeyStore } from './data-key-store.ts';
import { newDataKey, open, seal, secretAad, unwrapKey, wrapKey, type Sealed } from './envelope-fns.ts';
import type { Keyring, KeySource } from './keyring.ts';

export const PRIMARY_KEY_META = 'primary_master_key';

export interface EncryptedValue extends Sealed {
  readonly dataKeyId: string;
}

/** Envelope encryption of secret values with per-owner data keys. */
export interface CryptoService {
  encrypt(trx: DbOrTrx, owner: string, name: string, version: number, value: string): Promise<EncryptedValue>;
  /** Throws `integrity_error` when the ciphertext does not belong to (owner, name, version). */
  decrypt(owner: string, name: string, version: number, v: EncryptedValue): Promise<string>;
  /** Fails with a clear message when the configured master key cannot unwrap stored data keys. */
  verifyMasterKey(): Promise<void>;
  /** Throws `integrity_error` when the data key cannot be unwrapped with the configured key. */
  verifyDataKey(dataKeyId: string): Promise<void>;
  keyring(): Keyring;
}

export interface CryptoDeps {
  readonly db: Db;
  readonly keySource: KeySource;
  readonly dataKeys: DataKeyStore;
  readonly now: () => Date;
}

export function createCryptoService(deps: CryptoDeps): CryptoService {
  let ring = deps.keySource.load();
  // Unwrapped data keys by id. Data keys never change (rotation only re-wraps them),
  // so entries never go stale and every node may cache them.
  const plainKeys = new Map<string, Buffer>();
  const activeByOwner = new Map<string, string>();

  const reloadRing = (): boolean => {
    if (deps.keySource.kind !== 'file') return false;
    const next = deps.keySource.load();
    const changed = next.keys.map((k) => k.id).join() !== ring.keys.map((k) => k.id).join();
    ring = next;
    return changed;
  };

  const unwrap = async (db: DbOrTrx, dataKeyId: string): Promise<Buffer> => {
    const cached = plainKeys.get(dataKeyId);
    if (cached) return cached;
    const wrappings = await deps.dataKeys.wrappings(db, dataKeyId);
    const attempt = (): Buffer | null => {
      for (const w of wrappings) {
        const mk = ring.byId(w.masterKeyId);
        const plain = mk ? unwrapKey(mk.key, w.wrapped, dataKeyId) : null;
        if (plain) return plain;
      }
      return null;
    };
    // A miss may mean `hush key rotate` replaced the key file under us: reload once.
    const plain = attempt() ?? (reloadRing() ? attempt() : null);
    if (!plain) {
      throw new HushError(
        'integrity_error',
        `data key ${dataKeyId} cannot be unwrapped with the configured master key ${ring.primary.id} ` +
          `(it is wrapped by ${wrappings.map((w) => w.masterKeyId).join(', ') || 'no key'}): check HUSH_MASTER_KEY or the key file`,
      );
    }
    plainKeys.set(dataKeyId, plain);
    return plain;
  };

  const activeDataKey = async (trx: DbOrTrx, owner: string): Promise<string> => {
    const known = activeByOwner.get(owner) ?? (await deps.dataKeys.newestForOwner(trx, owner));
    if (known) {
      activeByOwner.set(owner, known);
      return known;
    }
    // A rotation by another process may have changed the primary key since we loaded.
    const primary = await deps.dataKeys.getMeta(trx, PRIMARY_KEY_META);
    if (primary && primary !== ring.primary.id) reloadRing();
    const id = randomBytes(12).toString('hex');
    const key = newDataKey();
    const wrappings = ring.keys.map((mk) => ({ dataKeyId: id, masterKeyId: mk.id, wrapped: wrapKey(mk.key, key, id) }));
    await deps.dataKeys.insert(trx, id, owner, deps.now().toISOString(), wrappings);
    plainKeys.set(id, key);
    // Not remembered as the owner's active key until a later call finds it committed:
    // the surrounding transaction may still roll back.
    return id;
  };

  return {
    keyring: () => ring,
    async encrypt(trx, owner, name, version, value) {
      const dataKeyId = await activeDataKey(trx, owner);
      const key = await unwrap(trx, dataKeyId);
      return { dataKeyId, ...seal(key, Buffer.from(value, 'utf8'), secretAad(owner, name, version)) };
    },
    async decrypt(owner, name, version, v) {
      const key = await unwrap(deps.db, v.dataKeyId);
      const plain = open(key, v, secretAad(owner, name, version));
      if (!plain) {
        throw new HushError(
          'integrity_error',
          `secret ${name} (version ${version}) could not be decrypted: its ciphertext does not belong to this secret (altered or swapped row)`,
        );
      }
      return plain.toString('utf8');
    },
    async verifyDataKey(dataKeyId) {
      await unwrap(deps.db, dataKeyId);
    },
    async verifyMasterKey() {
      const ids = await deps.dataKeys.allIds(deps.db);
      if (ids.length === 0) return;
      // Check a data key wrapped under a configured key: during an environment-key rotation,
      // nodes still on the old key may add data keys only the old key wraps (until
      // `hush key prune`), and those must not stop a node on the new key from starting.
      for (const id of ids) {
        const wrappings = await deps.dataKeys.wrappings(deps.db, id);
        if (wrappings.some((w) => ring.byId(w.masterKeyId))) {
          await unwrap(deps.db, id);
          return;
        }
      }
      await unwrap(deps.db, ids[0]);
    },
  };
}
