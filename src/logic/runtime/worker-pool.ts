import { Worker } from 'node:worker_threads';
import type { JobOutcome, WorkerReply, WorkerRequest } from './worker-protocol-types.ts';

/** A request without its id; the pool numbers requests itself. */
export type PoolRequest = WorkerRequest extends infer R ? (R extends WorkerRequest ? Omit<R, 'id'> : never) : never;

export interface WorkerPoolOptions {
  readonly size: number;
  /** Module the workers run; defaults to the sandbox worker bootstrap. */
  readonly workerUrl?: URL;
  /** How long past a job's deadline the pool waits before terminating its worker. */
  readonly graceMs: number;
}

/** A fixed-size pool of sandbox workers that never lets a stuck job block it. */
export interface WorkerPool {
  /** Queues a request; `deadlineMs` (from dispatch) arms the terminate-and-replace backstop. */
  submit(request: PoolRequest, deadlineMs?: number): Promise<JobOutcome>;
  /** Sends a control request to every worker, answered after whatever each is doing. */
  broadcast(request: PoolRequest): Promise<readonly WorkerReply[]>;
  close(): Promise<void>;
}

interface QueuedJob {
  readonly request: PoolRequest;
  readonly deadlineMs: number | undefined;
  readonly resolve: (outcome: JobOutcome) => void;
}

interface ActiveJob extends QueuedJob {
  readonly id: number;
  readonly startedAt: number;
  readonly timer: NodeJS.Timeout | undefined;
}

interface PoolWorker {
  readonly worker: Worker;
  ready: boolean;
  job: ActiveJob | undefined;
  lastError: string | undefined;
  readonly control: Map<number, (reply: WorkerReply | undefined) => void>;
}

const DEFAULT_WORKER_URL = new URL('./sandbox-worker-bootstrap.mjs', import.meta.url);
/** Consecutive workers that died before becoming ready before queued jobs are failed. */
const MAX_START_FAILURES = 3;

/**
 * Why terminate on a deadline: QuickJS checks its interrupt handler every few thousand
 * interpreter steps, and a loop whose steps are long native calls (sorting a huge array,
 * say) can go seconds between checks. The worker's own limit covers ordinary cases; this
 * timer guarantees that no run can hold a worker forever.
 */
