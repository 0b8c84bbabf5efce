import { Scope, type QuickJSContext, type QuickJSHandle, type QuickJSRuntime } from 'quickjs-emscripten';
import { ENCODING_MODULE_SOURCE } from './encoding-module.ts';
import { createLogCollector, type LogCollector } from './log-collector.ts';
import { PARTICLE_CORE_SOURCE, installParticleCoreHost, type ParticleCoreState } from './particle-core-module.ts';
import type { ResolvedLimits, RunResult, ValidateResult, PublishRequest } from './runtime-types.ts';
import { installConsole } from './sandbox-console.ts';
import type { EngineInstance, SandboxEngine } from './sandbox-engine.ts';
import { classifyThrown, engineFault, readThrown, type RunFailure } from './sandbox-errors.ts';

/** One run as the worker receives it: the context is already JSON text. */
export interface SandboxJob {
  readonly code: string;
  readonly contextJson: string;
  readonly limits: ResolvedLimits;
}

/** Stack traces and syntax errors name the function's module after this file name. */
const MODULE_FILE = 'function.js';

/** Runs one job in a fresh QuickJS runtime and context, then frees both. */
export async function runSandboxJob(engine: SandboxEngine, job: SandboxJob): Promise<RunResult> {
  const started = performance.now();
  const instance = await engine.instanceFor(job.limits.memoryBytes);
  const logs = createLogCollector(job.limits.maxLogBytes);
  const publishes: PublishRequest[] = [];
  const failure = runOnInstance(instance, job, logs, publishes);
  if (failure?.recycleEngine || instance.nearlyFull()) engine.discard(instance);
  if (failure) logs.addRuntimeEntry('Error', failure.logText);
  return {
    status: failure?.status ?? 'Success',
    logs: logs.entries(),
    publishes,
    ...(failure ? { err: failure.err } : {}),
    durationMs: Math.round((performance.now() - started) * 1000) / 1000,
  };
}

function runOnInstance(
  instance: EngineInstance,
  job: SandboxJob,
  logs: LogCollector,
  publishes: PublishRequest[],
): RunFailure | undefined {
  const { limits } = job;
  const deadline = Date.now() + limits.timeoutMs;
  let rt: QuickJSRuntime | undefined;
  let vm: QuickJSContext | undefined;
  const scope = new Scope();
  let failure: RunFailure | undefined;
  try {
    rt = instance.quickjs.newRuntime({
      memoryLimitBytes: limits.memoryBytes,
      maxStackSizeBytes: limits.maxStackBytes,
      interruptHandler: () => Date.now() > deadline,
    });
    vm = rt.newContext();
    failure = execute(rt, vm, scope, job, logs, publishes);
  } catch (error) {
    // A fault below the interpreter: the instance's heap cannot be trusted, so nothing is
    // disposed (that could abort again) and the whole instance is dropped.
    return engineFault(error, instance.nearlyFull(), limits);
  }
  try {
    scope.dispose();
    vm.dispose();
    rt.dispose();
  } catch (error) {
    return failure ? { ...failure, recycleEngine: true } : engineFault(error, instance.nearlyFull(), limits);
  }
  return failure;
}

function execute(
  rt: QuickJSRuntime,
  vm: QuickJSContext,
  scope: Scope,
  job: SandboxJob,
  logs: LogCollector,
  publishes: PublishRequest[],
): RunFailure | undefined {
  const failWith = (handle: QuickJSHandle): RunFailure => {
    const thrown = readThrown(vm, handle);
    handle.dispose();
    return classifyThrown(thrown, job.limits);
  };

  installConsole(vm, scope, logs);
  const contextHandle = scope.manage(parseJson(vm, job.contextJson));
  const core: ParticleCoreState = { maxPublishes: job.limits.maxPublishes, publishes, publishBytes: 0, contextHandle };
  rt.setModuleLoader((name) => loadModule(name, () => installParticleCoreHost(vm, scope, core)));

  const evaluated = vm.evalCode(job.code, MODULE_FILE, { type: 'module' });
  if (evaluated.error) return failWith(evaluated.error);
  const namespace = scope.manage(evaluated.value);
  // A module with top-level await evaluates to a promise of its namespace.
  const settledNamespace = settle(rt, vm, namespace);
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
  const outcome = settle(rt, vm, returned);
  if (outcome.error) return failWith(outcome.error);
  if (outcome.value !== undefined && outcome.value !== returned) outcome.value.dispose();
  if (outcome.value === undefined) logs.addRuntimeEntry('Warning', 'The promise returned by the function never settled.');
  return undefined;
}

