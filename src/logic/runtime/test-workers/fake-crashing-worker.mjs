// Test double for a sandbox worker that dies while handling a run.
import { parentPort } from 'node:worker_threads';

parentPort.on('message', () => {
  throw new Error('simulated worker crash');
});
parentPort.postMessage({ type: 'ready' });
