/**
 * Masker benchmark: `node --import tsx bench/masker.bench.ts`. Prints one JSON line per
 * measurement. MiB are UTF-8 MiB of the input text; each figure is the best of a few runs,
 * measured after a warm-up and a GC. `mib_per_s` is wall-clock; `cpu_mib_per_s` divides by the
 * process's user CPU time instead, which other load on a shared machine disturbs far less.
 *
 * Text: ≥ 16 MiB of JSON log lines, HTTP request dumps, URLs with tokens and base64 blobs (some
 * MIME-wrapped), with a few real occurrences of secrets in their wire forms. Secret sets of 10,
 * 1,000 and 10,000 are prefixes of one list, so all three mask the same occurrences.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createMasker, encodedForms, SENSITIVE, type Masker } from '../src/masking/index.ts';
import { wireSamples } from '../src/masking/wire-samples-fns.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const TEXT_MIB = 16;
const CHUNK = 4096;
const SIZES = [10, 1000, 10_000] as const;

/** Deterministic PRNG (mulberry32) so that every run masks the same text. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t = (t + Math.imul(t ^ (t >>> 7), t | 61)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = prng(42);
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
const token = (n: number, alphabet = ALNUM): string => Array.from({ length: n }, () => pick([...alphabet])).join('');
const hex = (n: number): string => token(n, '0123456789abcdef');

/** Secrets shaped like real ones: API keys with common prefixes, UUIDs, passwords, PEM-ish lines. */
function makeSecrets(count: number): string[] {
  const out: string[] = ['pässwörd€漢-Key!', 'p%ss"w\\rd&<x>:@ 2024'];
  while (out.length < count) {
    const kind = out.length % 6;
    if (kind === 0) out.push(`sk_live_${token(24)}`);
    else if (kind === 1) out.push(`ghp_${token(36)}`);
    else if (kind === 2) out.push(`${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}`);
    else if (kind === 3) out.push(token(32, `${ALNUM}-_`));
    else if (kind === 4) out.push(`${token(10)}!${token(6)}#${token(4)}`);
    else out.push(token(48, `${ALNUM}+/`));
  }
  return out;
}

function logText(secrets: readonly string[], mib: number): string {
  const lines: string[] = [];
  let size = 0;
  const sprinkle = secrets.slice(0, 10).flatMap((s) => wireSamples(s).map((w) => w.text));
  while (size < mib * 1048576) {
    const r = rand();
    let line: string;
    if (r < 0.5) {
      line = JSON.stringify({
        ts: new Date(1_700_000_000_000 + size).toISOString(),
        level: pick(['info', 'debug', 'warn']),
        msg: pick(['webhook delivered', 'logic run finished', 'event published']),
        device: hex(24),
        event: pick(['temp', 'humidity', 'motion']),
        data: String(Math.floor(rand() * 1000) / 10),
        duration_ms: Math.floor(rand() * 900),
      });
    } else if (r < 0.75) {
      line = `POST /v1/hooks/${hex(12)} HTTP/1.1\r\nHost: api.blynk.cloud\r\nAuthorization: Bearer ${token(40)}\r\nContent-Type: application/json\r\nUser-Agent: hush/0.1\r\n\r\n{"temp":${Math.floor(rand() * 400) / 10},"device":"Küche ${hex(6)}"}`;
    } else if (r < 0.92) {
      line = `GET https://api.example.com/v1/devices/${hex(24)}/events?access_token=${token(40)}&limit=50 -> 200`;
    } else {
      const blob = Buffer.from(token(300 + Math.floor(rand() * 400))).toString('base64');
      line = rand() < 0.5 ? `attachment: ${blob}` : blob.replace(/.{76}(?=.)/g, (l) => `${l}\r\n`);
    }
    if (rand() < 0.002) line += ` ${pick(sprinkle)}`;
    lines.push(line);
    size += line.length + 1;
  }
  return lines.join('\n');
}

interface Timing {
  /** Best wall-clock milliseconds. */
  wall: number;
  /** Best user-CPU milliseconds. */
  cpu: number;
}

/** Runs `f` once after a GC and keeps the best wall and CPU times in `into`. */
function timeInto(into: Timing, f: () => unknown): void {
  gc();
  const u = process.cpuUsage();
  const t = performance.now();
  f();
  into.wall = Math.min(into.wall, performance.now() - t);
  into.cpu = Math.min(into.cpu, process.cpuUsage(u).user / 1000);
}

function best(runs: number, f: () => unknown): Timing {
  const t = { wall: Infinity, cpu: Infinity };
  for (let r = 0; r < runs; r++) timeInto(t, f);
  return t;
}

/** MiB/s from a timing, wall-clock and CPU. */
const rates = (mib: number, t: Timing): { wall: number; cpu: number } => ({ wall: mib / (t.wall / 1000), cpu: mib / (t.cpu / 1000) });

const round = (x: number, digits = 1): number => Number(x.toFixed(digits));
const emit = (line: Record<string, unknown>): void => console.log(JSON.stringify({ bench: 'masker', ...line }));

