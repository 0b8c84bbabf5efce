import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMasker } from './masker-fns.ts';
import { maskDeep, maskTextRecord } from './mask-deep.ts';

const SECRET = 's3cr3t-value';
const masker = createMasker([SECRET, '4242']);

describe('maskDeep', () => {
  it('masks strings, keys and secret-valued numbers at every depth, keeping the shape', () => {
    const out = maskDeep(masker, { a: [SECRET, { [SECRET]: 1, pin: 4242, ok: true }], n: null }) as Record<string, unknown>;
    expect(out).toEqual({ a: ['[[SENSITIVE]]', { '[[SENSITIVE]]': 1, pin: '[[SENSITIVE]]', ok: true }], n: null });
  });

  it('masks what nests below the depth limit as JSON text', () => {
    let nested: unknown = SECRET;
    for (let i = 0; i < 40; i++) nested = i % 2 === 0 ? { a: nested } : [nested];
    const text = JSON.stringify(maskDeep(masker, nested, 5));
    expect(text).not.toContain(SECRET);
    expect(text).toContain('[[SENSITIVE]]');
  });

  it('never lets a secret through, whatever JSON value carries it', () => {
    const withSecret = fc.letrec((tie) => ({
      v: fc.oneof({ depthSize: 'small' },
        fc.constant(SECRET), fc.string(), fc.integer(),
        fc.array(tie('v'), { maxLength: 3 }),
        fc.dictionary(fc.oneof(fc.string(), fc.constant(SECRET)), tie('v'), { maxKeys: 3 })),
    })).v;
    fc.assert(fc.property(withSecret, fc.integer({ min: 0, max: 6 }), (v, depth) => {
      expect(JSON.stringify(maskDeep(masker, v, depth)) ?? '').not.toContain(SECRET);
    }));
  });

  it('masks a header record', () => {
    expect(maskTextRecord(masker, { authorization: `Bearer ${SECRET}`, [SECRET]: 'x' })).toEqual({ authorization: 'Bearer [[SENSITIVE]]', '[[SENSITIVE]]': 'x' });
    expect(maskTextRecord(masker, undefined)).toEqual({});
  });
});
