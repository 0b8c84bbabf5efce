import type { LogEntry } from './runtime-types.ts';

/** Longest text the runtime itself adds to a log (uncaught errors with their stack). */
const MAX_RUNTIME_ENTRY_CHARS = 16 * 1024;

/** Collects one run's log entries within a byte budget. */
export interface LogCollector {
  /** Bytes still allowed before output is truncated. */
  remaining(): number;
  readonly truncated: boolean;
  /** Adds a `console.*` entry, or truncates if it does not fit. */
  add(level: LogEntry['level'], args: readonly unknown[]): void;
  /** Stops accepting user output and adds the truncation notice (once). */
  truncate(): void;
  /** Adds an entry from the runtime itself (e.g. an uncaught error); not counted. */
  addRuntimeEntry(level: LogEntry['level'], text: string): void;
  entries(): readonly LogEntry[];
}

/**
 * Budgeted log collection: the size of an entry is the UTF-8 length of its arguments as
 * JSON. Past `maxBytes` every later entry is dropped and one Warning says so, so a runaway
 * loop of `console.log` cannot exhaust the host's memory or the run log's storage.
 */
export function createLogCollector(maxBytes: number): LogCollector {
  const entries: LogEntry[] = [];
  let used = 0;
  let truncated = false;

  const truncate = (): void => {
    if (truncated) return;
    truncated = true;
    entries.push(entry('Warning', [`[log output truncated after ${maxBytes} bytes]`]));
  };

  return {
    remaining: () => (truncated ? 0 : maxBytes - used),
    get truncated() {
      return truncated;
    },
    add(level, args) {
      if (truncated) return;
      const size = Buffer.byteLength(JSON.stringify(args));
      if (used + size > maxBytes) return truncate();
      used += size;
      entries.push(entry(level, args));
    },
    truncate,
    addRuntimeEntry(level, text) {
      const bounded = text.length > MAX_RUNTIME_ENTRY_CHARS ? `${text.slice(0, MAX_RUNTIME_ENTRY_CHARS)}…` : text;
      entries.push(entry(level, [bounded]));
    },
    entries: () => entries,
  };
}

const entry = (level: LogEntry['level'], args: readonly unknown[]): LogEntry => ({
  level,
  timestamp: new Date().toISOString(),
  args,
});
