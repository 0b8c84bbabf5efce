import type { DeliveryLogEntry } from './delivery-log-store.ts';
import type { RenderedRequest, SendResult } from './webhook/webhook-types.ts';

import type { TextMasker } from '../masking/masking-types.ts';
import { maskTextRecord } from '../masking/index.ts';

export type { MaskerProvider, TextMasker } from '../masking/masking-types.ts';

/** How much of a response body a log entry keeps. */
export const RESPONSE_EXCERPT_CHARS = 2048;

/**
 * The one masking of a send result: body (whole, before any cut, so a value split by a cut
 * cannot leak a prefix), response headers and error text. The attempt masks each result
 * once with this; its log entry, hook events and test answer all show this copy.
 */
export function maskedResult(m: TextMasker, result: SendResult): SendResult {
  return {
    ...result,
    ...(result.body === undefined ? {} : { body: m.mask(result.body) }),
    ...(result.headers === undefined ? {} : { headers: maskTextRecord(m, result.headers) }),
    ...(result.error === undefined ? {} : { error: m.mask(result.error) }),
  };
}

/**
 * Builds a delivery log entry from a result already passed through {@link maskedResult};
 * the request's URL (user-info and query included), header names and values and body are
 * masked here.
 */
export function maskedLogEntry(
  m: TextMasker,
  a: { time: string; attempt: number; outcome: DeliveryLogEntry['outcome']; req: RenderedRequest | null; result: SendResult },
): Omit<DeliveryLogEntry, 'id'> {
  const { req, result } = a;
  return {
    time: a.time,
    attempt: a.attempt,
    duration_ms: Math.round(result.durationMs),
    outcome: a.outcome,
    request: req ? { method: req.method, url: m.mask(req.url), headers: maskTextRecord(m, req.headers), body: req.body === undefined ? null : m.mask(req.body) } : null,
    response: result.status !== undefined ? { status: result.status, headers: { ...result.headers }, body: (result.body ?? '').slice(0, RESPONSE_EXCERPT_CHARS) } : null,
    error: result.ok ? null : (result.error ?? m.mask(result.status !== undefined ? `HTTP ${result.status}` : 'failed')),
  };
}
