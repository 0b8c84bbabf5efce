import fc from 'fast-check';
import qs from 'qs';
import { describe, expect, it } from 'vitest';
import { HushError } from '../errors/errors.ts';
import { parseFormBody } from './body-fns.ts';

// Field names as Hush's resources use them, and values of any text.
const key = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_-]{0,11}$/).filter((k) => !(k in Object.prototype));
const leaf = fc.string({ maxLength: 20 });
const tree = fc.letrec<{ node: unknown }>((tie) => ({
  node: fc.oneof({ depthSize: 'small' }, leaf, fc.dictionary(key, tie('node'), { minKeys: 1, maxKeys: 4 }), fc.array(leaf, { minLength: 2, maxLength: 5 })),
})).node;

describe('parseFormBody', () => {
  it('reads back what particle-api-js (qs) writes, nested objects and arrays included', () => {
    fc.assert(
      fc.property(fc.dictionary(key, tree, { minKeys: 1, maxKeys: 5 }), (body) => {
        expect(parseFormBody(qs.stringify(body))).toEqual(body);
      }),
      { numRuns: 300 },
    );
  });

  it('reads the shapes the API documents', () => {
    expect(parseFormBody('secret%5Bvalue%5D=a%20b%2Bc&secret%5Bname%5D=K')).toEqual({ secret: { value: 'a b+c', name: 'K' } });
    expect(parseFormBody('headers[X-Key]={{{A}}}&secrets[]=A&secrets[]=B&noDefaults=true')).toEqual({ headers: { 'X-Key': '{{{A}}}' }, secrets: ['A', 'B'], noDefaults: 'true' });
    expect(parseFormBody('value=x+y')).toEqual({ value: 'x y' });
  });

  it('drops keys that would reach Object.prototype', () => {
    const parsed = parseFormBody('__proto__[polluted]=1&constructor[prototype][p]=1&a=2');
    expect(parsed).toEqual({ a: '2' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses bodies past its limits instead of truncating them, without quoting the input', () => {
    const deep = `x${'[a]'.repeat(40)}=s3cr3t`;
    const long = Array.from({ length: 1001 }, (_, i) => `s[${i}]=s3cr3t`).join('&');
    for (const body of [deep, long]) {
      let err: unknown;
      try {
        parseFormBody(body);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(HushError);
      expect((err as HushError).message).toMatch(/^invalid form body: /);
      expect((err as HushError).message).not.toContain('s3cr3t');
    }
  });
});
