import {
  CHUNK_BYTES, DATA_OFFSET, H_CALL, H_CHUNK, H_LEN, H_SEQ, H_STATUS, H_TOTAL, HEADER_WORDS, MAX_ANSWER_BYTES, newHostBuffer,
  type HostHandler, type HostMessage,
} from './host-bridge-types.ts';

/** The main-thread end of one worker's bridge. */
export interface HostChannel {
  /** Passed to the worker as `workerData.hostBuffer`. */
  readonly buffer: SharedArrayBuffer;
  /** Handles a `host`/`hostMore` message; `handlerOf` finds the handler of the run that called (undefined: none). */
  handle(message: HostMessage, handlerOf: (requestId: number, index: number) => HostHandler | undefined): void;
}

const encoder = new TextEncoder();

const errorText = (message: string): Uint8Array => encoder.encode(JSON.stringify({ message }));

/**
 * One worker's channel. A worker has at most one call in flight (it blocks on it); an
 * answer that comes after the worker has given up on its call (deadline) and made another
 * is dropped, and one written before is skipped by the worker (it checks the call id).
 */
export function createHostChannel(): HostChannel {
  const buffer = newHostBuffer();
  const header = new Int32Array(buffer, 0, HEADER_WORDS);
  const data = new Uint8Array(buffer, DATA_OFFSET, CHUNK_BYTES);
  let latest = 0;
  let answer: { callId: number; status: number; bytes: Uint8Array } | undefined;

  const write = (callId: number, chunk: number): void => {
    if (answer === undefined || answer.callId !== callId || callId !== latest) return;
    const start = chunk * CHUNK_BYTES;
    const part = answer.bytes.subarray(start, start + CHUNK_BYTES);
    data.set(part);
    Atomics.store(header, H_CALL, callId);
    Atomics.store(header, H_CHUNK, chunk);
    Atomics.store(header, H_LEN, part.length);
    Atomics.store(header, H_TOTAL, answer.bytes.length);
    Atomics.store(header, H_STATUS, answer.status);
    Atomics.add(header, H_SEQ, 1);
    Atomics.notify(header, H_SEQ);
    if (start + part.length >= answer.bytes.length) answer = undefined;
  };

  return {
    buffer,
    handle(message, handlerOf) {
      if (message.type === 'hostMore') return write(message.callId, message.chunk);
      const { callId } = message;
      latest = callId;
      answer = undefined;
      const handler = handlerOf(message.requestId, message.index);
      const work = handler === undefined ? Promise.reject(new Error('host calls are not available to this run')) : handler(message.method, message.args);
      void work
        .then(
          (value) => {
            const bytes = encoder.encode(JSON.stringify(value ?? null));
            if (bytes.length > MAX_ANSWER_BYTES) return { status: 1, bytes: errorText(`the answer is larger than ${MAX_ANSWER_BYTES} bytes`) };
            return { status: 0, bytes };
          },
          (error: unknown) => ({ status: 1, bytes: errorText(error instanceof Error ? error.message : String(error)) }),
        )
        .then(({ status, bytes }) => {
          if (callId !== latest) return; // the worker gave up on this call
          answer = { callId, status, bytes };
          write(callId, 0);
        });
    },
  };
}
