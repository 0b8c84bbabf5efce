/**
 * Base64 wrapped into lines (MIME at 76 characters, PEM at 64, with \r\n or \n) can split an
 * encoded value anywhere. Instead of one pattern per possible break position (dozens per
 * value), the masker finds the "wrap breaks" and searches those regions again with the breaks
 * removed, mapping the hits back to the original text.
 *
 * A line break counts as a wrap break when the 64 characters before it are base64 characters
 * and the one after it is a base64 character or '='. The test only reads 66 characters around
 * the break, which keeps streaming possible with a bounded context.
 */
import type { AnchorIndex } from './anchor-index.ts';
import { noMatches } from './masking-types.ts';
import { MIN_WRAPPED_LINE, type PatternSet } from './pattern-set-fns.ts';
import { BASE64_UNITS, extendMatches } from './span-fns.ts';

const LF = 10;
const CR = 13;
const EQ = 61;

// A module-local reference: these checks run for every line of the text.
const B64 = BASE64_UNITS;
const isB64 = (unit: number): boolean => unit < 128 && B64[unit] === 1;

function allBase64(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (!isB64(text.charCodeAt(i))) return false;
  return true;
}

/** Wrap breaks as flat pairs `[breakStart, breakEnd]` (the \r\n or \n), in text order. */
export function findWrapBreaks(text: string): number[] {
  const out: number[] = [];
  const last = text.length - 1;
  for (let lf = text.indexOf('\n'); lf !== -1 && lf < last; lf = text.indexOf('\n', lf + 1)) {
    const lineEnd = lf > 0 && text.charCodeAt(lf - 1) === CR ? lf - 1 : lf;
    const from = lineEnd - MIN_WRAPPED_LINE;
    if (from < 0) continue;
    const next = text.charCodeAt(lf + 1);
    if (next === LF || next === CR || (!isB64(next) && next !== EQ)) continue;
    // Log lines mostly end in `}`, `"` or a word after a space: a few probes reject them cheaply.
    if (!isB64(text.charCodeAt(lineEnd - 1)) || !isB64(text.charCodeAt(from))) continue;
    if (!isB64(text.charCodeAt(from + 32)) || !allBase64(text, from, lineEnd)) continue;
    out.push(lineEnd, lf + 1);
  }
  return out;
}

/**
 * Spans of matches that cross at least one wrap break, in original offsets. A region runs
 * from one longest match before its first break to one longest match after its last one;
 * breaks closer than that share a region.
 *
 * A region is searched again only when a match across a break is possible at all: the
 * anchor of such a match either lies within one line, where the plain scan saw its hash
 * match without the pattern following (`misses`), or straddles a break (`anchorAcross`).
 * Wrapped base64 without secrets thus costs a few hash probes per line, not a second scan.
 */
export function wrappedSpans(
  text: string,
  breaks: readonly number[],
  misses: readonly number[],
  index: AnchorIndex,
  set: PatternSet,
): number[] {
  const reach = set.maxMatch + 2;
  const spans: number[] = [];
  let k = 0;
  while (k < breaks.length) {
    let end = k + 2;
    while (end < breaks.length && breaks[end] - breaks[end - 1] <= reach) end += 2;
    const regionStart = Math.max(0, breaks[k] - reach);
    const regionEnd = Math.min(text.length, breaks[end - 1] + reach);
    if (!mayCross(text, breaks, k, end, misses, regionStart, regionEnd, index)) {
      k = end;
      continue;
    }
    // Pieces of the region between breaks: original start offset and offset in the joined text.
    const origin: number[] = [regionStart];
    const joinedAt: number[] = [0];
    let joined = '';
    let from = regionStart;
    for (let b = k; b < end; b += 2) {
      joined += text.slice(from, breaks[b]);
      from = breaks[b + 1];
      origin.push(from);
      joinedAt.push(joined.length);
    }
    joined += text.slice(from, regionEnd);
    const raw = noMatches();
    index.scan(joined, raw);
    const found: number[] = [];
    extendMatches(joined, raw, set, found, []);
    for (let f = 0; f < found.length; f += 2) {
      const first = pieceOf(joinedAt, found[f]);
      const lastPiece = pieceOf(joinedAt, found[f + 1] - 1);
      if (first === lastPiece) continue; // no break inside: the plain scan has it already
      spans.push(origin[first] + found[f] - joinedAt[first]);
      spans.push(origin[lastPiece] + found[f + 1] - joinedAt[lastPiece]);
    }
    k = end;
  }
  return spans;
}

function mayCross(
  text: string,
  breaks: readonly number[],
  from: number,
  to: number,
  misses: readonly number[],
  regionStart: number,
  regionEnd: number,
  index: AnchorIndex,
): boolean {
  // misses are in scan order: find the first one at or after regionStart.
  let lo = 0;
  let hi = misses.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (misses[mid] < regionStart) lo = mid + 1;
    else hi = mid;
  }
  if (lo < misses.length && misses[lo] < regionEnd) return true;
  for (let b = from; b < to; b += 2) if (index.anchorAcross(text, breaks[b], breaks[b + 1])) return true;
  return false;
}

/** The piece holding joined offset `at` (pieces are few: a linear walk from the end is enough). */
function pieceOf(joinedAt: readonly number[], at: number): number {
  let p = joinedAt.length - 1;
  while (p > 0 && joinedAt[p] > at) p--;
  return p;
}
