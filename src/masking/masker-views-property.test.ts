/**
 * Decoded views, as properties: a random value, put through each transformation real code
 * applies by accident (case changes, byte and character-code lists, every byte or some bytes
 * percent-encoded, full or mixed `\u` escaping, decimal or hex entities), alone and on top of
 * the encodings the masker already knew (base64, hex, JSON), is replaced as a whole span by
 * `mask()` and by a stream cut at random points.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMasker, SENSITIVE, type Masker } from './index.ts';
import { fillerArb, valueArb } from './masking-arbitraries-fns.ts';
import { BASE_ENCODINGS, VIEW_TRANSFORMS } from './view-transforms-fns.ts';

/** A value, a transformation composed with a base encoding, and the escape choices for a mix. */
const caseArb = fc.record({
  value: valueArb,
  others: fc.array(valueArb, { maxLength: 2 }),
  transform: fc.constantFrom(...VIEW_TRANSFORMS),
  base: fc.constantFrom(...BASE_ENCODINGS),
  mixed: fc.boolean(),
  picks: fc.array(fc.boolean(), { minLength: 1, maxLength: 16 }),
  before: fillerArb,
  after: fillerArb,
  cuts: fc.array(fc.nat(), { maxLength: 10 }),
});

function streamed(masker: Masker, text: string, cuts: readonly number[]): string {
  const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
  const stream = masker.stream();
  let out = '';
  let from = 0;
  for (const p of [...points, text.length]) {
    out += stream.push(text.slice(from, p));
    expect(stream.heldBack).toBeLessThanOrEqual(masker.maxHoldBack);
    from = p;
  }
  return out + stream.flush();
}

describe('decoded views: properties', () => {
  it('a transformed (and encoded) value is replaced whole, in mask() and in any chunking of a stream', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        // Re-cased base64 is other data: case changes are composed with caseless encodings only.
        fc.pre(!c.transform.recases || c.base.caseless);
        const pick = c.mixed ? (i: number) => c.picks[i % c.picks.length] : undefined;
        const form = c.transform.apply(c.base.encode(c.value), pick);
        const masker = createMasker([c.value, ...c.others]);
        const text = `${c.before} | ${form} | ${c.after}`;
        const out = masker.mask(text);
        expect(out).toBe(`${masker.mask(c.before)} | ${SENSITIVE} | ${masker.mask(c.after)}`);
        expect(streamed(masker, text, c.cuts)).toBe(out);
        expect(masker.mask(out)).toBe(out);
      }),
      { numRuns: 600 },
    );
  });

  it('text whose escapes decode to no value passes through unchanged', () => {
    const escaped = fc.constantFrom('%41%42%43', '\\u0041\\u0042', '&#65;&#x42;', '[72,101,108,108,111]', '1, 2, 3, 4', 'Ö%C3%96');
    fc.assert(
      fc.property(fc.array(valueArb, { minLength: 1, maxLength: 3 }), fc.array(fc.oneof(fillerArb, escaped), { maxLength: 8 }), (values, parts) => {
        const text = parts.join(' ');
        const masker = createMasker(values);
        fc.pre(values.every((v) => v.length >= 8 && !text.toLowerCase().includes(v.toLowerCase())));
        expect(masker.mask(text)).toBe(text);
      }),
      { numRuns: 300 },
    );
  });
});
