/**
 * The decoders behind the masker's decoded views. Each one finds its seeds (the escapes that
 * trigger it) cheaply, and decodes a region of text into a view whose every unit remembers the
 * source span it came from, so a hit in the view maps back to the exact original characters.
 *
 * - percent: `%58%71…` (every byte or only some), read as UTF-8;
 * - json: `\uXXXX` (every character or only some, as Go, Gson and HTML template engines
 *   write it) and `\/`, with the other JSON escapes decoded around them;
 * - html: numeric entities `&#88;` `&#x58;` and the five named ones, mixed with plain text;
 * (Byte lists: `byte-list-view-fns.ts`.)
 */

import { copy, hexAt, isDigit, put, putUtf8, type ViewDecoder } from './view-builder-fns.ts';

const nextPercent = (text: string, from: number, to: number): number => {
  for (let i = text.indexOf('%', from); i !== -1 && i + 3 <= to; i = text.indexOf('%', i + 1)) {
    if (hexAt(text, i + 1) >= 0 && hexAt(text, i + 2) >= 0) return i;
  }
  return -1;
};

export const percentDecoder: ViewDecoder = {
  spread: 1,
  seeds(text, out) {
    for (let i = nextPercent(text, 0, text.length); i !== -1; i = nextPercent(text, i + 3, text.length)) {
      if (out.length > 0 && out[out.length - 1] === i) out[out.length - 1] = i + 3;
      else out.push(i, i + 3);
    }
  },
  decode(text, from, to, b) {
    let pos = from;
    for (let i = nextPercent(text, from, to); i !== -1; i = nextPercent(text, pos, to)) {
      copy(b, text, pos, i);
      const bytes: number[] = [];
      const starts: number[] = [];
      const ends: number[] = [];
      for (pos = i; pos + 3 <= to && text.charCodeAt(pos) === 37 && hexAt(text, pos + 1) >= 0 && hexAt(text, pos + 2) >= 0; pos += 3) {
        bytes.push(hexAt(text, pos + 1) * 16 + hexAt(text, pos + 2));
        starts.push(pos);
        ends.push(pos + 3);
      }
      // Not UTF-8 as a whole: decode byte by byte, keeping the escapes that are not.
      if (!putUtf8(b, bytes, starts, ends)) {
        for (let k = 0; k < bytes.length; k++) {
          if (!putUtf8(b, [bytes[k]], [starts[k]], [ends[k]])) copy(b, text, starts[k], ends[k]);
        }
      }
    }
    copy(b, text, pos, to);
  },
  // A whole escape, or a '%' that the next chunk may complete.
  openAt: (text, from) => nextPercent(text, from, text.length) !== -1 || text.indexOf('%', Math.max(from, text.length - 2)) !== -1,
};

const JSON_SIMPLE: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
const isU4 = (text: string, i: number): boolean =>
  text.charCodeAt(i + 1) === 117 && hexAt(text, i + 2) >= 0 && hexAt(text, i + 3) >= 0 && hexAt(text, i + 4) >= 0 && hexAt(text, i + 5) >= 0;

export const jsonDecoder: ViewDecoder = {
  // `\"` and friends take 2 source characters per unit, and only `\u`/`\/` are seeds.
  spread: 2,
  seeds(text, out) {
    for (let i = text.indexOf('\\'); i !== -1; i = text.indexOf('\\', i + 1)) {
      if (isU4(text, i)) out.push(i, i + 6);
      else if (text.charCodeAt(i + 1) === 47) out.push(i, i + 2);
    }
  },
  decode(text, from, to, b) {
    let pos = from;
    for (let i = text.indexOf('\\', pos); i !== -1 && i + 1 < to; i = text.indexOf('\\', pos)) {
      copy(b, text, pos, i);
      if (i + 6 <= to && isU4(text, i)) {
        put(b, String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16)), i, i + 6);
        pos = i + 6;
      } else if (JSON_SIMPLE[text[i + 1]] !== undefined) {
        put(b, JSON_SIMPLE[text[i + 1]], i, i + 2);
        pos = i + 2;
      } else {
        copy(b, text, i, i + 1);
        pos = i + 1;
      }
    }
    copy(b, text, pos, to);
  },
  openAt: (text, from) => text.indexOf('\\', from) !== -1,
};

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** End of the entity at `i` (a '&') and its code point, or null. */
function entityAt(text: string, i: number, to: number): [number, number] | null {
  if (text.charCodeAt(i + 1) !== 35) {
    let semi = i + 3;
    while (semi < i + 6 && semi < to && text.charCodeAt(semi) !== 59) semi++;
    if (semi >= to || text.charCodeAt(semi) !== 59) return null;
    const c = NAMED[text.slice(i + 1, semi)];
    return c === undefined ? null : [semi + 1, c.charCodeAt(0)];
  }
  const hex = (text.charCodeAt(i + 2) | 32) === 120;
  let j = hex ? i + 3 : i + 2;
  let cp = 0;
  const first = j;
  for (; j < to && j - first < (hex ? 6 : 7); j++) {
    const d = hex ? hexAt(text, j) : isDigit(text.charCodeAt(j)) ? text.charCodeAt(j) - 48 : -1;
    if (d < 0) break;
    cp = cp * (hex ? 16 : 10) + d;
  }
  if (j === first || j >= to || text.charCodeAt(j) !== 59 || cp > 0x10ffff) return null;
  return [j + 1, cp];
}

export const htmlDecoder: ViewDecoder = {
  spread: 1,
  seeds(text, out) {
    for (let i = text.indexOf('&'); i !== -1; i = text.indexOf('&', i + 1)) {
      const e = entityAt(text, i, text.length);
      if (e !== null) out.push(i, e[0]);
    }
  },
  decode(text, from, to, b) {
    let pos = from;
    for (let i = text.indexOf('&', pos); i !== -1 && i < to; i = text.indexOf('&', i + 1)) {
      const e = entityAt(text, i, to);
      if (e === null) continue;
      copy(b, text, pos, i);
      put(b, String.fromCodePoint(e[1]), i, e[0]);
      pos = e[0];
    }
    copy(b, text, pos, to);
  },
  openAt(text, from) {
    for (let i = text.indexOf('&', from); i !== -1; i = text.indexOf('&', i + 1)) {
      // `&limit=` in a URL is no entity; `&#x5` at the very end may still become one.
      if (text.length - i < 11 || entityAt(text, i, text.length) !== null) return true;
    }
    return false;
  },
};

