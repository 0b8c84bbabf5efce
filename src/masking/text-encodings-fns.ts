/**
 * Encodings that rewrite a value character by character: JSON string escaping and HTML/XML
 * entities. Each yields whole-value forms; a multi-line value's lines are added separately.
 */
import type { NamedSpec } from './byte-encodings-fns.ts';

const plain = (name: string, text: string): NamedSpec => ({ name, text, lead: 0, tail: 0 });

/** The inside of a JSON string literal, exactly as JSON.stringify writes it. */
export const jsonBody = (value: string): string => JSON.stringify(value).slice(1, -1);

const hex4 = (unit: number, upper: boolean): string => {
  const h = unit.toString(16).padStart(4, '0');
  return upper ? h.toUpperCase() : h;
};

/** JSON with every non-ASCII UTF-16 unit written as \uXXXX (Python's ensure_ascii, Jackson's ASCII mode). */
function asciiJsonBody(value: string, upper: boolean): string {
  return jsonBody(value).replace(/[^\u0000-\u007f]/g, (c) => '\\u' + hex4(c.charCodeAt(0), upper));
}

/** JSON with `chars` also written as \uXXXX (HTML-safe encoders), lower-case hex. */
const htmlSafeJsonBody = (std: string, chars: RegExp): string => std.replace(chars, (c) => '\\u' + hex4(c.charCodeAt(0), false));

/**
 * JSON forms: JSON.stringify's, the \uXXXX-for-non-ASCII form (lower and upper hex), the
 * `\/` form (PHP), each of the first two escaped a second time (JSON inside a JSON string),
 * and the HTML-safe forms of Go's encoding/json (`< > &` U+2028 U+2029) and Gson's default
 * (`< > & = '`).
 */
export function jsonForms(value: string): NamedSpec[] {
  const std = jsonBody(value);
  const ascii = asciiJsonBody(value, false);
  return [
    plain('json-go', htmlSafeJsonBody(std, /[<>&\u2028\u2029]/g)),
    plain('json-gson', htmlSafeJsonBody(std, /[<>&=']/g)),
    plain('json', std),
    plain('json-ascii', ascii),
    plain('json-ascii-upper', asciiJsonBody(value, true)),
    plain('json-slash', std.replaceAll('/', '\\/')),
    plain('json-ascii-slash', ascii.replaceAll('/', '\\/')),
    plain('json-twice', jsonBody(std)),
    plain('json-ascii-twice', jsonBody(ascii)),
  ];
}

/** How one HTML escaper writes the five special characters and non-ASCII code points. */
interface EntityProfile {
  readonly name: string;
  readonly special: Readonly<Record<string, string>>;
  readonly nonAscii: ((cp: number) => string) | null;
}

const named = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const dec = (cp: number): string => `&#${cp};`;
const hexLower = (cp: number): string => `&#x${cp.toString(16)};`;
const hexUpper = (cp: number): string => `&#x${cp.toString(16).toUpperCase()};`;
const numeric = (f: (cp: number) => string): Record<string, string> =>
  Object.fromEntries([...'&<>"\''].map((c) => [c, f(c.charCodeAt(0))]));

/**
 * The escapers seen in practice, each applied consistently to the whole value: a value mixing
 * styles (say `&amp;` next to `&#x27;` from two different escapers) is not covered.
 */
const PROFILES: readonly EntityProfile[] = [
  { name: 'html', special: named, nonAscii: null }, // escape-html, lodash
  { name: 'html-apos', special: { ...named, "'": '&apos;' }, nonAscii: null }, // XML
  { name: 'html-text', special: { '&': '&amp;', '<': '&lt;', '>': '&gt;' }, nonAscii: null }, // text nodes
  { name: 'html-python', special: { ...named, "'": '&#x27;' }, nonAscii: null }, // html.escape, React
  { name: 'html-go', special: { ...named, '"': '&#34;' }, nonAscii: null }, // Go html.EscapeString
  { name: 'html-mustache', special: { ...named, '/': '&#x2F;', '`': '&#x60;', '=': '&#x3D;' }, nonAscii: null }, // mustache.js
  { name: 'html-handlebars', special: { ...named, "'": '&#x27;', '`': '&#x60;', '=': '&#x3D;' }, nonAscii: null },
  { name: 'html-dec', special: numeric(dec), nonAscii: dec },
  { name: 'html-hex', special: numeric(hexLower), nonAscii: hexLower },
  { name: 'html-hex-upper', special: numeric(hexUpper), nonAscii: hexUpper },
  { name: 'html-ascii-dec', special: named, nonAscii: dec }, // serializers writing ASCII output
  { name: 'html-ascii-hex', special: named, nonAscii: hexLower },
];

function applyProfile(value: string, profile: EntityProfile): string {
  let out = '';
  for (const ch of value) {
    const cp = ch.codePointAt(0) ?? 0;
    const special = profile.special[ch];
    if (special !== undefined) out += special;
    else if (cp > 0x7f && profile.nonAscii !== null) out += profile.nonAscii(cp);
    else out += ch;
  }
  return out;
}

/** HTML/XML entity forms (named and numeric, decimal and hex). */
export function htmlForms(value: string): NamedSpec[] {
  return PROFILES.map((p) => plain(p.name, applyProfile(value, p)));
}

/** Trimmed non-blank lines of a multi-line value (split on \n and \r\n); [] for a single line. */
export function valueLines(value: string): string[] {
  if (!value.includes('\n')) return [];
  return value
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
}
