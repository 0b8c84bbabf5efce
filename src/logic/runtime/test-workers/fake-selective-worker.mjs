// Test double for a sandbox worker that answers runs at once, except a run whose code
// says HANG (a busy loop no interrupt can stop), CRASH (the worker dies) or SLOW (busy
// for 60 ms, so the pool sees a slow owner and sends its runs one by one). It answers
// batches (`runMany`) like the real worker, so batch recovery can be tested.
// A run whose code says HOST makes a host call first (without waiting for its answer).
import { parentPort } from 'node:worker_threads';

const result = (code) => ({ status: 'Success', logs: [{ level: 'Info', timestamp: new Date().toISOString(), args: [code] }], publishes: [], durationMs: 0 });
const runOne = (job, requestId, index) => {
  if (job.code.includes('HOST')) parentPort.postMessage({ type: 'host', requestId, index, callId: 1, method: 'ledger.get', args: [job.code] });
  if (job.code.includes('HANG')) for (;;);
  if (job.code.includes('CRASH')) throw new Error('simulated worker crash');
  if (job.code.includes('SLOW')) for (const end = Date.now() + 60; Date.now() < end; );
  return result(job.code);
};

parentPort.on('message', (request) => {
  if (request.type === 'run') parentPort.postMessage({ type: 'run', id: request.id, result: runOne(request, request.id, 0) });
  else if (request.type === 'runMany') parentPort.postMessage({ type: 'runMany', id: request.id, results: request.runs.map((job, i) => runOne(job, request.id, i)) });
  else if (request.type === 'stats') parentPort.postMessage({ type: 'stats', id: request.id, stats: { threadId: 0, runs: 0, heapUsedBytes: 0, wasmMemoryBytes: 0, engineRecycles: 0 } });
});
parentPort.postMessage({ type: 'ready' });
