/**
 * The forms real code gives a value by accident (test-only: the masker never imports this):
 * case changes, byte and character-code lists, every byte percent-encoded, `\uXXXX` and HTML
 * numeric entities for every character or only some. Each takes the characters to escape as a
 * predicate so that tests can escape all of them or a random mix.
 */

export type Pick = (index: number) => boolean;
const all: Pick = () => true;

const utf8 = (s: string): number[] => [...Buffer.from(s, 'utf8')];
const units = (s: string): number[] => Array.from({ length: s.length }, (_, i) => s.charCodeAt(i));
const hex = (n: number, width: number): string => n.toString(16).padStart(width, '0');

/** One transformation: its name and what it makes of a value. */
export interface ViewTransform {
  readonly name: string;
  /** Whether the output still shows the value's case (case transforms destroy base64). */
  readonly recases: boolean;
  apply(value: string, pick?: Pick): string;
}

export const VIEW_TRANSFORMS: readonly ViewTransform[] = [
  { name: 'upper-case', recases: true, apply: (v) => v.toUpperCase() },
  { name: 'lower-case', recases: true, apply: (v) => v.toLowerCase() },
  { name: 'JSON byte array', recases: false, apply: (v) => JSON.stringify(utf8(v)) },
  { name: 'spaced byte list', recases: false, apply: (v) => `[${utf8(v).join(', ')}]` },
  { name: 'char codes', recases: false, apply: (v) => units(v).join(',') },
  {
    name: 'percent every byte',
    recases: false,
    apply: (v, pick = all) => utf8(v).map((b, i) => (pick(i) || b > 0x7f ? `%${hex(b, 2).toUpperCase()}` : String.fromCharCode(b))).join(''),
  },
  { name: 'percent every byte, lower hex', recases: false, apply: (v) => utf8(v).map((b) => `%${hex(b, 2)}`).join('') },
  {
    name: '\\u escapes',
    recases: false,
    apply: (v, pick = all) => units(v).map((u, i) => (pick(i) ? `\\u${hex(u, 4)}` : JSON.stringify(String.fromCharCode(u)).slice(1, -1))).join(''),
  },
  {
    name: 'decimal entities',
    recases: false,
    apply: (v, pick = all) => [...v].map((c, i) => (pick(i) ? `&#${c.codePointAt(0)};` : c)).join(''),
  },
  {
    name: 'hex entities',
    recases: false,
    apply: (v, pick = all) => [...v].map((c, i) => (pick(i) ? `&#x${(c.codePointAt(0) ?? 0).toString(16).toUpperCase()};` : c)).join(''),
  },
];

/** Existing encodings a transformation is composed with (applied first). */
export const BASE_ENCODINGS: readonly { readonly name: string; readonly caseless: boolean; encode(v: string): string }[] = [
  { name: 'literal', caseless: true, encode: (v) => v },
  { name: 'base64', caseless: false, encode: (v) => Buffer.from(v).toString('base64') },
  { name: 'base64url', caseless: false, encode: (v) => Buffer.from(v).toString('base64url') },
  { name: 'hex', caseless: true, encode: (v) => Buffer.from(v).toString('hex') },
  { name: 'json', caseless: true, encode: (v) => JSON.stringify(v).slice(1, -1) },
];
