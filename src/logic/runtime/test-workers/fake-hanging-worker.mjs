// Test double for a sandbox worker: says it is ready, then never answers a run
// (a busy loop no interrupt can stop), so only the pool's grace timer can end it.
import { parentPort } from 'node:worker_threads';

parentPort.on('message', (request) => {
  if (request.type === 'stats') {
    parentPort.postMessage({ type: 'stats', id: request.id, stats: { threadId: 0, runs: 0, heapUsedBytes: 0, wasmMemoryBytes: 0, engineRecycles: 0 } });
    return;
  }
  for (;;);
});
parentPort.postMessage({ type: 'ready' });
