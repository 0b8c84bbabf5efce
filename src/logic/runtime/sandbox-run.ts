import type { QuickJSContext, QuickJSHandle, QuickJSRuntime } from 'quickjs-emscripten';
import { loadGeoIndex } from './geo-index.ts';
import { GEO_MODULE, installGeo } from './geo-module.ts';
import type { HostCaller } from './host-bridge-worker.ts';
import { createLogCollector, type LogCollector } from './log-collector.ts';
import { createModuleLoader, FUNCTION_MODULE_FILE } from './module-loader.ts';
import { MAX_API_BYTES_PER_RUN, MAX_API_CALLS_PER_RUN } from './particle-api-module.ts';
import type { ParticleCoreState } from './particle-core-module.ts';
import { MAX_LEDGER_BYTES_PER_RUN, MAX_LEDGER_CALLS_PER_RUN } from './particle-ledger-module.ts';
import { DEFAULT_LIMITS, type PublishRequest, type ResolvedLimits, type RunResult } from './runtime-types.ts';
import type { SandboxEngine } from './sandbox-engine.ts';
import { classifyThrown, engineFault, readThrown, timeoutFailure, type RunFailure } from './sandbox-errors.ts';
import { newBudget } from './sandbox-host-call.ts';
import { disposeSandbox, prepareSandbox, type PreparedSandbox } from './sandbox-prepare.ts';

/** One run as the worker receives it: the context is already JSON text. */
export interface SandboxJob {
  readonly code: string;
  readonly contextJson: string;
  readonly limits: ResolvedLimits;
}

/** A finished run whose sandbox is not freed yet: reply first, then call `release`. */
export interface FinishedRun {
  readonly result: RunResult;
  /** Disposes the sandbox (or drops the engine instance if it cannot be trusted). */
  release(): void;
}

/** Runs jobs one at a time, each in its own sandbox, keeping the next sandbox ready. */
export interface SandboxRunner {
  /** `host` makes the run's host calls (Particle.ledger); without it they throw. */
  run(job: SandboxJob, host?: HostCaller): Promise<FinishedRun>;
  /** Builds the sandbox for the next run (memory limit of the last run) if none is waiting. */
  prepareNext(): Promise<void>;
}

export function createSandboxRunner(engine: SandboxEngine): SandboxRunner {
  let prepared: PreparedSandbox | undefined;
  let lastMemoryBytes = DEFAULT_LIMITS.memoryBytes;

  return {
    async run(job, host) {
      // The place index takes a second or two to build: not on the run's clock.
      if (job.code.includes(GEO_MODULE)) loadGeoIndex();
      const started = performance.now();
      lastMemoryBytes = job.limits.memoryBytes;
      const instance = await engine.instanceFor(job.limits.memoryBytes);
      let sandbox = prepared;
      prepared = undefined;
      if (sandbox !== undefined && sandbox.instance !== instance) {
        // Prepared for another memory limit: each instance's memory cap is its run's limit.
        releaseSandbox(engine, sandbox, false);
        sandbox = undefined;
      }
      const logs = createLogCollector(job.limits.maxLogBytes);
      const publishes: PublishRequest[] = [];
      const growFailuresBefore = instance.growFailures();
      const heapExhausted = (): boolean => instance.growFailures() > growFailuresBefore;
      let failure: RunFailure | undefined;
      let trusted = true;
      try {
        sandbox ??= prepareSandbox(instance);
        const outcome = execute(sandbox, job, logs, publishes, heapExhausted, host);
        failure = outcome.failure;
        // Interrupted where the error could be caught (a promise job's .catch, a host call
        // that waited past the deadline): still a Timeout.
        if ((sandbox.interrupted() || outcome.core?.hostTimedOut) && failure?.status !== 'Timeout') failure = timeoutFailure(job.limits);
      } catch (error) {
        // A fault below the interpreter (WebAssembly trap, native stack overflow): the
        // instance's heap cannot be trusted, so nothing in it is disposed or reused.
        failure = engineFault(error, heapExhausted(), job.limits);
        trusted = false;
      }
      if (failure) logs.addRuntimeEntry('Error', failure.logText);
      const result: RunResult = {
        status: failure?.status ?? 'Success',
        logs: logs.entries(),
        publishes,
        ...(failure ? { err: failure.err } : {}),
        durationMs: Math.round((performance.now() - started) * 1000) / 1000,
      };
      // After the heap hit its ceiling a fresh instance gives the memory back and rules
      // out damage from allocations that failed inside the binding.
      const recycle = !trusted || failure?.recycleEngine === true || heapExhausted();
      const used = sandbox;
      return {
        result,
        release: () => {
          if (used !== undefined && trusted) releaseSandbox(engine, used, recycle);
          else if (recycle) engine.discard(instance);
        },
      };
    },

    async prepareNext() {
      if (prepared !== undefined) return;
      const instance = await engine.instanceFor(lastMemoryBytes);
      try {
        prepared = prepareSandbox(instance);
      } catch {
        engine.discard(instance);
      }
    },
  };
}

function releaseSandbox(engine: SandboxEngine, sandbox: PreparedSandbox, recycle: boolean): void {
  try {
    disposeSandbox(sandbox);
  } catch {
    // QuickJS aborts on a leaked handle; the instance is unusable after that.
    recycle = true;
  }
  if (recycle) engine.discard(sandbox.instance);
}

