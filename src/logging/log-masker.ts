import type { Logger } from 'pino';
import { createMasker, maskDeep, type Masker } from '../masking/index.ts';

export interface ServerLogMaskerDeps {
  /** Every owner's current secret values. */
  readonly loadAll: () => Promise<string[]>;
  /** Changes whenever any secret changes, on any node. */
  readonly version: () => Promise<number>;
  readonly refreshMs?: number;
}

/**
 * The server-wide masker behind the process log: defence in depth for the server's
 * own log lines, which are never supposed to hold a value in the first place. pino
 * writes synchronously, so the filter uses the last built masker and a background
 * refresh keeps it current (checked every second, and at once after a local change).
 */
export function createServerLogMasker(deps: ServerLogMaskerDeps) {
  let masker: Masker | null = null;
  let builtVersion = -1;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;

  const refresh = (): Promise<void> =>
    (running ??= (async () => {
      const v = await deps.version();
      if (v === builtVersion && masker) return;
      masker = createMasker(await deps.loadAll());
      builtVersion = v;
    })().finally(() => (running = null)));

  let soon: NodeJS.Timeout | null = null;
  return {
    filter: (line: string): string => (masker ? maskLogLine(masker, line) : line),
    refresh,
    /** A local change: rebuild shortly, once for a burst of changes (rebuilding decrypts every value). */
    refreshSoon() {
      soon ??= setTimeout(() => {
        soon = null;
        void refresh().catch(() => undefined);
      }, 100);
      soon.unref();
    },
    async start(log?: Logger) {
      await refresh();
      timer = setInterval(() => {
        void refresh().catch((err: unknown) => log?.warn({ err: String(err) }, 'could not refresh the log masker'));
      }, deps.refreshMs ?? 1000);
      timer.unref();
    },
    stop() {
      if (soon) clearTimeout(soon);
      if (timer) clearInterval(timer);
      timer = null;
    },
  };
}

export type ServerLogMasker = ReturnType<typeof createServerLogMasker>;

/**
 * Masks a JSON log line value by value: a short secret value (a quote, a colon, a digit)
 * masked in the raw text would break the line's JSON for every reader of the log.
 * Lines without a hit are returned untouched; a line that is not JSON is masked as text.
 */
export function maskLogLine(masker: Pick<Masker, 'mask'>, line: string): string {
  const masked = masker.mask(line);
  if (masked === line) return line;
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return masked;
  }
  // No depth limit: a log line is already JSON text, and any depth of it is walked.
  const out = JSON.stringify(maskDeep(masker, parsed, Number.POSITIVE_INFINITY));
  return line.endsWith('\n') ? `${out}\n` : out;
}
