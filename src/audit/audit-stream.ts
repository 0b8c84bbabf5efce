import { HushError } from '../errors/errors.ts';
import type { AuditEntry } from './audit-service.ts';
import { createFileAuditSink } from './file-audit-sink.ts';
import { createHttpAuditSink } from './http-audit-sink.ts';
import type { AuditSink, AuditStreamConfig } from './audit-stream-types.ts';

/** Copies audit entries to the configured sinks as JSON lines. */
export interface AuditStream {
  /** Writes the entry to every sink; in fail-closed mode throws 503 when none took it. */
  publish(entry: AuditEntry): void;
  /** In fail-closed mode, throws 503 while no sink can be written; otherwise never throws. */
  assertWritable(): void;
  close(): Promise<void>;
}

const unavailable = () =>
  new HushError(
    'unavailable',
    'the audit log cannot be written (HUSH_AUDIT_FAIL_CLOSED is on and no audit sink accepts entries): changes are refused until one does; reads still work',
    { details: { retry_after: 5 } },
  );

/**
 * One line per entry, with only the fields the audit API shows: who, what, which target,
 * the outcome and a short detail. Entries never hold a value or a token (the services
 * record names, ids and roles), so the stream carries none either.
 */
export function auditLine(e: AuditEntry): string {
  return JSON.stringify({
    type: 'audit',
    id: e.id,
    time: e.createdAt,
    owner: e.owner,
    actor_id: e.actorId,
    action: e.action,
    target: e.target,
    outcome: e.outcome,
    detail: e.detail,
  });
}

export function createAuditStream(config: AuditStreamConfig, onError: (message: string) => void = () => undefined): AuditStream {
  const sinks: AuditSink[] = [];
  if (config.file) sinks.push(createFileAuditSink({ file: config.file, maxBytes: config.fileMaxBytes, keep: config.fileKeep }));
  if (config.httpUrl) {
    sinks.push(createHttpAuditSink({ url: config.httpUrl, batch: config.httpBatch, flushMs: config.httpFlushMs, bufferMax: config.httpBufferMax, onError }));
  }
  const failClosed = config.failClosed && sinks.length > 0;
  let warned = false;
  return {
    publish(entry) {
      if (sinks.length === 0) return;
      const line = auditLine(entry);
      let taken = 0;
      for (const s of sinks) if (s.write(line)) taken += 1;
      if (taken < sinks.length && !warned) {
        warned = true;
        onError(`an audit sink refused an entry (${sinks.filter((s) => !s.writable()).map((s) => s.name).join(', ')})`);
      }
      if (taken === sinks.length) warned = false;
      if (taken === 0 && failClosed) throw unavailable();
    },
    assertWritable() {
      if (failClosed && !sinks.some((s) => s.writable())) throw unavailable();
    },
    async close() {
      await Promise.all(sinks.map((s) => s.close()));
    },
  };
}
