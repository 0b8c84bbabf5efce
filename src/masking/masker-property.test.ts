/**
 * Properties of `mask()` over random values and random surrounding text.
 *
 * The "never contains" property uses values of at least 8 characters that are not part of
 * the marker: a short value such as `E`, `SE` or `[[` (or a longer one like `SENSITIVE`)
 * occurs inside every `[[SENSITIVE]]`, so it necessarily survives in the masked output.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMasker, encodedForms, SENSITIVE } from './index.ts';
import { casesArb, fillerArb, valueArb } from './masking-arbitraries-fns.ts';

/** The listed patterns of a value (its encodedForms), without those inside the marker. */
const patternsOf = (value: string): string[] => encodedForms(value).map((f) => f.text).filter((t) => !SENSITIVE.includes(t));

describe('mask() properties', () => {
  it('output never contains a value or any listed encoding of it', () => {
    fc.assert(
      fc.property(casesArb, ([values, text]) => {
        const out = createMasker(values).mask(text);
        for (const value of values) {
          for (const pattern of patternsOf(value)) expect(out).not.toContain(pattern);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('text without secrets passes through unchanged (same string)', () => {
    fc.assert(
      fc.property(fc.array(valueArb, { minLength: 1, maxLength: 4 }), fc.array(fillerArb, { maxLength: 8 }), (values, parts) => {
        const text = parts.join(' ');
        const patterns = values.flatMap((v) => encodedForms(v).map((f) => f.text));
        fc.pre(!patterns.some((p) => text.includes(p)));
        expect(createMasker(values).mask(text)).toBe(text);
      }),
      { numRuns: 300 },
    );
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(casesArb, ([values, text]) => {
        const masker = createMasker(values);
        const once = masker.mask(text);
        expect(masker.mask(once)).toBe(once);
      }),
      { numRuns: 300 },
    );
  });

  it('is idempotent for values of any length, including parts of the marker', () => {
    const anyValue = fc.oneof(
      fc.string({ minLength: 1, maxLength: 6 }),
      fc.string({ unit: fc.constantFrom(...'[]SENITV a'), minLength: 1, maxLength: 16 }),
    );
    const text = fc.array(fc.oneof(fc.string({ unit: fc.constantFrom(...'[]SENITV ab'), maxLength: 20 }), fc.constant(SENSITIVE)), {
      maxLength: 6,
    });
    fc.assert(
      fc.property(fc.array(anyValue, { minLength: 1, maxLength: 4 }), text, (values, parts) => {
        const masker = createMasker(values);
        const once = masker.mask(parts.join(''));
        expect(masker.mask(once)).toBe(once);
      }),
      { numRuns: 500 },
    );
  });
});
