/**
 * `createMasker`: compiles an owner's secret values into one pattern index and masks whole
 * texts or streams with it.
 */
import { buildAnchorIndex } from './anchor-index.ts';
import { viewOpenAtEnd, viewSpans } from './decoded-views-fns.ts';
import { createMaskStream, type SpanFinder } from './mask-stream.ts';
import { noMatches, SENSITIVE, type Masker, type MaskStream } from './masking-types.ts';
import { buildPatternSet, type PatternSet } from './pattern-set-fns.ts';
import { extendMatches, mergeSpans, respectMarkers } from './span-fns.ts';
import { findWrapBreaks, wrappedSpans } from './wrapped-base64-fns.ts';

const NO_SPANS: readonly number[] = [];


/** Replaces each span of `text` (merged, sorted flat pairs) with the marker. */
export function renderMasked(text: string, spans: readonly number[]): string {
  let out = '';
  let pos = 0;
  for (let k = 0; k < spans.length; k += 2) {
    out += text.slice(pos, spans[k]) + SENSITIVE;
    pos = spans[k + 1];
  }
  return out + text.slice(pos);
}

/** Builds the span finder shared by `mask()` and streams. */
function createSpanFinder(set: PatternSet): SpanFinder {
  const index = buildAnchorIndex(set.patterns, set.fold);
  const viewHold = Math.max(set.maxWire, set.maxViewWire) - 1;
  return {
    maxWire: set.maxWire,
    holdBack: (text) => (viewOpenAtEnd(text, set) ? viewHold : set.maxWire - 1),
    find(text: string): readonly number[] {
      const raw = noMatches();
      index.scan(text, raw);
      const breaks = findWrapBreaks(text);
      let spans: number[] = [];
      const markers: number[] = [];
      if (raw.starts.length > 0 || breaks.length > 0) {
        extendMatches(text, raw, set, spans, markers);
        if (breaks.length > 0) for (const at of wrappedSpans(text, breaks, raw.misses, index, set)) spans.push(at);
        if (markers.length > 0) spans = respectMarkers(spans, markers);
        if (spans.length > 0) spans = mergeSpans(spans);
      }
      // The views read the text as it is and as the plain matches leave it (each one a
      // marker), as a second pass over the masked text would: masking stays idempotent.
      const viewed: number[] = [];
      viewSpans(text, spans, index, set, viewed);
      if (viewed.length === 0) return spans.length === 0 ? NO_SPANS : spans;
      for (const at of viewed) spans.push(at);
      if (markers.length > 0) spans = respectMarkers(spans, markers);
      return mergeSpans(spans);
    },
  };
}

const IDENTITY: Masker = {
  mask: (text) => text,
  stream: (): MaskStream => ({ push: (chunk) => chunk, flush: () => '', heldBack: 0 }),
  patternCount: 0,
  maxHoldBack: 0,
};

/**
 * Compiles a masker for `values`: each value, each line of a multi-line value and their
 * encodings (base64 at all three alignments in both alphabets, also wrapped; hex; JSON
 * escapes; percent-encodings including URL user-info; HTML entities) become `[[SENSITIVE]]`,
 * in any ASCII case (base64 and base85 excepted), and so do the hits in the decoded views
 * (`decoded-views-fns.ts`: every or some byte percent-encoded, characters `\u`-escaped or
 * written as numeric entities, byte and character-code lists).
 * Overlapping or adjacent hits give one marker; masking is idempotent. The cost per
 * character does not grow with the number of values. An empty list gives the identity.
 */
export function createMasker(values: readonly string[]): Masker {
  const set = buildPatternSet(values.filter((v) => v.length > 0));
  if (set.patterns.length === 0) return IDENTITY;
  const finder = createSpanFinder(set);
  return {
    mask(text: string): string {
      const spans = finder.find(text);
      return spans.length === 0 ? text : renderMasked(text, spans);
    },
    stream: () => createMaskStream(finder),
    patternCount: set.valueCount,
    maxHoldBack: Math.max(set.maxWire, set.maxViewWire) - 1,
  };
}
