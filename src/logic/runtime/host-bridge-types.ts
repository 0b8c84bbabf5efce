/**
 * The host-call bridge between a sandbox worker and the pool (main thread). Host functions
 * inside QuickJS are synchronous, and the store answers asynchronously on the main thread:
 * the worker posts a `host` message and blocks with `Atomics.wait` on a SharedArrayBuffer
 * of its own until the pool has run the job's host handler and written the answer there.
 *
 * Buffer layout: `HEADER_WORDS` Int32 words, then `CHUNK_BYTES` of answer text (UTF-8).
 * An answer longer than one chunk is sent in chunks, the worker asking for each next one
 * (`hostMore`). Only the main thread writes; the worker only reads and waits.
 */

/** Word incremented by the main thread after each write; the worker waits on it. */
export const H_SEQ = 0;
/** The call the written chunk answers (stale answers of abandoned calls are skipped). */
export const H_CALL = 1;
export const H_CHUNK = 2;
/** Bytes of answer text in this chunk. */
export const H_LEN = 3;
/** Bytes of the whole answer. */
export const H_TOTAL = 4;
/** 0: the answer is the value as JSON text; 1: it is `{ name, message }` of an error. */
export const H_STATUS = 5;
export const HEADER_WORDS = 8;
export const DATA_OFFSET = HEADER_WORDS * 4;
/** Answer bytes per chunk. */
export const CHUNK_BYTES = 256 * 1024;
/** Longest answer the bridge carries (a 1 MiB ledger instance, JSON-escaped, fits). */
export const MAX_ANSWER_BYTES = 8 * 1024 * 1024;

export const newHostBuffer = (): SharedArrayBuffer => new SharedArrayBuffer(DATA_OFFSET + CHUNK_BYTES);

/** Worker → pool: run `method` with `args` for run `index` of request `requestId`. */
export interface HostCallMessage {
  readonly type: 'host';
  readonly requestId: number;
  readonly index: number;
  readonly callId: number;
  readonly method: string;
  readonly args: readonly unknown[];
}

/** Worker → pool: write chunk `chunk` of the answer to `callId`. */
export interface HostMoreMessage {
  readonly type: 'hostMore';
  readonly callId: number;
  readonly chunk: number;
}

export type HostMessage = HostCallMessage | HostMoreMessage;

export const isHostMessage = (m: unknown): m is HostMessage =>
  typeof m === 'object' && m !== null && ((m as { type?: unknown }).type === 'host' || (m as { type?: unknown }).type === 'hostMore');

/**
 * Answers the host calls of one run (given per job by whoever submits it, scoped to the
 * run's owner). Resolves with a JSON-able value; a rejection's message is thrown inside
 * the run as an `Error`, so it must be fit for the function's author to read.
 */
export type HostHandler = (method: string, args: readonly unknown[]) => Promise<unknown>;

/** What a host call gave the worker: the value as JSON text, or the error to throw. */
export type HostAnswer =
  | { readonly ok: true; readonly json: string }
  | { readonly ok: false; readonly message: string; readonly timedOut?: boolean };
