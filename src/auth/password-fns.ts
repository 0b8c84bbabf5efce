import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const scryptAsync = (pw: string, salt: Buffer, len: number, opts: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) => scrypt(pw, salt, len, opts, (e, k) => (e ? reject(e) : resolve(k))));

/**
 * OWASP's minimum for scrypt (N=2^17, r=8, p=1): 128 MiB and a few hundred milliseconds
 * per hash. Sign-in is throttled (login-throttle-service.ts), so this cost cannot be
 * turned into a cheap way to load the server.
 */
export const PASSWORD_PARAMS = { N: 131_072, r: 8, p: 1 } as const;

/** scrypt cost parameters; production always uses PASSWORD_PARAMS (see `HUSH_PASSWORD_SCRYPT_N`). */
export interface PasswordParams {
  readonly N: number;
  readonly r: number;
  readonly p: number;
}
const KEY_LEN = 32;
/** Node refuses scrypt above 32 MiB unless told; 128·N·r bytes plus headroom. */
const maxmemFor = (N: number, r: number) => 128 * N * r + 32 * 1024 * 1024;
/** Stored hashes with parameters beyond these are refused rather than computed (a tampered row must not exhaust memory). */
const MAX_N = 1 << 20;
const MAX_R = 32;
const MAX_P = 16;

/** Hashes a password with scrypt; the parameters are stored with the hash. */
export async function hashPassword(password: string, params: PasswordParams = PASSWORD_PARAMS): Promise<string> {
  const { N, r, p } = params;
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, KEY_LEN, { N, r, p, maxmem: maxmemFor(N, r) });
  return `scrypt$${N}$${r}$${p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [kind, n, r, p, salt, hash] = stored.split('$');
  const [N, R, P] = [Number(n), Number(r), Number(p)];
  if (kind !== 'scrypt' || !salt || !hash || !(N > 1 && N <= MAX_N && R >= 1 && R <= MAX_R && P >= 1 && P <= MAX_P)) return false;
  const expected = Buffer.from(hash, 'base64');
  const key = await scryptAsync(password, Buffer.from(salt, 'base64'), expected.length, { N, r: R, p: P, maxmem: maxmemFor(N, R) });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** True when a stored hash was made with weaker parameters than today's: rehash it at the next sign-in. */
export function needsRehash(stored: string, params: PasswordParams = PASSWORD_PARAMS): boolean {
  const [kind, n, r, p] = stored.split('$');
  return kind !== 'scrypt' || Number(n) < params.N || Number(r) < params.r || Number(p) < params.p;
}

/** A well-formed hash no password matches, at the same cost as real ones (unknown accounts take as long). */
export const dummyHash = ({ N, r, p }: PasswordParams): string =>
  `scrypt$${N}$${r}$${p}$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=`;

export const PASSWORD_MIN_LENGTH = 8;
