import { Worker } from 'node:worker_threads';
import { createFairQueue } from './fair-queue.ts';
import { createHostChannel, type HostChannel } from './host-bridge-main.ts';
import { isHostMessage, type HostHandler } from './host-bridge-types.ts';
import type { JobOutcome, RunJob, WorkerReply, WorkerRequest } from './worker-protocol-types.ts';
import type { PoolRequest, WorkerPool, WorkerPoolOptions } from './worker-pool-types.ts';

export type * from './worker-pool-types.ts';

interface QueuedJob {
  readonly request: PoolRequest;
  readonly owner: string;
  readonly deadlineMs: number | undefined;
  readonly resolve: (outcome: JobOutcome) => void;
  /** A run that may share a message; not one that was in a batch whose worker died or hung (it may be the reason). */
  readonly batchable: boolean;
  readonly host?: HostHandler;
}

/** What a worker is doing: one request, or several runs of one owner sent in one message. */
interface ActiveJob {
  readonly id: number;
  readonly owner: string;
  readonly jobs: readonly QueuedJob[];
  readonly startedAt: number;
  readonly timer: NodeJS.Timeout | undefined;
}

interface PoolWorker {
  readonly worker: Worker;
  ready: boolean;
  job: ActiveJob | undefined;
  lastError: string | undefined;
  readonly control: Map<number, (reply: WorkerReply | undefined) => void>;
  readonly host: HostChannel;
}

const DEFAULT_WORKER_URL = new URL('./sandbox-worker-bootstrap.mjs', import.meta.url);
/** Consecutive workers that died before becoming ready before queued jobs are failed. */
const MAX_START_FAILURES = 3;

/**
 * Why terminate on a deadline: QuickJS checks its interrupt handler every few thousand
 * interpreter steps, and a loop whose steps are long native calls (sorting a huge array,
 * say) can go seconds between checks. The worker's own limit covers ordinary cases; this
 * timer guarantees that no run can hold a worker forever.
 *
 * Why batches: when runs queue up, a message per run (and a reply per run) costs the main
 * thread more than the run itself. Queued runs of one owner are spread over the idle
 * workers, up to `maxBatch` per message; a batch's backstop is the sum of its runs' deadlines.
 *
 * Which job goes next is the fair queue's choice (fair-queue.ts): owners take turns, none
 * occupies more than `maxPerOwner` workers, a batch holds runs of one owner only and only
 * of an owner whose runs are fast (so a batch is a short turn), and a worker's slot is
 * given back however its job ends (answered, crashed, killed past its deadline, pool closed).
 */
