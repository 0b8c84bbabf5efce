/**
 * The byte-list view: `JSON.stringify(stringToBytes(s))` logs `[88,113,…]`, Java's
 * `Arrays.toString` and Python write `[88, 113, …]`, and code joins character codes with
 * commas. A run of at least {@link MIN_RUN} integers separated by `,` (one space allowed) is
 * read as UTF-8 bytes, or, when it is not UTF-8 (numbers above 255, Latin-1 codes), as
 * character codes (both, when it is UTF-8 with bytes above 127). A hit covering a whole list
 * takes its brackets too, so the list becomes one `[[SENSITIVE]]`.
 */
import { copy, isDigit, put, putUtf8, type ViewBuilder, type ViewDecoder } from './view-builder-fns.ts';

/** Shortest list read as text: fewer numbers are too common in logs to mean a value. */
const MIN_RUN = 4;
/** Longest number: 1114111 (the last code point). */
const MAX_DIGITS = 7;
const COMMA = 44;
const SPACE = 32;

/** A parsed run: the numbers and, per number, its source `[start, end)`. */
interface Run {
  readonly values: number[];
  readonly starts: number[];
  readonly ends: number[];
  /** End of the run's last number. */
  end: number;
}

/** Whether the comma at `c` sits between two numbers (`1,2` or `1, 2`). */
function listComma(text: string, c: number): boolean {
  if (!isDigit(text.charCodeAt(c - 1))) return false;
  const next = text.charCodeAt(c + 1);
  return isDigit(next) || (next === SPACE && isDigit(text.charCodeAt(c + 2)));
}

/** Reads the run whose first separating comma is `c`, within `[from, to)`. */
function readRun(text: string, c: number, from: number, to: number): Run {
  let start = c;
  while (start > from && isDigit(text.charCodeAt(start - 1))) start--;
  const run: Run = { values: [], starts: [], ends: [], end: start };
  let i = start;
  for (;;) {
    let j = i;
    let v = 0;
    while (j < to && j - i < MAX_DIGITS && isDigit(text.charCodeAt(j))) v = v * 10 + text.charCodeAt(j++) - 48;
    if (j === i || v > 0x10ffff || (j < to && isDigit(text.charCodeAt(j)))) break;
    run.values.push(v);
    run.starts.push(i);
    run.ends.push(j);
    run.end = j;
    if (j >= to || text.charCodeAt(j) !== COMMA) break;
    i = j + 1 < to && text.charCodeAt(j + 1) === SPACE ? j + 2 : j + 1;
  }
  return run;
}

/** The next run of at least MIN_RUN numbers from `pos` on, within `[from, to)`, or null. */
function nextRun(text: string, pos: number, from: number, to: number): Run | null {
  for (let c = text.indexOf(',', pos); c !== -1 && c < to; c = text.indexOf(',', c + 1)) {
    if (!listComma(text, c)) continue;
    const run = readRun(text, c, Math.max(from, pos), to);
    if (run.values.length >= MIN_RUN) return run;
    c = Math.max(c, run.end);
  }
  return null;
}

/** Puts a run's text: UTF-8 when it is, character codes otherwise. */
function putRun(b: ViewBuilder, text: string, run: Run, from: number): void {
  const { values, starts: s, ends: e } = run;
  copy(b, text, from, s[0]);
  const bytes = values.every((v) => v < 256);
  if (bytes && putUtf8(b, values, s, e)) {
    if (values.every((v) => v < 128)) return;
    // `195,169` is `é` in UTF-8 and `Ã©` as character codes: the codes follow the UTF-8
    // reading after a U+FFFF (a noncharacter no value holds), so that both are searched.
    put(b, '\uffff', e[e.length - 1], e[e.length - 1]);
  }
  for (let k = 0; k < values.length; k++) put(b, String.fromCodePoint(values[k]), s[k], e[k]);
}

/** `[` or `[ ` just before `at`: where the list opens, else `at`. */
const listOpen = (text: string, at: number): number =>
  text.charCodeAt(at - 1) === 91 ? at - 1 : text.charCodeAt(at - 1) === SPACE && text.charCodeAt(at - 2) === 91 ? at - 2 : at;
/** `]` or ` ]` at `at`: where the list closes, else `at`. */
const listClose = (text: string, at: number): number =>
  text.charCodeAt(at) === 93 ? at + 1 : text.charCodeAt(at) === SPACE && text.charCodeAt(at + 1) === 93 ? at + 2 : at;

export const bytesDecoder: ViewDecoder = {
  spread: 1,
  seeds(text, out) {
    for (let run = nextRun(text, 0, 0, text.length); run !== null; run = nextRun(text, run.end, 0, text.length)) {
      out.push(run.starts[0], run.end);
    }
  },
  decode(text, from, to, b) {
    let pos = from;
    for (let run = nextRun(text, from, from, to); run !== null; run = nextRun(text, pos, from, to)) {
      putRun(b, text, run, pos);
      pos = run.end;
    }
    copy(b, text, pos, to);
  },
  widen(text, start, end) {
    const open = listOpen(text, start);
    const close = listClose(text, end);
    return open < start && close > end ? [open, close] : [start, end];
  },
  openAt(text, from) {
    for (let c = text.indexOf(',', from); c !== -1; c = text.indexOf(',', c + 1)) if (listComma(text, c)) return true;
    return false;
  },
};
