/**
 * Streaming masker. Guarantee: the concatenation of all `push()` results and `flush()` equals
 * `mask()` of the concatenated input, for any chunking.
 *
 * How: each push re-finds spans in a window made of some already emitted text (`context`:
 * enough that a match reaching back is seen whole, and a wrap break's 64-character line is
 * visible) plus the held-back text and the new chunk. A match not yet complete can only start
 * within the last `maxWire − 1` characters (more when an escape near the end may continue in
 * a decoded view, see `SpanFinder.holdBack`), so everything before that point is final and
 * emitted; a span crossing the point is emitted whole. Spans merge when adjacent or
 * overlapping: when a later chunk extends a span whose marker was already emitted
 * (`markerOpen`), the extension is swallowed without a second marker.
 */
import { SENSITIVE, type MaskStream } from './masking-types.ts';
import { MIN_WRAPPED_LINE } from './pattern-set-fns.ts';

/** What a stream needs from a masker: merged spans of a text and the longest wire span. */
export interface SpanFinder {
  readonly maxWire: number;
  /**
   * Characters at the end of `text` that may still be the start of an unfinished match:
   * `maxWire − 1`, or more when the end holds an escape a decoded view may continue.
   */
  holdBack(text: string): number;
  find(text: string): readonly number[];
}

/** Creates a stream over `finder`; see the module comment for the guarantee. */
export function createMaskStream(finder: SpanFinder): MaskStream {
  // Emitted text kept to re-find matches that end in new text, to judge wrap breaks, and to
  // decode an escape that began just before the cut.
  const context = finder.maxWire + MIN_WRAPPED_LINE + 48;
  let buf = '';
  let base = 0; // absolute offset of buf[0]
  let emitted = 0; // absolute offset up to which output was produced
  let markerOpen = false; // output ends with a marker whose span ends exactly at `emitted`

  function emit(final: boolean): string {
    const total = base + buf.length;
    const spans = finder.find(buf);
    let cut = final ? total : Math.max(emitted, total - finder.holdBack(buf));
    for (let k = 0; k < spans.length; k += 2) {
      const start = base + spans[k];
      const end = base + spans[k + 1];
      if (start < cut && cut < end) cut = end; // never split a span: emit it whole
    }
    let out = '';
    let pos = emitted;
    let open = markerOpen;
    for (let k = 0; k < spans.length; k += 2) {
      const start = base + spans[k];
      const end = base + spans[k + 1];
      if (end <= pos) continue;
      if (start >= cut) break;
      if (start <= pos && (open || start < emitted)) {
        // Continues the marker already written (or, defensively, text already gone): no new marker.
        if (!open) out += SENSITIVE;
      } else {
        out += buf.slice(pos - base, start - base) + SENSITIVE;
      }
      pos = Math.max(pos, end);
      open = true;
    }
    if (pos < cut) {
      out += buf.slice(pos - base, cut - base);
      open = false;
      pos = cut;
    }
    markerOpen = open;
    emitted = cut;
    const keep = Math.max(base, emitted - context);
    buf = buf.slice(keep - base);
    base = keep;
    return out;
  }

  return {
    push(chunk: string): string {
      if (chunk.length === 0) return '';
      // join() builds one flat string; `buf + chunk` would be a rope (and `buf` a slice), both
      // of which V8 reads noticeably slower in the scan loop.
      buf = [buf, chunk].join('');
      return emit(false);
    },
    flush(): string {
      const out = emit(true);
      buf = '';
      base = 0;
      emitted = 0;
      markerOpen = false;
      return out;
    },
    get heldBack(): number {
      return base + buf.length - emitted;
    },
  };
}
