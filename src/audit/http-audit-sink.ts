import { Agent, request } from 'undici';
import type { AuditSink } from './audit-stream-types.ts';

const SEND_TIMEOUT_MS = 10_000;
const MAX_BACKOFF_MS = 30_000;
/** On close, how long buffered entries may still take to go out. */
const CLOSE_FLUSH_MS = 5_000;

export interface HttpAuditSinkOptions {
  readonly url: string;
  readonly batch: number;
  readonly flushMs: number;
  readonly bufferMax: number;
  /** Told once per failing spell (no entry content). */
  readonly onError?: (message: string) => void;
}

/**
 * Sends JSON lines to an HTTP endpoint in batches (`POST`, `application/x-ndjson`), at most
 * `batch` lines or every `flushMs`. A failed batch (network error, non-2xx) stays at the head
 * of the buffer and is retried with exponential backoff, so entries arrive in order and each
 * once per accepted POST. The buffer holds at most `bufferMax` entries; past it new entries
 * are dropped and the next batch starts with `{"type":"audit.dropped","count":N}`.
 */
export function createHttpAuditSink(opts: HttpAuditSinkOptions): AuditSink {
  const agent = new Agent({ connections: 2, headersTimeout: SEND_TIMEOUT_MS, bodyTimeout: SEND_TIMEOUT_MS });
  const buffer: string[] = [];
  let dropped = 0;
  let failing = false;
  let sending: Promise<void> | null = null;
  let timer: NodeJS.Timeout | null = null;
  let closing = false;
  let wake: (() => void) | null = null;

  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(() => ((wake = null), resolve()), ms);
      wake = () => (clearTimeout(t), (wake = null), resolve());
    });

  const sendOnce = async (lines: readonly string[]): Promise<void> => {
    const res = await request(opts.url, {
      method: 'POST',
      dispatcher: agent,
      headers: { 'content-type': 'application/x-ndjson' },
      body: lines.join('\n') + '\n',
      signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
    });
    await res.body.dump();
    if (res.statusCode < 200 || res.statusCode > 299) throw new Error(`the audit endpoint answered ${res.statusCode}`);
  };

  const drain = async () => {
    let failures = 0;
    while (buffer.length > 0) {
      const n = Math.min(buffer.length, opts.batch);
      const lost = dropped;
      const lines = lost > 0 ? [JSON.stringify({ type: 'audit.dropped', count: lost, time: new Date().toISOString() }), ...buffer.slice(0, n)] : buffer.slice(0, n);
      try {
        await sendOnce(lines);
        buffer.splice(0, n);
        dropped -= lost;
        failing = false;
        failures = 0;
      } catch (e) {
        if (!failing) opts.onError?.(`audit HTTP sink: ${(e as Error).message}; retrying`);
        failing = true;
        if (closing) return;
        await pause(Math.min(opts.flushMs * 2 ** failures, MAX_BACKOFF_MS));
        failures += 1;
        if (closing) return;
      }
    }
  };

  const kick = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    sending ??= drain().finally(() => {
      sending = null;
      if (buffer.length > 0 && !closing) schedule();
    });
  };
  const schedule = () => {
    if (timer || sending || closing) return;
    timer = setTimeout(kick, opts.flushMs);
    timer.unref();
  };

  return {
    name: 'http',
    write(line) {
      if (closing || buffer.length >= opts.bufferMax) {
        dropped += 1;
        return false;
      }
      buffer.push(line);
      if (buffer.length >= opts.batch) kick();
      else schedule();
      return true;
    },
    writable: () => !failing && buffer.length < opts.bufferMax,
    async close() {
      if (buffer.length > 0 && !failing) kick();
      const done = sending ?? Promise.resolve();
      await Promise.race([done, new Promise((r) => setTimeout(r, CLOSE_FLUSH_MS).unref())]);
      closing = true;
      if (timer) clearTimeout(timer);
      wake?.();
      await agent.close();
    },
  };
}
