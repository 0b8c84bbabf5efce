/** What every masked text shows where a secret value (or an encoding of it) would have been. */
export const SENSITIVE = '[[SENSITIVE]]';

/** Anything that masks text for one owner (the masking module's per-owner cache). */
export interface TextMasker {
  mask(text: string): string;
}
export interface MaskerProvider {
  forOwner(owner: string): Promise<TextMasker>;
}

/**
 * A stateful masker for text that arrives in chunks (a response body, a log stream).
 * A value or any encoding of it split across chunks is still masked.
 */
export interface MaskStream {
  /** Feeds the next chunk; returns the masked text that is safe to emit now (may be ''). */
  push(chunk: string): string;
  /** Ends the stream: returns everything still held back, masked. The stream can then be reused. */
  flush(): string;
  /** Source characters received but not yet emitted; never above `Masker.maxHoldBack`. */
  readonly heldBack: number;
}

/** Replaces an owner's secret values and their common encodings with {@link SENSITIVE}. */
export interface Masker {
  /** Masks a whole text. Returns the same string instance when nothing matched. */
  mask(text: string): string;
  /** A new stream whose concatenated output equals `mask()` of the concatenated input. */
  stream(): MaskStream;
  /** Number of distinct search patterns (values, their lines and encodings). */
  readonly patternCount: number;
  /**
   * Upper bound of the characters a stream holds back: the longest pattern's on-the-wire
   * length − 1, where the wire form adds to the pattern the base64 characters a match may
   * swallow, the line breaks of wrapped base64, and (only for values overlapping the marker
   * text) the markers a match absorbs; or, when longer, the source length of the longest
   * pattern written out by a decoded view (`[230, 188, 162, …]`, `\u0041…`), which a stream
   * holds back only while an escape near its end may continue.
   */
  readonly maxHoldBack: number;
}

/**
 * One search pattern with the context a match may swallow. Base64 cores only cover the
 * characters that depend solely on the value's bytes; the characters that mix value bits
 * with unknown neighbouring bytes are taken in when a match is found (see `base64-fns.ts`).
 */
export interface PatternSpec {
  readonly text: string;
  /** 1: swallow one base64 character just before the match (value not on a 3-byte boundary). */
  readonly lead: 0 | 1;
  /** 0: nothing; n > 0: swallow one base64 character after the match, then up to n − 1 '='. */
  readonly tail: 0 | 2 | 3;
}

/** Raw matches of a scan, in scan order: parallel arrays of start offsets and pattern ids. */
export interface RawMatches {
  readonly starts: number[];
  readonly ids: number[];
  /** Where an anchor's full hash matched but its pattern did not (a value may run on across a line break). */
  readonly misses: number[];
}

/** An empty match list. */
export const noMatches = (): RawMatches => ({ starts: [], ids: [], misses: [] });
