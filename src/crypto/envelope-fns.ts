import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM primitives for envelope encryption. Every ciphertext is bound to an
 * additional-authenticated-data string, so a ciphertext moved to another row (another
 * owner, name or version) fails authentication instead of decrypting.
 */
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

export interface Sealed {
  readonly nonce: Buffer;
  /** Ciphertext followed by the 16-byte GCM tag. */
  readonly ciphertext: Buffer;
}

export function seal(key: Buffer, plaintext: Buffer, aad: string): Sealed {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { nonce, ciphertext: Buffer.concat([body, cipher.getAuthTag()]) };
}

/** Decrypts; returns null when authentication fails (wrong key, AAD or tampered bytes). */
export function open(key: Buffer, sealed: Sealed, aad: string): Buffer | null {
  if (sealed.ciphertext.length < TAG_BYTES || sealed.nonce.length !== NONCE_BYTES) return null;
  const body = sealed.ciphertext.subarray(0, sealed.ciphertext.length - TAG_BYTES);
  const tag = sealed.ciphertext.subarray(sealed.ciphertext.length - TAG_BYTES);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, sealed.nonce);
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]);
  } catch {
    return null;
  }
}

/** A data key wrapped by a master key: nonce ‖ ciphertext ‖ tag in one buffer. */
export function wrapKey(masterKey: Buffer, dataKey: Buffer, dataKeyId: string): Buffer {
  const s = seal(masterKey, dataKey, `hush/v1/data-key\0${dataKeyId}`);
  return Buffer.concat([s.nonce, s.ciphertext]);
}

export function unwrapKey(masterKey: Buffer, wrapped: Buffer, dataKeyId: string): Buffer | null {
  const sealed = { nonce: wrapped.subarray(0, NONCE_BYTES), ciphertext: wrapped.subarray(NONCE_BYTES) };
  return open(masterKey, sealed, `hush/v1/data-key\0${dataKeyId}`);
}

/** The AAD binding a secret ciphertext to its owner, name and version. */
export function secretAad(owner: string, name: string, version: number): string {
  return `hush/v1/secret\0${owner}\0${name}\0${version}`;
}

export const newDataKey = (): Buffer => randomBytes(32);
