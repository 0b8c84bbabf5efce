import type { DeliveryLogEntry } from './delivery-log-store.ts';
import type { RenderedRequest, SendResult } from './webhook/webhook-types.ts';

import type { TextMasker } from '../masking/masking-types.ts';

export type { MaskerProvider, TextMasker } from '../masking/masking-types.ts';

/** How much of a response body a log entry keeps. */
export const RESPONSE_EXCERPT_CHARS = 2048;

const maskRecord = (m: TextMasker, r: Readonly<Record<string, string>> | undefined): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(r ?? {})) out[m.mask(k)] = m.mask(v);
  return out;
};

/**
 * Builds a delivery log entry with every text field passed through the owner's masker:
 * URL (user-info and query included), header names and values, bodies and error text.
 */
export function maskedLogEntry(
  m: TextMasker,
  a: { time: string; attempt: number; outcome: DeliveryLogEntry['outcome']; req: RenderedRequest | null; result: SendResult; bodyMasked?: boolean },
): Omit<DeliveryLogEntry, 'id'> {
  const { req, result } = a;
  return {
    time: a.time,
    attempt: a.attempt,
    duration_ms: Math.round(result.durationMs),
    outcome: a.outcome,
    request: req ? { method: req.method, url: m.mask(req.url), headers: maskRecord(m, req.headers), body: req.body === undefined ? null : m.mask(req.body) } : null,
    response:
      result.status !== undefined
        ? { status: result.status, headers: maskRecord(m, result.headers), // Mask the whole body before cutting it, so a value split by the cut cannot leak a prefix.
          body: (a.bodyMasked ? (result.body ?? '') : m.mask(result.body ?? '')).slice(0, RESPONSE_EXCERPT_CHARS) }
        : null,
    error: result.ok ? null : m.mask(result.error ?? (result.status !== undefined ? `HTTP ${result.status}` : 'failed')),
  };
}
