import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** A master key and its public fingerprint (stored beside each wrapping). */
export interface MasterKey {
  readonly id: string;
  readonly key: Buffer;
}

/** Master keys in order of preference: the first wraps new data keys, all can unwrap. */
export interface Keyring {
  readonly primary: MasterKey;
  readonly keys: readonly MasterKey[];
  byId(id: string): MasterKey | undefined;
}

/** Fingerprint of a master key: safe to store and print, useless for decryption. */
export function masterKeyId(key: Buffer): string {
  return createHash('sha256').update('hush master key id\0').update(key).digest('hex').slice(0, 16);
}

export function createKeyring(keys: readonly Buffer[]): Keyring {
  if (keys.length === 0) throw new Error('a keyring needs at least one master key');
  const list = keys.map((key) => ({ id: masterKeyId(key), key }));
  const byId = new Map(list.map((k) => [k.id, k]));
  return { primary: list[0], keys: list, byId: (id) => byId.get(id) };
}

/** Where master keys come from: the environment (fixed) or a key file in the data dir. */
export interface KeySource {
  readonly kind: 'env' | 'file';
  load(): Keyring;
  /** Replaces the stored keys (file source only). */
  save?(keys: readonly Buffer[]): void;
}

export function envKeySource(keys: readonly Buffer[]): KeySource {
  const ring = createKeyring(keys);
  return { kind: 'env', load: () => ring };
}

export const MASTER_KEY_FILE = 'master.key';

/**
 * The key file: JSON `{"keys": ["<base64>", ...]}`, mode 0600, created with one fresh key
 * on first use. Writes go through a temporary file and a rename so a crash never leaves
 * a half-written key file.
 */
export function fileKeySource(dataDir: string): KeySource {
  const file = path.join(dataDir, MASTER_KEY_FILE);
  const save = (keys: readonly Buffer[]) => {
    fs.mkdirSync(dataDir, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify({ keys: keys.map((k) => k.toString('base64')) }) + '\n', { mode: 0o600 });
    fs.renameSync(tmp, file);
  };
  const load = (): Keyring => {
    if (!fs.existsSync(file)) {
      try {
        fs.mkdirSync(dataDir, { recursive: true });
        // 'wx' fails if another process created the file first; then we read theirs.
        fs.writeFileSync(file, JSON.stringify({ keys: [randomBytes(32).toString('base64')] }) + '\n', { mode: 0o600, flag: 'wx' });
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
    }
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as { keys?: unknown };
    const keys = Array.isArray(parsed.keys) ? parsed.keys.map((k) => Buffer.from(String(k), 'base64')) : [];
    if (keys.length === 0 || keys.some((k) => k.length !== 32)) {
      throw new Error(`master key file ${file} is damaged: expected {"keys": [base64 of 32 bytes, ...]}`);
    }
    return createKeyring(keys);
  };
  return { kind: 'file', load, save };
}
