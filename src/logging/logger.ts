import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger } from 'pino';

/**
 * Paths pino removes from every server log line. Request logs never carry tokens,
 * passwords, cookies or secret values: bodies are not logged at all, and these paths
 * catch anything a module might attach by mistake.
 */
const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.value',
  '*.access_token',
  '*.token',
  '*.secret',
  '*.secrets',
];

/** A text filter applied to every serialized log line (the masker plugs in here). */
export type LineFilter = (line: string) => string;

export interface LoggerOptions {
  readonly level: string;
  /** Where lines go; defaults to stdout. */
  readonly destination?: DestinationStream;
  /** Applied to each line before it is written, e.g. the server-wide masker. */
  readonly filter?: () => LineFilter | null;
}

/** The process logger: pino JSON lines, redacted, optionally masked. */
export function createLogger(opts: LoggerOptions): Logger {
  const out = opts.destination ?? pino.destination({ dest: 1, sync: false });
  const filtered: DestinationStream = opts.filter
    ? {
        write(line: string) {
          const f = opts.filter?.();
          out.write(f ? f(line) : line);
        },
      }
    : out;
  return pino(
    {
      level: opts.level,
      redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      serializers: {
        req: (req: { method?: string; url?: string; id?: string }) => ({
          id: req.id,
          method: req.method,
          url: stripQueryToken(req.url ?? ''),
        }),
      },
    },
    filtered,
  );
}

/**
 * Removes `access_token=…` from a URL before it is logged, and the token in the path of
 * `DELETE /v1/access_tokens/:token` (the SDK's revoke puts the credential there).
 */
export function stripQueryToken(url: string): string {
  return url
    .replace(/([?&]access_token=)[^&#]*/gi, '$1[REDACTED]')
    .replace(/^(\/v1\/access_tokens\/)(?!current(?:[?#]|$))[^/?#]+/i, '$1[REDACTED]');
}