export function createWorkerPool(options: WorkerPoolOptions): WorkerPool {
  const workerUrl = options.workerUrl ?? DEFAULT_WORKER_URL;
  const workers = new Set<PoolWorker>();
  const queue: QueuedJob[] = [];
  let nextId = 1;
  let closed = false;
  let startFailures = 0;
  // Idle workers must not keep the process alive, but queued or running work must:
  // workers are referenced exactly while something is pending.
  let pending = 0;
  const applyRefs = (): void => {
    for (const entry of workers) {
      if (pending > 0) entry.worker.ref();
      else entry.worker.unref();
    }
  };
  const track = <T>(promise: Promise<T>): Promise<T> => {
    if (pending++ === 0) applyRefs();
    return promise.finally(() => {
      if (--pending === 0) applyRefs();
    });
  };

  const spawn = (): void => {
    const worker = new Worker(workerUrl, {
      // The bootstrap registers tsx itself; the parent's flags (--import tsx, vitest's) are not wanted.
      execArgv: [],
      // A deep native stack lets QuickJS detect stack overflow before V8 does (see MAX_STACK_BYTES).
      resourceLimits: { stackSizeMb: 32, maxOldGenerationSizeMb: 256 },
    });
    const entry: PoolWorker = { worker, ready: false, job: undefined, lastError: undefined, control: new Map() };
    workers.add(entry);
    if (pending === 0) worker.unref();
    worker.on('message', (reply: WorkerReply) => onReply(entry, reply));
    worker.on('error', (error) => {
      entry.lastError = error.message;
    });
    worker.on('exit', (code) => onExit(entry, code));
  };

  const onReply = (entry: PoolWorker, reply: WorkerReply): void => {
    if (reply.type === 'ready') {
      entry.ready = true;
      startFailures = 0;
      return dispatch();
    }
    const job = entry.job;
    if (job !== undefined && job.id === reply.id) {
      clearTimeout(job.timer);
      entry.job = undefined;
      job.resolve({ type: 'reply', reply });
      return dispatch();
    }
    entry.control.get(reply.id)?.(reply);
    entry.control.delete(reply.id);
  };

  const onExit = (entry: PoolWorker, code: number): void => {
    if (!workers.delete(entry)) return; // already replaced after a deliberate kill
    for (const resolve of entry.control.values()) resolve(undefined);
    const job = entry.job;
    if (job !== undefined) {
      clearTimeout(job.timer);
      const message = entry.lastError ?? `the sandbox worker exited with code ${code}`;
      job.resolve({ type: 'crashed', message, elapsedMs: performance.now() - job.startedAt });
    }
    if (closed) return;
    if (!entry.ready && ++startFailures >= MAX_START_FAILURES) {
      // Workers cannot start at all: fail what is queued rather than respawn forever.
      const message = `sandbox workers fail to start: ${entry.lastError ?? `exit code ${code}`}`;
      for (const queued of queue.splice(0)) queued.resolve({ type: 'crashed', message, elapsedMs: 0 });
      return;
    }
    spawn();
    dispatch();
  };

  const kill = (entry: PoolWorker, job: ActiveJob): void => {
    if (entry.job !== job) return;
    workers.delete(entry);
    entry.job = undefined;
    for (const resolve of entry.control.values()) resolve(undefined);
    void entry.worker.terminate();
    job.resolve({ type: 'killed', elapsedMs: performance.now() - job.startedAt });
    if (!closed) spawn();
  };

  const dispatch = (): void => {
    for (const entry of workers) {
      if (queue.length === 0) return;
      if (!entry.ready || entry.job !== undefined) continue;
      const queued = queue.shift() as QueuedJob;
      const id = nextId++;
      const timer =
        queued.deadlineMs === undefined
          ? undefined
          : setTimeout(() => kill(entry, job), queued.deadlineMs + options.graceMs).unref();
      const job: ActiveJob = { ...queued, id, startedAt: performance.now(), timer };
      entry.job = job;
      entry.worker.postMessage({ ...queued.request, id } as WorkerRequest);
    }
  };

  for (let i = 0; i < options.size; i++) spawn();

  return {
    submit(request, deadlineMs) {
      if (closed) return Promise.reject(new Error('the Logic runtime is closed'));
      // After a start-failure streak, a new job gives the workers another chance.
      if (workers.size === 0) for (let i = 0; i < options.size; i++) spawn();
      return track(
        new Promise<JobOutcome>((resolve) => {
          queue.push({ request, deadlineMs, resolve });
          dispatch();
        }),
      );
    },
    async broadcast(request) {
      // A starting worker queues the message and answers once it is up.
      const replies = [...workers].map((entry) =>
        track(
          new Promise<WorkerReply | undefined>((resolve) => {
            const id = nextId++;
            entry.control.set(id, resolve);
            entry.worker.postMessage({ ...request, id } as WorkerRequest);
          }),
        ),
      );
      return (await Promise.all(replies)).filter((reply): reply is WorkerReply => reply !== undefined);
    },
    async close() {
      if (closed) return;
      closed = true;
      const error = { type: 'crashed', message: 'the Logic runtime was closed', elapsedMs: 0 } as const;
      for (const queued of queue.splice(0)) queued.resolve(error);
      const all = [...workers];
      workers.clear();
      for (const entry of all) {
        clearTimeout(entry.job?.timer);
        entry.job?.resolve({ ...error, elapsedMs: performance.now() - entry.job.startedAt });
        for (const resolve of entry.control.values()) resolve(undefined);
      }
      await Promise.all(all.map((entry) => entry.worker.terminate()));
    },
  };
}
