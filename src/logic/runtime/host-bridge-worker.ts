import type { MessagePort } from 'node:worker_threads';
import {
  DATA_OFFSET, H_CALL, H_CHUNK, H_LEN, H_SEQ, H_STATUS, H_TOTAL, HEADER_WORDS,
  type HostAnswer, type HostCallMessage, type HostMoreMessage,
} from './host-bridge-types.ts';

/** Makes host calls for one run, blocking until the answer is there or `deadline` (a `Date.now()` value) passes. */
export type HostCaller = (method: string, args: readonly unknown[], deadline: number) => HostAnswer;

/** The worker end of the bridge: a caller per run (request id and index in a batch). */
export interface WorkerHostBridge {
  forRun(requestId: number, index: number): HostCaller;
}

const decoder = new TextDecoder();

/** Without a buffer (a worker started by something else than the pool) every call answers an error. */
export function createWorkerHostBridge(port: Pick<MessagePort, 'postMessage'>, buffer: SharedArrayBuffer | undefined): WorkerHostBridge {
  let nextCall = 0;
  if (buffer === undefined) {
    return { forRun: () => () => ({ ok: false, message: 'host calls are not available in this worker' }) };
  }
  const header = new Int32Array(buffer, 0, HEADER_WORDS);
  const data = new Uint8Array(buffer, DATA_OFFSET);

  const call = (requestId: number, index: number, method: string, args: readonly unknown[], deadline: number): HostAnswer => {
    const callId = ++nextCall;
    let seen = Atomics.load(header, H_SEQ);
    port.postMessage({ type: 'host', requestId, index, callId, method, args } satisfies HostCallMessage);
    const parts: Uint8Array[] = [];
    let received = 0;
    let chunk = 0;
    for (;;) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) return { ok: false, message: 'the run reached its time limit waiting for the answer', timedOut: true };
      Atomics.wait(header, H_SEQ, seen, remaining);
      seen = Atomics.load(header, H_SEQ);
      // An answer to an abandoned call, or a write still to come: wait on.
      if (Atomics.load(header, H_CALL) !== callId || Atomics.load(header, H_CHUNK) !== chunk) continue;
      const length = Atomics.load(header, H_LEN);
      const total = Atomics.load(header, H_TOTAL);
      // `slice` copies out of the shared memory (TextDecoder refuses shared views).
      parts.push(data.slice(0, length));
      received += length;
      if (received < total) {
        chunk += 1;
        port.postMessage({ type: 'hostMore', callId, chunk } satisfies HostMoreMessage);
        continue;
      }
      const text = decoder.decode(parts.length === 1 ? parts[0] : Buffer.concat(parts));
      if (Atomics.load(header, H_STATUS) === 0) return { ok: true, json: text };
      return { ok: false, message: String((JSON.parse(text) as { message?: unknown }).message) };
    }
  };

  return { forRun: (requestId, index) => (method, args, deadline) => call(requestId, index, method, args, deadline) };
}