/** Streams the chunks; `sink` gets each output piece (timed runs only count them, as a forwarder would). */
function streamAll(masker: Masker, chunks: readonly string[], sink: (piece: string) => void): void {
  const stream = masker.stream();
  for (const c of chunks) sink(stream.push(c));
  sink(stream.flush());
}

/** The naive design: one replaceAll per pattern; `share` < 1 runs a subset and extrapolates. */
function replaceAllMiBs(patterns: readonly string[], text: string, share: number): number {
  const subset = patterns.slice(0, Math.max(1, Math.round(patterns.length * share)));
  const ms = best(1, () => subset.reduce((s, p) => s.replaceAll(p, SENSITIVE), text)).wall / share;
  return Buffer.byteLength(text) / 1048576 / (ms / 1000);
}

const allSecrets = makeSecrets(10_000);
const text = logText(allSecrets, TEXT_MIB);
const textMib = Buffer.byteLength(text) / 1048576;
const chunks: string[] = [];
for (let i = 0; i < text.length; i += CHUNK) chunks.push(text.slice(i, i + CHUNK));
const absent = 'zz-not-in-the-text-zz';
const floor = rates(textMib, best(5, () => text.indexOf(absent))).wall;
const oneMiB = text.slice(0, 1048576);
const ROUNDS = 7;

// Build all maskers first, then time them round-robin, so that a burst of load from other
// processes on the machine hits every size alike; each figure is the best round.
const runs = SIZES.map((n) => {
  const values = allSecrets.slice(0, n);
  const t0 = performance.now();
  const masker = createMasker(values);
  const buildMs = performance.now() - t0;
  masker.mask(oneMiB); // warm-up: let the JIT settle before timing
  streamAll(masker, chunks.slice(0, 256), () => {});
  return { n, values, masker, buildMs, buffer: { wall: Infinity, cpu: Infinity }, stream: { wall: Infinity, cpu: Infinity } };
});
let masked = new Map<number, string>();
let emitted = 0;
const count = (piece: string): void => void (emitted += piece.length);
for (let round = 0; round < ROUNDS; round++) {
  for (const r of runs) timeInto(r.buffer, () => masked.set(r.n, r.masker.mask(text)));
  for (const r of runs) if (round < 4) timeInto(r.stream, () => streamAll(r.masker, chunks, count));
}

const results = new Map<number, { wall: number; cpu: number }>();
let speedup1k = 0;
const speeds = (r: { wall: number; cpu: number }) => ({ mib_per_s: round(r.wall), cpu_mib_per_s: round(r.cpu) });
for (const { n, values, masker, buildMs, buffer: bufferTime, stream: streamTime } of runs) {
  const buffer = rates(textMib, bufferTime);
  const stream = rates(textMib, streamTime);
  results.set(n, buffer);
  const out = masked.get(n) ?? '';
  const common = { secrets: n, patterns: masker.patternCount, build_ms: Math.round(buildMs), text_mib: round(textMib) };
  const markers = out.split(SENSITIVE).length - 1;
  const base = { baseline: 'indexOf-single', baseline_mib_per_s: round(floor) };
  emit({ ...common, mode: 'buffer', ...speeds(buffer), ...base, ratio: round(buffer.wall / floor, 3), markers });
  const pieces: string[] = [];
  streamAll(masker, chunks, (piece) => pieces.push(piece));
  const same = pieces.join('') === out;
  emit({ ...common, mode: 'stream-4KiB', ...speeds(stream), ...base, ratio: round(stream.wall / floor, 3), equals_buffer: same });

  const patterns = [...new Set(values.flatMap((v) => encodedForms(v).map((f) => f.text)))];
  const [slice, share, note] =
    n === 10
      ? [text, 1, 'whole text, all patterns']
      : n === 1000
        ? [oneMiB, 1, 'first 1 MiB of the text, all patterns']
        : [oneMiB, 0.1, 'first 1 MiB, 10% of the patterns, time extrapolated x10'];
  const naive = replaceAllMiBs(patterns, slice, share);
  if (n === 1000) speedup1k = buffer.wall / naive;
  const loop = { baseline: 'replaceAll-loop', baseline_mib_per_s: round(naive, 3), ratio: round(buffer.wall / naive), note };
  emit({ ...common, mode: 'buffer', ...speeds(buffer), ...loop });
}
masked = new Map();

const at = (n: number) => results.get(n) ?? { wall: 0, cpu: 0 };
emit({
  summary: true,
  mib_per_s_1k: round(at(1000).wall),
  cpu_mib_per_s_1k: round(at(1000).cpu),
  target_mib_per_s_1k: 100,
  throughput_10k_vs_10: round(at(10_000).wall / at(10).wall, 3),
  cpu_throughput_10k_vs_10: round(at(10_000).cpu / at(10).cpu, 3),
  target_10k_vs_10: 0.5,
  speedup_vs_replaceAll_1k: round(speedup1k),
  target_speedup: 20,
});
