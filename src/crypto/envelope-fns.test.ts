import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { newDataKey, open, seal, secretAad, unwrapKey, wrapKey } from './envelope-fns.ts';

const key = newDataKey();
const AAD = secretAad('user:abc', 'API_KEY', 1);

describe('seal / open (AES-256-GCM)', () => {
  it('round-trips any bytes under the same key and AAD', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2048 }), fc.string(), (bytes, aad) => {
        const plain = Buffer.from(bytes);
        const sealed = seal(key, plain, aad);
        expect(open(key, sealed, aad)).toEqual(plain);
      }),
      { numRuns: 200 },
    );
  });

  it('has a 12-byte nonce and appends a 16-byte tag; never contains the plaintext', () => {
    const plain = Buffer.from('a distinctive plaintext value', 'utf8');
    const s = seal(key, plain, AAD);
    expect(s.nonce).toHaveLength(12);
    expect(s.ciphertext).toHaveLength(plain.length + 16);
    expect(s.ciphertext.includes(plain)).toBe(false);
  });

  it('uses a fresh nonce each time, so equal plaintexts give different ciphertexts', () => {
    const plain = Buffer.from('same value');
    const a = seal(key, plain, AAD);
    const b = seal(key, plain, AAD);
    expect(a.nonce.equals(b.nonce)).toBe(false);
    expect(a.ciphertext.equals(b.ciphertext)).toBe(false);
  });

  it('returns null for another AAD: owner, name or version', () => {
    const s = seal(key, Buffer.from('value'), AAD);
    expect(open(key, s, secretAad('user:abd', 'API_KEY', 1))).toBeNull();
    expect(open(key, s, secretAad('user:abc', 'API_KEY2', 1))).toBeNull();
    expect(open(key, s, secretAad('user:abc', 'API_KEY', 2))).toBeNull();
    expect(open(key, s, AAD)).toEqual(Buffer.from('value'));
  });

  it('returns null for another key', () => {
    expect(open(newDataKey(), seal(key, Buffer.from('value'), AAD), AAD)).toBeNull();
  });

  it('returns null when any single bit of nonce or ciphertext is flipped', () => {
    const s = seal(key, Buffer.from('tamper-evident value'), AAD);
    fc.assert(
      fc.property(fc.boolean(), fc.nat(), fc.integer({ min: 0, max: 7 }), (inNonce, at, bit) => {
        const nonce = Buffer.from(s.nonce);
        const ciphertext = Buffer.from(s.ciphertext);
        const target = inNonce ? nonce : ciphertext;
        target[at % target.length] ^= 1 << bit;
        expect(open(key, { nonce, ciphertext }, AAD)).toBeNull();
      }),
      { numRuns: 200 },
    );
  });

  it('returns null (does not throw) for malformed input', () => {
    const s = seal(key, Buffer.from('v'), AAD);
    expect(open(key, { nonce: s.nonce, ciphertext: Buffer.alloc(15) }, AAD)).toBeNull();
    expect(open(key, { nonce: Buffer.alloc(11), ciphertext: s.ciphertext }, AAD)).toBeNull();
    expect(open(key, { nonce: s.nonce, ciphertext: s.ciphertext.subarray(0, s.ciphertext.length - 1) }, AAD)).toBeNull();
  });

  it('accepts an empty plaintext (the tag still authenticates it)', () => {
    const s = seal(key, Buffer.alloc(0), AAD);
    expect(s.ciphertext).toHaveLength(16);
    expect(open(key, s, AAD)).toEqual(Buffer.alloc(0));
    expect(open(key, s, secretAad('x', 'Y', 1))).toBeNull();
  });
});

describe('wrapKey / unwrapKey', () => {
  const master = randomBytes(32);

  it('round-trips a data key bound to its id', () => {
    const dk = newDataKey();
    expect(dk).toHaveLength(32);
    const wrapped = wrapKey(master, dk, 'dk-1');
    expect(wrapped).toHaveLength(12 + 32 + 16);
    expect(wrapped.includes(dk)).toBe(false);
    expect(unwrapKey(master, wrapped, 'dk-1')).toEqual(dk);
  });

  it('returns null for another id, another master key or a damaged wrapping', () => {
    const wrapped = wrapKey(master, newDataKey(), 'dk-1');
    expect(unwrapKey(master, wrapped, 'dk-2')).toBeNull();
    expect(unwrapKey(randomBytes(32), wrapped, 'dk-1')).toBeNull();
    const bent = Buffer.from(wrapped);
    bent[bent.length - 1] ^= 0x80;
    expect(unwrapKey(master, bent, 'dk-1')).toBeNull();
    expect(unwrapKey(master, wrapped.subarray(0, 20), 'dk-1')).toBeNull();
  });

  it('generates distinct data keys', () => {
    expect(newDataKey().equals(newDataKey())).toBe(false);
  });
});

describe('secretAad', () => {
  it('is versioned and separates its fields with NUL', () => {
    expect(secretAad('org:1', 'KEY', 3)).toBe('hush/v1/secret\0org:1\0KEY\x003');
  });

  it('differs whenever owner, name or version differ (no ambiguous concatenation)', () => {
    fc.assert(
      fc.property(
        fc.tuple(fc.string({ maxLength: 12 }), fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,8}$/), fc.integer({ min: 1, max: 1000 })),
        fc.tuple(fc.string({ maxLength: 12 }), fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,8}$/), fc.integer({ min: 1, max: 1000 })),
        (a, b) => {
          fc.pre(!a[0].includes('\0') && !b[0].includes('\0'));
          const same = a[0] === b[0] && a[1] === b[1] && a[2] === b[2];
          expect(secretAad(...a) === secretAad(...b)).toBe(same);
        },
      ),
      { numRuns: 300 },
    );
  });
});