export function createWorkerPool(options: WorkerPoolOptions): WorkerPool {
  const workerUrl = options.workerUrl ?? DEFAULT_WORKER_URL;
  const maxBatch = Math.max(1, options.maxBatch ?? 8);
  const workers = new Set<PoolWorker>();
  const queue = createFairQueue<QueuedJob>({ maxBatch, maxPerOwner: options.maxPerOwner ?? Math.max(1, options.size - 1) });
  let nextId = 1;
  let closed = false;
  let dispatchQueued = false;
  let startFailures = 0;
  // Runs that made host calls have had effects outside their reply: never run again.
  const calledHost = new WeakSet<QueuedJob>();
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
    const host = createHostChannel();
    const worker = new Worker(workerUrl, {
      workerData: { hostBuffer: host.buffer },
      // The bootstrap registers tsx itself; the parent's flags (--import tsx, vitest's) are not wanted.
      execArgv: [],
      // A deep native stack lets QuickJS detect stack overflow before V8 does (see MAX_STACK_BYTES).
      resourceLimits: { stackSizeMb: 32, maxOldGenerationSizeMb: 256 },
    });
    const entry: PoolWorker = { worker, ready: false, job: undefined, lastError: undefined, control: new Map(), host };
    workers.add(entry);
    if (pending === 0) worker.unref();
    worker.on('message', (reply: unknown) => {
      if (!isHostMessage(reply)) return onReply(entry, reply as WorkerReply);
      entry.host.handle(reply, (requestId, index) => {
        const queued = entry.job?.id === requestId ? entry.job.jobs[index] : undefined;
        if (queued !== undefined) calledHost.add(queued);
        return queued?.host;
      });
    });
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
      release(entry, job);
      if (reply.type === 'runMany') {
        job.jobs.forEach((queued, i) => {
          const result = reply.results[i];
          queued.resolve(
            result === undefined
              ? { type: 'reply', reply: { type: 'error', id: reply.id, message: 'the sandbox worker answered fewer runs than it was sent' } }
              : { type: 'reply', reply: { type: 'run', id: reply.id, result } },
          );
        });
      } else {
        for (const queued of job.jobs) queued.resolve({ type: 'reply', reply });
      }
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
      release(entry, job, job.jobs.length === 1);
      const message = entry.lastError ?? `the sandbox worker exited with code ${code}`;
      settleLost(job, { type: 'crashed', message, elapsedMs: performance.now() - job.startedAt });
    }
    if (closed) return;
    if (!entry.ready && ++startFailures >= MAX_START_FAILURES) {
      // Workers cannot start at all: fail what is queued rather than respawn forever.
      const message = `sandbox workers fail to start: ${entry.lastError ?? `exit code ${code}`}`;
      for (const queued of queue.drain()) queued.resolve({ type: 'crashed', message, elapsedMs: 0 });
      return;
    }
    spawn();
    dispatch();
  };

  const kill = (entry: PoolWorker, job: ActiveJob): void => {
    if (entry.job !== job) return;
    workers.delete(entry);
    release(entry, job, job.jobs.length === 1);
    for (const resolve of entry.control.values()) resolve(undefined);
    void entry.worker.terminate();
    settleLost(job, { type: 'killed', elapsedMs: performance.now() - job.startedAt });
    if (closed) return;
    spawn();
    dispatch();
  };

  /**
   * The worker is done with `job`, however it ended: its timer stops and its owner's slot
   * is free. `timed`: its time tells how fast the owner's runs are (not so for a lost batch,
   * whose runs are retried one by one and timed then).
   */
  const release = (entry: PoolWorker, job: ActiveJob, timed = true): void => {
    clearTimeout(job.timer);
    entry.job = undefined;
    queue.finish(job.owner, timed ? (performance.now() - job.startedAt) / job.jobs.length : undefined);
  };

  /**
   * A worker died or was terminated with `job` on it. A single job gets the outcome; the
   * runs of a batch go back to the front of the queue to be sent one by one, so only the
   * run that hung or crashed the worker ends that way (a run that made no host call has no
   * effect outside its reply, so running it again is safe; one that did gets the outcome).
   */
  const settleLost = (job: ActiveJob, outcome: JobOutcome): void => {
    if (job.jobs.length === 1 || closed) {
      for (const queued of job.jobs) queued.resolve(outcome);
      return;
    }
    for (const queued of job.jobs) if (calledHost.has(queued)) queued.resolve(outcome);
    queue.requeue(job.jobs.filter((queued) => !calledHost.has(queued)).map((queued) => ({ ...queued, batchable: false })));
  };

  const dispatch = (): void => {
    let idle = 0;
    for (const entry of workers) if (entry.ready && entry.job === undefined) idle++;
    for (const entry of workers) {
      if (queue.size === 0) return;
      if (!entry.ready || entry.job !== undefined) continue;
      const turn = queue.take(idle);
      // Every waiting owner is at its cap: the rest waits for one of their workers.
      if (turn === undefined) return;
      const { jobs } = turn;
      idle--;
      const id = nextId++;
      // A batch runs its jobs one after the other: its backstop is the sum of their deadlines.
      const deadlines = jobs.map((queued) => queued.deadlineMs);
      const deadlineMs = deadlines.includes(undefined) ? undefined : (deadlines as number[]).reduce((sum, ms) => sum + ms, 0);
      const timer = deadlineMs === undefined ? undefined : setTimeout(() => kill(entry, job), deadlineMs + options.graceMs).unref();
      const job: ActiveJob = { id, owner: turn.owner, jobs, startedAt: performance.now(), timer };
      entry.job = job;
      if (jobs.length === 1) {
        entry.worker.postMessage({ ...(jobs[0] as QueuedJob).request, id } as WorkerRequest);
      } else {
        const runs = jobs.map((queued) => {
          const { code, contextJson, limits } = queued.request as Extract<PoolRequest, { type: 'run' }>;
          return { code, contextJson, limits } satisfies RunJob;
        });
        entry.worker.postMessage({ type: 'runMany', id, runs } satisfies WorkerRequest);
      }
    }
  };

  for (let i = 0; i < options.size; i++) spawn();

  return {
    submit(request, owner, deadlineMs, host) {
      if (closed) return Promise.reject(new Error('the Logic runtime is closed'));
      // After a start-failure streak, a new job gives the workers another chance.
      if (workers.size === 0) for (let i = 0; i < options.size; i++) spawn();
      return track(
        new Promise<JobOutcome>((resolve) => {
          queue.push({ request, owner, deadlineMs, resolve, batchable: request.type === 'run', host });
          // After the current microtasks: runs submitted together are spread as batches.
          if (!dispatchQueued) {
            dispatchQueued = true;
            queueMicrotask(() => {
              dispatchQueued = false;
              dispatch();
            });
          }
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
    occupancy() {
      let busy = 0;
      for (const entry of workers) if (entry.job !== undefined) busy++;
      return { workers: workers.size, busy };
    },
    async close() {
      if (closed) return;
      closed = true;
      const error = { type: 'crashed', message: 'the Logic runtime was closed', elapsedMs: 0 } as const;
      for (const queued of queue.drain()) queued.resolve(error);
      const all = [...workers];
      workers.clear();
      for (const entry of all) {
        const job = entry.job;
        if (job !== undefined) release(entry, job);
        for (const queued of job?.jobs ?? []) queued.resolve({ ...error, elapsedMs: performance.now() - (job as ActiveJob).startedAt });
        for (const resolve of entry.control.values()) resolve(undefined);
      }
      await Promise.all(all.map((entry) => entry.worker.terminate()));
    },
  };
}
