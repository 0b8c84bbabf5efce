import { Scope, type QuickJSContext, type QuickJSHandle, type QuickJSRuntime } from 'quickjs-emscripten';
import type { LogCollector } from './log-collector.ts';
import { installParticleCore, type ParticleCoreState } from './particle-core-module.ts';
import { installConsole } from './sandbox-console.ts';
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
  /** Binds the run; must be called once, before any user code is evaluated. */
  bind(bindings: RunBindings): void;
}

/**
 * Builds a sandbox ahead of its run. Creating the context and installing the host API is
 * most of a run's fixed cost; the worker does it right after answering the previous run,
 * while the pool is busy with the reply, so a run only pays for its own code.
 */
export function prepareSandbox(instance: EngineInstance): PreparedSandbox {
  let bindings: RunBindings | undefined;
  const rt = instance.quickjs.newRuntime({
    interruptHandler: () => bindings !== undefined && Date.now() > bindings.deadline,
  });
  let vm: QuickJSContext | undefined;
  const scope = new Scope();
  try {
    vm = rt.newContext();
    const context = vm;
    installConsole(context, scope, () => bindings?.logs);
    installParticleCore(context, scope, () => bindings?.core);
    const jsonParse = scope.manage(context.getProp(context.global, 'JSON').consume((json) => context.getProp(json, 'parse')));
    return {
      instance,
      rt,
      vm: context,
      scope,
      jsonParse,
      bind(next) {
        if (bindings !== undefined) throw new Error('a prepared sandbox serves a single run');
        bindings = next;
      },
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
