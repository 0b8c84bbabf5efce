/**
 * Encodings computed from a value's UTF-8 bytes: base64 (three alignments, two alphabets),
 * hex and percent-encoding. Lone surrogates become U+FFFD, as any UTF-8 encoder on the way
 * out would do.
 */
import type { PatternSpec } from './masking-types.ts';

/** A pattern with the name of the encoding that produced it (names are for tests and docs). */
export interface NamedSpec extends PatternSpec {
  readonly name: string;
}

/** Characters skipped at the start of the base64 text for each alignment (0, 1 or 2 unknown bytes before). */
const CORE_SKIP = [0, 2, 3] as const;

/**
 * Base64 "stable cores" of the value embedded after 0, 1 or 2 unknown bytes, in the standard
 * and URL-safe alphabets.
 *
 * Choice: a core holds only the characters whose 6 bits all come from the value. The one
 * character before it (alignment 1 or 2) and the one after it (value length not ending on a
 * 3-byte boundary) mix value bits with bits of unknown neighbours, so they cannot be part of
 * a literal pattern; a match swallows them instead (`lead`, `tail`), plus the '=' padding that
 * follows when the value ends the encoded data. Padded and unpadded forms, and any prefix
 * such as `Basic base64("user:" + value)`, are therefore covered by the same core.
 */
export function base64Cores(bytes: Uint8Array): NamedSpec[] {
  const out: NamedSpec[] = [];
  for (const align of [0, 1, 2] as const) {
    const padded = new Uint8Array(align + bytes.length);
    padded.set(bytes, align);
    const encoded = Buffer.from(padded.buffer, padded.byteOffset, padded.length).toString('base64');
    const groups = Math.floor(padded.length / 3);
    const rest = padded.length % 3;
    // With 1 (2) value bytes in the last group, its first 1 (2) characters are pure value bits.
    const stableEnd = 4 * groups + rest;
    const core = encoded.slice(CORE_SKIP[align], stableEnd);
    if (core.length === 0) continue;
    const lead = align === 0 ? 0 : 1;
    const tail = rest === 0 ? 0 : rest === 1 ? 3 : 2;
    out.push({ name: `base64-a${align}`, text: core, lead, tail });
    const urlSafe = core.replaceAll('+', '-').replaceAll('/', '_');
    if (urlSafe !== core) out.push({ name: `base64url-a${align}`, text: urlSafe, lead, tail });
  }
  return out;
}

/** RFC 1924's alphabet, as `particle:encoding`'s base85Encode writes it. */
const B85 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz!#$%&()*+-;<=>?@^_`{|}~';

/** base85 of whole 4-byte groups, plus a short last group cut to its length + 1 characters. */
function base85(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 4) {
    const len = Math.min(4, bytes.length - i);
    let v = (((bytes[i] ?? 0) << 24) | ((bytes[i + 1] ?? 0) << 16) | ((bytes[i + 2] ?? 0) << 8) | (bytes[i + 3] ?? 0)) >>> 0;
    const group: string[] = [];
    for (let k = 4; k >= 0; k--) {
      group[k] = B85[v % 85] as string;
      v = Math.floor(v / 85);
    }
    out += group.slice(0, len + 1).join('');
  }
  return out;
}

/**
 * base85 (RFC 1924), the one encoding Logic functions get from `particle:encoding` besides
 * base64: the value encoded alone, and, for the value inside longer data after 0–3 unknown
 * bytes, the groups made only of value bytes. (Each base85 character depends on all four
 * bytes of its group, so the mixed groups at either end cannot be part of a pattern.)
 */
export function base85Forms(bytes: Uint8Array): NamedSpec[] {
  const out: NamedSpec[] = [{ name: 'base85', text: base85(bytes), lead: 0, tail: 0 }];
  for (const align of [0, 1, 2, 3] as const) {
    const skip = (4 - align) % 4;
    const whole = Math.floor((bytes.length - skip) / 4);
    if (whole <= 0) continue;
    out.push({ name: `base85-a${align}`, text: base85(bytes.subarray(skip, skip + 4 * whole)), lead: 0, tail: 0 });
  }
  return out;
}