function execute(
  sandbox: PreparedSandbox,
  job: SandboxJob,
  logs: LogCollector,
  publishes: PublishRequest[],
  heapExhausted: () => boolean,
  host: HostCaller | undefined,
): { failure: RunFailure | undefined; core?: ParticleCoreState } {
  const { rt, vm, scope } = sandbox;
  const stopped = (): boolean => sandbox.interrupted();
  const failWith = (handle: QuickJSHandle): RunFailure => {
    const thrown = readThrown(vm, handle);
    handle.dispose();
    return classifyThrown(thrown, job.limits, heapExhausted());
  };

  rt.setMemoryLimit(job.limits.memoryBytes);
  rt.setMaxStackSize(job.limits.maxStackBytes);
  rt.setModuleLoader(createModuleLoader(job.code, { beforeGeo: () => installGeo(vm, scope, sandbox.guard) }));
  const contextText = vm.newString(job.contextJson);
  const parsed = vm.callFunction(sandbox.jsonParse, vm.undefined, contextText);
  contextText.dispose();
  const contextHandle = scope.manage(vm.unwrapResult(parsed));
  const deadline = Date.now() + job.limits.timeoutMs;
  const core: ParticleCoreState = {
    maxPublishes: job.limits.maxPublishes, publishes, publishBytes: 0, contextHandle, host, deadline, hostTimedOut: false,
    ledger: newBudget('Particle.ledger', MAX_LEDGER_CALLS_PER_RUN, MAX_LEDGER_BYTES_PER_RUN),
    api: newBudget('Particle cloud API helpers', MAX_API_CALLS_PER_RUN, MAX_API_BYTES_PER_RUN),
  };
  sandbox.bind({ logs, core, deadline });
  return { failure: evaluate(sandbox, job, logs, failWith, stopped, contextHandle), core };
}

function evaluate(
  sandbox: PreparedSandbox,
  job: SandboxJob,
  logs: LogCollector,
  failWith: (handle: QuickJSHandle) => RunFailure,
  stopped: () => boolean,
  contextHandle: QuickJSHandle,
): RunFailure | undefined {
  const { rt, vm, scope } = sandbox;

  const evaluated = vm.evalCode(job.code, FUNCTION_MODULE_FILE, { type: 'module' });
  if (evaluated.error) return failWith(evaluated.error);
  const namespace = scope.manage(evaluated.value);
  // A module with top-level await evaluates to a promise of its namespace.
  const settledNamespace = settle(rt, vm, namespace, stopped);
  if (settledNamespace.error) return failWith(settledNamespace.error);
  if (settledNamespace.value === undefined) {
    return plainFailure('Error: the module did not finish evaluating (top-level await on a promise that never settles)');
  }
  const exports = settledNamespace.value === namespace ? namespace : scope.manage(settledNamespace.value);

  const main = scope.manage(vm.getProp(exports, 'default'));
  const mainType = vm.typeof(main);
  if (mainType === 'undefined') {
    return plainFailure('Error: the module has no default export; a Logic function must `export default function (context) { ... }`');
  }
  if (mainType !== 'function') return plainFailure(`TypeError: the default export is not a function (it is ${describeType(vm, main, mainType)})`);

  const called = vm.callFunction(main, vm.undefined, contextHandle);
  if (called.error) return failWith(called.error);
  const returned = scope.manage(called.value);
  // Async functions are not part of the spec, but a promise that settles is honoured.
  const outcome = settle(rt, vm, returned, stopped);
  if (outcome.error) return failWith(outcome.error);
  if (outcome.value === undefined) logs.addRuntimeEntry('Warning', 'The promise returned by the function never settled.');
  else if (outcome.value !== returned) outcome.value.dispose();
  return undefined;
}

type Settled = { readonly value: QuickJSHandle | undefined; readonly error?: undefined } | { readonly error: QuickJSHandle };

/**
 * Runs pending jobs until `handle` (a promise or any value) settles, then drains the jobs
 * the function queued (e.g. `Promise.resolve().then(publish)`). A non-promise settles to
 * itself; `value` is undefined when the promise is pending with no job left to run, or
 * when the run was interrupted (`stopped`).
 */
function settle(rt: QuickJSRuntime, vm: QuickJSContext, handle: QuickJSHandle, stopped: () => boolean): Settled {
  for (;;) {
    const state = vm.getPromiseState(handle);
    if (state.type === 'rejected') return { error: state.error };
    if (state.type === 'fulfilled') {
      const value = state.notAPromise ? handle : state.value;
      const error = drainJobs(rt, stopped);
      if (error === undefined) return { value };
      if (value !== handle) value.dispose();
      return { error };
    }
    if (!rt.hasPendingJob() || stopped()) return { value: undefined };
    const error = drainJobs(rt, stopped);
    if (error) return { error };
  }
}

/**
 * Jobs run per call between checks of the interrupt. QuickJS turns an interrupt inside a
 * job into a rejection that the next job may catch, so past the deadline jobs could go on
 * queueing jobs forever: the host stops draining once the run is interrupted.
 */
const JOBS_PER_CHECK = 64;

/** Executes pending jobs until none is left or the run is interrupted; returns the error of a job that could not be caught (interrupt, OOM). */
function drainJobs(rt: QuickJSRuntime, stopped: () => boolean): QuickJSHandle | undefined {
  while (rt.hasPendingJob() && !stopped()) {
    const result = rt.executePendingJobs(JOBS_PER_CHECK);
    if (result.error) return result.error;
    result.dispose();
  }
  return undefined;
}

function describeType(vm: QuickJSContext, handle: QuickJSHandle, type: string): string {
  if (type === 'object') return vm.sameValue(handle, vm.null) ? 'null' : 'an object';
  return `a ${type}`;
}

const plainFailure = (err: string): RunFailure => ({ status: 'Failure', err, logText: err, recycleEngine: false });
