/** Decoded views, concrete cases: each form maps back to exactly the characters it took. */
import { describe, expect, it } from 'vitest';
import { createMasker, SENSITIVE as S } from './index.ts';

const V = 'Xq7<tok>&en/9';
const m = createMasker([V, 'pässwörd€漢']);
const u4 = (c: string): string => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0');
const bytes = (s: string): number[] => [...Buffer.from(s)];

describe('decoded views', () => {
  it.each([
    ['upper-cased', V.toUpperCase()],
    ['lower-cased', V.toLowerCase()],
    ['every byte percent-encoded', bytes(V).map((b) => `%${b.toString(16).toUpperCase()}`).join('')],
    ['some bytes percent-encoded, lower hex', 'Xq7%3ctok%3e%26en%2f9'],
    ['every character \\u-escaped', [...V].map(u4).join('')],
    ["Go's JSON (\\u003c \\u003e \\u0026) with \\/", 'Xq7\\u003ctok\\u003e\\u0026en\\/9'],
    ['decimal entities for some characters', 'Xq7&#60;tok&#62;&#38;en/9'],
    ['hex entities for every character', [...V].map((c) => `&#x${c.charCodeAt(0).toString(16)};`).join('')],
    ['a JSON byte array', JSON.stringify(bytes(V))],
    ['a spaced byte list', bytes(V).join(', ')],
    ['char codes of a non-ASCII value', Array.from('pässwörd€漢', (c) => c.charCodeAt(0)).join(',')],
    ['UTF-8 bytes of a non-ASCII value', JSON.stringify(bytes('pässwörd€漢'))],
    ['a non-ASCII value upper-cased', 'PÄSSWÖRD€漢'],
    ['hex of the value, upper-cased and percent-encoded', [...Buffer.from(V).toString('hex').toUpperCase()].map((c) => `%${c.charCodeAt(0).toString(16)}`).join('')],
  ])('%s', (_name, form) => {
    expect(m.mask(`a=${form};b`)).toBe(`a=${S};b`);
  });

  it('keeps the text around a value inside a longer byte list or escaped string', () => {
    expect(m.mask(JSON.stringify(bytes(`id=${V}`)))).toBe(`[105,100,61,${S}]`);
    expect(m.mask(`"\\u0069\\u0064=${[...V].map(u4).join('')}"`)).toBe(`"\\u0069\\u0064=${S}"`);
  });

  it('leaves escapes that decode to no value alone, returning the same string', () => {
    const text = 'GET /a%20b?q=%C3%A4 "\\u00e4\\/x" &#228;&amp; [1,2,3,4,5] 12, 13, 14, 15';
    expect(m.mask(text)).toBe(text);
  });

  it('matches a base64 core only in its exact case', () => {
    const b64 = Buffer.from(V).toString('base64');
    expect(m.mask(b64)).not.toContain(b64.slice(4, 12));
    expect(m.mask(b64.toLowerCase())).toBe(b64.toLowerCase());
  });
});
