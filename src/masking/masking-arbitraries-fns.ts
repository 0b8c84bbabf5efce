/** fast-check arbitraries shared by the masking tests (test-only: the masker never imports this). */
import fc from 'fast-check';
import { SENSITIVE } from './masking-types.ts';
import { wireSamples } from './wire-samples-fns.ts';

const SPECIALS = [...'ab%"\\&<>:/@+= \n\r\té€漢😀'];

/** Random secret values, from several alphabets, at least 8 characters, never inside the marker. */
export const valueArb = fc
  .oneof(
    fc.string({ minLength: 8, maxLength: 40 }),
    fc.string({ unit: 'binary', minLength: 8, maxLength: 24 }),
    fc.stringMatching(/^[A-Za-z0-9+/]{8,40}$/),
    fc.string({ unit: fc.constantFrom(...SPECIALS), minLength: 8, maxLength: 24 }),
  )
  .filter((v) => !SENSITIVE.includes(v));

/** Random filler text around secrets: printable ASCII, any code point, or base64-looking. */
export const fillerArb = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.stringMatching(/^[A-Za-z0-9+/=\r\n]{0,90}$/),
);

/** A text mixing filler with wire forms (literal, base64, JSON, URL, …) of the given values. */
export const textWithSecretsArb = (values: readonly string[]): fc.Arbitrary<string> => {
  const samples = values.flatMap((v) => wireSamples(v).map((s) => s.text));
  return fc
    .array(fc.oneof(fillerArb, fc.constantFrom(...samples)), { minLength: 1, maxLength: 12 })
    .map((parts) => parts.join(''));
};


/** Random values with a random text that contains some of their wire forms. */
export const casesArb = fc
  .array(valueArb, { minLength: 1, maxLength: 4 })
  .chain((values) => fc.tuple(fc.constant(values), textWithSecretsArb(values)));

