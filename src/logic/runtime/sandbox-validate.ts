import { loadSandboxModule, FUNCTION_MODULE_FILE } from './module-loader.ts';
import type { ResolvedLimits, ValidateResult } from './runtime-types.ts';
import type { SandboxEngine } from './sandbox-engine.ts';
import { classifyThrown, engineFault, readThrown } from './sandbox-errors.ts';

const LOCATION = /\((function\.js:\d+:\d+)\)|at (function\.js:\d+:\d+)/;

/**
 * Compiles the module and resolves its imports without evaluating anything, so syntax
 * errors and unknown modules are reported before a function is saved. The error names
 * the line and column, as there is no run log to carry the stack.
 */
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
    rt.setModuleLoader(loadSandboxModule);
    const vm = rt.newContext();
    const compiled = vm.evalCode(code, FUNCTION_MODULE_FILE, { type: 'module', compileOnly: true });
    if (compiled.error) {
      const thrown = readThrown(vm, compiled.error);
      compiled.error.dispose();
      const { err } = classifyThrown(thrown, limits);
      const where = LOCATION.exec(thrown.stack ?? '');
      error = where ? `${err} (${where[1] ?? where[2]})` : err;
    } else {
      compiled.value.dispose();
    }
    vm.dispose();
    rt.dispose();
  } catch (fault) {
    engine.discard(instance);
    return { ok: false, error: engineFault(fault, false, limits).err };
  }
  return error === undefined ? { ok: true } : { ok: false, error };
}
