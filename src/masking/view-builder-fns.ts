/**
 * What the decoded views are made of: a view's text with, for each unit, the source span it
 * came from, and the helpers the decoders share.
 */

/** A view under construction: its text in pieces, and for each unit its source span. */
export interface ViewBuilder {
  readonly parts: string[];
  readonly from: number[];
  readonly to: number[];
  /** Whether anything was decoded (a view equal to its source finds nothing new). */
  changed: boolean;
}

export interface ViewDecoder {
  /** Appends `[start, end)` of each seed, in text order. */
  seeds(text: string, out: number[]): void;
  /** Source characters per value unit that a decoded stretch may take (sets a region's reach). */
  readonly spread: number;
  /** Writes the view of `text[from, to)`. */
  decode(text: string, from: number, to: number, out: ViewBuilder): void;
  /** Widens a hit's source span `[start, end)` (a byte list takes its brackets when it is all value). */
  widen?(text: string, start: number, end: number): [number, number];
  /** Whether `text` from `from` on holds something that could start or continue an encoded value. */
  openAt(text: string, from: number): boolean;
}

/** Adds decoded units `s`, all coming from source `[from, to)`. */
export function put(b: ViewBuilder, s: string, from: number, to: number): void {
  b.parts.push(s);
  for (let i = 0; i < s.length; i++) {
    b.from.push(from);
    b.to.push(to);
  }
  b.changed = true;
}

/** Copies `text[from, to)` unchanged. */
export function copy(b: ViewBuilder, text: string, from: number, to: number): void {
  if (to <= from) return;
  b.parts.push(text.slice(from, to));
  for (let i = from; i < to; i++) {
    b.from.push(i);
    b.to.push(i + 1);
  }
}

const HEX = new Int8Array(128).fill(-1);
for (let i = 0; i < 16; i++) {
  HEX['0123456789abcdef'.charCodeAt(i)] = i;
  HEX['0123456789ABCDEF'.charCodeAt(i)] = i;
}
export const hexAt = (text: string, i: number): number => {
  const c = text.charCodeAt(i);
  return c < 128 ? HEX[c] : -1;
};
export const isDigit = (c: number): boolean => c >= 48 && c <= 57;

/**
 * Decodes `bytes` as UTF-8, putting each code point with the source span of its bytes
 * (`starts`/`ends`). Returns false, having put nothing, when the bytes are not valid UTF-8.
 */
export function putUtf8(b: ViewBuilder, bytes: readonly number[], starts: readonly number[], ends: readonly number[]): boolean {
  const cps: number[] = [];
  for (let k = 0; k < bytes.length; ) {
    const x = bytes[k];
    const n = x < 0x80 ? 1 : x >> 5 === 6 ? 2 : x >> 4 === 14 ? 3 : x >> 3 === 30 ? 4 : 0;
    if (n === 0 || k + n > bytes.length) return false;
    let cp = n === 1 ? x : x & (0xff >> (n + 1));
    for (let j = 1; j < n; j++) {
      if (bytes[k + j] >> 6 !== 2) return false;
      cp = (cp << 6) | (bytes[k + j] & 63);
    }
    if ((n === 2 && cp < 0x80) || (n === 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) || (n === 4 && (cp < 0x10000 || cp > 0x10ffff))) return false;
    cps.push(cp, starts[k], ends[k + n - 1]);
    k += n;
  }
  for (let k = 0; k < cps.length; k += 3) put(b, String.fromCodePoint(cps[k]), cps[k + 1], cps[k + 2]);
  return true;
}

