/**
 * Sends rendered webhook requests with undici: pooled keep-alive connections, the
 * outbound guard at connect time, and one deadline for the whole exchange. `send` never
 * throws: every failure becomes `error` text the delivery log can show.
 */
import { Agent } from 'undici';
import { checkUrlTarget, createGuardedLookup, OutboundRefusedError } from './outbound-guard.ts';
import type { RenderedRequest, SendErrorKind, SendResult } from './webhook-types.ts';

export const DEFAULT_TIMEOUT_MS = 20_000;
/** Only the start of a response is kept: it is all that response events and logs use. */
export const MAX_RESPONSE_BYTES = 100 * 1024;

export interface WebhookSenderOptions {
  /** Allow private, loopback and link-local targets (HUSH_ALLOW_PRIVATE_WEBHOOKS=1). */
  readonly allowPrivate: boolean;
  /** Deadline for connect + headers + body (Particle: 20 s). */
  readonly timeoutMs?: number;
  /** Max connections per origin (undici default: unlimited). */
  readonly connections?: number;
}

export interface WebhookSender {
  send(req: RenderedRequest, opts: { readonly rejectUnauthorized: boolean }): Promise<SendResult>;
  /** Waits for in-flight requests, then closes every pooled connection. */
  close(): Promise<void>;
  /** Aborts in-flight requests (they fail at once) and closes every connection. */
  destroy(): Promise<void>;
}

const TLS_CODES = /^(CERT_|ERR_TLS_|ERR_SSL_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_(GET|VERIFY)_|HOSTNAME_MISMATCH)/;

function errorChain(err: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let e: unknown = err; e !== undefined && e !== null && chain.length < 5; e = (e as { cause?: unknown }).cause) {
    chain.push(e);
    if (e instanceof AggregateError) chain.push(...e.errors);
  }
  return chain;
}

/** Maps an undici/net/tls error to a short message and kind; never includes request content. */
function describeError(err: unknown, timeoutMs: number, host: string): { error: string; errorKind: SendErrorKind } {
  const chain = errorChain(err);
  const refused = chain.find((e): e is OutboundRefusedError => e instanceof OutboundRefusedError);
  if (refused !== undefined) return { error: refused.message, errorKind: 'refused' };
  const named = (n: string): boolean => chain.some((e) => e instanceof Error && e.name === n);
  if (['TimeoutError', 'HeadersTimeoutError', 'BodyTimeoutError', 'ConnectTimeoutError'].some(named)) {
    return { error: `timeout after ${timeoutMs} ms`, errorKind: 'timeout' };
  }
  const code = chain.map((e) => (e as { code?: unknown }).code).find((c): c is string => typeof c === 'string') ?? '';
  if (code === 'ECONNREFUSED') return { error: 'connection refused', errorKind: 'network' };
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return { error: `host not found: ${host}`, errorKind: 'network' };
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return { error: 'connection closed by the server', errorKind: 'network' };
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return { error: `host unreachable: ${host}`, errorKind: 'network' };
  if (TLS_CODES.test(code)) return { error: `TLS error: ${code}`, errorKind: 'tls' };
  if (named('InvalidArgumentError')) {
    const message = err instanceof Error ? err.message : String(err);
    return { error: `invalid request: ${message}`, errorKind: 'invalid' };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { error: `request failed: ${code || message}`, errorKind: 'network' };
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

/** Cuts at a UTF-8 character boundary at or below `max` bytes. */
function utf8Prefix(bytes: Buffer, max: number): Buffer {
  if (bytes.length <= max) return bytes;
  let end = max;
  while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end--;
  return bytes.subarray(0, end);
}

/** Creates a sender; call `close()` on shutdown. */
export function createWebhookSender(opts: WebhookSenderOptions): WebhookSender {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const lookup = createGuardedLookup({ allowPrivate: opts.allowPrivate });
  const makeAgent = (rejectUnauthorized: boolean): Agent =>
    new Agent({
      ...(opts.connections === undefined ? {} : { connections: opts.connections }),
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      connect: { lookup, rejectUnauthorized, timeout: timeoutMs },
    });
  const secure = makeAgent(true);
  let insecure: Agent | undefined; // only built if some webhook opts out of certificate checks

  async function send(req: RenderedRequest, sendOpts: { readonly rejectUnauthorized: boolean }): Promise<SendResult> {
    const started = performance.now();
    const elapsed = (): number => Math.round(performance.now() - started);
    let url: URL;
    try {
      url = new URL(req.url);
      checkUrlTarget(url, opts.allowPrivate);
    } catch (err) {
      const { error, errorKind } = err instanceof OutboundRefusedError
        ? { error: err.message, errorKind: 'refused' as const }
        : { error: 'invalid request URL', errorKind: 'invalid' as const };
      return { ok: false, durationMs: elapsed(), error, errorKind };
    }
    const agent = sendOpts.rejectUnauthorized ? secure : (insecure ??= makeAgent(false));
    const signal = AbortSignal.timeout(timeoutMs);
    try {
      const res = await agent.request({
        origin: url.origin, // user-info is not part of the origin; the renderer turned it into Authorization
        path: `${url.pathname}${url.search}`,
        method: req.method,
        headers: req.headers,
        body: req.body,
        signal,
      });
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of res.body) {
        const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
        chunks.push(buf);
        size += buf.length;
        if (size > MAX_RESPONSE_BYTES) break; // leaving the loop destroys the body and its connection
      }
      const body = utf8Prefix(Buffer.concat(chunks), MAX_RESPONSE_BYTES).toString('utf8');
      return {
        ok: res.statusCode >= 200 && res.statusCode < 300,
        status: res.statusCode,
        headers: flattenHeaders(res.headers),
        body,
        durationMs: elapsed(),
      };
    } catch (err) {
      const described = signal.aborted
        ? { error: `timeout after ${timeoutMs} ms`, errorKind: 'timeout' as const }
        : describeError(err, timeoutMs, url.hostname);
      return { ok: false, durationMs: elapsed(), ...described };
    }
  }

  return {
    send,
    async close() {
      await Promise.all([secure.close(), insecure?.close()]);
    },
    async destroy() {
      await Promise.all([secure.destroy(), insecure?.destroy()]);
    },
  };
}
