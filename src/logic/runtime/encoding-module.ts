/**
 * Source of the `particle:encoding` module (spec §8.2). It is plain JavaScript evaluated
 * inside the sandbox, so encoding needs no host calls and bytes never cross the boundary.
 * It is only parsed by runs that import it, so it is kept compact.
 *
 * Bytes are `number[]` (typed arrays and ArrayBuffers are accepted too); strings are
 * UTF-8. base85 uses the RFC 1924 alphabet in 4-byte groups, a short last group giving
 * n + 1 characters (as Python's `base64.b85encode` and git do).
 */
export const ENCODING_MODULE_SOURCE = String.raw`
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B85 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz!#$%&()*+-;<=>?@^_\x60{|}~';
const reverse = (alphabet) => { const t = Object.create(null); for (let i = 0; i < alphabet.length; i++) t[alphabet[i]] = i; return t; };
let b64Rev, b85Rev;
const fail = (fn, msg) => { throw new TypeError(fn + ': ' + msg); };

function toBytes(input, fn) {
  if (typeof input === 'string') return stringToBytes(input);
  if (Array.isArray(input)) {
    const out = new Array(input.length);
    for (let i = 0; i < input.length; i++) {
      const b = input[i];
      if (typeof b !== 'number' || !(b >= 0 && b <= 255) || b % 1 !== 0) fail(fn, 'element ' + i + ' is not a byte (an integer 0-255)');
      out[i] = b;
    }
    return out;
  }
  if (ArrayBuffer.isView(input)) return Array.from(new Uint8Array(input.buffer, input.byteOffset, input.byteLength));
  if (input instanceof ArrayBuffer) return Array.from(new Uint8Array(input));
  return fail(fn, 'expected a string or an array of bytes');
}
const checkString = (input, fn) => typeof input === 'string' ? input : fail(fn, 'expected a string');

export function stringToBytes(input) {
  checkString(input, 'stringToBytes');
  const out = [];
  for (let i = 0; i < input.length; i++) {
    let c = input.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < input.length) {
      const d = input.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) { c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00); i++; }
    }
    if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd;
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return out;
}

export function bytesToString(input) {
  const b = toBytes(input, 'bytesToString');
  const within = (x, lo, hi) => x !== undefined && x >= lo && x <= hi;
  let out = '';
  let cps = [];
  for (let i = 0; i < b.length;) {
    const x = b[i];
    let cp = 0xfffd, n = 1;
    if (x < 0x80) cp = x;
    else if (x >= 0xc2 && x <= 0xdf) {
      if (within(b[i + 1], 0x80, 0xbf)) { cp = ((x & 31) << 6) | (b[i + 1] & 63); n = 2; }
    } else if (x >= 0xe0 && x <= 0xef) {
      if (within(b[i + 1], x === 0xe0 ? 0xa0 : 0x80, x === 0xed ? 0x9f : 0xbf)) {
        n = 2;
        if (within(b[i + 2], 0x80, 0xbf)) { cp = ((x & 15) << 12) | ((b[i + 1] & 63) << 6) | (b[i + 2] & 63); n = 3; }
      }
    } else if (x >= 0xf0 && x <= 0xf4) {
      if (within(b[i + 1], x === 0xf0 ? 0x90 : 0x80, x === 0xf4 ? 0x8f : 0xbf)) {
        n = 2;
        if (within(b[i + 2], 0x80, 0xbf)) {
          n = 3;
          if (within(b[i + 3], 0x80, 0xbf)) { cp = ((x & 7) << 18) | ((b[i + 1] & 63) << 12) | ((b[i + 2] & 63) << 6) | (b[i + 3] & 63); n = 4; }
        }
      }
    }
    cps.push(cp);
    i += n;
    if (cps.length >= 4096) { out += String.fromCodePoint.apply(null, cps); cps = []; }
  }
  return out + String.fromCodePoint.apply(null, cps);
}

export function base64Encode(input) {
  const b = toBytes(input, 'base64Encode');
  let out = '';
  for (let i = 0; i < b.length; i += 3) {
    const n = (b[i] << 16) | ((b[i + 1] ?? 0) << 8) | (b[i + 2] ?? 0);
    out += B64[n >> 18] + B64[(n >> 12) & 63] + (i + 1 < b.length ? B64[(n >> 6) & 63] : '=') + (i + 2 < b.length ? B64[n & 63] : '=');
  }
  return out;
}

export function base64Decode(input) {
  checkString(input, 'base64Decode');
  b64Rev ??= Object.assign(reverse(B64), { '-': 62, '_': 63 });
  const s = input.replace(/[\s=]+/g, '');
  const out = [];
  let acc = 0, bits = 0;
  for (let i = 0; i < s.length; i++) {
    const v = b64Rev[s[i]];
    if (v === undefined) fail('base64Decode', 'invalid character ' + JSON.stringify(s[i]));
    acc = ((acc << 6) | v) & 0xffffff; bits += 6;
    if (bits >= 8) { bits -= 8; out.push((acc >> bits) & 255); }
  }
  if (s.length % 4 === 1) fail('base64Decode', 'invalid length');
  return out;
}

export function base85Encode(input) {
  const b = toBytes(input, 'base85Encode');
  let out = '';
  for (let i = 0; i < b.length; i += 4) {
    const len = Math.min(4, b.length - i);
    let v = ((b[i] << 24) | ((b[i + 1] ?? 0) << 16) | ((b[i + 2] ?? 0) << 8) | (b[i + 3] ?? 0)) >>> 0;
    const group = [];
    for (let k = 4; k >= 0; k--) { group[k] = B85[v % 85]; v = Math.floor(v / 85); }
    out += group.slice(0, len + 1).join('');
  }
  return out;
}

export function base85Decode(input) {
  checkString(input, 'base85Decode');
  b85Rev ??= reverse(B85);
  const s = input.replace(/\s+/g, '');
  if (s.length % 5 === 1) fail('base85Decode', 'invalid length');
  const out = [];
  for (let i = 0; i < s.length; i += 5) {
    const len = Math.min(5, s.length - i);
    let v = 0;
    for (let k = 0; k < 5; k++) {
      const c = k < len ? b85Rev[s[i + k]] : 84;
      if (c === undefined) fail('base85Decode', 'invalid character ' + JSON.stringify(s[i + k]));
      v = v * 85 + c;
    }
    if (v > 0xffffffff) fail('base85Decode', 'group at offset ' + i + ' is out of range');
    const bytes = [v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255];
    for (let k = 0; k < len - 1; k++) out.push(bytes[k]);
  }
  return out;
}

export function dataUrlEncode(data, mimeType, parameters) {
  let meta = mimeType === undefined || mimeType === null || mimeType === '' ? 'application/octet-stream' : checkString(mimeType, 'dataUrlEncode');
  if (parameters !== undefined && parameters !== null) {
    if (typeof parameters !== 'object') fail('dataUrlEncode', 'parameters must be an object');
    for (const key of Object.keys(parameters)) meta += ';' + key + '=' + String(parameters[key]);
  }
  return 'data:' + meta + ';base64,' + base64Encode(data);
}

export function dataUrlDecode(url) {
  checkString(url, 'dataUrlDecode');
  const comma = url.indexOf(',');
  if (url.slice(0, 5).toLowerCase() !== 'data:' || comma < 0) fail('dataUrlDecode', 'not a data URL');
  const meta = url.slice(5, comma).split(';');
  const isBase64 = meta.length > 1 && meta[meta.length - 1].trim().toLowerCase() === 'base64';
  if (isBase64) meta.pop();
  const mimeType = meta[0].trim() === '' ? 'text/plain' : meta[0].trim();
  const parameters = {};
  for (const part of meta.slice(1)) {
    const eq = part.indexOf('=');
    if (eq > 0) parameters[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  if (meta[0].trim() === '' && meta.length === 1) parameters.charset = 'US-ASCII';
  const body = url.slice(comma + 1);
  if (isBase64) return { mimeType, parameters, data: base64Decode(body) };
  const data = [];
  for (let i = 0; i < body.length; i++) {
    if (body[i] === '%' && /^[0-9a-fA-F]{2}$/.test(body.slice(i + 1, i + 3))) { data.push(parseInt(body.slice(i + 1, i + 3), 16)); i += 2; }
    else { const cp = body.codePointAt(i); for (const x of stringToBytes(String.fromCodePoint(cp))) data.push(x); if (cp > 0xffff) i++; }
  }
  return { mimeType, parameters, data };
}

export default { bytesToString, stringToBytes, base64Encode, base64Decode, base85Encode, base85Decode, dataUrlEncode, dataUrlDecode };
`;
