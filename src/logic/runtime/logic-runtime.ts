import { availableParallelism } from 'node:os';
import {
  resolveLimits,
  type LogicRuntime,
  type ResolvedLimits,
  type RunRequest,
  type RunResult,
  type ValidateResult,
  type WorkerStats,
} from './runtime-types.ts';
import { timeoutFailure, type RunFailure } from './sandbox-errors.ts';
import { createWorkerPool } from './worker-pool.ts';
import type { JobOutcome } from './worker-protocol-types.ts';

export interface LogicRuntimeOptions {
  /** Sandbox worker threads; default `min(2, os.availableParallelism())`. */
  readonly workers?: number;
  /** Time past a run's deadline before its worker is terminated and replaced; default 1 s. */
  readonly graceMs?: number;
  /** Worker module override (tests use it to simulate a worker that hangs or dies). */
  readonly workerUrl?: URL;
  /**
   * Most workers one owner's runs and validations may occupy at once; default
   * `max(1, workers - 1)`, so a flooding owner always leaves a worker to the others.
   */
  readonly maxPerOwner?: number;
}

/** Validation compiles only, so it gets a short limit of its own. */
const VALIDATE_LIMITS: ResolvedLimits = resolveLimits({ timeoutMs: 10_000 });

/**
 * Creates the Logic sandbox runtime: a pool of worker threads, each running every request
 * in a fresh QuickJS runtime and context. The workers start at once and load QuickJS
 * before taking work; call `close()` to stop them.
 */
export function createLogicRuntime(opts: LogicRuntimeOptions = {}): LogicRuntime {
  const size = Math.max(1, Math.floor(opts.workers ?? Math.min(2, availableParallelism())));
  const pool = createWorkerPool({ size, graceMs: opts.graceMs ?? 1000, workerUrl: opts.workerUrl, maxPerOwner: opts.maxPerOwner });
  let closed = false;

  const unexpected = (outcome: JobOutcome): Error =>
    new Error(closed ? 'the Logic runtime was closed' : `unexpected sandbox reply: ${JSON.stringify(outcome).slice(0, 200)}`);

  return {
    async run(req: RunRequest): Promise<RunResult> {
      const limits = resolveLimits(req.limits);
      const contextJson = JSON.stringify(req.context);
      const outcome = await pool.submit({ type: 'run', code: req.code, contextJson, limits }, req.owner ?? '', limits.timeoutMs, req.host);
      if (closed) throw unexpected(outcome);
      switch (outcome.type) {
        case 'reply':
          if (outcome.reply.type === 'run') return outcome.reply.result;
          if (outcome.reply.type === 'error') return failedRun(internalFailure(outcome.reply.message), 0);
          throw unexpected(outcome);
        case 'killed':
          // The worker was stuck past the deadline; whatever it logged or published is lost.
          return failedRun(timeoutFailure(limits), outcome.elapsedMs);
        case 'crashed':
          return failedRun(internalFailure(`the sandbox worker died: ${outcome.message}`), outcome.elapsedMs);
      }
    },

    occupancy: () => pool.occupancy(),

    async validate(code: string, owner = ''): Promise<ValidateResult> {
      const outcome = await pool.submit({ type: 'validate', code, limits: VALIDATE_LIMITS }, owner, VALIDATE_LIMITS.timeoutMs);
      if (closed) throw unexpected(outcome);
      if (outcome.type === 'reply' && outcome.reply.type === 'validate') return outcome.reply.result;
      if (outcome.type === 'killed') return { ok: false, error: 'compiling the code took too long' };
      const message = outcome.type === 'reply' && outcome.reply.type === 'error' ? outcome.reply.message : outcome.type;
      return { ok: false, error: `InternalError: could not validate the code (${message})` };
    },

    async stats(options = {}): Promise<readonly WorkerStats[]> {
      const replies = await pool.broadcast({ type: 'stats', gc: options.gc === true });
      return replies.flatMap((reply) => (reply.type === 'stats' ? [reply.stats] : []));
    },

    async close(): Promise<void> {
      closed = true;
      await pool.close();
    },
  };
}

const internalFailure = (message: string): RunFailure => {
  const err = `InternalError: ${message}`;
  return { status: 'Failure', err, logText: err, recycleEngine: false };
};

function failedRun(failure: RunFailure, elapsedMs: number): RunResult {
  return {
    status: failure.status,
    logs: [{ level: 'Error', timestamp: new Date().toISOString(), args: [failure.logText] }],
    publishes: [],
    err: failure.err,
    durationMs: Math.round(elapsedMs * 1000) / 1000,
  };
}
