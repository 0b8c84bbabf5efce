import type { HostHandler } from './host-bridge-types.ts';
import type { JobOutcome, WorkerReply, WorkerRequest } from './worker-protocol-types.ts';

/** A request without its id; the pool numbers requests itself (batches are the pool's own). */
export type PoolRequest = Exclude<WorkerRequest, { type: 'runMany' }> extends infer R ? (R extends WorkerRequest ? Omit<R, 'id'> : never) : never;

export interface WorkerPoolOptions {
  readonly size: number;
  /** Module the workers run; defaults to the sandbox worker bootstrap. */
  readonly workerUrl?: URL;
  /** How long past a job's deadline the pool waits before terminating its worker. */
  readonly graceMs: number;
  /** Most runs sent to a worker in one message (default 8). */
  readonly maxBatch?: number;
  /** Most workers one owner may occupy at once (default `max(1, size - 1)`; see fair-queue.ts). */
  readonly maxPerOwner?: number;
}

/** A fixed-size pool of sandbox workers that never lets a stuck job block it. */
export interface WorkerPool {
  /**
   * Queues a request of `owner` (its owner key; requests of one owner wait in their own
   * queue and take turns with other owners'); `deadlineMs` (from dispatch) arms the
   * terminate-and-replace backstop. `host` answers the run's host calls (see host-bridge-types.ts).
   */
  submit(request: PoolRequest, owner: string, deadlineMs?: number, host?: HostHandler): Promise<JobOutcome>;
  /** Sends a control request to every worker, answered after whatever each is doing. */
  broadcast(request: PoolRequest): Promise<readonly WorkerReply[]>;
  /** Workers now (a dead one is replaced) and those running a job (metrics). */
  occupancy(): { readonly workers: number; readonly busy: number };
  close(): Promise<void>;
}
