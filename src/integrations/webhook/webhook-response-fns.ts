/**
 * What the cloud publishes after a delivery (spec §7.8) and when a failed delivery is
 * retried.
 *
 * Chunking: response data is cut to its first 100 KiB and split into chunks of at most
 * 512 bytes. A chunk is exactly 512 bytes unless a multi-byte UTF-8 character would
 * straddle the boundary; then it ends before that character (so every chunk is valid
 * UTF-8 text and no character is lost).
 */
import { renderResponseTemplate, renderTopic } from './webhook-render-fns.ts';
import type { HookEvent, SendResult, WebhookConfig, WebhookEvent } from './webhook-types.ts';
import { eventVariables } from './webhook-vars-fns.ts';

export const CHUNK_BYTES = 512;
export const MAX_RESPONSE_EVENT_BYTES = 100 * 1024;
const INTERNAL = 'particle-internal';

/** Cuts `bytes` at a character boundary no later than `max` (a continuation byte is never a start). */
function boundaryAtOrBefore(bytes: Buffer, max: number): number {
  if (max >= bytes.length) return bytes.length;
  let end = max;
  while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end--;
  return end;
}

/** Splits `text` into UTF-8-safe chunks of at most `size` bytes, within the first `limit` bytes. */
export function chunkUtf8(text: string, size = CHUNK_BYTES, limit = MAX_RESPONSE_EVENT_BYTES): string[] {
  const all = Buffer.from(text, 'utf8');
  const bytes = all.subarray(0, boundaryAtOrBefore(all, limit));
  const chunks: string[] = [];
  let start = 0;
  while (start < bytes.length) {
    let end = boundaryAtOrBefore(bytes, start + size);
    if (end <= start) end = Math.min(start + size, bytes.length); // malformed input: cut anyway
    chunks.push(bytes.subarray(start, end).toString('utf8'));
    start = end;
  }
  return chunks.length > 0 ? chunks : [''];
}

export interface ResponseEventContext {
  /** The triggering event (its actual name, not the webhook's prefix). */
  readonly event: WebhookEvent;
  readonly config: Pick<WebhookConfig, 'responseTopic' | 'errorResponseTopic' | 'responseTemplate' | 'unchunked' | 'dataUrlResponseEvent'>;
  /** The URL that was requested; only its host name appears in error events. */
  readonly requestUrl: string;
  /**
   * The owner's masker, applied to what a response template rendered (before chunking): the
   * template reads the response as parsed JSON, so escapes the masker did not list (say
   * `\u0073k_live…`) come out decoded, as the literal value.
   */
  readonly mask?: (text: string) => string;
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return 'the target';
  }
}

function topic(template: string, fallback: string, ctx: ResponseEventContext): string {
  const rendered = renderTopic(template, eventVariables(ctx.event));
  return rendered === '' ? fallback : rendered;
}

function publish(name: string, data: string, unchunked: boolean): HookEvent[] {
  if (unchunked) return [{ name, data, coreid: INTERNAL }];
  return chunkUtf8(data).map((chunk, i) => ({ name: `${name}/${i}`, data: chunk, coreid: INTERNAL }));
}

/**
 * The events to publish for one delivery attempt, in order: `hook-sent/<event>`, then
 * either the response (`hook-response/...` or the configured topic) or the error
 * (`hook-error/...`). All carry `coreid: "particle-internal"`.
 */
export function responseEvents(result: SendResult, ctx: ResponseEventContext): HookEvent[] {
  const { event, config } = ctx;
  const sent: HookEvent = { name: `hook-sent/${event.name}`, data: 'undefined', coreid: INTERNAL };
  if (!result.ok) {
    const name = topic(config.errorResponseTopic, `hook-error/${event.name}`, ctx);
    const data = result.status !== undefined
      ? `error status ${result.status} from ${hostOf(ctx.requestUrl)}`
      : (result.error ?? 'request failed');
    return [sent, ...publish(name, data, config.unchunked)];
  }
  const name = topic(config.responseTopic, `hook-response/${event.name}`, ctx);
  const body = result.body ?? '';
  const data = config.responseTemplate === undefined ? body : (ctx.mask ?? String)(renderResponseTemplate(config.responseTemplate, body, event));
  if (config.dataUrlResponseEvent) {
    const bytes = Buffer.from(data, 'utf8').subarray(0, MAX_RESPONSE_EVENT_BYTES);
    const url = `data:application/octet-stream;base64,${bytes.toString('base64')}`;
    // A data URL is only meaningful whole: one event, `/0` unless unchunked.
    return [sent, { name: config.unchunked ? name : `${name}/0`, data: url, coreid: INTERNAL }];
  }
  if (config.unchunked) {
    return [sent, { name, data: chunkUtf8(data, MAX_RESPONSE_EVENT_BYTES)[0] ?? '', coreid: INTERNAL }];
  }
  return [sent, ...publish(name, data, false)];
}

/** Particle retries a failed delivery twice: after 30 s and after 1 min. */
export const RETRY_DELAYS_MS: readonly number[] = [30_000, 60_000];

/**
 * Whether a failed attempt is worth retrying: network errors, timeouts, 429 and 5xx.
 * Other 4xx, refused targets (guard), TLS and invalid requests would fail the same way again.
 */
export function shouldRetry(result: SendResult): boolean {
  if (result.ok) return false;
  if (result.status !== undefined) return result.status === 429 || result.status >= 500;
  return result.errorKind === undefined || result.errorKind === 'network' || result.errorKind === 'timeout';
}

export interface RetryPolicy {
  readonly delaysMs: readonly number[];
  /** First attempt plus one per delay. */
  readonly maxAttempts: number;
  /** Delay before the next attempt after attempt number `attempt` (1-based) produced `result`; undefined = give up. */
  nextDelayMs(attempt: number, result: SendResult): number | undefined;
}

/** A retry policy with the given delays (default `RETRY_DELAYS_MS`). */
export function retryPolicy(delaysMs: readonly number[] = RETRY_DELAYS_MS): RetryPolicy {
  return {
    delaysMs,
    maxAttempts: delaysMs.length + 1,
    nextDelayMs(attempt, result) {
      return shouldRetry(result) ? delaysMs[attempt - 1] : undefined;
    },
  };
}
