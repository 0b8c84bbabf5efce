/** Where audit entries go besides the database, read from HUSH_AUDIT_* (see the README). */
export interface AuditStreamConfig {
  /** JSON-lines file, rotated by size; null: no file sink. */
  readonly file: string | null;
  readonly fileMaxBytes: number;
  /** Rotated files kept beside the current one (`<file>.1` is the newest). */
  readonly fileKeep: number;
  /** Endpoint that receives batches as `application/x-ndjson` POSTs; null: no HTTP sink. */
  readonly httpUrl: string | null;
  readonly httpBatch: number;
  readonly httpFlushMs: number;
  /** Entries held for the endpoint at most; past it new entries are dropped (and counted). */
  readonly httpBufferMax: number;
  /** Refuse changes (503) while no sink can be written, as Vault does. */
  readonly failClosed: boolean;
}

export const NO_AUDIT_STREAM: AuditStreamConfig = {
  file: null,
  fileMaxBytes: 100 * 1024 * 1024,
  fileKeep: 5,
  httpUrl: null,
  httpBatch: 100,
  httpFlushMs: 1000,
  httpBufferMax: 10_000,
  failClosed: false,
};

/** One sink of JSON lines. */
export interface AuditSink {
  readonly name: string;
  /** Takes one line (no newline); false when the sink cannot take it now. */
  write(line: string): boolean;
  /** Whether a write now would be accepted (fail-closed asks before a change). */
  writable(): boolean;
  /** Flushes what is buffered (bounded by the sink's own timeout) and releases the sink. */
  close(): Promise<void>;
}