/** Lower- and upper-case hex of the bytes. */
export function hexForms(bytes: Uint8Array): NamedSpec[] {
  const lower = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('hex');
  return [
    { name: 'hex-lower', text: lower, lead: 0, tail: 0 },
    { name: 'hex-upper', text: lower.toUpperCase(), lead: 0, tail: 0 },
  ];
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function keepSet(extra: string): Uint8Array {
  const set = new Uint8Array(128);
  for (const c of ALNUM + extra) set[c.charCodeAt(0)] = 1;
  return set;
}

/** Bytes left as they are by encodeURIComponent. */
const COMPONENT_KEEP = keepSet("-_.!~*'()");
/** application/x-www-form-urlencoded (URLSearchParams): space becomes '+'. */
const FORM_KEEP = keepSet('*-._');
/** WHATWG URL user-info: everything outside the userinfo percent-encode set ('%' stays as is). */
const USERINFO_KEEP = keepSet("!$%&'()*+,-._~");
/** RFC 3986 unreserved only: PHP rawurlencode, qs, Go url.QueryEscape (with '+'), Python quote_plus (with '+'). */
const UNRESERVED_KEEP = keepSet('-._~');
/** Python urllib.parse.quote with its default safe '/'. */
const PY_QUOTE_KEEP = keepSet('-._~/');
/**
 * What the WHATWG URL parser (`new URL(text).href`) leaves as written when a template puts a
 * value into the path or the query: it encodes only a few characters (and non-ASCII), so
 * '%', '@', ':', '/', '+', '&' and '=' stay literal.
 */
const URL_PATH_KEEP = keepSet("!#$%&'()*+,-./:;=?@[\\]^_|~");
const URL_QUERY_KEEP = keepSet('!#$%&()*+,-./:;=?@[\\]^_`{|}~');

function percentEncode(bytes: Uint8Array, keep: Uint8Array, plusForSpace: boolean, upper: boolean): string {
  const digits = upper ? '0123456789ABCDEF' : '0123456789abcdef';
  let out = '';
  for (const b of bytes) {
    if (b < 128 && keep[b] === 1) out += String.fromCharCode(b);
    else if (b === 0x20 && plusForSpace) out += '+';
    else out += '%' + digits[b >> 4] + digits[b & 15];
  }
  return out;
}

/**
 * Percent-encodings: encodeURIComponent, the same with '+' for space, form encoding, URL
 * user-info (where ':' '@' '/' etc. are encoded) and RFC 3986 unreserved-only (with and
 * without '+'), each with upper- and lower-case hex; Python's quote, what the URL parser
 * writes for a value in a URL's path or query, and encodeURIComponent applied twice
 * (as encodeURIComponent or as a form field), upper-case only.
 */
export function percentForms(bytes: Uint8Array): NamedSpec[] {
  const out: NamedSpec[] = [];
  const variants = [
    ['percent', COMPONENT_KEEP, false],
    ['percent-plus', COMPONENT_KEEP, true],
    ['form', FORM_KEEP, true],
    ['userinfo', USERINFO_KEEP, false],
    ['rfc3986', UNRESERVED_KEEP, false],
    ['rfc3986-plus', UNRESERVED_KEEP, true],
  ] as const;
  for (const [name, keep, plus] of variants) {
    out.push({ name, text: percentEncode(bytes, keep, plus, true), lead: 0, tail: 0 });
    out.push({ name: `${name}-lower`, text: percentEncode(bytes, keep, plus, false), lead: 0, tail: 0 });
  }
  // Encoders that only write upper-case hex.
  const component = percentEncode(bytes, COMPONENT_KEEP, false, true);
  out.push(
    { name: 'python-quote', text: percentEncode(bytes, PY_QUOTE_KEEP, false, true), lead: 0, tail: 0 },
    { name: 'url-path', text: percentEncode(bytes, URL_PATH_KEEP, false, true), lead: 0, tail: 0 },
    { name: 'url-query', text: percentEncode(bytes, URL_QUERY_KEEP, false, true), lead: 0, tail: 0 },
    // A URL holding the value, itself sent as a parameter (redirect or callback URLs).
    { name: 'percent-twice', text: percentEncode(utf8(component), COMPONENT_KEEP, false, true), lead: 0, tail: 0 },
    { name: 'form-twice', text: percentEncode(utf8(component), FORM_KEEP, true, true), lead: 0, tail: 0 },
  );
  return out;
}

/** UTF-8 bytes of a JS string (lone surrogates become U+FFFD). */
export const utf8 = (value: string): Uint8Array => Buffer.from(value, 'utf8');
