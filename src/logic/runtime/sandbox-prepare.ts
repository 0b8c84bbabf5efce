import { Scope, type QuickJSContext, type QuickJSHandle, type QuickJSRuntime } from 'quickjs-emscripten';
import type { LogCollector } from './log-collector.ts';
import { installParticleCore, type ParticleCoreState } from './particle-core-module.ts';
import { installConsole } from './sandbox-console.ts';
import { installSeededRandom } from './sandbox-random.ts';
import type { EngineInstance } from './sandbox-engine.ts';

/** What the host functions of a prepared sandbox act on once its run starts. */
export interface RunBindings {
  readonly logs: LogCollector;
  readonly core: ParticleCoreState;
  /** `Date.now()` value after which the interrupt handler stops the run. */
  readonly deadline: number;
}

/**
 * A fresh QuickJS runtime and context with `console` and `particle:core` installed but no
 * run bound yet. Each one serves exactly one run and is then disposed.
 */
export interface PreparedSandbox {
  readonly instance: EngineInstance;
  readonly rt: QuickJSRuntime;
  readonly vm: QuickJSContext;
  /** Owns every handle the host creates for this sandbox. */
  readonly scope: Scope;
  /** The context's original `JSON.parse`, for reading the run's context in. */
  readonly jsonParse: QuickJSHandle;
  /** Throws once the run is interrupted; for host functions installed later. */
  readonly guard: InterruptGuard;
  /** Binds the run; must be called once, before any user code is evaluated. */
  bind(bindings: RunBindings): void;
  /** The interrupt handler has stopped the run (its deadline passed): the run is a Timeout. */
  interrupted(): boolean;
}

/**
 * Called by every host function: once the run is interrupted it throws instead of doing
 * anything (no log, no publish) and without running sandbox code. QuickJS turns its
 * uncatchable "interrupted" error into an ordinary value where it crosses a promise job
 * (a `.catch` receives it) or a host function (which has to take it out of the context),
 * so past the deadline code could catch it and go on logging and publishing. Throwing at
 * once leaves the sandbox no place to spend its steps but its own code, where the next
 * interrupt check stops it for good.
 */
export type InterruptGuard = () => void;

/**
 * Builds a sandbox ahead of its run. Creating the context and installing the host API is
 * most of a run's fixed cost; the worker does it right after answering the previous run,
 * while the pool is busy with the reply, so a run only pays for its own code.
 */
export function prepareSandbox(instance: EngineInstance): PreparedSandbox {
  let bindings: RunBindings | undefined;
  // Sticky: once the deadline has passed every later check interrupts too.
  let interrupted = false;
  const rt = instance.quickjs.newRuntime({
    interruptHandler: () => interrupted || (bindings !== undefined && Date.now() > bindings.deadline && (interrupted = true)),
  });
  let vm: QuickJSContext | undefined;
  const scope = new Scope();
  try {
    vm = rt.newContext();
    const context = vm;
    // One error object, thrown again on each call: a loop that catches it may call
    // thousands of times before the interrupt check comes round.
    let stopError: QuickJSHandle | undefined;
    const guard: InterruptGuard = () => {
      if (!interrupted) return;
      stopError ??= scope.manage(context.newError({ name: 'InternalError', message: 'interrupted (the run reached its time limit)' }));
      throw stopError.dup();
    };
    installConsole(context, scope, () => bindings?.logs, guard);
    installParticleCore(context, scope, () => bindings?.core, guard);
    installSeededRandom(context);
    const jsonParse = scope.manage(context.getProp(context.global, 'JSON').consume((json) => context.getProp(json, 'parse')));
    return {
      instance,
      rt,
      vm: context,
      scope,
      jsonParse,
      guard,
      bind(next) {
        if (bindings !== undefined) throw new Error('a prepared sandbox serves a single run');
        bindings = next;
      },
      interrupted: () => interrupted,
    };
  } catch (error) {
    scope.dispose();
    vm?.dispose();
    rt.dispose();
    throw error;
  }
}

/** Frees the sandbox's handles, context and runtime (in that order). */
export function disposeSandbox(sandbox: PreparedSandbox): void {
  sandbox.scope.dispose();
  sandbox.vm.dispose();
  sandbox.rt.dispose();
}

