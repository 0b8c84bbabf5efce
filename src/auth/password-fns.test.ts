import { randomBytes, scryptSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hashPassword, needsRehash, PASSWORD_PARAMS, verifyPassword } from './password-fns.ts';

/** A hash in the stored format with other parameters (what older versions wrote). */
const hashWith = (password: string, N: number, r = 8, p = 1) => {
  const salt = randomBytes(16);
  const key = scryptSync(password, salt, 32, { N, r, p, maxmem: 256 * 1024 * 1024 });
  return `scrypt$${N}$${r}$${p}$${salt.toString('base64')}$${key.toString('base64')}`;
};

describe('password hashing', () => {
  it('hashes with OWASP’s scrypt minimum and verifies only the right password', async () => {
    const stored = await hashPassword('correct horse battery');
    expect(stored.split('$').slice(0, 4)).toEqual(['scrypt', '131072', '8', '1']);
    expect(PASSWORD_PARAMS.N).toBeGreaterThanOrEqual(2 ** 17);
    expect(await verifyPassword('correct horse battery', stored)).toBe(true);
    expect(await verifyPassword('correct horse batterY', stored)).toBe(false);
    expect(needsRehash(stored)).toBe(false);
  });

  it('still verifies hashes made with the older parameters, and marks them for rehashing', async () => {
    const old = hashWith('an older password', 16_384);
    expect(await verifyPassword('an older password', old)).toBe(true);
    expect(needsRehash(old)).toBe(true);
  });

  it('refuses stored parameters it should not compute (a tampered row must not exhaust memory)', async () => {
    const good = hashWith('pw-pw-pw-pw', 1024);
    const [, , r, p, salt, key] = good.split('$');
    for (const bad of [`scrypt$${2 ** 24}$${r}$${p}$${salt}$${key}`, `scrypt$1024$64$${p}$${salt}$${key}`, `scrypt$abc$${r}$${p}$${salt}$${key}`, 'bcrypt$x', '']) {
      expect(await verifyPassword('pw-pw-pw-pw', bad)).toBe(false);
    }
  });
});
