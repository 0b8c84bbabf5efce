/**
 * Decoded views: instead of listing every way an encoder may write a value, the masker also
 * reads the text the way a decoder would (percent-decoded, JSON-unescaped, HTML-entity-decoded,
 * byte lists read back as text) and searches each view with the same pattern index. Every unit
 * of a view remembers the source span it came from, so a hit replaces exactly the original
 * characters (`%58%71` or `\u0058q` or `[88,113,…]`) however they were escaped, fully or mixed.
 * The fourth view, case folding, needs no text of its own: the index reads every unit folded
 * (see `anchor-index.ts`), in the raw text and in each decoded view.
 *
 * Cost: a view is built only around its seeds (the escapes that trigger it), one region per
 * cluster of seeds, reaching one longest match (times the decoder's spread) on either side;
 * plain text costs a few `indexOf` passes. Views are not nested: a percent-encoded JSON escape
 * is read one level deep only.
 */
import type { AnchorIndex } from './anchor-index.ts';
import { bytesDecoder } from './byte-list-view-fns.ts';
import { noMatches, SENSITIVE } from './masking-types.ts';
import type { PatternSet } from './pattern-set-fns.ts';
import { extendMatches } from './span-fns.ts';
import type { ViewBuilder, ViewDecoder } from './view-builder-fns.ts';
import { htmlDecoder, jsonDecoder, percentDecoder } from './view-decoders-fns.ts';

const DECODERS: readonly ViewDecoder[] = [percentDecoder, jsonDecoder, htmlDecoder, bytesDecoder];
/** Source characters past a longest match that an escape cut at a region's edge may take. */
const EDGE = 16;

const reachOf = (d: ViewDecoder, set: PatternSet): number => d.spread * set.maxMatch + EDGE;

/**
 * `text[from, to)` with the plain matches (`masked`, merged pairs) that overlap it replaced by
 * the marker, and the source span of each of its units; null when none overlaps.
 */
function maskedRegion(text: string, from: number, to: number, masked: readonly number[]): { text: string; starts: number[]; ends: number[] } | null {
  let k = 0;
  while (k < masked.length && masked[k + 1] <= from) k += 2;
  if (k >= masked.length || masked[k] >= to) return null;
  const out = { text: '', starts: [] as number[], ends: [] as number[] };
  const keep = (a: number, b: number): void => {
    out.text += text.slice(a, b);
    for (let i = a; i < b; i++) out.starts.push(i), out.ends.push(i + 1);
  };
  let pos = from;
  for (; k < masked.length && masked[k] < to; k += 2) {
    const start = Math.max(from, masked[k]);
    const end = Math.min(to, masked[k + 1]);
    keep(pos, start);
    out.text += SENSITIVE;
    for (let i = 0; i < SENSITIVE.length; i++) out.starts.push(start), out.ends.push(end);
    pos = end;
  }
  keep(pos, to);
  return out;
}

/** Searches the view of `region`; appends the hits' source spans (`startOf`, `endOf` map units back). */
function scanView(
  region: string,
  startOf: (at: number) => number,
  endOf: (at: number) => number,
  d: ViewDecoder,
  index: AnchorIndex,
  set: PatternSet,
  spans: number[],
): void {
  const b: ViewBuilder = { parts: [], from: [], to: [], changed: false };
  d.decode(region, 0, region.length, b);
  if (!b.changed) return;
  const view = b.parts.join('');
  const raw = noMatches();
  index.scan(view, raw);
  if (raw.starts.length === 0) return;
  const found: number[] = [];
  extendMatches(view, raw, set, found, []);
  for (let k = 0; k < found.length; k += 2) {
    const [start, end] = d.widen?.(region, b.from[found[k]], b.to[found[k + 1] - 1]) ?? [b.from[found[k]], b.to[found[k + 1] - 1]];
    spans.push(startOf(start), endOf(end));
  }
}

/**
 * Searches the view of `text[from, to)` (the region alone, so that a decoder's searches stop
 * at its end), and when plain matches overlap it, also the view of the region as they leave
 * it: a marker in place of `x8` turns `x861,45,…` into a list starting at 61, which a second
 * pass over the masked text would read, so the first pass reads it too (idempotence). The
 * raw view is still needed: a line of a value masked alone must not hide the whole value.
 */
function scanRegion(text: string, from: number, to: number, masked: readonly number[], d: ViewDecoder, index: AnchorIndex, set: PatternSet, spans: number[]): void {
  scanView(text.slice(from, to), (at) => from + at, (at) => from + at, d, index, set, spans);
  const m = maskedRegion(text, from, to, masked);
  if (m !== null) scanView(m.text, (at) => m.starts[at], (at) => m.ends[at - 1], d, index, set, spans);
}

/**
 * Appends to `spans` the source spans of every hit in every decoded view of `text`, read as
 * it is and with the plain matches `masked` (merged pairs) replaced by the marker.
 */
export function viewSpans(text: string, masked: readonly number[], index: AnchorIndex, set: PatternSet, spans: number[]): void {
  const seeds: number[] = [];
  for (const d of DECODERS) {
    seeds.length = 0;
    d.seeds(text, seeds);
    if (seeds.length === 0) continue;
    const reach = reachOf(d, set);
    for (let k = 0; k < seeds.length; ) {
      let end = k + 2;
      while (end < seeds.length && seeds[end] - seeds[end - 1] <= reach) end += 2;
      scanRegion(text, Math.max(0, seeds[k] - reach), Math.min(text.length, seeds[end - 1] + reach), masked, d, index, set, spans);
      k = end;
    }
  }
}

/**
 * Whether the end of `text` may hold the unfinished start of an encoded value (an escape within
 * a region's reach of the end): a stream then holds back up to `maxViewWire` instead of `maxWire`.
 */
export function viewOpenAtEnd(text: string, set: PatternSet): boolean {
  for (const d of DECODERS) if (d.openAt(text, Math.max(0, text.length - reachOf(d, set) - EDGE))) return true;
  return false;
}
