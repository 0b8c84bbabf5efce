/**
 * From raw pattern matches to the spans that get replaced: base64 context is swallowed,
 * marker occurrences are respected, and overlapping or adjacent spans become one.
 * Spans are flat arrays `[start0, end0, start1, end1, …]` of UTF-16 offsets, end exclusive.
 */
import type { PatternSet } from './pattern-set-fns.ts';
import type { RawMatches } from './masking-types.ts';

/** 1 for the units of both base64 alphabets (standard and URL-safe), without '='. */
export const BASE64_UNITS = new Uint8Array(128);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_') BASE64_UNITS[c.charCodeAt(0)] = 1;
const B64 = BASE64_UNITS;
const EQ = 61;

/** Whether a UTF-16 unit is a base64 character of either alphabet. */
const isBase64Unit = (unit: number): boolean => unit < 128 && B64[unit] === 1;

/**
 * Appends the span of each raw match to `spans` (or to `markers` for occurrences of the marker).
 * A base64 core also takes the mixed character before it (`lead`) and the mixed character
 * after it plus the '=' padding that may follow (`tail`), when those are base64 characters.
 */
export function extendMatches(text: string, raw: RawMatches, set: PatternSet, spans: number[], markers: number[]): void {
  const n = text.length;
  for (let k = 0; k < raw.starts.length; k++) {
    const id = raw.ids[k];
    let start = raw.starts[k];
    let end = start + set.patterns[id].length;
    if (id === set.markerId) {
      markers.push(start, end);
      continue;
    }
    if (set.lead[id] === 1 && start > 0 && isBase64Unit(text.charCodeAt(start - 1))) start--;
    const tail = set.tail[id];
    if (tail > 0 && end < n && isBase64Unit(text.charCodeAt(end))) {
      end++;
      for (let pads = tail - 1; pads > 0 && end < n && text.charCodeAt(end) === EQ; pads--) end++;
    }
    spans.push(start, end);
  }
}

/** Index of the marker (pairs in `markers`, sorted) that contains offset `at`, or −1. */
function markerAt(markers: readonly number[], at: number): number {
  let lo = 0;
  let hi = markers.length / 2 - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (markers[2 * mid + 1] <= at) lo = mid + 1;
    else if (markers[2 * mid] > at) hi = mid - 1;
    else return mid;
  }
  return -1;
}

/**
 * The marker is never masked for its own sake: a span lying inside a marker is dropped (a
 * value such as `SENSITIVE` must not turn `[[SENSITIVE]]` into something else). A span that
 * overlaps or touches a marker takes all of it, so no broken marker is left behind and no
 * two markers end up side by side for a value like `E]][[SENS` to match across later.
 */
export function respectMarkers(spans: readonly number[], markers: readonly number[]): number[] {
  const out: number[] = [];
  for (let k = 0; k < spans.length; k += 2) {
    let start = spans[k];
    let end = spans[k + 1];
    const inside = markerAt(markers, start);
    if (inside !== -1 && inside === markerAt(markers, end - 1)) continue;
    const left = markerAt(markers, start - 1);
    const right = markerAt(markers, end);
    if (left !== -1) start = markers[2 * left];
    if (right !== -1) end = markers[2 * right + 1];
    out.push(start, end);
  }
  return out;
}

/** Sorts spans and merges the overlapping and adjacent ones. */
export function mergeSpans(spans: readonly number[]): number[] {
  let sorted = true;
  for (let k = 2; k < spans.length && sorted; k += 2) sorted = spans[k - 2] <= spans[k];
  let pairs = spans;
  if (!sorted) {
    const order: number[][] = [];
    for (let k = 0; k < spans.length; k += 2) order.push([spans[k], spans[k + 1]]);
    order.sort((a, b) => a[0] - b[0]);
    pairs = order.flat();
  }
  const out: number[] = [];
  for (let k = 0; k < pairs.length; k += 2) {
    const last = out.length - 1;
    if (last > 0 && pairs[k] <= out[last]) out[last] = Math.max(out[last], pairs[k + 1]);
    else out.push(pairs[k], pairs[k + 1]);
  }
  return out;
}
