import { shouldRetry } from './webhook/webhook-response-fns.ts';
import type { SendResult } from './webhook/webhook-types.ts';

/** Particle's text for a request skipped because its host sleeps. */
export const SLEEPING_TEXT = 'Sleeping, too many errors, please wait and try again';

/** When a host is paused: over the last `windowMs`, at least `minSamples` attempts and more than `errorPercent`% of them errors. */
export interface HostWindowConfig {
  readonly windowMs: number;
  /** Fewer attempts than this never pause a host; 0 turns host health off. */
  readonly minSamples: number;
  /** 50: errors outnumber successes. */
  readonly errorPercent: number;
}

export const HOST_WINDOW_DEFAULTS: HostWindowConfig = { windowMs: 60_000, minSamples: 10, errorPercent: 50 };

/**
 * What an attempt says about its host: `ok` it answered, `error` it failed in a way worth
 * waiting out (network error, timeout, 429, 5xx: the retried failures), `none` it says
 * nothing (a refused or invalid request never reached the host; another 4xx is the
 * receiver answering about this request, not a host in trouble).
 */
export function hostSignal(result: SendResult): 'ok' | 'error' | 'none' {
  if (result.ok) return 'ok';
  return shouldRetry(result) ? 'error' : 'none';
}

/** Whether a probe found its host answering: a success, or an HTTP answer that is not a retried failure. */
export const hostAnswered = (result: SendResult): boolean => result.ok || (result.status !== undefined && !shouldRetry(result));

const BUCKETS = 10;

interface Window {
  /** Bucket start times and counts, a ring of BUCKETS covering `windowMs`. */
  readonly starts: number[];
  readonly oks: number[];
  readonly errors: number[];
  lastMs: number;
}

export interface WindowCounts {
  readonly oks: number;
  readonly errors: number;
}

/**
 * Sliding windows of attempt outcomes per host, in this node's memory: ten buckets per
 * window, so recording is a few array writes and no allocation after a host's first attempt.
 * Each node decides from its own traffic; the pause it decides is shared (host-health.ts).
 */
export function createHostWindows(cfg: HostWindowConfig) {
  const windows = new Map<string, Window>();
  const bucketMs = Math.max(1, Math.ceil(cfg.windowMs / BUCKETS));

  const counts = (w: Window, nowMs: number): WindowCounts => {
    let oks = 0;
    let errors = 0;
    for (let i = 0; i < BUCKETS; i++) {
      if (nowMs - (w.starts[i] as number) >= cfg.windowMs) continue;
      oks += w.oks[i] as number;
      errors += w.errors[i] as number;
    }
    return { oks, errors };
  };

  return {
    /** Counts one attempt; answers the window's counts when they now call for a pause, else null. */
    record(key: string, ok: boolean, nowMs: number): WindowCounts | null {
      if (cfg.minSamples <= 0) return null;
      let w = windows.get(key);
      if (w === undefined) {
        w = { starts: new Array<number>(BUCKETS).fill(-Infinity), oks: new Array<number>(BUCKETS).fill(0), errors: new Array<number>(BUCKETS).fill(0), lastMs: nowMs };
        windows.set(key, w);
      }
      const start = Math.floor(nowMs / bucketMs) * bucketMs;
      const i = Math.floor(nowMs / bucketMs) % BUCKETS;
      if (w.starts[i] !== start) {
        w.starts[i] = start;
        w.oks[i] = 0;
        w.errors[i] = 0;
      }
      if (ok) w.oks[i] = (w.oks[i] as number) + 1;
      else w.errors[i] = (w.errors[i] as number) + 1;
      w.lastMs = nowMs;
      if (ok) return null;
      const c = counts(w, nowMs);
      const total = c.oks + c.errors;
      return total >= cfg.minSamples && c.errors * 100 > cfg.errorPercent * total ? c : null;
    },
    /** Forgets a host's window (it was resumed: it starts again from nothing). */
    reset(key: string): void {
      windows.delete(key);
    },
    /** Drops windows idle for longer than the window (hosts no longer sent to). */
    sweep(nowMs: number): void {
      for (const [key, w] of windows) if (nowMs - w.lastMs >= cfg.windowMs) windows.delete(key);
    },
    size: (): number => windows.size,
  };
}

export type HostWindows = ReturnType<typeof createHostWindows>;

/** The next probe interval after a failed probe: doubled, at most `maxMs`. */
export const nextProbeIntervalMs = (currentMs: number, maxMs: number): number => Math.min(maxMs, currentMs * 2);
