/**
 * Encoders met in practice, run for real (platform APIs or faithful copies), must never leave
 * the value readable: each encoded value, alone between two words, masks to one marker.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ENCODING_MODULE_SOURCE } from '../logic/runtime/encoding-module.ts';
import { createMasker, SENSITIVE } from './index.ts';
import { valueArb } from './masking-arbitraries-fns.ts';

/** Lone surrogates become U+FFFD (encodeURIComponent refuses them). */
const wellFormed = (v: string): string => Buffer.from(v, 'utf8').toString('utf8');
const u4 = (c: string): string => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0');
const json = (v: string): string => JSON.stringify(v).slice(1, -1);
const pct = (v: string, keep: RegExp, plus = false): string =>
  [...Buffer.from(v, 'utf8')]
    .map((b) => (b < 128 && keep.test(String.fromCharCode(b)) ? String.fromCharCode(b) : plus && b === 32 ? '+' : '%' + b.toString(16).toUpperCase().padStart(2, '0')))
    .join('');
const entities = (v: string, map: Record<string, string>): string => [...v].map((c) => map[c] ?? c).join('');
const HTML = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

/**
 * [name, encoder]: how the value is written by some real component on its way to a log. The
 * URL ones give '' for values the URL parser would cut or strip ('#', '?', tabs, line breaks).
 */
export const ENCODERS: readonly [string, (v: string) => string][] = [
  ['Go encoding/json', (v) => json(v).replace(/[<>&\u2028\u2029]/g, u4)],
  ['Gson', (v) => json(v).replace(/[<>&=']/g, u4)],
  ['mustache.js {{x}}', (v) => entities(v, { ...HTML, "'": '&#39;', '/': '&#x2F;', '`': '&#x60;', '=': '&#x3D;' })],
  ['Handlebars {{x}}', (v) => entities(v, { ...HTML, "'": '&#x27;', '`': '&#x60;', '=': '&#x3D;' })],
  ['URL path', (v) => (/[#?\\%\t\n\r]/.test(v) ? '' : new URL(`http://h/${v}/`).pathname.slice(1, -1))],
  ['URL query', (v) => (/[#%\t\n\r]/.test(v) ? '' : new URL(`http://h/?${v}&`).search.slice(1, -1))],
  ['PHP rawurlencode / qs', (v) => pct(v, /[A-Za-z0-9._~-]/)],
  ['Go QueryEscape / quote_plus', (v) => pct(v, /[A-Za-z0-9._~-]/, true)],
  ['Python quote', (v) => pct(v, /[A-Za-z0-9._~/-]/)],
  ['encodeURIComponent twice', (v) => encodeURIComponent(encodeURIComponent(wellFormed(v)))],
  ['URL param in a form', (v) => new URLSearchParams({ u: encodeURIComponent(wellFormed(v)) }).toString().slice(2)],
  ['NFD', (v) => v.normalize('NFD')],
  ['NFC', (v) => v.normalize('NFC')],
];

/** `particle:encoding` itself (the module Logic functions import), run in Node. */
const particleEncoding = (await import(`data:text/javascript,${encodeURIComponent(ENCODING_MODULE_SOURCE)}`)) as { base85Encode(v: string | number[]): string };

describe('masking what particle:encoding writes (Logic functions)', () => {
  const fuzz = { numRuns: 300 };
  it('base85Encode of a value masks to one marker', () => {
    fc.assert(
      fc.property(valueArb, (value) => {
        const encoded = particleEncoding.base85Encode(value);
        fc.pre(encoded.length >= 4);
        expect(createMasker([value]).mask(`before ${encoded} after`)).toBe(`before ${SENSITIVE} after`);
      }),
      fuzz,
    );
  });

  it('base85 of a value inside longer data leaves none of the value-only groups readable', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 12, maxLength: 40 }), fc.uint8Array({ maxLength: 7 }), fc.uint8Array({ maxLength: 7 }), (value, before, after) => {
        const text = Buffer.from(value).toString('latin1');
        const secret = Buffer.from(text, 'utf8');
        const encoded = particleEncoding.base85Encode([...before, ...secret, ...after]);
        // The characters of the groups made only of value bytes, read off the real encoder's output.
        const first = Math.ceil(before.length / 4);
        const last = Math.floor((before.length + secret.length) / 4);
        const core = encoded.slice(5 * first, 5 * last);
        fc.pre(core.length >= 5);
        const masked = createMasker([text]).mask(encoded);
        expect(masked).toContain(SENSITIVE);
        expect(masked).not.toContain(core);
      }),
      fuzz,
    );
  });
});

const VALUES = ['tok<en>&x=y\'z/`q', 'abc/def+ghi==', "p@ss wörd{x}\"<y>'!*~", 'Café-sécret-Ωmega', 'e\u0301te\u0301-secret'];

describe('masking what real encoders write', () => {
  for (const value of VALUES) {
    const masker = createMasker([value]);
    for (const [name, encode] of ENCODERS) {
      it(`${JSON.stringify(value)} through ${name}`, () => {
        expect(masker.mask(`before ${encode(value)} after`)).toBe(`before ${SENSITIVE} after`);
      });
    }
  }

  it('no encoder leaves a random value readable', () => {
    const encoder = fc.constantFrom(...ENCODERS);
    fc.assert(
      fc.property(valueArb, encoder, (value, [, encode]) => {
        const encoded = encode(value);
        fc.pre(!SENSITIVE.includes(encoded) && encoded.length > 0);
        expect(createMasker([value]).mask(`<<${encoded}>>`)).not.toContain(encoded);
      }),
      { numRuns: 500 },
    );
  });
});
