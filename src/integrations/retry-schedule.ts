/**
 * When a failed delivery is tried again: the integration's retry schedule (Particle's
 * fixed delays by default, or exponential backoff with jitter and a maximum attempt count)
 * and a receiver's `Retry-After` on 429 and 503. Pure: the caller passes the clock and,
 * for tests, the random source.
 */
import { shouldRetry, type RetryPolicy } from './webhook/webhook-response-fns.ts';
import type { SendResult } from './webhook/webhook-types.ts';

/** A per-integration schedule; absent means the server's fixed delays (Particle: 30 s, 60 s). */
export type RetrySchedule =
  | { readonly type: 'particle' }
  | {
      readonly type: 'exponential';
      /** Attempts in all, the first one included. */
      readonly maxAttempts: number;
      /** Delay before the second attempt; each later one doubles, up to `maxDelayMs`. */
      readonly initialDelayMs: number;
      readonly maxDelayMs: number;
    };

export const EXPONENTIAL_DEFAULTS = { maxAttempts: 8, initialDelayMs: 30_000, maxDelayMs: 3_600_000 } as const;
export const RETRY_LIMITS = { maxAttempts: 20, minDelayMs: 100, maxDelayMs: 86_400_000 } as const;

/**
 * The longest wait a receiver's `Retry-After` can ask for (1 h): longer answers are cut to
 * this, so one receiver cannot park deliveries for days.
 */
export const MAX_RETRY_AFTER_MS = 3_600_000;

/**
 * A `Retry-After` value in ms from `now`: delay-seconds (`120`) or an HTTP-date. Undefined
 * when absent or unreadable; a date in the past gives 0.
 */
export function retryAfterMs(value: string | undefined, now: Date): number | undefined {
  const text = value?.trim();
  if (text === undefined || text === '') return undefined;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now.getTime());
}

/** Exponential delay before attempt `attempt + 1`, with "equal jitter": between half and all of it. */
export function exponentialDelayMs(s: Extract<RetrySchedule, { type: 'exponential' }>, attempt: number, random: () => number): number | undefined {
  if (attempt >= s.maxAttempts) return undefined;
  const full = Math.min(s.maxDelayMs, s.initialDelayMs * 2 ** Math.min(attempt - 1, 40));
  return Math.round(full / 2 + random() * (full / 2));
}

export interface NextRetryInput {
  readonly schedule: RetrySchedule | undefined;
  /** The server's fixed delays (HUSH_WEBHOOK_RETRY_DELAYS_MS, Particle's by default). */
  readonly defaults: Pick<RetryPolicy, 'nextDelayMs'>;
  /** The attempt that just failed (1-based). */
  readonly attempt: number;
  readonly result: SendResult;
  readonly now: Date;
  readonly random?: () => number;
}

/**
 * Delay before the next attempt, or undefined to give up. A 429 or 503 with `Retry-After`
 * waits at least that long (capped at {@link MAX_RETRY_AFTER_MS}) but never adds attempts.
 */
export function nextRetryDelayMs(input: NextRetryInput): number | undefined {
  const { schedule, attempt, result } = input;
  let delay: number | undefined;
  if (schedule?.type === 'exponential') delay = shouldRetry(result) ? exponentialDelayMs(schedule, attempt, input.random ?? Math.random) : undefined;
  else delay = input.defaults.nextDelayMs(attempt, result);
  if (delay === undefined || (result.status !== 429 && result.status !== 503)) return delay;
  const asked = retryAfterMs(headerValue(result.headers, 'retry-after'), input.now);
  return asked === undefined ? delay : Math.max(delay, Math.min(asked, MAX_RETRY_AFTER_MS));
}

function headerValue(headers: Readonly<Record<string, string>> | undefined, name: string): string | undefined {
  if (headers === undefined) return undefined;
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : headers[key];
}
