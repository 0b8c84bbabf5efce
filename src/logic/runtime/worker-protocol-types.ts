import type { ResolvedLimits, RunResult, ValidateResult, WorkerStats } from './runtime-types.ts';

/** One run: the module source, its context as JSON text, its limits. */
export interface RunJob {
  readonly code: string;
  readonly contextJson: string;
  readonly limits: ResolvedLimits;
}

/** A request from the pool to a sandbox worker. Each carries an id echoed by the reply. */
export type WorkerRequest =
  | ({ readonly type: 'run'; readonly id: number } & RunJob)
  /** Several runs, one after the other, answered together (fewer messages under load). */
  | { readonly type: 'runMany'; readonly id: number; readonly runs: readonly RunJob[] }
  | { readonly type: 'validate'; readonly id: number; readonly code: string; readonly limits: ResolvedLimits }
  /** `gc` runs a full garbage collection first, so heap figures compare across calls. */
  | { readonly type: 'stats'; readonly id: number; readonly gc?: boolean };

/** A message from a sandbox worker to the pool. */
export type WorkerReply =
  | { readonly type: 'ready' }
  | { readonly type: 'run'; readonly id: number; readonly result: RunResult }
  | { readonly type: 'runMany'; readonly id: number; readonly results: readonly RunResult[] }
  | { readonly type: 'validate'; readonly id: number; readonly result: ValidateResult }
  | { readonly type: 'stats'; readonly id: number; readonly stats: WorkerStats }
  /** The worker could not handle a request (a bug, not anything the function did). */
  | { readonly type: 'error'; readonly id: number; readonly message: string };

/** What the pool resolves a job with: the worker's reply, or why it never came. */
export type JobOutcome =
  | { readonly type: 'reply'; readonly reply: Exclude<WorkerReply, { type: 'ready' }> }
  /** The worker overshot the deadline by the grace period and was terminated. */
  | { readonly type: 'killed'; readonly elapsedMs: number }
  /** The worker died (crash, out of V8 heap) while handling the job. */
  | { readonly type: 'crashed'; readonly message: string; readonly elapsedMs: number };