type Settled = { readonly value: QuickJSHandle | undefined; readonly error?: undefined } | { readonly error: QuickJSHandle };

/**
 * Runs pending jobs until `handle` (a promise or any value) settles, then drains the jobs
 * the function queued (e.g. `Promise.resolve().then(publish)`). A non-promise settles to
 * itself; `value` is undefined when the promise is pending with no job left to run.
 */
function settle(rt: QuickJSRuntime, vm: QuickJSContext, handle: QuickJSHandle): Settled {
  for (;;) {
    const state = vm.getPromiseState(handle);
    if (state.type === 'rejected') return { error: state.error };
    if (state.type === 'fulfilled') {
      const value = state.notAPromise ? handle : state.value;
      const error = drainJobs(rt);
      if (error === undefined) return { value };
      if (value !== handle) value.dispose();
      return { error };
    }
    if (!rt.hasPendingJob()) return { value: undefined };
    const error = drainJobs(rt);
    if (error) return { error };
  }
}

/** Executes all pending jobs; returns the error of a job that could not be caught (interrupt, OOM). */
function drainJobs(rt: QuickJSRuntime): QuickJSHandle | undefined {
  if (!rt.hasPendingJob()) return undefined;
  const result = rt.executePendingJobs();
  if (result.error) return result.error;
  result.dispose();
  return undefined;
}

function loadModule(name: string, installCore: () => void): string | { error: Error } {
  if (name === 'particle:core') {
    installCore();
    return PARTICLE_CORE_SOURCE;
  }
  if (name === 'particle:encoding') return ENCODING_MODULE_SOURCE;
  return { error: new Error(`Cannot find module '${name}'`) };
}

function parseJson(vm: QuickJSContext, json: string): QuickJSHandle {
  const parse = vm.getProp(vm.global, 'JSON').consume((jsonObject) => vm.getProp(jsonObject, 'parse'));
  const text = vm.newString(json);
  const parsed = vm.callFunction(parse, vm.undefined, text);
  text.dispose();
  parse.dispose();
  return vm.unwrapResult(parsed);
}

function describeType(vm: QuickJSContext, handle: QuickJSHandle, type: string): string {
  if (type === 'object') return vm.sameValue(handle, vm.null) ? 'null' : 'an object';
  return `a ${type}`;
}

const plainFailure = (err: string): RunFailure => ({ status: 'Failure', err, logText: err, recycleEngine: false });

/** Compiles the module and resolves its imports; nothing in it is evaluated. */
export async function validateSandboxCode(engine: SandboxEngine, code: string, limits: ResolvedLimits): Promise<ValidateResult> {
  const instance = await engine.instanceFor(limits.memoryBytes);
  const deadline = Date.now() + limits.timeoutMs;
  let error: string | undefined;
  try {
    const rt = instance.quickjs.newRuntime({
      memoryLimitBytes: limits.memoryBytes,
      maxStackSizeBytes: limits.maxStackBytes,
      interruptHandler: () => Date.now() > deadline,
    });
    rt.setModuleLoader((name) => loadModule(name, () => undefined));
    const vm = rt.newContext();
    const compiled = vm.evalCode(code, MODULE_FILE, { type: 'module', compileOnly: true });
    if (compiled.error) {
      const thrown = readThrown(vm, compiled.error);
      compiled.error.dispose();
      const failure = classifyThrown(thrown, limits);
      const where = /\((function\.js:\d+:\d+)\)|at (function\.js:\d+:\d+)/.exec(thrown.stack ?? '');
      error = where ? `${failure.err} (${where[1] ?? where[2]})` : failure.err;
    } else {
      compiled.value.dispose();
    }
    vm.dispose();
    rt.dispose();
  } catch (fault) {
    engine.discard(instance);
    return { ok: false, error: engineFault(fault, instance.nearlyFull(), limits).err };
  }
  return error === undefined ? { ok: true } : { ok: false, error };
}
