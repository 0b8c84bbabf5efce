/** fast-check arbitraries shared by the masking tests (test-only: the masker never imports this). */
import fc from 'fast-check';
import { SENSITIVE } from './masking-types.ts';
import { VIEW_TRANSFORMS } from './view-transforms-fns.ts';
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

/**
 * What the decoded views read back: each transformation of the value and of its base64, set
 * off by a space. (Glued to a neighbouring hit that a view found, `%39` + `43,28450,…` for
 * two values, the first pass reads `3943,…` and a second pass `[[SENSITIVE]]43,…`: masking
 * such text twice may mask more the second time. A neighbouring plain match is handled.)
 */
const viewSamples = (v: string): string[] => {
  const b64 = Buffer.from(v).toString('base64');
  return VIEW_TRANSFORMS.flatMap((t) => (t.recases ? [t.apply(v)] : [t.apply(v), t.apply(b64)])).map((s) => ` ${s}`);
};

/** A text mixing filler with wire forms (literal, base64, JSON, URL, decoded views, …) of the given values. */
export const textWithSecretsArb = (values: readonly string[]): fc.Arbitrary<string> => {
  const samples = values.flatMap((v) => [...wireSamples(v).map((s) => s.text), ...viewSamples(v)]);
  return fc
    .array(fc.oneof(fillerArb, fc.constantFrom(...samples)), { minLength: 1, maxLength: 12 })
    .map((parts) => parts.join(''));
};


/** Random values with a random text that contains some of their wire forms. */
export const casesArb = fc
  .array(valueArb, { minLength: 1, maxLength: 4 })
  .chain((values) => fc.tuple(fc.constant(values), textWithSecretsArb(values)));

