import { randomBytes } from 'node:crypto';
import type { Db } from '../store/database-types.ts';
import { PRIMARY_KEY_META } from './crypto-service.ts';
import type { DataKeyStore } from './data-key-store.ts';
import { unwrapKey, wrapKey } from './envelope-fns.ts';
import { createKeyring, masterKeyId, type Keyring, type KeySource } from './keyring.ts';

export interface RotationResult {
  readonly newKeyId: string;
  /** Base64 of the new key when the caller must install it (environment keys). */
  readonly newKeyBase64: string | null;
  readonly rewrapped: number;
  readonly pruned: number;
}

/** Adds a wrapping under `target` for every data key that lacks one. */
async function wrapAllUnder(db: Db, store: DataKeyStore, ring: Keyring, targetKey: Buffer): Promise<number> {
  const targetId = masterKeyId(targetKey);
  let count = 0;
  for (const id of await store.allIds(db)) {
    const ws = await store.wrappings(db, id);
    if (ws.some((w) => w.masterKeyId === targetId)) continue;
    let plain: Buffer | null = null;
    for (const w of ws) {
      const mk = ring.byId(w.masterKeyId);
      plain = mk ? unwrapKey(mk.key, w.wrapped, id) : null;
      if (plain) break;
    }
    if (!plain) throw new Error(`data key ${id} cannot be unwrapped with the configured master key(s); rotation stopped, nothing was lost`);
    await store.addWrapping(db, { dataKeyId: id, masterKeyId: targetId, wrapped: wrapKey(targetKey, plain, id) });
    count++;
  }
  return count;
}

/**
 * Introduces a new master key and re-wraps every data key under it, while servers run.
 * Data keys themselves never change, so servers keep decrypting throughout.
 * - Key file: the file holds old and new keys while re-wrapping, then only the new one;
 *   servers reload the file when they meet a wrapping they cannot open.
 * - Environment key: old wrappings stay, so nodes still on the old key keep working;
 *   after every node runs with the new key, `pruneOldWrappings` removes them.
 */
export async function rotateMasterKey(db: Db, store: DataKeyStore, source: KeySource, newKey?: Buffer): Promise<RotationResult> {
  const old = source.load();
  const key = newKey ?? randomBytes(32);
  const ring = createKeyring([key, ...old.keys.map((k) => k.key)]);
  if (source.kind === 'file') source.save?.(ring.keys.map((k) => k.key));
  let rewrapped = await wrapAllUnder(db, store, ring, key);
  await store.setMeta(db, PRIMARY_KEY_META, ring.primary.id);
  let pruned = 0;
  if (source.kind === 'file') {
    // A server that had not yet seen the new file may have added a data key meanwhile.
    rewrapped += await wrapAllUnder(db, store, ring, key);
    pruned = await store.pruneWrappings(db, ring.primary.id);
    source.save?.([key]);
  }
  return { newKeyId: ring.primary.id, newKeyBase64: source.kind === 'env' ? key.toString('base64') : null, rewrapped, pruned };
}

/** Removes wrappings under keys other than the primary, wrapping stragglers first. */
export async function pruneOldWrappings(db: Db, store: DataKeyStore, source: KeySource): Promise<{ rewrapped: number; pruned: number }> {
  const ring = source.load();
  const rewrapped = await wrapAllUnder(db, store, ring, ring.primary.key);
  await store.setMeta(db, PRIMARY_KEY_META, ring.primary.id);
  const pruned = await store.pruneWrappings(db, ring.primary.id);
  return { rewrapped, pruned };
}
