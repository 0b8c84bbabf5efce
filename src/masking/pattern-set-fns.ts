/**
 * Turns secret values into one deduplicated pattern table, and works out how the marker
 * `[[SENSITIVE]]` interacts with the patterns so that masking stays idempotent.
 */
import { encodedForms } from './encodings-fns.ts';
import { SENSITIVE } from './masking-types.ts';

/** Line length from which a line break between base64 characters is read as wrapping (PEM 64, MIME 76). */
export const MIN_WRAPPED_LINE = 64;

/** The search patterns of one masker, as parallel arrays indexed by pattern id. */
export interface PatternSet {
  readonly patterns: readonly string[];
  /** See `PatternSpec.lead`. */
  readonly lead: Uint8Array;
  /** See `PatternSpec.tail`. */
  readonly tail: Uint8Array;
  /** 1: the pattern also matches with its ASCII letters in another case (see `anchor-index.ts`). */
  readonly fold: Uint8Array;
  /** Id of the marker pattern when the marker must be recognised in the text, else −1. */
  readonly markerId: number;
  /** Patterns that mask something (the marker's own protective pattern excluded). */
  readonly valueCount: number;
  /** Longest pattern plus the base64 context a match may swallow. */
  readonly maxMatch: number;
  /** Longest source span one match can cover (see `wireLength`). */
  readonly maxWire: number;
  /** Longest source span one match in a decoded view can cover (see `viewLength`). */
  readonly maxViewWire: number;
}

/**
 * Base64 and base85 are case-sensitive data: a re-cased core is other bytes, so only the
 * exact form is searched. Every other form (the value, its lines, hex, JSON, percent, HTML)
 * is text a log, a URL normalizer or `toUpperCase()` may re-case.
 */
const foldable = (name: string, text: string): boolean =>
  !name.startsWith('base64') && !name.startsWith('base85') && !foldTouchesMarker(text);

const LOW_MARKER = SENSITIVE.toLowerCase();
const asciiLower = (s: string): string => s.replace(/[A-Z]+/g, (m) => m.toLowerCase());

/**
 * Whether `p` in another case could overlap the marker (`e`, `tive`, `]]x`): such a pattern
 * only matches exactly, so that the marker's own letters are never taken for a value.
 */
function foldTouchesMarker(p: string): boolean {
  const q = asciiLower(p);
  // An overlap without letters (`[`, `]]`) is the same in every case: the exact closure has it.
  const lettered = (part: string): boolean => /[a-z]/.test(part);
  if (q.includes(LOW_MARKER) || (LOW_MARKER.includes(q) && lettered(q))) return true;
  for (let k = 1; k < Math.min(LOW_MARKER.length, q.length); k++) {
    const head = q.slice(0, k);
    const tail = q.slice(q.length - k);
    if ((LOW_MARKER.endsWith(head) && lettered(head)) || (LOW_MARKER.startsWith(tail) && lettered(tail))) return true;
  }
  return false;
}

/**
 * Source characters a decoded view may spend on one unit of a pattern: a byte list writes a
 * 3-byte UTF-8 unit as `230, 188, 162, ` (15), a 2-byte one or half a surrogate pair in
 * ≤ 10, and an ASCII unit as `\u0041` or `&#x41;` (6).
 */
function viewLength(p: string, context: number): number {
  let n = 2 + 6 * context; // list brackets; base64 context is ASCII
  for (let i = 0; i < p.length; i++) {
    const c = p.charCodeAt(i);
    n += c < 0x80 ? 6 : c < 0x800 || (c >= 0xd800 && c <= 0xdfff) ? 10 : 15;
  }
  return n;
}

/**
 * A pattern the marker can overlap in masked output: it contains the marker, lies inside it,
 * or starts with the marker's end / ends with the marker's start.
 */
function touchesMarker(p: string): boolean {
  if (p.includes(SENSITIVE) || SENSITIVE.includes(p)) return true;
  return markerRemainders(p).length > 0;
}

/** The parts of `p` left over when the marker covers an edge of it or sits inside it. */
function markerRemainders(p: string): string[] {
  const out: string[] = [];
  const max = Math.min(SENSITIVE.length - 1, p.length - 1);
  for (let k = 1; k <= max; k++) {
    if (SENSITIVE.endsWith(p.slice(0, k))) out.push(p.slice(k));
    if (SENSITIVE.startsWith(p.slice(p.length - k))) out.push(p.slice(0, p.length - k));
  }
  if (p.length > SENSITIVE.length && p.includes(SENSITIVE)) {
    out.push(...p.split(SENSITIVE).filter((part) => part.length > 0));
  }
  return out;
}

