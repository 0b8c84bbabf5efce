/**
 * Entry of a sandbox worker thread (started through `sandbox-worker-bootstrap.mjs`).
 * It loads QuickJS once and then handles one request at a time, in arrival order. Between
 * runs it frees the last sandbox and builds the next one (after the last run of a request,
 * once the reply has gone out).
 */
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parentPort, threadId, workerData } from 'node:worker_threads';
import { createWorkerHostBridge } from './host-bridge-worker.ts';
import { createSandboxEngine } from './sandbox-engine.ts';
import { createSandboxRunner } from './sandbox-run.ts';
import { validateSandboxCode } from './sandbox-validate.ts';
import type { RunResult } from './runtime-types.ts';
import type { WorkerReply, WorkerRequest } from './worker-protocol-types.ts';

const port = parentPort;
if (port === null) throw new Error('sandbox-worker.ts must run in a worker thread');

const engine = createSandboxEngine();
const runner = createSandboxRunner(engine);
const hostBridge = createWorkerHostBridge(port, (workerData as { hostBuffer?: SharedArrayBuffer } | null)?.hostBuffer);
let runs = 0;

/** Work to do after the reply is posted: free the run's sandbox, build the next one. */
let afterReply: (() => Promise<void>) | undefined;

async function handle(request: WorkerRequest): Promise<WorkerReply> {
  switch (request.type) {
    case 'run': {
      runs += 1;
      const finished = await runner.run(request, hostBridge.forRun(request.id, 0));
      afterReply = async () => {
        finished.release();
        await runner.prepareNext();
      };
      return { type: 'run', id: request.id, result: finished.result };
    }
    case 'runMany': {
      const results: RunResult[] = [];
      for (const [i, job] of request.runs.entries()) {
        runs += 1;
        const finished = await runner.run(job, hostBridge.forRun(request.id, i));
        results.push(finished.result);
        if (i === request.runs.length - 1) {
          afterReply = async () => {
            finished.release();
            await runner.prepareNext();
          };
        } else {
          finished.release();
          await runner.prepareNext();
        }
      }
      return { type: 'runMany', id: request.id, results };
    }
    case 'validate':
      return { type: 'validate', id: request.id, result: await validateSandboxCode(engine, request.code, request.limits) };
    case 'stats':
      if (request.gc) collectGarbage();
      return {
        type: 'stats',
        id: request.id,
        stats: {
          threadId,
          runs,
          heapUsedBytes: getHeapStatistics().used_heap_size,
          wasmMemoryBytes: engine.memoryBytes(),
          engineRecycles: engine.recycles,
        },
      };
  }
}

/** Full GC on request (leak checks); `--expose-gc` cannot be passed to a worker's execArgv. */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

// Requests are chained so an awaited engine instantiation never lets two runs interleave.
let queue: Promise<void> = Promise.resolve();
port.on('message', (request: WorkerRequest) => {
  queue = queue.then(async () => {
    let reply: WorkerReply;
    try {
      reply = await handle(request);
    } catch (error) {
      reply = { type: 'error', id: request.id, message: error instanceof Error ? error.message : String(error) };
    }
    port.postMessage(reply);
    const after = afterReply;
    afterReply = undefined;
    await after?.().catch(() => undefined);
  });
});

// Instantiate the engine and the first sandbox before saying ready.
await runner.prepareNext();
port.postMessage({ type: 'ready' } satisfies WorkerReply);
