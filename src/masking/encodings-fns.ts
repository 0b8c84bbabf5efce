/**
 * Every form a secret value is masked in: the literal, each line of a multi-line value, and
 * the encodings a value takes on its way out (base64, hex, JSON, percent, HTML entities).
 */
import { base64Cores, base85Forms, hexForms, percentForms, utf8, type NamedSpec } from './byte-encodings-fns.ts';
import { htmlForms, jsonForms, valueLines } from './text-encodings-fns.ts';

export type { NamedSpec } from './byte-encodings-fns.ts';

/**
 * Derived forms (lines, encodings) shorter than this are dropped: a 1–3 character line such
 * as `}` of a JSON value, or a 2-character base64 core, would mask ordinary text all over the
 * logs. The literal value is always masked, however short (the API warns below 8 characters).
 */
export const MIN_DERIVED_LENGTH = 4;

/** Values that every JSON form leaves unchanged (no quote, backslash, slash, control, non-ASCII or HTML-safe-escaped character). */
const JSON_SAFE = /^[^"\\/<>&='\x00-\x1f\x80-\uffff]*$/;
/** Values that every percent form leaves unchanged (the characters all its variants keep). */
const URL_SAFE = /^[A-Za-z0-9._-]*$/;
/** Values that every HTML form leaves unchanged. */
const HTML_SAFE = /^[^&<>"'/`=\x80-\uffff]*$/;

/**
 * All masked forms of one value, literal first. Forms may repeat (e.g. the JSON form of a
 * plain token equals the literal); the pattern set removes duplicates.
 */
export function encodedForms(value: string): NamedSpec[] {
  if (value.length === 0) return [];
  const bytes = utf8(value);
  // Most tokens are plain ASCII: their JSON, percent and HTML forms equal the literal, and
  // skipping them keeps building 10,000 values well under a second.
  const derived: NamedSpec[] = [
    ...valueLines(value).map((text): NamedSpec => ({ name: 'line', text, lead: 0, tail: 0 })),
    ...base64Cores(bytes),
    ...hexForms(bytes),
    ...base85Forms(bytes),
    ...(JSON_SAFE.test(value) ? [] : jsonForms(value)),
    ...(URL_SAFE.test(value) ? [] : percentForms(bytes)),
    ...(HTML_SAFE.test(value) ? [] : htmlForms(value)),
  ];
  const literal: NamedSpec = { name: 'literal', text: value, lead: 0, tail: 0 };
  return [literal, ...derived.filter((f) => f.text.length >= MIN_DERIVED_LENGTH)];
}
