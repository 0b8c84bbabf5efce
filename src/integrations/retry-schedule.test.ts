import { describe, expect, it } from 'vitest';
import { MAX_RETRY_AFTER_MS, nextRetryDelayMs, retryAfterMs, type RetrySchedule } from './retry-schedule.ts';
import { retryPolicy } from './webhook/webhook-response-fns.ts';
import type { SendResult } from './webhook/webhook-types.ts';

const now = new Date('2026-01-01T00:00:00Z');
const status = (s: number, headers: Record<string, string> = {}): SendResult => ({ ok: false, status: s, headers, durationMs: 1 });
const exp: RetrySchedule = { type: 'exponential', maxAttempts: 5, initialDelayMs: 1000, maxDelayMs: 5000 };
const next = (schedule: RetrySchedule | undefined, attempt: number, result: SendResult, random = () => 1) =>
  nextRetryDelayMs({ schedule, defaults: retryPolicy(), attempt, result, now, random });

describe('retry schedule', () => {
  it("keeps Particle's 30 s, 60 s by default and gives up after them", () => {
    expect([1, 2, 3].map((a) => next(undefined, a, status(500)))).toEqual([30_000, 60_000, undefined]);
    expect(next({ type: 'particle' }, 1, status(500))).toBe(30_000);
    expect(next(undefined, 1, status(404))).toBeUndefined();
  });

  it('backs off exponentially with equal jitter, capped, up to max_attempts', () => {
    expect([1, 2, 3, 4, 5].map((a) => next(exp, a, status(502)))).toEqual([1000, 2000, 4000, 5000, undefined]);
    expect([1, 2, 3, 4].map((a) => next(exp, a, status(502), () => 0))).toEqual([500, 1000, 2000, 2500]);
    expect(next(exp, 1, status(400))).toBeUndefined();
  });

  it('reads Retry-After as seconds or an HTTP-date', () => {
    expect(retryAfterMs('120', now)).toBe(120_000);
    expect(retryAfterMs(new Date(now.getTime() + 7000).toUTCString(), now)).toBe(7000);
    expect(retryAfterMs('Thu, 01 Jan 2025 00:00:00 GMT', now)).toBe(0);
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs(undefined, now)).toBeUndefined();
  });

  it('waits at least what a 429 or 503 asks (capped), never less than the schedule, and adds no attempts', () => {
    expect(next(undefined, 1, status(429, { 'retry-after': '90' }))).toBe(90_000);
    expect(next(undefined, 1, status(503, { 'Retry-After': '1' }))).toBe(30_000);
    expect(next(undefined, 1, status(429, { 'retry-after': '999999' }))).toBe(MAX_RETRY_AFTER_MS);
    expect(next(undefined, 1, status(500, { 'retry-after': '90' }))).toBe(30_000);
    expect(next(undefined, 3, status(429, { 'retry-after': '1' }))).toBeUndefined();
  });
});