/**
 * Adds the remainders of every marker-touching pattern (transitively) and says whether any
 * pattern touches the marker. Why: with values `token123` and `E]]abcdefgh`, the text
 * `token123abcdefgh` masks to `[[SENSITIVE]]abcdefgh`, where the second value now matches
 * across the marker's end, so a second pass would change the output. Masking the remainder
 * `abcdefgh` as well makes the first pass final. Only values overlapping the marker's own
 * text get such extra patterns.
 */
function withMarkerClosure(texts: Map<string, number>, add: (text: string) => void): boolean {
  let related = false;
  const work = [...texts.keys()].filter(
    (p) => SENSITIVE.includes(p[0]) || SENSITIVE.includes(p.at(-1) ?? '') || p.includes(SENSITIVE),
  );
  while (work.length > 0) {
    const p = work.pop() as string;
    if (!touchesMarker(p)) continue;
    related = true;
    for (const rest of markerRemainders(p)) {
      if (texts.has(rest)) continue;
      add(rest);
      work.push(rest);
    }
  }
  return related;
}

/** Source characters one match of `n` characters may cover: plus line breaks when the base64 is wrapped. */
const wireLength = (n: number): number => n + 2 * (1 + Math.ceil(n / MIN_WRAPPED_LINE));

/**
 * The distinct values plus their NFC and NFD forms when those differ: `é` typed on one system
 * may come back decomposed (`e` + U+0301) from another (macOS file names, some APIs), and
 * either form shows the secret. Plain ASCII values are their own normal forms.
 */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function withNormalForms(values: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const value of values) {
    out.add(value);
    if (/^[\x00-\x7f]*$/.test(value)) continue;
    // ASCII case is folded while matching; other letters (ä/Ä, ß/SS) need their own forms.
    // A lone surrogate comes back from UTF-8 (a byte list, percent-encoding) as U+FFFD.
    const wellFormed = value.replace(LONE_SURROGATE, '\ufffd');
    for (const v of [value, wellFormed, value.toUpperCase(), value.toLowerCase()]) {
      out.add(v);
      out.add(v.normalize('NFC'));
      out.add(v.normalize('NFD'));
    }
  }
  return out;
}

/** Builds the pattern table for a list of secret values (empty values are ignored). */
export function buildPatternSet(values: readonly string[]): PatternSet {
  const ids = new Map<string, number>();
  const leads: number[] = [];
  const tails: number[] = [];
  const folds: number[] = [];
  const add = (text: string, lead = 0, tail = 0, fold = 0): void => {
    const id = ids.get(text);
    if (id === undefined) {
      ids.set(text, leads.length);
      leads.push(lead);
      tails.push(tail);
      folds.push(fold);
    } else {
      // One text reached through two encodings keeps the widest context of both.
      leads[id] = Math.max(leads[id], lead);
      tails[id] = Math.max(tails[id], tail);
      folds[id] = Math.max(folds[id], fold);
    }
  };
  for (const value of withNormalForms(values)) {
    for (const form of encodedForms(value)) add(form.text, form.lead, form.tail, foldable(form.name, form.text) ? 1 : 0);
  }
  const related = ids.size > 0 && withMarkerClosure(ids, add);
  const markerIsValue = ids.has(SENSITIVE);
  if (related) add(SENSITIVE);
  const patterns = [...ids.keys()];
  let maxMatch = 0;
  let maxView = 0;
  for (let id = 0; id < patterns.length; id++) {
    maxMatch = Math.max(maxMatch, patterns[id].length + leads[id] + tails[id]);
    maxView = Math.max(maxView, viewLength(patterns[id], leads[id] + tails[id]));
  }
  // A match that overlaps or touches a marker swallows that marker, on either side.
  const markerSlack = related ? 2 * SENSITIVE.length : 0;
  return {
    patterns,
    lead: Uint8Array.from(leads),
    tail: Uint8Array.from(tails),
    fold: Uint8Array.from(folds),
    markerId: related ? (ids.get(SENSITIVE) as number) : -1,
    valueCount: patterns.length - (related && !markerIsValue ? 1 : 0),
    maxMatch,
    maxWire: maxMatch === 0 ? 0 : wireLength(maxMatch) + markerSlack,
    maxViewWire: maxMatch === 0 ? 0 : maxView + markerSlack,
  };
}
